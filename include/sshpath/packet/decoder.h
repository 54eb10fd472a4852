#pragma once
#include <cstdint>
#include <span>

#include "sshpath/packet/packet.h"

namespace sshpath::packet {

/// Decodes one frame: the link layer (Ethernet with VLAN/QinQ tags, Linux cooked v1/v2, raw IP,
/// BSD loopback), ARP, IPv4/IPv6 (extension headers skipped), TCP with options (MPTCP
/// included), UDP ports, ICMP/ICMPv6 errors with the quoted header, IPv6 neighbour discovery,
/// and tunnels (GRE, ERSPAN II/III, VXLAN, Geneve, IP in IP, MPLS) up to kMaxTunnelDepth deep.
/// Never reads outside `frame` and never allocates; sets out.malformed/out.problem instead of
/// throwing. Fields number/time/caplen/wirelen are left for the caller.
void decode(int link_type, std::span<const std::uint8_t> frame, Packet& out);

}  // namespace sshpath::packet
