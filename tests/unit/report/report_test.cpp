#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sshpath/core/contract.h"
#include "sshpath/engine/analyzer.h"
#include "sshpath/report/report.h"

using namespace sshpath;

namespace {

class ReportTest : public ::testing::Test {
protected:
    void SetUp() override {
        capture_ = std::string(SSHPATH_SOURCE_DIR) + "/captures/edge-silent-drop-noarp.pcap";  // SYNs only: packet 1 is the first SYN
        if (!std::filesystem::exists(capture_)) GTEST_SKIP() << "capture not recorded";
        rules_ = rules::RuleSet::load(std::string(SSHPATH_SOURCE_DIR) + "/rules");
        analysis_ = engine::analyze({capture_}, engine::AnalyzeOptions{}, rules_);
        options_.version = "test";
    }
    std::string capture_;
    rules::RuleSet rules_;
    engine::Analysis analysis_;
    report::ReportOptions options_;
};

}  // namespace

TEST_F(ReportTest, JsonFollowsTheVerdictContract) {
    auto j = nlohmann::json::parse(report::render_json(analysis_, options_));
    EXPECT_EQ(j["schema_version"], contract::kSchemaVersion);
    const auto& v = j["verdict"];
    for (const char* key : {"cause", "component", "candidates", "confidence", "summary", "evidence", "next_steps", "rule"})
        EXPECT_TRUE(v.contains(key)) << key;
    EXPECT_TRUE(contract::is_cause(v["cause"].get<std::string>()));
    EXPECT_TRUE(contract::is_component(v["component"].get<std::string>()));
    EXPECT_TRUE(contract::is_confidence(v["confidence"].get<std::string>()));
    EXPECT_EQ(v["cause"], "silent-drop");
    EXPECT_EQ(v["component"], "unknown");
    EXPECT_EQ(v["candidates"], nlohmann::json({"edge", "acl", "nsg", "vm"}));
    ASSERT_FALSE(v["evidence"].empty());
    EXPECT_EQ(v["evidence"][0]["packet"], 1);
    ASSERT_EQ(j["flows"].size(), 1u);
    EXPECT_EQ(j["flows"][0]["verdict"]["cause"], "silent-drop");
    EXPECT_EQ(j["flows"][0]["facts"]["syn_count"], j["captures"][0]["packets"]);
    EXPECT_FALSE(v.contains("matched_rules"));
}

TEST_F(ReportTest, ExplainListsMatchingRulesWithInputs) {
    engine::AnalyzeOptions explain;
    explain.explain = true;
    analysis_ = engine::analyze({capture_}, explain, rules_);
    options_.explain = true;
    auto j = nlohmann::json::parse(report::render_json(analysis_, options_));
    const auto& m = j["verdict"]["matched_rules"];
    ASSERT_GE(m.size(), 3u);  // the two silent-drop rules and the fallback
    // The capture holds nothing but TCP to port 22 (no ARP, no ICMP): the rule that says an ICMP
    // error could not have been recorded wins over the plain silent drop, which matched too.
    EXPECT_EQ(m[0]["rule"], "silent-drop.capture-filtered");
    EXPECT_TRUE(m[0]["inputs"].contains("syn_count"));
    EXPECT_TRUE(m[0]["inputs"].contains("capture.only_ssh_port_tcp"));
    EXPECT_EQ(m[1]["rule"], "silent-drop.syn-unanswered");
    EXPECT_EQ(m.back()["rule"], "unknown.no-rule-fits");
    std::string text = report::render_text(analysis_, options_);
    EXPECT_NE(text.find("Rules that matched"), std::string::npos);
}

TEST_F(ReportTest, JsonTimelineGivesEachEventsFields) {
    auto j = nlohmann::json::parse(report::render_json(analysis_, options_));
    const auto& tl = j["flows"][0]["timeline"];
    ASSERT_GE(tl.size(), 2u);
    EXPECT_EQ(tl[0]["event"], "syn");
    EXPECT_EQ(tl[0]["from"], "client");
    EXPECT_EQ(tl[0]["ttl"], 64);
    EXPECT_TRUE(tl[0]["options"].contains("mss"));
    EXPECT_EQ(tl[1]["event"], "syn-retransmit");
    EXPECT_EQ(tl[1]["retransmission"], 1);
    EXPECT_GT(tl[1]["after_first_s"].get<double>(), 0.5);
    EXPECT_EQ(tl[1]["what"].get<std::string>().rfind("SYN retransmitted (1st), ", 0), 0u);
}

TEST_F(ReportTest, TextStartsWithTheVerdict) {
    std::string text = report::render_text(analysis_, options_);
    auto verdict_pos = text.find("VERDICT     silent-drop");
    ASSERT_NE(verdict_pos, std::string::npos);
    EXPECT_LT(verdict_pos, text.find("Evidence"));
    EXPECT_LT(text.find("Evidence"), text.find("Next steps"));
    EXPECT_LT(text.find("Next steps"), text.find("Connections (1)"));
    EXPECT_NE(text.find("#1 "), std::string::npos);
}

TEST_F(ReportTest, MarkdownHasVerdictTableAndTimeline) {
    std::string md = report::render_markdown(analysis_, options_);
    EXPECT_NE(md.find("| cause | `silent-drop` |"), std::string::npos);
    EXPECT_NE(md.find("| candidates | `edge`, `acl`, `nsg`, `vm` |"), std::string::npos);
    EXPECT_NE(md.find("```"), std::string::npos);
}
