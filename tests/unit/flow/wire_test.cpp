#include "sshpath/flow/wire.h"

#include <gtest/gtest.h>

#include <string>

#include "../packet/wire.h"
#include "sshpath/flow/flow.h"
#include "sshpath/flow/spill.h"

namespace sshpath::flow {
namespace {

using namespace test_util;

const char* kClient = "198.51.100.10";
const char* kServer = "203.0.113.7";
const char* kGateway = "198.51.100.1";
constexpr std::uint8_t kSynFlag = 0x02, kSynAck = 0x12, kAckFlag = 0x10, kPshAck = 0x18;

// One TCP segment of the test connection (client port 51000, server port 22).
Bytes segment(bool from_client, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, const Bytes& options = {},
              const std::string& data = "") {
    Bytes opts = options;
    while (opts.size() % 4 != 0) opts.push_back(1);
    const auto doff = std::uint8_t((20 + opts.size()) / 4);
    return cat({be16(from_client ? 51000 : 22), be16(from_client ? 22 : 51000), be32(seq), be32(ack),
                {std::uint8_t(doff << 4), flags}, be16(502), be16(0), be16(0), opts, Bytes(data.begin(), data.end())});
}

Bytes arp_reply(const Bytes& sender_mac, const std::string& sender_ip) {
    return ethernet_frame(mac(0x10), sender_mac, 0x0806,
                          cat({be16(1), be16(0x0800), {6, 4}, be16(2), sender_mac, address_bytes(sender_ip), mac(0x10),
                               address_bytes(kClient)}));
}

class WireTest : public ::testing::Test {
protected:
    // Feeds a frame at `t` seconds.
    void add(const Bytes& frame, double t) {
        frames_.push_back(frame);
        packet::Packet p;
        packet::decode(packet::kLinkEthernet, frames_.back(), p);
        p.number = ++number_;
        p.time = 1700000000 + t;
        ASSERT_FALSE(p.malformed) << p.problem;
        table_.add(p);
    }
    // An IPv4 TCP frame of the connection; the client's go to `next_hop`, the server's come
    // from it.
    Bytes tcp(bool from_client, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint16_t ip_id,
              std::uint8_t ttl = 0, const std::string& data = "", const Bytes& options = {}) {
        const Bytes ip = ipv4_packet(6, from_client ? kClient : kServer, from_client ? kServer : kClient,
                                     segment(from_client, flags, seq, ack, options, data),
                                     ttl ? ttl : (from_client ? 64 : 61), ip_id);
        return from_client ? ethernet_frame(next_hop_, mac(0x10), 0x0800, ip)
                           : ethernet_frame(mac(0x10), next_hop_, 0x0800, ip);
    }
    void handshake(double t = 0) {
        add(tcp(true, kSynFlag, 1000, 0, 1), t);
        add(tcp(false, kSynAck, 5000, 1001, 0), t + 0.001);
        add(tcp(true, kAckFlag, 1001, 5001, 2), t + 0.002);
    }
    Flow only_flow() {
        auto flows = table_.finish();
        EXPECT_EQ(flows.size(), 1u);
        return flows.empty() ? Flow{} : std::move(flows.front());
    }

