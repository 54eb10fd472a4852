#include "sshpath/capture/decoder.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace sshpath::capture {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kEtherQinQLegacy = 0x9100;
constexpr int kMaxVlanTags = 4;

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kSllHeader = 16;
constexpr std::size_t kSll2Header = 20;
constexpr std::size_t kLoopbackHeader = 4;
constexpr std::size_t kIpv4Header = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kTcpHeader = 20;
constexpr std::size_t kIcmpHeader = 8;

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoDccp = 33;
constexpr std::uint8_t kProtoIcmpv6 = 58;
constexpr std::uint8_t kProtoNoNext = 59;
constexpr std::uint8_t kProtoSctp = 132;
constexpr std::uint8_t kProtoUdpLite = 136;

constexpr std::uint8_t kIpv6HopByHop = 0;
constexpr std::uint8_t kIpv6Routing = 43;
constexpr std::uint8_t kIpv6Fragment = 44;
constexpr std::uint8_t kIpv6DestOptions = 60;
// Real packets carry at most a handful; the cap keeps the loop bounded on crafted input.
constexpr int kMaxIpv6ExtHeaders = 8;

// Address families a BSD loopback header can carry: AF_INET is 2 everywhere, AF_INET6 differs
// between NetBSD/OpenBSD (24), FreeBSD (28) and Darwin (30).
constexpr std::uint32_t kFamilyInet = 2;
constexpr std::uint32_t kFamilyInet6Bsd = 24;
constexpr std::uint32_t kFamilyInet6FreeBsd = 28;
constexpr std::uint32_t kFamilyInet6Darwin = 30;

inline std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

inline std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

inline std::uint32_t le32(const std::uint8_t* p) {
    return std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
}

inline void fail(Packet& out, const char* problem) {
    out.malformed = true;
    out.problem = problem;
}

inline void set_payload(Packet& out, Bytes captured, std::size_t wire_len) {
    out.payload = captured;
    out.payload_wire_len = static_cast<std::uint32_t>(wire_len);
    out.payload_truncated = captured.size() < wire_len;
}

inline bool is_ipv6_ext_header(std::uint8_t next) {
    return next == kIpv6HopByHop || next == kIpv6Routing || next == kIpv6Fragment ||
           next == kIpv6DestOptions;
}

inline bool has_ports(std::uint8_t proto) {
    return proto == kProtoTcp || proto == kProtoUdp || proto == kProtoDccp || proto == kProtoSctp ||
           proto == kProtoUdpLite;
}

// Packets and ICMPv6 quotes walk the same extension headers, so the walk has its own state.
struct Ipv6Rest {
    std::uint8_t next;
    Bytes captured;
    std::size_t wire_len;
    bool fragment = false;
    bool later_fragment = false;
};

// The problem comes back as text instead of failing the packet because in a quote it only voids
// the quote.
const char* skip_ipv6_ext_headers(Ipv6Rest& rest) {
    for (int i = 0; is_ipv6_ext_header(rest.next); ++i) {
        if (i == kMaxIpv6ExtHeaders) return "too many IPv6 extension headers";
        if (rest.wire_len < 8) return "IPv6 extension header exceeds payload length";
        if (rest.captured.size() < 8) return "truncated IPv6 extension header";
        const std::uint8_t* h = rest.captured.data();
        const std::size_t len = rest.next == kIpv6Fragment ? 8 : (std::size_t{h[1]} + 1) * 8;
        if (len > rest.wire_len) return "IPv6 extension header exceeds payload length";
        if (len > rest.captured.size()) return "truncated IPv6 extension header";
        if (rest.next == kIpv6Fragment) {
            const std::uint16_t offset = be16(h + 2) >> 3;
            const bool more = (h[3] & 1) != 0;
            if (offset != 0 || more) rest.fragment = true;
            if (offset != 0) rest.later_fragment = true;
        }
        rest.next = h[0];
        rest.captured = rest.captured.subspan(len);
        rest.wire_len -= len;
        if (rest.later_fragment) break;
    }
    return nullptr;
}

