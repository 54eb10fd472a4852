#include <algorithm>

#include "layers.h"

namespace sshpath::packet::detail {
namespace {

constexpr std::uint8_t kIpv6HopByHop = 0;
constexpr std::uint8_t kIpv6Routing = 43;
constexpr std::uint8_t kIpv6Fragment = 44;
constexpr std::uint8_t kIpv6DestOptions = 60;
// Real packets carry at most a handful; the cap keeps the loop bounded on crafted input.
constexpr int kMaxIpv6ExtHeaders = 8;

bool is_ipv6_ext_header(std::uint8_t next) {
    return next == kIpv6HopByHop || next == kIpv6Routing || next == kIpv6Fragment || next == kIpv6DestOptions;
}

}  // namespace

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

void decode_ipv6(Bytes bytes, Packet& out) {
    if (bytes.size() < kIpv6Header) return fail(out, "truncated IPv6 header");
    if (bytes[0] >> 4 != 6) return fail(out, "IP version is not 6");
    IpFields h;
    read_ip_header(bytes, h);
    out.ip_version = 6;
    out.src = h.src;
    out.dst = h.dst;
    out.ttl = h.ttl;
    const std::size_t n = bytes.size();
    out.ip_total_len = static_cast<std::uint16_t>(std::min<std::size_t>(kIpv6Header + h.length, 0xffff));
    // Zero payload length: segmentation offload or a jumbogram; either way the frame is the
    // measure.
    const std::size_t wire_len = h.length != 0 ? h.length : n - kIpv6Header;
    Ipv6Rest rest{h.protocol, bytes.subspan(kIpv6Header, std::min(n - kIpv6Header, wire_len)), wire_len};
    const char* problem = skip_ipv6_ext_headers(rest);
    out.fragment = rest.fragment;
    if (problem != nullptr) return fail(out, problem);
    if (rest.later_fragment) {
        out.transport_bytes = rest.captured;
        return set_payload(out, rest.captured, rest.wire_len);
    }
    decode_transport(rest.next, rest.captured, rest.wire_len, out);
}

}  // namespace sshpath::packet::detail
