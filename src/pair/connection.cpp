#include "sshpath/pair/connection.h"

#include <algorithm>
#include <map>
#include <utility>

namespace sshpath::pair {

namespace {

using packet::kAck;
using packet::kSyn;

// An unordered key for the two ends of a segment.
std::pair<std::string, std::string> ends_key(const Endpoint& a, const Endpoint& b) {
    std::string x = a.text(), y = b.text();
    if (y < x) std::swap(x, y);
    return {x, y};
}

}  // namespace

std::optional<std::size_t> Connection::first_syn(const PacketLog& log) const {
    for (std::size_t i : segments) {
        const TcpRecord& r = log.tcp()[i];
        if (r.has(kSyn) && !r.has(kAck) && from_client(r)) return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> Connection::first_synack(const PacketLog& log) const {
    for (std::size_t i : segments) {
        const TcpRecord& r = log.tcp()[i];
        if (r.has(kSyn) && r.has(kAck) && !from_client(r)) return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> Connection::first_data(const PacketLog& log, bool client_side) const {
    for (std::size_t i : segments) {
        const TcpRecord& r = log.tcp()[i];
        if (r.payload_len > 0 && r.payload_hash != 0 && from_client(r) == client_side) return i;
    }
    return std::nullopt;
}

std::vector<Connection> connections_of(const PacketLog& log) {
    std::vector<Connection> out;
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    const auto& tcp = log.tcp();
    for (std::size_t i = 0; i < tcp.size(); ++i) {
        const TcpRecord& r = tcp[i];
        auto [it, fresh] = index.try_emplace(ends_key(r.src, r.dst), out.size());
        if (fresh) {
            Connection c;
            const bool syn_only = r.has(kSyn) && !r.has(kAck);
            const bool synack = r.has(kSyn) && r.has(kAck);
            if (syn_only || (!synack && r.dst.port < r.src.port))
                c.client = r.src, c.server = r.dst;
            else
                c.client = r.dst, c.server = r.src;
            c.first_time = r.time;
            out.push_back(std::move(c));
        }
        Connection& c = out[it->second];
        c.segments.push_back(i);
        c.last_time = r.time;
    }
    const auto& icmp = log.icmp();
    for (std::size_t i = 0; i < icmp.size(); ++i) {
        const auto& q = icmp[i].quote;
        auto it = index.find(ends_key(Endpoint{q.src, q.sport}, Endpoint{q.dst, q.dport}));
        if (it != index.end()) out[it->second].icmp.push_back(i);
    }
    return out;
}

std::optional<std::size_t> find_connection(const std::vector<Connection>& list, const Endpoint& client, const Endpoint& server) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if ((list[i].client == client && list[i].server == server) || (list[i].client == server && list[i].server == client))
            return i;
    return std::nullopt;
}

}  // namespace sshpath::pair
