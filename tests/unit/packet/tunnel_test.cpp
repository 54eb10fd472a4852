#include <gtest/gtest.h>

#include "sshpath/packet/decoder.h"
#include "wire.h"

namespace sshpath::packet {
namespace {

using namespace test_util;

// The SSH client's SYN inside every tunnel: 198.51.100.10:51000 -> 203.0.113.7:22.
Bytes inner_syn() { return ipv4_packet(6, "198.51.100.10", "203.0.113.7", tcp_syn(), 63, 0x2222); }
Bytes inner_syn6() { return ipv6_packet(6, "2001:db8:1::10", "2001:db8:4::7", tcp_syn(), 62); }
Bytes inner_frame() { return ethernet_frame(mac(0xb), mac(0xa), 0x0800, inner_syn()); }
// The underlay: 198.18.0.1 -> 198.18.0.2.
Bytes underlay(std::uint8_t proto, const Bytes& payload) {
    return ethernet_frame(mac(2), mac(1), 0x0800, ipv4_packet(proto, "198.18.0.1", "198.18.0.2", payload, 64, 7));
}
Bytes underlay_udp(std::uint16_t dport, const Bytes& payload) {
    return underlay(17, udp_datagram(40000, dport, payload));
}

class TunnelTest : public ::testing::Test {
protected:
    static void expect_inner_syn(const Packet& p) {
        EXPECT_FALSE(p.malformed) << p.problem;
        EXPECT_EQ(p.ip_version, 4);
        EXPECT_EQ(p.src.to_string(), "198.51.100.10");
        EXPECT_EQ(p.dst.to_string(), "203.0.113.7");
        EXPECT_EQ(p.ttl, 63);
        EXPECT_EQ(p.ip_id, 0x2222);
        ASSERT_EQ(p.transport, Transport::kTcp);
        EXPECT_EQ(p.tcp.dport, 22);
        EXPECT_EQ(p.tcp.flags, kSyn);
        EXPECT_EQ(p.tcp.options.mss, 1460);
        EXPECT_FALSE(p.payload_truncated);
    }
    static void expect_underlay(const Tunnel& t) {
        EXPECT_EQ(t.outer_src.to_string(), "198.18.0.1");
        EXPECT_EQ(t.outer_dst.to_string(), "198.18.0.2");
        EXPECT_EQ(t.outer_ttl, 64);
    }
    static void expect_inner_macs(const Packet& p) {
        const LinkAddresses* l = p.inner_link();
        ASSERT_NE(l, nullptr);
        EXPECT_EQ(l->src.to_string(), "02:00:00:00:00:0a");
        EXPECT_EQ(l->dst.to_string(), "02:00:00:00:00:0b");
        // The capture's own link layer stays the underlay's.
        EXPECT_EQ(p.link.addresses.src.to_string(), "02:00:00:00:00:01");
    }
    Decoded decode_;
};

TEST_F(TunnelTest, OpensPlainGreCarryingIpv4) {
    const Packet p = decode_(kLinkEthernet, underlay(47, cat({be16(0), be16(0x0800), inner_syn()})));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 1);
    const Tunnel& t = p.tunnels.layers[0];
    EXPECT_EQ(t.kind, TunnelKind::kGre);
    EXPECT_FALSE(t.has_id);
    EXPECT_FALSE(t.ethernet);
    expect_underlay(t);
    EXPECT_EQ(p.inner_link(), nullptr);  // GRE carried IP: no link layer next to the packet
    EXPECT_STREQ(tunnel_kind_name(t.kind), "gre");
}

TEST_F(TunnelTest, ReadsGreKeyPastChecksumAndKeepsSequenceOut) {
    // C, K and S set: checksum+reserved, key, sequence number.
    const Bytes gre = cat({be16(0xb000), be16(0x86dd), be32(0), be32(1234), be32(99), inner_syn6()});
    const Packet p = decode_(kLinkEthernet, underlay(47, gre));
    EXPECT_FALSE(p.malformed) << p.problem;
    EXPECT_EQ(p.ip_version, 6);
    EXPECT_EQ(p.dst.to_string(), "2001:db8:4::7");
    ASSERT_EQ(p.tunnels.depth, 1);
    EXPECT_TRUE(p.tunnels.layers[0].has_id);
    EXPECT_EQ(p.tunnels.layers[0].id, 1234u);
}

TEST_F(TunnelTest, OpensGreCarryingEthernet) {
    const Packet p = decode_(kLinkEthernet, underlay(47, cat({be16(0x2000), be16(0x6558), be32(5), inner_frame()})));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 1);
    EXPECT_TRUE(p.tunnels.layers[0].ethernet);
    EXPECT_EQ(p.tunnels.layers[0].id, 5u);
    expect_inner_macs(p);
}

