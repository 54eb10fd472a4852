#pragma once
#include <string>
#include <string_view>

#include "sshpath/packet/packet.h"

/// Where a sender sits, read from one capture: hop distances against the usual initial TTLs,
/// the kind of an address, whether the server is on the client's link, and each sender's position
/// on the path relative to the server's.
namespace sshpath::evidence {

/// The initial TTL (IPv6: hop limit) a packet most likely left its sender with: the next of
/// 32, 64, 128, 255 at or above `ttl`; -1 for ttl <= 0.
int initial_ttl(int ttl);
/// Routers the packet crossed: initial_ttl(ttl) - ttl (0: it crossed none); -1 for ttl <= 0.
int hop_distance(int ttl);

/// What an address is: private (RFC 1918, fc00::/7), shared (100.64.0.0/10, carrier-grade NAT),
/// link-local, loopback, multicast, or public (anything else, the documentation and benchmarking
/// ranges included).
std::string_view address_kind(const packet::IpAddress& a);

/// Whether the server is on the client's link, and what shows it.
struct Link {
    std::string link;       ///< on-link, off-link, or "" when nothing tells
    std::string evidence;   ///< neighbour (ARP/ND proves it), server-ttl (its packets crossed a router, or none), address-plan (only suggests), ""
};
/// From what the capture's ARP/ND proves (`neighbour`: on-link, off-link or "" when it proves
/// nothing, see flow::first_hop), the server's hop distance (-1 unknown) and, failing both, the
/// address plan: client and server in different /24 (IPv4) or /64 (IPv6) suggest a router between
/// them. A server whose packets crossed a router is off-link even when its address answered ARP
/// (a router answering for it: proxy ARP). The address plan speaks of the client's link only:
/// when the client's own packets crossed routers before the capture saw them (`client_hops` > 0:
/// a capture on the server, or on a mirror port on the way), it tells nothing of where the
/// server stands from the capture, and nothing is said.
Link server_link(const packet::IpAddress& client, const packet::IpAddress& server, int server_hops,
                 std::string_view neighbour = {}, int client_hops = -1);

/// Where a sender sits, from its hop distance and the server's: server (the server's own
/// distance, or no router crossed when ARP/ND proves the server on the client's link), first-hop (crossed no router while the server is off-link: the client's gateway or
/// something on its link made it), near-client (at most half-way), between, near-server (one hop
/// before the server or closer), farther (more hops than the server), or "" when it cannot be placed.
/// Hops are counted from the capture. `client_hops` is how many routers the client's own packets
/// crossed before the capture saw them (0, or -1 when unknown, for a capture on the client): a
/// capture taken further on (on the VM, on a mirror port on the way) adds them to the sender's
/// and the server's, so that a sender that crossed no router to it sits where the capture does,
/// never at the client's gateway.
std::string position(int hops, int server_hops, const Link& link, int client_hops = -1);

}  // namespace sshpath::evidence
