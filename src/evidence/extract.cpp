#include "sshpath/evidence/extract.h"
#include "sshpath/evidence/position.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace sshpath::evidence {

namespace F = facts::flow;
namespace C = facts::capture;
using facts::FactSet;
using facts::Scope;

using flow::Flow;

std::string icmp_kind_name(int ip_version, int type, int code) {
    if (ip_version == 4) {
        if (type == 11) return "time-exceeded";
        if (type != 3) return "other";
        switch (code) {
        case 0: return "net-unreachable";
        case 1: return "host-unreachable";
        case 2: return "proto-unreachable";
        case 3: return "port-unreachable";
        case 4: return "frag-needed";
        case 9: return "net-prohibited";
        case 10: return "host-prohibited";
        case 13: return "admin-prohibited";
        default: return "other";
        }
    }
    if (type == 2) return "packet-too-big";
    if (type == 3) return "time-exceeded";
    if (type != 1) return "other";
    switch (code) {
    case 0: return "no-route";
    case 1: return "admin-prohibited";
    case 3: return "addr-unreachable";
    case 4: return "port-unreachable";
    case 5: return "admin-prohibited";  // source address failed ingress/egress policy
    case 6: return "admin-prohibited";  // reject route to destination
    default: return "other";
    }
}

CaptureContext make_context(const std::map<packet::IpAddress, std::uint8_t>& synack_ttls, double start_time,
                            double end_time, int ssh_port) {
    CaptureContext ctx;
    ctx.start_time = start_time;
    ctx.end_time = end_time;
    ctx.ssh_port = ssh_port;
    for (const auto& [address, ttl] : synack_ttls) ctx.server_hops[address] = hop_distance(ttl);
    return ctx;
}

std::string endpoint(const packet::IpAddress& a, int port) {
    // By hand: two of every attempt's facts, where fmt's parsing of the format was a visible cost.
    const std::string address = a.to_string();
    char digits[16];
    const auto port_end = std::to_chars(digits, digits + sizeof digits, port).ptr;
    std::string s;
    s.reserve(address.size() + 3 + static_cast<std::size_t>(port_end - digits));
    if (a.version == 6) s += '[';
    s += address;
    if (a.version == 6) s += ']';
    s += ':';
    s.append(digits, port_end);
    return s;
}

namespace {

// The options a SYN or SYN-ACK carried, by name, comma-separated ("mss,sack,ts,wscale").
std::string syn_options(const packet::TcpOptions& o) {
    std::string s;
    auto add = [&](bool present, std::string_view name) {
        if (!present) return;
        if (!s.empty()) s += ',';
        s += name;
    };
    add(o.mss >= 0, "mss");
    add(o.sack_permitted, "sack");
    add(o.timestamps, "ts");
    add(o.wscale >= 0, "wscale");
    return s;
}

struct Stage {
    const char* name;
    int rank;
};

Stage stage_of(const Flow& f) {
    const auto& v = *f.ssh;
    if (v.client.newkeys && v.server.newkeys) return {"encrypted", 6};
    if (v.client.kex_messages || v.server.kex_messages || v.client.newkeys || v.server.newkeys) return {"kex", 5};
    if (v.ssh1 && v.server.data_after_banner) return {"kex", 5};  // SSH-1: the server's public key opens the key exchange
    if (v.client.kexinit || v.server.kexinit) return {"kexinit", 4};
    if (v.client.banner && v.server.banner) return {"banners", 3};
    if (f.handshake_ack || (f.c2s.max_end > 0 && f.s2c.max_end > 0)) return {"handshake", 2};
    if (!f.syns.empty() || !f.synacks.empty()) return {"syn", 1};
    return {"", 0};
}

std::string tunnel_text(const packet::TunnelStack& stack) {
    std::vector<std::string> layers;
    for (std::uint8_t i = 0; i < stack.depth; ++i) {
        const packet::Tunnel& t = stack.layers[i];
        std::string text = packet::tunnel_kind_name(t.kind);
        if (t.has_id) {
            const char* id = t.kind == packet::TunnelKind::kVxlan || t.kind == packet::TunnelKind::kGeneve ? "vni"
                             : t.kind == packet::TunnelKind::kMpls                                          ? "label"
                             : t.kind == packet::TunnelKind::kGre                                           ? "key"
                                                                                                            : "session";
            text += fmt::format(" {} {}", id, t.id);
        }
        if (t.outer_src.version != 0) text += fmt::format(" {}->{}", t.outer_src.to_string(), t.outer_dst.to_string());
        layers.push_back(std::move(text));
    }
    return fmt::format("{}", fmt::join(layers, " / "));
}

// What every group of a flow's facts reads and writes: the facts being filled, the flow, the
// capture around it, its two ends as text, and the helpers that date an observation relative to
// the capture's start.
struct FlowExtraction {
    FactSet& fs;
    const Flow& f;
    const CaptureContext& ctx;
    std::string client = endpoint(f.client, f.client_port);  ///< "address:port", "[address]:port"
    std::string server = endpoint(f.server, f.server_port);