TEST_F(TunnelTest, LeavesGreVersionOneAndUnknownProtocolsClosed) {
    for (const Bytes& gre : {cat({be16(0x3001), be16(0x880b), be32(0), be32(0), inner_syn()}),
                             cat({be16(0), be16(0x1234), inner_syn()}), cat({be16(0), be16(0x0800), inner_syn6()})}) {
        const Packet p = decode_(kLinkEthernet, underlay(47, gre));
        EXPECT_FALSE(p.malformed) << p.problem;
        EXPECT_EQ(p.tunnels.depth, 0);
        EXPECT_EQ(p.transport, Transport::kOther);
        EXPECT_EQ(p.src.to_string(), "198.18.0.1");
        EXPECT_EQ(p.payload.size(), gre.size());
    }
}

TEST_F(TunnelTest, OpensErspanTypeTwo) {
    // GRE with a sequence number, protocol 0x88be; ERSPAN: ver 1, VLAN 10, session 300.
    const Bytes erspan = cat({be16(0x1000 | 10), be16(300), be32(7)});
    const Bytes gre = cat({be16(0x1000), be16(0x88be), be32(1), erspan, inner_frame()});
    const Packet p = decode_(kLinkEthernet, underlay(47, gre));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 1);
    const Tunnel& t = p.tunnels.layers[0];
    EXPECT_EQ(t.kind, TunnelKind::kErspan2);
    EXPECT_EQ(t.id, 300u);
    EXPECT_EQ(t.inner_vlan_id, 10);
    expect_underlay(t);
    expect_inner_macs(p);
    EXPECT_STREQ(tunnel_kind_name(t.kind), "erspan-ii");
}

TEST_F(TunnelTest, OpensErspanTypeOneWithoutHeader) {
    const Packet p = decode_(kLinkEthernet, underlay(47, cat({be16(0), be16(0x88be), inner_frame()})));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 1);
    EXPECT_EQ(p.tunnels.layers[0].kind, TunnelKind::kErspan1);
    EXPECT_FALSE(p.tunnels.layers[0].has_id);
}

TEST_F(TunnelTest, OpensErspanTypeThreeWithAndWithoutPlatformSubheader) {
    for (bool subheader : {false, true}) {
        SCOPED_TRACE(subheader);
        // ver 2, VLAN 20 | session 5 | timestamp | sgt, p, ft 0, hw id, d, gra, o
        Bytes erspan = cat({be16(0x2000 | 20), be16(5), be32(123456), be16(0), {0, std::uint8_t(subheader ? 1 : 0)}});
        if (subheader) erspan = cat({erspan, Bytes(8, 0xee)});
        const Packet p = decode_(kLinkEthernet, underlay(47, cat({be16(0x1000), be16(0x22eb), be32(1), erspan,
                                                                   inner_frame()})));
        expect_inner_syn(p);
        ASSERT_EQ(p.tunnels.depth, 1);
        EXPECT_EQ(p.tunnels.layers[0].kind, TunnelKind::kErspan3);
        EXPECT_EQ(p.tunnels.layers[0].id, 5u);
        EXPECT_EQ(p.tunnels.layers[0].inner_vlan_id, 20);
        expect_inner_macs(p);
    }
}

TEST_F(TunnelTest, OpensVxlanAndReadsVni) {
    const Bytes vxlan = cat({{0x08, 0, 0, 0}, {0, 0, 42, 0}, inner_frame()});
    const Packet p = decode_(kLinkEthernet, underlay_udp(4789, vxlan));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 1);
    const Tunnel& t = p.tunnels.layers[0];
    EXPECT_EQ(t.kind, TunnelKind::kVxlan);
    EXPECT_EQ(t.id, 42u);
    expect_underlay(t);
    expect_inner_macs(p);
}

