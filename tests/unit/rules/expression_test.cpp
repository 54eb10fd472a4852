#include "sshpath/rules/expression.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace sshpath::rules {
namespace {

using facts::FactSet;
using facts::Scope;

class ExpressionTest : public ::testing::Test {
protected:
    void SetUp() override {
        flow_.set("syn_count", std::int64_t{3});
        flow_.set("syn_span_s", 3.0);
        flow_.set("server_banner", std::string("SSH-2.0-OpenSSH_9.2p1 Debian-2"));
        flow_.set("icmp_kind", std::string("admin-prohibited"));
        flow_.set("server_rst_hops", std::int64_t{-1});
    }

    bool holds(std::string_view text) const { return Expression::compile(text, Scope::kFlow, params_)->evaluate(flow_); }

    /// "offset: problem" of the error compiling `text`, or "" if it compiles.
    std::string error(std::string_view text, Scope scope = Scope::kFlow) const {
        try {
            Expression::compile(text, scope, params_);
        } catch (const ExpressionError& e) {
            return std::to_string(e.offset()) + ": " + e.problem();
        }
        return "";
    }

    ParameterValues params_{{"silent_drop_min_syns", 2}, {"ratio", 0.5}};
    FactSet flow_{Scope::kFlow};
};

TEST_F(ExpressionTest, ComparesIntFactsWithLiteralsAndParameters) {
    EXPECT_TRUE(holds("syn_count >= param.silent_drop_min_syns"));
    EXPECT_TRUE(holds("syn_count == 3"));
    EXPECT_TRUE(holds("syn_count != 4"));
    EXPECT_TRUE(holds("syn_count > 2.5"));
    EXPECT_FALSE(holds("syn_count < 3"));
    EXPECT_TRUE(holds("syn_count <= 3"));
    EXPECT_TRUE(holds("server_rst_hops == -1"));
    EXPECT_TRUE(holds("syn_count > param.ratio"));
}

TEST_F(ExpressionTest, UsesFactDefaultsWhenNotSet) {
    EXPECT_TRUE(holds("not synack_seen and icmp_errors == 0 and server_ttl == -1 and client_banner == ''"));
}

TEST_F(ExpressionTest, CombinesWithAndOrNotByPrecedence) {
    EXPECT_TRUE(holds("synack_seen or syn_count == 3 and not server_rst_seen"));
    EXPECT_FALSE(holds("(synack_seen or syn_count == 3) and server_rst_seen"));
    EXPECT_TRUE(holds("not not (syn_count == 3)"));
    EXPECT_TRUE(holds("not syn_count == 4"));
    EXPECT_TRUE(holds("synack_seen == false and true"));
}

TEST_F(ExpressionTest, ComputesArithmeticAsReals) {
    EXPECT_TRUE(holds("syn_span_s / syn_count == 1"));
    EXPECT_TRUE(holds("syn_count * 2 - 1 == 5"));
    EXPECT_TRUE(holds("-syn_count + 4 == 1"));
    EXPECT_TRUE(holds("1 + 2 * 3 == 7"));
    EXPECT_TRUE(holds("(1 + 2) * 3 == 9"));
    EXPECT_TRUE(holds("7 / 2 == 3.5"));
}

TEST_F(ExpressionTest, DivisionByZeroMakesTheComparisonFalse) {
    EXPECT_FALSE(holds("syn_count / icmp_errors > 1"));
    EXPECT_FALSE(holds("syn_count / icmp_errors <= 1"));
    EXPECT_FALSE(holds("syn_count / 0 != 1"));
    EXPECT_FALSE(holds("syn_count / 0 in [1, 2]"));
    EXPECT_FALSE(holds("syn_count / 0 not in [1, 2]"));
    EXPECT_TRUE(holds("not (syn_count / 0 > 1)"));
}

TEST_F(ExpressionTest, MatchesStringsWithInContainsStartswithAndRegex) {
    EXPECT_TRUE(holds("icmp_kind in ['admin-prohibited', 'host-prohibited', \"net-prohibited\"]"));
    EXPECT_FALSE(holds("icmp_kind not in ['admin-prohibited', 'host-prohibited']"));
    EXPECT_TRUE(holds("syn_count in [1, 3]"));
    EXPECT_TRUE(holds("server_rst_hops in [-1, 0]"));
    EXPECT_TRUE(holds("server_banner contains 'OpenSSH'"));
    EXPECT_TRUE(holds("server_banner startswith 'SSH-2.0-'"));
    EXPECT_FALSE(holds("server_banner startswith 'OpenSSH'"));
    EXPECT_TRUE(holds("server_banner matches '^SSH-2\\.0-OpenSSH_[0-9]+\\.[0-9]'"));
    EXPECT_TRUE(holds("server_banner matches 'Debian'"));
    EXPECT_FALSE(holds("server_banner matches '^OpenSSH'"));
    EXPECT_TRUE(holds("server_banner != '' and icmp_kind == 'admin-prohibited'"));
}

TEST_F(ExpressionTest, KeepsBackslashesInStringsExceptBeforeQuotesAndBackslashes) {
    flow_.set("disconnect_text", std::string("it's a \\ test"));
    EXPECT_TRUE(holds("disconnect_text == 'it\\'s a \\\\ test'"));
    EXPECT_TRUE(holds("disconnect_text matches 'a \\\\\\\\ t'"));
}

TEST_F(ExpressionTest, CountsTopLevelConjuncts) {
    auto count = [&](std::string_view text) { return Expression::compile(text, Scope::kFlow, params_)->conjunct_count(); };
    EXPECT_EQ(count("syn_seen"), 1u);
    EXPECT_EQ(count("syn_seen and synack_seen"), 2u);
    EXPECT_EQ(count("syn_seen and (synack_seen and server_rst_seen) and syn_count > 1"), 4u);
    EXPECT_EQ(count("syn_seen and synack_seen or server_rst_seen"), 1u);
    EXPECT_EQ(count("not (syn_seen and synack_seen)"), 1u);
}

TEST_F(ExpressionTest, ListsInputsInFirstAppearanceOrderWithValues) {
    auto e = Expression::compile("syn_count >= param.silent_drop_min_syns and not synack_seen and syn_count < 10 "
                                 "and syn_span_s > param.ratio",
                                 Scope::kFlow, params_);
    EXPECT_EQ(e->inputs(),
              (std::vector<std::string>{"syn_count", "param.silent_drop_min_syns", "synack_seen", "syn_span_s", "param.ratio"}));
    EXPECT_EQ(e->input_values(flow_), (std::vector<std::pair<std::string, std::string>>{{"syn_count", "3"},
                                                                                       {"param.silent_drop_min_syns", "2"},
                                                                                       {"synack_seen", "false"},
                                                                                       {"syn_span_s", "3"},
                                                                                       {"param.ratio", "0.5"}}));
}

TEST_F(ExpressionTest, ExplainsWhichConjunctsHold) {
    auto e = Expression::compile("syn_count >= 2 and\n  (synack_seen or icmp_errors > 0)", Scope::kFlow, params_);
    const auto parts = e->explain(flow_);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].text, "syn_count >= 2");
    EXPECT_TRUE(parts[0].holds);
    EXPECT_EQ(parts[1].text, "(synack_seen or icmp_errors > 0)");
    EXPECT_FALSE(parts[1].holds);
}

