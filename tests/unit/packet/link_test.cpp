#include <gtest/gtest.h>

#include "sshpath/packet/decoder.h"
#include "wire.h"

namespace sshpath::packet {
namespace {

using namespace test_util;

Bytes syn() { return ipv4_packet(6, "198.51.100.10", "203.0.113.7", tcp_syn()); }

class LinkTest : public ::testing::Test {
protected:
    Decoded decode_;
};

TEST_F(LinkTest, ReadsEthernetAddressesAndVlanId) {
    const Packet p = decode_(kLinkEthernet, ethernet_frame(mac(0x0b), mac(0x0a), 0x8100, cat({be16(0x2000 | 42),
                                                                                             be16(0x0800), syn()})));
    EXPECT_EQ(p.link.kind, LinkKind::kEthernet);
    EXPECT_TRUE(p.link.addresses.has_src);
    EXPECT_TRUE(p.link.addresses.has_dst);
    EXPECT_EQ(p.link.addresses.src.to_string(), "02:00:00:00:00:0a");
    EXPECT_EQ(p.link.addresses.dst.to_string(), "02:00:00:00:00:0b");
    EXPECT_EQ(p.link.vlan_tags, 1);
    EXPECT_EQ(p.link.vlan_id, 42);
    EXPECT_EQ(p.link.ethertype, 0x0800);
    EXPECT_EQ(p.link.sll_type, SllPacketType::kNone);
    EXPECT_EQ(p.inner_link(), &p.link.addresses);
}

TEST_F(LinkTest, ReadsLinuxCookedPacketTypeAndSourceAddress) {
    // outgoing, ARPHRD_ETHER, 6-byte address
    const Bytes header = cat({be16(4), be16(1), be16(6), mac(0x0a), {0, 0}, be16(0x0800)});
    const Packet p = decode_(kLinkSll, cat({header, syn()}));
    EXPECT_EQ(p.link.kind, LinkKind::kSll);
    EXPECT_EQ(p.link.sll_type, SllPacketType::kOutgoing);
    EXPECT_TRUE(p.link.addresses.has_src);
    EXPECT_FALSE(p.link.addresses.has_dst);
    EXPECT_EQ(p.link.addresses.src.to_string(), "02:00:00:00:00:0a");
    EXPECT_EQ(p.tcp.dport, 22);
}

TEST_F(LinkTest, LeavesCookedAddressOfOtherDevicesOut) {
    // ARPHRD_LOOPBACK (772) and ARPHRD_NONE (0xfffe, a tun device) with no address
    for (std::uint16_t hatype : {772, 0xfffe}) {
        const Bytes header = cat({be16(0), be16(hatype), be16(hatype == 772 ? 6 : 0), Bytes(8, 0), be16(0x0800)});
        const Packet p = decode_(kLinkSll, cat({header, syn()}));
        EXPECT_FALSE(p.link.addresses.has_src) << hatype;
        EXPECT_EQ(p.link.sll_type, SllPacketType::kHost);
    }
}

TEST_F(LinkTest, ReadsLinuxCookedV2InterfaceTypeAndAddress) {
    // protocol, reserved, ifindex 3, ARPHRD_ETHER, packet type 3 (other host), length 6
    const Bytes header = cat({be16(0x0800), be16(0), be32(3), be16(1), {3, 6}, mac(0x0c), {0, 0}});
    const Packet p = decode_(kLinkSll2, cat({header, syn()}));
    EXPECT_EQ(p.link.kind, LinkKind::kSll2);
    EXPECT_EQ(p.link.sll_ifindex, 3u);
    EXPECT_EQ(p.link.sll_type, SllPacketType::kOtherHost);
    EXPECT_EQ(p.link.addresses.src.to_string(), "02:00:00:00:00:0c");
}

TEST_F(LinkTest, HasNoAddressesOnRawIpAndLoopback) {
    const Packet raw = decode_(kLinkRaw, syn());
    EXPECT_EQ(raw.link.kind, LinkKind::kRaw);
    EXPECT_FALSE(raw.link.addresses.has_src);
    const Packet loop = decode_(kLinkNull, cat({le32(2), syn()}));
    EXPECT_EQ(loop.link.kind, LinkKind::kLoopback);
    EXPECT_FALSE(loop.link.addresses.has_dst);
}

TEST_F(LinkTest, NamesMacAddresses) {
    EXPECT_EQ(MacAddress::from(Bytes{0xde, 0xad, 0xbe, 0xef, 0x00, 0x01}.data()).to_string(), "de:ad:be:ef:00:01");
    EXPECT_TRUE(MacAddress::from(Bytes{0x33, 0x33, 0, 0, 0, 1}.data()).is_multicast());
    EXPECT_FALSE(MacAddress::from(mac(1).data()).is_multicast());
}

}  // namespace
}  // namespace sshpath::packet
