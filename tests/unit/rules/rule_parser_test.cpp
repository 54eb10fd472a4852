#include "sshpath/rules/rule_parser.h"

#include <gtest/gtest.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>
#include <string>
#include <vector>

#include "temp_rule_dir.h"

namespace sshpath::rules {
namespace {

using testing::flow_rule;
using testing::kParameters;
using testing::TempRuleDir;

// Every load error names the file and the line where the problem is.
class RuleParserTest : public ::testing::Test {
protected:
    /// Loads a directory holding `text` as a.yaml (and parameters.yaml); returns the error.
    std::string error(const std::string& text, const std::string& parameters = kParameters) {
        dir_.write("a.yaml", text);
        if (!parameters.empty()) dir_.write("parameters.yaml", parameters);
        return dir_.load_error();
    }
    std::string at(int line, const std::string& file = "a.yaml") const {
        return dir_.file(file) + ":" + std::to_string(line) + ": ";
    }

    TempRuleDir dir_;
};

const std::string kHead =  // lines 1-9; the condition goes on line 10, summary 11
    "id: test.rule\n"
    "title: A test rule\n"
    "status: stable\n"
    "description: For tests.\n"
    "priority: 50\n"
    "cause: silent-drop\n"
    "component: unknown\n"
    "candidates: [edge, acl]\n"
    "confidence: medium\n";

TEST_F(RuleParserTest, ParsesFromTextWithoutTheFilesystem) {
    const Rule r = parse_rule(flow_rule("x", "syn_seen"), "mem.yaml", {});
    EXPECT_EQ(r.id, "x");
    EXPECT_EQ(r.file, "mem.yaml");
    EXPECT_TRUE(parse_parameters("", "p.yaml").empty());
    EXPECT_EQ(parse_parameters(kParameters, "p.yaml").size(), 2u);
}

TEST_F(RuleParserTest, ReportsYamlSyntaxErrorsAtTheirLine) {
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: [unclosed\nevidence: []\n"),
              at(12) + "YAML syntax error: end of sequence flow not found (column 9)");
    EXPECT_EQ(error("id: a\n  title: b\n"), at(2) + "YAML syntax error: illegal map value (column 8)");
}

TEST_F(RuleParserTest, ReportsInputThatStallsYamlCppAsASyntaxError) {
    // yaml-cpp 0.7's LoadAll loops forever on these; the loader must not.
    EXPECT_EQ(error(","), at(1) + "YAML syntax error: unexpected character (column 1)");
    EXPECT_EQ(error("\n\n  ,:e:"), at(3) + "YAML syntax error: unexpected character (column 3)");
    EXPECT_THROW(parse_parameters(",", "p.yaml"), RuleError);
}

// What yaml-cpp's parser, run over the whole text, finds after the first document: whether it
// throws or sees a second document start (yaml-cpp 0.7 also "finds" one where the first started
// when it left tokens unread).
bool whole_text_pass_objects(const std::string& text) {
    struct Starts : YAML::EventHandler {
        int count = 0;
        void OnDocumentStart(const YAML::Mark&) override { ++count; }
        void OnDocumentEnd() override {}
        void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
        void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
        void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
        void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
        void OnSequenceEnd() override {}
        void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
        void OnMapEnd() override {}
    } starts;
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        for (int i = 0; i < 2 && parser.HandleNextDocument(starts); ++i) {
        }
    } catch (const YAML::Exception&) {
        return true;
    }
    return starts.count > 1;
}

bool loads(const std::string& text) {
    try {
        YAML::Load(text);
        return true;
    } catch (const YAML::Exception&) {
        return false;
    }
}

// The loader reads a rule file once where nothing can follow its mapping, and counts the
// documents where something can. Checked on a valid rule cut and grown in many ways: wherever
// yaml-cpp, reading the whole text, sees a second document or an error that Load alone does not,
// the rule must fail to load with that.
TEST_F(RuleParserTest, FindsWhatFollowsTheFirstDocumentInMutatedRules) {
    const std::string rule = flow_rule("m", "syn_seen", 50, "evidence: [syn_seen]\n");
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < rule.size();) {
        const auto nl = rule.find('\n', at);
        lines.push_back(rule.substr(at, nl - at + 1));
        at = nl + 1;
    }
    const std::vector<std::string> pieces = {",",     ",x",    "{a: 1}", "[1]",   "---\n", "--- x\n", "...\n", "%YAML 1.2\n",
                                             "]",     "}",     "- x",    "? x",   ": x",   "&a ",     "*a",    "!t ",
                                             "'q'",   "\"q\"", "|\n x", "  ",    "\n",    "#",       "\t",    "x"};
    std::vector<std::string> texts;
    std::string indented;
    for (const auto& line : lines) indented += "  " + line;
    for (const auto& piece : pieces) {
        texts.push_back(piece + "\n" + rule);
        texts.push_back(indented + piece);
        texts.push_back(indented + piece + "\n");
        texts.push_back("{id: m} " + piece);
        texts.push_back("scalar\n" + piece);
        for (std::size_t l = 0; l <= lines.size(); ++l) {
            std::string before, after;
            for (std::size_t i = 0; i < lines.size(); ++i) (i < l ? before : after) += lines[i];
            texts.push_back(before + piece + "\n" + after);  // a line of its own
            texts.push_back(before + piece + after);          // the start of the next line
            if (l < lines.size()) {
                const std::string& line = lines[l];
                const std::size_t mid = line.find(' ') + 1;  // after "key:"
                texts.push_back(before + line.substr(0, mid) + piece + line.substr(mid) + after.substr(line.size()));
            }
        }
    }
    int objected = 0, objected_without_markers = 0;
    for (const auto& text : texts) {
        if (!loads(text) || !whole_text_pass_objects(text)) continue;
        ++objected;
        if (text.find("---") == std::string::npos && text.find("...") == std::string::npos &&
            text.find('%') == std::string::npos)
            ++objected_without_markers;
        const std::string e = error(text);
        EXPECT_TRUE(e.find("YAML syntax error") != std::string::npos ||
                    e.find("found a second YAML document") != std::string::npos)
            << "text:\n" << text << "\nerror: " << e;
    }
    // The mutations reach both kinds: after a document marker and after a root that leaves text.
    EXPECT_GT(objected, 20);
    EXPECT_GT(objected_without_markers, 10);
}

