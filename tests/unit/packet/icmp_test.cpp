// The decoder: ICMP and ICMPv6 errors and the headers they quote.
#include "decoder_fixture.h"

namespace sshpath::packet::test {
namespace {

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

}  // namespace
}  // namespace sshpath::packet::test
