#include "sshpath/rules/text_template.h"

#include <gtest/gtest.h>

namespace sshpath::rules {
namespace {

using facts::FactSet;
using facts::Scope;

class TextTemplateTest : public ::testing::Test {
protected:
    void SetUp() override {
        flow_.set("syn_count", std::int64_t{4});
        flow_.set("server", std::string("203.0.113.5:22"));
        flow_.set("syn_span_s", 7.25);
    }

    std::string error(std::string_view tmpl, Scope scope = Scope::kFlow) const {
        try {
            Template::compile(tmpl, scope, params_);
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
    EXPECT_EQ(Template::compile(t, Scope::kFlow, params_).render(flow_),
              "4 SYNs to 203.0.113.5:22 over 7.25 s (threshold 2, 10.5 s); synack: false");
}

TEST_F(TextTemplateTest, DoubledBracesAreLiteral) {
    const std::string t = "{{literal}} {{{syn_count}}} }}{{";
    EXPECT_EQ(error(t), "");
    EXPECT_EQ(Template::compile(t, Scope::kFlow, params_).render(flow_), "{literal} {4} }{");
}

TEST_F(TextTemplateTest, ListsTheNamesItUses) {
    EXPECT_EQ(Template::compile("{syn_count} {{x}} {param.banner_timeout_s} {syn_count}", Scope::kFlow, params_).names(),
              (std::vector<std::string>{"syn_count", "param.banner_timeout_s"}));
}

TEST_F(TextTemplateTest, RejectsUnknownNamesWithSuggestion) {
    EXPECT_EQ(error("to {srever}"), "4: unknown fact 'srever' (did you mean 'server'?)");
    EXPECT_EQ(error("{param.banner_timeout}"),
              "1: unknown parameter 'param.banner_timeout' (did you mean 'param.banner_timeout_s'?)");
    EXPECT_EQ(error("{packets}"), "1: 'packets' is a capture fact; write capture.packets");
    EXPECT_EQ(error("{packets} packets", Scope::kCapture), "");
    EXPECT_EQ(error("{capture.packets} packets"), "");
    EXPECT_EQ(error("{syn_count}", Scope::kCapture), "1: 'syn_count' is a flow fact; a rule of scope capture cannot read it");
}

TEST_F(TextTemplateTest, RejectsMalformedBraces) {
    EXPECT_EQ(error("a } b"), "2: single '}' (write '}}' for a literal brace)");
    EXPECT_EQ(error("a {syn_count b"), "2: '{' is never closed (write '{{' for a literal brace)");
    EXPECT_EQ(error("a {syn_count\n} b"), "2: '{' is never closed (write '{{' for a literal brace)");
    EXPECT_EQ(error("a {} b"), "2: empty placeholder '{}' (write '{{}}' for literal braces)");
}

TEST_F(TextTemplateTest, ReadsFactsOfOtherScopesFromTheContext) {
    FactSet capture(Scope::kCapture);
    capture.set("packets", std::int64_t{12});
    facts::Context ctx(flow_);
    ctx.add(capture);
    const Template t = Template::compile("{syn_count} SYNs in {capture.packets} packets", Scope::kFlow, params_);
    EXPECT_EQ(t.render(ctx), "4 SYNs in 12 packets");
    EXPECT_EQ(t.render(flow_), "4 SYNs in 0 packets");  // a scope not given reads as its defaults
}

}  // namespace
}  // namespace sshpath::rules
