#include <gtest/gtest.h>

#include "sshpath/packet/decoder.h"
#include "wire.h"

namespace sshpath::packet {
namespace {

using namespace test_util;

Bytes arp(std::uint16_t op, const Bytes& sender_mac, const std::string& sender_ip, const Bytes& target_mac,
          const std::string& target_ip) {
    return cat({be16(1), be16(0x0800), {6, 4}, be16(op), sender_mac, address_bytes(sender_ip), target_mac, address_bytes(target_ip)});
}

Bytes icmpv6(std::uint8_t type, const Bytes& body) { return cat({{type, 0, 0, 0}, body}); }

Bytes nd_frame(const std::string& src, const std::string& dst, const Bytes& message, std::uint8_t hop_limit = 255) {
    return ethernet_frame(mac(0xff), mac(1), 0x86dd, ipv6_packet(58, src, dst, message, hop_limit));
}

Bytes mac_option(std::uint8_t type, const Bytes& address) { return cat({{type, 1}, address}); }

class NeighbourTest : public ::testing::Test {
protected:
    Decoded decode_;
};

TEST_F(NeighbourTest, ReadsArpRequestAndReply) {
    const Packet request = decode_(kLinkEthernet, ethernet_frame({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, mac(0x10), 0x0806,
                                                                 arp(1, mac(0x10), "198.51.100.10", Bytes(6, 0),
                                                                     "198.51.100.1")));
    EXPECT_FALSE(request.malformed) << request.problem;
    EXPECT_EQ(request.ip_version, 0);
    EXPECT_EQ(request.link.ethertype, 0x0806);
    EXPECT_TRUE(request.link.addresses.dst.is_broadcast());
    EXPECT_EQ(request.arp.op, kArpRequest);
    EXPECT_EQ(request.arp.sender_mac.to_string(), "02:00:00:00:00:10");
    EXPECT_EQ(request.arp.sender_ip.to_string(), "198.51.100.10");
    EXPECT_EQ(request.arp.target_ip.to_string(), "198.51.100.1");

    const Packet reply = decode_(kLinkEthernet, ethernet_frame(mac(0x10), mac(0x01), 0x0806,
                                                               arp(2, mac(0x01), "198.51.100.1", mac(0x10),
                                                                   "198.51.100.10")));
    EXPECT_EQ(reply.arp.op, kArpReply);
    EXPECT_EQ(reply.arp.sender_mac.to_string(), "02:00:00:00:00:01");
    EXPECT_EQ(reply.arp.sender_ip.to_string(), "198.51.100.1");
    EXPECT_EQ(reply.arp.target_mac.to_string(), "02:00:00:00:00:10");
}

TEST_F(NeighbourTest, ReadsArpThatLibtinsBuilds) {
    Tins::EthernetII eth = Tins::ARP::make_arp_reply("198.51.100.10", "198.51.100.1", "02:00:00:00:00:10",
                                                     "02:00:00:00:00:01");
    const Packet p = decode_(kLinkEthernet, serialize(eth));
    EXPECT_EQ(p.arp.op, kArpReply);
    EXPECT_EQ(p.arp.sender_ip.to_string(), "198.51.100.1");
    EXPECT_EQ(p.arp.sender_mac.to_string(), "02:00:00:00:00:01");
}

TEST_F(NeighbourTest, LeavesOtherArpUndecodedAndCutArpMalformed) {
    Bytes other = arp(1, mac(1), "198.51.100.1", mac(2), "198.51.100.2");
    other[1] = 6;  // IEEE 802 networks
    const Packet p = decode_(kLinkEthernet, ethernet_frame(mac(2), mac(1), 0x0806, other));
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(p.arp.op, 0);
    decode_every_prefix(kLinkEthernet, ethernet_frame(mac(2), mac(1), 0x0806, arp(1, mac(1), "198.51.100.1", mac(2),
                                                                                   "198.51.100.2")));
}

TEST_F(NeighbourTest, ReadsNeighbourSolicitationWithSourceAddressOption) {
    const Bytes ns = icmpv6(135, cat({be32(0), address_bytes("2001:db8:1::1"), mac_option(1, mac(0x10))}));
    const Packet p = decode_(kLinkEthernet, nd_frame("2001:db8:1::10", "ff02::1:ff00:1", ns));
    EXPECT_FALSE(p.malformed) << p.problem;
    ASSERT_EQ(p.transport, Transport::kIcmp);
    const NeighborDiscovery& nd = p.icmp.nd;
    EXPECT_EQ(nd.type, kNdNeighborSolicitation);
    EXPECT_EQ(nd.target.to_string(), "2001:db8:1::1");
    EXPECT_TRUE(nd.has_source_mac);
    EXPECT_EQ(nd.source_mac.to_string(), "02:00:00:00:00:10");
    EXPECT_FALSE(nd.has_target_mac);
    EXPECT_FALSE(p.icmp.is_error);
}

TEST_F(NeighbourTest, ReadsNeighbourAdvertisementFlagsAndTargetAddress) {
    const Bytes na = icmpv6(136, cat({{0xe0, 0, 0, 0}, address_bytes("2001:db8:1::1"), mac_option(2, mac(0x01))}));
    const Packet p = decode_(kLinkEthernet, nd_frame("2001:db8:1::1", "2001:db8:1::10", na));
    const NeighborDiscovery& nd = p.icmp.nd;
    EXPECT_EQ(nd.type, kNdNeighborAdvertisement);
    EXPECT_TRUE(nd.router);
    EXPECT_TRUE(nd.solicited);
    EXPECT_TRUE(nd.override_entry);
    EXPECT_EQ(nd.target.to_string(), "2001:db8:1::1");
    EXPECT_TRUE(nd.has_target_mac);
    EXPECT_EQ(nd.target_mac.to_string(), "02:00:00:00:00:01");
}

TEST_F(NeighbourTest, ReadsRouterAdvertisementAmongOtherOptions) {
    // cur hop limit, flags, lifetime 1800 s, reachable, retrans; a prefix option (32 bytes)
    // before the source link-layer address.
    const Bytes prefix = cat({{3, 4, 64, 0xc0}, Bytes(28, 0)});
    const Bytes ra = icmpv6(134, cat({{64, 0}, be16(1800), be32(0), be32(0), prefix, mac_option(1, mac(0x01))}));
    const Packet p = decode_(kLinkEthernet, nd_frame("fe80::1", "ff02::1", ra));
    const NeighborDiscovery& nd = p.icmp.nd;
    EXPECT_EQ(nd.type, kNdRouterAdvertisement);
    EXPECT_EQ(nd.router_lifetime, 1800);
    EXPECT_TRUE(nd.has_source_mac);
    EXPECT_EQ(nd.source_mac.to_string(), "02:00:00:00:00:01");
}

TEST_F(NeighbourTest, IgnoresForwardedNeighbourDiscoveryAndZeroLengthOptions) {
    const Bytes na = icmpv6(136, cat({{0x60, 0, 0, 0}, address_bytes("2001:db8:1::1"), mac_option(2, mac(0x01))}));
    EXPECT_EQ(decode_(kLinkEthernet, nd_frame("2001:db8:1::1", "2001:db8:1::10", na, 254)).icmp.nd.type, 0);
    const Bytes zero = icmpv6(135, cat({be32(0), address_bytes("2001:db8:1::1"), {1, 0}, Bytes(6, 0), mac_option(1, mac(2))}));
    const Packet p = decode_(kLinkEthernet, nd_frame("2001:db8:1::10", "ff02::1:ff00:1", zero));
    EXPECT_EQ(p.icmp.nd.type, kNdNeighborSolicitation);
    EXPECT_FALSE(p.icmp.nd.has_source_mac);  // the walk stops at the invalid option
}

TEST_F(NeighbourTest, SurvivesNeighbourDiscoveryCutAtEveryLength) {
    const Bytes ra = icmpv6(134, cat({{64, 0}, be16(1800), be32(0), be32(0), mac_option(1, mac(0x01))}));
    decode_every_prefix(kLinkEthernet, nd_frame("fe80::1", "ff02::1", ra));
}

}  // namespace
}  // namespace sshpath::packet