// A router quotes the offending packet's IP header and at least 8 bytes after it (RFC 792,
// RFC 4443); what is cut short here is simply not reported, since the error itself is valid.
void decode_quote(Bytes q, IcmpQuote& quote) {
    if (q.empty()) return;
    const std::uint8_t* p = q.data();
    Bytes transport;
    const int version = p[0] >> 4;
    if (version == 4) {
        if (q.size() < kIpv4Header) return;
        const std::size_t hlen = std::size_t{p[0] & 0x0fu} * 4;
        quote.src = IpAddress::v4(p + 12);
        quote.dst = IpAddress::v4(p + 16);
        quote.protocol = p[9];
        quote.ttl = p[8];
        if (hlen < kIpv4Header || hlen > q.size()) return;
        if ((be16(p + 6) & 0x1fff) != 0) return;
        transport = q.subspan(hlen);
    } else if (version == 6) {
        if (q.size() < kIpv6Header) return;
        quote.src = IpAddress::v6(p + 8);
        quote.dst = IpAddress::v6(p + 24);
        quote.ttl = p[7];
        Ipv6Rest rest{p[6], q.subspan(kIpv6Header), q.size() - kIpv6Header};
        if (skip_ipv6_ext_headers(rest) != nullptr || rest.later_fragment) return;
        quote.protocol = rest.next;
        transport = rest.captured;
    } else {
        return;
    }
    if (transport.size() < 4) return;
    quote.valid = true;
    if (has_ports(quote.protocol)) {
        quote.sport = be16(transport.data());
        quote.dport = be16(transport.data() + 2);
    }
    if (quote.protocol == kProtoTcp && transport.size() >= 8) {
        quote.has_seq = true;
        quote.seq = be32(transport.data() + 4);
    }
}

// Two limits because the snap length can end the option bytes before the data offset does, and
// only running past the data offset makes an option length wrong.
void decode_tcp_options(const std::uint8_t* o, std::size_t captured, std::size_t header_len,
                        Packet& out) {
    TcpOptions& opts = out.tcp.options;
    std::size_t i = 0;
    while (i < captured) {
        const std::uint8_t kind = o[i];
        if (kind == 0) break;
        if (kind == 1) {
            ++i;
            continue;
        }
        if (i + 1 >= header_len) return fail(out, "bad TCP option length");
        if (i + 1 >= captured) return;
        const std::size_t len = o[i + 1];
        if (len < 2 || i + len > header_len) return fail(out, "bad TCP option length");
        if (i + len > captured) return;
        const std::uint8_t* v = o + i + 2;
        switch (kind) {
        case 2:
            if (len != 4) return fail(out, "bad TCP option length");
            opts.mss = be16(v);
            break;
        case 3:
            if (len != 3) return fail(out, "bad TCP option length");
            opts.wscale = v[0];
            break;
        case 4:
            if (len != 2) return fail(out, "bad TCP option length");
            opts.sack_permitted = true;
            break;
        case 8:
            if (len != 10) return fail(out, "bad TCP option length");
            opts.timestamps = true;
            opts.ts_val = be32(v);
            opts.ts_ecr = be32(v + 4);
            break;
        default: break;
        }
        ++opts.count;
        i += len;
    }
}

void decode_tcp(Bytes l4, std::size_t wire_len, Packet& out) {
    if (l4.size() < kTcpHeader) {
        return fail(out, wire_len < kTcpHeader ? "IP payload too short for a TCP header"
                                               : "truncated TCP header");
    }
    const std::uint8_t* p = l4.data();
    out.transport = Transport::kTcp;
    TcpHeader& tcp = out.tcp;
    tcp.sport = be16(p);
    tcp.dport = be16(p + 2);
    tcp.seq = be32(p + 4);
    tcp.ack = be32(p + 8);
    tcp.flags = p[13];
    tcp.window = be16(p + 14);
    const std::size_t doff = static_cast<std::size_t>(p[12] >> 4) * 4;
    if (doff < kTcpHeader) return fail(out, "bad TCP data offset");
    if (doff > wire_len) return fail(out, "TCP data offset beyond IP payload");
    const std::size_t options_captured = std::min(doff, l4.size()) - kTcpHeader;
    decode_tcp_options(p + kTcpHeader, options_captured, doff - kTcpHeader, out);
    if (doff > l4.size()) {
        // The header itself is sound, only the snap length cut its options: keep the packet
        // usable (a SYN under `-s 68` still shows a connection attempt) and flag the cut.
        out.payload = {};
        out.payload_wire_len = static_cast<std::uint32_t>(wire_len - doff);
        out.payload_truncated = true;
        return;
    }
    set_payload(out, l4.subspan(doff), wire_len - doff);
}

void decode_icmp_common(Bytes l4, std::size_t wire_len, Packet& out) {
    const std::uint8_t* p = l4.data();
    out.transport = Transport::kIcmp;
    out.icmp.type = p[0];
    out.icmp.code = p[1];
    set_payload(out, l4.subspan(kIcmpHeader), wire_len - kIcmpHeader);
    if (out.icmp.is_error) decode_quote(out.payload, out.icmp.quote);
}