    double rel(double t) const { return t - ctx.start_time; }
    template <Scope S, class T>
    void observe(facts::Id<S, T> id, const flow::PacketRef& r, std::string what) const {
        fs.observe(id, r.packet, rel(r.time), std::move(what));
    }
};

// Where the server stands, as the later groups (resets, ICMP) compare other sources with it.
struct ServerPlace {
    int hops = -1;         ///< hop distance of the server's own packets, -1 unknown
    int client_hops = -1;  ///< of the client's own packets: routers between the client and the capture
    Link link;
    /// The hop, counted from the client (its gateway is hop 1), of a sender `hops` routers
    /// before the capture.
    std::int64_t hop_from_client(int hops) const { return hops + std::max(client_hops, 0) + 1; }
};

// The facts of the link layer, tunnels and MPTCP signalling; returns what the capture's ARP/ND
// proves of the server's place ("on-link", "off-link" or "").
std::string link_layer(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    const flow::Wire& w = f.wire;
    if (w.client_link.has_src) fs.set(F::client_mac, w.client_link.src.to_string());
    if (w.client_link.has_dst) fs.set(F::next_hop_mac, w.client_link.dst.to_string());
    fs.set(F::tunnel, tunnel_text(w.tunnel));
    if (!w.tunnel.empty()) x.observe(F::tunnel, f.first, fmt::format("seen inside {}", tunnel_text(w.tunnel)));
    fs.set(F::duplicate_frames, std::int64_t(w.duplicates));
    const flow::MptcpFlow& m = w.mptcp;
    fs.set(F::mptcp, (m.capable && m.accepted) || m.join);
    fs.set(F::mptcp_join, m.join);
    if (m.joined_found)
        fs.set(F::mptcp_joined, fmt::format("{}->{}", endpoint(m.joined_client, m.joined_client_port),
                                            endpoint(m.joined_server, m.joined_server_port)));
    if (m.join)
        x.observe(F::mptcp_join, f.first,
                  m.joined_found ? fmt::format("SYN with MP_JOIN: a subflow of the MPTCP connection {} -> {} (packet {})",
                                               endpoint(m.joined_client, m.joined_client_port),
                                               endpoint(m.joined_server, m.joined_server_port), m.joined_first_packet)
                                 : std::string("SYN with MP_JOIN: a subflow of an MPTCP connection"));
    if (x.ctx.neighbours == nullptr) return "";
    const flow::NeighbourTable& neighbours = *x.ctx.neighbours;
    const flow::FirstHop h = flow::first_hop(f, neighbours);
    if (h.gateway_ip_known) fs.set(F::gateway_address, h.gateway_ip.to_string());
    using R = flow::PlacementReason;
    fs.set(F::server_answers_arp, h.reason == R::kServerAnswered);
    if (h.reason == R::kServerAnswered) {
        const flow::Neighbour* n = neighbours.find(f.server);
        fs.observe(F::server_answers_arp, n->packet, x.rel(n->time),
                   fmt::format("{} itself announces {}: the server is on the client's link", f.server.to_string(),
                               n->mac.to_string()));
        return "on-link";
    }
    if (h.reason != R::kNextHopIsNeighbour && h.reason != R::kNextHopIsRouter) return "";
    const flow::Neighbour* g = h.gateway_ip_known ? neighbours.find(h.gateway_ip) : nullptr;
    if (g != nullptr)
        fs.observe(F::gateway_address, g->packet, x.rel(g->time),
                   fmt::format("{} announces {}{}, the MAC the client's SYN went to: the client's gateway (hop 1)",
                               g->address.to_string(), g->mac.to_string(), g->router ? " as a router" : ""));
    return "off-link";
}

// Who talks to whom, when, and how much.
void connection_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    fs.set(F::client, x.client);
    fs.set(F::client_address, f.client.to_string());
    fs.set(F::server, x.server);
    fs.set(F::server_address, f.server.to_string());
    fs.set(F::server_port, std::int64_t(f.server_port));
    fs.set(F::ip_version, std::int64_t(f.client.version));
    fs.set(F::on_ssh_port, f.server_port == x.ctx.ssh_port);
    fs.set(F::first_packet, std::int64_t(f.first.packet));
    fs.set(F::start_time, x.rel(f.first.time));
    fs.set(F::duration_s, f.last.time - f.first.time);
    fs.set(F::until_capture_end_s, x.ctx.end_time - f.last.time);
    fs.set(F::client_packets, std::int64_t(f.c2s.packets));
    fs.set(F::server_packets, std::int64_t(f.s2c.packets));
}

