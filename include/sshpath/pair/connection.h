#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sshpath/pair/packet_log.h"

namespace sshpath::pair {

/// One TCP connection of a capture's log: its two ends and its segments (indices into
/// PacketLog::tcp(), in capture order). The client is the end that sent the first SYN without
/// ACK, or else the end not on a well-known port (below 1024), or else the end that spoke first.
struct Connection {
    Endpoint client, server;
    std::vector<std::size_t> segments;
    std::vector<std::size_t> icmp;   ///< ICMP errors quoting one of its segments (indices into PacketLog::icmp())
    double first_time = 0, last_time = 0;
    bool from_client(const TcpRecord& r) const { return r.src == client; }
    /// The client's first SYN (index into the log), if seen.
    std::optional<std::size_t> first_syn(const PacketLog& log) const;
    /// The server's first SYN-ACK, if seen.
    std::optional<std::size_t> first_synack(const PacketLog& log) const;
    /// The first segment carrying data from one end, if seen.
    std::optional<std::size_t> first_data(const PacketLog& log, bool client_side) const;
};

/// The log's connections, in the order of their first packet.
std::vector<Connection> connections_of(const PacketLog& log);

/// The index of the connection between these two ends (either way round), if any.
std::optional<std::size_t> find_connection(const std::vector<Connection>& list, const Endpoint& client, const Endpoint& server);

}  // namespace sshpath::pair
