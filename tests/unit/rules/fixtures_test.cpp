#include "sshpath/rules/fixtures.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sshpath/core/error.h"
#include "temp_rule_dir.h"

namespace sshpath::rules {
namespace {

using testing::flow_rule;
using testing::TempRuleDir;

class FixturesTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_.write("drop.yaml", flow_rule("drop", "syn_count >= 2 and not synack_seen", 50));
        std::filesystem::create_directories(std::filesystem::path(dir_.path()) / "tests");
    }
    FixtureReport run() { return test_rules(RuleSet::load(dir_.path()), std::filesystem::path(dir_.path()) / "tests"); }

    TempRuleDir dir_;
};

const char* kDropFixtures = R"(rule: drop
decides:
  - name: two SYNs, nothing back
    flow: {syn_count: 2}
rejects:
  - name: a SYN-ACK came back
    flow: {syn_count: 2, synack_seen: true}
)";

TEST_F(FixturesTest, PassesWhenTheRuleDecidesAndRejectsItsFixtures) {
    dir_.write("tests/drop.yaml", kDropFixtures);
    const FixtureReport r = run();
    ASSERT_EQ(r.results.size(), 2u);
    EXPECT_TRUE(r.passed());
    EXPECT_TRUE(r.results[0].decides);
    EXPECT_FALSE(r.results[1].decides);
}

TEST_F(FixturesTest, FailsWhenAnotherRuleShadowsIt) {
    dir_.write("tests/drop.yaml", kDropFixtures);
    dir_.write("shadow.yaml", flow_rule("shadow", "syn_count >= 1", 90));
    const FixtureReport r = run();
    EXPECT_FALSE(r.passed());
    ASSERT_FALSE(r.results[0].passed);
    EXPECT_EQ(r.results[0].problem, "decided by shadow");
    // The new rule has no fixtures of its own either.
    ASSERT_EQ(r.uncovered.size(), 1u);
    EXPECT_EQ(r.uncovered[0], "shadow: no 'decides' or 'rejects' fixture");
}

TEST_F(FixturesTest, FailsWhenTheConditionHoldsOnARejectFixture) {
    dir_.write("tests/drop.yaml", R"(rule: drop
decides:
  - name: two SYNs
    flow: {syn_count: 2}
rejects:
  - name: three SYNs (wrongly listed)
    flow: {syn_count: 3}
)");
    const FixtureReport r = run();
    EXPECT_FALSE(r.passed());
    EXPECT_EQ(r.results[1].problem, "its condition holds");
}

TEST_F(FixturesTest, RejectsMalformedFixtureFilesWithFileAndLine) {
    dir_.write("tests/drop.yaml", "rule: drop\ndecides:\n  - name: x\n    flow: {syn_cnt: 2}\n");
    try {
        run();
        FAIL() << "no error";
    } catch (const RuleError& e) {
        EXPECT_EQ(std::string(e.what()), dir_.file("tests/drop.yaml") + ":4: unknown flow fact 'syn_cnt'");
    }
    dir_.write("tests/drop.yaml", "rule: drop\ndecides:\n  - name: x\n    flow: {syn_count: many}\n");
    EXPECT_THROW(run(), RuleError);
    dir_.write("tests/drop.yaml", "rule: nope\n");
    EXPECT_THROW(run(), RuleError);
}

}  // namespace
}  // namespace sshpath::rules
