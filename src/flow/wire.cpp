#include "sshpath/flow/wire.h"

#include "sha256.h"
#include "sshpath/flow/flow.h"

namespace sshpath::flow {
namespace {

using packet::MptcpSubtype;

// Tokens remembered at most (each MPTCP connection adds two).
constexpr std::size_t kMaxTokens = 65536;

bool same_tunnels(const packet::TunnelStack& a, const packet::TunnelStack& b) {
    if (a.depth != b.depth) return false;
    for (std::uint8_t i = 0; i < a.depth; ++i) {
        const packet::Tunnel& x = a.layers[i];
        const packet::Tunnel& y = b.layers[i];
        // Either direction: the endpoints swap.
        const bool endpoints = (x.outer_src == y.outer_src && x.outer_dst == y.outer_dst) ||
                               (x.outer_src == y.outer_dst && x.outer_dst == y.outer_src);
        if (x.kind != y.kind || x.has_id != y.has_id || x.id != y.id || !endpoints) return false;
    }
    return true;
}

}  // namespace

std::uint32_t mptcp_token(std::uint64_t key) {
    std::uint8_t wire[8];
    for (int i = 0; i < 8; ++i) wire[i] = static_cast<std::uint8_t>(key >> (56 - 8 * i));
    const auto digest = detail::sha256(wire);
    return std::uint32_t{digest[0]} << 24 | std::uint32_t{digest[1]} << 16 | std::uint32_t{digest[2]} << 8 | digest[3];
}

bool WireTracker::admit(const packet::Packet& p, DuplicateFilter::Result& copy) {
    copy = duplicates_.check(p);
    if (copy.duplicate) return false;
    if (!capture_wide_) return true;
    if (p.arp.op != 0) ++stats_.arp;
    if (p.icmp.nd.type != 0) ++stats_.nd;
    if (!p.tunnels.empty()) ++stats_.tunnelled;
    neighbours_.add(p);
    return true;
}

void WireTracker::observe(Flow& f, const packet::Packet& p, bool from_client) {
    Wire& w = f.wire;
    const bool first = f.c2s.packets + f.s2c.packets == 1;  // counted before this call
    packet::LinkAddresses& link = from_client ? w.client_link : w.server_link;
    const std::uint64_t& sent = from_client ? f.c2s.packets : f.s2c.packets;
    if (sent == 1) {
        const packet::LinkAddresses* l = p.inner_link();
        if (l != nullptr) link = *l;
    }
    if (first)
        w.tunnel = p.tunnels;
    else if (!w.tunnel_changed && !same_tunnels(w.tunnel, p.tunnels))
        w.tunnel_changed = true;
    if (p.tcp.options.mptcp.subtypes != 0) observe_mptcp(f, p, from_client);
}

void WireTracker::observe_mptcp(Flow& f, const packet::Packet& p, bool from_client) {
    MptcpFlow& m = f.wire.mptcp;
    const packet::MptcpOption& o = p.tcp.options.mptcp;
    const bool syn = p.tcp.has(packet::kSyn), ack = p.tcp.has(packet::kAck);
    if (o.has(MptcpSubtype::kDss)) m.dss = true;
    if (o.has(MptcpSubtype::kCapable)) {
        if (syn && !ack && from_client) m.capable = true;
        if (syn && ack && !from_client) m.accepted = true;
        m.version = o.version;
        // SYN-ACK (version 1): the server's key; the third ACK: the client's, then the server's.
        const bool had = m.client_key_known && m.server_key_known;
        if (o.keys >= 1) {
            (from_client ? m.client_key_known : m.server_key_known) = true;
            (from_client ? m.client_key : m.server_key) = o.sender_key;
        }
        if (o.keys == 2) {
            (from_client ? m.server_key_known : m.client_key_known) = true;
            (from_client ? m.server_key : m.client_key) = o.receiver_key;
        }
        // A join names the token of the key of the side it is sent to; version 0 tokens are
        // SHA-1 based and not computed.
        if (!had && m.version == 1 && tokens_.size() < kMaxTokens) {
            const Joined self{f.client, f.server, f.client_port, f.server_port, f.first.packet};
            if (m.client_key_known) tokens_.try_emplace(mptcp_token(m.client_key), self);
            if (m.server_key_known) tokens_.try_emplace(mptcp_token(m.server_key), self);
        }
    }
    if (o.has(MptcpSubtype::kJoin) && syn && !ack && from_client && !m.join) {
        m.join = true;
        ++stats_.mptcp_joins;
        m.join_token_known = o.has_token;
        m.join_token = o.token;
        auto it = o.has_token ? tokens_.find(o.token) : tokens_.end();
        if (it == tokens_.end()) {
            ++stats_.mptcp_joins_unmatched;
            return;
        }
        m.joined_found = true;
        m.joined_client = it->second.client;
        m.joined_server = it->second.server;
        m.joined_client_port = it->second.client_port;
        m.joined_server_port = it->second.server_port;
        m.joined_first_packet = it->second.first_packet;
    }
}

// The flow table's two hooks (flow_table.cpp calls them; here to keep that file about TCP).

void FlowTable::count_duplicate(const packet::Packet& p, bool ttl_changed) {
    Flow* f = nullptr;
    if (p.transport == packet::Transport::kTcp) {
        Entry* e = index_.find(key_of(p.src, p.tcp.sport, p.dst, p.tcp.dport));
        if (e != nullptr && e->state == State::kLive) f = &flow_of(*e);
    } else if (p.transport == packet::Transport::kIcmp && p.icmp.quote.valid && p.icmp.quote.protocol == 6) {
        const auto& q = p.icmp.quote;
        Entry* e = index_.find(key_of(q.src, q.sport, q.dst, q.dport));
        if (e != nullptr && e->state == State::kLive) f = &flow_of(*e);
    }
    if (f == nullptr) return;
    ++f->wire.duplicates;
    if (!ttl_changed) return;
    ++f->wire.duplicates_ttl_changed;
    int& copy_ttl = p.src == f->client ? f->wire.client_copy_ttl : f->wire.server_copy_ttl;
    if (copy_ttl < 0) copy_ttl = p.ttl;
}

void FlowTable::observe_wire(Flow& f, const packet::Packet& p, bool from_client) {
    wire_.observe(f, p, from_client);
    const MptcpFlow& m = f.wire.mptcp;
    if (!m.joined_found || f.c2s.packets != 1 || !from_client) return;
    Entry* e = index_.find(key_of(m.joined_client, m.joined_client_port, m.joined_server, m.joined_server_port));
    if (e != nullptr && e->state == State::kLive) ++flow_of(*e).wire.mptcp.subflows;
}

}  // namespace sshpath::flow
