// Fuzz target: the rule-file parser (rules::fuzz_rule_text: the text as parameters.yaml and as
// a rule file, then the rule's condition evaluated and its templates rendered). Bad input may
// only end in sshpath::Error; anything else escaping, a crash, a leak or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.h"
#include "sshpath/core/error.h"
#include "sshpath/rules/rule_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        sshpath::rules::fuzz_rule_text(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const sshpath::RuleError& e) {
        // What the CLI prints: file:line: problem.
        SSHPATH_FUZZ_CHECK(std::string_view(e.what()).find(':') != std::string_view::npos);
    } catch (const sshpath::Error&) {
    }
    return 0;
}