TEST_F(TunnelTest, LeavesUdp4789WithoutVniFlagAsUdp) {
    const Packet p = decode_(kLinkEthernet, underlay_udp(4789, cat({{0, 0, 0, 0}, {0, 0, 42, 0}, inner_frame()})));
    EXPECT_EQ(p.tunnels.depth, 0);
    EXPECT_EQ(p.transport, Transport::kUdp);
    EXPECT_EQ(p.udp.dport, 4789);
}

TEST_F(TunnelTest, OpensGeneveWithOptions) {
    // Two options: 4 bytes of data (length 1) and none.
    const Bytes options = cat({be16(0x0102), {0x80, 1}, be32(0xdeadbeef), be16(0x0103), {0x01, 0}});
    const Bytes geneve =
        cat({{std::uint8_t(options.size() / 4), 0}, be16(0x6558), {0, 0x01, 0x00, 0}, options, inner_frame()});
    const Packet p = decode_(kLinkEthernet, underlay_udp(6081, geneve));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 1);
    const Tunnel& t = p.tunnels.layers[0];
    EXPECT_EQ(t.kind, TunnelKind::kGeneve);
    EXPECT_EQ(t.id, 256u);
    EXPECT_EQ(t.options, 2);
    expect_inner_macs(p);
}

TEST_F(TunnelTest, OpensGeneveCarryingIpAndRefusesBadOptionLength) {
    const Packet ip = decode_(kLinkEthernet, underlay_udp(6081, cat({{0, 0}, be16(0x0800), be32(7 << 8), inner_syn()})));
    expect_inner_syn(ip);
    EXPECT_EQ(ip.tunnels.layers[0].id, 7u);
    EXPECT_EQ(ip.inner_link(), nullptr);
    // One 4-byte option word announced, whose option claims 8 more bytes.
    const Packet bad = decode_(kLinkEthernet, underlay_udp(6081, cat({{1, 0}, be16(0x0800), be32(7 << 8),
                                                                      {0, 1, 2, 0x02}, inner_syn()})));
    EXPECT_EQ(bad.tunnels.depth, 0);
    EXPECT_EQ(bad.transport, Transport::kUdp);
}

TEST_F(TunnelTest, OpensEveryIpInIpCombination) {
    struct Case {
        Bytes frame;
        TunnelKind kind;
        const char* name;
    };
    const Case cases[] = {
        {underlay(4, inner_syn()), TunnelKind::kIp4in4, "4in4"},
        {underlay(41, inner_syn6()), TunnelKind::kIp6in4, "6in4"},
        {ethernet_frame(mac(2), mac(1), 0x86dd, ipv6_packet(4, "2001:db8::1", "2001:db8::2", inner_syn())),
         TunnelKind::kIp4in6, "4in6"},
        {ethernet_frame(mac(2), mac(1), 0x86dd, ipv6_packet(41, "2001:db8::1", "2001:db8::2", inner_syn6())),
         TunnelKind::kIp6in6, "6in6"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Packet p = decode_(kLinkEthernet, c.frame);
        EXPECT_FALSE(p.malformed) << p.problem;
        ASSERT_EQ(p.tunnels.depth, 1);
        EXPECT_EQ(p.tunnels.layers[0].kind, c.kind);
        EXPECT_STREQ(tunnel_kind_name(c.kind), c.name);
        EXPECT_EQ(p.transport, Transport::kTcp);
        EXPECT_EQ(p.tcp.dport, 22);
        EXPECT_EQ(p.tunnels.layers[0].outer_src.version, c.frame[13] == 0x00 ? 4 : 6);
    }
}

TEST_F(TunnelTest, LeavesIpInIpWithWrongInnerVersionClosed) {
    const Packet p = decode_(kLinkEthernet, underlay(4, inner_syn6()));
    EXPECT_EQ(p.tunnels.depth, 0);
    EXPECT_EQ(p.transport, Transport::kOther);
}

TEST_F(TunnelTest, ReadsMplsLabelStack) {
    // Two labels: 100, then 200 with the bottom-of-stack bit.
    const Bytes stack = cat({be32(100 << 12 | 64), be32(200 << 12 | 0x100 | 64)});
    const Packet p = decode_(kLinkEthernet, ethernet_frame(mac(2), mac(1), 0x8847, cat({stack, inner_syn()})));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 1);
    const Tunnel& t = p.tunnels.layers[0];
    EXPECT_EQ(t.kind, TunnelKind::kMpls);
    EXPECT_EQ(t.id, 100u);
    EXPECT_EQ(t.labels, 2);
    EXPECT_EQ(t.outer_src.version, 0);
    // MPLS carries IP directly: the Ethernet header in front of the labels is the packet's link.
    EXPECT_EQ(p.inner_link(), nullptr);
}

