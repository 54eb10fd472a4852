#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <string>
#include <vector>

#include "../packet/frames.h"
#include "sshpath/capture/live.h"

namespace sshpath::capture {
namespace {

using namespace packet;

using test_util::Bytes;
using test_util::serialize;
using test_util::syn_segment;

IpAddress addr(const std::string& text) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(text, a)) << text;
    return a;
}

// Runs a compiled filter over one frame, as the kernel would.
bool matches(const std::string& filter, int link_type, const Bytes& frame) {
    pcap_t* dead = pcap_open_dead(link_type, 262144);
    bpf_program program{};
    EXPECT_EQ(pcap_compile(dead, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN), 0) << pcap_geterr(dead);
    pcap_pkthdr h{};
    h.caplen = h.len = static_cast<bpf_u_int32>(frame.size());
    const bool match = pcap_offline_filter(&program, &h, frame.data()) != 0;
    pcap_freecode(&program);
    pcap_close(dead);
    return match;
}

class LiveFilterTest : public ::testing::Test {
protected:
    static std::string one_host(bool vlan) {
        FilterSpec spec;
        spec.hosts = {addr("203.0.113.7")};
        spec.port = 22;
        spec.vlan = vlan;
        return build_filter(spec);
    }
    static Bytes syn(const std::string& dst, std::uint16_t dport) {
        Tins::EthernetII eth = Tins::EthernetII() / Tins::IP(dst, "198.51.100.10") / syn_segment(40000, dport, 1);
        return serialize(eth);
    }
    static Bytes icmp(Tins::ICMP::Flags type) {
        Tins::ICMP error(type);
        Tins::EthernetII eth = Tins::EthernetII() / Tins::IP("198.51.100.10", "198.51.100.1") / error /
                               Tins::IP("203.0.113.7", "198.51.100.10") / syn_segment(40000, 22, 1);
        return serialize(eth);
    }
};

TEST_F(LiveFilterTest, KeepsTheConnectionAndTheIcmpErrorsThatQuoteIt) {
    EXPECT_EQ(one_host(false),
              "(tcp and (host 203.0.113.7) and port 22) or (icmp and (icmp[0] == 3 or icmp[0] == 4 or icmp[0] == 11 or "
              "icmp[0] == 12)) or (icmp6 and (icmp6[0] == 1 or icmp6[0] == 2 or icmp6[0] == 3 or icmp6[0] == 4))");
}

TEST_F(LiveFilterTest, NamesEveryAddressOfTheHost) {
    FilterSpec spec;
    spec.hosts = {addr("203.0.113.7"), addr("2001:db8:4::7")};
    spec.port = 2222;
    spec.vlan = false;
    EXPECT_EQ(build_filter(spec).substr(0, 67), "(tcp and (host 203.0.113.7 or host 2001:db8:4::7) and port 2222) or");
}

TEST_F(LiveFilterTest, KeepsTheConnectionsToAProxyToo) {
    FilterSpec spec;
    spec.hosts = {addr("203.0.113.7")};
    spec.proxies = {{addr("198.51.100.1"), 8888}};
    spec.vlan = false;
    const std::string f = build_filter(spec);
    EXPECT_EQ(f.substr(0, 90), "(tcp and (host 203.0.113.7) and port 22) or (tcp and host 198.51.100.1 and port 8888) or (");
    EXPECT_TRUE(matches(f, DLT_EN10MB, syn("198.51.100.1", 8888)));
    EXPECT_FALSE(matches(f, DLT_EN10MB, syn("198.51.100.1", 22)));
    EXPECT_EQ(check_filter(f, DLT_EN10MB), "");
}

TEST_F(LiveFilterTest, WithoutHostOrPortKeepsEveryConnection) {
    FilterSpec spec;
    spec.port = 0;
    spec.vlan = false;
    EXPECT_EQ(build_filter(spec).substr(0, 9), "(tcp) or ");
    spec.port = 22;
    EXPECT_EQ(build_filter(spec).substr(0, 21), "(tcp and port 22) or ");
}

