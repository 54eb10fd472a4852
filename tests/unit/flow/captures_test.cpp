// The flow table's wire observations on the captures recorded in captures/ (tests/lab).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "sshpath/capture/reader.h"
#include "sshpath/flow/flow.h"
#include "sshpath/flow/spill.h"

namespace sshpath::flow {
namespace {

namespace fs = std::filesystem;

const fs::path kCaptures = fs::path(SSHPATH_SOURCE_DIR) / "captures";

struct Read {
    FlowTable table{FlowOptions{}};
    std::deque<Flow> flows;
    std::uint64_t packets = 0;
};

// A capture through the reader and the flow table, as `sshpath analyze` reads it.
Read read_capture(const fs::path& path) {
    Read r;
    capture::Reader reader(path.string());
    reader.for_each([&](const packet::Packet& p) {
        ++r.packets;
        r.table.add(p);
    });
    r.flows = r.table.finish();
    return r;
}

const Flow* find_flow(const Read& r, const std::string& server) {
    for (const Flow& f : r.flows)
        if (f.server.to_string() == server && f.server_port == 22) return &f;
    ADD_FAILURE() << "no connection to " << server << ":22";
    return nullptr;
}

// The connection inside the tunnel was found, went through whole, and says which tunnel.
const Flow* expect_tunnelled(const Read& r, const std::string& server, packet::TunnelKind kind) {
    const Flow* f = find_flow(r, server);
    if (f == nullptr) return nullptr;
    EXPECT_EQ(r.flows.size(), 1u);
    EXPECT_EQ(f->wire.tunnel.depth, 1);
    EXPECT_EQ(f->wire.tunnel.layers[0].kind, kind) << packet::tunnel_kind_name(f->wire.tunnel.layers[0].kind);
    EXPECT_FALSE(f->wire.tunnel_changed);
    EXPECT_GE(r.table.wire_stats().tunnelled, f->c2s.packets + f->s2c.packets);
    return f;
}

// A whole session. The user-space tunnel endpoints (tests/lab/tunnel.py) are slow enough that
// TCP sometimes sends a tail-loss probe: real retransmissions, counted as such; the captures of
// copies must show none.
void expect_healthy(const Flow& f, bool no_retransmissions = false) {
    EXPECT_EQ(f.syns.size(), 1u);
    EXPECT_EQ(f.synacks.size(), 1u);
    EXPECT_TRUE(f.ssh->client.banner.has_value());
    EXPECT_TRUE(f.ssh->server.banner.has_value());
    EXPECT_TRUE(f.ssh->client.newkeys && f.ssh->server.newkeys);
    if (no_retransmissions) {
        EXPECT_EQ(f.c2s.retransmits + f.s2c.retransmits, 0u);
        EXPECT_EQ(f.c2s.dup_acks + f.s2c.dup_acks, 0u);
    }
}

void expect_endpoints(const packet::Tunnel& t, const std::string& a, const std::string& b) {
    EXPECT_EQ(t.outer_src.to_string(), a);
    EXPECT_EQ(t.outer_dst.to_string(), b);
}

TEST(CapturesTest, FindsSshInsideGre) {
    const Read r = read_capture(kCaptures / "tunnel-gre-healthy.pcap");
    const Flow* f = expect_tunnelled(r, "203.0.113.7", packet::TunnelKind::kGre);
    ASSERT_NE(f, nullptr);
    expect_healthy(*f);
    const packet::Tunnel& t = f->wire.tunnel.layers[0];
    expect_endpoints(t, "198.18.0.1", "198.18.0.2");
    EXPECT_TRUE(t.has_id);
    EXPECT_EQ(t.id, 42u);
    EXPECT_FALSE(t.ethernet);
    EXPECT_FALSE(f->wire.client_link.has_src);  // IP in GRE: no link layer next to the packet
}

TEST(CapturesTest, FindsTheUnansweredSynsInsideGre) {
    const Read r = read_capture(kCaptures / "tunnel-gre-silent-drop.pcap");
    const Flow* f = expect_tunnelled(r, "203.0.113.7", packet::TunnelKind::kGre);
    ASSERT_NE(f, nullptr);
    EXPECT_GE(f->syns.size(), 4u);
    EXPECT_TRUE(f->synacks.empty());
    EXPECT_EQ(f->s2c.packets, 0u);
}

// Ethernet inside the tunnel: the overlay's own ARP and MACs, and a server on its segment.
void expect_overlay_segment(const Read& r, const Flow& f) {
    EXPECT_EQ(f.wire.client_link.src.to_string(), "02:00:00:00:00:10");
    EXPECT_EQ(f.wire.client_link.dst.to_string(), "02:00:00:00:00:07");
    EXPECT_EQ(f.wire.server_link.src.to_string(), "02:00:00:00:00:07");
    EXPECT_GE(r.table.wire_stats().arp, 2u);
    const FirstHop h = first_hop(f, r.table.neighbours());
    EXPECT_EQ(h.server, Placement::kOnLink);
    EXPECT_EQ(h.reason, PlacementReason::kServerAnswered);
}

TEST(CapturesTest, FindsSshInsideEthernetOverGre) {
    const Read r = read_capture(kCaptures / "tunnel-gretap-healthy.pcap");
    const Flow* f = expect_tunnelled(r, "198.51.100.7", packet::TunnelKind::kGre);
    ASSERT_NE(f, nullptr);
    expect_healthy(*f);
    EXPECT_TRUE(f->wire.tunnel.layers[0].ethernet);
    EXPECT_EQ(f->wire.tunnel.layers[0].id, 5u);
    expect_overlay_segment(r, *f);
}

TEST(CapturesTest, FindsSshInsideVxlan) {
    const Read r = read_capture(kCaptures / "tunnel-vxlan-healthy.pcap");
    const Flow* f = expect_tunnelled(r, "198.51.100.7", packet::TunnelKind::kVxlan);
    ASSERT_NE(f, nullptr);
    expect_healthy(*f);
    expect_endpoints(f->wire.tunnel.layers[0], "198.18.0.1", "198.18.0.2");
    EXPECT_EQ(f->wire.tunnel.layers[0].id, 42u);
    expect_overlay_segment(r, *f);
}

TEST(CapturesTest, FindsTheResetInsideVxlan) {
    const Read r = read_capture(kCaptures / "tunnel-vxlan-port-closed.pcap");
    const Flow* f = expect_tunnelled(r, "198.51.100.7", packet::TunnelKind::kVxlan);
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(f->rsts.size(), 1u);
    EXPECT_EQ(f->rsts[0].from, Side::kServer);
    EXPECT_EQ(f->rsts[0].ttl, 64);
    EXPECT_TRUE(f->rsts[0].seq_ok);
    EXPECT_EQ(first_hop(*f, r.table.neighbours()).server, Placement::kOnLink);
}

TEST(CapturesTest, FindsSshInsideGeneveWithOptions) {
    const Read r = read_capture(kCaptures / "tunnel-geneve-healthy.pcap");
    const Flow* f = expect_tunnelled(r, "198.51.100.7", packet::TunnelKind::kGeneve);
    ASSERT_NE(f, nullptr);
    expect_healthy(*f);
    EXPECT_EQ(f->wire.tunnel.layers[0].id, 7001u);
    EXPECT_EQ(f->wire.tunnel.layers[0].options, 2);
    expect_overlay_segment(r, *f);
}

TEST(CapturesTest, FindsBothDirectionsOfAnErspanMirror) {
    for (auto [name, kind] : {std::pair{"tunnel-erspan2-healthy.pcap", packet::TunnelKind::kErspan2},
                              std::pair{"tunnel-erspan3-healthy.pcap", packet::TunnelKind::kErspan3}}) {
        SCOPED_TRACE(name);
        const Read r = read_capture(kCaptures / name);
        const Flow* f = expect_tunnelled(r, "198.51.100.7", kind);
        ASSERT_NE(f, nullptr);
        expect_healthy(*f);
        // Both directions travel from the mirror to the collector.
        expect_endpoints(f->wire.tunnel.layers[0], "198.18.0.1", "198.18.0.2");
        EXPECT_EQ(f->wire.tunnel.layers[0].id, 300u);
        expect_overlay_segment(r, *f);
    }
}

TEST(CapturesTest, FindsSshInsideEveryIpInIp) {
    struct Case {
        const char* name;
        packet::TunnelKind kind;
        const char* server;
        const char* outer_src;
    };
    for (const Case& c : {Case{"tunnel-ipip-healthy.pcap", packet::TunnelKind::kIp4in4, "203.0.113.7", "198.18.0.1"},
                          Case{"tunnel-6in4-healthy.pcap", packet::TunnelKind::kIp6in4, "2001:db8:4::7", "198.18.0.1"},
                          Case{"tunnel-4in6-healthy.pcap", packet::TunnelKind::kIp4in6, "203.0.113.7", "2001:db8:ffff::1"},
                          Case{"tunnel-6in6-healthy.pcap", packet::TunnelKind::kIp6in6, "2001:db8:4::7", "2001:db8:ffff::1"}}) {
        SCOPED_TRACE(c.name);
        const Read r = read_capture(kCaptures / c.name);
        const Flow* f = expect_tunnelled(r, c.server, c.kind);
        ASSERT_NE(f, nullptr);
        expect_healthy(*f);
        EXPECT_EQ(f->wire.tunnel.layers[0].outer_src.to_string(), c.outer_src);
    }
}

TEST(CapturesTest, DropsTheCopiesOfABridgeSeenWithAnyInterface) {
    const Read r = read_capture(kCaptures / "duplicate-bridge-any.pcap");
    ASSERT_EQ(r.flows.size(), 2u);
    EXPECT_TRUE(r.table.duplicates().capture_duplicates);
    EXPECT_EQ(r.table.duplicates().ttl_changed, 0u);
    for (const Flow& f : r.flows) {
        SCOPED_TRACE(f.server.to_string());
        expect_healthy(f, true);
        // Every packet of the connection came twice: one copy each was dropped.
        EXPECT_EQ(f.wire.duplicates, f.c2s.packets + f.s2c.packets);
    }
    EXPECT_GE(r.table.duplicates().frames, r.packets / 2 - 10);
}

TEST(CapturesTest, DropsTheRoutedCopiesOfASpanSession) {
    const Read r = read_capture(kCaptures / "duplicate-span-router.pcap");
    ASSERT_EQ(r.flows.size(), 1u);
    const Flow& f = r.flows.front();
    expect_healthy(f, true);
    EXPECT_EQ(f.wire.duplicates, f.c2s.packets + f.s2c.packets);
    EXPECT_EQ(f.wire.duplicates_ttl_changed, f.wire.duplicates);
    EXPECT_EQ(r.table.duplicates().frames, r.packets / 2);
    // The first copy of each is the one kept: the client's as it entered the router, the
    // server's too; the copies that left the router had one hop less.
    EXPECT_EQ(f.syns.front().ttl, 64);
    EXPECT_EQ(f.wire.client_copy_ttl, 63);
    EXPECT_EQ(f.s2c.first_ttl, 64);
    EXPECT_EQ(f.wire.server_copy_ttl, 63);
}

TEST(CapturesTest, FindsTheGatewayOfAnOffLinkServer) {
    const Read r = read_capture(kCaptures / "neighbours-gateway-offlink.pcap");
    ASSERT_EQ(r.flows.size(), 2u);
    for (const Flow& f : r.flows) {
        SCOPED_TRACE(f.server.to_string());
        expect_healthy(f);
        EXPECT_EQ(f.wire.client_link.src.to_string(), "02:00:00:00:00:10");
        EXPECT_EQ(f.wire.client_link.dst.to_string(), "02:00:00:00:00:01");
        const FirstHop h = first_hop(f, r.table.neighbours());
        EXPECT_EQ(h.server, Placement::kOffLink);
        ASSERT_TRUE(h.gateway_ip_known);
        ASSERT_TRUE(h.gateway_mac_known);
        EXPECT_EQ(h.gateway_mac.to_string(), "02:00:00:00:00:01");
        // The MAC the SYN went to announced 198.51.100.1 (ARP) and fe80::1 (a router
        // advertisement): a router; the gateway's address is the one of the server's version.
        EXPECT_EQ(h.reason, PlacementReason::kNextHopIsRouter);
        EXPECT_EQ(h.gateway_ip.to_string(), f.server.version == 4 ? "198.51.100.1" : "fe80::1");
    }
    EXPECT_GE(r.table.wire_stats().arp, 2u);
    EXPECT_GE(r.table.wire_stats().nd, 3u);
    EXPECT_GE(r.table.neighbours().routers(), 1u);
}

TEST(CapturesTest, FindsAnOnLinkServer) {
    const Read r = read_capture(kCaptures / "neighbours-server-onlink.pcap");
    ASSERT_EQ(r.flows.size(), 2u);
    for (const Flow& f : r.flows) {
        SCOPED_TRACE(f.server.to_string());
        expect_healthy(f);
        const FirstHop h = first_hop(f, r.table.neighbours());
        EXPECT_EQ(h.server, Placement::kOnLink);
        EXPECT_EQ(h.reason, PlacementReason::kServerAnswered);
        EXPECT_EQ(f.wire.client_link.dst.to_string(), "02:00:00:00:00:07");
    }
    EXPECT_EQ(r.table.neighbours().routers(), 0u);
}

TEST(CapturesTest, JoinsAnMptcpSubflowToItsConnection) {
    const Read r = read_capture(kCaptures / "mptcp-healthy.pcap");
    ASSERT_EQ(r.flows.size(), 2u);
    const Flow& first = r.flows[0];
    const Flow& sub = r.flows[1];
    EXPECT_EQ(first.server.to_string(), "198.18.10.7");
    expect_healthy(first);
    EXPECT_TRUE(first.wire.mptcp.capable);
    EXPECT_TRUE(first.wire.mptcp.accepted);
    EXPECT_EQ(first.wire.mptcp.version, 1);
    EXPECT_TRUE(first.wire.mptcp.client_key_known && first.wire.mptcp.server_key_known);
    EXPECT_EQ(first.wire.mptcp.subflows, 1u);
    EXPECT_FALSE(first.wire.mptcp.join);
    EXPECT_EQ(sub.server.to_string(), "198.18.11.7");
    EXPECT_TRUE(sub.wire.mptcp.join);
    ASSERT_TRUE(sub.wire.mptcp.joined_found);
    EXPECT_EQ(sub.wire.mptcp.joined_server.to_string(), "198.18.10.7");
    EXPECT_EQ(sub.wire.mptcp.joined_client_port, first.client_port);
    EXPECT_EQ(sub.wire.mptcp.joined_first_packet, first.first.packet);
    EXPECT_FALSE(sub.ssh->server.banner.has_value());  // the middle of the session: no banner of its own
    // Its encrypted bytes are no lines before an identification string, nor a first line.
    EXPECT_TRUE(sub.ssh->server.pre_banner_lines.empty());
    EXPECT_TRUE(sub.ssh->server.first_line.empty());
    EXPECT_TRUE(sub.ssh->client.first_line.empty());
    EXPECT_EQ(r.table.wire_stats().mptcp_joins, 1u);
    EXPECT_EQ(r.table.wire_stats().mptcp_joins_unmatched, 0u);
}

TEST(CapturesTest, BundledFailureCapturesHoldNoCopies) {
    // Recorded on one interface of the client: every frame once, so dropping copies leaves their
    // verdicts as they were.
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(kCaptures)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".pcap" || name.starts_with("duplicate-")) continue;
        SCOPED_TRACE(name);
        Read r = read_capture(entry.path());
        EXPECT_EQ(r.table.duplicates().frames, 0u);
        for (const Flow& f : r.flows) EXPECT_EQ(f.wire.duplicates, 0u);
        ++seen;
    }
    EXPECT_GT(seen, 30);
}