TEST_F(ExpressionTest, ReadsDefaultsForScopesNotGiven) {
    auto e = Expression::compile("not syn_seen and syn_count == 0", Scope::kFlow, params_);
    EXPECT_TRUE(e->evaluate(FactSet(Scope::kCapture)));
}

TEST_F(ExpressionTest, ReadsFactsOfReadableScopesByQualifiedName) {
    FactSet capture(Scope::kCapture);
    capture.set("client_error_kind", std::string("refused"));
    facts::Context ctx(flow_);
    ctx.add(capture);
    auto e = Expression::compile("syn_count == 3 and capture.client_error_kind == 'refused'", Scope::kFlow, params_);
    EXPECT_TRUE(e->evaluate(ctx));
    EXPECT_FALSE(e->evaluate(flow_));
    EXPECT_EQ(e->inputs(), (std::vector<std::string>{"syn_count", "capture.client_error_kind"}));
    EXPECT_EQ(e->input_values(ctx),
              (std::vector<std::pair<std::string, std::string>>{{"syn_count", "3"}, {"capture.client_error_kind", "refused"}}));
}

// Conjuncts that compare one fact with a constant are read first, straight from the slots. The
// same conditions written so that none of them is (`not not`, `or false`) must agree on every
// combination of the facts, NaN and a scope not given included.
TEST_F(ExpressionTest, ConjunctsReadFirstAgreeWithTheWholeCondition) {
    const std::pair<std::string_view, std::string_view> conditions[] = {
        {"synack_seen and not server_rst_seen and syn_count >= param.silent_drop_min_syns",
         "not not synack_seen and not not not server_rst_seen and (syn_count >= param.silent_drop_min_syns or false)"},
        {"icmp_kind == 'admin-prohibited' and syn_span_s < param.ratio * 10",
         "(icmp_kind == 'admin-prohibited' or false) and syn_span_s < param.ratio * 10"},
        {"icmp_kind != 'admin-prohibited' and syn_span_s > 2.5", "(icmp_kind != 'admin-prohibited' or false) and (syn_span_s > 2.5 or false)"},
        {"server_rst_hops == -1 and syn_span_s >= param.ratio and capture.client_error_kind == 'refused'",
         "(server_rst_hops == -1 or false) and (syn_span_s >= param.ratio or false) and (capture.client_error_kind == 'refused' or false)"},
        {"syn_span_s != 3", "(syn_span_s != 3 or false)"},
        {"syn_seen", "not not syn_seen"},
    };
    std::vector<facts::FactSet> flows;
    for (int i = 0; i < 32; ++i) {
        FactSet f(Scope::kFlow);
        if (i & 1) f.set("synack_seen", true);
        if (i & 2) f.set("server_rst_seen", true);
        f.set("syn_count", std::int64_t{i % 4});
        f.set("syn_span_s", i & 4 ? 3.0 : (i & 8 ? std::numeric_limits<double>::quiet_NaN() : 0.25));
        if (i & 16) f.set("icmp_kind", std::string("admin-prohibited"));
        if (i & 8) f.set("server_rst_hops", std::int64_t{-1});
        if (i & 4) f.set("syn_seen", true);
        flows.push_back(std::move(f));
    }
    FactSet refused(Scope::kCapture);
    refused.set("client_error_kind", std::string("refused"));
    int held = 0, cases = 0;
    for (const auto& [guarded, plain] : conditions) {
        const auto a = Expression::compile(guarded, Scope::kFlow, params_);
        const auto b = Expression::compile(plain, Scope::kFlow, params_);
        for (const FactSet& f : flows) {
            for (bool with_capture : {false, true}) {
                facts::Context ctx(f);
                if (with_capture) ctx.add(refused);
                const bool r = a->evaluate(ctx);
                EXPECT_EQ(r, b->evaluate(ctx)) << guarded;
                held += r;
                ++cases;
            }
        }
    }
    // Both outcomes occur: the comparison is not between two constants.
    EXPECT_GT(held, 0);
    EXPECT_LT(held, cases);
    // Each by hand on one set: 3 SYNs over 3 s, an ICMP error, no SYN-ACK.
    EXPECT_FALSE(holds("synack_seen and syn_count >= 2"));
    EXPECT_TRUE(holds("not synack_seen and syn_count >= param.silent_drop_min_syns and icmp_kind == 'admin-prohibited'"));
    EXPECT_FALSE(holds("icmp_kind == 'port-unreachable' and syn_count == 3"));
    EXPECT_TRUE(holds("icmp_kind != 'port-unreachable' and syn_span_s > 2.5 and server_rst_hops == -1"));
    EXPECT_FALSE(holds("syn_span_s > 3 and syn_count == 3"));
}

