#include <algorithm>

#include "layers.h"

namespace sshpath::packet::detail {

void decode_ipv4(Bytes bytes, Packet& out) {
    if (bytes.size() < kIpv4Header) return fail(out, "truncated IPv4 header");
    if (bytes[0] >> 4 != 4) return fail(out, "IP version is not 4");
    IpFields h;
    const char* problem = read_ip_header(bytes, h);
    if (h.header_len < kIpv4Header) return fail(out, problem);
    out.ip_version = 4;
    out.src = h.src;
    out.dst = h.dst;
    out.ttl = h.ttl;
    out.ip_id = h.id;
    out.dont_fragment = h.df;
    out.ip_total_len = h.length;
    if (problem != nullptr) return fail(out, problem);
    // A zero total length is what TCP segmentation offload leaves in packets captured on the
    // sending host; the frame is then the only measure of the packet.
    const std::size_t n = bytes.size();
    const std::size_t total = h.length != 0 ? h.length : n;
    if (total < h.header_len) return fail(out, "IPv4 total length shorter than header");
    const std::size_t wire_len = total - h.header_len;
    const Bytes l4 = bytes.subspan(h.header_len, std::min(n, total) - h.header_len);
    out.fragment = h.mf || h.fragment_offset != 0;
    if (h.fragment_offset != 0) {
        out.transport_bytes = l4;
        return set_payload(out, l4, wire_len);
    }
    decode_transport(h.protocol, l4, wire_len, out);
}

}  // namespace sshpath::packet::detail
