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

std::string_view trace_stop_name(TraceStop stop) {
    switch (stop) {
    case TraceStop::kNotStopped: return "";
    case TraceStop::kAnswered: return "answered";
    case TraceStop::kGapLimit: return "gap limit";
    case TraceStop::kMaxHops: return "max hops";
    case TraceStop::kTimeLimit: return "time limit";
    case TraceStop::kInterrupted: return "interrupted";
    }
    return "";
}

std::string_view connect_result_name(ConnectResult result) {
    switch (result) {
    case ConnectResult::kNotRun: return "not-run";
    case ConnectResult::kConnected: return "connected";
    case ConnectResult::kRefused: return "refused";
    case ConnectResult::kTimeout: return "timeout";
    case ConnectResult::kUnreachable: return "unreachable";
    case ConnectResult::kError: return "error";
    }
    return "error";
}

std::string_view banner_outcome_name(BannerOutcome outcome) {
    switch (outcome) {
    case BannerOutcome::kNone: return "";
    case BannerOutcome::kSsh: return "ssh";
    case BannerOutcome::kClosed: return "closed";
    case BannerOutcome::kReset: return "reset";
    case BannerOutcome::kTimeout: return "timeout";
    case BannerOutcome::kNotSsh: return "not-ssh";
    }
    return "";
}

std::string_view after_banner_name(AfterBanner after) {
    switch (after) {
    case AfterBanner::kNone: return "";
    case AfterBanner::kData: return "data";
    case AfterBanner::kNothing: return "nothing";
    case AfterBanner::kClosed: return "closed";
    case AfterBanner::kReset: return "reset";
    }
    return "";
}

std::string_view first_bytes_name(FirstBytes kind) {
    switch (kind) {
    case FirstBytes::kNone: return "";
    case FirstBytes::kSsh: return "ssh";
    case FirstBytes::kHttp: return "http";
    case FirstBytes::kTls: return "tls";
    case FirstBytes::kText: return "text";
    case FirstBytes::kBinary: return "binary";
    }
    return "";
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
