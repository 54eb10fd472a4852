#include "sshpath/probe/quote.h"

#include <fmt/format.h>

#include <algorithm>

#include "sshpath/core/byte_order.h"
#include "sshpath/packet/headers.h"

namespace sshpath::probe {

namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint8_t kOptEol = 0, kOptNop = 1, kOptMss = 2, kOptWscale = 3, kOptSackPermitted = 4, kOptTimestamps = 8;

const TcpOption* find_option(const HeaderFields& h, std::uint8_t kind) {
    for (const auto& o : h.options)
        if (o.kind == kind) return &o;
    return nullptr;
}

std::string option_value(const TcpOption* o) {
    if (!o) return "absent";
    switch (o->kind) {
    case kOptMss: return o->data.size() == 2 ? std::to_string(be16(o->data.data())) : "malformed";
    case kOptWscale: return o->data.size() == 1 ? std::to_string(o->data[0]) : "malformed";
    case kOptSackPermitted: return "present";
    case kOptTimestamps:
        return o->data.size() == 8 ? fmt::format("val {} ecr {}", be32(o->data.data()), be32(o->data.data() + 4)) : "malformed";
    default: return "present";
    }
}

std::string flags_text(std::uint16_t flags) {
    static constexpr const char* kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "NS"};
    std::string out;
    for (int i = 0; i < 9; ++i)
        if (flags & (1u << i)) out += (out.empty() ? "" : ",") + std::string(kNames[i]);
    if (flags >> 9) out += fmt::format("{}reserved 0x{:x}", out.empty() ? "" : ",", flags >> 9);
    return out.empty() ? "none" : out;
}

std::string hex(const std::vector<std::uint8_t>& b) {
    if (b.empty()) return "none";
    std::string out;
    for (auto c : b) out += fmt::format("{:02x}", c);
    return out;
}

}  // namespace

HeaderFields parse_headers(Bytes b) {
    HeaderFields h;
    packet::IpFields ip;
    if (packet::read_ip_header(b, ip) != nullptr) return h;
    h.valid = true;
    h.ip_version = ip.version;
    h.tos = ip.tos;
    h.flow_label = ip.flow_label;
    h.ip_length = ip.length;
    h.ip_id = ip.id;
    h.df = ip.df;
    h.ttl = ip.ttl;
    h.protocol = ip.protocol;
    h.src = ip.src;
    h.dst = ip.dst;
    h.ip_options.assign(ip.options.begin(), ip.options.end());
    if (h.protocol != 6) return h;
    const packet::TcpFields t = packet::read_tcp_header(b.subspan(ip.header_len));
    h.has_ports_seq = t.has_ports_seq;
    h.sport = t.sport;
    h.dport = t.dport;
    h.seq = t.seq;
    h.has_tcp_header = t.has_fixed;
    h.ack = t.ack;
    h.data_offset = t.data_offset;
    h.tcp_flags = t.flags;
    h.window = t.window;
    h.tcp_checksum = t.checksum;
    h.urgent = t.urgent;
    if (!t.has_options) return h;
    h.has_tcp_options = true;
    packet::TcpOptionReader reader(t.options);
    std::uint8_t kind = 0;
    Bytes data;
    while (reader.next(kind, data)) h.options.push_back({kind, std::vector<std::uint8_t>(data.begin(), data.end())});
    h.options_malformed = reader.malformed();
    return h;
}

std::string options_text(const std::vector<TcpOption>& options) {
    std::string out;
    for (const auto& o : options) {
        std::string one;
        switch (o.kind) {
        case kOptEol: one = "eol"; break;
        case kOptNop: one = "nop"; break;
        case kOptMss: one = "mss " + option_value(&o); break;
        case kOptWscale: one = "wscale " + option_value(&o); break;
        case kOptSackPermitted: one = "sackOK"; break;
        case kOptTimestamps: one = "ts"; break;
        case 5: one = "sack"; break;
        case 30: one = "mptcp"; break;
        case 34: one = "tfo"; break;
        default: one = fmt::format("opt-{}", o.kind);
        }
        out += (out.empty() ? "" : ",") + one;
    }
    return out.empty() ? "none" : out;
}

