#include "sshpath/cloud/evaluate.h"

#include <gtest/gtest.h>

#include "sshpath/cloud/load.h"
#include "sshpath/core/error.h"

namespace sshpath::cloud {
namespace {

std::string fixture(const std::string& name) { return std::string(SSHPATH_SOURCE_DIR) + "/tests/fixtures/cloud/" + name; }

// One row of the flow table: files, the flow, what the command line would add, and the answer
// expected (as IP flow verify words it: access and rule name, plus where the rule lives).
struct Case {
    const char* what;
    std::vector<std::string> files;
    const char* from;
    const char* to;
    int protocol = 6;
    Direction direction = Direction::kInbound;
    std::vector<std::string> vnet = {};
    std::vector<std::pair<std::string, std::string>> members = {};
    std::vector<std::string> tags = {};
    // Expected.
    const char* access = "";
    const char* rule = "";
    const char* table = "";
    const char* component = "";
    bool uncertain = false;
    const char* next = "";           // first rule that would have matched next, "" for none
    const char* return_access = "";  // stateless network ACLs only
    int layers = 1;
};

// Names the row in test listings instead of dumping its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.what; }

Decision run(const Case& c) {
    Policy policy;
    std::vector<std::string> paths;
    for (const auto& f : c.files) paths.push_back(fixture(f));
    policy = load_files(paths);
    Flow flow;
    EXPECT_TRUE(parse_endpoint(c.from, flow.source, flow.source_port)) << c.from;
    EXPECT_TRUE(parse_endpoint(c.to, flow.destination, flow.destination_port)) << c.to;
    flow.protocol = c.protocol;
    flow.direction = c.direction;
    Context ctx;
    for (const auto& v : c.vnet) {
        Prefix p;
        EXPECT_TRUE(Prefix::parse(v, p));
        ctx.vnet.push_back(p);
    }
    for (const auto& [name, address] : c.members) {
        Address a;
        EXPECT_TRUE(Address::parse(address, a));
        ctx.members.emplace_back(name, a);
    }
    ctx.tags = c.tags;
    return evaluate(policy, flow, ctx);
}

const std::vector<Case>& cases() {
    using D = Direction;
    static const std::vector<Case> table = {
        // Azure NSG (az network nsg show): priority order, first match, plural arrays, tags.
        {.what = "deny rule first", .files = {"azure-nsg-show.json"}, .from = "203.0.113.9", .to = "10.0.1.4:22",
         .access = "deny", .rule = "DenySSHFromBlocked", .table = "nsg-web", .component = "nsg", .next = "DenyInternetSSH"},
        {.what = "plural source prefixes and port list", .files = {"azure-nsg-show.json"}, .from = "198.51.100.150", .to = "10.0.1.4:2222",
         .access = "allow", .rule = "AllowSSHOffice", .table = "nsg-web", .component = "nsg", .next = "DenyAllInBound"},
        {.what = "public address outside the office: Internet tag", .files = {"azure-nsg-show.json"}, .from = "198.51.100.200", .to = "10.0.1.4:22",
         .access = "deny", .rule = "DenyInternetSSH", .table = "nsg-web", .component = "nsg", .next = "DenyAllInBound"},
        {.what = "unknown virtual network: uncertain, default deny", .files = {"azure-nsg-show.json"}, .from = "10.0.5.5", .to = "10.0.1.4:22",
         .access = "deny", .rule = "DenyAllInBound", .table = "nsg-web", .component = "nsg", .uncertain = true},
        {.what = "VirtualNetwork tag from --vnet", .files = {"azure-nsg-show.json"}, .from = "10.0.5.5", .to = "10.0.1.4:22", .vnet = {"10.0.0.0/16"},
         .members = {{"asg-admins", "10.9.9.9"}, {"asg-ssh-servers", "10.0.1.4"}},
         .access = "allow", .rule = "AllowVnetSSH", .table = "nsg-web", .component = "nsg", .next = "AllowVnetInBound"},
        {.what = "application security groups from options", .files = {"azure-nsg-show.json"}, .from = "10.0.5.5", .to = "10.0.1.4:22", .vnet = {"10.0.0.0/16"},
         .members = {{"asg-admins", "10.0.5.5"}, {"asg-ssh-servers", "10.0.1.4"}},
         .access = "allow", .rule = "AllowSSHAdmins", .table = "nsg-web", .component = "nsg", .next = "AllowVnetSSH"},
        {.what = "ASG membership of the VM from the NIC export, VNet from its export", .files = {"azure-nsg-show.json", "azure-nic.json", "azure-vnet.json"}, .from = "10.0.5.5", .to = "10.0.1.4:22", .members = {{"asg-admins", "10.0.5.5"}},
         .access = "allow", .rule = "AllowSSHAdmins", .table = "nsg-web", .component = "nsg", .next = "AllowVnetSSH"},
        {.what = "Azure load balancer probe: default rule", .files = {"azure-nsg-show.json"}, .from = "168.63.129.16", .to = "10.0.1.4:80",
         .access = "allow", .rule = "AllowVnetInBound", .table = "nsg-web", .component = "nsg", .next = "AllowAzureLoadBalancerInBound"},
        {.what = "outbound: custom rule then AllowInternetOutBound", .files = {"azure-nsg-show.json"}, .from = "10.0.1.4", .to = "203.0.113.80:443",
         .direction = D::kOutbound, .access = "allow", .rule = "AllowHttpsOut", .table = "nsg-web", .component = "nsg",
         .next = "AllowInternetOutBound"},
        // Subnet and NIC NSGs: inbound subnet first, then NIC; both must allow.
        {.what = "subnet allows, NIC allows", .files = {"azure-nsg-show.json", "azure-nsg-nic.json"}, .from = "198.51.100.10", .to = "10.0.1.4:22",
         .access = "allow", .rule = "AllowSSHFromOfficeLan", .table = "nsg-nic", .component = "nsg", .next = "DenyAllInBound", .layers = 2},
        {.what = "subnet allows, NIC denies", .files = {"azure-nsg-nic.json", "azure-nsg-show.json"}, .from = "198.51.100.150", .to = "10.0.1.4:22",
         .access = "deny", .rule = "DenyAllInBound", .table = "nsg-nic", .component = "nsg", .layers = 2},
        {.what = "subnet denies first", .files = {"azure-nsg-nic.json", "azure-nsg-show.json"}, .from = "203.0.113.9", .to = "10.0.1.4:22",
         .access = "deny", .rule = "DenySSHFromBlocked", .table = "nsg-web", .component = "nsg", .next = "DenyInternetSSH", .layers = 2},
        {.what = "outbound: NIC first", .files = {"azure-nsg-show.json", "azure-nsg-nic.json"}, .from = "10.0.1.4", .to = "203.0.113.25:25", .direction = D::kOutbound,
         .access = "deny", .rule = "DenySmtpOut", .table = "nsg-nic", .component = "nsg", .next = "AllowInternetOutBound", .layers = 2},
        // Rule list without defaults: overlapping priorities, defaults added.
        {.what = "overlapping rules: the lower priority wins", .files = {"azure-rule-list.json"}, .from = "198.51.100.7", .to = "10.0.2.4:22",
         .access = "allow", .rule = "AllowMgmtRange", .table = "nsg-legacy", .component = "nsg", .next = "DenyOneHost"},
        {.what = "port outside the range: added default deny", .files = {"azure-rule-list.json"}, .from = "198.51.100.7", .to = "10.0.2.4:2222",
         .access = "deny", .rule = "DenyAllInBound", .table = "nsg-legacy", .component = "nsg"},
        {.what = "udp rule", .files = {"azure-rule-list.json"}, .from = "198.51.100.7", .to = "10.0.2.4:53", .protocol = 17,
         .access = "deny", .rule = "DenyUdp", .table = "nsg-legacy", .component = "nsg", .next = "DenyAllInBound"},
        {.what = "icmp rule", .files = {"azure-rule-list.json"}, .from = "198.51.100.7", .to = "10.0.2.4", .protocol = 1,
         .access = "allow", .rule = "AllowIcmp", .table = "nsg-legacy", .component = "nsg", .next = "DenyAllInBound"},
        // Effective rules: expanded prefixes, subnet then NIC association.
        {.what = "effective: NIC deny after subnet allow", .files = {"azure-effective.json"}, .from = "198.51.100.200", .to = "10.20.1.4:22",
         .access = "deny", .rule = "DenySSH", .table = "nsg-app-nic", .component = "nsg", .next = "AllowSSH", .layers = 2},
        {.what = "effective: expanded service tag", .files = {"azure-effective.json"}, .from = "20.50.1.1", .to = "10.20.1.4:22",
         .access = "allow", .rule = "AllowSSH", .table = "nsg-app-nic", .component = "nsg", .next = "DenyAllInBound", .layers = 2},
        {.what = "effective: vnet space from the expansion", .files = {"azure-effective.json"}, .from = "10.20.7.7", .to = "10.20.1.4:22",
         .access = "allow", .rule = "AllowSSH", .table = "nsg-app-nic", .component = "nsg", .next = "AllowVnetInBound", .layers = 2},
        {.what = "effective: outside every allow", .files = {"azure-effective.json"}, .from = "203.0.113.9", .to = "10.20.1.4:22",
         .access = "deny", .rule = "DenyAllInBound", .table = "nsg-app-subnet", .component = "nsg", .layers = 2},
        // The ARM form and templates.
        {.what = "az resource show", .files = {"azure-resource-show.json"}, .from = "198.51.100.2", .to = "10.0.2.4:22",
         .access = "deny", .rule = "DenySSH", .table = "nsg-arm", .component = "nsg", .next = "DenyAllInBound"},
        {.what = "template: child rule resource", .files = {"azure-template.json"}, .from = "203.0.113.2", .to = "10.0.2.4:3389",
         .access = "deny", .rule = "DenySSHPartner", .table = "nsg-tpl", .component = "nsg", .next = "DenyAllInBound"},
        {.what = "template: rule in the NSG resource", .files = {"azure-template.json"}, .from = "198.51.100.2", .to = "10.0.2.4:22",
         .access = "allow", .rule = "AllowSSHOffice", .table = "nsg-tpl", .component = "nsg", .next = "DenyAllInBound"},
        // Classic endpoints: ordered ACL, implicit deny when permits exist, port forwarding.
        {.what = "classic: deny rule first in order", .files = {"classic-endpoints.json"}, .from = "198.51.100.70", .to = "203.0.113.50:22",
         .access = "deny", .rule = "100", .table = "SSH", .component = "acl", .next = "200"},
        {.what = "classic: permit", .files = {"classic-endpoints.json"}, .from = "198.51.100.10", .to = "203.0.113.50:22",
         .access = "allow", .rule = "200", .table = "SSH", .component = "acl"},
        {.what = "classic: implicit deny", .files = {"classic-endpoints.json"}, .from = "203.0.113.5", .to = "203.0.113.50:22",
         .access = "deny", .rule = "(implicit deny)", .table = "SSH", .component = "acl"},
        {.what = "classic: no endpoint for the port", .files = {"classic-endpoints.json"}, .from = "198.51.100.10", .to = "203.0.113.50:2200",
         .access = "deny", .rule = "(no endpoint)", .table = "", .component = "acl"},
        {.what = "classic: endpoint without ACL", .files = {"classic-endpoint-show.json"}, .from = "203.0.113.5", .to = "203.0.113.51:50022",
         .access = "allow", .rule = "(no ACL rules)", .table = "SSH", .component = "acl"},
        {.what = "classic: ACL rules without their endpoint", .files = {"classic-acl-rules.json"}, .from = "198.51.100.5", .to = "203.0.113.51:22",
         .access = "allow", .rule = "(implicit permit)", .table = "<endpoint-name>", .component = "acl"},
        // AWS: network ACL (ordered, stateless) then security groups (allow only).
        {.what = "aws: allowed, return path partial", .files = {"aws-security-groups.json", "aws-network-acls.json"}, .from = "198.51.100.10", .to = "10.1.0.5:22",
         .access = "allow", .rule = "IpPermissions[0]", .table = "sg-0a1b2c3d4e5f60718 (ssh-admin)", .component = "nsg",
         .return_access = "partial", .layers = 2},
        {.what = "aws: known client port, return allowed", .files = {"aws-security-groups.json", "aws-network-acls.json"}, .from = "198.51.100.10:51000", .to = "10.1.0.5:22", .access = "allow", .rule = "IpPermissions[0]", .table = "sg-0a1b2c3d4e5f60718 (ssh-admin)",
         .component = "nsg", .return_access = "allow", .layers = 2},
        {.what = "aws: low client port, return denied", .files = {"aws-security-groups.json", "aws-network-acls.json"}, .from = "198.51.100.10:2000", .to = "10.1.0.5:22", .access = "allow", .rule = "IpPermissions[0]", .table = "sg-0a1b2c3d4e5f60718 (ssh-admin)",
         .component = "nsg", .return_access = "deny", .layers = 2},
        {.what = "aws: network ACL deny", .files = {"aws-security-groups.json", "aws-network-acls.json"}, .from = "203.0.113.7", .to = "10.1.0.5:22",
         .access = "deny", .rule = "90", .table = "acl-0123456789abcdef0", .component = "acl", .next = "100",
         .return_access = "partial", .layers = 2},
        {.what = "aws: no security group rule", .files = {"aws-security-groups.json"}, .from = "203.0.113.7", .to = "10.1.0.5:22",
         .access = "deny", .rule = "(no rule allows it)", .table = "sg-0a1b2c3d4e5f60718 (ssh-admin), sg-0c2d3e4f5a6b7c8d9 (web)",
         .component = "nsg"},
        {.what = "aws: second group allows https", .files = {"aws-security-groups.json"}, .from = "203.0.113.7", .to = "10.1.0.5:443",
         .access = "allow", .rule = "IpPermissions[0]", .table = "sg-0c2d3e4f5a6b7c8d9 (web)", .component = "nsg"},
        {.what = "aws: referenced group, membership unknown", .files = {"aws-security-groups.json"}, .from = "10.1.9.9", .to = "10.1.0.5:22",
         .access = "deny", .rule = "(no rule allows it)", .table = "sg-0a1b2c3d4e5f60718 (ssh-admin), sg-0c2d3e4f5a6b7c8d9 (web)",
         .component = "nsg", .uncertain = true},
        {.what = "aws: referenced group member", .files = {"aws-security-groups.json"}, .from = "10.1.9.9", .to = "10.1.0.5:22",
         .members = {{"sg-0bastion000000001", "10.1.9.9"}},
         .access = "allow", .rule = "IpPermissions[0]", .table = "sg-0a1b2c3d4e5f60718 (ssh-admin)", .component = "nsg"},
        {.what = "aws: IPv6 range", .files = {"aws-security-groups.json"}, .from = "2001:db8:1::5", .to = "[2001:db8:ff::10]:22",
         .access = "allow", .rule = "IpPermissions[0]", .table = "sg-0a1b2c3d4e5f60718 (ssh-admin)", .component = "nsg"},
        {.what = "aws: outbound, egress rule then ACL", .files = {"aws-security-groups.json", "aws-network-acls.json"}, .from = "10.1.0.5", .to = "203.0.113.80:443",
         .direction = D::kOutbound, .access = "allow", .rule = "110", .table = "acl-0123456789abcdef0", .component = "acl",
         .next = "*", .return_access = "deny", .layers = 2},
        // GCP: priority, deny before allow at equal priority, targets, implied rules.
        {.what = "gcp: tagged target", .files = {"gcp-firewall-rules.json"}, .from = "198.51.100.10", .to = "10.128.0.5:22", .tags = {"ssh"},
         .access = "allow", .rule = "allow-ssh-office", .table = "prod-vpc", .component = "nsg", .next = "implied-deny-ingress"},
        {.what = "gcp: other tag: implied deny", .files = {"gcp-firewall-rules.json"}, .from = "198.51.100.10", .to = "10.128.0.5:22", .tags = {"web"},
         .access = "deny", .rule = "implied-deny-ingress", .table = "prod-vpc", .component = "nsg"},
        {.what = "gcp: tags unknown", .files = {"gcp-firewall-rules.json"}, .from = "198.51.100.10", .to = "10.128.0.5:22",
         .access = "deny", .rule = "implied-deny-ingress", .table = "prod-vpc", .component = "nsg", .uncertain = true},
        {.what = "gcp: deny wins at equal priority", .files = {"gcp-firewall-rules.json"}, .from = "198.51.100.70", .to = "10.128.0.5:22", .tags = {"ssh"},
         .access = "deny", .rule = "deny-ssh-contractors", .table = "prod-vpc", .component = "nsg", .next = "allow-ssh-contractors"},
        {.what = "gcp: egress deny", .files = {"gcp-firewall-rules.json"}, .from = "10.128.0.5", .to = "203.0.113.25:25", .direction = D::kOutbound,
         .access = "deny", .rule = "deny-smtp-out", .table = "prod-vpc", .component = "nsg", .next = "implied-allow-egress"},
        {.what = "gcp: implied egress allow", .files = {"gcp-firewall-rules.json"}, .from = "10.128.0.5", .to = "203.0.113.25:443", .direction = D::kOutbound,
         .access = "allow", .rule = "implied-allow-egress", .table = "prod-vpc", .component = "nsg"},
        {.what = "gcp: port range in a list", .files = {"gcp-firewall-rules.json"}, .from = "198.51.100.10", .to = "10.128.0.5:2250", .tags = {"ssh"},
         .access = "allow", .rule = "allow-ssh-office", .table = "prod-vpc", .component = "nsg", .next = "implied-deny-ingress"},
    };
    return table;
}

class FlowTableTest : public ::testing::TestWithParam<Case> {};

TEST_P(FlowTableTest, DecidesAsTheCloudDocuments) {
    const Case& c = GetParam();
    const Decision d = run(c);
    EXPECT_EQ(d.access, c.access);
    ASSERT_TRUE(d.rule.has_value());
    EXPECT_EQ(d.rule->name, c.rule);
    EXPECT_EQ(d.rule->table, c.table);
    EXPECT_EQ(d.component, c.component);
    EXPECT_EQ(d.uncertain, c.uncertain);
    EXPECT_EQ(d.next.empty() ? "" : d.next.front().name, std::string(c.next));
    EXPECT_EQ(d.return_path ? d.return_path->access : "", std::string(c.return_access));
    EXPECT_EQ(d.layers.size(), static_cast<std::size_t>(c.layers));
    if (d.access == "deny") {
        EXPECT_FALSE(d.change_commands.empty()) << "no command for a deny";
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FlowTableTest, ::testing::ValuesIn(cases()), [](const auto& info) {
    std::string name = info.param.what;
    for (auto& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return std::to_string(info.index) + "_" + name;
});

class EvaluateTest : public ::testing::Test {};

TEST_F(EvaluateTest, ClassicEndpointPortMismatchIsAFinding) {
    const Decision d = run({.what = "", .files = {"classic-endpoints.json"}, .from = "198.51.100.10", .to = "203.0.113.50:22"});
    ASSERT_TRUE(d.endpoint.has_value());
    EXPECT_EQ(d.endpoint->public_port, 22);
    EXPECT_EQ(d.endpoint->private_port, 2222);
    EXPECT_TRUE(d.endpoint->mismatch);
    EXPECT_EQ(d.access, "allow");
    ASSERT_EQ(d.change_commands.size(), 1u);
    EXPECT_NE(d.change_commands[0].find("azure vm endpoint create -n SSH -o tcp <vm-name> 22 22"), std::string::npos);
    const Decision ok = run({.what = "", .files = {"classic-endpoint-show.json"}, .from = "198.51.100.10", .to = "203.0.113.51:50022"});
    ASSERT_TRUE(ok.endpoint.has_value());
    EXPECT_FALSE(ok.endpoint->mismatch);
    EXPECT_TRUE(ok.change_commands.empty());
}

TEST_F(EvaluateTest, ReturnPathNamesTheDeniedClientPorts) {
    const Decision d = run({.what = "", .files = {"aws-network-acls.json"}, .from = "198.51.100.10", .to = "10.1.0.5:22"});
    ASSERT_TRUE(d.return_path.has_value());
    EXPECT_EQ(d.return_path->ports, "1024-65535");
    EXPECT_EQ(d.return_path->allowed_ports, "32768-65535");
    EXPECT_EQ(d.return_path->denied_ports, "1024-32767");
    EXPECT_EQ(d.return_path->rule.name, "*");
    ASSERT_EQ(d.change_commands.size(), 1u);
    EXPECT_EQ(d.change_commands[0],
              "aws ec2 create-network-acl-entry --network-acl-id acl-0123456789abcdef0 --egress --rule-number 32766 --protocol 6 "
              "--port-range From=1024,To=65535 --cidr-block 198.51.100.10/32 --rule-action allow");
}

TEST_F(EvaluateTest, ChangeCommandAllowsJustThisFlowBeforeTheDeny) {
    const Decision d = run({.what = "", .files = {"azure-nsg-show.json"}, .from = "198.51.100.200", .to = "10.0.1.4:22"});
    ASSERT_EQ(d.change_commands.size(), 1u);
    EXPECT_EQ(d.change_commands[0],
              "az network nsg rule create --resource-group rg-ssh --nsg-name nsg-web --name allow-tcp-22-from-198-51-100-200 "
              "--priority 399 --direction Inbound --access Allow --protocol Tcp --source-address-prefixes 198.51.100.200/32 "
              "--source-port-ranges '*' --destination-address-prefixes 10.0.1.4 --destination-port-ranges 22");
    // No free priority before 100: the deny moves one step down and the allow takes its place.
    const Decision first = run({.what = "", .files = {"azure-nsg-show.json"}, .from = "203.0.113.9", .to = "10.0.1.4:22"});
    ASSERT_EQ(first.change_commands.size(), 1u);
    EXPECT_EQ(first.change_commands[0].rfind("az network nsg rule update --resource-group rg-ssh --nsg-name nsg-web "
                                             "--name DenySSHFromBlocked --priority 101 && az network nsg rule create",
                                             0),
              0u);
    EXPECT_NE(first.change_commands[0].find("--priority 100 "), std::string::npos);
    const Decision gcp = run({.what = "", .files = {"gcp-firewall-rules.json"}, .from = "198.51.100.70", .to = "10.128.0.5:22", .tags = {"ssh"}});
    ASSERT_EQ(gcp.change_commands.size(), 1u);
    EXPECT_EQ(gcp.change_commands[0],
              "gcloud compute firewall-rules create allow-tcp-22-from-198-51-100-70 --network prod-vpc --direction INGRESS "
              "--priority 899 --action ALLOW --rules tcp:22 --source-ranges 198.51.100.70/32 --target-tags ssh");
}

TEST_F(EvaluateTest, NotesAPublicDestinationForNsgs) {
    const Decision d = run({.what = "", .files = {"azure-nsg-show.json"}, .from = "198.51.100.10", .to = "203.0.113.50:22"});
    bool noted = false;
    for (const auto& n : d.notes) noted = noted || n.find("NSGs see the VM's private address") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST_F(EvaluateTest, RefusesMixedCloudsAndFamilies) {
    EXPECT_THROW(run({.what = "", .files = {"azure-nsg-show.json", "aws-security-groups.json"}, .from = "198.51.100.10", .to = "10.0.1.4:22"}), InputError);
    EXPECT_THROW(run({.what = "", .files = {"azure-nsg-show.json"}, .from = "2001:db8::1", .to = "10.0.1.4:22"}), InputError);
}

TEST_F(EvaluateTest, NoRuleWhenTheFilesHoldOnlyContext) {
    const Decision d = run({.what = "", .files = {"azure-vnet.json"}, .from = "198.51.100.10", .to = "10.0.1.4:22"});
    EXPECT_EQ(d.access, "no-rule");
    EXPECT_FALSE(d.rule.has_value());
    EXPECT_TRUE(d.layers.empty());
}

}  // namespace
}  // namespace sshpath::cloud
