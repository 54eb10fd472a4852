#include "layers.h"

namespace sshpath::packet::detail {

void decode_arp(Bytes b, Packet& out) {
    // RFC 826 for IPv4 over Ethernet: hardware type 1, protocol 0x0800, lengths 6 and 4. Other
    // ARP (and RARP, InARP) is left undecoded: it says nothing of IPv4 neighbours.
    constexpr std::size_t kArpEthernetIpv4 = 28;
    if (b.size() < 8) return fail(out, "truncated ARP header");
    if (be16(b.data()) != 1 || be16(b.data() + 2) != kEtherIpv4 || b[4] != 6 || b[5] != 4) return;
    if (b.size() < kArpEthernetIpv4) return fail(out, "truncated ARP message");
    ArpMessage& arp = out.arp;
    arp.op = be16(b.data() + 6);
    arp.sender_mac = MacAddress::from(b.data() + 8);
    arp.sender_ip = IpAddress::v4(b.data() + 14);
    arp.target_mac = MacAddress::from(b.data() + 18);
    arp.target_ip = IpAddress::v4(b.data() + 24);
}

}  // namespace sshpath::packet::detail