std::vector<FieldChange> compare_quote(Bytes sent_bytes, Bytes quoted_bytes) {
    std::vector<FieldChange> out;
    const HeaderFields s = parse_headers(sent_bytes);
    const HeaderFields q = parse_headers(quoted_bytes);
    if (!s.valid || !q.valid || s.ip_version != q.ip_version) return out;
    auto add = [&](std::string field, std::string sent, std::string quoted) {
        out.push_back({std::move(field), std::move(sent), std::move(quoted)});
    };
    auto num = [&](const char* field, auto a, auto b) {
        if (a != b) add(field, std::to_string(a), std::to_string(b));
    };

    // IP header.
    if (s.src != q.src) add("source-address", s.src.to_string(), q.src.to_string());
    if (s.dst != q.dst) add("destination-address", s.dst.to_string(), q.dst.to_string());
    num("dscp", s.tos >> 2, q.tos >> 2);
    num("ecn", s.tos & 3, q.tos & 3);
    if (s.ip_version == 6) num("flow-label", s.flow_label, q.flow_label);
    if (s.ip_version == 4) {
        num("ip-id", s.ip_id, q.ip_id);
        if (s.df != q.df) add("df", s.df ? "set" : "clear", q.df ? "set" : "clear");
        if (s.ip_options != q.ip_options) add("ip-options", hex(s.ip_options), hex(q.ip_options));
    }
    num("ip-length", s.ip_length, q.ip_length);
    num("protocol", s.protocol, q.protocol);
    // The router that answered got the probe with its last hop left: TTL 1 (or 0 when it
    // decremented before quoting). Anything else means a middlebox before it did not decrement
    // the TTL, or raised it.
    if (q.ttl > 1) add("ttl", std::to_string(s.ttl), std::to_string(q.ttl));
    if (s.protocol != 6 || q.protocol != 6) return out;

    // TCP header.
    const std::size_t before_tcp = out.size();
    if (s.has_ports_seq && q.has_ports_seq) {
        num("source-port", s.sport, q.sport);
        num("destination-port", s.dport, q.dport);
        num("seq", s.seq, q.seq);
    }
    if (s.has_tcp_header && q.has_tcp_header) {
        num("ack", s.ack, q.ack);
        if (s.tcp_flags != q.tcp_flags) add("tcp-flags", flags_text(s.tcp_flags), flags_text(q.tcp_flags));
        num("window", s.window, q.window);
        num("urgent", s.urgent, q.urgent);
        if (s.data_offset != q.data_offset) num("data-offset", s.data_offset * 4, q.data_offset * 4);
    }
    if (s.has_tcp_options && q.has_tcp_options) {
        if (q.options_malformed && !s.options_malformed) add("options", options_text(s.options), "malformed");
        for (std::uint8_t kind : {kOptMss, kOptWscale, kOptSackPermitted, kOptTimestamps}) {
            const TcpOption* a = find_option(s, kind);
            const TcpOption* b = find_option(q, kind);
            if ((a == nullptr) != (b == nullptr) || (a && b && a->data != b->data)) {
                const char* name = kind == kOptMss ? "mss" : kind == kOptWscale ? "wscale" : kind == kOptSackPermitted ? "sack-permitted" : "timestamps";
                add(name, option_value(a), option_value(b));
            }
        }
        auto kinds = [](const HeaderFields& h) {
            std::vector<std::uint8_t> k;
            for (const auto& o : h.options) k.push_back(o.kind);
            return k;
        };
        if (q.options_malformed == s.options_malformed && (kinds(s) != kinds(q) || std::any_of(s.options.begin(), s.options.end(), [&](const TcpOption& o) {
                return o.kind != kOptMss && o.kind != kOptWscale && o.kind != kOptSackPermitted &&
                       o.kind != kOptTimestamps && !std::count(q.options.begin(), q.options.end(), o);
            })))
            add("options", options_text(s.options), options_text(q.options));
    }
    // The TCP checksum covers the addresses and the TCP header: it changes with any of them.
    // Alone, it says something rewrote bytes we cannot see (or corrupted them).
    const bool explained = out.size() > before_tcp ||
                           std::any_of(out.begin(), out.end(), [](const FieldChange& c) { return c.field.ends_with("-address"); });
    if (s.has_tcp_header && q.has_tcp_header && !explained && s.tcp_checksum != q.tcp_checksum &&
        quoted_bytes.size() >= sent_bytes.size())
        add("tcp-checksum", fmt::format("0x{:04x}", s.tcp_checksum), fmt::format("0x{:04x}", q.tcp_checksum));
    return out;
}

}  // namespace sshpath::probe
