#pragma once
#include <array>
#include <cstdint>

#include "sshpath/packet/ip_address.h"
#include "sshpath/packet/link.h"

namespace sshpath::packet {

/// An encapsulation the decoder opens to reach the packet inside.
enum class TunnelKind : std::uint8_t {
    kNone,
    kGre,      ///< GRE (RFC 2784/2890) carrying IP, Ethernet (0x6558) or MPLS
    kErspan1,  ///< ERSPAN type I: GRE 0x88be without a sequence number, no ERSPAN header
    kErspan2,  ///< ERSPAN type II: GRE 0x88be with an 8-byte ERSPAN header
    kErspan3,  ///< ERSPAN type III: GRE 0x22eb with a 12-byte ERSPAN header
    kVxlan,    ///< VXLAN (RFC 7348), UDP port 4789
    kGeneve,   ///< Geneve (RFC 8926), UDP port 6081
    kIp4in4,   ///< IPv4 in IPv4 (IP protocol 4)
    kIp6in4,   ///< IPv6 in IPv4 (IP protocol 41, "sit", 6in4)
    kIp4in6,   ///< IPv4 in IPv6 (next header 4)
    kIp6in6,   ///< IPv6 in IPv6 (next header 41)
    kMpls,     ///< an MPLS label stack (RFC 3032)
};

/// "gre", "erspan-ii", "vxlan", "ip6in4", "mpls", ...: the names reports and docs use.
const char* tunnel_kind_name(TunnelKind kind);

/// One layer of encapsulation, outermost first in Packet::tunnels.
struct Tunnel {
    TunnelKind kind = TunnelKind::kNone;
    IpAddress outer_src, outer_dst;  ///< the tunnel's endpoints (unset for MPLS)
    std::uint8_t outer_ttl = 0;      ///< TTL / hop limit of the outer header
    bool has_id = false;
    /// GRE key, VXLAN or Geneve VNI, ERSPAN session id, MPLS: the top label.
    std::uint32_t id = 0;
    std::uint8_t labels = 0;         ///< MPLS: labels in the stack
    std::uint8_t options = 0;        ///< Geneve: options carried
    bool ethernet = false;           ///< carries an Ethernet frame: inner_link holds its addresses
    LinkAddresses inner_link;
    std::uint8_t inner_vlan_tags = 0;
    std::uint16_t inner_vlan_id = 0; ///< the inner frame's outermost VLAN tag, or ERSPAN's VLAN field
};

/// Tunnels opened at most, nested (a deeper one is left closed and the packet marked malformed).
inline constexpr int kMaxTunnelDepth = 4;

/// The tunnels a packet came through, outermost first.
struct TunnelStack {
    std::array<Tunnel, kMaxTunnelDepth> layers{};
    std::uint8_t depth = 0;
    bool empty() const { return depth == 0; }
    const Tunnel& innermost() const { return layers[depth - 1]; }
};

}  // namespace sshpath::packet
