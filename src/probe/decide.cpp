#include "sshpath/probe/decide.h"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
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

}  // namespace

PathFacts observe(const ProbeResult& r) {
    PathFacts f;
    f.destination = r.address;
    f.port = r.port;
    f.raw = r.raw;
    const ConnectTest& c = r.connect;
    if (c.ran) {
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
    const Trace* port = r.trace(TraceRole::kPort);
    const Trace* control = r.trace(TraceRole::kControl);
    const Trace* last_hop = r.trace(TraceRole::kLastHop);

    // Where each router address first answered a time-exceeded (by TTL), over both traces.
    std::map<int, IpAddress> hop_address;
    for (const Trace* t : {port, control}) {
        if (!t) continue;
        for (const auto& h : t->hops)
            for (const auto& p : h.probes)
                if (p.reply.kind == ReplyKind::kTimeExceeded && !hop_address.count(p.ttl)) hop_address[p.ttl] = p.reply.from;
    }
    auto hop_of_address = [&](const IpAddress& a) {
        for (const auto& [ttl, addr] : hop_address)
            if (addr == a) return ttl;
        return -1;
    };

    if (port && port->ran()) {
        for (const auto& h : port->hops) f.port_max_ttl = std::max(f.port_max_ttl, h.ttl);
        if (const Probe* p = last_time_exceeded(*port)) {
            f.last_seen_hop = p->ttl;
            f.last_seen_address = p->reply.from;
            f.last_seen_packet = p->reply.packet;
            f.last_seen_time = p->reply.time;
        }
        if (const Probe* p = terminal_answer(*port)) {
            f.port_answer = p->reply.kind;
            f.port_answer_ttl = p->ttl;
            f.port_answer_from = p->reply.from;
            f.port_answer_from_destination = p->reply.from == r.address;
            f.port_answer_hops = p->reply.hops;
            f.port_icmp_kind = p->reply.icmp_kind;
            f.answer_packet = p->reply.packet;
            f.answer_time = p->reply.time;
            int at = hop_of_address(p->reply.from);
            if (at < 0 && p->reply.hops >= 0) at = std::min(p->reply.hops + 1, p->ttl);
            f.port_answer_sender_hop = at;
        }
        for (const auto& h : port->hops) {
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
    if (control && control->ran()) {
        f.control_ran = true;
        f.control_port = control->dport;
        if (const Probe* p = last_time_exceeded(*control)) {
            f.control_last_seen_hop = p->ttl;
            f.control_packet = p->reply.packet;
            f.control_time = p->reply.time;
        }
        if (const Probe* p = terminal_answer(*control)) {
            f.control_answer = p->reply.kind;
            f.control_answer_from_destination = p->reply.from == r.address;
            f.control_packet = p->reply.packet;
            f.control_time = p->reply.time;
            if (f.control_answer_from_destination) {
                f.control_destination_hop = p->ttl;
                f.destination_hops = p->reply.hops;
            }
        }
    }
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
        for (const auto& [ttl, addr] : hop_address) {
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
// The decision table.

namespace {

struct Blame {
    std::string component;
    std::vector<std::string> candidates;
};

/// Who may be at fault at a segment. `sent_by_router`: the answer came from a router's own
/// address (an ICMP error, a forged reset), which rules out the VM's guest firewall.
Blame blame_for(Segment s, bool sent_by_router) {
    switch (s) {
    case Segment::kNone: return {"none", {}};
    case Segment::kOrganisation: return {"unknown", {"client", "edge"}};
    case Segment::kEdge: return {"edge", {}};
    case Segment::kInternet: return {"unknown", {"path", "acl"}};
    case Segment::kDestination:
        return sent_by_router ? Blame{"unknown", {"acl", "nsg"}} : Blame{"unknown", {"nsg", "acl", "vm"}};
    case Segment::kBeyondEdge:
        return sent_by_router ? Blame{"unknown", {"acl", "nsg", "path"}} : Blame{"unknown", {"acl", "nsg", "vm", "path"}};
    case Segment::kUnknown: return {"unknown", {"edge", "acl", "nsg", "vm"}};
    }
    return {"unknown", {"edge", "acl", "nsg", "vm"}};
}

bool connected(const PathFacts& f) { return f.connect_result == "connected"; }

/// The RST in the destination's name did not come from the destination. With the host's own
/// answers to compare with (the control port's), as the analyzer does: another hop distance
/// (that holds on asymmetric paths, where the way back differs from the way out). Without
/// them: it answered a probe whose TTL could not reach the host, or its own TTL puts its sender
/// nearer than the probe's reach.
bool rst_forged(const PathFacts& f) {
    if (f.port_answer != ReplyKind::kRst || !f.port_answer_from_destination) return false;
    if (f.destination_hops >= 0 && f.port_answer_hops >= 0) return f.port_answer_hops != f.destination_hops;
    if (f.control_destination_hop > 0 && f.port_answer_ttl < f.control_destination_hop) return true;
    return f.port_answer_hops >= 0 && f.port_answer_hops + 1 < f.port_answer_ttl;
}

int forger_hop(const PathFacts& f) {
    if (f.port_answer_hops >= 0) return std::min(f.port_answer_hops + 1, f.port_answer_ttl);
    return std::max(f.port_answer_ttl - 1, 1);
}

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

std::string hop_text(int hop, const IpAddress& a) {
    return a.version ? fmt::format("hop {} ({})", hop, a.to_string()) : fmt::format("hop {}", hop);
}

std::string edge_text(const PathFacts& f) {
    return f.edge_hop_given ? fmt::format("hop {} is the edge, as --edge-hop says", f.edge_hop)
                            : fmt::format("hop {} is taken for the edge: the last private address on the path, else the "
                                          "first router; --edge-hop overrides",
                                          f.edge_hop);
}

// Context a row's text needs besides the facts.
struct Ctx {
    const PathFacts& f;
    std::string dst;       ///< destination address
    int port;
    Segment segment;
    int blamed_hop;
};

std::vector<std::string> steps_for_segment(const Ctx& c) {
    const auto& f = c.f;
    switch (c.segment) {
    case Segment::kOrganisation:
        return {fmt::format("Check the client's own firewall and security software first (the probes pass its OUTPUT "
                            "rules too): 'sudo iptables -S OUTPUT', 'sudo nft list ruleset'."),
                fmt::format("Ask the network team which firewall sits before hop {} and whether it blocks tcp/{} to {}.",
                            f.edge_hop, c.port, c.dst)};
    case Segment::kEdge:
        return {fmt::format("Ask the network team whether the edge firewall/IPS at hop {} blocks tcp/{} to {}, and to allow it.",
                            c.blamed_hop > 0 ? c.blamed_hop : f.edge_hop, c.port, c.dst),
                "Confirm from a machine outside the organisation's network (e.g. a phone hotspot): if SSH works there, "
                "the edge is the culprit."};
    case Segment::kInternet:
        return {fmt::format("Probe again from another network (e.g. a phone hotspot): if the SYN gets further there, a "
                            "network between the edge and the cloud filters tcp/{}.",
                            c.port),
                "Check the cloud endpoint's ACL (classic deployments) in case the cloud's edge sits before its last router."};
    case Segment::kDestination:
        return {fmt::format("Check the NSG with IP flow verify: 'az network watcher test-ip-flow --direction Inbound "
                            "--protocol TCP --local {}:{} --remote CLIENT_IP:* --vm VM -g GROUP', and 'az network nsg rule "
                            "list -g GROUP --nsg-name NSG -o table'; for classic deployments, the endpoint's ACL.",
                            c.dst, c.port),
                "Try from a VM in the same virtual network: if it connects, the NSG or ACL blocks you, not the VM.",
                "Check the VM's guest firewall from its serial console: 'sudo iptables -S INPUT', 'sudo nft list ruleset'."};
    case Segment::kBeyondEdge:
        return {fmt::format("The host answered on no port: check in the portal that the VM runs (resource health), "
                            "then the NSG ('az network watcher test-ip-flow ... --local {}:{}') and the ACL.",
                            c.dst, c.port),
                "Probe again with --control-port set to a port the VM is known to answer on, to measure how far it is."};
    default: return {};
    }
}

using Cond = bool (*)(const PathFacts&);
using Where = Segment (*)(const PathFacts&, int& blamed_hop);
using Text = std::string (*)(const Ctx&);
using Steps = std::vector<std::string> (*)(const Ctx&);

struct Row {
    std::string_view id;          ///< "{segment}" is replaced by the segment's name
    std::string_view cause;
    bool by_segment;              ///< component/candidates from the segment (blame_for), not the row
    bool sent_by_router;          ///< for blame_for
    std::string_view component;   ///< when !by_segment
    std::array<std::string_view, 4> candidates;  ///< when !by_segment and component is unknown
    std::string_view confidence;
    Cond when;
    Where where;
    Text summary;
    Steps next_steps;
};

Segment at_destination(const PathFacts& f, int& hop) {
    hop = f.destination_hop;
    return Segment::kDestination;
}
Segment nowhere(const PathFacts&, int& hop) {
    hop = -1;
    return Segment::kNone;
}
Segment unknown_place(const PathFacts&, int& hop) {
    hop = -1;
    return Segment::kUnknown;
}

std::string banner_words(const PathFacts& f) { return f.banner.empty() ? "" : fmt::format(" ('{}')", f.banner); }

// Read top to bottom: the first row whose condition holds decides.
const Row kTable[] = {
    // --- the connect test got through the handshake: the network reached the host
    {"probe.ok.ssh-banner", "ok", false, false, "none", {}, "high",
     [](const PathFacts& f) { return connected(f) && f.banner_outcome == "ssh" && f.after_banner != "reset"; }, nowhere,
     [](const Ctx& c) {
         return fmt::format("{}:{} accepted the connection and sent its identification string{}: the network carries SSH to "
                            "the server",
                            c.dst, c.port, banner_words(c.f));
     },
     [](const Ctx&) {
         return std::vector<std::string>{
             "The network is fine: look at authentication with 'ssh -vvv' (keys, their permissions: ~/.ssh 700, the "
             "private key 600), or reset them with 'az vm user update' / 'az vm user reset-ssh'."};
     }},
    {"probe.forged-reset.after-connect", "forged-reset", true, true, "", {}, "high",
     [](const PathFacts& f) {
         return connected(f) && (f.banner_outcome == "reset" || f.after_banner == "reset") && f.connect_rst_hops >= 0 &&
                f.connect_synack_hops >= 0 && f.connect_rst_hops != f.connect_synack_hops;
     },
     [](const PathFacts& f, int& hop) {
         hop = f.connect_rst_hops + 1;
         return segment_of(hop, f.edge_hop, f.destination_hop);
     },
     [](const Ctx& c) {
         return fmt::format("The connection to {}:{} was reset {}by a packet from {} hops away, but the server's SYN-ACK "
                            "came from {} hops away: a device at hop {} forged the reset ({})",
                            c.dst, c.port, c.f.after_banner == "reset" ? "after the identification strings " : "",
                            c.f.connect_rst_hops, c.f.connect_synack_hops, c.blamed_hop, segment_words(c.segment));
     },
     steps_for_segment},
    {"probe.not-ssh", "not-ssh", false, false, "vm", {}, "high",
     [](const PathFacts& f) { return connected(f) && f.banner_outcome == "not-ssh"; }, at_destination,
     [](const Ctx& c) {
         return fmt::format("{}:{} accepted the connection but speaks something else than SSH (its first bytes look like {}{})",
                            c.dst, c.port, c.f.first_bytes.empty() ? "text" : c.f.first_bytes,
                            c.f.first_line.empty() ? "" : fmt::format(": '{}'", c.f.first_line));
     },
     [](const Ctx& c) {
         return std::vector<std::string>{
             fmt::format("Check which service listens on port {} on the VM ('sudo ss -ltnp'), and the endpoint's or load "
                         "balancer's port mapping.",
                         c.port)};
     }},
    {"probe.closed-before-banner", "closed-before-banner", false, false, "vm", {}, "high",
     [](const PathFacts& f) { return connected(f) && (f.banner_outcome == "closed" || f.banner_outcome == "reset"); },
     at_destination,
     [](const Ctx& c) {
         return fmt::format("{}:{} accepted the connection, then {} it before any identification string{}", c.dst, c.port,
                            c.f.banner_outcome == "reset" ? "reset" : "closed",
                            c.f.first_line.empty() ? "" : fmt::format(" (it sent '{}')", c.f.first_line));
     },
     [](const Ctx&) {
         return std::vector<std::string>{
             "sshd (or TCP wrappers, fail2ban) refuses at once: check sshd's log ('journalctl -u ssh'), MaxStartups, "
             "/etc/hosts.deny and 'fail2ban-client status sshd' from the VM's serial console."};
     }},
    {"probe.kex-failed.reset-after-banner", "kex-failed", false, false, "vm", {}, "medium",
     [](const PathFacts& f) { return connected(f) && f.banner_outcome == "ssh" && f.after_banner == "reset"; },
     at_destination,
     [](const Ctx& c) {
         return fmt::format("{}:{} sent its identification string{}, then reset the connection (from its own hop "
                            "distance) before the key exchange",
                            c.dst, c.port, banner_words(c.f));
     },
     [](const Ctx&) {
         return std::vector<std::string>{
             "Check sshd's log on the VM ('journalctl -u ssh') for why it dropped the connection right after the "
             "identification strings (MaxStartups, fail2ban, a crash)."};
     }},
    {"probe.banner-timeout", "banner-timeout", false, false, "vm", {}, "medium",
     [](const PathFacts& f) { return connected(f) && f.banner_outcome == "timeout"; }, at_destination,
     [](const Ctx& c) {
         return fmt::format("{}:{} accepted the connection but sent no identification string in time", c.dst, c.port);
     },
     [](const Ctx&) {
         return std::vector<std::string>{
             "sshd accepted but does not answer: check the VM's load and sshd's log from the serial console, restart sshd "
             "or the VM ('az vm restart')."};
     }},
    // --- the TTL probes: the answer that ended the port trace
    {"probe.forged-reset.syn", "forged-reset", true, true, "", {}, "high", rst_forged,
     [](const PathFacts& f, int& hop) {
         hop = forger_hop(f);
         return segment_of(hop, f.edge_hop, f.destination_hop);
     },
     [](const Ctx& c) {
         const auto& f = c.f;
         std::string why = f.destination_hops >= 0
                               ? fmt::format("it came from {} hops away, while the host's own answers (port {}, hop {}) come "
                                             "from {} hops away",
                                             f.port_answer_hops, f.control_port, f.control_destination_hop, f.destination_hops)
                               : fmt::format("its TTL puts its sender {} hops away", f.port_answer_hops);
         return fmt::format("A reset in {}'s name answered the SYN to port {} sent with TTL {}, but {}: a device at hop {} "
                            "forged it ({})",
                            c.dst, c.port, f.port_answer_ttl, why, c.blamed_hop, segment_words(c.segment));
     },
     steps_for_segment},
    {"probe.port-closed.verified", "port-closed", false, false, "vm", {}, "high",
     [](const PathFacts& f) { return f.port_answer == ReplyKind::kRst && f.port_answer_from_destination; }, at_destination,
     [](const Ctx& c) {
         return fmt::format("The host {} itself answered the SYN to port {} with a reset, at its own distance (hop {}): "
                            "nothing listens on the port",
                            c.dst, c.port, c.f.port_answer_ttl);
     },
     [](const Ctx& c) {
         return std::vector<std::string>{
             fmt::format("Start sshd or make it listen on port {}: from the serial console 'sudo systemctl status ssh', "
                         "'sudo ss -ltnp | grep :{}', or reset the SSH configuration with 'az vm user reset-ssh'.",
                         c.port, c.port),
             "For a classic deployment, check that the endpoint's private port is the port sshd listens on."};
     }},
    {"probe.icmp-reject.destination", "icmp-reject", false, false, "vm", {}, "high",
     [](const PathFacts& f) { return f.port_answer == ReplyKind::kUnreachable && f.port_answer_from_destination; },
     at_destination,
     [](const Ctx& c) {
         return fmt::format("The host {} itself rejected the SYN to port {} with ICMP {}: its guest firewall rejects the "
                            "port",
                            c.dst, c.port, c.f.port_icmp_kind);
     },
     [](const Ctx& c) {
         return std::vector<std::string>{fmt::format(
             "Check the VM's guest firewall from its serial console: 'sudo iptables -S INPUT', 'sudo nft list ruleset'; "
             "allow tcp/{}.",
             c.port)};
     }},
    {"probe.icmp-reject.unreachable", "icmp-reject", false, false, "unknown", {"vm", "path"}, "medium",
     [](const PathFacts& f) {
         return f.port_answer == ReplyKind::kUnreachable &&
                (f.port_icmp_kind == "host-unreachable" || f.port_icmp_kind == "net-unreachable" ||
                 f.port_icmp_kind == "no-route" || f.port_icmp_kind == "addr-unreachable");
     },
     [](const PathFacts& f, int& hop) {
         hop = f.port_answer_sender_hop > 0 ? f.port_answer_sender_hop : std::max(f.port_answer_ttl - 1, 1);
         return segment_of(hop, f.edge_hop, f.destination_hop);
     },
     [](const Ctx& c) {
         return fmt::format("{} at hop {} reported {} unreachable (ICMP {}): the SYN could not be delivered, the host "
                            "is down or a route is missing",
                            c.f.port_answer_from.to_string(), c.blamed_hop, c.dst, c.f.port_icmp_kind);
     },
     [](const Ctx&) {
         return std::vector<std::string>{
             "Check that the VM runs (the portal's resource health, 'az vm get-instance-view ... --query "
             "instanceView.statuses'), then restart or redeploy it ('az vm restart', 'az vm redeploy').",
             "If it runs, check the routes of its subnet and of the network in front of it."};
     }},
    {"probe.icmp-reject.router", "icmp-reject", true, true, "", {}, "high",
     [](const PathFacts& f) { return f.port_answer == ReplyKind::kUnreachable; },
     [](const PathFacts& f, int& hop) {
         hop = f.port_answer_sender_hop > 0 ? f.port_answer_sender_hop : std::max(f.port_answer_ttl - 1, 1);
         return segment_of(hop, f.edge_hop, f.destination_hop);
     },
     [](const Ctx& c) {
         return fmt::format("{} at hop {} rejected the SYN to port {} with ICMP {} ({})", c.f.port_answer_from.to_string(),
                            c.blamed_hop, c.port, c.f.port_icmp_kind, segment_words(c.segment));
     },
     steps_for_segment},
    {"probe.local-firewall.synack", "local-firewall", false, false, "client", {}, "medium",
     [](const PathFacts& f) { return f.port_answer == ReplyKind::kSynAck && f.connect_result == "timeout"; }, nowhere,
     [](const Ctx& c) {
         return fmt::format("{}:{} answers the probes with a SYN-ACK, but the client's own connection timed out: the "
                            "client's firewall drops the SYN-ACK before its TCP sees it",
                            c.dst, c.port);
     },
     [](const Ctx&) {
         return std::vector<std::string>{
             "Check the client's inbound firewall rules and security software: 'sudo iptables -S INPUT', 'sudo nft list "
             "ruleset'."};
     }},
    {"probe.silent-drop.{segment}", "silent-drop", true, false, "", {}, "medium",
     [](const PathFacts& f) { return f.raw && f.port_answer == ReplyKind::kNone && f.port_max_ttl > 0; },
     [](const PathFacts& f, int& hop) {
         hop = f.last_seen_hop;
         return segment_of(f.last_seen_hop, f.edge_hop, f.destination_hop);
     },
     [](const Ctx& c) {
         const auto& f = c.f;
         std::string seen = f.last_seen_hop > 0
                                ? fmt::format("SYNs to port {} were last seen at {}, nothing answered beyond it", c.port,
                                              hop_text(f.last_seen_hop, f.last_seen_address))
                                : fmt::format("no router answered any SYN to port {}, not even at TTL 1", c.port);
         std::string control;
         const std::string scope = f.drop_scope();
         if (scope == "port-specific")
             control = f.control_destination_hop > 0
                           ? fmt::format("; port {} of the same host answers at hop {}, so the drop is specific to port {}",
                                         f.control_port, f.control_destination_hop, c.port)
                           : fmt::format("; SYNs to port {} got further (hop {}), so the drop is specific to port {}",
                                         f.control_port, f.control_last_seen_hop, c.port);
         else if (scope == "host-wide")
             control = fmt::format("; port {} dies at the same place, so the whole host is unreachable from here",
                                   f.control_port);
         return fmt::format("{}{}: dropped {}", seen, control, segment_words(c.segment));
     },
     steps_for_segment},
    // --- without TTL probes: the connect test alone (what `ssh` itself would see)
    {"probe.port-closed.connect", "port-closed", false, false, "unknown", {"vm", "edge", "acl", "nsg"}, "medium",
     [](const PathFacts& f) { return f.connect_result == "refused"; }, unknown_place,
     [](const Ctx& c) {
         return fmt::format("The connection to {}:{} was refused (a reset): nothing listens, or a firewall resets in the "
                            "host's name; the TTL probes (root) would tell which",
                            c.dst, c.port);
     },
     [](const Ctx&) {
         return std::vector<std::string>{"Run the probe as root (or with CAP_NET_RAW): its TTL probes tell whether the reset "
                                         "comes from the host or from a device on the way."};
     }},
    {"probe.icmp-reject.connect", "icmp-reject", false, false, "unknown", {"edge", "acl", "nsg"}, "medium",
     [](const PathFacts& f) { return f.connect_result == "unreachable"; }, unknown_place,
     [](const Ctx& c) {
         return fmt::format("The connection to {}:{} failed with an ICMP error (no route / unreachable); the TTL probes "
                            "(root) would say who sent it",
                            c.dst, c.port);
     },
     [](const Ctx&) {
         return std::vector<std::string>{"Run the probe as root (or with CAP_NET_RAW) to see which router rejects the SYN."};
     }},
    {"probe.silent-drop.connect", "silent-drop", false, false, "unknown", {"edge", "acl", "nsg", "vm"}, "medium",
     [](const PathFacts& f) { return f.connect_result == "timeout"; }, unknown_place,
     [](const Ctx& c) {
         return fmt::format("The connection to {}:{} timed out: something on the path drops the SYNs; the TTL probes "
                            "(root) would show where",
                            c.dst, c.port);
     },
     [](const Ctx&) {
         return std::vector<std::string>{
             "Run the probe as root (or with CAP_NET_RAW): its TTL probes show the last hop that sees the SYN.",
             "Try from a machine outside your organisation's network (e.g. a phone hotspot), and from a VM in the same "
             "virtual network: that separates the edge from the cloud side."};
     }},
    {"probe.unknown", "unknown", false, false, "unknown", {"edge", "acl", "nsg", "vm"}, "low",
     [](const PathFacts&) { return true; }, unknown_place,
     [](const Ctx& c) {
         return fmt::format("The probes to {}:{} did not show a known pattern (see the hop table)", c.dst, c.port);
     },
     [](const Ctx&) {
         return std::vector<std::string>{"Capture an ssh attempt ('sudo tcpdump -w ssh.pcap ...') and run 'sshpath analyze' on it."};
     }},
};

}  // namespace

Decision decide(const PathFacts& f, const std::string& capture_file, double t0) {
    Decision d;
    const Row* row = nullptr;
    for (const auto& r : kTable)
        if (r.when(f)) {
            row = &r;
            break;
        }
    int hop = -1;
    d.segment = row->where(f, hop);
    d.blamed_hop = hop;
    d.last_seen_hop = f.last_seen_hop;
    d.last_seen_address = f.last_seen_address.version ? f.last_seen_address.to_string() : "";
    // The destination's own answer shows the SYN reached it.
    if (f.port_answer_from_destination && f.port_answer_ttl > f.last_seen_hop && !rst_forged(f)) {
        d.last_seen_hop = f.port_answer_ttl;
        d.last_seen_address = f.port_answer_from.to_string();
    }
    d.drop_scope = row->cause == "silent-drop" && f.raw ? f.drop_scope() : "";

    verdict::Verdict& v = d.verdict;
    v.rule = std::string(row->id);
    if (auto pos = v.rule.find("{segment}"); pos != std::string::npos) v.rule.replace(pos, 9, segment_name(d.segment));
    using contract::Cause;
    using contract::Component;
    using contract::Confidence;
    v.cause = contract::cause_from(row->cause).value();
    auto components = [&](const std::vector<std::string>& words) {
        for (const auto& w : words) v.candidates.push_back(contract::component_from(w).value());
    };
    if (row->by_segment) {
        Blame b = blame_for(d.segment, row->sent_by_router);
        v.component = contract::component_from(b.component).value();
        components(b.candidates);
    } else {
        v.component = contract::component_from(row->component).value();
        if (v.component == Component::kUnknown)
            for (auto c : row->candidates)
                if (!c.empty()) v.candidates.push_back(contract::component_from(c).value());
    }
    v.confidence = contract::confidence_from(row->confidence).value();
    // A drop or reset pinned to a hop is proof of where; that the hop is the organisation's edge
    // is only a guess unless --edge-hop said so.
    if (row->by_segment && v.component == Component::kEdge) v.confidence = f.edge_hop_given ? Confidence::kHigh : Confidence::kMedium;
    if (row->by_segment && v.component != Component::kEdge && v.cause == Cause::kSilentDrop && d.segment == Segment::kBeyondEdge)
        v.confidence = Confidence::kLow;

    const Ctx ctx{f, f.destination.to_string(), f.port, d.segment, hop};
    v.summary = row->summary(ctx);
    if (d.segment == Segment::kEdge || d.segment == Segment::kOrganisation) v.explanation = edge_text(f) + ".";
    v.next_steps = row->next_steps(ctx);
    auto cite = [&](std::size_t packet, double time, std::string what) {
        if (packet == 0 && time == 0) return;
        v.evidence.push_back({capture_file, packet, std::max(0.0, time - t0), std::move(what)});
    };
    if (f.connect_synack_packet && (v.cause == Cause::kForgedReset || connected(f)))
        cite(f.connect_synack_packet, f.connect_synack_time, fmt::format("connect test: SYN-ACK from {} hops away", f.connect_synack_hops));
    if (f.connect_rst_packet && v.rule == "probe.forged-reset.after-connect")
        cite(f.connect_rst_packet, f.connect_rst_time, fmt::format("connect test: RST from {} hops away", f.connect_rst_hops));
    if (f.raw) {
        if (f.last_seen_hop > 0)
            cite(f.last_seen_packet, f.last_seen_time,
                 fmt::format("time exceeded from {}: hop {} saw the SYN to port {}", f.last_seen_address.to_string(),
                             f.last_seen_hop, f.port));
        if (f.port_answer != ReplyKind::kNone)
            cite(f.answer_packet, f.answer_time,
                 fmt::format("{} from {} answering the SYN to port {} sent with TTL {}{}", answer_words(f.port_answer),
                             f.port_answer_from.to_string(), f.port, f.port_answer_ttl,
                             f.port_icmp_kind.empty() ? "" : fmt::format(" ({})", f.port_icmp_kind)));
        else if (f.first_silent_ttl > 0)
            cite(f.first_silent_packet, f.first_silent_time,
                 fmt::format("SYN to port {} with TTL {}: no answer", f.port, f.first_silent_ttl));
        if (f.control_ran && (f.control_packet || f.control_time > 0))
            cite(f.control_packet, f.control_time,
                 f.control_answer != ReplyKind::kNone
                     ? fmt::format("control port {}: {} from {} at hop {}", f.control_port, answer_words(f.control_answer),
                                   f.control_answer_from_destination ? f.destination.to_string() : "a router",
                                   f.control_destination_hop > 0 ? f.control_destination_hop : f.control_last_seen_hop)
                     : fmt::format("control port {}: last seen at hop {}", f.control_port, f.control_last_seen_hop));
    }
    return d;
}

}  // namespace sshpath::probe
