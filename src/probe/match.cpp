#include "sshpath/probe/match.h"

#include "sshpath/probe/quote.h"

namespace sshpath::probe {

using packet::Packet;
using packet::Transport;

void Matcher::add(const ProbeRef& ref, const Probe& probe, const IpAddress& dst, std::uint16_t dport) {
    Entry e{ref, dst, dport};
    seqs_[probe.seq] = e;
    if (dst.version == 4) ids_[probe.ip_id] = e;
    latest_[{dst, dport}] = e;
}

const Matcher::Entry* Matcher::by_seq(std::uint32_t seq, const IpAddress& dst, std::uint16_t dport) const {
    auto it = seqs_.find(seq);
    if (it == seqs_.end() || it->second.dst != dst || it->second.dport != dport) return nullptr;
    return &it->second;
}

const Matcher::Entry* Matcher::latest(const IpAddress& dst, std::uint16_t dport) const {
    auto it = latest_.find({dst, dport});
    return it == latest_.end() ? nullptr : &it->second;
}

Classified Matcher::classify(const Packet& p) const {
    Classified c;
    if (p.ip_version == 0 || p.malformed) return c;
    if (p.transport == Transport::kTcp) {
        const auto& t = p.tcp;
        const bool connect_flow = connect_port_ != 0 && ((p.src == source_ && t.sport == connect_port_) ||
                                                         (p.dst == source_ && t.dport == connect_port_));
        if (connect_flow) return {PacketRole::kConnect, {}};
        if (p.src == source_ && t.sport == sport_) {
            if (t.has(packet::kSyn) && !t.has(packet::kAck)) {
                if (const Entry* e = by_seq(t.seq, p.dst, t.dport)) return {PacketRole::kProbe, e->ref};
            }
            return {PacketRole::kFlow, {}};
        }
        if (p.dst == source_ && t.dport == sport_) {
            const bool answers = t.has(packet::kRst) || (t.has(packet::kSyn) && t.has(packet::kAck));
            if (!answers) return {PacketRole::kFlow, {}};
            const Entry* e = t.has(packet::kAck) ? by_seq(t.ack - 1, p.src, t.sport) : nullptr;
            // A bare RST (no ACK) carries no trace of our sequence number: give it to the latest
            // probe of that flow.
            if (!e && !t.has(packet::kAck)) e = latest(p.src, t.sport);
            if (e) return {PacketRole::kReply, e->ref};
            return {PacketRole::kFlow, {}};
        }
        return c;
    }
    if (p.transport != Transport::kIcmp || !p.icmp.is_error) return c;
    if (p.dst != source_) return c;
    const HeaderFields q = parse_headers(p.payload);
    if (!q.valid || q.protocol != 6 || !q.has_ports_seq) return c;
    if (connect_port_ != 0 && q.src == source_ && q.sport == connect_port_) return {PacketRole::kConnect, {}};
    // The source address or port may have been rewritten on the way (NAT reverses its own
    // rewriting in the quote; other devices may not): match on destination and sequence first.
    const Entry* e = by_seq(q.seq, q.dst, q.dport);
    if (!e && q.src == source_ && q.sport == sport_) {
        if (q.ip_version == 4) {
            auto it = ids_.find(q.ip_id);
            if (it != ids_.end() && it->second.dst == q.dst && it->second.dport == q.dport) e = &it->second;
        }
    }
    if (!e) return c;
    return {PacketRole::kReply, e->ref};
}

void record_reply(Probe& probe, const Packet& p, std::size_t packet_number) {
    if (probe.reply.kind != ReplyKind::kNone) {
        ++probe.reply.duplicates;
        return;
    }
    Reply r;
    r.from = p.src;
    r.ttl = p.ttl;
    r.hops = hops_from_ttl(p.ttl);
    r.time = p.time;
    r.packet = packet_number;
    if (p.transport == Transport::kTcp) {
        r.kind = p.tcp.has(packet::kRst) ? ReplyKind::kRst : ReplyKind::kSynAck;
    } else {
        r.icmp_type = p.icmp.type;
        r.icmp_code = p.icmp.code;
        const bool v4 = p.ip_version == 4;
        if ((v4 && p.icmp.type == 11) || (!v4 && p.icmp.type == 3)) {
            r.kind = ReplyKind::kTimeExceeded;
        } else if ((v4 && p.icmp.type == 3) || (!v4 && p.icmp.type == 1)) {
            r.kind = ReplyKind::kUnreachable;
        } else {
            r.kind = ReplyKind::kOtherIcmp;
        }
        r.icmp_kind = icmp_kind_name(p.ip_version, p.icmp.type, p.icmp.code);
        r.quote_bytes = p.payload.size();
        const HeaderFields q = parse_headers(p.payload);
        r.quote_full = q.has_tcp_options;
        r.changes = compare_quote(probe.bytes, p.payload);
    }
    probe.reply = std::move(r);
}

}  // namespace sshpath::probe
