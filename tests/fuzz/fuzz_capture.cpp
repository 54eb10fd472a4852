// Fuzz target: a whole capture file (pcap or pcapng) through the reader, the analysis with the
// project's rules, and the three report formats, exactly as `sshpath analyze` runs them.
// Bad input may only end in sshpath::Error (exit status 2 in the CLI); anything else escaping,
// a crash, a leak or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz_util.h"
#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"
#include "sshpath/report/report.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/engine/analyzer.h"

namespace {

using namespace sshpath;

const rules::RuleSet& project_rules() {
    static const rules::RuleSet rules = rules::RuleSet::load(SSHPATH_SOURCE_DIR "/rules");
    return rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const rules::RuleSet& rules = project_rules();
    if (size == 0) return 0;  // fmemopen refuses an empty buffer; the CLI rejects empty files
    // "r" never writes to the buffer.
    std::FILE* fp = fmemopen(const_cast<std::uint8_t*>(data), size, "r");
    SSHPATH_FUZZ_CHECK(fp != nullptr);
    try {
        capture::Reader reader(fp, "fuzz.pcap");
        engine::AnalyzeOptions options;
        options.explain = (data[size - 1] & 1) != 0;
        engine::Analyzer analyzer(options, rules);
        analyzer.begin_capture("fuzz.pcap", reader.link_type());
        reader.for_each([&](const packet::Packet& p) { analyzer.add(p); });
        analyzer.end_capture(reader.stats());
        const engine::Analysis analysis = analyzer.finish();
        SSHPATH_FUZZ_CHECK(analysis.captures.size() == 1);
        SSHPATH_FUZZ_CHECK(!analysis.verdict.summary.empty());
        if (reader.stats().truncated) SSHPATH_FUZZ_CHECK(!analysis.warnings.empty());
        report::ReportOptions ro;
        ro.version = "fuzz";
        ro.explain = options.explain;
        // Bytes from the capture reach a terminal only escaped: no control characters but line
        // feeds (an ESC would let a capture drive the terminal of whoever reads the report).
        for (const std::string& out : {report::render_text(analysis, ro), report::render_markdown(analysis, ro), report::render_html(analysis, ro)})
            for (unsigned char c : out) SSHPATH_FUZZ_CHECK(c == '\n' || (c >= 0x20 && c != 0x7f));
        (void)report::render_json(analysis, ro);
    } catch (const Error& e) {
        // The CLI prints this as one line.
        const std::string_view message = e.what();
        SSHPATH_FUZZ_CHECK(!message.empty());
    }
    return 0;
}
