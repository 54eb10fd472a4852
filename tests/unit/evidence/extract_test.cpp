#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "sshpath/capture/reader.h"
#include "sshpath/evidence/extract.h"

using namespace sshpath;

namespace {

namespace F = facts::flow;

// Runs capture -> flow -> evidence on a recorded lab capture.
class ExtractTest : public ::testing::Test {
protected:
    std::vector<facts::FactSet> facts_of(const std::string& scenario) {
        std::string path = std::string(SSHPATH_SOURCE_DIR) + "/captures/" + scenario + ".pcap";
        if (!std::filesystem::exists(path)) return {};
        capture::Reader reader(path);
        flow::FlowTable table(flow::FlowOptions{});
        double start = -1, end = 0;
        reader.for_each([&](const packet::Packet& p) {
            if (start < 0) start = p.time;
            end = p.time;
            table.add(p);
        });
        auto flows = table.finish();
        auto ctx = evidence::make_context(table.synack_ttls(), start, end, 22);
        ctx.neighbours = &table.neighbours();
        std::vector<facts::FactSet> out;
        for (const auto& f : flows) out.push_back(evidence::extract_flow(f, ctx));
        return out;
    }
};

}  // namespace

TEST_F(ExtractTest, ForgedResetHasAnotherHopDistanceThanTheServer) {
    auto flows = facts_of("edge-forged-reset");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_TRUE(f.get(F::server_rst_seen));
    EXPECT_EQ(f.get(F::server_hops), 3);
    EXPECT_EQ(f.get(F::server_rst_hops), 0);
    EXPECT_EQ(f.get(F::server_rst_hop_delta), 3);
    EXPECT_EQ(f.get(F::server_hops_source), "this-flow");
}

TEST_F(ExtractTest, HealthyConnectionReachesEncryption) {
    auto flows = facts_of("healthy");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_EQ(f.get(F::ssh_stage), "encrypted");
    EXPECT_TRUE(f.get(F::server_banner_valid));
    EXPECT_FALSE(f.get(F::kex_alg).empty());
    EXPECT_EQ(f.get(F::kex_no_common), "");
    EXPECT_EQ(f.get(F::server_hops), 3);
}

TEST_F(ExtractTest, AdminProhibitedFromTheEdgeRouter) {
    auto flows = facts_of("edge-icmp-reject");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_GE(f.get(F::icmp_errors), 1);
    EXPECT_EQ(f.get(F::icmp_kind), "admin-prohibited");
    EXPECT_FALSE(f.get(F::icmp_from_server));
}

TEST_F(ExtractTest, ProxyRefusalIsReadFromTheReply) {
    auto flows = facts_of("proxy-refused");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_TRUE(f.get(F::via_proxy));
    EXPECT_EQ(f.get(F::proxy_status), 403);
    EXPECT_EQ(f.get(F::proxy_target_port), 22);
    EXPECT_FALSE(f.get(F::proxy_granted));
}

TEST_F(ExtractTest, ArpForTheGatewayProvesTheServerOffLink) {
    auto flows = facts_of("edge-syn-reset");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_EQ(f.get(F::next_hop_mac), "46:39:34:7d:61:34");
    EXPECT_EQ(f.get(F::client_mac), "82:ca:8b:26:7e:ba");
    EXPECT_EQ(f.get(F::gateway_address), "198.51.100.1");
    EXPECT_FALSE(f.get(F::server_answers_arp));
    EXPECT_EQ(f.get(F::server_link), "off-link");
    EXPECT_EQ(f.get(F::server_link_evidence), "neighbour");
    EXPECT_EQ(f.get(F::server_rst_position), "first-hop");
}

TEST_F(ExtractTest, AServerAnsweringArpIsOnLink) {
    auto flows = facts_of("neighbours-server-onlink");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_TRUE(f.get(F::server_answers_arp));
    EXPECT_EQ(f.get(F::gateway_address), "");
    EXPECT_EQ(f.get(F::server_link), "on-link");
    EXPECT_EQ(f.get(F::server_link_evidence), "neighbour");
}

TEST_F(ExtractTest, NamesTheTunnelAroundTheConnection) {
    auto flows = facts_of("tunnel-vxlan-port-closed");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    EXPECT_EQ(flows.front().get(F::tunnel), "vxlan vni 42 198.18.0.1->198.18.0.2");
    auto plain = facts_of("healthy");
    ASSERT_FALSE(plain.empty());
    EXPECT_EQ(plain.front().get(F::tunnel), "");
}

TEST_F(ExtractTest, CountsDuplicateFramesOfTheConnection) {
    auto flows = facts_of("duplicate-bridge-any");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    EXPECT_GT(flows.front().get(F::duplicate_frames), 0);
    EXPECT_EQ(flows.front().get(F::client_retransmits), 0);
}

TEST_F(ExtractTest, AnMptcpJoinIsASubflowOfTheFirstConnection) {
    auto flows = facts_of("mptcp-healthy");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    ASSERT_EQ(flows.size(), 2u);
    EXPECT_TRUE(flows[0].get(F::mptcp));
    EXPECT_FALSE(flows[0].get(F::mptcp_join));
    EXPECT_TRUE(flows[1].get(F::mptcp));
    EXPECT_TRUE(flows[1].get(F::mptcp_join));
    EXPECT_EQ(flows[1].get(F::mptcp_joined), "198.18.10.10:33116->198.18.10.7:22");
}
