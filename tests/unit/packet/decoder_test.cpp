// The decoder: link layers, VLAN tags, reuse of a Packet, hostile frames.
#include "decoder_fixture.h"

namespace sshpath::packet::test {
namespace {

TEST_F(DecoderTest, DecodesEthernetIpv4TcpSynWithOptions) {
    Tins::EthernetII eth = Tins::EthernetII() / client_ip() / syn_segment(51000, 22, 1000);
    const Packet p = decode_frame(kLinkEthernet, serialize(eth));
    expect_ipv4_syn(p);
    EXPECT_EQ(p.link.vlan_tags, 0);
    EXPECT_EQ(p.ttl, 61);
    EXPECT_EQ(p.ip_id, 0x1234);
    EXPECT_TRUE(p.dont_fragment);
    EXPECT_FALSE(p.fragment);
    EXPECT_EQ(p.ip_total_len, 20 + 40);
    EXPECT_EQ(p.tcp.window, 64240);
    EXPECT_EQ(p.tcp.options.mss, 1460);
    EXPECT_EQ(p.tcp.options.wscale, 7);
    EXPECT_TRUE(p.tcp.options.sack_permitted);
    EXPECT_TRUE(p.tcp.options.timestamps);
    EXPECT_EQ(p.tcp.options.ts_val, 1111u);
    EXPECT_EQ(p.tcp.options.ts_ecr, 0u);
    EXPECT_EQ(p.tcp.options.count, 4);
    EXPECT_EQ(p.payload_wire_len, 0u);
    EXPECT_FALSE(p.payload_truncated);
}

TEST_F(DecoderTest, ReportsTcpPayloadAndFlags) {
    const Packet p = decode_frame(kLinkRaw, ipv4_data("SSH-2.0-OpenSSH_9.6\r\n"));
    ASSERT_EQ(p.transport, Transport::kTcp);
    EXPECT_TRUE(p.tcp.has(kPsh));
    EXPECT_TRUE(p.tcp.has(kAck));
    EXPECT_FALSE(p.tcp.has(kSyn));
    EXPECT_EQ(p.tcp.ack, 5001u);
    EXPECT_EQ(p.tcp.options.mss, -1);
    EXPECT_EQ(p.tcp.options.wscale, -1);
    EXPECT_EQ(p.tcp.options.count, 0);
    EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "SSH-2.0-OpenSSH_9.6\r\n");
    EXPECT_EQ(p.payload_wire_len, 21u);
}

TEST_F(DecoderTest, ExcludesEthernetPaddingFromPayload) {
    Tins::TCP tcp(22, 51000);
    tcp.flags(Tins::TCP::ACK);
    Tins::EthernetII eth = Tins::EthernetII() / client_ip() / tcp / Tins::RawPDU("abc");
    const Bytes frame = serialize(eth);
    ASSERT_EQ(frame.size(), 60u);  // libtins pads to the Ethernet minimum
    const Packet p = decode_frame(kLinkEthernet, frame);
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "abc");
    EXPECT_EQ(p.payload_wire_len, 3u);
    EXPECT_FALSE(p.payload_truncated);
}

TEST_F(DecoderTest, ExcludesEthernetPaddingFromEmptyAck) {
    Tins::TCP tcp(22, 51000);
    tcp.flags(Tins::TCP::ACK);
    Tins::EthernetII eth = Tins::EthernetII() / client_ip() / tcp;
    const Packet p = decode_frame(kLinkEthernet, serialize(eth));
    EXPECT_FALSE(p.malformed);
    EXPECT_TRUE(p.payload.empty());
    EXPECT_EQ(p.payload_wire_len, 0u);
}

TEST_F(DecoderTest, SkipsDot1QTag) {
    Tins::EthernetII eth =
        Tins::EthernetII() / Tins::Dot1Q(42, false) / client_ip() / syn_segment(51000, 22, 1000);
    const Packet p = decode_frame(kLinkEthernet, serialize(eth));
    expect_ipv4_syn(p);
    EXPECT_EQ(p.link.vlan_tags, 1);
}

TEST_F(DecoderTest, SkipsQinQTags) {
    Tins::EthernetII eth = Tins::EthernetII() / Tins::Dot1Q(100, false) / Tins::Dot1Q(42, false) /
                           client_ip() / syn_segment(51000, 22, 1000);
    Bytes frame = serialize(eth);
    // libtins 4.0 labels the tags the other way round; make them 802.1ad outside, 802.1Q inside.
    const Bytes service = be16(0x88a8), customer = be16(0x8100);
    std::copy(service.begin(), service.end(), frame.begin() + 12);
    std::copy(customer.begin(), customer.end(), frame.begin() + 16);
    const Packet p = decode_frame(kLinkEthernet, frame);
    expect_ipv4_syn(p);
    EXPECT_EQ(p.link.vlan_tags, 2);
}