// The HTTP CONNECT or SOCKS request the client sent to a proxy, and the proxy's answer.
void proxy_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const auto& v = *x.f.ssh;
    if (v.proxy_request.kind == ssh::ProxyKind::kNone) return;
    fs.set(F::via_proxy, true);
    fs.set(F::proxy_kind, std::string(ssh::proxy_kind_name(v.proxy_request.kind)));
    fs.set(F::proxy_target, v.proxy_request.target_host + ":" + std::to_string(v.proxy_request.target_port));
    fs.set(F::proxy_target_port, std::int64_t(v.proxy_request.target_port));
    if (v.proxy_request_ref)
        x.observe(F::via_proxy, *v.proxy_request_ref,
                  fmt::format("the client asks the proxy ({}) for {}:{}", ssh::proxy_kind_name(v.proxy_request.kind),
                              v.proxy_request.target_host, v.proxy_request.target_port));
    if (v.proxy_reply.complete) {
        fs.set(F::proxy_answered, true);
        fs.set(F::proxy_granted, v.proxy_reply.granted);
        fs.set(F::proxy_status, std::int64_t(v.proxy_reply.status));
        fs.set(F::proxy_reply, v.proxy_reply.text);
        if (v.proxy_reply_ref)
            x.observe(F::proxy_reply, *v.proxy_reply_ref, fmt::format("the proxy answers \"{}\"", v.proxy_reply.text));
    }
}

// The client's SYNs: how many, their options, and how the gaps between retransmissions grow.
void syn_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    if (f.syns.empty()) return;
    const auto& first = f.syns.front();
    fs.set(F::syn_seen, true);
    fs.set(F::syn_count, std::int64_t(f.syns.size()));
    fs.set(F::syn_retransmits, std::int64_t(f.syns.size() - 1));
    fs.set(F::syn_span_s, f.syns.back().ref.time - first.ref.time);
    fs.set(F::client_mss, std::int64_t(first.options.mss));
    fs.set(F::client_syn_options, syn_options(first.options));
    x.observe(F::syn_count, first.ref,
              fmt::format("SYN from {} to {}", x.client, x.server));
    double growth = -1;
    for (std::size_t i = 1; i < f.syns.size(); ++i) {
        const double gap = f.syns[i].ref.time - f.syns[i - 1].ref.time;
        const double before = i >= 2 ? f.syns[i - 1].ref.time - f.syns[i - 2].ref.time : 0;
        if (i >= 2 && before > 0 && (growth < 0 || gap / before < growth)) growth = gap / before;
        if (i <= 6)
            x.observe(F::syn_retransmits, f.syns[i].ref,
                      fmt::format("SYN retransmitted ({} of {}), {:.3f} s after the first", i, f.syns.size() - 1,
                                  f.syns[i].ref.time - first.ref.time));
    }
    if (f.syns.size() >= 2) fs.set(F::syn_first_gap_s, f.syns[1].ref.time - first.ref.time);
    fs.set(F::syn_gap_growth, growth);
}

