#include "sshpath/rules/rules_ref.h"

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "sshpath/core/error.h"
#include "temp_rule_dir.h"

namespace sshpath::rules {
namespace {

using testing::flow_rule;
using testing::kParameters;
using testing::TempRuleDir;

TEST(RulesLoadingTest, GivesTheDirectorysRulesOnceLoaded) {
    TempRuleDir dir;
    dir.write("parameters.yaml", kParameters);
    dir.write("a.yaml", flow_rule("test.a", "syn_count >= param.silent_drop_min_syns"));
    dir.write("b.yaml", flow_rule("test.b", "not synack_seen"));
    const RulesLoading loading([&] { return RuleSet::load(dir.path()); });
    const RuleSet& rules = loading.get();
    ASSERT_EQ(rules.rules().size(), 2u);
    EXPECT_EQ(rules.rules()[0].id, "test.a");
    EXPECT_EQ(rules.rules()[1].id, "test.b");
    EXPECT_FALSE(loading.failed());
    // Asked again (by each capture's end), the same set, not a second load.
    EXPECT_EQ(&loading.get(), &rules);
    const RulesRef ref(loading);
    EXPECT_EQ(&ref.get(), &rules);
}

TEST(RulesLoadingTest, ABadDirectoryThrowsItsErrorEachTimeItIsAsked) {
    TempRuleDir dir;
    dir.write("broken.yaml", flow_rule("test.broken", "syn_cnt > 1"));
    const RulesLoading loading([&] { return RuleSet::load(dir.path()); });
    for (int i = 0; i < 2; ++i) {
        try {
            loading.get();
            FAIL() << "a rule reading an unknown fact loaded";
        } catch (const RuleError& e) {
            EXPECT_NE(std::string(e.what()).find(dir.file("broken.yaml") + ":"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("syn_cnt"), std::string::npos) << e.what();
        }
        EXPECT_TRUE(loading.failed());
    }
}

TEST(RulesLoadingTest, NotFailedWhileStillLoading) {
    std::promise<void> go;
    std::shared_future<void> released = go.get_future().share();
    const RulesLoading loading([released] {
        released.wait();
        return RuleSet::from_sources({});
    });
    EXPECT_FALSE(loading.failed());  // still waiting: neither loaded nor failed
    go.set_value();
    EXPECT_TRUE(loading.get().rules().empty());
    EXPECT_FALSE(loading.failed());
}

TEST(RulesRefTest, ALoadedSetIsItsOwnReference) {
    const RuleSet rules = RuleSet::from_sources({});
    const RulesRef ref(rules);
    EXPECT_EQ(&ref.get(), &rules);
}

}  // namespace
}  // namespace sshpath::rules
