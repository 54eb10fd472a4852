#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sshpath/probe/types.h"

/// tracebox's idea: an ICMP error quotes the probe as the router received it. RFC 792 asks for
/// the IP header and 8 bytes; RFC 1812 routers may quote more (Linux quotes up to 576 bytes, so
/// the whole SYN). Comparing the quote with what was sent shows which fields a middlebox on the
/// way changed: MSS clamping, stripped or added options, window, sequence-number randomisation,
/// NAT of the source, DSCP/ECN rewriting, a TTL not decremented as expected.
namespace sshpath::probe {

/// One TCP option as found on the wire.
struct TcpOption {
    std::uint8_t kind = 0;
    std::vector<std::uint8_t> data;  ///< the bytes after kind and length
    bool operator==(const TcpOption&) const = default;
};

/// The IP and TCP header fields present in a (possibly truncated) packet. `has_*` say how far
/// the bytes reached; fields beyond that are left at their defaults.
struct HeaderFields {
    bool valid = false;            ///< an IPv4 or IPv6 header was complete
    int ip_version = 0;
    std::uint8_t tos = 0;          ///< IPv4 TOS / IPv6 traffic class (DSCP << 2 | ECN)
    std::uint32_t flow_label = 0;  ///< IPv6
    std::uint16_t ip_length = 0;   ///< IPv4 total length / IPv6 payload length
    std::uint16_t ip_id = 0;
    bool df = false;
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    IpAddress src, dst;
    std::vector<std::uint8_t> ip_options;  ///< IPv4 options
    bool has_ports_seq = false;    ///< the first 8 bytes of TCP
    std::uint16_t sport = 0, dport = 0;
    std::uint32_t seq = 0;
    bool has_tcp_header = false;   ///< the 20-byte fixed TCP header
    std::uint32_t ack = 0;
    std::uint8_t data_offset = 0;  ///< in 32-bit words
    std::uint16_t tcp_flags = 0;   ///< 9 flag bits (NS..FIN) with the reserved bits above them
    std::uint16_t window = 0;
    std::uint16_t tcp_checksum = 0;
    std::uint16_t urgent = 0;
    bool has_tcp_options = false;  ///< the whole header with its options
    std::vector<TcpOption> options;
    bool options_malformed = false;
};

/// Parses an IPv4/IPv6 packet with a TCP header from its first byte, as far as the bytes go
/// (through the decoder's header readers, sshpath/packet/headers.h).
/// Never reads outside `bytes`. IPv6 extension headers are not followed (probes carry none).
HeaderFields parse_headers(std::span<const std::uint8_t> bytes);

/// Compares a probe as sent with the router's quote of it. Expected differences are left out:
/// checksums (the IPv4 one changes with every hop; the TCP one is reported only when nothing
/// else explains it) and the TTL / hop limit when the quote shows 1 or 0 (the router that
/// answered received the probe with its last hop left). Only fields the quote holds are compared.
std::vector<FieldChange> compare_quote(std::span<const std::uint8_t> sent, std::span<const std::uint8_t> quoted);

/// "mss 1460, sackOK, ts, nop, wscale 7"-style list of option names (for the options field).
std::string options_text(const std::vector<TcpOption>& options);

}  // namespace sshpath::probe
