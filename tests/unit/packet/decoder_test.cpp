#include "sshpath/packet/decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>

#include "frames.h"

namespace sshpath::packet {
namespace {

using test_util::be16;
using test_util::be32;
using test_util::Bytes;
using test_util::cat;
using test_util::ipv6_ext8;
using test_util::ipv6_fragment;
using test_util::ipv6_header;
using test_util::le32;
using test_util::serialize;
using test_util::syn_segment;

const Bytes kMacs = {0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa};

class DecoderTest : public ::testing::Test {
protected:
    // The client's SYN to the server: 198.51.100.7:51000 -> 192.0.2.10:22.
    static Tins::IP client_ip() {
        Tins::IP ip("192.0.2.10", "198.51.100.7");
        ip.id(0x1234);
        ip.ttl(61);
        ip.flags(Tins::IP::DONT_FRAGMENT);
        return ip;
    }

    static Bytes ipv4_syn() {
        Tins::IP ip = client_ip() / syn_segment(51000, 22, 1000);
        return serialize(ip);
    }

    static Bytes ipv4_data(const std::string& text) {
        Tins::TCP tcp(22, 51000);
        tcp.flags(Tins::TCP::PSH | Tins::TCP::ACK);
        tcp.seq(1001);
        tcp.ack_seq(5001);
        Tins::IP ip = client_ip() / tcp / Tins::RawPDU(text);
        return serialize(ip);
    }

    static Bytes ipv6_syn(Bytes ext = {}, std::uint8_t first_next = 6) {
        Tins::TCP tcp = syn_segment(51000, 22, 7000);
        const Bytes seg = serialize(tcp);
        return cat({ipv6_header(first_next, std::uint16_t(ext.size() + seg.size()), "2001:db8::7",
                                "2001:db8:0:1::10", 57),
                    ext, seg});
    }

    static Bytes ethernet(std::uint16_t type, const Bytes& body) {
        return cat({kMacs, be16(type), body});
    }

    // Keeps the frame alive for the rest of the test: the packet's payload points into it.
    Packet decode_frame(int link_type, Bytes frame) {
        frames_.push_back(std::move(frame));
        Packet p;
        decode(link_type, frames_.back(), p);
        return p;
    }

    static void expect_ipv4_syn(const Packet& p) {
        EXPECT_FALSE(p.malformed) << (p.problem ? p.problem : "");
        EXPECT_EQ(p.ip_version, 4);
        EXPECT_EQ(p.src.to_string(), "198.51.100.7");
        EXPECT_EQ(p.dst.to_string(), "192.0.2.10");
        ASSERT_EQ(p.transport, Transport::kTcp);
        EXPECT_EQ(p.tcp.sport, 51000);
        EXPECT_EQ(p.tcp.dport, 22);
        EXPECT_EQ(p.tcp.seq, 1000u);
        EXPECT_EQ(p.tcp.flags, kSyn);
        EXPECT_TRUE(p.payload.empty());
    }

    static void expect_ipv6_syn(const Packet& p) {
        EXPECT_FALSE(p.malformed) << (p.problem ? p.problem : "");
        EXPECT_EQ(p.ip_version, 6);
        EXPECT_EQ(p.src.to_string(), "2001:db8::7");
        EXPECT_EQ(p.dst.to_string(), "2001:db8:0:1::10");
        EXPECT_EQ(p.ttl, 57);
        ASSERT_EQ(p.transport, Transport::kTcp);
        EXPECT_EQ(p.tcp.sport, 51000);
        EXPECT_EQ(p.tcp.dport, 22);
        EXPECT_EQ(p.tcp.seq, 7000u);
        EXPECT_EQ(p.tcp.options.mss, 1460);
    }

