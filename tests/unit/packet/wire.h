#pragma once
// Frames built by hand for the layers libtins does not know (tunnels, neighbour discovery,
// MPTCP), and a decoder wrapper that keeps each frame alive while its packet points into it.
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "frames.h"
#include "sshpath/packet/decoder.h"

namespace sshpath::test_util {

inline Bytes address_bytes(const std::string& text) {
    packet::IpAddress a;
    EXPECT_TRUE(packet::IpAddress::parse(text, a)) << text;
    return Bytes(a.bytes.begin(), a.bytes.begin() + (a.version == 4 ? 4 : 16));
}

/// An IPv4 header (checksum left 0: the decoder does not check it) in front of `payload`.
inline Bytes ipv4_packet(std::uint8_t proto, const std::string& src, const std::string& dst, const Bytes& payload,
                         std::uint8_t ttl = 64, std::uint16_t id = 0x1111, std::uint16_t frag = 0x4000) {
    return cat({{0x45, 0}, be16(std::uint16_t(20 + payload.size())), be16(id), be16(frag), {ttl, proto, 0, 0},
                address_bytes(src), address_bytes(dst), payload});
}

inline Bytes ipv6_packet(std::uint8_t next, const std::string& src, const std::string& dst, const Bytes& payload,
                         std::uint8_t hop_limit = 64) {
    return cat({ipv6_header(next, std::uint16_t(payload.size()), src, dst, hop_limit), payload});
}

inline Bytes udp_datagram(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
    return cat({be16(sport), be16(dport), be16(std::uint16_t(8 + payload.size())), be16(0), payload});
}

inline Bytes mac(std::uint8_t last) { return {0x02, 0, 0, 0, 0, last}; }

inline Bytes ethernet_frame(const Bytes& dst, const Bytes& src, std::uint16_t type, const Bytes& body) {
    return cat({dst, src, be16(type), body});
}

/// A TCP SYN from 51000 to 22, seq 1000, with MSS 1460 (24-byte header) and `options` after it.
inline Bytes tcp_syn(const Bytes& options = {}, std::uint8_t flags = 0x02) {
    Bytes opts = cat({{2, 4, 0x05, 0xb4}, options});
    while (opts.size() % 4 != 0) opts.push_back(1);
    const auto doff = std::uint8_t((20 + opts.size()) / 4);
    return cat({be16(51000), be16(22), be32(1000), be32(0), {std::uint8_t(doff << 4), flags}, be16(64240), be16(0),
                be16(0), opts});
}

/// Decodes frames, keeping each alive for the rest of the test (the packet points into it).
class Decoded {
public:
    packet::Packet operator()(int link_type, Bytes frame) {
        frames_.push_back(std::move(frame));
        packet::Packet p;
        packet::decode(link_type, frames_.back(), p);
        return p;
    }

private:
    std::deque<Bytes> frames_;
};

/// Decodes every prefix of `frame`, each in a buffer of exactly that size so AddressSanitizer
/// catches any read past it: a cut frame is malformed or has its payload cut, never neither.
inline void decode_every_prefix(int link_type, const Bytes& frame) {
    for (std::size_t len = 0; len <= frame.size(); ++len) {
        SCOPED_TRACE("prefix length " + std::to_string(len));
        const Bytes cut(frame.begin(), frame.begin() + std::ptrdiff_t(len));
        packet::Packet p;
        packet::decode(link_type, cut, p);
        if (!p.payload.empty()) {
            EXPECT_GE(p.payload.data(), cut.data());
            EXPECT_LE(p.payload.data() + p.payload.size(), cut.data() + cut.size());
        }
        EXPECT_EQ(p.malformed, p.problem != nullptr);
        if (len == frame.size()) {
            EXPECT_FALSE(p.malformed) << p.problem;
            EXPECT_FALSE(p.payload_truncated);
        } else {
            EXPECT_TRUE(p.malformed || p.payload_truncated);
        }
    }
}

}  // namespace sshpath::test_util
