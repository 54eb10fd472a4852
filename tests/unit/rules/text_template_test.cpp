#include "sshpath/rules/text_template.h"

#include <gtest/gtest.h>

namespace sshpath::rules {
namespace {

using evidence::FactSet;
using evidence::Scope;

class TextTemplateTest : public ::testing::Test {
protected:
    void SetUp() override {
        flow_.set("syn_count", std::int64_t{4});
        flow_.set("server", std::string("203.0.113.5:22"));
        flow_.set("syn_span_s", 7.25);
    }

    std::string error(std::string_view tmpl, Scope scope = Scope::kFlow) const {
        try {
            check_template(tmpl, scope, params_);
        } catch (const ExpressionError& e) {
            return std::to_string(e.offset()) + ": " + e.problem();
        }
        return "";
    }

    ParameterValues params_{{"silent_drop_min_syns", 2}, {"banner_timeout_s", 10.5}};
    FactSet flow_{Scope::kFlow};
};

TEST_F(TextTemplateTest, ReplacesFactsAndParameters) {
    const std::string t = "{syn_count} SYNs to {server} over {syn_span_s} s (threshold {param.silent_drop_min_syns}, "
                          "{param.banner_timeout_s} s); synack: {synack_seen}";
    EXPECT_EQ(error(t), "");
    EXPECT_EQ(render_template(t, flow_, params_),
              "4 SYNs to 203.0.113.5:22 over 7.25 s (threshold 2, 10.5 s); synack: false");
}

TEST_F(TextTemplateTest, DoubledBracesAreLiteral) {
    const std::string t = "{{literal}} {{{syn_count}}} }}{{";
    EXPECT_EQ(error(t), "");
    EXPECT_EQ(render_template(t, flow_, params_), "{literal} {4} }{");
}

TEST_F(TextTemplateTest, ListsTheNamesItUses) {
    EXPECT_EQ(template_names("{syn_count} {{x}} {param.banner_timeout_s} {syn_count}"),
              (std::vector<std::string>{"syn_count", "param.banner_timeout_s"}));
}

TEST_F(TextTemplateTest, RejectsUnknownNamesWithSuggestion) {
    EXPECT_EQ(error("to {srever}"), "4: unknown fact 'srever' in template (did you mean 'server'?)");
    EXPECT_EQ(error("{param.banner_timeout}"),
              "1: unknown parameter 'param.banner_timeout' (did you mean 'param.banner_timeout_s'?)");
    EXPECT_EQ(error("{packets}"), "1: 'packets' is a capture fact; this rule has scope flow");
    EXPECT_EQ(error("{packets} packets", Scope::kCapture), "");
}

TEST_F(TextTemplateTest, RejectsMalformedBraces) {
    EXPECT_EQ(error("a } b"), "2: single '}' (write '}}' for a literal brace)");
    EXPECT_EQ(error("a {syn_count b"), "2: '{' is never closed (write '{{' for a literal brace)");
    EXPECT_EQ(error("a {syn_count\n} b"), "2: '{' is never closed (write '{{' for a literal brace)");
    EXPECT_EQ(error("a {} b"), "2: empty placeholder '{}' (write '{{}}' for literal braces)");
}

TEST_F(TextTemplateTest, RenderingNeverThrows) {
    EXPECT_EQ(render_template("{packets} and {nope} {syn_count}", flow_, params_), "{packets} and {nope} 4");
    EXPECT_EQ(render_template("{syn_count} then { broken", flow_, params_), "4 then { broken");
}

}  // namespace
}  // namespace sshpath::rules
