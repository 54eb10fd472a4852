#pragma once
#include <cstdint>
#include <vector>

#include "sshpath/packet/packet.h"

namespace sshpath::flow {

/// Copies of frames the capture holds twice, dropped before they reach a connection.
struct DuplicateStats {
    std::uint64_t frames = 0;       ///< TCP and ICMP packets dropped as copies of one seen just before
    std::uint64_t ttl_changed = 0;  ///< of which with another TTL / hop limit (seen on both sides of a router)
    /// Identical packets without an identity of their own, kept as sent twice because the
    /// capture had not shown that it holds copies (see DuplicateFilter).
    std::uint64_t identical_kept = 0;
    bool capture_duplicates = false;  ///< the capture was shown to hold copies
};

/// Finds the same IP packet captured twice: a capture on a bridge and its port, `tcpdump -i any`
/// on a host whose packets cross several interfaces, a SPAN port copying both directions, a
/// router's two interfaces. A copy has the same addresses, IPv4 identification, lengths and
/// transport bytes (TCP header with its options, the first payload bytes), and comes within
/// `window_s` of the first. The TTL and the link layer (MACs, VLAN tags, tunnels) may differ.
///
/// A retransmission is not a copy: it comes after a retransmission timeout (200 ms at least on
/// Linux), with a new IPv4 identification and a new TCP timestamp. But a packet with IPv4
/// identification 0 (Linux sends its SYN-ACKs and resets so) or an IPv6 packet has no identity
/// of its own: a server retransmitting its SYN-ACK by timer just as the client's retransmitted
/// SYN arrives sends the same bytes twice within microseconds. Such identical packets are taken
/// for copies only once the capture has shown that it holds copies: a copy of a packet that has
/// an identity (an IPv4 identification other than 0), or, IPv6 only, identical pairs making a
/// third or more of the packets without identity (two pairs at least). Until then they are kept
/// (and counted in identical_kept).
///
/// Fixed memory (2048 recent packets), no allocation per packet.
class DuplicateFilter {
public:
    explicit DuplicateFilter(double window_s = 0.005);

    struct Result {
        bool duplicate = false;
        bool ttl_changed = false;  ///< the copy's TTL differs from the first one's
    };
    /// Looks the packet up among the recent ones and remembers it. Only TCP segments and ICMP
    /// messages are looked at (what connections see); fragments never.
    Result check(const packet::Packet& p);
    const DuplicateStats& stats() const { return stats_; }

private:
    struct Slot {
        std::uint64_t key_ttl = 0;  ///< the packet's key (top 56 bits) and TTL (low 8); 0: empty
        std::uint32_t usec = 0;     ///< capture time in microseconds, modulo 2^32
    };
    double window_s_;
    std::vector<Slot> slots_;
    DuplicateStats stats_;
    std::uint64_t anonymous_seen_ = 0;   ///< packets without identity looked up
    std::uint64_t anonymous_twins_ = 0;  ///< of which identical to one just before
};

}  // namespace sshpath::flow
