#include <gtest/gtest.h>

#include "sshpath/cloud/connection.h"
#include "sshpath/cloud/decision.h"
#include "sshpath/cloud/evaluate.h"
#include "sshpath/cloud/load.h"

namespace sshpath::cloud {
namespace {

namespace C = facts::cloud;

std::string fixture(const std::string& name) { return std::string(SSHPATH_SOURCE_DIR) + "/" + name; }

Policy load(const std::vector<std::string>& files) {
    std::vector<std::string> paths;
    for (const auto& f : files) paths.push_back(fixture(f));
    return load_files(paths);
}

Address address(const char* text) {
    Address a;
    EXPECT_TRUE(Address::parse(text, a)) << text;
    return a;
}

Decision decide(const std::vector<std::string>& files, const char* from, const char* to) {
    Flow flow;
    parse_endpoint(from, flow.source, flow.source_port);
    parse_endpoint(to, flow.destination, flow.destination_port);
    return evaluate(load(files), flow, Context{});
}

// A connection as the lab's client captured it: 198.51.100.10 to the VM's 203.0.113.7:22.
SeenConnection lab_connection(const char* client = "198.51.100.10") {
    SeenConnection s;
    s.client = address(client);
    s.client_port = 42358;
    s.server = address("203.0.113.7");
    s.server_port = 22;
    return s;
}

class CloudFactsTest : public ::testing::Test {};

TEST_F(CloudFactsTest, ADecisionFillsTheCloudScopeByTypedIds) {
    const facts::FactSet fs = facts(decide({"tests/fixtures/cloud/azure-nsg-show.json"}, "203.0.113.9", "10.0.1.4:22"));
    EXPECT_EQ(fs.scope(), facts::Scope::kCloud);
    EXPECT_TRUE(fs.get(C::rules_loaded));
    EXPECT_TRUE(fs.get(C::evaluated));
    EXPECT_EQ(fs.get(C::access), "deny");
    EXPECT_EQ(fs.get(C::component), "nsg");
    EXPECT_EQ(fs.get(C::rule), "DenySSHFromBlocked");
    EXPECT_EQ(fs.get(C::rule_priority), 100);
    EXPECT_EQ(fs.get(C::decided_by), "rule DenySSHFromBlocked (priority 100) in network security group nsg-web (subnet level)");
    EXPECT_EQ(fs.get(C::client_address), "203.0.113.9");
    EXPECT_EQ(fs.get(C::client_address_from), "option");
    EXPECT_EQ(fs.get(C::vm_address), "10.0.1.4");
    EXPECT_EQ(fs.get(C::next_rule), "DenyInternetSSH (priority 400, deny)");
    EXPECT_EQ(fs.get(C::change_command).rfind("az network nsg rule update --resource-group rg-ssh --nsg-name nsg-web", 0), 0u);
    EXPECT_EQ(fs.get(C::needs), "");
}

TEST_F(CloudFactsTest, AReturnPathAndAnEndpoint) {
    const facts::FactSet aws = facts(decide({"tests/fixtures/cloud/aws-security-groups.json", "tests/fixtures/cloud/aws-network-acls.json"},
                                            "198.51.100.10", "10.1.0.5:22"));
    EXPECT_EQ(aws.get(C::access), "allow");
    EXPECT_EQ(aws.get(C::return_access), "partial");
    EXPECT_EQ(aws.get(C::return_denied_ports), "1024-32767");
    EXPECT_EQ(aws.get(C::layers), 2);
    EXPECT_EQ(aws.get(C::return_command).rfind("aws ec2 create-network-acl-entry --network-acl-id acl-0123456789abcdef0 --egress", 0), 0u);
    const facts::FactSet classic = facts(decide({"tests/fixtures/cloud/classic-endpoints.json"}, "198.51.100.70", "203.0.113.50:22"));
    EXPECT_EQ(classic.get(C::component), "acl");
    EXPECT_EQ(classic.get(C::rule), "100");
    EXPECT_EQ(classic.get(C::decided_by), "rule 100 in endpoint ACL SSH");
    EXPECT_TRUE(classic.get(C::endpoint_port_mismatch));
    EXPECT_EQ(classic.get(C::endpoint_name), "SSH");
    EXPECT_EQ(classic.get(C::endpoint_private_port), 2222);
    EXPECT_EQ(classic.get(C::sshd_port), 22);
    EXPECT_EQ(classic.get(C::endpoint_command), "azure vm endpoint delete <vm-name> SSH && azure vm endpoint create -n SSH -o tcp <vm-name> 22 22");
    EXPECT_EQ(classic.get(C::next_rule), "200 (allow)");
}

TEST_F(CloudFactsTest, AnUncertainAnswerSaysWhatWouldSettleIt) {
    const facts::FactSet fs = facts(decide({"tests/fixtures/cloud/azure-nsg-show.json"}, "10.0.5.5", "10.0.1.4:22"));
    EXPECT_TRUE(fs.get(C::uncertain));
    EXPECT_NE(fs.get(C::needs).find("give --asg asg-admins=10.0.5.5"), std::string::npos) << fs.get(C::needs);
}

TEST_F(CloudFactsTest, ThePublicClientOfTheCaptureIsTheSourceTheCloudSees) {
    const Policy p = load({"captures/cloudedge-nsg-deny.nsg.json"});
    Context ctx;
    Prefix vnet;
    ASSERT_TRUE(Prefix::parse("203.0.113.0/24", vnet));
    ctx.vnet.push_back(vnet);
    const facts::FactSet fs = connection_facts(p, ctx, Vantage{}, lab_connection());
    EXPECT_EQ(fs.get(C::client_address), "198.51.100.10");
    EXPECT_EQ(fs.get(C::client_address_from), "capture");
    EXPECT_EQ(fs.get(C::vm_address_from), "capture");
    EXPECT_EQ(fs.get(C::flow), "tcp 198.51.100.10:42358 -> 203.0.113.7:22 inbound");
    EXPECT_EQ(fs.get(C::access), "deny");
    EXPECT_EQ(fs.get(C::rule), "DenySSHFromBranch");
}

TEST_F(CloudFactsTest, APrivateClientBehindNatIsNotGuessed) {
    const Policy p = load({"captures/cloudedge-nsg-deny.nsg.json"});
    Vantage vm_only;
    vm_only.vm = address("203.0.113.7");
    const facts::FactSet fs = connection_facts(p, Context{}, vm_only, lab_connection("10.1.2.3"));
    EXPECT_TRUE(fs.get(C::rules_loaded));
    EXPECT_FALSE(fs.get(C::evaluated));
    EXPECT_EQ(fs.get(C::access), "");
    EXPECT_EQ(fs.get(C::client_address_from), "");
    EXPECT_EQ(fs.get(C::vm_address_from), "option");
    EXPECT_EQ(fs.get(C::needs).rfind("--cloud-from ADDR: the client's address as the cloud sees it (the capture shows 10.1.2.3", 0), 0u)
        << fs.get(C::needs);
    // Given, it is evaluated from that address and its port (unknown without one).
    Vantage v{address("198.51.100.77"), -1, address("203.0.113.7")};
    const facts::FactSet given = connection_facts(p, Context{}, v, lab_connection("10.1.2.3"));
    EXPECT_EQ(given.get(C::client_address_from), "option");
    EXPECT_EQ(given.get(C::flow), "tcp 198.51.100.77:* -> 203.0.113.7:22 inbound");
    EXPECT_EQ(given.get(C::access), "deny");
}

TEST_F(CloudFactsTest, TheVmsPrivateAddressComesFromTheOptionTheNicOrTheVirtualNetwork) {
    // The NSG sees the VM's private address: the public one of the capture is not enough.
    const Policy nsg = load({"captures/cloudedge-nsg-deny.nsg.json"});
    const facts::FactSet unknown = connection_facts(nsg, Context{}, Vantage{}, lab_connection());
    EXPECT_FALSE(unknown.get(C::evaluated));
    EXPECT_EQ(unknown.get(C::client_address), "198.51.100.10");
    EXPECT_EQ(unknown.get(C::vm_address_from), "");
    EXPECT_EQ(unknown.get(C::needs).rfind("--cloud-vm ADDR: the VM's private address", 0), 0u) << unknown.get(C::needs);
    // A NIC export says it.
    const Policy with_nic = load({"tests/fixtures/cloud/azure-nsg-show.json", "tests/fixtures/cloud/azure-nic.json"});
    const facts::FactSet nic = connection_facts(with_nic, Context{}, Vantage{}, lab_connection());
    EXPECT_EQ(nic.get(C::vm_address_from), "nic-export");
    EXPECT_EQ(nic.get(C::vm_address), "10.0.1.4");
    EXPECT_TRUE(nic.get(C::evaluated));
    // An option of another address family does not apply to an IPv4 connection.
    const facts::FactSet v6 = connection_facts(nsg, Context{}, Vantage{std::nullopt, -1, address("2001:db8::5")}, lab_connection());
    EXPECT_EQ(v6.get(C::vm_address_from), "");
}

TEST_F(CloudFactsTest, RulesThatIgnoreTheDestinationTakeThePublicAddress) {
    const Policy classic = load({"tests/fixtures/cloud/lab-classic-endpoints.json"});
    const facts::FactSet fs = connection_facts(classic, Context{}, Vantage{}, lab_connection());
    EXPECT_EQ(fs.get(C::provider), "azure-classic");
    EXPECT_EQ(fs.get(C::vm_address_from), "capture");
    EXPECT_EQ(fs.get(C::access), "deny");
    EXPECT_EQ(fs.get(C::component), "acl");
    const Policy aws = load({"tests/fixtures/cloud/aws-security-groups.json", "tests/fixtures/cloud/lab-aws-network-acl.json"});
    const facts::FactSet a = connection_facts(aws, Context{}, Vantage{}, lab_connection());
    EXPECT_EQ(a.get(C::access), "allow");
    EXPECT_EQ(a.get(C::return_access), "deny");
    EXPECT_EQ(a.get(C::return_denied_ports), "42358");
}

TEST_F(CloudFactsTest, AConnectionThroughAProxyIsNotEvaluated) {
    SeenConnection s = lab_connection();
    s.via_proxy = true;
    const facts::FactSet fs = connection_facts(load({"captures/cloudedge-nsg-deny.nsg.json"}), Context{}, Vantage{}, s);
    EXPECT_TRUE(fs.get(C::rules_loaded));
    EXPECT_FALSE(fs.get(C::evaluated));
    EXPECT_EQ(fs.get(C::needs), "");
}

}  // namespace
}  // namespace sshpath::cloud