// The server's SYN-ACK, SYNs the client sent after it, and the ACK that completes the handshake.
void synack_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    if (!f.synacks.empty()) {
        const auto& sa = f.synacks.front();
        fs.set(F::synack_seen, true);
        fs.set(F::synack_count, std::int64_t(f.synacks.size()));
        fs.set(F::server_mss, std::int64_t(sa.options.mss));
        fs.set(F::server_syn_options, syn_options(sa.options));
        bool ours = f.c2s.isn_known;  // the flow table only accepts SYN-ACKs in the flow they belong to
        fs.set(F::synack_to_our_syn, ours);
        x.observe(F::synack_seen, sa.ref,
                  fmt::format("SYN-ACK from the server, ttl {} ({} hops)", sa.ttl, hop_distance(sa.ttl)));
        if (!f.syns.empty()) {
            const flow::SynEvent* answered = &f.syns.front();
            for (const auto& s : f.syns)
                if (s.ref.time <= sa.ref.time) answered = &s;
            fs.set(F::handshake_rtt_ms, (sa.ref.time - answered->ref.time) * 1000.0);
        }
    }
    const bool ssh_port = x.ctx.port_answers != nullptr && f.server_port == x.ctx.ssh_port;
    if (const auto* other = ssh_port ? flow::answered_other(*x.ctx.port_answers, f.server, f.client) : nullptr) {
        const std::string address = other->client.to_string();
        fs.set(F::port_answered_other_client, address);
        x.observe(F::port_answered_other_client, other->ref,
                  fmt::format("SYN-ACK from {} to another client, {}: the port answered it", x.server, address));
    }
    fs.set(F::syns_after_synack, std::int64_t(f.syns_after_synack));
    if (f.syns_after_synack > 0) {
        for (const auto& s : f.syns)
            if (s.ref.time > f.synacks.front().ref.time) {
                x.observe(F::syns_after_synack, s.ref,
                          "SYN sent again although a SYN-ACK had arrived: it never reached the client's TCP");
                break;
            }
    }
    if (f.handshake_ack) {
        fs.set(F::handshake_completed, true);
        x.observe(F::handshake_completed, *f.handshake_ack, "the client acknowledges the SYN-ACK: connected");
    }
}

// Hop distances, TTLs and the link layer: where the server stands from the client.
ServerPlace topology_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    ServerPlace place;
    if (f.c2s.first_ttl >= 0) fs.set(F::client_ttl, std::int64_t(f.c2s.first_ttl));
    place.client_hops = hop_distance(f.c2s.first_ttl);
    if (place.client_hops >= 0) fs.set(F::client_hops, std::int64_t(place.client_hops));
    if (f.s2c.first_ttl >= 0) {
        fs.set(F::server_ttl, std::int64_t(f.s2c.first_ttl));
        place.hops = hop_distance(f.s2c.first_ttl);
        fs.set(F::server_hops, std::int64_t(place.hops));
        fs.set(F::server_hops_source, std::string("this-flow"));
    } else if (auto it = x.ctx.server_hops.find(f.server); it != x.ctx.server_hops.end()) {
        place.hops = it->second;
        fs.set(F::server_hops, std::int64_t(place.hops));
        fs.set(F::server_hops_source, std::string("other-flow"));
    }
    fs.set(F::server_ttl_varies, f.s2c.ttl_varies);
    if (f.s2c.first_ttl > 0) fs.set(F::server_initial_ttl, std::int64_t(initial_ttl(f.s2c.first_ttl)));
    place.link = server_link(f.client, f.server, place.hops, link_layer(x), place.client_hops);
    fs.set(F::server_link, place.link.link);
    fs.set(F::server_link_evidence, place.link.evidence);
    fs.set(F::client_address_kind, std::string(address_kind(f.client)));
    fs.set(F::server_address_kind, std::string(address_kind(f.server)));
    return place;
}

