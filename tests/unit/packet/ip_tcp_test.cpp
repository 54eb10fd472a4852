// The decoder: IPv4, IPv6 and TCP.
#include "decoder_fixture.h"

namespace sshpath::packet::test {
namespace {

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

TEST_F(DecoderTest, ReadsNopNopTimestampsAsTheWalkOverTheOptionsDoes) {
    // The data segment "abc" with these TCP option bytes (a multiple of four) after its header,
    // cut to `keep` bytes when not 0.
    const auto data_with_options = [](const Bytes& options, std::size_t keep = 0) {
        Bytes ip = ipv4_data("abc");
        ip.insert(ip.begin() + 40, options.begin(), options.end());
        ip[32] = static_cast<std::uint8_t>((20 + options.size()) / 4 << 4);  // the data offset
        ip[2] = static_cast<std::uint8_t>(ip.size() >> 8);
        ip[3] = static_cast<std::uint8_t>(ip.size());
        if (keep) ip.resize(keep);
        return ip;
    };
    const Bytes ts = {8, 10, 1, 2, 3, 4, 5, 6, 7, 8};
    const Packet usual = decode_frame(kLinkRaw, data_with_options(cat({{1, 1}, ts})));
    EXPECT_FALSE(usual.malformed);
    const TcpOptions& o = usual.tcp.options;
    EXPECT_TRUE(o.timestamps);
    EXPECT_EQ(o.ts_val, 0x01020304u);
    EXPECT_EQ(o.ts_ecr, 0x05060708u);
    EXPECT_EQ(o.count, 1);
    EXPECT_EQ(o.mss, -1);
    EXPECT_EQ(o.wscale, -1);
    EXPECT_FALSE(o.sack_permitted);
    EXPECT_EQ(std::string(usual.payload.begin(), usual.payload.end()), "abc");
    // The same option in other places: the same reading.
    for (const Bytes& options : {cat({ts, {1, 1}}), cat({{1}, ts, {1}}), cat({{1, 1}, ts, {0, 0, 0, 0}})}) {
        const Packet p = decode_frame(kLinkRaw, data_with_options(options));
        EXPECT_FALSE(p.malformed);
        EXPECT_EQ(p.tcp.options.timestamps, o.timestamps);
        EXPECT_EQ(p.tcp.options.ts_val, o.ts_val);
        EXPECT_EQ(p.tcp.options.ts_ecr, o.ts_ecr);
        EXPECT_EQ(p.tcp.options.count, o.count);
        EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "abc");
    }
    // Cut by the snap length inside the timestamps: none read, nothing malformed.
    const Packet cut = decode_frame(kLinkRaw, data_with_options(cat({{1, 1}, ts}), 20 + 20 + 8));
    EXPECT_FALSE(cut.malformed);
    EXPECT_TRUE(cut.payload_truncated);
    EXPECT_FALSE(cut.tcp.options.timestamps);
    // NOP, NOP and a timestamps option one byte short: malformed, as anywhere else.
    const Packet bad = decode_frame(kLinkRaw, data_with_options({1, 1, 8, 9, 1, 2, 3, 4, 5, 6, 7, 0}));
    EXPECT_TRUE(bad.malformed);
    EXPECT_STREQ(bad.problem, "bad TCP option length");
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

}  // namespace
}  // namespace sshpath::packet::test
