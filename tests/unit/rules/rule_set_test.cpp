#include "sshpath/rules/rule_set.h"

#include <gtest/gtest.h>

#include "temp_rule_dir.h"

namespace sshpath::rules {
namespace {

using facts::FactSet;
using facts::Scope;
using testing::flow_rule;
using testing::kParameters;
using testing::TempRuleDir;

constexpr const char* kFullRule = R"(id: silent-drop.syn-unanswered
title: SYNs to the server went unanswered
status: stable
description: >
  The client sent SYNs and nothing came back.
references: [RFC 793, RFC 6298]
scope: flow
priority: 50
cause: silent-drop
component: unknown
candidates: [edge, acl, nsg, vm]
confidence: medium
condition: >
  syn_count >= param.silent_drop_min_syns and not synack_seen
  and icmp_errors == 0 and not server_rst_seen
summary: "{syn_count} SYNs to {server} over {syn_span_s} s; nothing came back"
explanation: |
  The client retransmitted its SYN {syn_retransmits} times
  (threshold {param.silent_drop_min_syns}, {{literal}}).
evidence: [syn_count, syn_retransmits]
next_steps:
  - Capture on the server side of {server}
  - "Check the NSG"
falsepositives:
  - The capture point is before a device that answers
)";

std::string with_status(std::string rule, const std::string& status) {
    return rule.replace(rule.find("status: stable"), 14, "status: " + status);
}

std::vector<std::string> ids(const std::vector<RuleMatch>& matches) {
    std::vector<std::string> out;
    for (const auto& m : matches) out.push_back(m.rule->id);
    return out;
}

class RuleSetTest : public ::testing::Test {
protected:
    void SetUp() override {
        dropped_.set("syn_count", std::int64_t{3});
        dropped_.set("syn_retransmits", std::int64_t{2});
        dropped_.set("syn_seen", true);
        dropped_.set("syn_span_s", 3.0);
        dropped_.set("server", std::string("203.0.113.5:22"));
    }