// The first RST from the server's address: when in the exchange, from how far, and whether its
// sequence number fits.
void server_rst_facts(const FlowExtraction& x, const flow::RstEvent& r, const ServerPlace& place) {
    FactSet& fs = x.fs;
    const auto& v = *x.f.ssh;
    fs.set(F::server_rst_seen, true);
    fs.set(F::server_rst_packet, std::int64_t(r.ref.packet));
    std::string stage = r.before_synack                                                         ? "syn"
                        : !v.server.banner && r.server_bytes_before == 0 && !x.f.handshake_ack ? "handshake"
                        : !v.server.banner                                                      ? "banner"
                                                                                                : "data";
    fs.set(F::server_rst_stage, stage);
    fs.set(F::server_rst_ttl, std::int64_t(r.ttl));
    int rst_hops = hop_distance(r.ttl);
    fs.set(F::server_rst_hops, std::int64_t(rst_hops));
    if (place.hops >= 0) fs.set(F::server_rst_hop_delta, std::int64_t(std::abs(rst_hops - place.hops)));
    fs.set(F::server_rst_position, position(rst_hops, place.hops, place.link, place.client_hops));
    if (rst_hops >= 0) fs.set(F::server_rst_hop, place.hop_from_client(rst_hops));
    fs.set(F::server_rst_seq_ok, r.seq_ok);
    fs.set(F::server_rst_after_client_data_ms, r.after_client_data < 0 ? -1.0 : r.after_client_data * 1000.0);
    x.observe(F::server_rst_seen, r.ref,
              fmt::format("RST from the server's address, ttl {} ({} hops{}){}", r.ttl, rst_hops,
                          place.hops >= 0 ? fmt::format("; the server's own packets: {} hops", place.hops) : "",
                          r.before_synack ? ", answering the SYN" : ""));
}

// Resets and FINs from either side, and which side closed first.
void close_facts(const FlowExtraction& x, const ServerPlace& place) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    const flow::RstEvent* server_rst = nullptr;
    const flow::RstEvent* client_rst = nullptr;
    for (const auto& r : f.rsts) {
        if (r.from == flow::Side::kServer && !server_rst) server_rst = &r;
        if (r.from == flow::Side::kClient && !client_rst) client_rst = &r;
    }
    if (server_rst) server_rst_facts(x, *server_rst, place);
    if (client_rst) {
        fs.set(F::client_rst_seen, true);
        x.observe(F::client_rst_seen, client_rst->ref, "RST from the client");
    }
    fs.set(F::server_fin_seen, f.s2c.fin.has_value());
    fs.set(F::client_fin_seen, f.c2s.fin.has_value());
    if (f.s2c.fin) x.observe(F::server_fin_seen, *f.s2c.fin, "FIN from the server: it closes the connection");
    if (f.c2s.fin) x.observe(F::client_fin_seen, *f.c2s.fin, "FIN from the client");
    double server_close = 1e300, client_close = 1e300;
    int server_close_ttl = -1;
    if (f.s2c.fin) server_close = f.s2c.fin->time, server_close_ttl = f.s2c.first_ttl;
    if (server_rst && server_rst->ref.time < server_close) server_close = server_rst->ref.time, server_close_ttl = server_rst->ttl;
    if (f.c2s.fin) client_close = f.c2s.fin->time;
    if (client_rst && client_rst->ref.time < client_close) client_close = client_rst->ref.time;
    if (server_close < 1e300 || client_close < 1e300)
        fs.set(F::closed_first_by, std::string(server_close <= client_close ? "server" : "client"));
    if (server_close_ttl >= 0) fs.set(F::server_close_hops, std::int64_t(hop_distance(server_close_ttl)));
}