TEST_F(ExpressionTest, EvaluatesCaptureFacts) {
    FactSet capture(Scope::kCapture);
    capture.set("flows", std::int64_t{0});
    capture.set("link_type", std::string("EN10MB"));
    EXPECT_TRUE(Expression::compile("flows == 0 and link_type == 'EN10MB'", Scope::kCapture, params_)->evaluate(capture));
}

TEST_F(ExpressionTest, RejectsUnknownFactsWithSuggestion) {
    EXPECT_EQ(error("syn_cnt >= 2"), "0: unknown fact 'syn_cnt' (did you mean 'syn_count'?)");
    EXPECT_EQ(error("syn_seen and srever_banner == ''"), "13: unknown fact 'srever_banner' (did you mean 'server_banner'?)");
    EXPECT_EQ(error("frobnicate"), "0: unknown fact 'frobnicate'");
}

TEST_F(ExpressionTest, RejectsFactsOfTheOtherScope) {
    EXPECT_EQ(error("packets > 0"), "0: 'packets' is a capture fact; write capture.packets");
    EXPECT_EQ(error("syn_count > 0", Scope::kCapture), "0: 'syn_count' is a flow fact; a rule of scope capture cannot read it");
    EXPECT_EQ(error("flow.syn_count > 0", Scope::kCapture), "0: a rule of scope capture cannot read flow facts ('flow.syn_count')");
    EXPECT_EQ(error("capture.pakets > 0"), "0: unknown fact 'capture.pakets' (did you mean 'capture.packets'?)");
    EXPECT_EQ(error("flow.syn_count > 0"), "0: 'flow.syn_count': facts of the rule's own scope are written bare ('syn_count')");
    EXPECT_EQ(error("captur.packets > 0"),
              "0: 'captur.' is not a prefix: facts are written bare (syn_count) or as SCOPE.NAME (capture.packets), "
              "parameters as param.NAME (did you mean 'capture'?)");
}

