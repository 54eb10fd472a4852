#pragma once
// What the sources of the flow table share: flow_table.cpp (the index), tcp_segment.cpp (one
// segment of a connection), retire.cpp (connections finished) and ssh_view.cpp.
#include "sshpath/flow/flow.h"

namespace sshpath::flow::detail {

// The event of a notable packet, or nullptr when the timeline is full (the packet is counted).
inline EventRecord* add_event(Flow& f, const FlowOptions& o, const packet::Packet& p, Side from, EventKind kind) {
    if (f.timeline.size() >= o.timeline_cap) {
        ++f.timeline_omitted;
        return nullptr;
    }
    // A connection past its SYN gets room for a handshake's and a session's events at once (a
    // SYN alone keeps its one slot).
    if (f.timeline.size() == 1 && f.timeline.capacity() == 1) f.timeline.reserve(8);
    EventRecord& e = f.timeline.emplace_back();
    e.packet = p.number;
    e.time = p.time;
    e.from = from;
    e.kind = kind;
    e.ttl = p.ttl;
    return &e;
}

// The detail of event `e` (a SYN's options, an ICMP error's sender, the first line of data).
inline EventDetail& detail_of(Flow& f, EventRecord& e) {
    if (e.detail == EventRecord::kNoDetail) {
        e.detail = static_cast<std::uint16_t>(f.event_details.size());
        f.event_details.emplace_back();
    }
    return f.event_details[e.detail];
}

// A RST, or a FIN each way: the connection is over.
inline bool closed(const Flow& f) { return !f.rsts.empty() || (f.c2s.fin && f.s2c.fin); }
// A FIN or RST was seen: what is left of the connection is not worth remembering for long.
inline bool closing(const Flow& f) { return !f.rsts.empty() || f.c2s.fin || f.s2c.fin; }

// What the SSH layer of the flow shows so far (after any proxy handshake); without `details`,
// only how far each direction got (read_direction).
SshView view_of(const Flow& f, bool details = true);

}  // namespace sshpath::flow::detail
