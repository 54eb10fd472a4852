#include "sshpath/cloud/load.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sshpath/core/error.h"

namespace sshpath::cloud {
namespace {

std::string fixture(const std::string& name) { return std::string(SSHPATH_SOURCE_DIR) + "/tests/fixtures/cloud/" + name; }

std::string read(const std::string& name) {
    std::ifstream in(fixture(name));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The one-line message load_text throws for `text`, or "" when it loads.
std::string error_of(const std::string& text) {
    Policy p;
    try {
        load_text(p, text, "x.json");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

const Rule* find(const RuleTable& t, const std::string& name) {
    auto it = std::find_if(t.rules.begin(), t.rules.end(), [&](const Rule& r) { return r.name == name; });
    return it == t.rules.end() ? nullptr : &*it;
}

class LoadTest : public ::testing::Test {};

TEST_F(LoadTest, ReadsNsgShowWithDefaultsPluralArraysAndGroups) {
    Policy p = load_files({fixture("azure-nsg-show.json")});
    ASSERT_EQ(p.tables.size(), 1u);
    const RuleTable& t = p.tables[0];
    EXPECT_EQ(t.name, "nsg-web");
    EXPECT_EQ(t.resource_group, "rg-ssh");
    EXPECT_EQ(t.level, Level::kSubnet);
    EXPECT_FALSE(t.defaults_added);
    EXPECT_EQ(t.rules.size(), 12u);  // 6 rules and the 6 default rules of the export
    EXPECT_TRUE(std::is_sorted(t.rules.begin(), t.rules.end(), [](const Rule& a, const Rule& b) { return a.priority < b.priority; }));
    const Rule* office = find(t, "AllowSSHOffice");
    ASSERT_NE(office, nullptr);
    EXPECT_EQ(office->sources.size(), 2u);
    EXPECT_EQ(office->destination_ports.size(), 2u);
    const Rule* admins = find(t, "AllowSSHAdmins");
    ASSERT_NE(admins, nullptr);
    ASSERT_EQ(admins->sources.size(), 1u);
    EXPECT_EQ(admins->sources[0].kind, AddressTerm::Kind::kGroup);
    EXPECT_EQ(admins->sources[0].name, "asg-admins");
    EXPECT_EQ(admins->destinations[0].name, "asg-ssh-servers");
    const Rule* deny = find(t, "DenyAllInBound");
    ASSERT_NE(deny, nullptr);
    EXPECT_TRUE(deny->is_default);
    EXPECT_TRUE(deny->sources.empty());
}

TEST_F(LoadTest, AddsDefaultRulesWhenTheExportLeavesThemOut) {
    Policy p = load_files({fixture("azure-rule-list.json")});
    ASSERT_EQ(p.tables.size(), 1u);
    EXPECT_EQ(p.tables[0].name, "nsg-legacy");
    EXPECT_TRUE(p.tables[0].defaults_added);
    EXPECT_EQ(p.tables[0].rules.size(), 4u + 6u);
    ASSERT_EQ(p.notes.size(), 1u);
    EXPECT_NE(p.notes[0].find("default rules"), std::string::npos);
}

TEST_F(LoadTest, ReadsEffectiveRulesWithLevelsAndExpandedPrefixes) {
    Policy p = load_files({fixture("azure-effective.json")});
    ASSERT_EQ(p.tables.size(), 2u);
    EXPECT_EQ(p.tables[0].name, "nsg-app-subnet");
    EXPECT_EQ(p.tables[0].level, Level::kSubnet);
    EXPECT_EQ(p.tables[1].name, "nsg-app-nic");
    EXPECT_EQ(p.tables[1].level, Level::kNic);
    const Rule* bastion = find(p.tables[0], "AllowBastion");
    ASSERT_NE(bastion, nullptr);
    ASSERT_EQ(bastion->sources.size(), 2u);  // the expanded service tag, not the tag
    EXPECT_EQ(bastion->sources[0].kind, AddressTerm::Kind::kPrefix);
    const Rule* vnet = find(p.tables[0], "AllowVnetInBound");
    ASSERT_NE(vnet, nullptr);
    EXPECT_TRUE(vnet->is_default);
    EXPECT_EQ(vnet->protocol, kAnyProtocol);  // "All"
    ASSERT_FALSE(p.vnet.empty());
    EXPECT_EQ(p.vnet[0].str(), "10.20.0.0/16");
}

TEST_F(LoadTest, ReadsTheArmFormAndTemplates) {
    Policy arm = load_files({fixture("azure-resource-show.json")});
    ASSERT_EQ(arm.tables.size(), 1u);
    EXPECT_EQ(arm.tables[0].name, "nsg-arm");
    EXPECT_EQ(arm.tables[0].level, Level::kNic);
    EXPECT_NE(find(arm.tables[0], "DenySSH"), nullptr);
    EXPECT_FALSE(arm.tables[0].defaults_added);

    Policy tpl = load_files({fixture("azure-template.json")});
    ASSERT_EQ(tpl.tables.size(), 1u);
    EXPECT_EQ(tpl.tables[0].name, "nsg-tpl");
    const Rule* child = find(tpl.tables[0], "DenySSHPartner");  // declared as "nsg-tpl/DenySSHPartner"
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(child->priority, 900);
    EXPECT_NE(find(tpl.tables[0], "AllowSSHOffice"), nullptr);
    EXPECT_TRUE(tpl.tables[0].defaults_added);
}

TEST_F(LoadTest, NicAndVnetExportsGiveContext) {
    Policy p = load_files({fixture("azure-nsg-nic.json"), fixture("azure-nic.json"), fixture("azure-vnet.json")});
    ASSERT_EQ(p.tables.size(), 1u);
    EXPECT_EQ(p.tables[0].level, Level::kNic);
    ASSERT_EQ(p.nic_addresses.size(), 1u);
    EXPECT_EQ(p.nic_addresses[0].str(), "10.0.1.4");
    EXPECT_EQ(p.members.count("asg-ssh-servers"), 1u);
    ASSERT_EQ(p.vnet.size(), 1u);
    EXPECT_EQ(p.vnet[0].str(), "10.0.0.0/16");
    EXPECT_EQ(p.nsg_levels.at("nsg-web"), Level::kSubnet);
}

TEST_F(LoadTest, LevelsComeFromNicAndVnetExportsWhenTheNsgDoesNotSay) {
    Policy p;
    load_text(p, read("azure-rule-list.json"), "rules.json");
    EXPECT_EQ(p.tables[0].level, Level::kUnknown);
    load_text(p, R"({"type": "Microsoft.Network/networkInterfaces", "ipConfigurations": [],
                     "networkSecurityGroup": {"id": "/subscriptions/s/resourceGroups/rg-ssh/providers/Microsoft.Network/networkSecurityGroups/NSG-Legacy"}})",
              "nic.json");
    EXPECT_EQ(p.tables[0].level, Level::kNic);
}

TEST_F(LoadTest, ReadsClassicEndpointsAndTheirAcls) {
    Policy p = load_files({fixture("classic-endpoints.json")});
    ASSERT_EQ(p.endpoints.size(), 2u);
    const Endpoint& ssh = p.endpoints[0];
    EXPECT_EQ(ssh.name, "SSH");
    EXPECT_EQ(ssh.public_port, 22);
    EXPECT_EQ(ssh.private_port, 2222);
    ASSERT_EQ(ssh.acl.rules.size(), 2u);
    EXPECT_EQ(ssh.acl.rules[0].priority, 100);
    EXPECT_EQ(ssh.acl.rules[0].access, Access::kDeny);
    EXPECT_EQ(ssh.acl.rules[0].description, "contractor VPN");
    EXPECT_TRUE(p.endpoints[1].acl.rules.empty());
    Policy rules = load_files({fixture("classic-acl-rules.json")});
    ASSERT_EQ(rules.loose_acls.size(), 1u);
    EXPECT_EQ(rules.loose_acls[0].rules.size(), 1u);
}

TEST_F(LoadTest, ReadsAwsSecurityGroupsAndNetworkAcls) {
    Policy p = load_files({fixture("aws-security-groups.json"), fixture("aws-network-acls.json")});
    ASSERT_EQ(p.tables.size(), 3u);
    EXPECT_EQ(p.tables[0].kind, TableKind::kSecurityGroup);
    EXPECT_EQ(p.tables[0].id, "sg-0a1b2c3d4e5f60718");
    EXPECT_EQ(p.tables[0].name, "sg-0a1b2c3d4e5f60718 (ssh-admin)");
    const Rule& in = p.tables[0].rules[0];
    EXPECT_EQ(in.direction, Direction::kInbound);
    EXPECT_EQ(in.sources.size(), 3u);  // IPv4 range, IPv6 range, referenced group
    const RuleTable& acl = p.tables[2];
    EXPECT_EQ(acl.kind, TableKind::kNetworkAcl);
    EXPECT_EQ(acl.rules.front().priority, 90);
    EXPECT_TRUE(acl.rules.back().is_default);
    EXPECT_EQ(acl.rules.back().name, "*");
}

TEST_F(LoadTest, ReadsGcpRulesSkipsDisabledAndAddsImpliedRules) {
    Policy p = load_files({fixture("gcp-firewall-rules.json")});
    ASSERT_EQ(p.tables.size(), 1u);
    const RuleTable& t = p.tables[0];
    EXPECT_EQ(t.name, "prod-vpc");
    EXPECT_EQ(find(t, "allow-all-disabled"), nullptr);
    // At equal priority the deny comes first.
    EXPECT_EQ(t.rules[0].name, "deny-ssh-contractors");
    EXPECT_EQ(t.rules[1].name, "allow-ssh-contractors");
    EXPECT_NE(find(t, "implied-deny-ingress"), nullptr);
    EXPECT_NE(find(t, "implied-allow-egress"), nullptr);
    EXPECT_EQ(find(t, "allow-ssh-office")->target_tags, std::vector<std::string>{"ssh"});
}

TEST_F(LoadTest, IgnoresUnknownFields) {
    std::string text = read("azure-nsg-show.json");
    EXPECT_NE(text.find("x-msNewField"), std::string::npos);
    EXPECT_EQ(error_of(text), "");
}

TEST_F(LoadTest, RejectsWhatIsNotACloudRuleExport) {
    EXPECT_NE(error_of(R"({"name": "left-pad", "version": "1.3.0", "dependencies": {}})").find("x.json: not a cloud rule export I know (expected"),
              std::string::npos);
    EXPECT_NE(error_of("[1, 2, 3]").find("not a cloud rule export I know"), std::string::npos);
    EXPECT_NE(error_of("[]").find("empty JSON list"), std::string::npos);
    EXPECT_NE(error_of("   \n").find("is empty"), std::string::npos);
    EXPECT_NE(error_of(R"({"SecurityGroups": []})").find("found no security group"), std::string::npos);
}

TEST_F(LoadTest, RejectsTruncatedJson) {
    const std::string text = read("azure-nsg-show.json");
    const std::string e = error_of(text.substr(0, text.size() / 2));
    EXPECT_NE(e.find("x.json: not valid JSON: it ends at line"), std::string::npos) << e;
    EXPECT_NE(e.find("cut short"), std::string::npos);
    EXPECT_NE(error_of("{\"a\": tru }").find("syntax error at line 1, column"), std::string::npos);
}

TEST_F(LoadTest, RejectsImpossibleValues) {
    std::string text = read("azure-rule-list.json");
    text.replace(text.find("\"priority\": 110"), 15, "\"priority\": 70000");
    EXPECT_NE(error_of(text).find("rule 'AllowMgmtRange' of NSG 'nsg-legacy': priority 70000 is impossible"), std::string::npos);
    text = read("azure-rule-list.json");
    text.replace(text.find("\"priority\": 120"), 15, "\"priority\": 110");
    EXPECT_NE(error_of(text).find("two inbound rules with priority 110"), std::string::npos);
    text = read("azure-rule-list.json");
    text.replace(text.find("\"198.51.100.7\""), 14, "\"198.51.100.700\"");
    EXPECT_NE(error_of(text).find("address '198.51.100.700' is not an address"), std::string::npos);
    text = read("azure-rule-list.json");
    text.replace(text.find("\"20-30\""), 7, "\"30-20\"");
    EXPECT_NE(error_of(text).find("port range '30-20'"), std::string::npos);
    text = read("azure-template.json");
    text.replace(text.find("\"priority\": 1000"), 16, "\"priority\": \"[parameters('p')]\"");
    EXPECT_NE(error_of(text).find("priority is a template expression"), std::string::npos);
    text = read("aws-network-acls.json");
    text.replace(text.find("\"RuleNumber\": 90"), 16, "\"RuleNumber\": 40000");
    EXPECT_NE(error_of(text).find("rule number 40000 is impossible"), std::string::npos);
    text = read("gcp-firewall-rules.json");
    text.replace(text.find("\"priority\": 1000"), 16, "\"priority\": -5");
    EXPECT_NE(error_of(text).find("priority -5 is impossible"), std::string::npos);
    text = read("classic-endpoints.json");
    text.replace(text.find("\"localPort\": 2222"), 17, "\"localPort\": 0");
    EXPECT_NE(error_of(text).find("private port 0 is impossible"), std::string::npos);
}

TEST_F(LoadTest, ReportsMissingFilesAndDirectories) {
    EXPECT_THROW(load_files({fixture("no-such-file.json")}), InputError);
    EXPECT_THROW(load_files({std::string(SSHPATH_SOURCE_DIR) + "/tests/fixtures/cloud"}), InputError);
}

}  // namespace
}  // namespace sshpath::cloud