    // Decodes every prefix of `frame`, each in a buffer of exactly that size so AddressSanitizer
    // catches any read past it.
    void decode_every_prefix(int link_type, const Bytes& frame) {
        for (std::size_t len = 0; len <= frame.size(); ++len) {
            SCOPED_TRACE("prefix length " + std::to_string(len));
            const Bytes cut(frame.begin(), frame.begin() + std::ptrdiff_t(len));
            Packet p;
            decode(link_type, cut, p);
            if (!p.payload.empty()) {
                EXPECT_GE(p.payload.data(), cut.data());
                EXPECT_LE(p.payload.data() + p.payload.size(), cut.data() + cut.size());
            }
            if (len == frame.size()) {
                EXPECT_FALSE(p.malformed) << p.problem;
                EXPECT_FALSE(p.payload_truncated);
            } else {
                EXPECT_TRUE(p.malformed || p.payload_truncated);
                EXPECT_EQ(p.malformed, p.problem != nullptr);
            }
        }
    }

    std::deque<Bytes> frames_;
};

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

TEST_F(DecoderTest, SkipsIpv4OptionsUsingIhl) {
    Bytes ip = ipv4_syn();
    const Bytes option = {0x94, 0x04, 0, 0};  // router alert
    ip.insert(ip.begin() + 20, option.begin(), option.end());
    ip[0] = 0x46;
    const std::uint16_t total = std::uint16_t(ip.size());
    ip[2] = std::uint8_t(total >> 8);
    ip[3] = std::uint8_t(total);
    expect_ipv4_syn(decode_frame(kLinkRaw, ip));
}

TEST_F(DecoderTest, MarksIhlBelowFiveMalformed) {
    Bytes ip = ipv4_syn();
    ip[0] = 0x44;
    const Packet p = decode_frame(kLinkRaw, ip);
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "IPv4 header length below 20");
    EXPECT_EQ(p.transport, Transport::kNone);
}

TEST_F(DecoderTest, MarksTotalLengthBelowHeaderMalformed) {
    Bytes ip = ipv4_syn();
    ip[2] = 0;
    ip[3] = 19;
    const Packet p = decode_frame(kLinkRaw, ip);
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "IPv4 total length shorter than header");
    EXPECT_EQ(p.ip_version, 4);
    EXPECT_EQ(p.transport, Transport::kNone);
}

TEST_F(DecoderTest, TakesFrameLengthWhenOffloadLeftTotalLengthZero) {
    Bytes ip = ipv4_data("hello");
    ip[2] = 0;
    ip[3] = 0;
    const Packet p = decode_frame(kLinkRaw, ip);
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(p.ip_total_len, 0);
    EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "hello");
    EXPECT_EQ(p.payload_wire_len, 5u);
}

TEST_F(DecoderTest, FlagsPayloadCutBySnapLength) {
    const Bytes ip = ipv4_data("0123456789");
    const Bytes cut(ip.begin(), ip.end() - 4);
    const Packet p = decode_frame(kLinkRaw, cut);
    EXPECT_FALSE(p.malformed);
    EXPECT_TRUE(p.payload_truncated);
    EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "012345");
    EXPECT_EQ(p.payload_wire_len, 10u);
    EXPECT_EQ(p.ip_total_len, ip.size());
}

TEST_F(DecoderTest, KeepsSynWhoseOptionsTheSnapLengthCut) {
    const Bytes ip = ipv4_syn();
    const Bytes cut(ip.begin(), ip.begin() + 20 + 20 + 6);  // MSS and SACK-permitted survive
    const Packet p = decode_frame(kLinkRaw, cut);
    EXPECT_FALSE(p.malformed);
    EXPECT_TRUE(p.payload_truncated);
    ASSERT_EQ(p.transport, Transport::kTcp);
    EXPECT_EQ(p.tcp.dport, 22);
    EXPECT_EQ(p.tcp.options.mss, 1460);
    EXPECT_FALSE(p.tcp.options.timestamps);
}