TEST_F(DecoderTest, SkipsFourMixedTags) {
    const Bytes frame =
        cat({kMacs,
             {0x91, 0x00, 0, 1, 0x88, 0xa8, 0, 2, 0x81, 0x00, 0, 3, 0x81, 0x00, 0, 4},
             be16(0x0800),
             ipv4_syn()});
    const Packet p = decode_frame(kLinkEthernet, frame);
    expect_ipv4_syn(p);
    EXPECT_EQ(p.link.vlan_tags, 4);
}

TEST_F(DecoderTest, RejectsFiveTags) {
    Bytes tags;
    for (int i = 0; i < 5; ++i) tags = cat({tags, {0x81, 0x00, 0, 1}});
    const Packet p = decode_frame(kLinkEthernet, cat({kMacs, tags, be16(0x0800), ipv4_syn()}));
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "more than 4 VLAN tags");
    EXPECT_EQ(p.ip_version, 0);
}

TEST_F(DecoderTest, LeavesArpAsNonIp) {
    Tins::EthernetII eth = Tins::ARP::make_arp_request("10.0.0.1", "10.0.0.2");
    const Packet p = decode_frame(kLinkEthernet, serialize(eth));
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(p.ip_version, 0);
    EXPECT_EQ(p.transport, Transport::kNone);
}

TEST_F(DecoderTest, DecodesLinuxCookedV1) {
    const Bytes header = cat({be16(4), be16(1), be16(6), {1, 2, 3, 4, 5, 6, 0, 0}, be16(0x0800)});
    ASSERT_EQ(header.size(), 16u);
    expect_ipv4_syn(decode_frame(kLinkSll, cat({header, ipv4_syn()})));
}

TEST_F(DecoderTest, DecodesLinuxCookedV1WithVlanTag) {
    const Bytes header = cat({be16(0), be16(1), be16(6), {1, 2, 3, 4, 5, 6, 0, 0}});
    const Packet p =
        decode_frame(kLinkSll, cat({header, be16(0x8100), {0, 7}, be16(0x86dd), ipv6_syn()}));
    expect_ipv6_syn(p);
    EXPECT_EQ(p.link.vlan_tags, 1);
}

TEST_F(DecoderTest, DecodesLinuxCookedV2) {
    const Bytes header =
        cat({be16(0x86dd), be16(0), be32(3), be16(1), {0, 6}, {1, 2, 3, 4, 5, 6, 0, 0}});
    ASSERT_EQ(header.size(), 20u);
    expect_ipv6_syn(decode_frame(kLinkSll2, cat({header, ipv6_syn()})));
}

TEST_F(DecoderTest, DecodesRawIpUnderEveryRawLinkType) {
    for (int link : {kLinkRaw, kLinkRawDlt12, kLinkRawDlt14}) {
        SCOPED_TRACE(link);
        expect_ipv4_syn(decode_frame(link, ipv4_syn()));
        expect_ipv6_syn(decode_frame(link, ipv6_syn()));
    }
    expect_ipv4_syn(decode_frame(kLinkIpv4, ipv4_syn()));
    expect_ipv6_syn(decode_frame(kLinkIpv6, ipv6_syn()));
}

TEST_F(DecoderTest, RejectsWrongVersionOnVersionSpecificLinkTypes) {
    Packet p = decode_frame(kLinkIpv4, ipv6_syn());
    EXPECT_TRUE(p.malformed);
    EXPECT_EQ(p.ip_version, 0);
    p = decode_frame(kLinkIpv6, ipv4_syn());
    EXPECT_TRUE(p.malformed);
    p = decode_frame(kLinkRaw, Bytes{0x50, 0, 0, 0});
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "raw IP frame is neither IPv4 nor IPv6");
}

TEST_F(DecoderTest, DecodesBsdNullInEitherByteOrder) {
    expect_ipv4_syn(decode_frame(kLinkNull, cat({le32(2), ipv4_syn()})));
    expect_ipv4_syn(decode_frame(kLinkNull, cat({be32(2), ipv4_syn()})));
    for (std::uint32_t family : {24u, 28u, 30u}) {
        SCOPED_TRACE(family);
        expect_ipv6_syn(decode_frame(kLinkNull, cat({le32(family), ipv6_syn()})));
        expect_ipv6_syn(decode_frame(kLinkNull, cat({be32(family), ipv6_syn()})));
    }
}

TEST_F(DecoderTest, LeavesUnknownLoopbackFamilyAsNonIp) {
    const Packet p = decode_frame(kLinkNull, cat({le32(7), ipv4_syn()}));
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(p.ip_version, 0);
}

TEST_F(DecoderTest, DecodesOpenBsdLoopInNetworkOrder) {
    expect_ipv4_syn(decode_frame(kLinkLoop, cat({be32(2), ipv4_syn()})));
    expect_ipv6_syn(decode_frame(kLinkLoop, cat({be32(24), ipv6_syn()})));
    EXPECT_EQ(decode_frame(kLinkLoop, cat({le32(2), ipv4_syn()})).ip_version, 0);
}

TEST_F(DecoderTest, MarksUnsupportedLinkTypeMalformed) {
    const Packet p = decode_frame(105, ipv4_syn());
    EXPECT_TRUE(p.malformed);
    EXPECT_EQ(p.ip_version, 0);
}