bool check_icmp_length(Bytes l4, std::size_t wire_len, Packet& out) {
    if (l4.size() >= kIcmpHeader) return true;
    fail(out, wire_len < kIcmpHeader ? "IP payload too short for an ICMP header"
                                     : "truncated ICMP header");
    if (l4.size() >= 2) {
        out.transport = Transport::kIcmp;
        out.icmp.type = l4[0];
        out.icmp.code = l4[1];
    }
    return false;
}

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
}

void decode_transport(std::uint8_t proto, Bytes l4, std::size_t wire_len, Packet& out) {
    if (proto == kProtoTcp) return decode_tcp(l4, wire_len, out);
    if (proto == kProtoIcmp && out.ip_version == 4) return decode_icmpv4(l4, wire_len, out);
    if (proto == kProtoIcmpv6 && out.ip_version == 6) return decode_icmpv6(l4, wire_len, out);
    out.transport = proto == kProtoNoNext ? Transport::kNone : Transport::kOther;
    set_payload(out, l4, wire_len);
}

void decode_ipv4(const std::uint8_t* p, std::size_t n, Packet& out) {
    if (n < kIpv4Header) return fail(out, "truncated IPv4 header");
    if (p[0] >> 4 != 4) return fail(out, "IP version is not 4");
    const std::size_t hlen = std::size_t{p[0] & 0x0fu} * 4;
    if (hlen < kIpv4Header) return fail(out, "IPv4 header length below 20");
    out.ip_version = 4;
    out.src = IpAddress::v4(p + 12);
    out.dst = IpAddress::v4(p + 16);
    out.ttl = p[8];
    out.ip_id = be16(p + 4);
    const std::uint16_t frag = be16(p + 6);
    out.dont_fragment = (frag & 0x4000) != 0;
    out.ip_total_len = be16(p + 2);
    if (hlen > n) return fail(out, "truncated IPv4 header");
    // A zero total length is what TCP segmentation offload leaves in packets captured on the
    // sending host; the frame is then the only measure of the packet.
    const std::size_t total = out.ip_total_len != 0 ? out.ip_total_len : n;
    if (total < hlen) return fail(out, "IPv4 total length shorter than header");
    const std::size_t wire_len = total - hlen;
    const Bytes l4{p + hlen, std::min(n, total) - hlen};
    const bool more_fragments = (frag & 0x2000) != 0;
    const bool later_fragment = (frag & 0x1fff) != 0;
    out.fragment = more_fragments || later_fragment;
    if (later_fragment) return set_payload(out, l4, wire_len);
    decode_transport(p[9], l4, wire_len, out);
}

void decode_ipv6(const std::uint8_t* p, std::size_t n, Packet& out) {
    if (n < kIpv6Header) return fail(out, "truncated IPv6 header");
    if (p[0] >> 4 != 6) return fail(out, "IP version is not 6");
    out.ip_version = 6;
    out.src = IpAddress::v6(p + 8);
    out.dst = IpAddress::v6(p + 24);
    out.ttl = p[7];
    const std::size_t plen = be16(p + 4);
    out.ip_total_len =
        static_cast<std::uint16_t>(std::min<std::size_t>(kIpv6Header + plen, 0xffff));
    // Zero payload length: segmentation offload or a jumbogram; either way the frame is the
    // measure.
    const std::size_t wire_len = plen != 0 ? plen : n - kIpv6Header;
    Ipv6Rest rest{p[6], Bytes{p + kIpv6Header, std::min(n - kIpv6Header, wire_len)}, wire_len};
    const char* problem = skip_ipv6_ext_headers(rest);
    out.fragment = rest.fragment;
    if (problem != nullptr) return fail(out, problem);
    if (rest.later_fragment) return set_payload(out, rest.captured, rest.wire_len);
    decode_transport(rest.next, rest.captured, rest.wire_len, out);
}

void decode_ip(int version, const std::uint8_t* p, std::size_t n, Packet& out) {
    if (version == 4) return decode_ipv4(p, n, out);
    if (version == 6) return decode_ipv6(p, n, out);
}

void decode_ethertype(std::uint16_t type, const std::uint8_t* p, std::size_t n, Packet& out) {
    while (type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQLegacy) {
        if (out.vlan_tags == kMaxVlanTags) return fail(out, "more than 4 VLAN tags");
        if (n < 4) return fail(out, "truncated VLAN tag");
        type = be16(p + 2);
        p += 4;
        n -= 4;
        ++out.vlan_tags;
    }
    if (type == kEtherIpv4) return decode_ipv4(p, n, out);
    if (type == kEtherIpv6) return decode_ipv6(p, n, out);
}