TEST_F(RuleParserTest, RejectsEmptyFilesAndSecondDocuments) {
    EXPECT_EQ(error(""), at(1) + "the file is empty; a rule file holds one mapping (id, title, status, ...)");
    EXPECT_EQ(error("# only a comment\n"), at(1) + "the file is empty; a rule file holds one mapping (id, title, status, ...)");
    EXPECT_EQ(error(flow_rule("a", "syn_seen") + "---\nid: b\n"),
              at(12) + "one rule or parameter set per file; found a second YAML document");
    EXPECT_EQ(error("- id: a\n"), at(1) + "a rule file holds one mapping (id: ..., title: ...), not a list");
}

TEST_F(RuleParserTest, RejectsUnknownKeysAtTheKeyLineWithSuggestion) {
    EXPECT_EQ(error(kHead + "condtion: syn_seen\nsummary: s\n"),
              at(10) + "unknown key 'condtion' in a rule (did you mean 'condition'?)");
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: s\nlevel: high\n"), at(12) + "unknown key 'level' in a rule");
}

TEST_F(RuleParserTest, RejectsDuplicateKeys) {
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: s\ntitle: again\n"),
              at(12) + "duplicate key 'title' (first on line 2)");
}

TEST_F(RuleParserTest, RejectsMissingRequiredKeys) {
    EXPECT_EQ(error(kHead + "summary: s\n"), at(1) + "missing required key 'condition'");
    EXPECT_EQ(error("title: t\n"), at(1) + "missing required key 'id'");
}

