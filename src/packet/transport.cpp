#include "layers.h"

namespace sshpath::packet::detail {
namespace {

constexpr std::size_t kUdpHeader = 8;

void decode_udp(Bytes l4, std::size_t wire_len, Packet& out) {
    if (l4.size() < kUdpHeader) {
        return fail(out, wire_len < kUdpHeader ? "IP payload too short for a UDP header" : "truncated UDP header");
    }
    out.transport = Transport::kUdp;
    out.udp.sport = be16(l4.data());
    out.udp.dport = be16(l4.data() + 2);
    const Bytes payload = l4.subspan(kUdpHeader);
    if (!out.fragment && open_udp_tunnel(out.udp.dport, payload, out)) return;
    set_payload(out, payload, wire_len - kUdpHeader);
}

}  // namespace

void decode_transport(std::uint8_t proto, Bytes l4, std::size_t wire_len, Packet& out) {
    out.transport_bytes = l4;
    switch (proto) {
    case kProtoTcp: return decode_tcp(l4, wire_len, out);
    case kProtoUdp: return decode_udp(l4, wire_len, out);
    case kProtoIcmp:
        if (out.ip_version == 4) return decode_icmpv4(l4, wire_len, out);
        break;
    case kProtoIcmpv6:
        if (out.ip_version == 6) return decode_icmpv6(l4, wire_len, out);
        break;
    // A tunnel inside a fragment would be cut short: only whole packets are opened.
    case kProtoIpip:
    case kProtoIpv6:
        if (!out.fragment && open_ip_in_ip(proto, l4, out)) return;
        break;
    case kProtoGre:
        if (!out.fragment && open_gre(l4, out)) return;
        break;
    default: break;
    }
    out.transport = proto == kProtoNoNext ? Transport::kNone : Transport::kOther;
    set_payload(out, l4, wire_len);
}

}  // namespace sshpath::packet::detail
