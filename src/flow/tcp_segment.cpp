#include <algorithm>
#include <cstring>
#include <string_view>

#include "flow_table.h"

namespace sshpath::flow {

using packet::Packet;
using detail::add_event;
using detail::detail_of;
using detail::view_of;

// One segment of a live connection, as its handlers below see it.
struct FlowTable::Segment {
    const Packet& p;
    Flow& flow;
    Direction& dir;    // the sender's
    Direction& other;  // the receiver's
    PacketRef ref;
    Side side;
    bool from_client;
};

namespace {

constexpr std::size_t kMaxSegmentsMapped = 4096;
constexpr std::size_t kMaxUnackedTracked = 512;
constexpr std::size_t kMaxPendingSegments = 1024;
// Segments mapped at once when a direction's first one is: a key exchange takes a handful, grown
// into once rather than one allocation each time the count doubles.
constexpr std::size_t kFirstSegmentsMapped = 8;
// Bytes a direction's stream has room for when its first bytes come: a banner and a KEXINIT.
constexpr std::size_t kFirstStreamRoom = 2048;
constexpr int kMaxRetransmitLines = 5;

bool bytes_start_with(std::span<const std::uint8_t> b, std::string_view prefix) {
    return b.size() >= prefix.size() && std::memcmp(b.data(), prefix.data(), prefix.size()) == 0;
}

// A client's first bytes that are another protocol's opening: a TLS handshake record or an HTTP
// request other than CONNECT (a proxy request is read as such).
bool speaks_other_protocol(std::span<const std::uint8_t> b) {
    if (b.size() >= 3 && b[0] == 0x16 && b[1] == 0x03 && b[2] <= 0x04) return true;
    for (std::string_view method : {"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PRI * HTTP/2"})
        if (bytes_start_with(b, method)) return true;
    return false;
}

void learn_isn(Direction& d, std::uint32_t seq) {
    if (d.isn_known) return;
    d.isn_known = d.base_known = true;
    d.isn = seq;
    d.base = seq + 1;
}

bool reset_seq_ok(const Flow& flow, const packet::TcpHeader& t, bool from_client) {
    if (from_client) return true;
    if (flow.synacks.empty()) return t.has(packet::kAck) && flow.c2s.isn_known && t.ack == flow.c2s.isn + 1;
    if (!flow.s2c.base_known) return false;
    // RFC 5961 3.2: acceptable if within the window the client advertised.
    std::int64_t off = flow.s2c.offset_of(t.seq);
    std::int64_t expected = static_cast<std::int64_t>(flow.s2c.max_end);
    std::int64_t window = std::max<std::int64_t>(flow.c2s.last_window, 1) << 14;
    return off >= expected - 1 && off <= expected + window;
}

void track_unacked(Flow& flow, std::uint64_t off, std::uint32_t len) {
    auto& unacked = flow.unacked;
    // Segments go out in order: a new one belongs at the end, a resent one is searched for.
    auto u = unacked.empty() || unacked.back().offset < off
                 ? unacked.end()
                 : std::lower_bound(unacked.begin(), unacked.end(), off,
                                    [](const UnackedSegment& x, std::uint64_t o) { return x.offset < o; });
    if (u != unacked.end() && u->offset == off)
        ++u->sends;
    else if (unacked.size() < kMaxUnackedTracked)
        unacked.insert(u, UnackedSegment{off, len, 1});
}

}  // namespace

void FlowTable::add_segment(Entry& entry, Flow& flow, const Packet& p) {
    const auto& t = p.tcp;
    const bool from_client = p.src == flow.client && t.sport == flow.client_port;
    const Segment s{p,
                    flow,
                    from_client ? flow.c2s : flow.s2c,
                    from_client ? flow.s2c : flow.c2s,
                    PacketRef{p.number, p.time},
                    from_client ? Side::kClient : Side::kServer,
                    from_client};
    count_segment(s);
    if (t.has(packet::kSyn)) {
        if (from_client && !t.has(packet::kAck))
            on_syn(s);
        else if (!from_client && t.has(packet::kAck))
            on_synack(s);
        return;
    }
    if (t.has(packet::kRst)) {
        on_rst(s);
        settle(entry);
        return;
    }
    if (t.has(packet::kAck)) on_ack(s);
    if (p.payload_wire_len > 0) on_data(s);
    if (t.has(packet::kFin) && !s.dir.fin) on_fin(s);
    settle(entry);
}

void FlowTable::count_segment(const Segment& s) {
    const Packet& p = s.p;
    Direction& dir = s.dir;
    s.flow.last = s.ref;
    ++dir.packets;
    observe_wire(s.flow, p, s.from_client);
    if (p.payload_truncated) {
        dir.payload_cut = true;
        dir.cut_bytes += p.payload_wire_len - std::min<std::size_t>(p.payload.size(), p.payload_wire_len);
    }
    if (!p.tcp.has(packet::kRst)) {
        if (dir.first_ttl < 0)
            dir.first_ttl = p.ttl;
        else if (dir.first_ttl != p.ttl)
            dir.ttl_varies = true;
    }
}

void FlowTable::on_syn(const Segment& s) {
    const Packet& p = s.p;
    Flow& flow = s.flow;
    if (!flow.synacks.empty()) ++flow.syns_after_synack;
    flow.syns.push_back(SynEvent{s.ref, p.tcp.seq, p.ttl, p.tcp.options});
    learn_isn(s.dir, p.tcp.seq);
    const std::size_t n = flow.syns.size();
    if (auto* e = add_event(flow, options_, p, s.side, n == 1 ? EventKind::kSyn : EventKind::kSynRetransmit)) {
        detail_of(flow, *e).options = p.tcp.options;
        e->count = static_cast<std::uint32_t>(n - 1);
        e->after_s = p.time - flow.syns.front().ref.time;
        if (!flow.synacks.empty()) e->flags |= kAfterSynack;
    }
}

void FlowTable::on_synack(const Segment& s) {
    const Packet& p = s.p;
    const auto& t = p.tcp;
    Flow& flow = s.flow;
    flow.synacks.push_back(SynEvent{s.ref, t.seq, p.ttl, t.options});
    // The first one stays; no node made for the others.
    if (synack_ttls_.try_emplace(p.src, p.ttl).second && options_.shares > 1) synack_packets_.emplace(p.src, p.number);
    // Only the SSH port's: a busy mirror port's other services would take memory for nothing.
    if (t.sport == options_.ssh_port) port_answers_[p.src].note({p.dst, s.ref});
    learn_isn(s.dir, t.seq);
    bool ours = flow.c2s.isn_known && t.ack == flow.c2s.isn + 1;
    if (auto* e = add_event(flow, options_, p, s.side, EventKind::kSynAck)) {
        detail_of(flow, *e).options = t.options;
        if (flow.synacks.size() > 1) e->flags |= kAgain;
        if (flow.c2s.isn_known && !ours) e->flags |= kNotOurs;
    }
}

void FlowTable::on_rst(const Segment& s) {
    const Packet& p = s.p;
    const auto& t = p.tcp;
    Flow& flow = s.flow;
    RstEvent ev;
    ev.ref = s.ref;
    ev.from = s.side;
    ev.ttl = p.ttl;
    ev.ip_id = p.ip_id;
    ev.seq = t.seq;
    ev.ack = t.ack;
    ev.has_ack = t.has(packet::kAck);
    ev.before_synack = flow.synacks.empty();
    ev.server_bytes_before = flow.s2c.max_end;
    ev.client_bytes_before = flow.c2s.max_end;
    if (flow.c2s.last_data) ev.after_client_data = p.time - flow.c2s.last_data->time;
    ev.seq_ok = reset_seq_ok(flow, t, s.from_client);
    flow.rsts.push_back(ev);
    if (auto* e = add_event(flow, options_, p, s.side, EventKind::kRst)) {
        e->number = flow.s2c.base_known && !s.from_client ? flow.s2c.offset_of(t.seq) : std::int64_t(t.seq);
        if (ev.has_ack) e->flags |= kHasAck;
        if (!s.from_client && !ev.seq_ok) e->flags |= kOutOfWindow;
    }
}

void FlowTable::on_ack(const Segment& s) {
    const Packet& p = s.p;
    const auto& t = p.tcp;
    Flow& flow = s.flow;
    Direction& dir = s.dir;
    Direction& other = s.other;
    if (s.from_client && !flow.handshake_ack && !flow.synacks.empty() && flow.s2c.isn_known &&
        t.ack == flow.s2c.isn + 1) {
        flow.handshake_ack = s.ref;
        if (p.payload.empty()) add_event(flow, options_, p, s.side, EventKind::kHandshakeAck);
    }
    if (other.base_known) {
        note_acked(s, other.offset_of(t.ack));
    } else if (!dir.isn_known || s.from_client) {
        // An ACK of a direction not seen yet: its SYN or data is missing if it never shows up.
        (s.from_client ? flow.client_acked_early : flow.server_acked_early) = true;
    }
    bool pure = p.payload_wire_len == 0 && !t.has(packet::kFin);
    if (pure && dir.acked_anything && t.ack == dir.last_ack && t.window == dir.last_window &&
        other.max_end > 0 && other.offset_of(t.ack) < static_cast<std::int64_t>(other.max_end)) {
        ++dir.dup_acks;
        if (dir.dup_acks <= 3)
            if (auto* e = add_event(flow, options_, p, s.side, EventKind::kDupAck))
                e->count = static_cast<std::uint32_t>(dir.dup_acks);
    }
    dir.acked_anything = true;
    dir.last_ack = t.ack;
    dir.last_window = t.window;
}

void FlowTable::note_acked(const Segment& s, std::int64_t acked) {
    Flow& flow = s.flow;
    Direction& other = s.other;
    std::int64_t seen = static_cast<std::int64_t>(other.max_end) + (other.fin ? 1 : 0);
    if (acked > seen) (s.from_client ? flow.client_acks_unseen : flow.server_acks_unseen) = true;
    if (other.gaps.acked(acked) > 0 && !other.gap_ack) other.gap_ack = s.ref;
    if (s.from_client) return;
    auto is_acked = [acked](const UnackedSegment& u) { return static_cast<std::int64_t>(u.offset + u.length) <= acked; };
    for (const UnackedSegment& u : flow.unacked)
        if (is_acked(u)) flow.client_max_acked_segment = std::max(flow.client_max_acked_segment, u.length);
    std::erase_if(flow.unacked, is_acked);
}

void FlowTable::on_data(const Segment& s) {
    const Packet& p = s.p;
    Direction& dir = s.dir;
    if (!dir.base_known) {
        dir.base_known = true;
        dir.base = p.tcp.seq;
    }
    std::int64_t rel = dir.offset_of(p.tcp.seq);
    std::uint32_t len = p.payload_wire_len;
    dir.max_segment = std::max(dir.max_segment, len);
    if (!dir.first_data) dir.first_data = s.ref;
    dir.last_data = s.ref;
    if (rel < 0)
        ++dir.retransmits;
    else
        stream_bytes(s, static_cast<std::uint64_t>(rel), len);
    look_for_newkeys(s);
    if (dir.payload_bytes == 0 && dir.max_end > 0) first_data_event(s, len);
    dir.payload_bytes = dir.max_end;
}

void FlowTable::stream_bytes(const Segment& s, std::uint64_t off, std::uint32_t len) {
    Flow& flow = s.flow;
    Direction& dir = s.dir;
    const std::uint64_t end = off + len;
    count_resent(s, off, len);
    if (s.from_client) track_unacked(flow, off, len);
    judge_first_bytes(s, off);
    bool buffer = !flow.ignored;
    if (off == 0 && !dir.first_data.has_value()) dir.first_data = s.ref;
    if (dir.segments.size() < kMaxSegmentsMapped && off < options_.stream_cap &&
        (dir.segments.empty() || dir.segments.back().first < off)) {
        if (dir.segments.capacity() == 0) dir.segments.reserve(kFirstSegmentsMapped);
        dir.segments.emplace_back(off, s.ref);
    }
    if (end > dir.contiguous) {
        if (off <= dir.contiguous)
            append_in_order(s, off, buffer);
        else if (dir.pending.size() < kMaxPendingSegments && off < options_.stream_cap && s.p.payload.size() == len)
            hold_out_of_order(s, off);
    }
    dir.gaps.seen(off, end);
    dir.max_end = std::max(dir.max_end, end);
}

void FlowTable::count_resent(const Segment& s, std::uint64_t off, std::uint32_t len) {
    Direction& dir = s.dir;
    const std::uint64_t end = off + len;
    bool retransmit = false;
    if (end <= dir.contiguous) {
        retransmit = true;
        ++dir.retransmits;
    } else if (off < dir.max_end) {
        auto pend = dir.pending.find(off);
        if (off >= dir.contiguous && pend != dir.pending.end() && pend->second.size() >= len) {
            retransmit = true;
            ++dir.retransmits;
        } else {
            ++dir.hole_fills;
            if (dir.hole_fills <= kMaxRetransmitLines)
                if (auto* e = add_event(s.flow, options_, s.p, s.side, EventKind::kHoleFill)) {
                    e->count = static_cast<std::uint32_t>(len);
                    e->number = static_cast<std::int64_t>(off);
                }
        }
    }
    if (retransmit && dir.retransmits <= kMaxRetransmitLines)
        if (auto* e = add_event(s.flow, options_, s.p, s.side, EventKind::kRetransmit)) {
            e->count = static_cast<std::uint32_t>(len);
            e->number = static_cast<std::int64_t>(off);
            if (dir.retransmits == kMaxRetransmitLines) e->flags |= kLastListed;
        }
}

void FlowTable::judge_first_bytes(const Segment& s, std::uint64_t off) {
    Flow& flow = s.flow;
    const Packet& p = s.p;
    // A client must open with its identification string (RFC 4253 4.2) or a proxy request: one
    // that opens with a TLS record or an HTTP request is not an SSH client, whatever the port
    // (a port shared with HTTPS through sslh, a health check).
    if (flow.interesting && !flow.ignored && s.from_client && off == 0 && speaks_other_protocol(p.payload)) {
        flow.ignored = true;
        ++other_.other_protocol_on_ssh_port;
    }
    // Decide early whether this flow is worth buffering.
    if (!flow.interesting && !flow.ignored && off == 0) {
        bool ssh_like = bytes_start_with(p.payload, "SSH-");
        bool proxy_like = s.from_client && ssh::parse_proxy_request(p.payload).kind != ssh::ProxyKind::kNone;
        if (ssh_like || proxy_like)
            flow.interesting = true;
        else if (s.from_client || flow.c2s.max_end > 0)
            flow.ignored = true;  // forgotten at the end of this packet
    }
}

void FlowTable::append_in_order(const Segment& s, std::uint64_t off, bool buffer) {
    const Packet& p = s.p;
    Direction& dir = s.dir;
    const std::uint32_t len = p.payload_wire_len;
    std::uint64_t skip = dir.contiguous - off;
    if (buffer && dir.stream.size() == dir.contiguous && !dir.stream_capped) {
        std::size_t have = p.payload.size();
        std::size_t take_end = std::min<std::size_t>(have, len);
        // Of a segment the snap length cut, only whole lines count: a cut prefix such
        // as "SS" would read as text, not as the start of "SSH-". Buffering stops there.
        if (p.payload_truncated) {
            std::string_view kept(reinterpret_cast<const char*>(p.payload.data()), take_end);
            auto lf = kept.rfind('\n');
            take_end = lf == std::string_view::npos ? 0 : lf + 1;
        }
        if (skip < take_end) {
            std::size_t n = room(dir.stream.size(), take_end - skip);
            // Room for a banner and a key exchange at once: a stream grown segment by segment
            // would be copied to a new place two or three times on its way there.
            if (dir.stream.capacity() == 0) dir.stream.reserve(std::max(n, kFirstStreamRoom));
            dir.stream.insert(dir.stream.end(), p.payload.begin() + skip, p.payload.begin() + skip + n);
            add_buffered(n);
            if (n < len - skip) dir.stream_capped = true;
        } else if (skip < len) {
            dir.stream_capped = true;
        }
    }
    dir.contiguous = off + len;
    merge_pending(dir, buffer);
}

void FlowTable::merge_pending(Direction& dir, bool buffer) {
    // Out-of-order segments now in order.
    for (auto pit = dir.pending.begin(); pit != dir.pending.end() && pit->first <= dir.contiguous;) {
        std::uint64_t pend_end = pit->first + pit->second.size();
        if (pend_end > dir.contiguous) {
            std::uint64_t s = dir.contiguous - pit->first;
            if (buffer && dir.stream.size() == dir.contiguous && !dir.stream_capped) {
                std::size_t n = room(dir.stream.size(), pit->second.size() - s);
                dir.stream.insert(dir.stream.end(), pit->second.begin() + s, pit->second.begin() + s + n);
                add_buffered(n);
                if (n < pit->second.size() - s) dir.stream_capped = true;
            }
            dir.contiguous = pend_end;
        }
        buffered_ -= std::min(buffered_, pit->second.size());
        pit = dir.pending.erase(pit);
    }
}

void FlowTable::hold_out_of_order(const Segment& s, std::uint64_t off) {
    const Packet& p = s.p;
    Direction& dir = s.dir;
    const std::uint32_t len = p.payload_wire_len;
    // Out-of-order bytes held: at most what segments starting below stream_cap
    // can hold without overlapping (2 x stream_cap), and within buffer_cap.
    std::size_t held = 0;
    for (const auto& e : dir.pending) held += e.second.size();
    auto slot = dir.pending.find(off);
    std::size_t old = slot == dir.pending.end() ? 0 : slot->second.size();
    if (old < len && held - old + len <= 2 * options_.stream_cap) {
        if (len - old <= options_.buffer_cap - std::min(options_.buffer_cap, buffered_)) {
            add_buffered(len - old);
            dir.pending[off].assign(p.payload.begin(), p.payload.end());
        } else {
            buffer_cap_hit_ = true;
        }
    }
}

std::size_t FlowTable::room(std::size_t held, std::size_t want) {
    const std::size_t own = options_.stream_cap - std::min(options_.stream_cap, held);
    const std::size_t shared = options_.buffer_cap - std::min(options_.buffer_cap, buffered_);
    if (want > shared && shared < own) buffer_cap_hit_ = true;
    return std::min({want, own, shared});
}

void FlowTable::look_for_newkeys(const Segment& s) {
    Flow& flow = s.flow;
    Direction& dir = s.dir;
    Direction& other = s.other;
    // Past its key exchange (SSH_MSG_NEWKEYS) a direction is encrypted: nothing more in it
    // to read, so no more of it is kept. Looked at as the kept bytes grow by half from 2 KiB. Once
    // both directions are past it, the session is read for good and its bytes go at once (as
    // for a session found idle): a server's capture holds thousands of such sessions at a time.
    if (!flow.interesting || dir.stream_capped || dir.stream.size() < dir.parse_at) return;
    dir.parse_at += std::max<std::size_t>(1024, dir.parse_at / 2);
    // How far it got is enough here; the whole view is read once both are past NEWKEYS.
    const SshView reached = view_of(flow, false);
    if ((s.from_client ? reached.client : reached.server).newkeys) {
        dir.stream_capped = true;
        // The other direction's NEWKEYS is a packet or two away: looked for at its next
        // bytes, not when they have doubled (a session would hold both until then).
        other.parse_at = std::min(other.parse_at, other.stream.size() + 1);
    }
    if (reached.client.newkeys && reached.server.newkeys) read_encrypted(flow);
}

void FlowTable::first_data_event(const Segment& s, std::uint32_t len) {
    const Packet& p = s.p;
    std::string_view first(reinterpret_cast<const char*>(p.payload.data()), p.payload.size());
    auto nl = first.find('\n');
    std::string_view line = first.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto* e = add_event(s.flow, options_, p, s.side, EventKind::kFirstData)) {
        e->count = static_cast<std::uint32_t>(len);
        detail_of(s.flow, *e).text = ssh::printable(line, 80);
    }
}

void FlowTable::on_fin(const Segment& s) {
    const Packet& p = s.p;
    Direction& dir = s.dir;
    dir.fin = s.ref;
    if (const std::int64_t at = dir.base_known ? dir.offset_of(p.tcp.seq) + p.payload_wire_len : -1; at >= 0)
        dir.gaps.seen(static_cast<std::uint64_t>(at), static_cast<std::uint64_t>(at) + 1);
    add_event(s.flow, options_, p, s.side, EventKind::kFin);
}

}  // namespace sshpath::flow