TEST_F(ExpressionTest, RejectsUnknownParametersWithSuggestion) {
    EXPECT_EQ(error("syn_count >= param.silent_drop_min_syn"),
              "13: unknown parameter 'param.silent_drop_min_syn' (did you mean 'param.silent_drop_min_syns'?)");
    params_.clear();
    EXPECT_EQ(error("syn_count >= param.x"),
              "13: unknown parameter 'param.x' (no parameters are defined; add it to parameters.yaml)");
}

TEST_F(ExpressionTest, RejectsABareNumberOrStringAsACondition) {
    EXPECT_EQ(error("syn_count"), "0: fact 'syn_count' is int; a condition needs a comparison");
    EXPECT_EQ(error("server_banner"), "0: fact 'server_banner' is string; a condition needs a comparison");
    EXPECT_EQ(error("syn_seen and syn_count"),
              "13: fact 'syn_count' is int; a condition needs a comparison ('and' joins conditions)");
    EXPECT_EQ(error("not syn_span_s"), "4: fact 'syn_span_s' is real; 'not' needs a condition");
    EXPECT_EQ(error("1 + 2"), "0: '1 + 2' is a number; a condition needs a comparison");
}

TEST_F(ExpressionTest, RejectsTypeMismatches) {
    EXPECT_EQ(error("server_banner == 2"), "14: cannot compare fact 'server_banner' (string) with '2' (number)");
    EXPECT_EQ(error("synack_seen == 1"), "12: cannot compare fact 'synack_seen' (bool) with '1' (number)");
    EXPECT_EQ(error("server_banner < 'b'"), "0: '<' needs numbers, not fact 'server_banner' (string)");
    EXPECT_EQ(error("syn_seen + 1 > 0"), "0: '+' needs numbers, not fact 'syn_seen' (bool)");
    EXPECT_EQ(error("syn_count contains 'a'"), "0: 'contains' needs strings, not fact 'syn_count' (int)");
    EXPECT_EQ(error("server_banner startswith 1"), "25: 'startswith' needs strings, not '1' (number)");
    EXPECT_EQ(error("syn_count matches 'x'"), "0: 'matches' needs strings, not fact 'syn_count' (int)");
    EXPECT_EQ(error("icmp_kind in ['a', 2]"), "19: list item '2' (number) does not match fact 'icmp_kind' (string)");
    EXPECT_EQ(error("-server_banner == ''"), "1: '-' needs numbers, not fact 'server_banner' (string)");
}

TEST_F(ExpressionTest, RejectsInvalidRegularExpressions) {
    EXPECT_EQ(error("server_banner matches '(unclosed'").rfind("22: invalid regular expression '(unclosed': ", 0), 0u);
    EXPECT_EQ(error("server_banner matches server_first_line"),
              "22: 'matches' needs a string literal (the regular expression), found 'server_first_line'");
    EXPECT_EQ(error("server_banner matches '" + std::string(40, '(') + "'"),
              "22: regular expression nested more than 32 groups deep");
}