// The first ICMP error about the connection, where its source stands, and any "too big".
void icmp_facts(const FlowExtraction& x, const ServerPlace& place) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    if (f.icmps.empty()) return;
    const auto& e = f.icmps.front();
    fs.set(F::icmp_errors, std::int64_t(f.icmps.size()));
    fs.set(F::icmp_packet, std::int64_t(e.ref.packet));
    fs.set(F::icmp_type, std::int64_t(e.type));
    fs.set(F::icmp_code, std::int64_t(e.code));
    std::string kind = icmp_kind_name(e.version, e.type, e.code);
    fs.set(F::icmp_kind, kind);
    fs.set(F::icmp_source, e.source.to_string());
    fs.set(F::icmp_from_server, e.source == f.server);
    const int icmp_hops = hop_distance(e.ttl);
    fs.set(F::icmp_source_hops, std::int64_t(icmp_hops));
    // An error from another address than the server's that crossed no router to a capture on
    // the client was made on the client's own link, wherever the server is.
    fs.set(F::icmp_source_position, e.source == f.server                   ? std::string("server")
                                    : icmp_hops == 0 && place.client_hops <= 0 ? std::string("first-hop")
                                                                           : position(icmp_hops, place.hops, place.link, place.client_hops));
    if (icmp_hops >= 0) fs.set(F::icmp_source_hop, place.hop_from_client(icmp_hops));
    fs.set(F::icmp_source_kind, std::string(address_kind(e.source)));
    x.observe(F::icmp_errors, e.ref,
              fmt::format("ICMP{} {} (type {} code {}) from {}{}, {} hops away, quoting the {}'s packet",
                          e.version == 6 ? "v6" : "", kind, e.type, e.code, e.source.to_string(),
                          e.source == f.server ? " (the server itself)" : "", hop_distance(e.ttl),
                          e.quotes_client ? "client" : "server"));
    for (const auto& i : f.icmps) {
        std::string k = icmp_kind_name(i.version, i.type, i.code);
        if (k == "frag-needed" || k == "packet-too-big") {
            fs.set(F::icmp_too_big_seen, true);
            x.observe(F::icmp_too_big_seen, i.ref, fmt::format("{} from {}, mtu {}", k, i.source.to_string(), i.mtu));
            break;
        }
    }
}

// Payload in each direction: bytes, retransmissions, duplicate ACKs, the segment that stalls.
void data_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    fs.set(F::client_bytes, std::int64_t(f.c2s.payload_bytes));
    fs.set(F::server_bytes, std::int64_t(f.s2c.payload_bytes));
    fs.set(F::client_data_seen, f.c2s.payload_bytes > 0);
    fs.set(F::server_data_seen, f.s2c.payload_bytes > 0);
    if (f.handshake_ack && f.s2c.payload_bytes == 0) {
        double end = std::max(f.last.time, x.ctx.end_time);
        fs.set(F::server_silence_s, end - f.handshake_ack->time);
    }
    fs.set(F::client_retransmits, std::int64_t(f.c2s.retransmits + f.c2s.hole_fills));
    fs.set(F::server_retransmits, std::int64_t(f.s2c.retransmits + f.s2c.hole_fills));
    fs.set(F::client_dup_acks, std::int64_t(f.c2s.dup_acks));
    fs.set(F::server_dup_acks, std::int64_t(f.s2c.dup_acks));
    fs.set(F::client_max_acked_segment, std::int64_t(f.client_max_acked_segment));
    fs.set(F::client_stalled_segment, std::int64_t(f.client_unacked_max));
    fs.set(F::client_stalled_retransmits, std::int64_t(f.client_unacked_retransmits));
    fs.set(F::client_stalled_offset, f.client_unacked_offset);
    fs.set(F::client_stalled_banner, f.client_unacked_offset >= 0 && f.ssh->client.banner &&
                                         static_cast<std::uint64_t>(f.client_unacked_offset) < f.ssh->client.banner_end);
    fs.set(F::server_max_segment, std::int64_t(f.s2c.max_segment));
}