TEST_F(TunnelTest, MarksEndlessMplsStackMalformed) {
    Bytes stack;
    for (int i = 0; i < 9; ++i) stack = cat({stack, be32(16 << 12)});
    const Packet p = decode_(kLinkEthernet, ethernet_frame(mac(2), mac(1), 0x8847, cat({stack, inner_syn()})));
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "more than 8 MPLS labels");
}

TEST_F(TunnelTest, OpensNestedTunnelsOutermostFirst) {
    // VXLAN inside GRE inside the underlay.
    const Bytes vxlan = cat({{0x08, 0, 0, 0}, {0, 0, 9, 0}, inner_frame()});
    const Bytes middle = ipv4_packet(17, "198.18.1.1", "198.18.1.2", udp_datagram(1, 4789, vxlan), 30);
    const Packet p = decode_(kLinkEthernet, underlay(47, cat({be16(0), be16(0x0800), middle})));
    expect_inner_syn(p);
    ASSERT_EQ(p.tunnels.depth, 2);
    EXPECT_EQ(p.tunnels.layers[0].kind, TunnelKind::kGre);
    EXPECT_EQ(p.tunnels.layers[1].kind, TunnelKind::kVxlan);
    EXPECT_EQ(p.tunnels.layers[1].outer_src.to_string(), "198.18.1.1");
    EXPECT_EQ(p.tunnels.layers[1].outer_ttl, 30);
    EXPECT_EQ(p.tunnels.innermost().id, 9u);
}

TEST_F(TunnelTest, StopsAtFourNestedTunnels) {
    Bytes packet = inner_syn();
    for (int i = 0; i < 5; ++i) packet = ipv4_packet(4, "198.18.9.1", "198.18.9.2", packet);
    const Packet p = decode_(kLinkRaw, packet);
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "more than 4 nested tunnels");
    EXPECT_EQ(p.tunnels.depth, kMaxTunnelDepth);
    EXPECT_EQ(p.transport, Transport::kOther);
}

TEST_F(TunnelTest, LeavesTunnelInFragmentClosed) {
    const Bytes outer = ipv4_packet(47, "198.18.0.1", "198.18.0.2", cat({be16(0), be16(0x0800), inner_syn()}), 64, 7,
                                    0x2000);
    const Packet p = decode_(kLinkRaw, outer);
    EXPECT_TRUE(p.fragment);
    EXPECT_EQ(p.tunnels.depth, 0);
}

TEST_F(TunnelTest, SurvivesTunnelsCutAtEveryLength) {
    decode_every_prefix(kLinkEthernet, underlay_udp(4789, cat({{0x08, 0, 0, 0}, {0, 0, 42, 0}, inner_frame()})));
    decode_every_prefix(kLinkEthernet, underlay(47, cat({be16(0x1000), be16(0x22eb), be32(1), be16(0x2000), be16(5),
                                                         be32(0), be16(0), {0, 1}, Bytes(8, 0), inner_frame()})));
    decode_every_prefix(kLinkEthernet, ethernet_frame(mac(2), mac(1), 0x8847, cat({be32(1 << 12 | 0x100), inner_syn()})));
    decode_every_prefix(kLinkEthernet, underlay(41, inner_syn6()));
}

}  // namespace
}  // namespace sshpath::packet
