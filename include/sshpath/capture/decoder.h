#pragma once
#include <cstdint>
#include <span>

#include "sshpath/capture/packet.h"

namespace sshpath::capture {

/// libpcap link-layer types (DLT_*/LINKTYPE_*) the decoder understands.
enum LinkType : int {
    kLinkNull = 0,         ///< BSD loopback (host-order 4-byte family)
    kLinkEthernet = 1,
    kLinkRaw = 101,        ///< LINKTYPE_RAW: raw IPv4/IPv6
    kLinkRawDlt12 = 12,    ///< DLT_RAW on some BSDs
    kLinkRawDlt14 = 14,    ///< DLT_RAW on OpenBSD
    kLinkLoop = 108,       ///< OpenBSD loopback (network-order family)
    kLinkSll = 113,        ///< Linux cooked capture v1
    kLinkSll2 = 276,       ///< Linux cooked capture v2
    kLinkIpv4 = 228,
    kLinkIpv6 = 229,
};

/// True if decode() can handle this link type.
bool link_type_supported(int link_type);
/// Name for messages, e.g. "EN10MB (Ethernet)"; "link type N" if unknown.
const char* link_type_name(int link_type);

/// Decodes one frame: link layer (with VLAN tags), IPv4/IPv6 (extension headers skipped),
/// TCP with options, ICMP/ICMPv6 errors with the quoted header.
/// Never reads outside `frame`; sets out.malformed/out.problem instead of throwing.
/// Fields number/time/caplen/wirelen are left for the caller.
void decode(int link_type, std::span<const std::uint8_t> frame, Packet& out);

}  // namespace sshpath::capture
