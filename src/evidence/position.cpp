#include "sshpath/evidence/position.h"

namespace sshpath::evidence {

int initial_ttl(int ttl) {
    if (ttl <= 0) return -1;
    return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

int hop_distance(int ttl) { return ttl <= 0 ? -1 : initial_ttl(ttl) - ttl; }

std::string_view address_kind(const packet::IpAddress& a) {
    const auto& b = a.bytes;
    if (a.version == 4) {
        if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168)) return "private";
        if (b[0] == 100 && (b[1] & 0xc0) == 64) return "shared";
        if (b[0] == 169 && b[1] == 254) return "link-local";
        if (b[0] == 127) return "loopback";
        if (b[0] >= 224 && b[0] <= 239) return "multicast";
        return "public";
    }
    if (a.version == 6) {
        if ((b[0] & 0xfe) == 0xfc) return "private";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";
        if (b[0] == 0xff) return "multicast";
        bool loopback = b[15] == 1;
        for (int i = 0; i < 15 && loopback; ++i) loopback = b[i] == 0;
        if (loopback) return "loopback";
        return "public";
    }
    return "";
}

Link server_link(const packet::IpAddress& client, const packet::IpAddress& server, int server_hops,
                 std::string_view neighbour, int client_hops) {
    if (neighbour == "off-link" || (neighbour == "on-link" && server_hops <= 0)) return {std::string(neighbour), "neighbour"};
    if (server_hops > 0) return {"off-link", "server-ttl"};
    if (server_hops == 0) return {"on-link", "server-ttl"};
    if (client.version != server.version || client.version == 0 || client_hops > 0) return {};
    const std::size_t prefix = client.version == 4 ? 3 : 8;  // /24, /64
    for (std::size_t i = 0; i < prefix; ++i)
        if (client.bytes[i] != server.bytes[i]) return {"off-link", "address-plan"};
    return {"on-link", "address-plan"};
}

std::string position(int hops, int server_hops, const Link& link, int client_hops) {
    if (hops < 0) return "";
    if (server_hops >= 0 && hops == server_hops) return "server";
    if (hops == 0) {
        // The server answered ARP/ND itself: on its link, a packet that crossed no router is its own.
        if (link.link == "on-link" && link.evidence == "neighbour") return "server";
        // On the client's link, one that claims an off-link server was made there.
        if (client_hops <= 0) return link.link == "off-link" ? "first-hop" : "";
    }
    // Hops from the client: the capture sits client_hops routers on.
    if (client_hops > 0) {
        hops += client_hops;
        if (server_hops >= 0) server_hops += client_hops;
    }
    if (server_hops < 0) return "";
    if (hops > server_hops) return "farther";
    if (hops >= server_hops - 1) return "near-server";
    if (2 * hops <= server_hops) return "near-client";
    return "between";
}

}  // namespace sshpath::evidence