TEST_F(RuleParserTest, RejectsWrongTypesAtTheValueLine) {
    std::string text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("title: A test rule"), 18, "title: [a, b]")),
              at(2) + "'title' must be a string, not a list");
    text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("title: A test rule"), 18, "title:")), at(2) + "'title' has no value");
    EXPECT_EQ(error(flow_rule("a", "syn_seen", 50, "references: RFC 793\n")),
              at(12) + "'references' must be a list of strings, not a single value");
    EXPECT_EQ(error(flow_rule("a", "syn_seen", 50, "next_steps:\n  - one\n  - [two]\n")),
              at(14) + "'next_steps' item 2 must be a string, not a list");
    EXPECT_EQ(error(flow_rule("a", "syn_seen", 50, "evidence: {syn_count: 1}\n")),
              at(12) + "'evidence' must be a list of strings, not a mapping");
}

TEST_F(RuleParserTest, RejectsNonIntegerPriorities) {
    for (const std::string bad : {"high", "5.5", "\"50\"", "99999999999", "[1]"}) {
        std::string text = flow_rule("a", "syn_seen");
        text.replace(text.find("priority: 50"), 12, "priority: " + bad);
        const std::string e = error(text);
        EXPECT_EQ(e.substr(0, at(5).size() + 25), at(5) + "'priority' must be an int") << bad;
    }
}

TEST_F(RuleParserTest, RejectsBadIds) {
    EXPECT_EQ(error(flow_rule("Silent_Drop", "syn_seen")),
              at(1) + "id 'Silent_Drop' may only hold lower-case letters, digits, '.' and '-'");
}

TEST_F(RuleParserTest, RejectsDuplicateIdsNamingBothFiles) {
    dir_.write("b.yaml", flow_rule("same.id", "syn_seen"));
    EXPECT_EQ(error(flow_rule("same.id", "syn_seen")),
              at(1, "b.yaml") + "duplicate id 'same.id' (already used in " + dir_.file("a.yaml") + ":1)");
}

TEST_F(RuleParserTest, RejectsValuesOutsideTheContract) {
    std::string text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("cause: silent-drop"), 18, "cause: silent_drop")),
              at(6) + "cause 'silent_drop' is not a contract cause (did you mean 'silent-drop'?)");
    text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("confidence: medium"), 18, "confidence: certain")),
              at(9) + "confidence 'certain' is not a confidence (one of: high, medium, low)");
    text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("[edge, acl, nsg, vm]"), 20, "[edge,\n  firewall]")),
              at(9) + "candidate 'firewall' is not a contract component (one of: client, proxy, edge, acl, nsg, vm, "
                      "path, none, unknown)");
    text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("status: stable"), 14, "status: beta")),
              at(3) + "status 'beta' is not a status (one of: stable, experimental, disabled)");
    EXPECT_EQ(error(flow_rule("a", "syn_seen", 50, "scope: connection\n")),
              at(12) + "scope 'connection' is not a scope (one of: flow, capture, attempt, live, probe, client, cloud, pair)");
}

TEST_F(RuleParserTest, RequiresCandidatesWhenTheComponentIsUnknown) {
    std::string text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("candidates: [edge, acl, nsg, vm]\n"), 33, "")),
              at(7) + "component is unknown, so 'candidates' must list the components that may be at fault");
    text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("[edge, acl, nsg, vm]"), 20, "[]")),
              at(8) + "'candidates' is empty; list the components that may be at fault");
    text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("[edge, acl, nsg, vm]"), 20, "[edge, edge]")),
              at(8) + "candidate 'edge' is listed twice");
}

TEST_F(RuleParserTest, AllowsNoCandidateForOneSidedCapture) {
    std::string text = flow_rule("a", "syn_seen");
    text.replace(text.find("[edge, acl, nsg, vm]"), 20, "[]");
    text.replace(text.find("cause: silent-drop"), 18, "cause: one-sided-capture");
    const Rule r = parse_rule(text, "mem.yaml", {});
    EXPECT_TRUE(r.candidates.empty());
}

TEST_F(RuleParserTest, TiesDisabledReasonToDisabledStatus) {
    std::string text = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(text.replace(text.find("status: stable"), 14, "status: disabled")),
              at(3) + "a disabled rule needs 'disabled_reason' saying why");
    EXPECT_EQ(error(flow_rule("a", "syn_seen", 50, "disabled_reason: flaky\n")),
              at(12) + "'disabled_reason' is only for disabled rules; this one is stable");
}

