#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "sshpath/packet/arp.h"
#include "sshpath/packet/icmp.h"
#include "sshpath/packet/ip_address.h"
#include "sshpath/packet/link.h"
#include "sshpath/packet/tcp.h"
#include "sshpath/packet/tunnel.h"

namespace sshpath::packet {

enum class Transport : std::uint8_t { kNone, kTcp, kIcmp, kUdp, kOther };

struct UdpHeader {
    std::uint16_t sport = 0, dport = 0;
};

/// One decoded packet. Spans point into the reader's buffer: valid only during the callback.
///
/// When the frame carried a tunnel (GRE, ERSPAN, VXLAN, Geneve, IP in IP, MPLS), the network and
/// transport fields (src, dst, ttl, tcp, ...) describe the packet inside, the innermost one the
/// decoder reached; `tunnels` holds the layers around it, outermost first; `link` stays the
/// link layer the capture recorded.
struct Packet {
    std::uint64_t number = 0;        ///< 1-based position in the capture (as Wireshark counts)
    double time = 0;                 ///< seconds since the epoch (pcap timestamp)
    std::uint32_t caplen = 0;        ///< bytes captured
    std::uint32_t wirelen = 0;       ///< bytes on the wire
    LinkLayer link;                  ///< the capture's link layer: kind, addresses, VLAN tags
    TunnelStack tunnels;             ///< encapsulations opened to reach the packet
    ArpMessage arp;                  ///< an ARP frame (ip_version is then 0)
    IpAddress src, dst;
    std::uint8_t ip_version = 0;     ///< 0: not IP
    std::uint8_t ttl = 0;            ///< TTL or hop limit
    std::uint16_t ip_id = 0;         ///< IPv4 identification (0 for IPv6)
    bool dont_fragment = false;
    bool fragment = false;           ///< a non-first fragment or a fragment with payload cut off
    std::uint16_t ip_total_len = 0;  ///< IP total length claimed by the header
    Transport transport = Transport::kNone;
    TcpHeader tcp;
    UdpHeader udp;
    IcmpHeader icmp;
    std::span<const std::uint8_t> payload;  ///< transport payload actually captured
    /// The transport header and its payload as captured (the IP payload after any extension
    /// headers): what tells two copies of a packet from a retransmission.
    std::span<const std::uint8_t> transport_bytes;
    std::uint32_t payload_wire_len = 0;     ///< transport payload length claimed by the IP header
    bool payload_truncated = false;         ///< snap length cut the payload (payload.size() < payload_wire_len)
    bool malformed = false;                 ///< a header was inconsistent; see problem
    const char* problem = nullptr;          ///< static text naming what was wrong (e.g. "truncated TCP header")

    /// The link-layer addresses of the frame that carried the (innermost) packet: the
    /// capture's own when no tunnel was opened, those of the Ethernet frame inside the innermost
    /// tunnel when it carried one, none (nullptr) when that tunnel carried IP directly.
    const LinkAddresses* inner_link() const;
};

}  // namespace sshpath::packet
