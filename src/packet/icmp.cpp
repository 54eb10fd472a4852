#include "layers.h"

namespace sshpath::packet::detail {
namespace {

constexpr std::size_t kIcmpHeader = 8;

bool has_ports(std::uint8_t proto) {
    return proto == kProtoTcp || proto == kProtoUdp || proto == kProtoDccp || proto == kProtoSctp ||
           proto == kProtoUdpLite;
}

// A router quotes the offending packet's IP header and at least 8 bytes after it (RFC 792,
// RFC 4443); what is cut short here is simply not reported, since the error itself is valid.
void decode_quote(Bytes q, IcmpQuote& quote) {
    IpFields h;
    const char* problem = read_ip_header(q, h);
    if (h.version == 0) return;
    quote.src = h.src;
    quote.dst = h.dst;
    quote.ttl = h.ttl;
    Bytes transport;
    if (h.version == 4) {
        quote.protocol = h.protocol;
        if (problem != nullptr || h.fragment_offset != 0) return;
        transport = q.subspan(h.header_len);
    } else {
        Ipv6Rest rest{h.protocol, q.subspan(kIpv6Header), q.size() - kIpv6Header};
        if (skip_ipv6_ext_headers(rest) != nullptr || rest.later_fragment) return;
        quote.protocol = rest.next;
        transport = rest.captured;
    }
    if (transport.size() < 4) return;
    quote.valid = true;
    if (has_ports(quote.protocol)) {
        quote.sport = be16(transport.data());
        quote.dport = be16(transport.data() + 2);
    }
    if (quote.protocol == kProtoTcp) {
        const TcpFields tcp = read_tcp_header(transport);
        quote.has_seq = tcp.has_ports_seq;
        quote.seq = tcp.seq;
    }
}

void decode_icmp_common(Bytes l4, std::size_t wire_len, Packet& out) {
    out.transport = Transport::kIcmp;
    out.icmp.type = l4[0];
    out.icmp.code = l4[1];
    set_payload(out, l4.subspan(kIcmpHeader), wire_len - kIcmpHeader);
    if (out.icmp.is_error) decode_quote(out.payload, out.icmp.quote);
}

bool check_icmp_length(Bytes l4, std::size_t wire_len, Packet& out) {
    // Before any ICMP field is written: clear_network() clears them only after an ICMP packet.
    if (l4.size() >= 2) out.transport = Transport::kIcmp;
    if (l4.size() >= kIcmpHeader) return true;
    fail(out, wire_len < kIcmpHeader ? "IP payload too short for an ICMP header" : "truncated ICMP header");
    if (l4.size() >= 2) {
        out.icmp.type = l4[0];
        out.icmp.code = l4[1];
    }
    return false;
}

}  // namespace

void decode_icmpv4(Bytes l4, std::size_t wire_len, Packet& out) {
    if (!check_icmp_length(l4, wire_len, out)) return;
    const std::uint8_t type = l4[0];
    out.icmp.is_error = type == 3 || type == 4 || type == 11 || type == 12;
    // Only "fragmentation needed" carries a next-hop MTU (RFC 1191); elsewhere bytes 6-7 are unused
    // or hold RFC 4884's length.
    if (type == 3 && l4[1] == 4) out.icmp.mtu = be16(l4.data() + 6);
    decode_icmp_common(l4, wire_len, out);
}

void decode_icmpv6(Bytes l4, std::size_t wire_len, Packet& out) {
    if (!check_icmp_length(l4, wire_len, out)) return;
    const std::uint8_t type = l4[0];
    out.icmp.is_error = type >= 1 && type <= 4;
    if (type == 2) out.icmp.mtu = be32(l4.data() + 4);
    decode_icmp_common(l4, wire_len, out);
    if (type >= kNdRouterSolicitation && type <= kNdRedirect) decode_nd(l4, out);
}

}  // namespace sshpath::packet::detail
