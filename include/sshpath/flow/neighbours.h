#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "sshpath/packet/packet.h"

namespace sshpath::flow {

/// An address whose link-layer address the capture showed: from ARP, IPv6 neighbour
/// discovery or a router advertisement. The message came from the address itself (or from a
/// device answering for it: proxy ARP).
struct Neighbour {
    packet::IpAddress address;
    packet::MacAddress mac;
    std::uint64_t packet = 0;     ///< the first packet that told it
    double time = 0;
    bool router = false;          ///< a router advertisement (lifetime > 0) or an NA with the router flag
    bool conflict = false;        ///< another MAC claimed the same address later (proxy ARP, VRRP, a conflict)
};

/// What the capture's link layer shows of its neighbours: ARP and ND, and which MAC carried
/// packets from which source addresses (a router's MAC carries many), as SYNs, SYN-ACKs and
/// ICMP messages show it.
class NeighbourTable {
public:
    /// Learns from one packet (ARP, ND, and the source MAC of SYNs, SYN-ACKs and ICMP).
    void add(const packet::Packet& p);
    /// The neighbour entry of an address, or nullptr.
    const Neighbour* find(const packet::IpAddress& address) const;
    /// Every address that announced this MAC (a router often has an IPv4 and IPv6 link-local).
    std::vector<const Neighbour*> owners(const packet::MacAddress& mac) const;
    /// Distinct source addresses of one IP version seen in packets from this MAC (counted up to
    /// kMaxSources).
    std::size_t sources(const packet::MacAddress& mac, int ip_version) const;
    const std::map<packet::IpAddress, Neighbour>& entries() const { return entries_; }
    std::size_t routers() const;

    static constexpr std::size_t kMaxSources = 4;

private:
    void learn(const packet::IpAddress& address, const packet::MacAddress& mac, const packet::Packet& p, bool router);
    void count_source(const packet::MacAddress& mac, const packet::IpAddress& src);

    struct Sources {
        std::array<packet::IpAddress, kMaxSources> v4{}, v6{};
        std::uint8_t n4 = 0, n6 = 0;
    };
    struct Recent {
        std::uint64_t mac = ~0ull;
        Sources* sources = nullptr;
    };
    std::map<packet::IpAddress, Neighbour> entries_;
    std::unordered_map<std::uint64_t, Sources> sources_;  ///< by MAC (48 bits); nodes stay put
    /// MACs looked up lately (every packet has one): a router's MAC, once it has shown
    /// kMaxSources addresses, costs one look here.
    std::array<Recent, 256> recent_{};
};

/// Whether the server is on the capture's link or behind a router.
enum class Placement : std::uint8_t { kUnknown, kOnLink, kOffLink };
/// What proved it.
enum class PlacementReason : std::uint8_t {
    kNone,
    kServerAnswered,       ///< on-link: the server's address answered ARP/ND itself, with the MAC the connection used
    kNextHopIsNeighbour,   ///< off-link: the client's SYN went to a MAC that another address announced (the gateway)
    kNextHopIsRouter,      ///< off-link: ... a MAC a router advertisement announced
    kServerTtlDecremented, ///< off-link: the server's packets arrive with a TTL below every usual initial value
    kMacCarriesSeveral,    ///< off-link: the MAC that delivers the server's packets carries 3 or more source addresses
};
const char* placement_name(Placement p);          ///< "unknown", "on-link", "off-link"
const char* placement_reason_name(PlacementReason r);  ///< "server-answered-arp-nd", "next-hop-is-neighbour", ...

/// The client's first hop as one connection's frames and the capture's neighbours show it.
struct FirstHop {
    Placement server = Placement::kUnknown;
    PlacementReason reason = PlacementReason::kNone;
    bool gateway_ip_known = false;
    packet::IpAddress gateway_ip;    ///< the address that announced the next-hop MAC (same IP version first)
    bool gateway_mac_known = false;
    packet::MacAddress gateway_mac;  ///< off-link: the MAC the client's packets went to (or the server's came from)
    std::size_t server_mac_sources = 0;  ///< source addresses carried by the MAC the server's packets came from
};

struct Flow;
/// Judges one connection against the capture's neighbours (call once the capture is read).
FirstHop first_hop(const Flow& f, const NeighbourTable& neighbours);

/// A TTL or hop limit that is one of the usual initial values (32, 64, 128, 255): the packet
/// crossed no router since it was sent.
bool is_initial_ttl(int ttl);

}  // namespace sshpath::flow