    Bytes next_hop_ = mac(0x01);
    FlowTable table_{FlowOptions{}};
    std::deque<Bytes> frames_;
    std::uint64_t number_ = 0;
};

TEST_F(WireTest, DropsCopiesOfFramesAndCountsThem) {
    for (int i = 0; i < 2; ++i) add(tcp(true, kSynFlag, 1000, 0, 1), 0 + i * 0.00002);
    for (int i = 0; i < 2; ++i) add(tcp(false, kSynAck, 5000, 1001, 0), 0.001 + i * 0.00002);
    add(tcp(true, kAckFlag, 1001, 5001, 2), 0.002);
    for (int i = 0; i < 2; ++i) add(tcp(true, kPshAck, 1001, 5001, 3, 0, "SSH-2.0-x\r\n"), 0.003 + i * 0.0001);
    const Flow f = only_flow();
    EXPECT_EQ(f.syns.size(), 1u);
    EXPECT_EQ(f.synacks.size(), 1u);
    EXPECT_EQ(f.c2s.retransmits, 0u);
    EXPECT_EQ(f.c2s.packets, 3u);
    EXPECT_EQ(f.wire.duplicates, 3u);
    EXPECT_EQ(f.wire.duplicates_ttl_changed, 0u);
    EXPECT_EQ(table_.duplicates().frames, 3u);
}

TEST_F(WireTest, KeepsIdenticalSynAcksUntilTheCaptureShowsCopies) {
    // captures/client-firewall-drop-synack.pcap: the server's SYN-ACK timer fires just as the
    // client's retransmitted SYN arrives: two SYN-ACKs with IP ID 0, 21 us apart, both real.
    add(tcp(true, kSynFlag, 1000, 0, 1), 0);
    add(tcp(false, kSynAck, 5000, 1001, 0), 0.0001);
    add(tcp(true, kSynFlag, 1000, 0, 2), 1.0);
    add(tcp(false, kSynAck, 5000, 1001, 0), 1.00006);
    add(tcp(false, kSynAck, 5000, 1001, 0), 1.00008);
    const Flow f = only_flow();
    EXPECT_EQ(f.synacks.size(), 3u);
    EXPECT_EQ(f.wire.duplicates, 0u);
    EXPECT_EQ(table_.duplicates().identical_kept, 1u);
    EXPECT_FALSE(table_.duplicates().capture_duplicates);
}

TEST_F(WireTest, DropsIpv6CopiesOnceTheyMakeAThirdOfThePackets) {
    auto v6 = [&](bool from_client, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack) {
        const Bytes ip = ipv6_packet(6, from_client ? "2001:db8:1::10" : "2001:db8:4::7",
                                     from_client ? "2001:db8:4::7" : "2001:db8:1::10",
                                     segment(from_client, flags, seq, ack), from_client ? 64 : 61);
        return ethernet_frame(mac(0x20), mac(0x21), 0x86dd, ip);
    };
    for (int i = 0; i < 2; ++i) add(v6(true, kSynFlag, 1000, 0), i * 0.00001);
    for (int i = 0; i < 2; ++i) add(v6(false, kSynAck, 5000, 1001), 0.001 + i * 0.00001);
    for (int i = 0; i < 2; ++i) add(v6(true, kAckFlag, 1001, 5001), 0.002 + i * 0.00001);
    const Flow f = only_flow();
    // The first pair cannot be told from a retransmission yet; the second shows the copies.
    EXPECT_EQ(f.syns.size(), 2u);
    EXPECT_EQ(f.synacks.size(), 1u);
    EXPECT_EQ(f.wire.duplicates, 2u);
    EXPECT_EQ(table_.duplicates().identical_kept, 1u);
    EXPECT_TRUE(table_.duplicates().capture_duplicates);
}

TEST_F(WireTest, TakesACopyWithADecrementedTtlForADuplicate) {
    handshake();
    add(tcp(true, kPshAck, 1001, 5001, 3, 64, "SSH-2.0-x\r\n"), 0.01);
    add(tcp(true, kPshAck, 1001, 5001, 3, 63, "SSH-2.0-x\r\n"), 0.0101);  // the router's other side
    const Flow f = only_flow();
    EXPECT_EQ(f.c2s.retransmits, 0u);
    EXPECT_EQ(f.wire.duplicates, 1u);
    EXPECT_EQ(f.wire.duplicates_ttl_changed, 1u);
    EXPECT_EQ(f.wire.client_copy_ttl, 63);
    EXPECT_EQ(f.wire.server_copy_ttl, -1);
    EXPECT_EQ(table_.duplicates().ttl_changed, 1u);
}

TEST_F(WireTest, KeepsRetransmissionsApartFromCopies) {
    handshake();
    add(tcp(true, kPshAck, 1001, 5001, 3, 0, "SSH-2.0-x\r\n"), 0.01);
    // After a retransmission timeout, same bytes and IP ID (a stack that keeps it) ...
    add(tcp(true, kPshAck, 1001, 5001, 3, 0, "SSH-2.0-x\r\n"), 0.22);
    // ... and at once, with a new IP ID (Linux).
    add(tcp(true, kPshAck, 1001, 5001, 4, 0, "SSH-2.0-x\r\n"), 0.2201);
    const Flow f = only_flow();
    EXPECT_EQ(f.c2s.retransmits, 2u);
    EXPECT_EQ(f.wire.duplicates, 0u);
    EXPECT_EQ(table_.duplicates().frames, 0u);
}

TEST_F(WireTest, RecordsLinkAddressesOfBothSides) {
    handshake();
    const Flow f = only_flow();
    EXPECT_EQ(f.wire.client_link.src.to_string(), "02:00:00:00:00:10");
    EXPECT_EQ(f.wire.client_link.dst.to_string(), "02:00:00:00:00:01");
    EXPECT_EQ(f.wire.server_link.src.to_string(), "02:00:00:00:00:01");
    EXPECT_TRUE(f.wire.server_link.has_dst);
}

TEST_F(WireTest, FindsTheGatewayFromArp) {
    add(arp_reply(mac(0x01), kGateway), 0);
    handshake(0.001);
    const Flow f = only_flow();
    const FirstHop h = first_hop(f, table_.neighbours());
    EXPECT_EQ(h.server, Placement::kOffLink);
    EXPECT_EQ(h.reason, PlacementReason::kNextHopIsNeighbour);
    ASSERT_TRUE(h.gateway_ip_known);
    EXPECT_EQ(h.gateway_ip.to_string(), kGateway);
    ASSERT_TRUE(h.gateway_mac_known);
    EXPECT_EQ(h.gateway_mac.to_string(), "02:00:00:00:00:01");
    EXPECT_EQ(table_.wire_stats().arp, 1u);
}

TEST_F(WireTest, FindsAnOnLinkServerThatAnsweredArp) {
    next_hop_ = mac(0x07);
    add(arp_reply(mac(0x07), kServer), 0);
    handshake(0.001);
    const FirstHop h = first_hop(only_flow(), table_.neighbours());
    EXPECT_EQ(h.server, Placement::kOnLink);
    EXPECT_EQ(h.reason, PlacementReason::kServerAnswered);
    EXPECT_FALSE(h.gateway_mac_known);
}

TEST_F(WireTest, TakesADecrementedTtlForARouterWithoutArp) {
    handshake();  // the server's packets arrive with TTL 61
    const FirstHop h = first_hop(only_flow(), table_.neighbours());
    EXPECT_EQ(h.server, Placement::kOffLink);
    EXPECT_EQ(h.reason, PlacementReason::kServerTtlDecremented);
    EXPECT_TRUE(h.gateway_mac_known);
    EXPECT_FALSE(h.gateway_ip_known);
}

TEST_F(WireTest, SaysNothingOfAnInitialTtlWithoutArp) {
    add(tcp(true, kSynFlag, 1000, 0, 1), 0);
    add(tcp(false, kSynAck, 5000, 1001, 0, 64), 0.001);
    const FirstHop h = first_hop(only_flow(), table_.neighbours());
    EXPECT_EQ(h.server, Placement::kUnknown);
    EXPECT_EQ(h.server_mac_sources, 1u);
}

TEST_F(WireTest, TakesAMacCarryingThreeAddressesForARouter) {
    for (const char* other : {"203.0.113.8", "203.0.113.9"}) {
        add(ethernet_frame(mac(0x10), next_hop_, 0x0800,
                           ipv4_packet(1, other, kClient, {0, 0, 0, 0, 0, 1, 0, 1}, 64)),  // echo replies
            0);
    }
    add(tcp(true, kSynFlag, 1000, 0, 1), 0.001);
    add(tcp(false, kSynAck, 5000, 1001, 0, 64), 0.002);
    const FirstHop h = first_hop(only_flow(), table_.neighbours());
    EXPECT_EQ(h.server, Placement::kOffLink);
    EXPECT_EQ(h.reason, PlacementReason::kMacCarriesSeveral);
    EXPECT_EQ(h.server_mac_sources, 3u);
}

TEST_F(WireTest, FindsAnIpv6RouterFromItsAdvertisement) {
    const Bytes ra = cat({{134, 0, 0, 0, 64, 0}, be16(1800), be32(0), be32(0), {1, 1}, mac(0x01)});
    add(ethernet_frame(mac(0xff), mac(0x01), 0x86dd, ipv6_packet(58, "fe80::1", "ff02::1", ra, 255)), 0);
    const Bytes syn = ipv6_packet(6, "2001:db8:1::10", "2001:db8:4::7", segment(true, kSynFlag, 1000, 0), 64);
    add(ethernet_frame(mac(0x01), mac(0x10), 0x86dd, syn), 0.001);
    const FirstHop h = first_hop(only_flow(), table_.neighbours());
    EXPECT_EQ(h.server, Placement::kOffLink);
    EXPECT_EQ(h.reason, PlacementReason::kNextHopIsRouter);
    EXPECT_EQ(h.gateway_ip.to_string(), "fe80::1");
    EXPECT_EQ(table_.neighbours().routers(), 1u);
    EXPECT_EQ(table_.wire_stats().nd, 1u);
}

TEST_F(WireTest, RecordsTheTunnelAConnectionCameThrough) {
    auto vxlan = [&](const Bytes& inner) {
        return ethernet_frame(mac(2), mac(1), 0x0800,
                              ipv4_packet(17, "198.18.0.1", "198.18.0.2",
                                          udp_datagram(40000, 4789, cat({{0x08, 0, 0, 0}, {0, 0, 42, 0}, inner}))));
    };
    add(vxlan(tcp(true, kSynFlag, 1000, 0, 1)), 0);
    add(vxlan(tcp(false, kSynAck, 5000, 1001, 0)), 0.001);
    Flow f = only_flow();
    ASSERT_EQ(f.wire.tunnel.depth, 1);
    EXPECT_EQ(f.wire.tunnel.layers[0].kind, packet::TunnelKind::kVxlan);
    EXPECT_EQ(f.wire.tunnel.layers[0].id, 42u);
    EXPECT_FALSE(f.wire.tunnel_changed);  // the reply's endpoints are swapped: the same tunnel
    EXPECT_EQ(f.wire.client_link.src.to_string(), "02:00:00:00:00:10");  // the inner frame's
    EXPECT_EQ(table_.wire_stats().tunnelled, 2u);

    FlowTable other{FlowOptions{}};
    table_ = std::move(other);
    add(vxlan(tcp(true, kSynFlag, 1000, 0, 1)), 0);
    add(tcp(false, kSynAck, 5000, 1001, 0), 0.001);
    EXPECT_TRUE(only_flow().wire.tunnel_changed);
}

TEST_F(WireTest, ComputesMptcpTokensAsRfc8684) {
    EXPECT_EQ(mptcp_token(0x0102030405060708ULL), 0x66840ddau);
    EXPECT_EQ(mptcp_token(0), 0xaf5570f5u);
}

TEST_F(WireTest, MatchesAnMptcpJoinToItsConnection) {
    const std::uint64_t client_key = 0x1111111111111111ULL, server_key = 0x0102030405060708ULL;
    auto capable = [](std::uint8_t extra, const Bytes& keys) {
        return cat({{30, std::uint8_t(4 + keys.size()), 0x01, extra}, keys});
    };
    auto key = [](std::uint64_t k) { return cat({be32(std::uint32_t(k >> 32)), be32(std::uint32_t(k))}); };
    add(tcp(true, kSynFlag, 1000, 0, 1, 0, "", capable(0x81, {})), 0);
    add(tcp(false, kSynAck, 5000, 1001, 0, 0, "", capable(0x81, key(server_key))), 0.001);
    add(tcp(true, kAckFlag, 1001, 5001, 2, 0, "", capable(0x81, cat({key(client_key), key(server_key)}))), 0.002);
    // A second subflow from another client port, naming the server key's token.
    const Bytes join = cat({{30, 12, 0x10, 1}, be32(mptcp_token(server_key)), be32(42)});
    Bytes sub = ipv4_packet(6, kClient, kServer, segment(true, kSynFlag, 9000, 0, join), 64, 9);
    sub[20] = 0xc3, sub[21] = 0x51;  // client port 50001
    add(ethernet_frame(next_hop_, mac(0x10), 0x0800, sub), 0.1);
    // A join naming a token nobody announced.
    const Bytes stranger = cat({{30, 12, 0x10, 1}, be32(0xdeadbeef), be32(42)});
    Bytes lost = ipv4_packet(6, kClient, kServer, segment(true, kSynFlag, 7000, 0, stranger), 64, 10);
    lost[20] = 0xc3, lost[21] = 0x52;
    add(ethernet_frame(next_hop_, mac(0x10), 0x0800, lost), 0.2);

    auto flows = table_.finish();
    ASSERT_EQ(flows.size(), 3u);
    const MptcpFlow& first = flows[0].wire.mptcp;
    EXPECT_TRUE(first.capable);
    EXPECT_TRUE(first.accepted);
    EXPECT_EQ(first.version, 1);
    EXPECT_EQ(first.client_key, client_key);
    EXPECT_EQ(first.server_key, server_key);
    EXPECT_FALSE(first.join);
    EXPECT_EQ(first.subflows, 1u);
    const MptcpFlow& joined = flows[1].wire.mptcp;
    EXPECT_TRUE(joined.join);
    EXPECT_TRUE(joined.joined_found);
    EXPECT_EQ(joined.joined_client_port, 51000);
    EXPECT_EQ(joined.joined_first_packet, 1u);
    EXPECT_TRUE(flows[2].wire.mptcp.join);
    EXPECT_FALSE(flows[2].wire.mptcp.joined_found);
    EXPECT_EQ(table_.wire_stats().mptcp_joins, 2u);
    EXPECT_EQ(table_.wire_stats().mptcp_joins_unmatched, 1u);
}

TEST_F(WireTest, SpillsWireWithTheConnection) {
    add(arp_reply(mac(0x01), kGateway), 0);
    for (int i = 0; i < 2; ++i) add(tcp(true, kSynFlag, 1000, 0, 1), i * 0.0001);
    Flow f = only_flow();
    const Flow back = deserialize(serialize(f));
    EXPECT_EQ(back.wire.duplicates, 1u);
    EXPECT_EQ(back.wire.client_link, f.wire.client_link);
}

}  // namespace
}  // namespace sshpath::flow