// What the capture lacks: holes in a stream, bytes acknowledged but never captured, cut payloads.
void gap_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const Flow& f = x.f;
    fs.set(F::server_stream_hole, f.s2c.contiguous < f.s2c.max_end);
    fs.set(F::client_stream_hole, f.c2s.contiguous < f.c2s.max_end);
    fs.set(F::client_stream_hole_bytes, std::int64_t(f.client_hole_bytes));
    if (f.c2s.acked_anything && f.s2c.base_known) {
        // The client's last acknowledgement, as an offset in the server's stream (its SYN-ACK's
        // acknowledgement is offset 0).
        if (const std::int64_t acked = f.s2c.offset_of(f.c2s.last_ack); acked >= 0) fs.set(F::client_acked_server_bytes, acked);
    }
    fs.set(F::client_acks_unseen_data, f.client_acks_unseen || (f.client_acked_early && !f.s2c.base_known));
    fs.set(F::server_acks_unseen_data, f.server_acks_unseen || (f.server_acked_early && !f.c2s.base_known));
    fs.set(F::payload_cut, f.c2s.payload_cut || f.s2c.payload_cut);
    fs.set(F::client_bytes_cut, std::int64_t(f.c2s.cut_bytes));
    fs.set(F::server_bytes_cut, std::int64_t(f.s2c.cut_bytes));
    fs.set(F::client_bytes_missed, std::int64_t(f.c2s.gaps.missed));
    fs.set(F::server_bytes_missed, std::int64_t(f.s2c.gaps.missed));
    if (f.c2s.gap_ack)
        x.observe(F::client_bytes_missed, *f.c2s.gap_ack,
                  fmt::format("the server acknowledges client bytes the capture does not hold ({} in all)", f.c2s.gaps.missed));
    if (f.s2c.gap_ack)
        x.observe(F::server_bytes_missed, *f.s2c.gap_ack,
                  fmt::format("the client acknowledges server bytes the capture does not hold ({} in all)", f.s2c.gaps.missed));
    fs.set(F::capture_gaps, f.c2s.packets > 0 && f.s2c.packets > 0 && f.c2s.gaps.missed + f.s2c.gaps.missed > 0);
}

// The identification strings, or the first line a server sent instead of one.
void banner_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const auto& v = *x.f.ssh;
    if (v.client.banner) {
        fs.set(F::client_banner, v.client.banner->text);
        fs.set(F::client_banner_seen, true);
        fs.set(F::client_banner_valid, v.client.banner->valid);
        if (v.client_banner_ref)
            x.observe(F::client_banner_seen, *v.client_banner_ref, fmt::format("client identification: {}", v.client.banner->text));
    }
    if (v.server.banner) {
        const auto& b = *v.server.banner;
        fs.set(F::server_banner, b.text);
        fs.set(F::server_banner_seen, true);
        fs.set(F::server_banner_valid, b.valid);
        fs.set(F::server_banner_problem, b.problem);
        fs.set(F::ssh_version, b.proto_version);
        if (v.server_banner_ref) {
            fs.set(F::server_banner_packet, std::int64_t(v.server_banner_ref->packet));
            x.observe(F::server_banner_seen, *v.server_banner_ref, fmt::format("server identification: {}", b.text));
        }
    }
    fs.set(F::server_pre_banner_lines, std::int64_t(v.server.pre_banner_lines.size()));
    fs.set(F::server_first_line, v.server.first_line);
    fs.set(F::server_first_bytes, v.server.first_bytes);
    if (!v.server.banner && !v.server.first_line.empty() && x.f.s2c.first_data)
        x.observe(F::server_first_line, *x.f.s2c.first_data, fmt::format("the server's first line: \"{}\"", v.server.first_line));
}

