#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sshpath/packet/packet.h"

/// A pair of captures of one attempt, one on each end (or one in the middle): where each was
/// taken, which connections are the same attempt through NAT, and what became of each packet.
namespace sshpath::pair {

/// An address and port.
struct Endpoint {
    packet::IpAddress address;
    std::uint16_t port = 0;
    bool operator==(const Endpoint&) const = default;
    /// "198.51.100.10:40522", "[2001:db8::1]:22" (as the flow facts write it).
    std::string text() const;
};

/// One TCP segment as a capture recorded it: what matching and classifying compare.
struct TcpRecord {
    std::uint64_t packet = 0;        ///< number in its capture (1-based)
    double time = 0;                 ///< pcap time stamp
    Endpoint src, dst;
    std::uint8_t ip_version = 4;
    std::uint8_t ttl = 0;
    std::uint16_t ip_id = 0;
    std::uint8_t flags = 0;          ///< packet::TcpFlag bits
    std::uint16_t window = 0;
    std::uint32_t seq = 0, ack = 0;
    packet::TcpOptions options;
    std::uint32_t payload_len = 0;   ///< payload length on the wire
    std::uint64_t payload_hash = 0;  ///< of the bytes captured (0: none)
    bool has(packet::TcpFlag f) const { return (flags & f) != 0; }
};

/// An ICMP or ICMPv6 error that quotes a TCP segment.
struct IcmpRecord {
    std::uint64_t packet = 0;
    double time = 0;
    packet::IpAddress src, dst;
    std::uint8_t ttl = 0;
    std::uint8_t type = 0, code = 0;
    bool v6 = false;
    packet::IcmpQuote quote;
};

/// Every TCP segment and quoting ICMP error of one capture, in order, kept for pairing: what the
/// flow table summarises, packet by packet. Holds at most `limit` segments (later ones counted).
class PacketLog {
public:
    explicit PacketLog(std::size_t limit = 2'000'000) : limit_(limit) {}
    void add(const packet::Packet& p);

    const std::vector<TcpRecord>& tcp() const { return tcp_; }
    const std::vector<IcmpRecord>& icmp() const { return icmp_; }
    std::uint64_t packets() const { return packets_; }
    std::uint64_t dropped() const { return dropped_; }   ///< segments beyond the limit
    double start_time() const { return start_; }
    double end_time() const { return end_; }
    /// Addresses that announced themselves on the capture's link (ARP requests and replies they
    /// sent): the capture's own host is among them.
    const std::vector<packet::IpAddress>& arp_senders() const { return arp_senders_; }

private:
    std::size_t limit_;
    std::vector<TcpRecord> tcp_;
    std::vector<IcmpRecord> icmp_;
    std::vector<packet::IpAddress> arp_senders_;
    std::uint64_t packets_ = 0, dropped_ = 0;
    double start_ = 0, end_ = 0;
};

}  // namespace sshpath::pair
