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

TEST_F(TextTemplateTest, LeavesOutOptionalPartsNamingAnUnsetFact) {
    // server_rst_ttl is unset (-1), syn_count is set: only the second part shows.
    const std::string t = "reset[[ with TTL {server_rst_ttl}]][[ after {syn_count} SYNs to {server}]].";
    EXPECT_EQ(error(t), "");
    EXPECT_EQ(Template::compile(t, Scope::kFlow, params_).render(flow_), "reset after 4 SYNs to 203.0.113.5:22.");
    flow_.set("server_rst_ttl", std::int64_t{64});
    EXPECT_EQ(Template::compile(t, Scope::kFlow, params_).render(flow_), "reset with TTL 64 after 4 SYNs to 203.0.113.5:22.");
    // A string fact left empty, and one unset fact among several, leave the part out.
    EXPECT_EQ(Template::compile("a[[ ({server_rst_stage})]]b[[ {syn_count} {client}]]c", Scope::kFlow, params_).render(flow_), "abc");
}

TEST_F(TextTemplateTest, ShowsTheFirstAlternativeWhoseFactsAreSet) {
    const std::string t = "behind routers[[ (gateway {gateway_address})|| ({server_hops} routers)|| (address plan)]]; x || y";
    EXPECT_EQ(error(t), "");
    EXPECT_EQ(Template::compile(t, Scope::kFlow, params_).render(flow_), "behind routers (address plan); x || y");
    flow_.set("server_hops", std::int64_t{3});
    EXPECT_EQ(Template::compile(t, Scope::kFlow, params_).render(flow_), "behind routers (3 routers); x || y");
    flow_.set("gateway_address", std::string("198.51.100.1"));
    EXPECT_EQ(Template::compile(t, Scope::kFlow, params_).render(flow_), "behind routers (gateway 198.51.100.1); x || y");
    // Without a fallback, nothing shows when no alternative has its facts.
    EXPECT_EQ(Template::compile("a[[ {server_rst_ttl}|| {server_rst_hop}]]b", Scope::kFlow, params_).render(flow_), "ab");
}

TEST_F(TextTemplateTest, RejectsMalformedOptionalParts) {
    EXPECT_EQ(error("[[ x || {syn_count}]]"), "5: an alternative before '||' names no fact: the ones after it would never show");
    EXPECT_EQ(error("a [[b {syn_count} [[c]] d]]"), "18: optional parts '[[ ]]' do not nest");
    EXPECT_EQ(error("a ]] b"), "2: ']]' closes no optional part");
    EXPECT_EQ(error("a [[ {syn_count} b"), "2: '[[' is never closed by ']]'");
    EXPECT_EQ(error("a [[ {param.banner_timeout_s} s]]"), "2: an optional part '[[ ]]' names no fact: it would always show");
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