TEST_F(DecoderTest, MarksCutTcpHeaderMalformed) {
    const Bytes ip = ipv4_syn();
    const Packet p = decode_frame(kLinkRaw, Bytes(ip.begin(), ip.begin() + 30));
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "truncated TCP header");
    EXPECT_EQ(p.ip_version, 4);
}

TEST_F(DecoderTest, MarksDataOffsetBelowFiveMalformedButKeepsPorts) {
    Bytes ip = ipv4_syn();
    ip[20 + 12] = 0x40;
    const Packet p = decode_frame(kLinkRaw, ip);
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "bad TCP data offset");
    EXPECT_EQ(p.transport, Transport::kTcp);
    EXPECT_EQ(p.tcp.dport, 22);
}

TEST_F(DecoderTest, MarksZeroOptionLengthMalformedButKeepsHeader) {
    Tins::TCP tcp(22, 51000);
    tcp.flags(Tins::TCP::SYN);
    tcp.mss(1400);
    tcp.winscale(2);
    Tins::IP ip = client_ip() / tcp / Tins::RawPDU("xy");
    Bytes frame = serialize(ip);
    // Options: MSS (4) then window scale (3) + NOP; make the window scale length 0.
    ASSERT_EQ(frame[20 + 20 + 4], 3);
    frame[20 + 20 + 5] = 0;
    const Packet p = decode_frame(kLinkRaw, frame);
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "bad TCP option length");
    EXPECT_EQ(p.transport, Transport::kTcp);
    EXPECT_EQ(p.tcp.sport, 51000);
    EXPECT_EQ(p.tcp.options.mss, 1400);
    EXPECT_EQ(p.tcp.options.wscale, -1);
    EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "xy");
}

TEST_F(DecoderTest, MarksOptionRunningPastHeaderMalformed) {
    Bytes ip = ipv4_syn();
    ip[20 + 20 + 1] = 40;  // MSS claiming 40 bytes in a 20-byte option area
    const Packet p = decode_frame(kLinkRaw, ip);
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "bad TCP option length");
    EXPECT_EQ(p.tcp.options.mss, -1);
}

TEST_F(DecoderTest, MarksWrongLengthForKnownOptionMalformed) {
    Bytes ip = ipv4_syn();
    ASSERT_EQ(ip[20 + 20], 2);
    ip[20 + 20 + 1] = 3;
    EXPECT_TRUE(decode_frame(kLinkRaw, ip).malformed);
}

TEST_F(DecoderTest, CountsUnknownOptions) {
    Tins::TCP tcp(22, 51000);
    const Bytes sack_block = {0, 0, 0, 1, 0, 0, 0, 2};
    tcp.add_option(Tins::TCP::option(Tins::TCP::SACK, sack_block.size(), sack_block.data()));
    tcp.mss(1200);
    Tins::IP ip = client_ip() / tcp;
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_FALSE(p.malformed) << p.problem;
    EXPECT_EQ(p.tcp.options.count, 2);
    EXPECT_EQ(p.tcp.options.mss, 1200);
}

TEST_F(DecoderTest, MarksNonFirstIpv4FragmentWithoutTransport) {
    Tins::IP ip = client_ip() / Tins::RawPDU(std::string(24, 'z'));
    ip.protocol(6);
    ip.fragment_offset(185);
    ip.flags(Tins::IP::Flags(0));
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_FALSE(p.malformed);
    EXPECT_TRUE(p.fragment);
    EXPECT_FALSE(p.dont_fragment);
    EXPECT_EQ(p.transport, Transport::kNone);
    EXPECT_EQ(p.tcp.dport, 0);
    EXPECT_EQ(p.payload.size(), 24u);
}

TEST_F(DecoderTest, DecodesFirstIpv4FragmentTransport) {
    Tins::IP ip = client_ip() / syn_segment(51000, 22, 1000);
    ip.flags(Tins::IP::MORE_FRAGMENTS);
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_TRUE(p.fragment);
    EXPECT_EQ(p.transport, Transport::kTcp);
    EXPECT_EQ(p.tcp.dport, 22);
}

