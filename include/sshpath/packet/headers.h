#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "sshpath/packet/ip_address.h"

/// The fields of IPv4, IPv6 and TCP headers as they are on the wire, read from their first byte
/// as far as the bytes go. The decoder reads every header through these; so does the probe, to
/// compare a packet it sent with an ICMP error's quote of it. Nothing is read outside `bytes`.
namespace sshpath::packet {

using Bytes = std::span<const std::uint8_t>;

/// An IPv4 header (RFC 791) or the fixed IPv6 header (RFC 8200).
struct IpFields {
    int version = 0;               ///< 4 or 6; 0: the bytes hold neither header whole
    std::size_t header_len = 0;    ///< IPv4: IHL * 4; IPv6: 40 (extension headers not included)
    std::uint8_t tos = 0;          ///< IPv4 TOS / IPv6 traffic class (DSCP << 2 | ECN)
    std::uint32_t flow_label = 0;  ///< IPv6
    std::uint16_t length = 0;      ///< IPv4 total length / IPv6 payload length, as claimed
    std::uint16_t id = 0;          ///< IPv4 identification
    bool df = false, mf = false;   ///< IPv4 don't fragment / more fragments
    std::uint16_t fragment_offset = 0;  ///< IPv4, in 8-byte units
    std::uint8_t ttl = 0;          ///< TTL / hop limit
    std::uint8_t protocol = 0;     ///< IPv4 protocol / IPv6 next header
    IpAddress src, dst;
    Bytes options;                 ///< IPv4 options (inside `bytes`)
};

/// Reads an IPv4 or IPv6 header. Returns nullptr when the header is whole, otherwise what is
/// wrong: "truncated IPv4 header", "IPv4 header length below 20", "truncated IPv6 header",
/// "not an IPv4 or IPv6 header". The fixed fields (and `version`) are filled whenever the bytes
/// hold the fixed header, even when IHL is below 5 or the IPv4 options are cut.
const char* read_ip_header(Bytes bytes, IpFields& out);

/// A TCP header (RFC 9293), as far as the bytes go.
struct TcpFields {
    bool has_ports_seq = false;    ///< the first 8 bytes (what an RFC 792 quote guarantees)
    std::uint16_t sport = 0, dport = 0;
    std::uint32_t seq = 0;
    bool has_fixed = false;        ///< the 20-byte fixed header
    std::uint32_t ack = 0;
    std::uint8_t data_offset = 0;  ///< in 32-bit words
    std::uint16_t flags = 0;       ///< 12 bits: reserved, NS, CWR ... FIN (FIN is bit 0)
    std::uint16_t window = 0;
    std::uint16_t checksum = 0;
    std::uint16_t urgent = 0;
    bool has_options = false;      ///< the whole header, options included (data offset >= 5)
    Bytes options;                 ///< the option bytes, as far as they were captured
};

/// Reads a TCP header.
TcpFields read_tcp_header(Bytes bytes);

/// Walks TCP options one at a time: kind, and the bytes after kind and length. NOP (1) has no
/// length; EOL (0) is returned once and ends the walk.
class TcpOptionReader {
public:
    /// `captured`: the option bytes present; `header_len`: how many the data offset claims.
    /// They differ when the snap length cut the header: an option running past `captured` but
    /// not past `header_len` ends the walk without being malformed.
    TcpOptionReader(Bytes captured, std::size_t header_len) : bytes_(captured), header_len_(header_len) {}
    explicit TcpOptionReader(Bytes options) : TcpOptionReader(options, options.size()) {}
    /// The next option; false at the end, after EOL, at a cut, or when an option's length is
    /// bad (below 2, or past header_len: then malformed() is true).
    bool next(std::uint8_t& kind, Bytes& data);
    bool malformed() const { return malformed_; }

private:
    Bytes bytes_;
    std::size_t header_len_;
    std::size_t at_ = 0;
    bool done_ = false;
    bool malformed_ = false;
};

}  // namespace sshpath::packet