TEST_F(RuleParserTest, ReportsConditionErrorsWithColumnAndSuggestion) {
    EXPECT_EQ(error(kHead + "condition: syn_cnt >= 2 and not synack_seen\nsummary: s\n"),
              at(10) + "condition, column 12: unknown fact 'syn_cnt' (did you mean 'syn_count'?); here: syn_cnt >= 2 "
                       "and not synack_seen");
    EXPECT_EQ(error(kHead + "condition: \"syn_count >= 2 and synack\"\nsummary: s\n"),
              at(10) + "condition, column 32: unknown fact 'synack' (did you mean 'synack_seen', 'synack_count' or "
                       "'synack_to_our_syn'?); here: synack");
}

TEST_F(RuleParserTest, ReportsConditionErrorsAtTheirLineInsideABlock) {
    EXPECT_EQ(error(kHead +
                    "condition: >\n"
                    "  syn_count >= param.silent_drop_min_syns\n"
                    "  and not synack_seen\n"
                    "  and icmp_errors == 0 and not server_rst_sen\n"
                    "summary: s\n"),
              at(13) + "condition, column 32: unknown fact 'server_rst_sen' (did you mean 'server_rst_seen'?); here: "
                       "server_rst_sen");
    EXPECT_EQ(error(kHead +
                    "condition: |\n"
                    "  syn_count >=\n"
                    "      param.silent_drop_min_syn\n"
                    "summary: s\n"),
              at(12) + "condition, column 7: unknown parameter 'param.silent_drop_min_syn' (did you mean "
                       "'param.silent_drop_min_syns'?); here: param.silent_drop_min_syn");
    EXPECT_EQ(error(kHead +
                    "condition: >-\n"
                    "    syn_count >= 2 and\n"
                    "summary: s\n"),
              at(11) + "condition, column 23: expected a value, but the condition ends here");
}

TEST_F(RuleParserTest, ReportsConditionTypeErrors) {
    EXPECT_EQ(error(kHead + "condition: syn_count\nsummary: s\n"),
              at(10) + "condition, column 12: fact 'syn_count' is int; a condition needs a comparison; here: syn_count");
    EXPECT_EQ(error(kHead + "condition: server_banner > 2\nsummary: s\n"),
              at(10) + "condition, column 12: '>' needs numbers, not fact 'server_banner' (string); here: "
                       "server_banner > 2");
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: s\n").empty(), true);
}

TEST_F(RuleParserTest, ReportsInvalidRegularExpressions) {
    const std::string e = error(kHead + "condition:\n  server_banner matches 'SSH-[0-9'\nsummary: s\n");
    EXPECT_EQ(e.rfind(at(11) + "condition, column 25: invalid regular expression 'SSH-[0-9': ", 0), 0u) << e;
}

TEST_F(RuleParserTest, ReportsFactsOfTheWrongScope) {
    EXPECT_EQ(error(flow_rule("a", "packets > 0")),
              at(10) + "condition, column 12: 'packets' is a capture fact; write capture.packets; here: packets > 0");
    EXPECT_EQ(error(flow_rule("a", "syn_seen", 50, "evidence: [syn_count, packets]\n")),
              at(12) + "evidence: 'packets' is a capture fact; write capture.packets");
}

TEST_F(RuleParserTest, ReportsUnknownEvidenceFactsAtTheirItem) {
    EXPECT_EQ(error(flow_rule("a", "syn_seen", 50, "evidence:\n  - syn_count\n  - syn_retransmit\n")),
              at(14) + "evidence: unknown fact 'syn_retransmit' (did you mean 'syn_retransmits'?)");
}