TEST_F(DecoderTest, DecodesIpv6Tcp) {
    const Packet p = decode_frame(kLinkRaw, ipv6_syn());
    expect_ipv6_syn(p);
    EXPECT_EQ(p.ip_id, 0);
    EXPECT_EQ(p.ip_total_len, 40 + 40);
    EXPECT_FALSE(p.fragment);
}

TEST_F(DecoderTest, SkipsIpv6ExtensionHeaders) {
    const Bytes ext = cat({ipv6_ext8(43), ipv6_ext8(60), ipv6_fragment(6, 0, false)});
    const Packet p = decode_frame(kLinkRaw, ipv6_syn(cat({ext}), 0));
    expect_ipv6_syn(p);
    EXPECT_FALSE(p.fragment);
}

TEST_F(DecoderTest, SkipsLongIpv6ExtensionHeader) {
    Bytes hop = {6, 1};  // 16 bytes: length field counts 8-byte units after the first
    hop.resize(16, 0);
    hop[2] = 1;
    hop[3] = 12;
    expect_ipv6_syn(decode_frame(kLinkRaw, ipv6_syn(hop, 0)));
}

TEST_F(DecoderTest, DecodesFirstIpv6FragmentTransport) {
    const Packet p = decode_frame(kLinkRaw, ipv6_syn(ipv6_fragment(6, 0, true), 44));
    expect_ipv6_syn(p);
    EXPECT_TRUE(p.fragment);
}

TEST_F(DecoderTest, MarksNonFirstIpv6FragmentWithoutTransport) {
    const Packet p = decode_frame(kLinkRaw, ipv6_syn(ipv6_fragment(6, 100, false), 44));
    EXPECT_FALSE(p.malformed);
    EXPECT_TRUE(p.fragment);
    EXPECT_EQ(p.transport, Transport::kNone);
    EXPECT_EQ(p.payload.size(), 40u);
}

TEST_F(DecoderTest, StopsAtOtherIpv6NextHeader) {
    const Packet p = decode_frame(kLinkRaw, ipv6_syn(ipv6_ext8(6), 51));  // AH is not skipped
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(p.transport, Transport::kOther);
    EXPECT_EQ(p.payload.size(), 48u);
}

TEST_F(DecoderTest, MarksExtensionHeaderPastPayloadLengthMalformed) {
    Bytes frame = ipv6_syn(ipv6_ext8(6), 0);
    frame[4] = 0;
    frame[5] = 4;  // payload length too short for the 8-byte hop-by-hop header
    const Packet p = decode_frame(kLinkRaw, frame);
    EXPECT_TRUE(p.malformed);
    EXPECT_STREQ(p.problem, "IPv6 extension header exceeds payload length");
}

TEST_F(DecoderTest, QuotesTcpSynInIcmpAdminProhibited) {
    const Bytes syn = ipv4_syn();
    Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
    icmp.code(13);
    Tins::EthernetII eth = Tins::EthernetII() / Tins::IP("198.51.100.7", "203.0.113.1") / icmp /
                           Tins::RawPDU(Bytes(syn.begin(), syn.begin() + 28));
    const Packet p = decode_frame(kLinkEthernet, serialize(eth));
    EXPECT_FALSE(p.malformed) << p.problem;
    EXPECT_EQ(p.src.to_string(), "203.0.113.1");
    ASSERT_EQ(p.transport, Transport::kIcmp);
    EXPECT_EQ(p.icmp.type, 3);
    EXPECT_EQ(p.icmp.code, 13);
    EXPECT_TRUE(p.icmp.is_error);
    EXPECT_EQ(p.icmp.mtu, 0u);
    const IcmpQuote& q = p.icmp.quote;
    ASSERT_TRUE(q.valid);
    EXPECT_EQ(q.src.to_string(), "198.51.100.7");
    EXPECT_EQ(q.dst.to_string(), "192.0.2.10");
    EXPECT_EQ(q.protocol, 6);
    EXPECT_EQ(q.ttl, 61);
    EXPECT_EQ(q.sport, 51000);
    EXPECT_EQ(q.dport, 22);
    EXPECT_TRUE(q.has_seq);
    EXPECT_EQ(q.seq, 1000u);
}

