#include <algorithm>
#include <cstring>

#include "flow_table.h"

namespace sshpath::flow {

using packet::Packet;
using detail::add_event;
using detail::view_of;

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

namespace {

constexpr std::size_t kMaxSegmentsMapped = 4096;
constexpr std::size_t kMaxUnackedTracked = 512;
constexpr std::size_t kMaxPendingSegments = 1024;
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

std::int64_t rel_offset(const Direction& d, std::uint32_t seq) {
    return static_cast<std::int32_t>(seq - d.base);
}

}  // namespace

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

std::size_t FlowTable::room(std::size_t held, std::size_t want) {
    const std::size_t own = options_.stream_cap - std::min(options_.stream_cap, held);
    const std::size_t shared = options_.buffer_cap - std::min(options_.buffer_cap, buffered_);
    if (want > shared && shared < own) buffer_cap_hit_ = true;
    return std::min({want, own, shared});
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
    const auto& t = p.tcp;
    advance_clock(p.time);
    // Idle connections are retired now and then, by capture time, not per packet.
    if (until_sweep_ == 0) {
        until_sweep_ = std::max<std::uint32_t>(options_.sweep_every, 1);
        if (now_ >= next_sweep_) sweep();
    }
    --until_sweep_;
    Key key = key_of(p.src, t.sport, p.dst, t.dport);
    bool syn_only = t.has(packet::kSyn) && !t.has(packet::kAck);
    auto [entry, inserted] = index_.try_emplace(key);
    entry->last = p.time;
    Flow* f = nullptr;
    if (!inserted) {
        if (entry->state != State::kLive) {
            // Already judged: only a new connection on the same ports matters.
            if (t.flags & (packet::kFin | packet::kRst)) entry->closing = true;
            if (!syn_only) return;
        } else {
            f = &flow_of(*entry);
            bool from_client = p.src == f->client && t.sport == f->client_port;
            // A SYN with another initial sequence number is a new connection on the same ports;
            // so is a SYN from the other side (roles reversed).
            if (syn_only && (!from_client || (!f->syns.empty() && f->syns.front().seq != t.seq))) {
                retire(*entry);
                f = nullptr;
            }
        }
    }
    if (!f) {
        if (live_ >= options_.max_flows) {
            flow_cap_hit_ = true;
            if (entry->state == State::kLive) index_.erase(key);  // nothing was tracked for it
            return;
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
        entry->flow = new_flow(p, sender_is_client);
        entry->state = State::kLive;
        entry->closing = entry->closed = false;
        ++live_;
        f = entry->flow.get();
    }
    Flow& flow = *f;
    bool from_client = p.src == flow.client && t.sport == flow.client_port;
    Side side = from_client ? Side::kClient : Side::kServer;
    Direction& dir = from_client ? flow.c2s : flow.s2c;
    Direction& other = from_client ? flow.s2c : flow.c2s;
    PacketRef ref{p.number, p.time};
    flow.last = ref;
    ++dir.packets;
    observe_wire(flow, p, from_client);
    if (p.payload_truncated) {
        dir.payload_cut = true;
        dir.cut_bytes += p.payload_wire_len - std::min<std::size_t>(p.payload.size(), p.payload_wire_len);
    }

    if (!t.has(packet::kRst)) {
        if (dir.first_ttl < 0)
            dir.first_ttl = p.ttl;
        else if (dir.first_ttl != p.ttl)
            dir.ttl_varies = true;
    }

    if (t.has(packet::kSyn)) {
        SynEvent ev{ref, t.seq, p.ttl, t.options};
        if (from_client && !t.has(packet::kAck)) {
            if (!flow.synacks.empty()) ++flow.syns_after_synack;
            flow.syns.push_back(ev);
            if (!dir.isn_known) {
                dir.isn_known = dir.base_known = true;
                dir.isn = t.seq;
                dir.base = t.seq + 1;
            }
            const std::size_t n = flow.syns.size();
            if (auto* e = add_event(flow, options_, p, side, n == 1 ? EventKind::kSyn : EventKind::kSynRetransmit)) {
                e->options = t.options;
                e->count = static_cast<std::uint32_t>(n - 1);
                e->after_s = p.time - flow.syns.front().ref.time;
                if (!flow.synacks.empty()) e->flags |= kAfterSynack;
            }
        } else if (!from_client && t.has(packet::kAck)) {
            flow.synacks.push_back(ev);
            synack_ttls_.emplace(p.src, p.ttl);
            if (!dir.isn_known) {
                dir.isn_known = dir.base_known = true;
                dir.isn = t.seq;
                dir.base = t.seq + 1;
            }
            bool ours = flow.c2s.isn_known && t.ack == flow.c2s.isn + 1;
            if (auto* e = add_event(flow, options_, p, side, EventKind::kSynAck)) {
                e->options = t.options;
                if (flow.synacks.size() > 1) e->flags |= kAgain;
                if (flow.c2s.isn_known && !ours) e->flags |= kNotOurs;
            }
        }
        return;
    }

    if (t.has(packet::kRst)) {
        RstEvent ev;
        ev.ref = ref;
        ev.from = side;
        ev.ttl = p.ttl;
        ev.ip_id = p.ip_id;
        ev.seq = t.seq;
        ev.ack = t.ack;
        ev.has_ack = t.has(packet::kAck);
        ev.before_synack = flow.synacks.empty();
        ev.server_bytes_before = flow.s2c.max_end;
        ev.client_bytes_before = flow.c2s.max_end;
        if (flow.c2s.last_data) ev.after_client_data = p.time - flow.c2s.last_data->time;
        if (!from_client) {
            if (flow.synacks.empty())
                ev.seq_ok = ev.has_ack && flow.c2s.isn_known && t.ack == flow.c2s.isn + 1;
            else if (flow.s2c.base_known) {
                // RFC 5961 3.2: acceptable if within the window the client advertised.
                std::int64_t off = rel_offset(flow.s2c, t.seq);
                std::int64_t expected = static_cast<std::int64_t>(flow.s2c.max_end);
                std::int64_t window = std::max<std::int64_t>(flow.c2s.last_window, 1) << 14;
                ev.seq_ok = off >= expected - 1 && off <= expected + window;
            }
        } else {
            ev.seq_ok = true;
        }
        flow.rsts.push_back(ev);
        if (auto* e = add_event(flow, options_, p, side, EventKind::kRst)) {
            e->number = flow.s2c.base_known && !from_client ? rel_offset(flow.s2c, t.seq) : std::int64_t(t.seq);
            if (ev.has_ack) e->flags |= kHasAck;
            if (!from_client && !ev.seq_ok) e->flags |= kOutOfWindow;
        }
        settle(*entry);
        return;
    }

    // Acknowledgements.
    if (t.has(packet::kAck)) {
        if (from_client && !flow.handshake_ack && !flow.synacks.empty() && flow.s2c.isn_known &&
            t.ack == flow.s2c.isn + 1) {
            flow.handshake_ack = ref;
            if (p.payload.empty()) add_event(flow, options_, p, side, EventKind::kHandshakeAck);
        }
        if (other.base_known) {
            std::int64_t acked = rel_offset(other, t.ack);
            std::int64_t seen = static_cast<std::int64_t>(other.max_end) + (other.fin ? 1 : 0);
            if (acked > seen) (from_client ? flow.client_acks_unseen : flow.server_acks_unseen) = true;
            if (other.gaps.acked(acked) > 0 && !other.gap_ack) other.gap_ack = ref;
            if (!from_client) {
                for (auto u = flow.unacked.begin(); u != flow.unacked.end();) {
                    if (static_cast<std::int64_t>(u->first + u->second.first) <= acked) {
                        flow.client_max_acked_segment = std::max(flow.client_max_acked_segment, u->second.first);
                        u = flow.unacked.erase(u);
                    } else {
                        ++u;
                    }
                }
            }
        } else if (!dir.isn_known || from_client) {
            // An ACK of a direction not seen yet: its SYN or data is missing if it never shows up.
            (from_client ? flow.client_acked_early : flow.server_acked_early) = true;
        }
        bool pure = p.payload_wire_len == 0 && !t.has(packet::kFin);
        if (pure && dir.acked_anything && t.ack == dir.last_ack && t.window == dir.last_window &&
            other.max_end > 0 && rel_offset(other, t.ack) < static_cast<std::int64_t>(other.max_end)) {
            ++dir.dup_acks;
            if (dir.dup_acks <= 3)
                if (auto* e = add_event(flow, options_, p, side, EventKind::kDupAck))
                    e->count = static_cast<std::uint32_t>(dir.dup_acks);
        }
        dir.acked_anything = true;
        dir.last_ack = t.ack;
        dir.last_window = t.window;
    }

    // Payload.
    if (p.payload_wire_len > 0) {
        if (!dir.base_known) {
            dir.base_known = true;
            dir.base = t.seq;
        }
        std::int64_t rel = rel_offset(dir, t.seq);
        std::uint32_t len = p.payload_wire_len;
        dir.max_segment = std::max(dir.max_segment, len);
        if (!dir.first_data) dir.first_data = ref;
        dir.last_data = ref;
        if (rel < 0) {
            ++dir.retransmits;
        } else {
            auto off = static_cast<std::uint64_t>(rel), end = off + len;
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
                        if (auto* e = add_event(flow, options_, p, side, EventKind::kHoleFill)) {
                            e->count = static_cast<std::uint32_t>(len);
                            e->number = static_cast<std::int64_t>(off);
                        }
                }
            }
            if (retransmit && dir.retransmits <= kMaxRetransmitLines)
                if (auto* e = add_event(flow, options_, p, side, EventKind::kRetransmit)) {
                    e->count = static_cast<std::uint32_t>(len);
                    e->number = static_cast<std::int64_t>(off);
                    if (dir.retransmits == kMaxRetransmitLines) e->flags |= kLastListed;
                }
            if (from_client) {
                auto u = flow.unacked.find(off);
                if (u != flow.unacked.end())
                    ++u->second.second;
                else if (flow.unacked.size() < kMaxUnackedTracked)
                    flow.unacked.emplace(off, std::make_pair(len, 1u));
            }
            // A client must open with its identification string (RFC 4253 4.2) or a proxy request: one
            // that opens with a TLS record or an HTTP request is not an SSH client, whatever the port
            // (a port shared with HTTPS through sslh, a health check).
            if (flow.interesting && !flow.ignored && from_client && off == 0 && speaks_other_protocol(p.payload)) {
                flow.ignored = true;
                ++other_.other_protocol_on_ssh_port;
            }
            // Decide early whether this flow is worth buffering.
            if (!flow.interesting && !flow.ignored && off == 0) {
                bool ssh_like = bytes_start_with(p.payload, "SSH-");
                bool proxy_like = from_client && ssh::parse_proxy_request(p.payload).kind != ssh::ProxyKind::kNone;
                if (ssh_like || proxy_like)
                    flow.interesting = true;
                else if (from_client || flow.c2s.max_end > 0)
                    flow.ignored = true;  // forgotten at the end of this packet
            }
            bool buffer = !flow.ignored;
            if (off == 0 && !dir.first_data.has_value()) dir.first_data = ref;
            if (dir.segments.size() < kMaxSegmentsMapped && off < options_.stream_cap &&
                (dir.segments.empty() || dir.segments.back().first < off))
                dir.segments.emplace_back(off, ref);
            if (end > dir.contiguous) {
                if (off <= dir.contiguous) {
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
                            dir.stream.insert(dir.stream.end(), p.payload.begin() + skip, p.payload.begin() + skip + n);
                            buffered_ += n;
                            if (n < len - skip) dir.stream_capped = true;
                        } else if (skip < len) {
                            dir.stream_capped = true;
                        }
                    }
                    dir.contiguous = end;
                    // Merge out-of-order segments now in order.
                    for (auto pit = dir.pending.begin(); pit != dir.pending.end() && pit->first <= dir.contiguous;) {
                        std::uint64_t pend_end = pit->first + pit->second.size();
                        if (pend_end > dir.contiguous) {
                            std::uint64_t s = dir.contiguous - pit->first;
                            if (buffer && dir.stream.size() == dir.contiguous && !dir.stream_capped) {
                                std::size_t n = room(dir.stream.size(), pit->second.size() - s);
                                dir.stream.insert(dir.stream.end(), pit->second.begin() + s, pit->second.begin() + s + n);
                                buffered_ += n;
                                if (n < pit->second.size() - s) dir.stream_capped = true;
                            }
                            dir.contiguous = pend_end;
                        }
                        buffered_ -= std::min(buffered_, pit->second.size());
                        pit = dir.pending.erase(pit);
                    }
                } else if (dir.pending.size() < kMaxPendingSegments && off < options_.stream_cap &&
                           p.payload.size() == len) {
                    // Out-of-order bytes held: at most what segments starting below stream_cap
                    // can hold without overlapping (2 x stream_cap), and within buffer_cap.
                    std::size_t held = 0;
                    for (const auto& e : dir.pending) held += e.second.size();
                    auto slot = dir.pending.find(off);
                    std::size_t old = slot == dir.pending.end() ? 0 : slot->second.size();
                    if (old < len && held - old + len <= 2 * options_.stream_cap) {
                        if (len - old <= options_.buffer_cap - std::min(options_.buffer_cap, buffered_)) {
                            buffered_ += len - old;
                            dir.pending[off].assign(p.payload.begin(), p.payload.end());
                        } else {
                            buffer_cap_hit_ = true;
                        }
                    }
                }
            }
            dir.gaps.seen(off, end);
            dir.max_end = std::max(dir.max_end, end);
        }
        // Past its key exchange (SSH_MSG_NEWKEYS) a direction is encrypted: nothing more in it
        // to read, so no more of it is kept. Looked at as the kept bytes grow by half from 2 KiB. Once
        // both directions are past it, the session is read for good and its bytes go at once (as
        // for a session found idle): a server's capture holds thousands of such sessions at a time.
        if (flow.interesting && !dir.stream_capped && dir.stream.size() >= dir.parse_at) {
            dir.parse_at += std::max<std::size_t>(1024, dir.parse_at / 2);
            // How far it got is enough here; the whole view is read once both are past NEWKEYS.
            const SshView reached = view_of(flow, false);
            if ((from_client ? reached.client : reached.server).newkeys) {
                dir.stream_capped = true;
                // The other direction's NEWKEYS is a packet or two away: looked for at its next
                // bytes, not when they have doubled (a session would hold both until then).
                other.parse_at = std::min(other.parse_at, other.stream.size() + 1);
            }
            if (reached.client.newkeys && reached.server.newkeys) read_encrypted(flow);
        }
        if (dir.payload_bytes == 0 && dir.max_end > 0) {
            std::string_view first(reinterpret_cast<const char*>(p.payload.data()), p.payload.size());
            auto nl = first.find('\n');
            std::string_view line = first.substr(0, nl);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (auto* e = add_event(flow, options_, p, side, EventKind::kFirstData)) {
                e->count = static_cast<std::uint32_t>(len);
                e->text = ssh::printable(line, 80);
            }
        }
        dir.payload_bytes = dir.max_end;
    }

    if (t.has(packet::kFin) && !dir.fin) {
        dir.fin = ref;
        if (const std::int64_t at = dir.base_known ? rel_offset(dir, t.seq) + p.payload_wire_len : -1; at >= 0)
            dir.gaps.seen(static_cast<std::uint64_t>(at), static_cast<std::uint64_t>(at) + 1);
        add_event(flow, options_, p, side, EventKind::kFin);
    }
    settle(*entry);
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
        e->source = p.src;
        e->icmp_type = p.icmp.type;
        e->icmp_code = p.icmp.code;
        e->mtu = p.icmp.mtu;
        if (p.ip_version == 6) e->flags |= kIcmpV6;
        if (ev.quotes_client) e->flags |= kQuotesClient;
    }
}

Flow& FlowTable::flow_of(Entry& e) {
    if (e.frozen) {
        e.flow = std::make_unique<Flow>(archive::from_bytes<Flow>(archive::unpack_zeros(*e.frozen)));
        e.frozen.reset();
    }
    return *e.flow;
}

}  // namespace sshpath::flow