void decode_raw(const std::uint8_t* p, std::size_t n, int expected_version, Packet& out) {
    if (n == 0) return fail(out, "empty raw IP frame");
    const int version = p[0] >> 4;
    if (expected_version != 0 && version != expected_version) {
        return fail(out, expected_version == 4 ? "IP version is not 4" : "IP version is not 6");
    }
    if (version != 4 && version != 6) return fail(out, "raw IP frame is neither IPv4 nor IPv6");
    decode_ip(version, p, n, out);
}

int loopback_ip_version(std::uint32_t family) {
    if (family == kFamilyInet) return 4;
    if (family == kFamilyInet6Bsd || family == kFamilyInet6FreeBsd || family == kFamilyInet6Darwin)
        return 6;
    return 0;
}

void reset(Packet& out) {
    const std::uint64_t number = out.number;
    const double time = out.time;
    const std::uint32_t caplen = out.caplen;
    const std::uint32_t wirelen = out.wirelen;
    out = Packet{};
    out.number = number;
    out.time = time;
    out.caplen = caplen;
    out.wirelen = wirelen;
}

}  // namespace

bool link_type_supported(int link_type) {
    switch (link_type) {
    case kLinkNull:
    case kLinkEthernet:
    case kLinkRaw:
    case kLinkRawDlt12:
    case kLinkRawDlt14:
    case kLinkLoop:
    case kLinkSll:
    case kLinkSll2:
    case kLinkIpv4:
    case kLinkIpv6: return true;
    default: return false;
    }
}

const char* link_type_name(int link_type) {
    switch (link_type) {
    case kLinkNull: return "NULL (BSD loopback)";
    case kLinkEthernet: return "EN10MB (Ethernet)";
    case kLinkRaw:
    case kLinkRawDlt12:
    case kLinkRawDlt14: return "RAW (raw IP)";
    case kLinkLoop: return "LOOP (OpenBSD loopback)";
    case kLinkSll: return "LINUX_SLL (Linux cooked v1)";
    case kLinkSll2: return "LINUX_SLL2 (Linux cooked v2)";
    case kLinkIpv4: return "IPV4 (raw IPv4)";
    case kLinkIpv6: return "IPV6 (raw IPv6)";
    default: break;
    }
    // Names are built once per link type and kept for the life of the process, so the returned
    // pointer stays valid like the literals above; only error paths get here.
    static std::mutex mutex;
    static std::map<int, std::string> names;
    const std::lock_guard lock(mutex);
    auto [it, inserted] = names.try_emplace(link_type);
    if (inserted) {
        const char* name = pcap_datalink_val_to_name(link_type);
        const char* description = pcap_datalink_val_to_description(link_type);
        if (name == nullptr) {
            it->second = "link type " + std::to_string(link_type);
        } else if (description == nullptr) {
            it->second = name;
        } else {
            it->second = std::string(name) + " (" + description + ")";
        }
    }
    return it->second.c_str();
}

void decode(int link_type, std::span<const std::uint8_t> frame, Packet& out) {
    reset(out);
    const std::uint8_t* p = frame.data();
    const std::size_t n = frame.size();
    switch (link_type) {
    case kLinkEthernet:
        if (n < kEthernetHeader) return fail(out, "truncated Ethernet header");
        return decode_ethertype(be16(p + 12), p + kEthernetHeader, n - kEthernetHeader, out);
    case kLinkSll:
        if (n < kSllHeader) return fail(out, "truncated Linux cooked header");
        return decode_ethertype(be16(p + 14), p + kSllHeader, n - kSllHeader, out);
    case kLinkSll2:
        if (n < kSll2Header) return fail(out, "truncated Linux cooked v2 header");
        return decode_ethertype(be16(p), p + kSll2Header, n - kSll2Header, out);
    case kLinkRaw:
    case kLinkRawDlt12:
    case kLinkRawDlt14: return decode_raw(p, n, 0, out);
    case kLinkIpv4: return decode_raw(p, n, 4, out);
    case kLinkIpv6: return decode_raw(p, n, 6, out);
    case kLinkNull: {
        if (n < kLoopbackHeader) return fail(out, "truncated loopback header");
        // The family is in the capturing host's byte order, which the file does not record; every
        // family fits in 16 bits, so a value above that must be the other order.
        std::uint32_t family = le32(p);
        if (family > 0xffff) family = be32(p);
        return decode_ip(loopback_ip_version(family), p + kLoopbackHeader, n - kLoopbackHeader,
                         out);
    }
    case kLinkLoop:
        if (n < kLoopbackHeader) return fail(out, "truncated loopback header");
        return decode_ip(loopback_ip_version(be32(p)), p + kLoopbackHeader, n - kLoopbackHeader,
                         out);
    default: return fail(out, "unsupported link type");
    }
}

}  // namespace sshpath::capture
