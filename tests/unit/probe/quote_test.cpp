#include "sshpath/probe/quote.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sshpath/probe/craft.h"

namespace sshpath::probe {
namespace {

using Bytes = std::vector<std::uint8_t>;

IpAddress ip(const char* text) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(text, a)) << text;
    return a;
}

class QuoteTest : public ::testing::Test {
protected:
    static SynSpec spec(const char* src = "198.51.100.10", const char* dst = "203.0.113.7") {
        SynSpec s;
        s.src = ip(src);
        s.dst = ip(dst);
        s.sport = 40000;
        s.dport = 22;
        s.ttl = 3;
        s.seq = 123456789;
        s.ip_id = 0x4242;
        s.mss = 1460;
        s.ts_val = 1000;
        return s;
    }
    /// The probe as a router receiving it with one hop left quotes it: TTL 1 (and so another
    /// IPv4 header checksum).
    static Bytes as_quoted(Bytes b) {
        if ((b[0] >> 4) == 4) {
            b[8] = 1;
            b[10] ^= 0x55;
        } else {
            b[7] = 1;
        }
        return b;
    }
    /// Offset of the TCP header.
    static std::size_t tcp_at(const Bytes& b) { return (b[0] >> 4) == 4 ? static_cast<std::size_t>(b[0] & 0x0f) * 4 : 40; }
    /// Offset of the first byte of the option `kind` in the TCP header.
    static std::size_t option_at(const Bytes& b, std::uint8_t kind) {
        std::size_t i = tcp_at(b) + 20;
        const std::size_t end = tcp_at(b) + static_cast<std::size_t>(b[tcp_at(b) + 12] >> 4) * 4;
        while (i < end) {
            if (b[i] == kind) return i;
            i += b[i] == 1 ? 1 : b[i + 1];
        }
        ADD_FAILURE() << "no option " << int(kind);
        return 0;
    }
    static const FieldChange* find(const std::vector<FieldChange>& v, const std::string& field) {
        for (const auto& c : v)
            if (c.field == field) return &c;
        return nullptr;
    }
};

TEST_F(QuoteTest, BuildsLinuxLikeSyn) {
    const Bytes b = build_syn(spec());
    const HeaderFields h = parse_headers(b);
    ASSERT_TRUE(h.valid);
    EXPECT_EQ(h.ip_version, 4);
    EXPECT_EQ(h.ttl, 3);
    EXPECT_EQ(h.ip_id, 0x4242);
    EXPECT_TRUE(h.df);
    EXPECT_EQ(h.sport, 40000);
    EXPECT_EQ(h.dport, 22);
    EXPECT_EQ(h.seq, 123456789u);
    EXPECT_EQ(h.tcp_flags, 0x002);
    EXPECT_EQ(h.window, 64240);
    ASSERT_TRUE(h.has_tcp_options);
    EXPECT_EQ(options_text(h.options), "mss 1460,sackOK,ts,nop,wscale 7");
    EXPECT_EQ(b.size(), 60u);
}

TEST_F(QuoteTest, ReportsNothingForAnUnchangedQuote) {
    const Bytes b = build_syn(spec());
    EXPECT_TRUE(compare_quote(b, as_quoted(b)).empty());
    // Some routers decrement before quoting: TTL 0 is expected too.
    Bytes zero = as_quoted(b);
    zero[8] = 0;
    EXPECT_TRUE(compare_quote(b, zero).empty());
}

TEST_F(QuoteTest, ReportsMssClamping) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    const std::size_t at = option_at(q, 2);
    q[at + 2] = 1200 >> 8;
    q[at + 3] = 1200 & 0xff;
    q[tcp_at(q) + 16] ^= 0x11;  // the TCP checksum follows the change
    const auto changes = compare_quote(b, q);
    ASSERT_EQ(changes.size(), 1u) << changes[0].field;
    EXPECT_EQ(changes[0], (FieldChange{"mss", "1460", "1200"}));
}

TEST_F(QuoteTest, ReportsStrippedWindowScaleAndTheOptionList) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    const std::size_t at = option_at(q, 3);
    std::fill(q.begin() + static_cast<std::ptrdiff_t>(at), q.begin() + static_cast<std::ptrdiff_t>(at + 3), 1);  // NOPs
    const auto changes = compare_quote(b, q);
    const FieldChange* ws = find(changes, "wscale");
    ASSERT_NE(ws, nullptr);
    EXPECT_EQ(ws->sent, "7");
    EXPECT_EQ(ws->quoted, "absent");
    const FieldChange* opts = find(changes, "options");
    ASSERT_NE(opts, nullptr);
    EXPECT_EQ(opts->sent, "mss 1460,sackOK,ts,nop,wscale 7");
    EXPECT_EQ(opts->quoted, "mss 1460,sackOK,ts,nop,nop,nop,nop");
}