TEST_F(RuleParserTest, ReportsTemplateErrorsAtTheirLineAndColumn) {
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: \"{syn_count} SYNs to {srv_addr}\"\n"),
              at(11) + "summary, column 32: unknown fact 'srv_addr'; here: srv_addr}");
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: s\nexplanation: |\n  line one {server}\n  two } three\n"),
              at(14) + "explanation, column 7: single '}' (write '}}' for a literal brace); here: } three");
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: s\nnext_steps:\n  - fine {server}\n  - ask {param.nope}\n"),
              at(14) + "next_steps item 2, column 10: unknown parameter 'param.nope'; here: param.nope}");
    EXPECT_EQ(error(kHead + "condition: syn_seen\nsummary: s\nnext_steps: [\"fine\", \"{server\"]\n"),
              at(12) + "next_steps item 2, column 23: '{' is never closed (write '{{' for a literal brace); here: "
                       "{server");
}

TEST_F(RuleParserTest, ReportsParameterFileErrors) {
    const std::string rule = flow_rule("a", "syn_seen");
    EXPECT_EQ(error(rule, "x:\n  value: 2\n  descripton: d\n"),
              at(3, "parameters.yaml") + "unknown key 'descripton' in parameter 'x' (did you mean 'description'?)");
    EXPECT_EQ(error(rule, "x:\n  value: two\n  description: d\n"),
              at(2, "parameters.yaml") + "parameter 'x': 'value' must be a number, not 'two'");
    EXPECT_EQ(error(rule, "x:\n  value: \"2\"\n  description: d\n"),
              at(2, "parameters.yaml") + "parameter 'x': 'value' must be a number, not a quoted string");
    EXPECT_EQ(error(rule, "x:\n  value: 2\n  unit: s\n"), at(1, "parameters.yaml") + "parameter 'x' has no 'description'");
    EXPECT_EQ(error(rule, "x:\n  unit: s\n  description: d\n"), at(1, "parameters.yaml") + "parameter 'x' has no 'value'");
    EXPECT_EQ(error(rule, "ok:\n  value: 1\n  description: d\nBad-Name:\n  value: 1\n  description: d\n"),
              at(4, "parameters.yaml") + "parameter name 'Bad-Name' may only hold lower-case letters, digits and '_'");
    EXPECT_EQ(error(rule, "x: 3\n"),
              at(1, "parameters.yaml") + "parameter 'x' must be a mapping with value, unit and description, not a single value");
    EXPECT_EQ(error(rule, "- x\n"),
              at(1, "parameters.yaml") + "parameters are a mapping of names (name: {value: ..., description: ...}), not a list");
    EXPECT_EQ(error(rule, "x:\n  value: [1\n"), at(3, "parameters.yaml") + "YAML syntax error: end of sequence flow not found (column 1)");
}

