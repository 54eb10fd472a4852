#include "sshpath/report/timeline.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace sshpath::report {

namespace {

using flow::EventKind;

std::string ordinal(std::size_t n) {
    const char* suffix = "th";
    if (n % 100 < 11 || n % 100 > 13) {
        if (n % 10 == 1) suffix = "st";
        if (n % 10 == 2) suffix = "nd";
        if (n % 10 == 3) suffix = "rd";
    }
    return fmt::format("{}{}", n, suffix);
}

std::string options_text(const packet::TcpOptions& o) {
    std::vector<std::string> parts;
    if (o.mss >= 0) parts.push_back(fmt::format("mss {}", o.mss));
    if (o.sack_permitted) parts.push_back("sackOK");
    if (o.timestamps) parts.push_back("TS");
    if (o.wscale >= 0) parts.push_back(fmt::format("wscale {}", o.wscale));
    return fmt::format("{}", fmt::join(parts, ", "));
}

void options_json(JsonWriter& j, const packet::TcpOptions& o) {
    j.begin_object();
    if (o.mss >= 0) j.member("mss", o.mss);
    if (o.sack_permitted) j.member("sack_permitted", true);
    if (o.timestamps) j.member("timestamps", true);
    if (o.wscale >= 0) j.member("wscale", o.wscale);
    j.end_object();
}

}  // namespace

std::string describe(const flow::TimelineEvent& e) {
    switch (e.kind) {
    case EventKind::kSyn: return fmt::format("SYN ({}) ttl {}", options_text(e.options), e.ttl);
    case EventKind::kSynRetransmit:
        return fmt::format("SYN retransmitted ({}), {:.3f} s after the first{}", ordinal(e.count), e.after_s,
                           e.has(flow::kAfterSynack) ? ", after a SYN-ACK arrived" : "");
    case EventKind::kSynAck:
        return fmt::format("SYN-ACK{} ({}) ttl {}{}", e.has(flow::kAgain) ? " again" : "", options_text(e.options), e.ttl,
                           e.has(flow::kNotOurs) ? ", not acknowledging the client's SYN" : "");
    case EventKind::kRst:
        return fmt::format("RST{} ttl {} seq {}{}", e.has(flow::kHasAck) ? "+ACK" : "", e.ttl, e.number,
                           e.has(flow::kOutOfWindow) ? " (sequence number outside the window)" : "");
    case EventKind::kHandshakeAck: return "ACK: handshake complete";
    case EventKind::kDupAck: return fmt::format("duplicate ACK ({})", ordinal(e.count));
    case EventKind::kHoleFill:
        return fmt::format("{} bytes filling a gap at offset {} (their first copy never arrived)", e.count, e.number);
    case EventKind::kRetransmit:
        return fmt::format("{} bytes at offset {} retransmitted{}", e.count, e.number,
                           e.has(flow::kLastListed) ? " (further retransmissions not listed)" : "");
    case EventKind::kFirstData: return fmt::format("first data, {} bytes: \"{}\"", e.count, e.text);
    case EventKind::kFin: return fmt::format("FIN ttl {}", e.ttl);
    case EventKind::kIcmp:
        return fmt::format("ICMP{} type {} code {} from {} ttl {}{}, quoting the {}'s packet", e.has(flow::kIcmpV6) ? "v6" : "",
                           e.icmp_type, e.icmp_code, e.source.to_string(), e.ttl,
                           e.mtu ? fmt::format(", mtu {}", e.mtu) : "", e.has(flow::kQuotesClient) ? "client" : "server");
    }
    return {};
}

void event_fields(JsonWriter& j, const flow::TimelineEvent& e) {
    j.member("event", flow::event_name(e.kind));
    switch (e.kind) {
    case EventKind::kSyn:
        j.member("ttl", e.ttl);
        j.key("options");
        options_json(j, e.options);
        break;
    case EventKind::kSynRetransmit:
        j.member("retransmission", e.count);
        j.member("after_first_s", std::round(e.after_s * 1000) / 1000);
        j.member("after_synack", e.has(flow::kAfterSynack));
        break;
    case EventKind::kSynAck:
        j.member("ttl", e.ttl);
        j.key("options");
        options_json(j, e.options);
        j.member("again", e.has(flow::kAgain));
        j.member("acknowledges_syn", !e.has(flow::kNotOurs));
        break;
    case EventKind::kRst:
        j.member("ttl", e.ttl);
        j.member("seq", e.number);
        j.member("ack_flag", e.has(flow::kHasAck));
        j.member("in_window", !e.has(flow::kOutOfWindow));
        break;
    case EventKind::kDupAck: j.member("duplicate", e.count); break;
    case EventKind::kHoleFill:
    case EventKind::kRetransmit:
        j.member("bytes", e.count);
        j.member("offset", e.number);
        break;
    case EventKind::kFirstData:
        j.member("bytes", e.count);
        j.member("first_line", e.text);
        break;
    case EventKind::kFin: j.member("ttl", e.ttl); break;
    case EventKind::kIcmp:
        j.member("icmp_version", e.has(flow::kIcmpV6) ? 6 : 4);
        j.member("type", e.icmp_type);
        j.member("code", e.icmp_code);
        j.member("source", e.source.to_string());
        j.member("ttl", e.ttl);
        if (e.mtu) j.member("mtu", e.mtu);
        j.member("quotes", e.has(flow::kQuotesClient) ? "client" : "server");
        break;
    case EventKind::kHandshakeAck: break;
    }
}

}  // namespace sshpath::report