TEST_F(DecoderTest, QuotesPortsWithoutSeqWhenOnlyFourBytesQuoted) {
    const Bytes syn = ipv4_syn();
    Tins::ICMP icmp(Tins::ICMP::TIME_EXCEEDED);
    Tins::IP ip = Tins::IP("198.51.100.7", "203.0.113.1") / icmp /
                  Tins::RawPDU(Bytes(syn.begin(), syn.begin() + 24));
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_TRUE(p.icmp.is_error);
    EXPECT_TRUE(p.icmp.quote.valid);
    EXPECT_EQ(p.icmp.quote.dport, 22);
    EXPECT_FALSE(p.icmp.quote.has_seq);
}

TEST_F(DecoderTest, LeavesQuoteInvalidWhenTooShort) {
    const Bytes syn = ipv4_syn();
    Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
    Tins::IP ip = Tins::IP("198.51.100.7", "203.0.113.1") / icmp /
                  Tins::RawPDU(Bytes(syn.begin(), syn.begin() + 22));
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_FALSE(p.malformed);
    EXPECT_TRUE(p.icmp.is_error);
    EXPECT_FALSE(p.icmp.quote.valid);
}

TEST_F(DecoderTest, ReadsFragmentationNeededMtu) {
    const Bytes data = ipv4_data(std::string(100, 'd'));
    Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
    icmp.code(4);
    icmp.mtu(1400);
    Tins::IP ip = Tins::IP("198.51.100.7", "203.0.113.1") / icmp /
                  Tins::RawPDU(Bytes(data.begin(), data.begin() + 28));
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_EQ(p.icmp.code, 4);
    EXPECT_EQ(p.icmp.mtu, 1400u);
    EXPECT_TRUE(p.icmp.quote.valid);
    EXPECT_EQ(p.icmp.quote.seq, 1001u);
}

TEST_F(DecoderTest, TreatsSourceQuenchAndParameterProblemAsErrors) {
    const Bytes syn = ipv4_syn();
    for (std::uint8_t type : {4, 11, 12}) {
        SCOPED_TRACE(int(type));
        const Bytes icmp = cat({{type, 0, 0, 0, 0, 0, 0, 0}, Bytes(syn.begin(), syn.begin() + 28)});
        Tins::IP ip = Tins::IP("198.51.100.7", "203.0.113.1") / Tins::RawPDU(icmp);
        ip.protocol(1);
        const Packet p = decode_frame(kLinkRaw, serialize(ip));
        EXPECT_TRUE(p.icmp.is_error);
        EXPECT_TRUE(p.icmp.quote.valid);
        EXPECT_EQ(p.icmp.quote.sport, 51000);
    }
}

TEST_F(DecoderTest, TreatsEchoAsNonError) {
    Tins::IP ip = Tins::IP("192.0.2.10", "198.51.100.7") / Tins::ICMP(Tins::ICMP::ECHO_REQUEST) /
                  Tins::RawPDU("ping");
    const Packet p = decode_frame(kLinkRaw, serialize(ip));
    EXPECT_FALSE(p.malformed);
    EXPECT_EQ(p.transport, Transport::kIcmp);
    EXPECT_EQ(p.icmp.type, 8);
    EXPECT_FALSE(p.icmp.is_error);
    EXPECT_FALSE(p.icmp.quote.valid);
    EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "ping");
}