TEST_F(QuoteTest, ReportsWindowSeqAndSourceRewrites) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    const std::size_t t = tcp_at(q);
    q[t + 14] = 0x10;  // window 4096 + low byte
    q[t + 15] = 0x00;
    q[t + 7] ^= 0xff;  // sequence number randomised
    q[12] = 192;       // source rewritten (NAT that does not restore the quote)
    q[13] = 0;
    q[14] = 2;
    q[15] = 1;
    const auto changes = compare_quote(b, q);
    ASSERT_NE(find(changes, "window"), nullptr);
    EXPECT_EQ(find(changes, "window")->quoted, "4096");
    ASSERT_NE(find(changes, "seq"), nullptr);
    ASSERT_NE(find(changes, "source-address"), nullptr);
    EXPECT_EQ(find(changes, "source-address")->quoted, "192.0.2.1");
    EXPECT_EQ(find(changes, "tcp-checksum"), nullptr);
}

TEST_F(QuoteTest, ReportsTtlNotDecrementedAsExpected) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    q[8] = 2;  // the router got it with 2 hops left: something before did not decrement
    const auto changes = compare_quote(b, q);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0], (FieldChange{"ttl", "3", "2"}));
}

TEST_F(QuoteTest, ReportsDscpEcnAndIpId) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    q[1] = 0x2b;  // DSCP 10, ECN 3
    q[5] ^= 1;
    const auto changes = compare_quote(b, q);
    EXPECT_NE(find(changes, "dscp"), nullptr);
    EXPECT_NE(find(changes, "ecn"), nullptr);
    EXPECT_NE(find(changes, "ip-id"), nullptr);
}

TEST_F(QuoteTest, ReportsTcpChecksumOnlyWhenNothingElseExplainsIt) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    q[tcp_at(q) + 17] ^= 0x01;
    const auto changes = compare_quote(b, q);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].field, "tcp-checksum");
}

TEST_F(QuoteTest, ComparesOnlyWhatAnRfc792QuoteHolds) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    q.resize(28);  // IP header and 8 bytes: ports and sequence number only
    EXPECT_TRUE(compare_quote(b, q).empty());
    const HeaderFields h = parse_headers(q);
    EXPECT_TRUE(h.has_ports_seq);
    EXPECT_FALSE(h.has_tcp_header);
    q[27] ^= 1;
    const auto changes = compare_quote(b, q);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].field, "seq");
}

TEST_F(QuoteTest, ComparesIpv6Quotes) {
    const Bytes b = build_syn(spec("2001:db8:1::10", "2001:db8:4::7"));
    const HeaderFields h = parse_headers(b);
    ASSERT_TRUE(h.valid);
    EXPECT_EQ(h.ip_version, 6);
    EXPECT_EQ(h.dst.to_string(), "2001:db8:4::7");
    EXPECT_EQ(options_text(h.options), "mss 1460,sackOK,ts,nop,wscale 7");
    Bytes q = as_quoted(b);
    EXPECT_TRUE(compare_quote(b, q).empty());
    q[1] |= 0x0a;  // flow label set on the way
    const std::size_t at = option_at(q, 2);
    q[at + 3] = 0x00;
    const auto changes = compare_quote(b, q);
    EXPECT_NE(find(changes, "flow-label"), nullptr);
    ASSERT_NE(find(changes, "mss"), nullptr);
    EXPECT_EQ(find(changes, "mss")->quoted, std::to_string(1460 & 0xff00));
}

TEST_F(QuoteTest, ParsesEveryTruncationWithoutReadingPastTheEnd) {
    for (const Bytes& b : {build_syn(spec()), build_syn(spec("2001:db8:1::10", "2001:db8:4::7"))}) {
        for (std::size_t n = 0; n <= b.size(); ++n) {
            const Bytes cut(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
            const HeaderFields h = parse_headers(cut);
            if (n < tcp_at(b)) {
                EXPECT_FALSE(h.has_ports_seq);
            }
            (void)compare_quote(b, cut);
        }
    }
}

TEST_F(QuoteTest, FlagsMalformedOptionsInTheQuote) {
    const Bytes b = build_syn(spec());
    Bytes q = as_quoted(b);
    q[option_at(q, 8) + 1] = 40;  // timestamp option length past the header
    const HeaderFields h = parse_headers(q);
    EXPECT_TRUE(h.options_malformed);
    const auto changes = compare_quote(b, q);
    ASSERT_NE(find(changes, "options"), nullptr);
}

TEST_F(QuoteTest, RejectsMixedAddressFamilies) {
    SynSpec s = spec();
    s.dst = ip("2001:db8::1");
    EXPECT_THROW(build_syn(s), std::invalid_argument);
}

}  // namespace
}  // namespace sshpath::probe
