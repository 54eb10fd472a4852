#include <algorithm>
#include <cstring>

#include "flow_table.h"

namespace sshpath::flow {

using packet::Packet;
using detail::add_event;

std::string_view side_name(Side s) {
    switch (s) {
    case Side::kClient: return "client";
    case Side::kServer: return "server";
    case Side::kIcmp: return "icmp";
    }
    return "";
}

std::string_view event_name(EventKind k) {
    switch (k) {
    case EventKind::kSyn: return "syn";
    case EventKind::kSynRetransmit: return "syn-retransmit";
    case EventKind::kSynAck: return "synack";
    case EventKind::kRst: return "rst";
    case EventKind::kHandshakeAck: return "handshake-ack";
    case EventKind::kDupAck: return "dup-ack";
    case EventKind::kHoleFill: return "hole-fill";
    case EventKind::kRetransmit: return "retransmit";
    case EventKind::kFirstData: return "first-data";
    case EventKind::kFin: return "fin";
    case EventKind::kIcmp: return "icmp";
    }
    return "";
}

std::size_t FlowTable::KeyHash::operator()(const Key& k) const noexcept {
    auto word = [](const std::uint8_t* p) {
        std::uint64_t v;
        std::memcpy(&v, p, sizeof v);
        return v;
    };
    auto mix = [](std::uint64_t h, std::uint64_t v) {
        h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
        return h ^ (h >> 29);
    };
    std::uint64_t h = (std::uint64_t{k.pa} << 16) | k.pb;
    h = mix(h, word(k.a.bytes.data()));
    h = mix(h, word(k.a.bytes.data() + 8));
    h = mix(h, word(k.b.bytes.data()));
    h = mix(h, word(k.b.bytes.data() + 8));
    return static_cast<std::size_t>(h);
}

void PortAnswers::note(const Answer& a) {
    std::uint8_t i = 0;
    while (i < count && !(first[i].client == a.client)) ++i;
    if (i < count) {
        if (a.ref.packet >= first[i].ref.packet) return;
        first[i].ref = a.ref;
    } else if (count < 2) {
        first[count++] = a;
    } else if (a.ref.packet < first[1].ref.packet) {
        first[1] = a;
    } else {
        return;
    }
    if (count == 2 && first[1].ref.packet < first[0].ref.packet) std::swap(first[0], first[1]);
}

const PortAnswers::Answer* PortAnswers::other_than(const IpAddress& client) const {
    for (std::uint8_t i = 0; i < count; ++i)
        if (!(first[i].client == client)) return &first[i];
    return nullptr;
}

const PortAnswers::Answer* answered_other(const PortAnswerMap& answers, const IpAddress& server, const IpAddress& client) {
    const auto it = answers.find(server);
    return it == answers.end() ? nullptr : it->second.other_than(client);
}

FlowTable::Key FlowTable::key_of(const IpAddress& s, std::uint16_t sp, const IpAddress& d, std::uint16_t dp) const {
    if (std::tie(s, sp) < std::tie(d, dp)) return Key{s, d, sp, dp};
    return Key{d, s, dp, sp};
}

void FlowTable::add(const Packet& p) {
    DuplicateFilter::Result copy;
    if (!wire_.admit(p, copy)) return count_duplicate(p, copy.ttl_changed);
    const bool on_ssh_port = p.transport == packet::Transport::kTcp &&
                             (p.tcp.sport == options_.ssh_port || p.tcp.dport == options_.ssh_port);
    if (!on_ssh_port) ++other_.packets_off_ssh_port;
    if (p.transport == packet::Transport::kIcmp) ++other_.icmp_packets;
    if (p.ip_version == 0 || p.fragment) return;
    if (p.transport == packet::Transport::kTcp)
        add_tcp(p);
    else if (p.transport == packet::Transport::kIcmp && p.icmp.is_error)
        add_icmp(p);
}

std::unique_ptr<Flow> FlowTable::new_flow(const Packet& p, bool sender_is_client) {
    auto f = std::make_unique<Flow>();
    if (sender_is_client) {
        f->client = p.src, f->server = p.dst, f->client_port = p.tcp.sport, f->server_port = p.tcp.dport;
    } else {
        f->client = p.dst, f->server = p.src, f->client_port = p.tcp.dport, f->server_port = p.tcp.sport;
    }
    f->first = PacketRef{p.number, p.time};
    f->interesting = f->server_port == options_.ssh_port;
    return f;
}

void FlowTable::advance_clock(double t) {
    // Capture time only moves forward. One packet with a time stamp far ahead (a damaged or
    // forged record) must not make every connection look idle: a jump of more than kMaxJump is
    // believed only once kJumpConfirm packets in a row are that far ahead.
    constexpr double kMaxJump = 600;
    constexpr std::uint32_t kJumpConfirm = 256;
    if (!clock_started_ || t <= now_ + kMaxJump) {
        if (!clock_started_ || t > now_) now_ = t;
        clock_started_ = true;
        packets_ahead_ = 0;
        return;
    }
    jump_to_ = packets_ahead_ == 0 ? t : std::min(jump_to_, t);
    if (++packets_ahead_ >= kJumpConfirm) {
        now_ = jump_to_;
        packets_ahead_ = 0;
    }
}

void FlowTable::add_tcp(const Packet& p) {
    advance_clock(p.time);
    // Idle connections are retired now and then, by capture time, not per packet.
    if (until_sweep_ == 0) {
        until_sweep_ = std::max<std::uint32_t>(options_.sweep_every, 1);
        if (now_ >= next_sweep_) sweep();
    }
    --until_sweep_;
    Key key = key_of(p.src, p.tcp.sport, p.dst, p.tcp.dport);
    if (options_.shares > 1) {
        // Every share sees the clock and its sweeps alike; each follows its own connections.
        if (p.tcp.options.mptcp.subtypes != 0) mptcp_seen_ = true;
        if ((KeyHash{}(key) >> 24) % options_.shares != options_.share) return;
    }
    auto [entry, inserted] = index_.try_emplace(key);
    entry->last = p.time;
    if (Flow* f = connection_of(*entry, key, inserted, p)) add_segment(*entry, *f, p);
}

Flow* FlowTable::connection_of(Entry& entry, const Key& key, bool inserted, const Packet& p) {
    const auto& t = p.tcp;
    bool syn_only = t.has(packet::kSyn) && !t.has(packet::kAck);
    if (!inserted) {
        if (entry.state != State::kLive) {
            // Already judged: only a new connection on the same ports matters.
            if (t.flags & (packet::kFin | packet::kRst)) entry.closing = true;
            if (!syn_only) return nullptr;
        } else {
            Flow& f = flow_of(entry);
            bool from_client = p.src == f.client && t.sport == f.client_port;
            // A SYN with another initial sequence number is a new connection on the same ports;
            // so is a SYN from the other side (roles reversed).
            if (syn_only && (!from_client || (!f.syns.empty() && f.syns.front().seq != t.seq)))
                retire(entry);
            else
                return &f;
        }
    }
    return open_flow(entry, key, p, syn_only);
}

Flow* FlowTable::open_flow(Entry& entry, const Key& key, const Packet& p, bool syn_only) {
    const auto& t = p.tcp;
    if (live_ >= options_.max_flows) {
        flow_cap_hit_ = true;
        if (entry.state == State::kLive) index_.erase(key);  // nothing was tracked for it
        return nullptr;
    }
    bool sender_is_client;
    if (syn_only)
        sender_is_client = true;
    else if (t.has(packet::kSyn))
        sender_is_client = false;
    else if (t.dport == options_.ssh_port)
        sender_is_client = true;
    else if (t.sport == options_.ssh_port)
        sender_is_client = false;
    else
        sender_is_client = t.dport < t.sport;
    entry.flow = new_flow(p, sender_is_client);
    entry.state = State::kLive;
    entry.closing = entry.closed = false;
    peak_live_ = std::max(peak_live_, ++live_);
    return entry.flow.get();
}

void FlowTable::add_icmp(const Packet& p) {
    const auto& q = p.icmp.quote;
    if (!q.valid || q.protocol != 6) return;
    Entry* entry = index_.find(key_of(q.src, q.sport, q.dst, q.dport));
    if (entry == nullptr || entry->state != State::kLive) return;
    Flow& f = flow_of(*entry);
    IcmpEvent ev;
    ev.ref = PacketRef{p.number, p.time};
    ev.source = p.src;
    ev.version = p.ip_version;
    ev.type = p.icmp.type;
    ev.code = p.icmp.code;
    ev.ttl = p.ttl;
    ev.mtu = p.icmp.mtu;
    ev.quotes_client = q.src == f.client && q.sport == f.client_port;
    f.icmps.push_back(ev);
    f.last = ev.ref;
    if (auto* e = add_event(f, options_, p, Side::kIcmp, EventKind::kIcmp)) {
        detail::detail_of(f, *e).source = p.src;
        e->icmp_type = p.icmp.type;
        e->icmp_code = p.icmp.code;
        e->mtu = p.icmp.mtu;
        if (p.ip_version == 6) e->flags |= kIcmpV6;
        if (ev.quotes_client) e->flags |= kQuotesClient;
    }
}

bool FlowTable::split_exact(std::span<const FlowTable* const> shares) {
    if (shares.size() <= 1) return true;
    const FlowOptions& o = shares.front()->options_;
    std::size_t live = 0, buffered = 0;
    for (const FlowTable* t : shares) {
        if (t->mptcp_seen_) return false;
        live += t->peak_live_;
        buffered += t->peak_buffered_;
    }
    // Below these, the connections together never met a limit one table applies to all of
    // them: a connection opened when fewer than max_flows were live; every request for room
    // (at most twice stream_cap) fitted in what buffer_cap left.
    return live <= o.max_flows && buffered + 2 * o.stream_cap <= o.buffer_cap;
}

void FlowTable::absorb(const FlowTable& other) {
    other_tcp_flows_ += other.other_tcp_flows_;
    const OtherTraffic& o = other.other_;
    if (o.excluded_by_host && (other_.excluded_by_host == 0 || other.excluded_first_packet_ < excluded_first_packet_)) {
        excluded_first_packet_ = other.excluded_first_packet_;
        other_.excluded_example = o.excluded_example;
    }
    other_.excluded_by_host += o.excluded_by_host;
    if (o.excluded_by_client &&
        (other_.excluded_by_client == 0 || other.excluded_client_first_packet_ < excluded_client_first_packet_)) {
        excluded_client_first_packet_ = other.excluded_client_first_packet_;
        other_.excluded_client_example = o.excluded_client_example;
    }
    other_.excluded_by_client += o.excluded_by_client;
    other_.other_protocol_on_ssh_port += o.other_protocol_on_ssh_port;
    other_.server_ports.add(o.server_ports);
    for (const auto& [server, ttl] : other.synack_ttls_) {
        const std::uint64_t packet = other.synack_packets_.at(server);
        auto [it, inserted] = synack_packets_.try_emplace(server, packet);
        if (inserted || packet < it->second) {
            it->second = packet;
            synack_ttls_[server] = ttl;
        }
    }
    // Each share keeps the first two clients of its own connections; the first two of all are
    // among them (a client dropped by a share came after two others there).
    for (const auto& [server, a] : other.port_answers_) {
        PortAnswers& mine = port_answers_[server];
        for (std::uint8_t i = 0; i < a.count; ++i) mine.note(a.first[i]);
    }
    flow_cap_hit_ = flow_cap_hit_ || other.flow_cap_hit_;
    buffer_cap_hit_ = buffer_cap_hit_ || other.buffer_cap_hit_;
}

Flow& FlowTable::flow_of(Entry& e) {
    if (e.frozen) {
        e.flow = std::make_unique<Flow>(archive::from_bytes<Flow>(archive::unpack_zeros(*e.frozen)));
        e.frozen.reset();
    }
    return *e.flow;
}

}  // namespace sshpath::flow