TEST_F(LiveFilterTest, CompilesForTheLinkTypesOfLiveInterfaces) {
    EXPECT_EQ(check_filter(one_host(true), DLT_EN10MB), "");
    EXPECT_EQ(check_filter(one_host(false), DLT_LINUX_SLL2), "");
    EXPECT_EQ(check_filter(one_host(false), DLT_LINUX_SLL), "");
    EXPECT_EQ(check_filter(one_host(false), DLT_RAW), "");
    // libpcap has no VLAN support on the 'any' device: the vlan forms are for Ethernet only.
    EXPECT_NE(check_filter(one_host(true), DLT_LINUX_SLL2), "");
}

TEST_F(LiveFilterTest, ReportsLibpcapsReasonForABadExpression) {
    EXPECT_NE(check_filter("tcp and port", DLT_EN10MB).find("syntax error"), std::string::npos);
}

TEST_F(LiveFilterTest, MatchesOnlyTheConnectionsPackets) {
    const std::string f = one_host(true);
    EXPECT_TRUE(matches(f, DLT_EN10MB, syn("203.0.113.7", 22)));
    EXPECT_FALSE(matches(f, DLT_EN10MB, syn("203.0.113.8", 22)));
    EXPECT_FALSE(matches(f, DLT_EN10MB, syn("203.0.113.7", 443)));
    EXPECT_TRUE(matches(f, DLT_EN10MB, icmp(Tins::ICMP::DEST_UNREACHABLE)));
    EXPECT_TRUE(matches(f, DLT_EN10MB, icmp(Tins::ICMP::TIME_EXCEEDED)));
    EXPECT_FALSE(matches(f, DLT_EN10MB, icmp(Tins::ICMP::ECHO_REQUEST)));
}

TEST_F(LiveFilterTest, MatchesFramesWithVlanTagsLeftInThem) {
    const std::string f = one_host(true);
    Tins::EthernetII one = Tins::EthernetII() / Tins::Dot1Q(100) / Tins::IP("203.0.113.7", "198.51.100.10") / syn_segment(40000, 22, 1);
    EXPECT_TRUE(matches(f, DLT_EN10MB, serialize(one)));
    Tins::EthernetII two = Tins::EthernetII() / Tins::Dot1Q(100) / Tins::Dot1Q(200) / Tins::IP("203.0.113.7", "198.51.100.10") /
                           syn_segment(40000, 22, 1);
    EXPECT_TRUE(matches(f, DLT_EN10MB, serialize(two)));
    Tins::EthernetII other = Tins::EthernetII() / Tins::Dot1Q(100) / Tins::IP("203.0.113.8", "198.51.100.10") / syn_segment(40000, 22, 1);
    EXPECT_FALSE(matches(f, DLT_EN10MB, serialize(other)));
}

TEST(LiveDumpFormatTest, PcapngOnlyForThatExtension) {
    EXPECT_EQ(dump_format_for("case.pcapng"), DumpFormat::kPcapng);
    EXPECT_EQ(dump_format_for("CASE.PCAPNG"), DumpFormat::kPcapng);
    EXPECT_EQ(dump_format_for("case.pcap"), DumpFormat::kPcap);
    EXPECT_EQ(dump_format_for("case"), DumpFormat::kPcap);
    EXPECT_EQ(dump_format_for("pcapng"), DumpFormat::kPcap);
}

TEST(LiveInterfaceTest, KnowsAnyAndLoopback) {
    EXPECT_TRUE(interface_exists("any"));
    EXPECT_TRUE(interface_exists("lo"));
    EXPECT_FALSE(interface_exists("no-such-if0"));
    EXPECT_FALSE(interface_exists(""));
    const auto names = interface_names();
    EXPECT_NE(std::find(names.begin(), names.end(), "any"), names.end());
}

TEST(LiveInterfaceTest, RoutesLoopbackAddressesThroughLo) {
    IpAddress a;
    ASSERT_TRUE(IpAddress::parse("127.0.0.1", a));
    const auto name = route_interface(a);
    ASSERT_TRUE(name.has_value());
    EXPECT_EQ(*name, "lo");
}

}  // namespace
}  // namespace sshpath::capture
