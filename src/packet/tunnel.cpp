#include "layers.h"

namespace sshpath::packet {
namespace detail {
namespace {

constexpr std::uint16_t kGreChecksum = 0x8000;
constexpr std::uint16_t kGreRouting = 0x4000;
constexpr std::uint16_t kGreKey = 0x2000;
constexpr std::uint16_t kGreSequence = 0x1000;
constexpr std::uint16_t kGreErspan = 0x88be;      // type I (no sequence number) and type II
constexpr std::uint16_t kGreErspan3 = 0x22eb;
constexpr std::uint16_t kVxlanPort = 4789;
constexpr std::uint16_t kGenevePort = 6081;
constexpr std::size_t kVxlanHeader = 8;
constexpr std::size_t kGeneveHeader = 8;
constexpr int kMaxMplsLabels = 8;

bool depth_left(Packet& out) {
    if (out.tunnels.depth < kMaxTunnelDepth) return true;
    fail(out, "more than 4 nested tunnels");
    return false;
}

// Starts a tunnel layer: the addresses decoded so far are its endpoints, and the packet inside
// takes their place.
Tunnel& push(Packet& out, TunnelKind kind) {
    Tunnel& t = out.tunnels.layers[out.tunnels.depth++];
    t = Tunnel{};
    t.kind = kind;
    if (out.ip_version != 0) {
        t.outer_src = out.src;
        t.outer_dst = out.dst;
        t.outer_ttl = out.ttl;
    }
    clear_network(out);
    return t;
}

Tunnel& push(Packet& out, TunnelKind kind, std::uint32_t id) {
    Tunnel& t = push(out, kind);
    t.has_id = true;
    t.id = id;
    return t;
}

int ip_version_of(Bytes b) { return b.empty() ? 0 : b[0] >> 4; }

void decode_ip_by_version(Bytes b, Packet& out) {
    if (ip_version_of(b) == 4) return decode_ipv4(b, out);
    if (ip_version_of(b) == 6) return decode_ipv6(b, out);
}

// What a GRE packet of this protocol type carries can be opened: checked before the layer is
// pushed, so that a GRE packet left closed stays as it was.
bool gre_payload_known(std::uint16_t proto, bool sequenced, Bytes body) {
    switch (proto) {
    case kEtherIpv4: return ip_version_of(body) == 4;
    case kEtherIpv6: return ip_version_of(body) == 6;
    case kEtherTeb:
    case kEtherMpls:
    case kEtherMplsMulticast: return true;
    case kGreErspan: return !sequenced || (body.size() >= 8 && body[0] >> 4 == 1);
    case kGreErspan3: {
        if (body.size() < 12 || body[0] >> 4 != 2) return false;
        const int frame_type = (body[10] >> 2) & 0x1f;
        return frame_type == 0 || frame_type == 2;
    }
    default: return false;
    }
}

void open_erspan3(Bytes body, Packet& out) {
    // ver(4) vlan(12) | cos(3) bso(2) t(1) session(10) | timestamp(32) | sgt(16) p(1) ft(5)
    // hw id(6) d(1) gra(2) o(1) [ | 8-byte platform-specific subheader when o ]
    Tunnel& t = push(out, TunnelKind::kErspan3, be16(body.data() + 2) & 0x3ff);
    t.inner_vlan_id = be16(body.data()) & 0x0fff;
    const bool subheader = (body[11] & 1) != 0;
    const std::size_t header = 12 + (subheader ? 8 : 0);
    if (body.size() < header) return fail(out, "truncated ERSPAN header");
    if (((body[10] >> 2) & 0x1f) == 0) return decode_ethernet_frame(body.subspan(header), out);
    decode_ip_by_version(body.subspan(header), out);
}

}  // namespace

bool open_ip_in_ip(std::uint8_t proto, Bytes inner, Packet& out) {
    const int inner_version = proto == kProtoIpip ? 4 : 6;
    if (ip_version_of(inner) != inner_version || !depth_left(out)) return false;
    const bool outer_v4 = out.ip_version == 4;
    const TunnelKind kind = inner_version == 4 ? (outer_v4 ? TunnelKind::kIp4in4 : TunnelKind::kIp4in6)
                                               : (outer_v4 ? TunnelKind::kIp6in4 : TunnelKind::kIp6in6);
    push(out, kind);
    decode_ip_by_version(inner, out);
    return true;
}

bool open_gre(Bytes gre, Packet& out) {
    // RFC 2784/2890: flags and version, protocol type, then checksum, key and sequence number
    // when their flags say so. Version 1 (PPTP) and the obsolete routing field are left closed.
    if (gre.size() < 4) return false;
    const std::uint16_t flags = be16(gre.data());
    if ((flags & 0x0007) != 0 || (flags & kGreRouting) != 0) return false;
    const std::uint16_t proto = be16(gre.data() + 2);
    std::size_t len = 4;
    if (flags & kGreChecksum) len += 4;
    const std::size_t key_at = len;
    if (flags & kGreKey) len += 4;
    if (flags & kGreSequence) len += 4;
    if (gre.size() < len) return false;
    const Bytes body = gre.subspan(len);
    const bool keyed = (flags & kGreKey) != 0;
    const std::uint32_t key = keyed ? be32(gre.data() + key_at) : 0;
    const bool sequenced = (flags & kGreSequence) != 0;
    if (!gre_payload_known(proto, sequenced, body) || !depth_left(out)) return false;
    switch (proto) {
    case kGreErspan:
        if (!sequenced) {
            push(out, TunnelKind::kErspan1);
            decode_ethernet_frame(body, out);
        } else {
            // ver(4) vlan(12) | cos(3) en(2) t(1) session(10) | reserved(12) index(20)
            Tunnel& t = push(out, TunnelKind::kErspan2, be16(body.data() + 2) & 0x3ff);
            t.inner_vlan_id = be16(body.data()) & 0x0fff;
            decode_ethernet_frame(body.subspan(8), out);
        }
        return true;
    case kGreErspan3: open_erspan3(body, out); return true;
    default: break;
    }
    if (keyed)
        push(out, TunnelKind::kGre, key);
    else
        push(out, TunnelKind::kGre);
    if (proto == kEtherTeb)
        decode_ethernet_frame(body, out);
    else
        decode_ethertype(proto, body, out);
    return true;
}

bool open_udp_tunnel(std::uint16_t dport, Bytes b, Packet& out) {
    if (dport == kVxlanPort) {
        // flags (I = 0x08: the VNI is valid) | reserved(24) | VNI(24) | reserved(8)
        if (b.size() < kVxlanHeader || (b[0] & 0x08) == 0 || !depth_left(out)) return false;
        push(out, TunnelKind::kVxlan, be24(b.data() + 4));
        decode_ethernet_frame(b.subspan(kVxlanHeader), out);
        return true;
    }
    if (dport == kGenevePort) {
        // ver(2) opt len(6) | o c rsvd(6) | protocol type(16) | VNI(24) | reserved(8) | options
        if (b.size() < kGeneveHeader || b[0] >> 6 != 0) return false;
        const std::size_t options_len = std::size_t{b[0] & 0x3fu} * 4;
        const std::uint16_t proto = be16(b.data() + 2);
        if (b.size() < kGeneveHeader + options_len) return false;
        if (proto != kEtherTeb && proto != kEtherIpv4 && proto != kEtherIpv6) return false;
        // class(16) type(8) | rsvd(3) length(5) in 4-byte words | data: each option is at least 4
        // bytes, so at most 63 of them fit.
        Bytes options = b.subspan(kGeneveHeader, options_len);
        std::uint8_t count = 0;
        while (!options.empty()) {
            if (options.size() < 4) return false;
            const std::size_t len = 4 + std::size_t{options[3] & 0x1fu} * 4;
            if (len > options.size()) return false;
            options = options.subspan(len);
            ++count;
        }
        const Bytes inner = b.subspan(kGeneveHeader + options_len);
        if (proto == kEtherIpv4 && ip_version_of(inner) != 4) return false;
        if (proto == kEtherIpv6 && ip_version_of(inner) != 6) return false;
        if (!depth_left(out)) return false;
        Tunnel& t = push(out, TunnelKind::kGeneve, be24(b.data() + 4));
        t.options = count;
        if (proto == kEtherTeb)
            decode_ethernet_frame(inner, out);
        else
            decode_ip_by_version(inner, out);
        return true;
    }
    return false;
}

void decode_mpls(Bytes b, Packet& out) {
    if (!depth_left(out)) return;
    Tunnel& t = push(out, TunnelKind::kMpls);
    // label(20) tc(3) s(1) ttl(8), until the bottom of the stack (s)
    for (int i = 0;; ++i) {
        if (i == kMaxMplsLabels) return fail(out, "more than 8 MPLS labels");
        if (b.size() < 4) return fail(out, "truncated MPLS label stack");
        const std::uint32_t entry = be32(b.data());
        if (i == 0) {
            t.has_id = true;
            t.id = entry >> 12;
        }
        ++t.labels;
        b = b.subspan(4);
        if (entry & 0x100) break;
    }
    // No protocol field: an IP packet is told by its version; a pseudowire (control word 0) is
    // left closed.
    if (b.empty()) return fail(out, "nothing after the MPLS label stack");
    decode_ip_by_version(b, out);
}

}  // namespace detail

const char* tunnel_kind_name(TunnelKind kind) {
    switch (kind) {
    case TunnelKind::kNone: return "none";
    case TunnelKind::kGre: return "gre";
    case TunnelKind::kErspan1: return "erspan-i";
    case TunnelKind::kErspan2: return "erspan-ii";
    case TunnelKind::kErspan3: return "erspan-iii";
    case TunnelKind::kVxlan: return "vxlan";
    case TunnelKind::kGeneve: return "geneve";
    case TunnelKind::kIp4in4: return "4in4";
    case TunnelKind::kIp6in4: return "6in4";
    case TunnelKind::kIp4in6: return "4in6";
    case TunnelKind::kIp6in6: return "6in6";
    case TunnelKind::kMpls: return "mpls";
    }
    return "none";
}

}  // namespace sshpath::packet
