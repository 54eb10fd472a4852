#pragma once
#include <cstdint>
#include <vector>

#include "sshpath/probe/types.h"

/// The probe packets, crafted with libtins.
namespace sshpath::probe {

/// One SYN probe's identity. Source, destination and ports stay the same for every probe of a
/// flow (so per-flow load balancers keep them on one path, as Paris traceroute does); the TTL,
/// the sequence number and the IPv4 identification change.
struct SynSpec {
    IpAddress src, dst;
    std::uint16_t sport = 0, dport = 0;
    std::uint8_t ttl = 64;
    std::uint32_t seq = 0;
    std::uint16_t ip_id = 0;         ///< IPv4 only
    std::uint16_t mss = 1460;
    std::uint32_t ts_val = 0;
};

/// A SYN as Linux sends one (DF set, window 64240, options mss, sackOK, timestamps, nop,
/// wscale 7), from the IP header on, checksums filled in. src and dst must have the same version.
std::vector<std::uint8_t> build_syn(const SynSpec& spec);

}  // namespace sshpath::probe
