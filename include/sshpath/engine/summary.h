#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "sshpath/core/contract.h"
#include "sshpath/packet/ip_address.h"

namespace sshpath::engine {

/// Attempts counted together: how many, the first and the last start time (seconds since the
/// epoch), how many of each cause.
struct Tally {
    std::uint64_t attempts = 0;
    double first = 0, last = 0;
    std::array<std::uint64_t, contract::kCauses.size()> causes{};
    void add(contract::Cause cause, double time);
    void merge(const Tally& other);
};

/// What a report of many attempts opens with: the attempts counted by verdict (cause and
/// component), by server (address and port) and by client network (the client's /24, or /64 for
/// IPv6). Built while the attempts are judged, so that it never needs them read back.
struct AttemptSummary {
    Tally all;
    std::map<std::pair<contract::Cause, contract::Component>, Tally> by_verdict;
    std::map<std::string, Tally> by_server;
    std::map<std::string, Tally> by_client_network;
    void add(contract::Cause cause, contract::Component component, const std::string& server,
             const packet::IpAddress& client, double time);
    void merge(const AttemptSummary& other);
};

/// "198.51.100.0/24" for an IPv4 address, "2001:db8:5:1::/64" for IPv6.
std::string client_network(const packet::IpAddress& a);

}  // namespace sshpath::engine