// The key exchange, the algorithms agreed, a disconnect message, and how far SSH got.
void ssh_facts(const FlowExtraction& x) {
    FactSet& fs = x.fs;
    const auto& v = *x.f.ssh;
    fs.set(F::client_kexinit_seen, v.client.kexinit.has_value());
    fs.set(F::server_kexinit_seen, v.server.kexinit.has_value());
    if (v.client_kexinit_ref) x.observe(F::client_kexinit_seen, *v.client_kexinit_ref, "client KEXINIT");
    if (v.server_kexinit_ref) x.observe(F::server_kexinit_seen, *v.server_kexinit_ref, "server KEXINIT");
    if (v.negotiated) {
        const auto& n = *v.negotiated;
        fs.set(F::kex_alg, n.kex);
        fs.set(F::host_key_alg, n.host_key);
        fs.set(F::cipher_alg, n.cipher);
        fs.set(F::mac_alg, n.mac);
        fs.set(F::compression_alg, n.compression);
        fs.set(F::kex_no_common, n.no_common);
    }
    const auto* disc = v.server.disconnect ? &*v.server.disconnect : v.client.disconnect ? &*v.client.disconnect : nullptr;
    if (disc) {
        fs.set(F::disconnect_seen, true);
        fs.set(F::disconnect_by, std::string(v.disconnect_from_server ? "server" : "client"));
        fs.set(F::disconnect_reason, std::int64_t(disc->reason));
        fs.set(F::disconnect_text, disc->description);
        if (v.disconnect_ref)
            x.observe(F::disconnect_seen, *v.disconnect_ref,
                      fmt::format("SSH_MSG_DISCONNECT from the {}: {} ({}) \"{}\"", v.disconnect_from_server ? "server" : "client",
                                  disc->reason, ssh::disconnect_reason_name(disc->reason), disc->description));
    }
    Stage st = stage_of(x.f);
    fs.set(F::ssh_stage, std::string(st.name));
    fs.set(F::ssh_stage_rank, std::int64_t(st.rank));
    fs.set(F::speaks_ssh, v.client.banner.has_value() || v.server.banner.has_value());
}

}  // namespace

FactSet extract_flow(const Flow& f, const CaptureContext& ctx) {
    FactSet fs(Scope::kFlow);
    const FlowExtraction x{fs, f, ctx};
    connection_facts(x);
    proxy_facts(x);
    syn_facts(x);
    synack_facts(x);
    const ServerPlace place = topology_facts(x);
    close_facts(x, place);
    icmp_facts(x, place);
    data_facts(x);
    gap_facts(x);
    banner_facts(x);
    ssh_facts(x);
    return fs;
}

FactSet extract_capture(const CaptureSummary& s, const CaptureContext& ctx) {
    FactSet fs(Scope::kCapture);
    fs.set(C::packets, std::int64_t(s.stats.packets));
    fs.set(C::capture_duration_s, ctx.end_time - ctx.start_time);
    fs.set(C::flows, std::int64_t(s.flows));
    fs.set(C::ssh_port, std::int64_t(ctx.ssh_port));
    fs.set(C::host_filter, s.host_filter);
    fs.set(C::tcp_flows_other, std::int64_t(s.other_tcp_flows));
    fs.set(C::ssh_port_other_protocol, std::int64_t(s.other.other_protocol_on_ssh_port));
    fs.set(C::attempts_excluded_by_host, std::int64_t(s.other.excluded_by_host));
    fs.set(C::excluded_host_example, s.other.excluded_example);
    fs.set(C::client_filter, s.client_filter);
    fs.set(C::attempts_excluded_by_client, std::int64_t(s.other.excluded_by_client));
    fs.set(C::excluded_client_example, s.other.excluded_client_example);
    const auto [port, count] = s.other.top_port();
    fs.set(C::top_tcp_port, std::int64_t(port));
    fs.set(C::top_tcp_port_connections, std::int64_t(count));
    fs.set(C::icmp_packets, std::int64_t(s.other.icmp_packets));
    fs.set(C::only_ssh_port_tcp, s.stats.packets > 0 && s.other.packets_off_ssh_port == 0);
    fs.set(C::capture_truncated, s.stats.truncated);
    fs.set(C::malformed_packets, std::int64_t(s.stats.malformed));
    fs.set(C::payload_cut_packets, std::int64_t(s.stats.snaplen_cut));
    fs.set(C::snap_length, s.stats.cut_caplen > 0 ? std::int64_t(s.stats.cut_caplen) : std::int64_t(std::max(s.stats.snaplen, 0)));
    fs.set(C::link_type, s.link_type_name);
    fs.set(C::duplicate_frames, std::int64_t(s.duplicates.frames));
    fs.set(C::arp_packets, std::int64_t(s.wire.arp));
    fs.set(C::nd_packets, std::int64_t(s.wire.nd));
    fs.set(C::tunnelled_packets, std::int64_t(s.wire.tunnelled));
    fs.set(C::mptcp_joins, std::int64_t(s.wire.mptcp_joins));
    return fs;
}

}  // namespace sshpath::evidence