    TempRuleDir dir_;
    FactSet dropped_{Scope::kFlow};
};

TEST_F(RuleSetTest, LoadsARuleWithEveryField) {
    dir_.write("silent-drop.yaml", kFullRule);
    dir_.write("parameters.yaml", kParameters);
    const RuleSet set = RuleSet::load(dir_.path());
    ASSERT_EQ(set.rules().size(), 1u);
    const Rule& r = set.rules()[0];
    EXPECT_EQ(r.id, "silent-drop.syn-unanswered");
    EXPECT_EQ(r.title, "SYNs to the server went unanswered");
    EXPECT_EQ(r.status, Status::kStable);
    EXPECT_TRUE(r.enabled());
    EXPECT_EQ(r.disabled_reason, "");
    EXPECT_EQ(r.description, "The client sent SYNs and nothing came back.");
    EXPECT_EQ(r.references, (std::vector<std::string>{"RFC 793", "RFC 6298"}));
    EXPECT_EQ(r.scope, Scope::kFlow);
    EXPECT_EQ(r.priority, 50);
    EXPECT_EQ(r.cause, contract::Cause::kSilentDrop);
    EXPECT_EQ(r.component, contract::Component::kUnknown);
    EXPECT_EQ(r.candidates, (std::vector<contract::Component>{contract::Component::kEdge, contract::Component::kAcl,
                                                             contract::Component::kNsg, contract::Component::kVm}));
    EXPECT_EQ(r.confidence, contract::Confidence::kMedium);
    EXPECT_EQ(r.condition->text(),
              "syn_count >= param.silent_drop_min_syns and not synack_seen and icmp_errors == 0 and not server_rst_seen");
    ASSERT_NE(r.condition, nullptr);
    EXPECT_EQ(r.condition->conjunct_count(), 4u);
    EXPECT_EQ(r.summary.text(), "{syn_count} SYNs to {server} over {syn_span_s} s; nothing came back");
    EXPECT_EQ(r.explanation.text(),
              "The client retransmitted its SYN {syn_retransmits} times\n(threshold {param.silent_drop_min_syns}, "
              "{{literal}}).");
    ASSERT_EQ(r.evidence.size(), 2u);
    EXPECT_EQ(r.evidence[0]->name, "syn_count");
    EXPECT_EQ(r.evidence[1]->name, "syn_retransmits");
    ASSERT_EQ(r.next_steps.size(), 2u);
    EXPECT_EQ(r.next_steps[0].text(), "Capture on the server side of {server}");
    EXPECT_EQ(r.next_steps[1].text(), "Check the NSG");
    EXPECT_EQ(r.falsepositives, (std::vector<std::string>{"The capture point is before a device that answers"}));
    EXPECT_EQ(r.file, dir_.file("silent-drop.yaml"));
    EXPECT_EQ(r.line, 1);
    EXPECT_EQ(set.directory(), dir_.path());
}

TEST_F(RuleSetTest, LoadsParameters) {
    dir_.write("a.yaml", flow_rule("a", "syn_seen"));
    dir_.write("parameters.yaml", kParameters);
    const RuleSet set = RuleSet::load(dir_.path());
    ASSERT_EQ(set.parameters().size(), 2u);
    const Parameter& p = set.parameters().at("silent_drop_min_syns");
    EXPECT_EQ(p.name, "silent_drop_min_syns");
    EXPECT_EQ(p.value, 2);
    EXPECT_EQ(p.unit, "packets");
    EXPECT_EQ(p.description, "SYNs without any answer before a drop is called");
    EXPECT_EQ(p.line, 1);
    EXPECT_EQ(set.parameters().at("banner_timeout_s").value, 10.5);
    EXPECT_EQ(set.parameter_values().at("banner_timeout_s"), 10.5);
}

TEST_F(RuleSetTest, MissingParameterFileMeansNoParameters) {
    dir_.write("a.yaml", flow_rule("a", "syn_seen"));
    EXPECT_TRUE(RuleSet::load(dir_.path()).parameters().empty());
}

TEST_F(RuleSetTest, ReadsYamlAndYmlFilesInNameOrderSkippingOthers) {
    dir_.write("b.yml", flow_rule("rule-b", "syn_seen"));
    dir_.write("a.yaml", flow_rule("rule-a", "syn_seen"));
    dir_.write("c.yaml", flow_rule("rule-c", "syn_seen"));
    dir_.write("notes.txt", "not a rule");
    dir_.write(".hidden.yaml", "garbage: [");
    std::filesystem::create_directory(dir_.path() / "sub");
    dir_.write("sub/d.yaml", "garbage: [");
    const RuleSet set = RuleSet::load(dir_.path());
    ASSERT_EQ(set.rules().size(), 3u);
    EXPECT_EQ(set.rules()[0].id, "rule-a");
    EXPECT_EQ(set.rules()[1].id, "rule-b");
    EXPECT_EQ(set.rules()[2].id, "rule-c");
    EXPECT_EQ(set.rules()[1].file, dir_.file("b.yml"));
}

// The files are parsed side by side; the problem reported is still that of the first file, in
// name order, that has one, whichever kind it is and whichever thread met it first.
TEST_F(RuleSetTest, ReportsTheFirstProblemInNameOrder) {
    auto name = [](int i) { return "r" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".yaml"; };
    for (int i = 0; i < 40; ++i) dir_.write(name(i), flow_rule("rule-" + std::to_string(i), "syn_seen"));
    dir_.write(name(35), "id: [unclosed\n");
    EXPECT_EQ(dir_.load_error(), dir_.file(name(35)) + ":2: YAML syntax error: end of sequence flow not found (column 1)");
    dir_.write(name(30), flow_rule("rule-30", "no_such_fact"));
    EXPECT_NE(dir_.load_error().find(dir_.file(name(30)) + ":10: "), std::string::npos) << dir_.load_error();
    // A duplicate id is found only once the files before it are taken: it still comes first.
    dir_.write(name(7), flow_rule("rule-3", "syn_seen"));
    EXPECT_EQ(dir_.load_error(), dir_.file(name(7)) + ":1: duplicate id 'rule-3' (already used in " + dir_.file(name(3)) + ":1)");
    dir_.write(name(2), "id: a\n  title: b\n");
    EXPECT_EQ(dir_.load_error(), dir_.file(name(2)) + ":2: YAML syntax error: illegal map value (column 8)");
}

TEST_F(RuleSetTest, EvaluatesMatchingRulesWithTheirInputs) {
    dir_.write("silent-drop.yaml", kFullRule);
    dir_.write("parameters.yaml", kParameters);
    const RuleSet set = RuleSet::load(dir_.path());
    const auto matches = set.evaluate(dropped_);
    ASSERT_EQ(matches.size(), 1u);
    EXPECT_EQ(matches[0].rule, &set.rules()[0]);
    EXPECT_EQ(matches[0].inputs, (std::vector<std::pair<std::string, std::string>>{{"syn_count", "3"},
                                                                                   {"param.silent_drop_min_syns", "2"},
                                                                                   {"synack_seen", "false"},
                                                                                   {"icmp_errors", "0"},
                                                                                   {"server_rst_seen", "false"}}));
    FactSet answered = dropped_;
    answered.set("synack_seen", true);
    EXPECT_TRUE(set.evaluate(answered).empty());
    FactSet one_syn = dropped_;
    one_syn.set("syn_count", std::int64_t{1});
    EXPECT_TRUE(set.evaluate(one_syn).empty());
}

TEST_F(RuleSetTest, OrdersByPriorityThenSpecificityThenId) {
    dir_.write("1.yaml", flow_rule("low", "syn_seen and syn_count > 1 and not synack_seen", 10));
    dir_.write("2.yaml", flow_rule("high", "syn_seen", 90));
    dir_.write("3.yaml", flow_rule("mid-general", "syn_seen", 50));
    dir_.write("4.yaml", flow_rule("mid-specific", "syn_seen and (syn_count > 2 and syn_count < 5)", 50));
    dir_.write("5.yaml", flow_rule("mid-b", "syn_seen and syn_count > 1", 50));
    dir_.write("6.yaml", flow_rule("mid-a", "syn_seen and syn_count > 2", 50));
    dir_.write("7.yaml", flow_rule("mid-or", "syn_seen and synack_seen or syn_count > 2", 50));
    const RuleSet set = RuleSet::load(dir_.path());
    EXPECT_EQ(ids(set.evaluate(dropped_)),
              (std::vector<std::string>{"high", "mid-specific", "mid-a", "mid-b", "mid-general", "mid-or", "low"}));
}

TEST_F(RuleSetTest, SkipsDisabledRules) {
    dir_.write("a.yaml", flow_rule("enabled", "syn_seen"));
    dir_.write("b.yaml", with_status(flow_rule("off", "syn_seen", 99, "disabled_reason: needs a fact we do not record yet\n"),
                                     "disabled"));
    dir_.write("c.yaml", with_status(flow_rule("trial", "syn_seen"), "experimental"));
    const RuleSet set = RuleSet::load(dir_.path());
    ASSERT_EQ(set.rules().size(), 3u);
    EXPECT_FALSE(set.find("off")->enabled());
    EXPECT_EQ(set.find("off")->disabled_reason, "needs a fact we do not record yet");
    EXPECT_EQ(ids(set.evaluate(dropped_)), (std::vector<std::string>{"enabled", "trial"}));
    EXPECT_EQ(set.trace(dropped_).size(), 2u);
}

TEST_F(RuleSetTest, EvaluatesCaptureRulesOnlyOnCaptureFacts) {
    dir_.write("flow.yaml", flow_rule("flow-rule", "not synack_seen"));
    dir_.write("capture.yaml", R"(id: no-attempt.no-flows
title: No SSH attempt in the capture
status: stable
description: Nothing to the SSH port.
scope: capture
priority: 100
cause: no-attempt
component: client
confidence: high
condition: flows == 0 and packets >= 0
summary: "{packets} packets, none to port {ssh_port}"
evidence: [flows]
)");
    const RuleSet set = RuleSet::load(dir_.path());
    const Rule* capture_rule = set.find("no-attempt.no-flows");
    ASSERT_NE(capture_rule, nullptr);
    EXPECT_EQ(capture_rule->scope, Scope::kCapture);
    EXPECT_EQ(capture_rule->candidates, (std::vector<contract::Component>{contract::Component::kClient}));

    FactSet capture(Scope::kCapture);
    capture.set("packets", std::int64_t{12});
    EXPECT_EQ(ids(set.evaluate(capture)), (std::vector<std::string>{"no-attempt.no-flows"}));
    EXPECT_EQ(ids(set.evaluate(FactSet(Scope::kFlow))), (std::vector<std::string>{"flow-rule"}));
    EXPECT_EQ(capture_rule->summary.render(capture), "12 packets, none to port 22");
}

TEST_F(RuleSetTest, RendersTemplatesWithFactsParametersAndBraces) {
    dir_.write("silent-drop.yaml", kFullRule);
    dir_.write("parameters.yaml", kParameters);
    const RuleSet set = RuleSet::load(dir_.path());
    const Rule& r = set.rules()[0];
    EXPECT_EQ(r.summary.render(dropped_), "3 SYNs to 203.0.113.5:22 over 3 s; nothing came back");
    EXPECT_EQ(r.explanation.render(dropped_), "The client retransmitted its SYN 2 times\n(threshold 2, {literal}).");
    EXPECT_EQ(r.next_steps[0].render(dropped_), "Capture on the server side of 203.0.113.5:22");
}

TEST_F(RuleSetTest, TracesEveryRuleWithItsConjuncts) {
    dir_.write("a.yaml", flow_rule("answered", "syn_seen and synack_seen", 60));
    dir_.write("b.yaml", flow_rule("seen", "syn_seen", 50));
    const RuleSet set = RuleSet::load(dir_.path());
    const auto traces = set.trace(dropped_);
    ASSERT_EQ(traces.size(), 2u);
    EXPECT_EQ(traces[0].rule->id, "answered");
    EXPECT_FALSE(traces[0].matched);
    ASSERT_EQ(traces[0].conjuncts.size(), 2u);
    EXPECT_EQ(traces[0].conjuncts[0].text, "syn_seen");
    EXPECT_TRUE(traces[0].conjuncts[0].holds);
    EXPECT_EQ(traces[0].conjuncts[1].text, "synack_seen");
    EXPECT_FALSE(traces[0].conjuncts[1].holds);
    EXPECT_EQ(traces[0].inputs, (std::vector<std::pair<std::string, std::string>>{{"syn_seen", "true"},
                                                                                  {"synack_seen", "false"}}));
    EXPECT_TRUE(traces[1].matched);
}

TEST_F(RuleSetTest, FindsRulesById) {
    dir_.write("a.yaml", flow_rule("a.one", "syn_seen"));
    const RuleSet set = RuleSet::load(dir_.path());
    ASSERT_NE(set.find("a.one"), nullptr);
    EXPECT_EQ(set.find("a.one")->title, "A test rule");
    EXPECT_EQ(set.find("a.two"), nullptr);
}

TEST_F(RuleSetTest, BuildsFromSourcesWithoutTheFilesystem) {
    const RuleSet set = RuleSet::from_sources({{"mem/a.yaml", flow_rule("a", "syn_count >= param.silent_drop_min_syns")}},
                                              RuleSource{"mem/parameters.yaml", kParameters});
    ASSERT_EQ(set.rules().size(), 1u);
    EXPECT_EQ(set.rules()[0].file, "mem/a.yaml");
    EXPECT_EQ(ids(set.evaluate(dropped_)), (std::vector<std::string>{"a"}));
    EXPECT_TRUE(RuleSet::from_sources({}).rules().empty());
}

TEST_F(RuleSetTest, RejectsAMissingDirectoryWithLineZero) {
    const auto missing = dir_.path() / "nope";
    try {
        RuleSet::load(missing);
        FAIL() << "no error";
    } catch (const RuleError& e) {
        EXPECT_EQ(std::string(e.what()), missing.string() + ":0: rule directory not found");
        EXPECT_EQ(e.line(), 0);
        EXPECT_EQ(e.file(), missing.string());
    }
}

TEST_F(RuleSetTest, RejectsAFileGivenAsTheDirectory) {
    dir_.write("a.yaml", flow_rule("a", "syn_seen"));
    const auto file = dir_.path() / "a.yaml";
    try {
        RuleSet::load(file);
        FAIL() << "no error";
    } catch (const RuleError& e) {
        EXPECT_EQ(std::string(e.what()), file.string() + ":0: not a directory (expected the rule directory)");
    }
}

TEST_F(RuleSetTest, RejectsADirectoryWithoutRuleFiles) {
    EXPECT_EQ(dir_.load_error(), dir_.path().string() + ":0: no rule files (*.yaml, *.yml) in the rule directory");
    dir_.write("parameters.yaml", kParameters);
    dir_.write("README.md", "# rules");
    EXPECT_EQ(dir_.load_error(), dir_.path().string() + ":0: no rule files (*.yaml, *.yml) in the rule directory");
}

}  // namespace
}  // namespace sshpath::rules
