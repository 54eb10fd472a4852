#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace sshpath::capture {

/// An IPv4 or IPv6 address, stored as 16 bytes (IPv4 in the first 4).
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    std::uint8_t version = 0;  ///< 4 or 6; 0 = unset

    static IpAddress v4(const std::uint8_t* p);
    static IpAddress v6(const std::uint8_t* p);
    /// Parses dotted-quad or RFC 4291 text; returns false if it is neither.
    static bool parse(const std::string& text, IpAddress& out);
    std::string to_string() const;
    bool operator==(const IpAddress&) const = default;
    auto operator<=>(const IpAddress&) const = default;
};

/// TCP flag bits as on the wire.
enum TcpFlag : std::uint8_t {
    kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kUrg = 0x20, kEce = 0x40, kCwr = 0x80
};

/// TCP options of interest (present only when the option was seen).
struct TcpOptions {
    int mss = -1;            ///< -1: absent
    int wscale = -1;         ///< -1: absent
    bool sack_permitted = false;
    bool timestamps = false;
    std::uint32_t ts_val = 0;
    std::uint32_t ts_ecr = 0;
    std::uint8_t count = 0;  ///< number of options parsed (NOP/EOL excluded)
};

struct TcpHeader {
    std::uint16_t sport = 0, dport = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    TcpOptions options;
    bool has(TcpFlag f) const { return (flags & f) != 0; }
};

/// The first bytes of the packet an ICMP/ICMPv6 error quotes (RFC 792: IP header + 8 bytes).
struct IcmpQuote {
    bool valid = false;      ///< an IP header and at least the ports were quoted
    IpAddress src, dst;
    std::uint8_t protocol = 0;
    std::uint16_t sport = 0, dport = 0;
    bool has_seq = false;
    std::uint32_t seq = 0;
    std::uint8_t ttl = 0;    ///< TTL/hop limit of the quoted packet as the router saw it
};

struct IcmpHeader {
    std::uint8_t type = 0, code = 0;
    std::uint32_t mtu = 0;   ///< next-hop MTU of "fragmentation needed" / "packet too big"
    IcmpQuote quote;
    bool is_error = false;   ///< destination unreachable, time exceeded, too big, param problem
};

enum class Transport : std::uint8_t { kNone, kTcp, kIcmp, kOther };

/// One decoded packet. Spans point into the reader's buffer: valid only during the callback.
struct Packet {
    std::uint64_t number = 0;        ///< 1-based position in the capture (as Wireshark counts)
    double time = 0;                 ///< seconds since the epoch (pcap timestamp)
    std::uint32_t caplen = 0;        ///< bytes captured
    std::uint32_t wirelen = 0;       ///< bytes on the wire
    std::uint8_t vlan_tags = 0;      ///< 802.1Q/802.1ad tags skipped
    IpAddress src, dst;
    std::uint8_t ip_version = 0;     ///< 0: not IP
    std::uint8_t ttl = 0;            ///< TTL or hop limit
    std::uint16_t ip_id = 0;         ///< IPv4 identification (0 for IPv6)
    bool dont_fragment = false;
    bool fragment = false;           ///< a non-first fragment or a fragment with payload cut off
    std::uint16_t ip_total_len = 0;  ///< IP total length claimed by the header
    Transport transport = Transport::kNone;
    TcpHeader tcp;
    IcmpHeader icmp;
    std::span<const std::uint8_t> payload;  ///< transport payload actually captured
    std::uint32_t payload_wire_len = 0;     ///< transport payload length claimed by the IP header
    bool payload_truncated = false;         ///< snap length cut the payload (payload.size() < payload_wire_len)
    bool malformed = false;                 ///< a header was inconsistent; see problem
    const char* problem = nullptr;          ///< static text naming what was wrong (e.g. "truncated TCP header")
};

}  // namespace sshpath::capture
