#include "sshpath/probe/decide.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <map>

namespace sshpath::probe {

std::string_view segment_name(Segment s) {
    switch (s) {
    case Segment::kNone: return "none";
    case Segment::kOrganisation: return "organisation";
    case Segment::kEdge: return "edge";
    case Segment::kInternet: return "internet";
    case Segment::kDestination: return "destination";
    case Segment::kBeyondEdge: return "beyond-edge";
    case Segment::kUnknown: return "unknown";
    }
    return "unknown";
}

std::string_view segment_words(Segment s) {
    switch (s) {
    case Segment::kNone: return "the path carries the connection";
    case Segment::kOrganisation: return "before the organisation's edge (the client or its internal network)";
    case Segment::kEdge: return "at the organisation's edge";
    case Segment::kInternet: return "between the organisation's edge and the cloud";
    case Segment::kDestination: return "at the destination (cloud edge ACL, NSG or the VM's guest firewall)";
    case Segment::kBeyondEdge: return "after the organisation's edge (the destination never answered, so how far is unknown)";
    case Segment::kUnknown: return "unknown (no TTL probes)";
    }
    return "unknown";
}

Segment segment_of(int h, int edge_hop, int destination_hop) {
    // The destination answered at TTL 1: no router in between, nothing but the destination's link.
    if (destination_hop == 1) return Segment::kDestination;
    if (h < edge_hop) return Segment::kOrganisation;
    if (h == edge_hop) return Segment::kEdge;
    if (destination_hop > 0) return h >= destination_hop - 1 ? Segment::kDestination : Segment::kInternet;
    return Segment::kBeyondEdge;
}

std::string PathFacts::drop_scope() const {
    if (!control_ran) return "";
    if (control_answer_from_destination || control_destination_hop > 0 || control_last_seen_hop > last_seen_hop)
        return "port-specific";
    return "host-wide";
}

// ---------------------------------------------------------------------------------------------
// observe()

namespace {

/// The first answer that ended a trace (the lowest TTL), or nullptr.
const Probe* terminal_answer(const Trace& t) {
    const Probe* best = nullptr;
    for (const auto& h : t.hops)
        for (const auto& p : h.probes)
            if (is_terminal(p.reply.kind) && (!best || p.ttl < best->ttl)) best = &p;
    return best;
}

/// The highest TTL a router answered with time exceeded.
const Probe* last_time_exceeded(const Trace& t) {
    const Probe* best = nullptr;
    for (const auto& h : t.hops)
        for (const auto& p : h.probes)
            if (p.reply.kind == ReplyKind::kTimeExceeded && (!best || p.ttl > best->ttl)) best = &p;
    return best;
}

/// Where each router address first answered a time exceeded (by TTL), over the traces given.
using HopAddresses = std::map<int, IpAddress>;
HopAddresses hop_addresses(std::initializer_list<const Trace*> traces) {
    HopAddresses out;
    for (const Trace* t : traces) {
        if (!t) continue;
        for (const auto& h : t->hops)
            for (const auto& p : h.probes)
                if (p.reply.kind == ReplyKind::kTimeExceeded && !out.count(p.ttl)) out[p.ttl] = p.reply.from;
    }
    return out;
}

int hop_of_address(const HopAddresses& hops, const IpAddress& a) {
    for (const auto& [ttl, addr] : hops)
        if (addr == a) return ttl;
    return -1;
}

void observe_connect(const ConnectTest& c, PathFacts& f) {
    f.connect_result = c.result;
    f.banner_outcome = c.banner_outcome;
    f.banner = c.banner;
    f.after_banner = c.after_banner;
    f.first_line = c.pre_banner_lines.empty() ? "" : c.pre_banner_lines.front();
    f.first_bytes = c.first_bytes;
    f.connect_synack_hops = c.synack_hops;
    f.connect_rst_hops = c.rst_hops;
    f.connect_synack_packet = c.synack_packet;
    f.connect_rst_packet = c.rst_packet;
    f.connect_synack_time = c.synack_time;
    f.connect_rst_time = c.rst_time;
}

/// Probes of a trace that the capture saw leave: a firewall rule of the client's OUTPUT chain
/// (which raw packets pass too) stops a probe before the capture point.
int on_wire(const Trace& t) {
    int n = 0;
    for (const auto& h : t.hops)
        for (const auto& p : h.probes)
            if (p.packet != 0) ++n;
    return n;
}

void observe_port(const Trace& port, const IpAddress& destination, const HopAddresses& hops, PathFacts& f) {
    for (const auto& h : port.hops) f.port_max_ttl = std::max(f.port_max_ttl, h.ttl);
    f.port_syns_on_wire = on_wire(port);
    if (const Probe* p = last_time_exceeded(port)) {
        f.last_seen_hop = p->ttl;
        f.last_seen_address = p->reply.from;
        f.last_seen_packet = p->reply.packet;
        f.last_seen_time = p->reply.time;
    }
    if (const Probe* p = terminal_answer(port)) {
        f.port_answer = p->reply.kind;
        f.port_answer_ttl = p->ttl;
        f.port_answer_from = p->reply.from;
        f.port_answer_from_destination = p->reply.from == destination;
        f.port_answer_hops = p->reply.hops;
        f.port_icmp_kind = p->reply.icmp_kind;
        f.answer_packet = p->reply.packet;
        f.answer_time = p->reply.time;
        // A reset in the destination's name may come from a device on the way: only its own
        // TTL says where its sender sits, not where that address answered before.
        int at = p->reply.kind == ReplyKind::kRst ? -1 : hop_of_address(hops, p->reply.from);
        if (at < 0 && p->reply.hops >= 0) at = std::min(p->reply.hops + 1, p->ttl);
        if (at < 0) at = std::max(p->ttl - 1, 1);
        f.port_answer_sender_hop = at;
    }
    for (const auto& h : port.hops) {
        if (h.ttl <= f.last_seen_hop || f.first_silent_ttl > 0) continue;
        for (const auto& p : h.probes)
            if (p.reply.kind == ReplyKind::kNone) {
                f.first_silent_ttl = p.ttl;
                f.first_silent_packet = p.packet;
                f.first_silent_time = p.sent;
                break;
            }
    }
}

void observe_control(const Trace& control, const IpAddress& destination, PathFacts& f) {
    f.control_ran = true;
    f.control_port = control.dport;
    f.control_syns_on_wire = on_wire(control);
    if (const Probe* p = last_time_exceeded(control)) {
        f.control_last_seen_hop = p->ttl;
        f.control_packet = p->reply.packet;
        f.control_time = p->reply.time;
    }
    if (const Probe* p = terminal_answer(control)) {
        f.control_answer = p->reply.kind;
        f.control_answer_from_destination = p->reply.from == destination;
        f.control_packet = p->reply.packet;
        f.control_time = p->reply.time;
        if (f.control_answer_from_destination) {
            f.control_destination_hop = p->ttl;
            f.destination_hops = p->reply.hops;
        }
    }
}

}  // namespace

PathFacts observe(const ProbeResult& r) {
    PathFacts f;
    f.destination = r.address;
    f.port = r.port;
    f.raw = r.raw;
    if (r.connect.ran) observe_connect(r.connect, f);
    const Trace* port = r.trace(TraceRole::kPort);
    const Trace* control = r.trace(TraceRole::kControl);
    const Trace* last_hop = r.trace(TraceRole::kLastHop);
    const HopAddresses hops = hop_addresses({port, control});
    if (port && port->ran()) observe_port(*port, r.address, hops, f);
    if (control && control->ran()) observe_control(*control, r.address, f);

    f.destination_hop = f.control_destination_hop;
    if (f.port_answer_from_destination && f.port_answer != ReplyKind::kRst) {
        if (f.destination_hop < 0) f.destination_hop = f.port_answer_ttl;
        if (f.destination_hops < 0) f.destination_hops = f.port_answer_hops;
    }
    // A RST in the destination's name counts for the destination's hop only when its own TTL
    // agrees with the probe's reach (a forged one may not).
    if (f.destination_hop < 0 && f.port_answer == ReplyKind::kRst && f.port_answer_from_destination &&
        f.port_answer_hops + 1 >= f.port_answer_ttl)
        f.destination_hop = f.port_answer_ttl;

    if (r.edge_hop_given) {
        f.edge_hop = r.edge_hop;
        f.edge_hop_given = true;
    } else {
        int edge = 0;
        for (const auto& [ttl, addr] : hops) {
            if (!is_private(addr)) break;
            edge = ttl;
        }
        f.edge_hop = edge > 0 ? edge : 1;
    }
    if (last_hop && last_hop->ran()) {
        f.last_hop_probed = true;
        for (const auto& h : last_hop->hops)
            for (const auto& p : h.probes)
                if (p.reply.kind != ReplyKind::kNone && f.last_hop_answer == ReplyKind::kNone) f.last_hop_answer = p.reply.kind;
    }
    return f;
}

// ---------------------------------------------------------------------------------------------
// The probe scope's facts.

namespace {

namespace P = facts::probe;

std::string answer_words(ReplyKind k) {
    switch (k) {
    case ReplyKind::kSynAck: return "SYN-ACK";
    case ReplyKind::kRst: return "RST";
    case ReplyKind::kUnreachable: return "ICMP unreachable";
    case ReplyKind::kTimeExceeded: return "ICMP time exceeded";
    case ReplyKind::kOtherIcmp: return "ICMP error";
    case ReplyKind::kNone: return "nothing";
    }
    return "nothing";
}

std::string address_text(const IpAddress& a) { return a.version ? a.to_string() : ""; }

std::int64_t hop_delta(int a, int b) { return a >= 0 && b >= 0 ? std::abs(a - b) : -1; }

}  // namespace

facts::FactSet probe_facts(const PathFacts& f, double t0) {
    facts::FactSet fs(facts::Scope::kProbe);
    auto segment = [&](int hop) { return std::string(segment_name(segment_of(hop, f.edge_hop, f.destination_hop))); };
    // A packet supports a fact: the rules cite it as evidence. Nothing to cite when it was not captured.
    auto cite = [&](auto id, std::size_t packet, double time, std::string what) {
        if (packet == 0 && time == 0) return;
        fs.observe(id, packet, std::max(0.0, time - t0), std::move(what));
    };

    fs.set(P::destination, address_text(f.destination));
    fs.set(P::port, f.port);
    fs.set(P::ttl_probes, f.raw);

    fs.set(P::connect_result, std::string(connect_result_name(f.connect_result)));
    fs.set(P::banner_outcome, std::string(banner_outcome_name(f.banner_outcome)));
    fs.set(P::banner, f.banner);
    fs.set(P::after_banner, std::string(after_banner_name(f.after_banner)));
    fs.set(P::first_line, f.first_line);
    fs.set(P::first_bytes, std::string(first_bytes_name(f.first_bytes)));
    fs.set(P::connect_synack_hops, f.connect_synack_hops);
    fs.set(P::connect_rst_hops, f.connect_rst_hops);
    fs.set(P::connect_rst_hop_delta, hop_delta(f.connect_rst_hops, f.connect_synack_hops));
    if (f.connect_rst_hops >= 0) {
        fs.set(P::connect_rst_hop, f.connect_rst_hops + 1);
        fs.set(P::connect_rst_segment, segment(f.connect_rst_hops + 1));
    }
    if (f.connect_synack_packet)
        cite(P::connect_synack_hops, f.connect_synack_packet, f.connect_synack_time,
             fmt::format("connect test: SYN-ACK from {} hops away", f.connect_synack_hops));
    if (f.connect_rst_packet)
        cite(P::connect_rst_hops, f.connect_rst_packet, f.connect_rst_time,
             fmt::format("connect test: RST from {} hops away", f.connect_rst_hops));

    const bool port_trace = f.port_max_ttl > 0;
    fs.set(P::port_max_ttl, f.port_max_ttl);
    fs.set(P::last_seen_hop, f.last_seen_hop);
    fs.set(P::last_seen_address, address_text(f.last_seen_address));
    if (port_trace) {
        fs.set(P::last_seen_segment, segment(f.last_seen_hop));
        fs.set(P::port_answer, std::string(reply_kind_name(f.port_answer)));
    }
    if (port_trace) fs.set(P::port_syns_on_wire, f.port_syns_on_wire);
    if (f.port_answer == ReplyKind::kNone) {
        fs.set(P::first_silent_ttl, f.first_silent_ttl);
    } else {
        fs.set(P::port_answer_ttl, f.port_answer_ttl);
        fs.set(P::port_answer_from, address_text(f.port_answer_from));
        fs.set(P::port_answer_from_destination, f.port_answer_from_destination);
        fs.set(P::port_answer_hops, f.port_answer_hops);
        fs.set(P::port_answer_hop_delta, hop_delta(f.port_answer_hops, f.destination_hops));
        fs.set(P::port_icmp_kind, f.port_icmp_kind);
        fs.set(P::port_answer_sender_hop, f.port_answer_sender_hop);
        if (f.port_answer_sender_hop > 0) fs.set(P::port_answer_sender_segment, segment(f.port_answer_sender_hop));
    }
    if (f.raw) {
        if (f.last_seen_hop > 0)
            cite(P::last_seen_hop, f.last_seen_packet, f.last_seen_time,
                 fmt::format("time exceeded from {}: hop {} saw the SYN to port {}", f.last_seen_address.to_string(),
                             f.last_seen_hop, f.port));
        if (f.port_answer != ReplyKind::kNone)
            cite(P::port_answer, f.answer_packet, f.answer_time,
                 fmt::format("{} from {} answering the SYN to port {} sent with TTL {}{}", answer_words(f.port_answer),
                             f.port_answer_from.to_string(), f.port, f.port_answer_ttl,
                             f.port_icmp_kind.empty() ? "" : fmt::format(" ({})", f.port_icmp_kind)));
        else if (f.first_silent_ttl > 0)
            cite(P::first_silent_ttl, f.first_silent_packet, f.first_silent_time,
                 fmt::format("SYN to port {} with TTL {}: no answer", f.port, f.first_silent_ttl));
    }

    fs.set(P::control_ran, f.control_ran);
    fs.set(P::drop_scope, f.control_ran ? f.drop_scope() : std::string("untested"));
    if (f.control_ran) {
        fs.set(P::control_port, f.control_port);
        fs.set(P::control_syns_on_wire, f.control_syns_on_wire);
        fs.set(P::control_answer, std::string(reply_kind_name(f.control_answer)));
        fs.set(P::control_answer_from_destination, f.control_answer_from_destination);
        fs.set(P::control_last_seen_hop, f.control_last_seen_hop);
        fs.set(P::control_destination_hop, f.control_destination_hop);
        const int reach = f.control_destination_hop > 0 ? f.control_destination_hop : f.control_last_seen_hop;
        fs.set(P::control_reach_hop, reach);
        if (f.raw && (f.control_packet || f.control_time > 0))
            cite(P::control_reach_hop, f.control_packet, f.control_time,
                 f.control_answer != ReplyKind::kNone
                     ? fmt::format("control port {}: {} from {} at hop {}", f.control_port, answer_words(f.control_answer),
                                   f.control_answer_from_destination ? f.destination.to_string() : "a router", reach)
                     : fmt::format("control port {}: last seen at hop {}", f.control_port, f.control_last_seen_hop));
    }

    fs.set(P::destination_hop, f.destination_hop);
    fs.set(P::destination_hops, f.destination_hops);
    fs.set(P::edge_hop, f.edge_hop);
    fs.set(P::edge_hop_source, std::string(f.edge_hop_given ? "option" : "guessed"));
    fs.set(P::last_hop_probed, f.last_hop_probed);
    if (f.last_hop_probed) fs.set(P::last_hop_answer, std::string(reply_kind_name(f.last_hop_answer)));
    return fs;
}

// ---------------------------------------------------------------------------------------------
// decide()

namespace {

struct Place {
    Segment segment = Segment::kUnknown;
    int hop = -1;
};

bool cites(const rules::Rule* rule, const facts::Spec& spec) {
    return rule && std::find(rule->evidence.begin(), rule->evidence.end(), &spec) != rule->evidence.end();
}

/// Where the observation a verdict rests on was made (see decide.h). This places the verdict;
/// it does not choose it.
Place locate(const PathFacts& f, const verdict::Verdict& v, const rules::Rule* rule) {
    using contract::Cause;
    auto at = [&](int hop) { return Place{segment_of(hop, f.edge_hop, f.destination_hop), hop}; };
    const Place destination{Segment::kDestination, f.destination_hop};
    switch (v.cause) {
    case Cause::kOk:
    case Cause::kLocalFirewall: return {Segment::kNone, -1};
    case Cause::kNotSsh:
    case Cause::kClosedBeforeBanner:
    case Cause::kKexFailed:
    case Cause::kBannerTimeout: return destination;
    case Cause::kForgedReset:
        // The reset the verdict cites: the connect test's, else the port trace's.
        return cites(rule, P::connect_rst_hops.spec()) ? at(f.connect_rst_hops + 1) : at(f.port_answer_sender_hop);
    case Cause::kPortClosed:
        if (f.port_answer == ReplyKind::kRst && f.port_answer_from_destination) return destination;
        break;
    case Cause::kIcmpReject:
        if (f.port_answer == ReplyKind::kUnreachable)
            return f.port_answer_from_destination ? destination : at(f.port_answer_sender_hop);
        break;
    case Cause::kSilentDrop:
        if (f.raw && f.port_answer == ReplyKind::kNone && f.port_max_ttl > 0) return at(f.last_seen_hop);
        break;
    default: break;
    }
    return {};
}

}  // namespace

Decision decide(const rules::RuleSet& rules, const PathFacts& f, const std::string& capture_file, double t0) {
    const facts::FactSet fs = probe_facts(f, t0);
    Decision d;
    d.verdict = verdict::decide(rules, facts::Context(fs), facts::Scope::kProbe, capture_file);
    const verdict::Verdict& v = d.verdict;
    const rules::Rule* rule = rules.find(v.rule);
    const Place place = locate(f, v, rule);
    d.segment = place.segment;
    d.blamed_hop = place.hop;
    d.last_seen_hop = f.last_seen_hop;
    d.last_seen_address = address_text(f.last_seen_address);
    d.destination_hop = f.destination_hop;
    // The destination's own answer shows the SYN reached it, unless the verdict calls the port
    // trace's reset forged.
    const bool port_rst_forged = v.cause == contract::Cause::kForgedReset && f.port_answer == ReplyKind::kRst &&
                                 !cites(rule, P::connect_rst_hops.spec());
    if (f.port_answer_from_destination && f.port_answer_ttl > f.last_seen_hop && !port_rst_forged) {
        d.last_seen_hop = f.port_answer_ttl;
        d.last_seen_address = f.port_answer_from.to_string();
    }
    d.drop_scope = v.cause == contract::Cause::kSilentDrop && f.raw ? f.drop_scope() : "";
    return d;
}

}  // namespace sshpath::probe
