#include "sshpath/probe/types.h"

#include "sshpath/evidence/extract.h"

namespace sshpath::probe {

std::string_view reply_kind_name(ReplyKind kind) {
    switch (kind) {
    case ReplyKind::kNone: return "none";
    case ReplyKind::kTimeExceeded: return "time-exceeded";
    case ReplyKind::kUnreachable: return "unreachable";
    case ReplyKind::kOtherIcmp: return "icmp";
    case ReplyKind::kSynAck: return "syn-ack";
    case ReplyKind::kRst: return "rst";
    }
    return "none";
}

std::string_view trace_role_name(TraceRole role) {
    switch (role) {
    case TraceRole::kPort: return "port";
    case TraceRole::kControl: return "control";
    case TraceRole::kLastHop: return "last-hop";
    }
    return "port";
}

int hops_from_ttl(int ttl) { return ttl < 0 ? -1 : evidence::hop_distance(ttl); }

std::string icmp_kind_name(int ip_version, int type, int code) { return evidence::icmp_kind_name(ip_version, type, code); }

bool is_private(const IpAddress& a) {
    const auto& b = a.bytes;
    if (a.version == 4) {
        return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
               (b[0] == 100 && (b[1] & 0xc0) == 64) || (b[0] == 169 && b[1] == 254);
    }
    if (a.version == 6) {
        const bool loopback = [&] {
            for (int i = 0; i < 15; ++i)
                if (b[i] != 0) return false;
            return b[15] == 1;
        }();
        return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || loopback;
    }
    return false;
}

}  // namespace sshpath::probe
