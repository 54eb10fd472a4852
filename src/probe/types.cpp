#include "sshpath/probe/types.h"

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

int hops_from_ttl(int ttl) {
    if (ttl < 0) return -1;
    const int initial = ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
    return initial - ttl;
}

std::string icmp_kind_name(int ip_version, int type, int code) {
    if (ip_version == 4) {
        if (type == 11) return "time-exceeded";
        if (type != 3) return "other";
        switch (code) {
        case 0: return "net-unreachable";
        case 1: return "host-unreachable";
        case 2: return "proto-unreachable";
        case 3: return "port-unreachable";
        case 4: return "frag-needed";
        case 9: return "net-prohibited";
        case 10: return "host-prohibited";
        case 13: return "admin-prohibited";
        default: return "other";
        }
    }
    if (type == 2) return "packet-too-big";
    if (type == 3) return "time-exceeded";
    if (type != 1) return "other";
    switch (code) {
    case 0: return "no-route";
    case 1: return "admin-prohibited";
    case 3: return "addr-unreachable";
    case 4: return "port-unreachable";
    case 5: return "admin-prohibited";  // source address failed ingress/egress policy
    case 6: return "admin-prohibited";  // reject route to destination
    default: return "other";
    }
}

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
