#include <gtest/gtest.h>

#include "sshpath/core/error.h"
#include "sshpath/rules/rule_set.h"
#include "temp_rule_dir.h"

namespace sshpath::rules {
namespace {

using testing::TempRuleDir;

const char* kTable = R"(edge:
  description: the edge
  behaviours: [silent-drop, reset, icmp]
nsg:
  description: the NSG
  behaviours: [silent-drop]
vm:
  description: the VM
  behaviours: [silent-drop, reset, icmp]
)";

std::string reset_rule(const std::string& component, const std::string& candidates) {
    return "id: r\ntitle: t\nstatus: stable\ndescription: d\npriority: 50\ncause: forged-reset\ncomponent: " + component +
           "\n" + (candidates.empty() ? "" : "candidates: " + candidates + "\n") +
           "confidence: high\nbehaviour: reset\ncondition: server_rst_seen\nsummary: s\n";
}

TEST(ComponentsTest, KeepsOnlyCandidatesThatCanShowTheBehaviour) {
    TempRuleDir dir;
    dir.write("components.yaml", kTable);
    dir.write("r.yaml", reset_rule("unknown", "[vm, nsg, edge]"));
    const RuleSet set = RuleSet::load(dir.path());
    ASSERT_EQ(set.components().size(), 3u);
    EXPECT_EQ(contract::names(set.find("r")->candidates), (std::vector<std::string>{"vm", "edge"}));
}

TEST(ComponentsTest, WithoutTheTableNoCandidateIsDropped) {
    TempRuleDir dir;
    dir.write("r.yaml", reset_rule("unknown", "[vm, nsg, edge]"));
    EXPECT_EQ(contract::names(RuleSet::load(dir.path()).find("r")->candidates),
              (std::vector<std::string>{"vm", "nsg", "edge"}));
}

TEST(ComponentsTest, RefusesARuleNamingAComponentThatCannotBehaveSo) {
    TempRuleDir dir;
    dir.write("components.yaml", kTable);
    dir.write("r.yaml", reset_rule("nsg", ""));
    EXPECT_EQ(dir.load_error(), dir.file("r.yaml") + ":9: component nsg cannot show behaviour 'reset' (components.yaml)");
    dir.write("r.yaml", reset_rule("unknown", "[nsg]"));
    EXPECT_EQ(dir.load_error(), dir.file("r.yaml") + ":10: no candidate can show behaviour 'reset' (components.yaml)");
}

TEST(ComponentsTest, RejectsAMalformedTable) {
    TempRuleDir dir;
    dir.write("r.yaml", reset_rule("unknown", "[vm]"));
    dir.write("components.yaml", "edgy:\n  behaviours: [reset]\n");
    EXPECT_EQ(dir.load_error(), dir.file("components.yaml") +
                                    ":1: 'edgy' is not a contract component (one of: client, proxy, edge, acl, nsg, vm, path, "
                                    "none, unknown)");
    dir.write("components.yaml", "edge:\n  behaviours: [rst]\n");
    EXPECT_EQ(dir.load_error(), dir.file("components.yaml") +
                                    ":2: behaviour 'rst' is not one of: silent-drop, reset, icmp, protocol-reply");
}

}  // namespace
}  // namespace sshpath::rules