TEST_F(ExpressionTest, RejectsMalformedSyntax) {
    EXPECT_EQ(error(""), "0: the condition is empty");
    EXPECT_EQ(error("  \n "), "0: the condition is empty");
    EXPECT_EQ(error("syn_count >="), "12: expected a value, but the condition ends here");
    EXPECT_EQ(error("syn_count = 2"), "10: '=' is not an operator; use '==' to compare");
    EXPECT_EQ(error("syn_seen && synack_seen"), "9: use 'and' instead of '&&'");
    EXPECT_EQ(error("syn_seen || synack_seen"), "9: use 'or' instead of '||'");
    EXPECT_EQ(error("!syn_seen"), "0: '!' is not an operator; use 'not'");
    EXPECT_EQ(error("syn_seen synack_seen"),
              "9: unexpected 'synack_seen' after a complete expression (missing 'and' or 'or'?)");
    EXPECT_EQ(error("(syn_seen"), "0: '(' is never closed");
    EXPECT_EQ(error("syn_seen)"), "8: unmatched ')'");
    EXPECT_EQ(error("1 < syn_count < 5"), "14: comparisons cannot be chained; join them with 'and'");
    EXPECT_EQ(error("server_banner == 'abc"), "17: unterminated string (no closing ')");
    EXPECT_EQ(error("syn_count > 1.2.3"), "12: malformed number '1.2.'");
    EXPECT_EQ(error("syn_count > 2 and"), "17: expected a value, but the condition ends here");
    EXPECT_EQ(error("icmp_kind in 'a'"), "13: 'in' needs a list in brackets, e.g. icmp_kind in ['admin-prohibited', "
                                         "'host-prohibited'], found ''a''");
    EXPECT_EQ(error("icmp_kind in ['a' 'b']"), "18: expected ',' or ']' in the list, found ''b''");
    EXPECT_EQ(error("icmp_kind in [server_banner]"),
              "14: list items are literals (numbers, strings, true, false), found 'server_banner'");
    EXPECT_EQ(error("syn_count > 1 AND syn_seen"),
              "14: unexpected 'AND' after a complete expression (missing 'and' or 'or'?)");
    EXPECT_EQ(error("NOT syn_seen"), "0: unknown fact 'NOT' (keywords are lower case: 'not')");
    EXPECT_EQ(error("param > 1"), "0: 'param' must be followed by '.NAME' (e.g. param.silent_drop_min_syns)");
    EXPECT_EQ(error("params.x > 1"),
              "0: 'params.' is not a prefix: facts are written bare (syn_count) or as SCOPE.NAME (capture.packets), "
              "parameters as param.NAME (did you mean 'param'?)");
    EXPECT_EQ(error("syn_count > 1 # comment"), "14: unexpected character '#'");
}

TEST_F(ExpressionTest, RejectsNestingDeeperThanTheLimit) {
    EXPECT_EQ(error(std::string(64, '(') + "syn_seen" + std::string(64, ')')), "");
    EXPECT_EQ(error(std::string(65, '(') + "syn_seen" + std::string(65, ')')),
              "64: the condition is nested too deeply (over 64 levels)");
    std::string nots;
    for (int i = 0; i < 100; ++i) nots += "not ";
    EXPECT_EQ(error(nots + "syn_seen"), "256: the condition is nested too deeply (over 64 levels)");
}

TEST_F(ExpressionTest, EvaluatesLongChainsWithoutDeepRecursion) {
    std::string chain = "syn_count";
    for (int i = 0; i < 5000; ++i) chain += " + 0";
    EXPECT_TRUE(holds(chain + " == 3 and " + chain + " > 2"));
    std::string ors = "synack_seen";
    for (int i = 0; i < 5000; ++i) ors += " or synack_seen";
    EXPECT_FALSE(holds(ors));
}

TEST_F(ExpressionTest, FormatsParametersWithoutNeedlessDecimals) {
    EXPECT_EQ(format_parameter(2), "2");
    EXPECT_EQ(format_parameter(-3), "-3");
    EXPECT_EQ(format_parameter(10.5), "10.5");
    EXPECT_EQ(format_parameter(0.001), "0.001");
}

}  // namespace
}  // namespace sshpath::rules
