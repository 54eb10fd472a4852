#include "sshpath/flow/neighbours.h"

#include "sshpath/flow/flow.h"

namespace sshpath::flow {
namespace {

using packet::IpAddress;
using packet::MacAddress;

// Beyond this many MACs (a capture on a large switched segment) no more are tallied.
constexpr std::size_t kMaxMacsTallied = 4096;
// A host may have a second address; a router forwards for many.
constexpr std::size_t kSeveralSources = 3;

std::uint64_t mac_key(const MacAddress& m) {
    std::uint64_t k = 0;
    for (auto b : m.bytes) k = k << 8 | b;
    return k;
}

bool unspecified(const IpAddress& a) {
    for (auto b : a.bytes)
        if (b != 0) return false;
    return true;
}

}  // namespace

bool is_initial_ttl(int ttl) { return ttl == 32 || ttl == 64 || ttl == 128 || ttl == 255; }

void NeighbourTable::learn(const IpAddress& address, const MacAddress& mac, const packet::Packet& p, bool router) {
    auto [it, inserted] = entries_.try_emplace(address);
    Neighbour& n = it->second;
    if (inserted) {
        n.address = address;
        n.mac = mac;
        n.packet = p.number;
        n.time = p.time;
    } else if (n.mac != mac) {
        n.conflict = true;
    }
    n.router = n.router || router;
}

void NeighbourTable::count_source(const MacAddress& mac, const IpAddress& src) {
    const std::uint64_t key = mac_key(mac);
    Recent& recent = recent_[((key * 0x9E3779B97F4A7C15ULL) >> 56) & 0xff];
    if (recent.mac != key) {
        auto it = sources_.find(key);
        if (it == sources_.end()) {
            if (sources_.size() >= kMaxMacsTallied) return;
            it = sources_.emplace(key, Sources{}).first;
        }
        recent = Recent{key, &it->second};
    }
    Sources& s = *recent.sources;
    auto& addresses = src.version == 4 ? s.v4 : s.v6;
    std::uint8_t& n = src.version == 4 ? s.n4 : s.n6;
    if (n == kMaxSources) return;
    for (std::uint8_t i = 0; i < n; ++i)
        if (addresses[i] == src) return;
    addresses[n++] = src;
}

void NeighbourTable::add(const packet::Packet& p) {
    const packet::LinkAddresses* link = p.inner_link();
    if (p.arp.op == packet::kArpRequest || p.arp.op == packet::kArpReply) {
        // An ARP probe (RFC 5227) has sender 0.0.0.0: it announces nothing yet.
        if (!unspecified(p.arp.sender_ip)) learn(p.arp.sender_ip, p.arp.sender_mac, p, false);
        return;
    }
    if (p.ip_version == 0) return;
    const packet::NeighborDiscovery& nd = p.icmp.nd;
    const bool frame_mac = link != nullptr && link->has_src;
    switch (nd.type) {
    case packet::kNdNeighborSolicitation:
    case packet::kNdRouterSolicitation:
        if (nd.has_source_mac && !unspecified(p.src)) learn(p.src, nd.source_mac, p, false);
        break;
    case packet::kNdNeighborAdvertisement:
        if (nd.has_target_mac || frame_mac) learn(nd.target, nd.has_target_mac ? nd.target_mac : link->src, p, nd.router);
        break;
    case packet::kNdRouterAdvertisement:
        if (nd.has_source_mac || frame_mac)
            learn(p.src, nd.has_source_mac ? nd.source_mac : link->src, p, nd.router_lifetime > 0);
        break;
    default: break;
    }
    // The first packets of TCP connections (SYN, SYN-ACK) and ICMP messages (a router's own
    // errors) say which addresses a MAC carries; the bulk of the traffic would only say it
    // again, at the cost of a look-up on every packet.
    const bool telling = p.transport == packet::Transport::kIcmp ||
                         (p.transport == packet::Transport::kTcp && p.tcp.has(packet::kSyn));
    if (frame_mac && telling) count_source(link->src, p.src);
}

const Neighbour* NeighbourTable::find(const IpAddress& address) const {
    auto it = entries_.find(address);
    return it == entries_.end() ? nullptr : &it->second;
}

std::vector<const Neighbour*> NeighbourTable::owners(const MacAddress& mac) const {
    std::vector<const Neighbour*> out;
    for (const auto& [address, n] : entries_)
        if (n.mac == mac) out.push_back(&n);
    return out;
}

std::size_t NeighbourTable::sources(const MacAddress& mac, int ip_version) const {
    auto it = sources_.find(mac_key(mac));
    if (it == sources_.end()) return 0;
    return ip_version == 4 ? it->second.n4 : ip_version == 6 ? it->second.n6 : 0;
}

std::size_t NeighbourTable::routers() const {
    std::size_t n = 0;
    for (const auto& [address, e] : entries_) n += e.router ? 1 : 0;
    return n;
}

const char* placement_name(Placement p) {
    switch (p) {
    case Placement::kUnknown: return "unknown";
    case Placement::kOnLink: return "on-link";
    case Placement::kOffLink: return "off-link";
    }
    return "unknown";
}

const char* placement_reason_name(PlacementReason r) {
    switch (r) {
    case PlacementReason::kNone: return "none";
    case PlacementReason::kServerAnswered: return "server-answered-arp-nd";
    case PlacementReason::kNextHopIsNeighbour: return "next-hop-is-another-address";
    case PlacementReason::kNextHopIsRouter: return "next-hop-is-a-router";
    case PlacementReason::kServerTtlDecremented: return "server-ttl-decremented";
    case PlacementReason::kMacCarriesSeveral: return "mac-carries-several-addresses";
    }
    return "none";
}

FirstHop first_hop(const Flow& f, const NeighbourTable& neighbours) {
    FirstHop h;
    const packet::LinkAddresses& client = f.wire.client_link;
    const packet::LinkAddresses& server = f.wire.server_link;
    const bool next_hop_known = client.has_dst && !client.dst.is_multicast();
    if (server.has_src) h.server_mac_sources = neighbours.sources(server.src, f.server.version);
    // The server announced its own address, with the MAC the connection used.
    if (const Neighbour* s = neighbours.find(f.server)) {
        if (next_hop_known ? client.dst == s->mac : server.has_src && server.src == s->mac) {
            h.server = Placement::kOnLink;
            h.reason = PlacementReason::kServerAnswered;
            return h;
        }
    }
    auto off_link = [&](PlacementReason why, const MacAddress& gateway) {
        h.server = Placement::kOffLink;
        h.reason = why;
        h.gateway_mac_known = true;
        h.gateway_mac = gateway;
        // The gateway's address: one that announced its MAC, of the server's IP version first,
        // a router first among those.
        const Neighbour* best = nullptr;
        auto rank = [&](const Neighbour* n) { return (n->address.version == f.server.version ? 2 : 0) + (n->router ? 1 : 0); };
        for (const Neighbour* n : neighbours.owners(gateway))
            if (n->address != f.server && (best == nullptr || rank(n) > rank(best))) best = n;
        if (best != nullptr) {
            h.gateway_ip_known = true;
            h.gateway_ip = best->address;
        }
        return h;
    };
    if (next_hop_known) {
        bool other = false, router = false;
        for (const Neighbour* n : neighbours.owners(client.dst)) {
            if (n->address == f.server) continue;
            other = true;
            router = router || n->router;
        }
        if (other) return off_link(router ? PlacementReason::kNextHopIsRouter : PlacementReason::kNextHopIsNeighbour, client.dst);
    }
    const bool have_mac = next_hop_known || server.has_src;
    const MacAddress gateway = next_hop_known ? client.dst : server.src;
    if (f.s2c.first_ttl >= 0 && !is_initial_ttl(f.s2c.first_ttl)) {
        if (have_mac) return off_link(PlacementReason::kServerTtlDecremented, gateway);
        h.server = Placement::kOffLink;
        h.reason = PlacementReason::kServerTtlDecremented;
        return h;
    }
    if (h.server_mac_sources >= kSeveralSources) return off_link(PlacementReason::kMacCarriesSeveral, server.src);
    return h;
}

}  // namespace sshpath::flow
