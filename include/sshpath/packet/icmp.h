#pragma once
#include <cstdint>

#include "sshpath/packet/ip_address.h"
#include "sshpath/packet/link.h"

namespace sshpath::packet {

/// The first bytes of the packet an ICMP/ICMPv6 error quotes (RFC 792: IP header + 8 bytes).
struct IcmpQuote {
    bool valid = false;      ///< an IP header and at least the ports were quoted
    IpAddress src, dst;
    std::uint8_t protocol = 0;
    std::uint16_t sport = 0, dport = 0;
    bool has_seq = false;
    std::uint32_t seq = 0;
    std::uint8_t ttl = 0;    ///< TTL/hop limit of the quoted packet as the router saw it
};

/// ICMPv6 neighbour discovery message types (RFC 4861).
enum NdType : std::uint8_t {
    kNdRouterSolicitation = 133,
    kNdRouterAdvertisement = 134,
    kNdNeighborSolicitation = 135,
    kNdNeighborAdvertisement = 136,
    kNdRedirect = 137,
};

/// An IPv6 neighbour discovery message (RFC 4861): who asks for or announces which address,
/// with which link-layer address.
struct NeighborDiscovery {
    std::uint8_t type = 0;           ///< an NdType; 0: not a (well-formed) ND message
    IpAddress target;                ///< NS, NA, redirect: the target address
    bool router = false;             ///< NA: the R flag (the sender is a router)
    bool solicited = false;          ///< NA: the S flag (an answer to a solicitation)
    bool override_entry = false;     ///< NA: the O flag
    std::uint16_t router_lifetime = 0;  ///< RA: seconds (0: not a default router)
    bool has_source_mac = false;     ///< the source link-layer address option (type 1)
    MacAddress source_mac;
    bool has_target_mac = false;     ///< the target link-layer address option (type 2)
    MacAddress target_mac;
};

struct IcmpHeader {
    std::uint8_t type = 0, code = 0;
    std::uint32_t mtu = 0;   ///< next-hop MTU of "fragmentation needed" / "packet too big"
    IcmpQuote quote;
    bool is_error = false;   ///< destination unreachable, time exceeded, too big, param problem
    NeighborDiscovery nd;    ///< ICMPv6 types 133-137 (hop limit 255 only)
};

}  // namespace sshpath::packet
