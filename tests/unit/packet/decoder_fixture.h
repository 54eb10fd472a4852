#pragma once
// The fixture the decoder's tests share: frames built with libtins, decoded as a capture would.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>

#include "frames.h"
#include "sshpath/packet/decoder.h"

namespace sshpath::packet::test {

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

inline const Bytes kMacs = {0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa};

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

}  // namespace sshpath::packet::test
