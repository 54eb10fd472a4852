// Fuzz target: the SSH and proxy parsers on the bytes of one direction of a connection.
//
// Input: byte 0 % 8 chooses the parser, the rest is its input:
//   0 identification string (parse_banner)        4 proxy request and the replies of every kind
//   1 KEXINIT payload (parse_kexinit)             5 two KEXINITs (split at byte 1) and negotiate()
//   2 DISCONNECT payload (parse_disconnect)       6 first-bytes classification and printable()
//   3 a server's and a client's stream (read_direction, SSH-2 and SSH-1 modes)
//   7 a client stream as the flow table reads it: proxy request, then the SSH stream after it
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "fuzz_util.h"
#include "sshpath/ssh/ssh.h"
#include "sshpath/ssh/stream.h"

namespace {

using namespace sshpath;
using ssh::Bytes;

void check_view(const ssh::DirectionView& v, Bytes in) {
    SSHPATH_FUZZ_CHECK(v.banner_end <= in.size());
    if (v.banner) SSHPATH_FUZZ_CHECK(v.banner_end > 0);
    SSHPATH_FUZZ_CHECK(v.pre_banner_lines.size() <= 64);
    if (v.kexinit) SSHPATH_FUZZ_CHECK(v.kexinit_end > v.banner_end);
    if (v.disconnect) SSHPATH_FUZZ_CHECK(v.disconnect_end > v.banner_end);
    SSHPATH_FUZZ_CHECK(v.first_line.size() <= 4 * 120 + 3);
}

void proxy(Bytes in) {
    const ssh::ProxyRequest req = ssh::parse_proxy_request(in);
    if (req.complete) SSHPATH_FUZZ_CHECK(req.consumed <= in.size() && req.kind != ssh::ProxyKind::kNone);
    SSHPATH_FUZZ_CHECK(req.target_port >= -1 && req.target_port <= 65535);
    (void)ssh::proxy_kind_name(req.kind);
    for (auto kind : {ssh::ProxyKind::kNone, ssh::ProxyKind::kHttpConnect, ssh::ProxyKind::kSocks4,
                      ssh::ProxyKind::kSocks5}) {
        const ssh::ProxyReply reply = ssh::parse_proxy_reply(kind, in);
        if (reply.complete) SSHPATH_FUZZ_CHECK(reply.consumed <= in.size());
        if (reply.granted) SSHPATH_FUZZ_CHECK(reply.complete);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const Bytes in(data + 1, size - 1);
    const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
    switch (data[0] % 8) {
    case 0: {
        const ssh::Banner b = ssh::parse_banner(text);
        SSHPATH_FUZZ_CHECK(b.valid == b.problem.empty());
        break;
    }
    case 1:
        (void)ssh::parse_kexinit(in);
        break;
    case 2:
        if (auto d = ssh::parse_disconnect(in)) (void)ssh::disconnect_reason_name(d->reason);
        break;
    case 3:
        for (bool server : {true, false})
            for (bool binary : {true, false}) check_view(ssh::read_direction(in, server, binary), in);
        break;
    case 4:
        proxy(in);
        break;
    case 5: {
        const std::size_t split = in.empty() ? 0 : in[0] % in.size();
        auto a = ssh::parse_kexinit(in.subspan(0, split)), b = ssh::parse_kexinit(in.subspan(split));
        if (a && b) {
            const ssh::Negotiated n = ssh::negotiate(*a, *b);
            if (n.no_common.empty()) SSHPATH_FUZZ_CHECK(!n.kex.empty() && !n.host_key.empty());
        }
        break;
    }
    case 6:
        (void)ssh::classify_first_bytes(in);
        SSHPATH_FUZZ_CHECK(ssh::printable(text, 80).size() <= 4 * 80 + 3);
        break;
    case 7: {
        const ssh::ProxyRequest req = ssh::parse_proxy_request(in);
        const std::size_t off = req.complete ? req.consumed : 0;
        SSHPATH_FUZZ_CHECK(off <= in.size());
        const ssh::DirectionView client = ssh::read_direction(in.subspan(off), false);
        check_view(client, in.subspan(off));
        if (client.banner) (void)ssh::is_ssh1_conversation(*client.banner, *client.banner);
        break;
    }
    }
    return 0;
}
