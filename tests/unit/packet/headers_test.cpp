#include "sshpath/packet/headers.h"

#include <gtest/gtest.h>

#include "wire.h"

namespace sshpath::packet {
namespace {

using namespace test_util;
using test_util::Bytes;

TEST(HeadersTest, ReadsIpv4HeaderWithOptions) {
    Bytes ip = ipv4_packet(6, "198.51.100.10", "203.0.113.7", tcp_syn(), 61, 0x4242);
    ip.insert(ip.begin() + 20, {0x94, 0x04, 0, 0});
    ip[0] = 0x46;
    ip[1] = 0xb9;
    IpFields h;
    EXPECT_EQ(read_ip_header(ip, h), nullptr);
    EXPECT_EQ(h.version, 4);
    EXPECT_EQ(h.header_len, 24u);
    EXPECT_EQ(h.tos, 0xb9);
    EXPECT_EQ(h.id, 0x4242);
    EXPECT_TRUE(h.df);
    EXPECT_EQ(h.ttl, 61);
    EXPECT_EQ(h.protocol, 6);
    EXPECT_EQ(h.dst.to_string(), "203.0.113.7");
    EXPECT_EQ(Bytes(h.options.begin(), h.options.end()), (Bytes{0x94, 0x04, 0, 0}));
}

TEST(HeadersTest, SaysWhatIsWrongWithIpHeaders) {
    const Bytes ip = ipv4_packet(6, "198.51.100.10", "203.0.113.7", {});
    IpFields h;
    EXPECT_STREQ(read_ip_header(Bytes(ip.begin(), ip.begin() + 19), h), "truncated IPv4 header");
    EXPECT_EQ(h.version, 0);
    Bytes low = ip;
    low[0] = 0x44;
    EXPECT_STREQ(read_ip_header(low, h), "IPv4 header length below 20");
    EXPECT_EQ(h.version, 4);  // the fixed fields are there
    EXPECT_EQ(h.ttl, 64);
    Bytes cut = ip;
    cut[0] = 0x46;
    EXPECT_STREQ(read_ip_header(cut, h), "truncated IPv4 header");
    EXPECT_STREQ(read_ip_header(Bytes{0x60, 0, 0}, h), "truncated IPv6 header");
    EXPECT_STREQ(read_ip_header(Bytes{0x50}, h), "not an IPv4 or IPv6 header");
    EXPECT_STREQ(read_ip_header(Bytes{}, h), "not an IPv4 or IPv6 header");
}

TEST(HeadersTest, ReadsIpv6TrafficClassAndFlowLabel) {
    Bytes ip = ipv6_packet(6, "2001:db8::1", "2001:db8::2", {}, 57);
    ip[0] = 0x6a;
    ip[1] = 0xb1;
    ip[2] = 0x23;
    ip[3] = 0x45;
    IpFields h;
    EXPECT_EQ(read_ip_header(ip, h), nullptr);
    EXPECT_EQ(h.version, 6);
    EXPECT_EQ(h.tos, 0xab);
    EXPECT_EQ(h.flow_label, 0x12345u);
    EXPECT_EQ(h.ttl, 57);
}

TEST(HeadersTest, ReadsTcpAsFarAsTheBytesGo) {
    const Bytes seg = tcp_syn();
    TcpFields t = read_tcp_header(Bytes(seg.begin(), seg.begin() + 8));
    EXPECT_TRUE(t.has_ports_seq);
    EXPECT_FALSE(t.has_fixed);
    EXPECT_EQ(t.seq, 1000u);
    t = read_tcp_header(Bytes(seg.begin(), seg.begin() + 22));
    EXPECT_TRUE(t.has_fixed);
    EXPECT_FALSE(t.has_options);
    EXPECT_EQ(t.options.size(), 2u);
    EXPECT_EQ(t.flags, 0x02);
    t = read_tcp_header(seg);
    EXPECT_TRUE(t.has_options);
    EXPECT_EQ(t.data_offset, 6);
    EXPECT_EQ(t.window, 64240);
}

TEST(HeadersTest, WalksTcpOptionsToEolAndStopsOnBadLengths) {
    const Bytes opts = {1, 2, 4, 0x05, 0xb4, 0, 9, 9};
    TcpOptionReader r(opts);
    std::uint8_t kind = 0;
    std::span<const std::uint8_t> data;
    ASSERT_TRUE(r.next(kind, data));
    EXPECT_EQ(kind, 1);
    ASSERT_TRUE(r.next(kind, data));
    EXPECT_EQ(kind, 2);
    EXPECT_EQ(data.size(), 2u);
    ASSERT_TRUE(r.next(kind, data));
    EXPECT_EQ(kind, 0);
    EXPECT_FALSE(r.next(kind, data));
    EXPECT_FALSE(r.malformed());

    const Bytes bad = {2, 1, 0, 0};
    TcpOptionReader b(bad);
    EXPECT_FALSE(b.next(kind, data));
    EXPECT_TRUE(b.malformed());
    // Cut by the snap length inside the header: not malformed, the walk just ends.
    const Bytes cut = {2, 4, 0x05};
    TcpOptionReader c(cut, 8);
    EXPECT_FALSE(c.next(kind, data));
    EXPECT_FALSE(c.malformed());
    TcpOptionReader past(cut, 3);
    EXPECT_FALSE(past.next(kind, data));
    EXPECT_TRUE(past.malformed());
}

}  // namespace
}  // namespace sshpath::packet
