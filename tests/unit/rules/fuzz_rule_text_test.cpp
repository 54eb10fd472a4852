#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sshpath/core/error.h"
#include "sshpath/rules/rule_parser.h"
#include "temp_rule_dir.h"

namespace sshpath::rules {
namespace {

// The fuzzing entry point accepts anything: a valid rule passes, anything else is a
// sshpath::Error and nothing else.
class FuzzRuleTextTest : public ::testing::Test {
protected:
    /// "ok", "error", or "other" when something other than sshpath::Error escaped.
    static std::string outcome(const std::string& text) {
        try {
            fuzz_rule_text(text);
            return "ok";
        } catch (const Error&) {
            return "error";
        } catch (...) {
            return "other";
        }
    }
};

TEST_F(FuzzRuleTextTest, AcceptsAValidRule) {
    EXPECT_EQ(outcome(testing::flow_rule("a", "syn_count >= param.silent_drop_min_syns and server_banner matches '^SSH'",
                                         50, "next_steps: ['{server} {param.ratio}']\n")),
              "ok");
}

TEST_F(FuzzRuleTextTest, ThrowsOnlySshpathErrorsOnBadInput) {
    const std::vector<std::string> inputs = {
        "",
        std::string("\0\xff\xfe", 3),
        "id: [",
        std::string(5000, '['),
        std::string(5000, '{'),
        [] {
            std::string s;
            for (int i = 0; i < 3000; ++i) s += "- ";
            return s;
        }(),
        "a: &x [*x]",
        "*unknown",
        "!!binary ZZZ",
        "{? [a]: b}",
        "priority: !!int x",
        "%YAML 9.9\n---\na: 1",
        testing::flow_rule("a", "server_banner matches '" + std::string(2000, 'a') + "'"),
        testing::flow_rule("a", "server_banner matches 'a{99999999}'"),
        testing::flow_rule("a", "server_banner matches '((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))'"),
        testing::flow_rule("a", "syn_count > 99999999999999999999999"),
        testing::flow_rule("a", "syn_count > 1e999"),
        testing::flow_rule("a", std::string(10000, '(') + "syn_seen" + std::string(10000, ')')),
        testing::flow_rule("a", "\"" + std::string(100, '\\')),
        testing::flow_rule("a", "syn_seen", 50, "next_steps: ['{', '}', '{{}']\n"),
        testing::flow_rule("a", "syn_seen", 50, "x:\n  value: 1\n"),
    };
    for (const auto& text : inputs) EXPECT_NE(outcome(text), "other") << text.substr(0, 80);
}

TEST_F(FuzzRuleTextTest, EvaluatesExtremeArithmeticWithoutUndefinedBehaviour) {
    EXPECT_EQ(outcome(testing::flow_rule("a", "-9223372036854775807 - 1 < syn_count * 1e308 * 1e308 / 0")), "ok");
    EXPECT_EQ(outcome(testing::flow_rule("a", "syn_seen or - -9223372036854775807 == 9223372036854775807")), "ok");
    EXPECT_EQ(outcome(testing::flow_rule("a", "1e308 * 10 - 1e308 * 10 != 0")), "ok");
}

}  // namespace
}  // namespace sshpath::rules