TEST_F(RuleParserTest, ErrorMessagesAreOneLine) {
    const std::string e = error(kHead + "condition: |\n  syn_seen and\n  \"a\nb\" == 'x'\nsummary: s\n");
    EXPECT_NE(e, "");
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

const std::string kAttemptHead =  // lines 1-6
    "id: attempt.test\n"
    "title: An attempt rule\n"
    "status: stable\n"
    "description: For tests.\n"
    "scope: attempt\n"
    "priority: 50\n";

TEST_F(RuleParserTest, ParsesRankRulesOfTheAttemptScope) {
    const Rule r = parse_rule(kAttemptHead + "rank: 2\ncondition: cause != 'ok' and flow.syn_count > 1\n", "a.yaml", {});
    EXPECT_EQ(r.scope, facts::Scope::kAttempt);
    EXPECT_EQ(yields(r.scope), Yields::kRank);
    EXPECT_EQ(r.rank, 2);
    EXPECT_TRUE(r.summary.empty());
}

TEST_F(RuleParserTest, ParsesTheDetailOfRankRules) {
    EXPECT_TRUE(parse_rule(kAttemptHead + "rank: 2\ncondition: cause != 'ok'\n", "a.yaml", {}).detail_full);
    EXPECT_FALSE(parse_rule(kAttemptHead + "rank: 0\ndetail: line\ncondition: cause == 'ok'\n", "a.yaml", {}).detail_full);
    EXPECT_TRUE(parse_rule(kAttemptHead + "rank: 1\ndetail: full\ncondition: cause == 'ok'\n", "a.yaml", {}).detail_full);
    EXPECT_EQ(error(kAttemptHead + "rank: 1\ndetail: some\ncondition: cause == 'ok'\n"),
              at(8) + "detail 'some' is not a detail (one of: full, line)");
    EXPECT_EQ(error(kHead + "detail: line\ncondition: syn_seen\nsummary: x\n"),
              at(10) + "'detail' is not for rules of scope flow (they give a verdict: cause, component, ...)");
}

TEST_F(RuleParserTest, RejectsVerdictKeysOutsideVerdictScopes) {
    EXPECT_EQ(error(kAttemptHead + "rank: 1\ncause: ok\ncondition: cause == 'ok'\n"),
              at(8) + "'cause' is not for rules of scope attempt (they give 'rank')");
    EXPECT_EQ(error(kAttemptHead + "condition: cause == 'ok'\n"), at(1) + "missing required key 'rank'");
    EXPECT_EQ(error(kAttemptHead + "rank: high\ncondition: cause == 'ok'\n"), at(7) + "'rank' must be an integer, not 'high'");
    EXPECT_EQ(error(kHead + "rank: 3\ncondition: syn_seen\nsummary: x\n"),
              at(10) + "'rank' is not for rules of scope flow (they give a verdict: cause, component, ...)");
}

TEST_F(RuleParserTest, ParsesStopRulesOfTheLiveScope) {
    const std::string head = "id: live.test\ntitle: t\nstatus: stable\ndescription: d\nscope: live\npriority: 5\n";
    EXPECT_EQ(error(head + "stop: maybe\ncondition: capture.packets > 0\n"), at(7) + "'stop' must be true or false, not 'maybe'");
    EXPECT_EQ(error(head + "stop: true\nrank: 2\ncondition: capture.packets > 0\n"),
              at(8) + "'rank' is not for rules of scope live (they give 'stop')");
    const Rule r = parse_rule(head + "stop: true\ncondition: capture.packets > 0\n", "a.yaml", {});
    EXPECT_TRUE(r.stop);
}

TEST_F(RuleParserTest, ParsesPairRulesWithTheirSegment) {
    const std::string head = "id: pair.test\ntitle: t\nstatus: stable\ndescription: d\nscope: pair\npriority: 5\n";  // lines 1-6
    const Rule own = parse_rule(head + "segment: vm\ncause: silent-drop\ncomponent: vm\nconfidence: high\n"
                                       "condition: syns_arrived > 0 and flow.syn_count > 1\nsummary: s\n",
                                "a.yaml", {});
    ASSERT_TRUE(own.segment.has_value());
    EXPECT_EQ(*own.segment, contract::Segment::kVm);
    EXPECT_FALSE(own.keep_verdict);
    const Rule kept = parse_rule(head + "segment: client-to-vm\nkeep_verdict: true\ncondition: not matched\nsummary: s\n"
                                        "evidence: [syns_sent]\n",
                                 "a.yaml", {});
    EXPECT_TRUE(kept.keep_verdict);
    EXPECT_EQ(kept.evidence.size(), 1u);
    EXPECT_EQ(error(head + "keep_verdict: true\ncondition: matched\nsummary: s\n"), at(1) + "missing required key 'segment'");
    EXPECT_EQ(error(head + "segment: nowhere\nkeep_verdict: true\ncondition: matched\nsummary: s\n"),
              at(7) + "segment 'nowhere' is not a segment (one of: none, client, client-to-vm, vm-to-client, between, vm)");
    EXPECT_EQ(error(head + "segment: vm\nkeep_verdict: true\ncause: ok\ncondition: matched\nsummary: s\n"),
              at(9) + "'cause' is not for a rule with keep_verdict: true (the client capture's verdict stands)");
    EXPECT_EQ(error(kHead + "segment: vm\ncondition: syn_seen\nsummary: x\n"),
              at(10) + "'segment' is only for rules of scope pair (two captures of one attempt)");
}

}  // namespace
}  // namespace sshpath::rules