TEST_F(DecoderTest, ReadsIcmpv6PacketTooBigMtuAndQuote) {
    const Bytes quoted = ipv6_syn();
    const Bytes icmp = cat({{2, 0, 0, 0}, be32(1280), Bytes(quoted.begin(), quoted.begin() + 48)});
    const Bytes frame =
        cat({ipv6_header(58, std::uint16_t(icmp.size()), "2001:db8:ffff::1", "2001:db8::7"), icmp});
    const Packet p = decode_frame(kLinkEthernet, ethernet(0x86dd, frame));
    EXPECT_FALSE(p.malformed) << p.problem;
    ASSERT_EQ(p.transport, Transport::kIcmp);
    EXPECT_EQ(p.icmp.type, 2);
    EXPECT_TRUE(p.icmp.is_error);
    EXPECT_EQ(p.icmp.mtu, 1280u);
    const IcmpQuote& q = p.icmp.quote;
    ASSERT_TRUE(q.valid);
    EXPECT_EQ(q.src.to_string(), "2001:db8::7");
    EXPECT_EQ(q.dst.to_string(), "2001:db8:0:1::10");
    EXPECT_EQ(q.protocol, 6);
    EXPECT_EQ(q.ttl, 57);
    EXPECT_EQ(q.sport, 51000);
    EXPECT_EQ(q.dport, 22);
    EXPECT_TRUE(q.has_seq);
    EXPECT_EQ(q.seq, 7000u);
}

TEST_F(DecoderTest, QuotesIpv6WithExtensionHeadersInIcmpv6Unreachable) {
    const Bytes quoted = ipv6_syn(cat({ipv6_ext8(60), ipv6_ext8(6)}), 0);
    const Bytes icmp = cat({{1, 1, 0, 0, 0, 0, 0, 0}, quoted});
    const Packet p = decode_frame(
        kLinkRaw,
        cat({ipv6_header(58, std::uint16_t(icmp.size()), "2001:db8::1", "2001:db8::7"), icmp}));
    EXPECT_TRUE(p.icmp.is_error);
    EXPECT_EQ(p.icmp.mtu, 0u);
    ASSERT_TRUE(p.icmp.quote.valid);
    EXPECT_EQ(p.icmp.quote.protocol, 6);
    EXPECT_EQ(p.icmp.quote.dport, 22);
    EXPECT_EQ(p.icmp.quote.seq, 7000u);
}

TEST_F(DecoderTest, TreatsIcmpv6EchoAsNonError) {
    const Bytes icmp = {128, 0, 0, 0, 0, 1, 0, 1, 'x'};
    const Packet p = decode_frame(
        kLinkRaw,
        cat({ipv6_header(58, std::uint16_t(icmp.size()), "2001:db8::1", "2001:db8::7"), icmp}));
    EXPECT_EQ(p.transport, Transport::kIcmp);
    EXPECT_EQ(p.icmp.type, 128);
    EXPECT_FALSE(p.icmp.is_error);
    EXPECT_EQ(p.payload.size(), 1u);
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

TEST_F(DecoderTest, SurvivesIcmpQuoteCutAtEveryLength) {
    const Bytes syn = ipv4_syn();
    Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
    icmp.code(13);
    Tins::IP ip = Tins::IP("198.51.100.7", "203.0.113.1") / icmp / Tins::RawPDU(syn);
    decode_every_prefix(kLinkNull, cat({le32(2), serialize(ip)}));
}

TEST_F(DecoderTest, SurvivesIcmpv6QuoteCutAtEveryLength) {
    const Bytes quoted = ipv6_syn(ipv6_ext8(6), 0);
    const Bytes icmp = cat({{2, 0, 0, 0}, be32(1280), quoted});
    decode_every_prefix(kLinkSll,
                        cat({Bytes(14, 0), be16(0x86dd),
                             ipv6_header(58, std::uint16_t(icmp.size()), "::1", "::2"), icmp}));
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
}  // namespace sshpath::packet