// A capture's connections split over `shares` tables, each given every packet as a thread of its
// own would give it (FlowOptions::share), the shares' counts then added to the first's.
struct Shares {
    std::vector<std::unique_ptr<FlowTable>> tables;
    std::vector<std::deque<Flow>> flows;  ///< each share's finished connections
    bool exact = false;
};

// What a connection's report is made of, as text to compare (its serialized bytes hold the
// padding of the structs it copies whole, which differs from one run to the next).
std::string described(const Flow& f) {
    std::string out = f.client.to_string() + ":" + std::to_string(f.client_port) + " " + f.server.to_string() + ":" +
                      std::to_string(f.server_port) + " first " + std::to_string(f.first.packet) + " last " +
                      std::to_string(f.last.packet);
    for (const Direction* d : {&f.c2s, &f.s2c})
        out += " packets " + std::to_string(d->packets) + " bytes " + std::to_string(d->payload_bytes) + " resent " +
               std::to_string(d->retransmits) + " dupacks " + std::to_string(d->dup_acks) + " kept " + std::to_string(d->kept) +
               " ttl " + std::to_string(d->first_ttl);
    out += " syns " + std::to_string(f.syns.size()) + " synacks " + std::to_string(f.synacks.size()) + " rsts " +
           std::to_string(f.rsts.size()) + " icmps " + std::to_string(f.icmps.size()) + " events";
    for (const EventRecord& e : f.timeline) out += " " + std::to_string(e.packet) + ":" + std::string(event_name(e.kind));
    if (f.ssh.has_value()) {
        for (const ssh::DirectionView* v : {&f.ssh->client, &f.ssh->server})
            out += " banner " + (v->banner ? v->banner->text : std::string("-")) + " newkeys " + std::to_string(v->newkeys);
    }
    out += " duplicates " + std::to_string(f.wire.duplicates) + " tunnels " + std::to_string(f.wire.tunnel.depth);
    return out;
}

