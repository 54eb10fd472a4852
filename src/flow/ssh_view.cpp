#include <algorithm>

#include "flow_table.h"

namespace sshpath::flow::detail {
namespace {

// The packet that carried stream byte `offset`.
std::optional<PacketRef> packet_at(const Direction& d, std::uint64_t offset) {
    std::optional<PacketRef> found;
    for (const auto& [off, ref] : d.segments) {
        if (off <= offset)
            found = ref;
        else
            break;
    }
    return found;
}

}  // namespace

SshView view_of(const Flow& f, bool details) {
    SshView v;
    // A subflow joining an MPTCP connection (MP_JOIN) carries the middle of that connection's
    // byte stream: no identification string, and its bytes are no lines before one.
    if (f.wire.mptcp.join) return v;
    std::span<const std::uint8_t> cs(f.c2s.stream), ss(f.s2c.stream);
    std::size_t c_off = 0, s_off = 0;
    v.proxy_request = ssh::parse_proxy_request(cs);
    if (v.proxy_request.kind != ssh::ProxyKind::kNone) {
        v.proxy_request_ref = packet_at(f.c2s, 0);
        if (v.proxy_request.complete) c_off = v.proxy_request.consumed;
        v.proxy_reply = ssh::parse_proxy_reply(v.proxy_request.kind, ss);
        if (v.proxy_reply.complete) {
            v.proxy_reply_ref = packet_at(f.s2c, 0);
            s_off = v.proxy_reply.granted ? v.proxy_reply.consumed : ss.size();
        } else {
            s_off = ss.size();
        }
        if (!v.proxy_reply.granted) c_off = cs.size();
    }
    auto c_stream = cs.subspan(std::min(c_off, cs.size())), s_stream = ss.subspan(std::min(s_off, ss.size()));
    v.client = ssh::read_direction(c_stream, false, true, details);
    v.server = ssh::read_direction(s_stream, true, true, details);
    if (v.client.banner && v.server.banner && ssh::is_ssh1_conversation(*v.client.banner, *v.server.banner)) {
        v.ssh1 = true;
        v.client = ssh::read_direction(c_stream, false, false, details);
        v.server = ssh::read_direction(s_stream, true, false, details);
    }
    if (v.client.banner) v.client_banner_ref = packet_at(f.c2s, c_off + v.client.banner_end - 1);
    if (v.server.banner) v.server_banner_ref = packet_at(f.s2c, s_off + v.server.banner_end - 1);
    if (v.client.kexinit) v.client_kexinit_ref = packet_at(f.c2s, c_off + v.client.kexinit_end - 1);
    if (v.server.kexinit) v.server_kexinit_ref = packet_at(f.s2c, s_off + v.server.kexinit_end - 1);
    if (v.client.kexinit && v.server.kexinit) v.negotiated = ssh::negotiate(*v.client.kexinit, *v.server.kexinit);
    if (v.server.disconnect) {
        v.disconnect_ref = packet_at(f.s2c, s_off + v.server.disconnect_end - 1);
        v.disconnect_from_server = true;
    } else if (v.client.disconnect) {
        v.disconnect_ref = packet_at(f.c2s, c_off + v.client.disconnect_end - 1);
    }
    return v;
}

}  // namespace sshpath::flow::detail
