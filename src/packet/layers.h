#pragma once
// The decoder's layers call one another through these (one source file per layer). Each reads
// only inside the span it is given and records what it found in the Packet.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sshpath/core/byte_order.h"
#include "sshpath/packet/headers.h"
#include "sshpath/packet/packet.h"

namespace sshpath::packet::detail {

inline void fail(Packet& out, const char* problem) {
    out.malformed = true;
    out.problem = problem;
}

// The network layer and what it carries, as a default Packet has them: cleared for each frame
// (decode) and for the packet inside each tunnel (push). The ICMP fields are written only with
// transport kIcmp (decode_icmpv4/v6), so only then are they cleared: clearing its hundred bytes
// for every packet was a sixth of the decoder's time.
inline void clear_network(Packet& out) {
    // Copied from constants, not built on the stack (see reset() in link.cpp).
    static constexpr TcpHeader kNoTcp{};
    static constexpr UdpHeader kNoUdp{};
    static constexpr IcmpHeader kNoIcmp{};
    out.src = IpAddress{};
    out.dst = IpAddress{};
    out.ip_version = out.ttl = 0;
    out.ip_id = out.ip_total_len = 0;
    out.dont_fragment = out.fragment = false;
    if (out.transport == Transport::kIcmp) out.icmp = kNoIcmp;
    out.transport = Transport::kNone;
    out.tcp = kNoTcp;
    out.udp = kNoUdp;
    // One at a time: a chained assignment reads the first back from memory before its stores
    // have left (a stall as long as the rest of the clearing).
    out.payload = {};
    out.transport_bytes = {};
    out.payload_wire_len = 0;
    out.payload_truncated = false;
}

inline void set_payload(Packet& out, Bytes captured, std::size_t wire_len) {
    out.payload = captured;
    out.payload_wire_len = static_cast<std::uint32_t>(wire_len);
    out.payload_truncated = captured.size() < wire_len;
}

// EtherTypes.
constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherArp = 0x0806;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kEtherQinQLegacy = 0x9100;
constexpr std::uint16_t kEtherMpls = 0x8847;
constexpr std::uint16_t kEtherMplsMulticast = 0x8848;
constexpr std::uint16_t kEtherTeb = 0x6558;  // transparent Ethernet bridging (GRE, Geneve)

// IP protocol numbers.
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoIpip = 4;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoDccp = 33;
constexpr std::uint8_t kProtoIpv6 = 41;
constexpr std::uint8_t kProtoGre = 47;
constexpr std::uint8_t kProtoIcmpv6 = 58;
constexpr std::uint8_t kProtoNoNext = 59;
constexpr std::uint8_t kProtoSctp = 132;
constexpr std::uint8_t kProtoUdpLite = 136;

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kIpv4Header = 20;
constexpr std::size_t kIpv6Header = 40;

// ipv6.cpp: extension headers, walked alike for packets and for ICMPv6 quotes.
struct Ipv6Rest {
    std::uint8_t next;
    Bytes captured;
    std::size_t wire_len;
    bool fragment = false;
    bool later_fragment = false;
};
// The problem comes back as text instead of failing the packet because in a quote it only voids
// the quote.
const char* skip_ipv6_ext_headers(Ipv6Rest& rest);

// link.cpp
void decode_ethertype(std::uint16_t type, Bytes body, Packet& out);
void decode_ethernet_frame(Bytes frame, Packet& out);  // an Ethernet frame inside a tunnel
// ipv4.cpp, ipv6.cpp
void decode_ipv4(Bytes bytes, Packet& out);
void decode_ipv6(Bytes bytes, Packet& out);
// transport.cpp
void decode_transport(std::uint8_t proto, Bytes l4, std::size_t wire_len, Packet& out);
// tcp.cpp
void decode_tcp(Bytes l4, std::size_t wire_len, Packet& out);
// icmp.cpp
void decode_icmpv4(Bytes l4, std::size_t wire_len, Packet& out);
void decode_icmpv6(Bytes l4, std::size_t wire_len, Packet& out);
// nd.cpp: `message` is the whole ICMPv6 message, its 4-byte header included.
void decode_nd(Bytes message, Packet& out);
// arp.cpp
void decode_arp(Bytes bytes, Packet& out);
// tunnel.cpp: each returns false, leaving `out` as it was, when the bytes are not that tunnel
// (or hold too little of it to open).
bool open_ip_in_ip(std::uint8_t proto, Bytes inner, Packet& out);
bool open_gre(Bytes gre, Packet& out);
bool open_udp_tunnel(std::uint16_t dport, Bytes udp_payload, Packet& out);
void decode_mpls(Bytes bytes, Packet& out);

}  // namespace sshpath::packet::detail