TEST_F(DecoderTest, ReadsUdpPorts) {
    Tins::IP ip = client_ip() / Tins::UDP(53, 5353) / Tins::RawPDU("q");
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_EQ(p.transport, Transport::kUdp);
    EXPECT_EQ(p.udp.sport, 5353);
    EXPECT_EQ(p.udp.dport, 53);
    EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "q");
    EXPECT_EQ(p.payload_wire_len, 1u);
}

TEST_F(DecoderTest, ResetsReusedPacketButKeepsCallerFields) {
    Packet p;
    p.number = 7;
    p.time = 12.5;
    p.caplen = 60;
    p.wirelen = 60;
    decode(kLinkRaw, ipv4_data("abc"), p);
    ASSERT_EQ(p.transport, Transport::kTcp);
    decode(kLinkRaw, Bytes{0x45}, p);
    EXPECT_TRUE(p.malformed);
    EXPECT_EQ(p.transport, Transport::kNone);
    EXPECT_EQ(p.tcp.sport, 0);
    EXPECT_TRUE(p.payload.empty());
    EXPECT_EQ(p.number, 7u);
    EXPECT_EQ(p.time, 12.5);
    EXPECT_EQ(p.caplen, 60u);
    Tins::EthernetII arp = Tins::ARP::make_arp_request("10.0.0.1", "10.0.0.2");
    decode(kLinkEthernet, serialize(arp), p);
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(p.problem, nullptr);
}

TEST_F(DecoderTest, SurvivesEthernetIpv4TcpCutAtEveryLength) {
    Tins::TCP tcp = syn_segment(51000, 22, 1000);
    Tins::EthernetII eth =
        Tins::EthernetII() / Tins::Dot1Q(5, false) / client_ip() / tcp / Tins::RawPDU("payload!");
    decode_every_prefix(kLinkEthernet, serialize(eth));
}

TEST_F(DecoderTest, SurvivesIpv6ExtensionHeadersCutAtEveryLength) {
    const Bytes frame = ipv6_syn(cat({ipv6_ext8(60), ipv6_fragment(6, 0, true)}), 0);
    decode_every_prefix(kLinkSll2, cat({be16(0x86dd), Bytes(18, 0), frame}));
}

TEST_F(DecoderTest, SurvivesRandomFramesOnEveryLinkType) {
    std::mt19937 rng(12345);
    const Bytes seeds[] = {ipv4_syn(),
                           ipv6_syn(cat({ipv6_ext8(44), ipv6_fragment(6, 0, true)}), 0)};
    const int links[] = {kLinkNull, kLinkEthernet, kLinkRaw,  kLinkRawDlt12, kLinkRawDlt14,
                         kLinkLoop, kLinkSll,      kLinkSll2, kLinkIpv4,     kLinkIpv6};
    for (int round = 0; round < 20000; ++round) {
        const int link = links[round % std::size(links)];
        Bytes frame;
        if (link == kLinkEthernet) frame = cat({kMacs, be16(round % 2 ? 0x0800 : 0x86dd)});
        if (link == kLinkSll) frame = cat({Bytes(14, 0), be16(0x0800)});
        if (link == kLinkSll2) frame = cat({be16(0x86dd), Bytes(18, 0)});
        if (link == kLinkNull || link == kLinkLoop) frame = be32(round % 2 ? 2 : 24);
        frame = cat({frame, seeds[round % 2]});
        // Flip a few bytes and cut at a random length.
        for (int i = 0; i < 4; ++i) frame[rng() % frame.size()] = std::uint8_t(rng());
        frame.resize(rng() % (frame.size() + 1));
        Packet p;
        decode(link, frame, p);
        EXPECT_EQ(p.malformed, p.problem != nullptr);
        if (!p.payload.empty()) {
            ASSERT_GE(p.payload.data(), frame.data());
            ASSERT_LE(p.payload.data() + p.payload.size(), frame.data() + frame.size());
        }
    }
}

TEST_F(DecoderTest, KnowsSupportedLinkTypes) {
    for (int link : {0, 1, 12, 14, 101, 108, 113, 228, 229, 276})
        EXPECT_TRUE(link_type_supported(link)) << link;
    for (int link : {-1, 2, 9, 105, 127, 147, 1000})
        EXPECT_FALSE(link_type_supported(link)) << link;
}

TEST_F(DecoderTest, NamesSupportedLinkTypesOnly) {
    EXPECT_STREQ(known_link_type_name(1), "EN10MB (Ethernet)");
    EXPECT_STREQ(known_link_type_name(113), "LINUX_SLL (Linux cooked v1)");
    EXPECT_STREQ(known_link_type_name(276), "LINUX_SLL2 (Linux cooked v2)");
    EXPECT_STREQ(known_link_type_name(101), "RAW (raw IP)");
    EXPECT_STREQ(known_link_type_name(0), "NULL (BSD loopback)");
    EXPECT_EQ(known_link_type_name(105), nullptr);
}

}  // namespace
}  // namespace sshpath::packet::test
