#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "sshpath/capture/reader.h"
#include "sshpath/evidence/extract.h"

using namespace sshpath;

namespace {

// Runs capture -> flow -> evidence on a recorded lab capture.
class ExtractTest : public ::testing::Test {
protected:
    std::vector<evidence::FactSet> facts_of(const std::string& scenario) {
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
        std::vector<evidence::FactSet> out;
        for (const auto& f : flows) out.push_back(evidence::extract_flow(f, ctx));
        return out;
    }
};

}  // namespace

TEST(HopDistanceTest, GuessesInitialTtl) {
    EXPECT_EQ(evidence::hop_distance(64), 0);
    EXPECT_EQ(evidence::hop_distance(61), 3);
    EXPECT_EQ(evidence::hop_distance(117), 11);
    EXPECT_EQ(evidence::hop_distance(250), 5);
    EXPECT_EQ(evidence::hop_distance(0), -1);
}

TEST(FactSetTest, RejectsUnknownNamesAndWrongTypes) {
    evidence::FactSet fs;
    EXPECT_THROW(fs.set("syn_cnt", std::int64_t(1)), std::logic_error);
    EXPECT_THROW(fs.set("syn_count", std::string("x")), std::logic_error);
    EXPECT_EQ(fs.get_int("syn_count"), 0);
    EXPECT_EQ(fs.get_int("server_hops"), -1);
    fs.set("syn_span_s", std::int64_t(3));
    EXPECT_EQ(fs.text("syn_span_s"), "3");
    fs.set("syn_span_s", 1.25);
    EXPECT_EQ(fs.text("syn_span_s"), "1.25");
}

TEST(CatalogueTest, NamesAreUniqueAndDefaultsParse) {
    std::set<std::string> seen;
    for (const auto& f : evidence::catalogue()) {
        EXPECT_TRUE(seen.insert(std::string(evidence::scope_name(f.scope)) + "." + std::string(f.name)).second) << f.name;
        EXPECT_NO_THROW(evidence::default_value(f)) << f.name;
        EXPECT_FALSE(f.description.empty()) << f.name;
    }
}

TEST_F(ExtractTest, ForgedResetHasAnotherHopDistanceThanTheServer) {
    auto flows = facts_of("edge-forged-reset");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_TRUE(f.get_bool("server_rst_seen"));
    EXPECT_EQ(f.get_int("server_hops"), 3);
    EXPECT_EQ(f.get_int("server_rst_hops"), 0);
    EXPECT_EQ(f.get_int("server_rst_hop_delta"), 3);
    EXPECT_EQ(f.get_string("server_hops_source"), "this-flow");
}

TEST_F(ExtractTest, HealthyConnectionReachesEncryption) {
    auto flows = facts_of("healthy");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_EQ(f.get_string("ssh_stage"), "encrypted");
    EXPECT_TRUE(f.get_bool("server_banner_valid"));
    EXPECT_FALSE(f.get_string("kex_alg").empty());
    EXPECT_EQ(f.get_string("kex_no_common"), "");
    EXPECT_EQ(f.get_int("server_hops"), 3);
}

TEST_F(ExtractTest, AdminProhibitedFromTheEdgeRouter) {
    auto flows = facts_of("edge-icmp-reject");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_GE(f.get_int("icmp_errors"), 1);
    EXPECT_EQ(f.get_string("icmp_kind"), "admin-prohibited");
    EXPECT_FALSE(f.get_bool("icmp_from_server"));
}

TEST_F(ExtractTest, ProxyRefusalIsReadFromTheReply) {
    auto flows = facts_of("proxy-refused");
    if (flows.empty()) GTEST_SKIP() << "capture not recorded";
    const auto& f = flows.front();
    EXPECT_TRUE(f.get_bool("via_proxy"));
    EXPECT_EQ(f.get_int("proxy_status"), 403);
    EXPECT_EQ(f.get_int("proxy_target_port"), 22);
    EXPECT_FALSE(f.get_bool("proxy_granted"));
}