Shares read_shares(const fs::path& path, unsigned count, FlowOptions options = {}) {
    Shares s;
    options.shares = count;
    for (options.share = 0; options.share < count; ++options.share) s.tables.push_back(std::make_unique<FlowTable>(options));
    capture::Reader reader(path.string());
    reader.for_each([&](const packet::Packet& p) {
        for (auto& t : s.tables) t->add(p);
    });
    std::vector<const FlowTable*> all;
    for (auto& t : s.tables) {
        s.flows.push_back(t->finish());
        all.push_back(t.get());
    }
    s.exact = FlowTable::split_exact(all);
    for (std::size_t k = 1; k < count; ++k) s.tables.front()->absorb(*s.tables[k]);
    return s;
}

// Each server's answered clients on its SSH port, as "address: client@packet ...".
std::map<std::string, std::string> answered(const FlowTable& t) {
    std::map<std::string, std::string> out;
    for (const auto& [server, a] : t.port_answers()) {
        std::string& line = out[server.to_string()];
        for (std::uint8_t i = 0; i < a.count; ++i)
            line += " " + a.first[i].client.to_string() + "@" + std::to_string(a.first[i].ref.packet);
    }
    return out;
}

TEST(CapturesTest, SharesOfACapturesConnectionsAddUpToOneTable) {
    // Every bundled capture: the shares' connections, merged by first packet, are one table's,
    // byte for byte as the temporary file writes them; so are the capture's counts.
    int split = 0, seen = 0;
    for (const auto& entry : fs::directory_iterator(kCaptures)) {
        if (entry.path().extension() != ".pcap" || entry.path().filename().string().starts_with("mptcp-")) continue;
        SCOPED_TRACE(entry.path().filename().string());
        Read one = read_capture(entry.path());
        for (unsigned count : {2u, 3u}) {
            Shares s = read_shares(entry.path(), count);
            EXPECT_TRUE(s.exact);
            std::vector<const Flow*> merged;
            std::size_t nonempty = 0;
            for (const auto& flows : s.flows) {
                nonempty += !flows.empty();
                for (const Flow& f : flows) merged.push_back(&f);
            }
            std::sort(merged.begin(), merged.end(), [](const Flow* a, const Flow* b) { return a->first.packet < b->first.packet; });
            ASSERT_EQ(merged.size(), one.flows.size());
            for (std::size_t i = 0; i < merged.size(); ++i) EXPECT_EQ(described(*merged[i]), described(one.flows[i])) << "connection " << i;
            const FlowTable& t = *s.tables.front();
            EXPECT_EQ(t.other_tcp_flows(), one.table.other_tcp_flows());
            EXPECT_EQ(t.other_traffic().server_ports, one.table.other_traffic().server_ports);
            EXPECT_EQ(t.other_traffic().packets_off_ssh_port, one.table.other_traffic().packets_off_ssh_port);
            EXPECT_EQ(t.other_traffic().other_protocol_on_ssh_port, one.table.other_traffic().other_protocol_on_ssh_port);
            EXPECT_EQ(t.synack_ttls(), one.table.synack_ttls());
            EXPECT_EQ(answered(t), answered(one.table));
            EXPECT_EQ(t.duplicates().frames, one.table.duplicates().frames);
            // The neighbours and the wire's counts are the first share's, learnt from every packet.
            EXPECT_EQ(t.wire_stats().arp, one.table.wire_stats().arp);
            EXPECT_EQ(t.wire_stats().nd, one.table.wire_stats().nd);
            EXPECT_EQ(t.wire_stats().tunnelled, one.table.wire_stats().tunnelled);
            EXPECT_EQ(t.neighbours().routers(), one.table.neighbours().routers());
            for (std::size_t k = 1; k < count; ++k) EXPECT_EQ(s.tables[k]->wire_stats().arp + s.tables[k]->wire_stats().nd, 0u);
            if (nonempty > 1) ++split;
        }
        ++seen;
    }
    EXPECT_GT(seen, 30);
    EXPECT_GE(split, 4);  // the captures of several attempts were split, not all given to one share
}

TEST(CapturesTest, SharesSayWhenOneTableWouldHaveDoneOtherwise) {
    // MPTCP: a subflow joins a connection that may be another share's.
    EXPECT_FALSE(read_shares(kCaptures / "mptcp-healthy.pcap", 2).exact);
    // More connections at once than one table follows: which ones it drops depends on all of them.
    FlowOptions few;
    few.max_flows = 1;
    int inexact = 0;
    for (const auto& entry : fs::directory_iterator(kCaptures)) {
        if (entry.path().extension() != ".pcap" || entry.path().filename().string().starts_with("mptcp-")) continue;
        Shares s = read_shares(entry.path(), 2, few);
        const bool both = !s.flows[0].empty() && !s.flows[1].empty();
        if (both) {
            EXPECT_FALSE(s.exact) << entry.path().filename().string();
            ++inexact;
        }
    }
    EXPECT_GE(inexact, 2);
}

}  // namespace
}  // namespace sshpath::flow
