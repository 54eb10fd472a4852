#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "sshpath/capture/reader.h"
#include "sshpath/core/byte_order.h"
#include "sshpath/report/anonymize.h"

namespace sshpath::report {

namespace {

using packet::IpAddress;
using packet::MacAddress;
using Span = std::span<std::uint8_t>;

constexpr std::size_t kStreamCap = 64 * 1024;  // bytes of each TCP stream read for what to keep

void put16(std::uint8_t* p, std::uint16_t v) { p[0] = static_cast<std::uint8_t>(v >> 8), p[1] = static_cast<std::uint8_t>(v); }

void zero(Span s) { std::memset(s.data(), 0, s.size()); }

std::uint32_t sum16(std::span<const std::uint8_t> b, std::uint32_t sum = 0) {
    std::size_t i = 0;
    for (; i + 1 < b.size(); i += 2) sum += be16(b.data() + i);
    if (i < b.size()) sum += std::uint32_t{b[i]} << 8;
    return sum;
}
std::uint16_t fold(std::uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}
// The pseudo-header sum of TCP, UDP and ICMPv6 (RFC 9293, RFC 8200 8.1).
std::uint32_t pseudo(const IpAddress& src, const IpAddress& dst, std::uint8_t proto, std::size_t length) {
    const std::size_t n = src.version == 4 ? 4 : 16;
    std::uint32_t sum = sum16({src.bytes.data(), n}) + sum16({dst.bytes.data(), n});
    return sum + proto + static_cast<std::uint32_t>(length & 0xffff) + static_cast<std::uint32_t>(length >> 16);
}

bool printable_line(std::span<const std::uint8_t> line) {
    for (auto c : line)
        if (c < 0x20 && c != '\t' && c != '\r') return false;
    return true;
}

}  // namespace

struct CaptureAnonymizer::Impl {
    struct Key {
        IpAddress src, dst;
        std::uint16_t sport = 0, dport = 0;
        bool operator<(const Key& o) const { return std::tie(src, dst, sport, dport) < std::tie(o.src, o.dst, o.sport, o.dport); }
    };

    // One direction of a TCP connection: its first bytes, then which of them are kept.
    struct Stream {
        bool base_known = false, client = false, syn_seen = false;
        std::uint32_t base = 0;
        std::vector<std::uint8_t> data, have;
        std::vector<std::uint8_t> keep;  // after decide(): 1 where data (as rewritten) is kept
    };

    const AddressMap& map;
    std::map<Key, Stream> streams;

    // Keeps bytes [from, to) of the stream; text has its addresses mapped (same length).
    static void keep(Stream& s, std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to && i < s.keep.size(); ++i) s.keep[i] = 1;
    }
    void keep_text(Stream& s, std::size_t from, std::size_t to) const {
        to = std::min(to, s.keep.size());
        if (from >= to) return;
        const std::string text(s.data.begin() + static_cast<std::ptrdiff_t>(from), s.data.begin() + static_cast<std::ptrdiff_t>(to));
        const std::string mapped = map.map_text(text, true);
        if (mapped.size() == text.size()) std::memcpy(s.data.data() + from, mapped.data(), mapped.size());
        keep(s, from, to);
    }
    void keep_address(Stream& s, std::size_t at, std::size_t n) const {
        if (at + n > s.keep.size()) return;
        const IpAddress a = n == 4 ? IpAddress::v4(s.data.data() + at) : IpAddress::v6(s.data.data() + at);
        std::memcpy(s.data.data() + at, map.map(a).bytes.data(), n);
        keep(s, at, at + n);
    }

    // SOCKS 4/5 handshakes: lengths, codes and mapped addresses; names and user ids as x's.
    std::size_t socks(Stream& s, std::size_t n) const {
        const std::uint8_t* d = s.data.data();
        if (d[0] == 4 && n >= 8 && s.client) {
            keep(s, 0, 4);
            keep_address(s, 4, 4);
            std::size_t at = 8;
            for (int field = 0; field < (d[4] == 0 && d[5] == 0 && d[6] == 0 ? 2 : 1); ++field) {
                while (at < n && d[at] != 0) s.data[at] = 'x', s.keep[at] = 1, ++at;
                if (at < n) s.keep[at++] = 1;
            }
            return at;
        }
        if (d[0] == 0 && n >= 8 && !s.client) {
            keep(s, 0, 4);
            keep_address(s, 4, 4);
            return 8;
        }
        if (d[0] != 5) return 0;
        std::size_t at = 0;
        if (s.client) {
            if (n < 2u + d[1]) return 0;
            keep(s, 0, 2u + d[1]);
            at = 2u + d[1];
        } else {
            keep(s, 0, 2);
            at = 2;
        }
        if (at + 5 > n || d[at] != 5) return at;
        keep(s, at, at + 4);
        const std::uint8_t type = d[at + 3];
        at += 4;
        if (type == 1 || type == 4) {
            keep_address(s, at, type == 1 ? 4 : 16);
            at += type == 1 ? 4 : 16;
        } else if (type == 3) {
            const std::size_t len = d[at];
            keep(s, at, at + 1);
            for (std::size_t i = 0; i < len && at + 1 + i < n; ++i) s.data[at + 1 + i] = 'x', s.keep[at + 1 + i] = 1;
            at += 1 + len;
        }
        keep(s, at, at + 2);
        return at + 2;
    }

    // What the analysis reads in the clear, in the order it comes.
    void decide(Stream& s) const {
        std::size_t n = 0;
        while (n < s.have.size() && s.have[n]) ++n;
        s.keep.assign(n, 0);
        if (n == 0) return;
        const std::uint8_t* d = s.data.data();
        std::size_t pos = socks(s, n);
        // Lines: an HTTP proxy's request or reply, text before the identification string, the
        // identification string itself.
        for (int lines = 0; pos < n && lines < 1100; ++lines) {
            const auto* nl = static_cast<const std::uint8_t*>(std::memchr(d + pos, '\n', n - pos));
            const std::size_t end = nl ? static_cast<std::size_t>(nl - d) + 1 : n;
            if (!printable_line({d + pos, end - (nl ? 1 : 0) - pos})) {
                if (lines == 0 && pos == 0) keep(s, 0, std::min<std::size_t>(n, 6));  // e.g. a TLS record header
                if (lines == 0) return;
                break;
            }
            keep_text(s, pos, end);
            const bool identification = end - pos >= 4 && std::memcmp(d + pos, "SSH-", 4) == 0;
            pos = end;
            if (identification) break;
        }
        // Binary packets up to NEWKEYS: lengths and message numbers, KEXINIT's algorithm lists
        // (its cookie zeroed), a disconnect's reason.
        while (pos + 6 <= n) {
            const std::uint32_t len = be32(d + pos);
            const std::uint8_t padding = d[pos + 4], msg = d[pos + 5];
            if (len < 5 || len > 35000 || padding >= len) break;
            keep(s, pos, pos + 6);
            const std::size_t payload_end = pos + 4 + len - padding;
            if (msg == 20) keep(s, pos + 6 + 16, payload_end);
            if (msg == 1) keep(s, pos + 6, payload_end);
            pos += 4 + len;
            if (msg == 21) break;
        }
    }

    void learn_packet(const packet::Packet& p) {
        if (p.transport != packet::Transport::kTcp || p.ip_version == 0) return;
        Stream& s = streams[Key{p.src, p.dst, p.tcp.sport, p.tcp.dport}];
        if (p.tcp.has(packet::kSyn)) {
            s.base = p.tcp.seq + 1, s.base_known = true, s.syn_seen = true;
            s.client = !p.tcp.has(packet::kAck);
            return;
        }
        if (p.payload.empty()) return;
        if (!s.base_known) {
            s.base = p.tcp.seq, s.base_known = true;
            s.client = p.tcp.dport < p.tcp.sport;
        }
        const std::uint32_t offset = p.tcp.seq - s.base;
        if (offset >= kStreamCap) return;
        const std::size_t end = std::min<std::size_t>(kStreamCap, offset + p.payload.size());
        if (s.data.size() < end) s.data.resize(end), s.have.resize(end);
        std::memcpy(s.data.data() + offset, p.payload.data(), end - offset);
        std::fill(s.have.begin() + offset, s.have.begin() + static_cast<std::ptrdiff_t>(end), 1);
    }

    // --- the second pass: one frame ---------------------------------------------------------

    void tcp_payload(const IpAddress& src, const IpAddress& dst, std::uint16_t sport, std::uint16_t dport, std::uint32_t seq,
                     Span payload) const {
        const auto it = streams.find(Key{src, dst, sport, dport});
        if (it == streams.end() || !it->second.base_known) return zero(payload);
        const Stream& s = it->second;
        const std::uint32_t offset = seq - s.base;
        for (std::size_t i = 0; i < payload.size(); ++i) {
            const std::size_t o = static_cast<std::size_t>(offset) + i;
            payload[i] = offset < kStreamCap && o < s.keep.size() && s.keep[o] ? s.data[o] : 0;
        }
    }

    void mac_at(std::uint8_t* p) const {
        const MacAddress m = map.map(MacAddress::from(p));
        std::memcpy(p, m.bytes.data(), 6);
    }

    void ethernet(Span f) const {
        if (f.size() < 14) return zero(f);
        mac_at(f.data());
        mac_at(f.data() + 6);
        std::size_t at = 12;
        std::uint16_t type = be16(f.data() + at);
        for (int tags = 0; (type == 0x8100 || type == 0x88a8 || type == 0x9100) && tags < 2 && at + 6 <= f.size(); ++tags) {
            at += 4;
            type = be16(f.data() + at);
        }
        ethertype(type, f.subspan(at + 2));
    }

    void ethertype(std::uint16_t type, Span b) const {
        if (type == 0x0800 || type == 0x86dd) return ip(b, false);
        if (type == 0x0806 && b.size() >= 28 && be16(b.data()) == 1 && be16(b.data() + 2) == 0x0800 && b[4] == 6 && b[5] == 4) {
            mac_at(b.data() + 8);
            address(b.data() + 14, 4);
            mac_at(b.data() + 18);
            address(b.data() + 24, 4);
            return zero(b.subspan(28));
        }
        zero(b);
    }

    void address(std::uint8_t* p, std::size_t n) const {
        const IpAddress a = n == 4 ? IpAddress::v4(p) : IpAddress::v6(p);
        std::memcpy(p, map.map(a).bytes.data(), n);
    }

    // An IP packet; `quoted`: the start of a packet an ICMP error quotes (its payload is cut).
    void ip(Span b, bool quoted) const {
        if (b.empty()) return;
        const int version = b[0] >> 4;
        std::size_t header = 0, claimed = 0;
        std::uint8_t proto = 0;
        bool later_fragment = false;
        if (version == 4 && b.size() >= 20) {
            header = static_cast<std::size_t>(b[0] & 0x0f) * 4;
            if (header < 20 || header > b.size()) return zero(b.subspan(std::min<std::size_t>(20, b.size())));
            claimed = be16(b.data() + 2);
            proto = b[9];
            later_fragment = (be16(b.data() + 6) & 0x1fff) != 0;
        } else if (version == 6 && b.size() >= 40) {
            header = 40;
            claimed = 40u + be16(b.data() + 4);
            proto = b[6];
            // Hop-by-hop, routing, destination options, fragment: skipped.
            while ((proto == 0 || proto == 43 || proto == 60 || proto == 44) && header + 8 <= b.size()) {
                const std::size_t len = proto == 44 ? 8 : (static_cast<std::size_t>(b[header + 1]) + 1) * 8;
                if (proto == 44) later_fragment = (be16(b.data() + header + 2) & 0xfff8) != 0;
                proto = b[header];
                header += len;
            }
            if (header > b.size()) return zero(b.subspan(40));
        } else {
            return zero(b);
        }
        const std::size_t n = version == 4 ? 4 : 16;
        const std::size_t src_at = version == 4 ? 12 : 8, dst_at = version == 4 ? 16 : 24;
        const IpAddress src = version == 4 ? IpAddress::v4(b.data() + src_at) : IpAddress::v6(b.data() + src_at);
        const IpAddress dst = version == 4 ? IpAddress::v4(b.data() + dst_at) : IpAddress::v6(b.data() + dst_at);
        const std::size_t end = std::min(b.size(), std::max(claimed, header));
        Span body = b.subspan(header, end - header);
        const bool whole = !quoted && claimed <= b.size();
        address(b.data() + src_at, n);
        address(b.data() + dst_at, n);
        const IpAddress msrc = version == 4 ? IpAddress::v4(b.data() + src_at) : IpAddress::v6(b.data() + src_at);
        const IpAddress mdst = version == 4 ? IpAddress::v4(b.data() + dst_at) : IpAddress::v6(b.data() + dst_at);
        if (later_fragment)
            zero(body);
        else
            transport(proto, body, src, dst, msrc, mdst, quoted, whole);
        zero(b.subspan(end));
        if (version == 4) {
            put16(b.data() + 10, 0);
            put16(b.data() + 10, fold(sum16({b.data(), header})));
        }
    }

    void transport(std::uint8_t proto, Span t, const IpAddress& src, const IpAddress& dst, const IpAddress& msrc,
                   const IpAddress& mdst, bool quoted, bool whole) const {
        switch (proto) {
        case 6: {
            if (t.size() < 20) return;
            const std::size_t header = std::min<std::size_t>(t.size(), static_cast<std::size_t>(t[12] >> 4) * 4);
            mptcp_addresses(t.subspan(20, header > 20 ? header - 20 : 0));
            if (quoted)
                zero(t.subspan(header));
            else
                tcp_payload(src, dst, be16(t.data()), be16(t.data() + 2), be32(t.data() + 4), t.subspan(header));
            if (whole && !quoted) {
                put16(t.data() + 16, 0);
                put16(t.data() + 16, fold(sum16(t, pseudo(msrc, mdst, 6, t.size()))));
            }
            return;
        }
        case 17: {
            if (t.size() < 8) return;
            const std::uint16_t dport = be16(t.data() + 2);
            Span body = t.subspan(8);
            if (quoted) {
                zero(body);
            } else if (dport == 4789 && body.size() >= 8) {
                ethernet(body.subspan(8));
            } else if (dport == 6081 && body.size() >= 8) {
                const std::size_t opts = static_cast<std::size_t>(body[0] & 0x3f) * 4;
                if (8 + opts > body.size()) return zero(body);
                zero(body.subspan(8, opts));
                const std::uint16_t type = be16(body.data() + 2);
                if (type == 0x6558)
                    ethernet(body.subspan(8 + opts));
                else
                    ethertype(type, body.subspan(8 + opts));
            } else {
                zero(body);
            }
            if (whole && !quoted && !(msrc.version == 4 && be16(t.data() + 6) == 0)) {
                put16(t.data() + 6, 0);
                std::uint16_t sum = fold(sum16(t, pseudo(msrc, mdst, 17, t.size())));
                put16(t.data() + 6, sum == 0 ? 0xffff : sum);
            }
            return;
        }
        case 1:
        case 58: icmp(proto == 58, t, msrc, mdst, quoted, whole); return;
        case 4:
        case 41:
            if (!quoted) ip(t, false);
            return;
        case 47:
            if (!quoted) gre(t);
            return;
        default: zero(t);
        }
    }

    // MPTCP ADD_ADDR (RFC 8684 3.4.1) carries an address: kind 30, subtype 3, address id, address.
    void mptcp_addresses(Span options) const {
        std::size_t at = 0;
        while (at < options.size()) {
            const std::uint8_t kind = options[at];
            if (kind == 0) break;
            if (kind == 1) {
                ++at;
                continue;
            }
            if (at + 2 > options.size() || options[at + 1] < 2 || at + options[at + 1] > options.size()) break;
            const std::size_t len = options[at + 1];
            if (kind == 30 && len >= 8 && (options[at + 2] >> 4) == 3) {
                const bool v4 = len == 8 || len == 10 || len == 16 || len == 18;
                if (v4 || len >= 20) address(options.data() + at + 4, v4 ? 4 : 16);
            }
            at += len;
        }
    }

    void icmp(bool v6, Span t, const IpAddress& msrc, const IpAddress& mdst, bool quoted, bool whole) const {
        if (t.size() < 8) return;
        const std::uint8_t type = t[0];
        const bool error = v6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        if (quoted) {
            zero(t.subspan(8));
        } else if (error) {
            ip(t.subspan(8), true);
        } else if (v6 && type >= 133 && type <= 137) {
            std::size_t options = type == 133 ? 8 : type == 134 ? 16 : type == 137 ? 40 : 24;
            if (type >= 135 && t.size() >= 24) address(t.data() + 8, 16);
            if (type == 137 && t.size() >= 40) address(t.data() + 24, 16);
            while (options + 8 <= t.size() && t[options + 1] != 0) {
                const std::size_t len = static_cast<std::size_t>(t[options + 1]) * 8;
                if (options + len > t.size()) break;
                const std::uint8_t kind = t[options];
                if ((kind == 1 || kind == 2) && len >= 8) mac_at(t.data() + options + 2);
                if (kind == 3 && len >= 32) address(t.data() + options + 16, 16);
                if (kind == 4) zero(t.subspan(options + 8, len - 8));
                options += len;
            }
        } else {
            zero(t.subspan(8));
        }
        if (!whole) return;
        put16(t.data() + 2, 0);
        put16(t.data() + 2, fold(sum16(t, v6 ? pseudo(msrc, mdst, 58, t.size()) : 0)));
    }

    void gre(Span g) const {
        if (g.size() < 4) return zero(g);
        const std::uint16_t flags = be16(g.data()), proto = be16(g.data() + 2);
        std::size_t len = 4 + ((flags & 0x8000) ? 4 : 0) + ((flags & 0x2000) ? 4 : 0) + ((flags & 0x1000) ? 4 : 0);
        if ((flags & 0x4007) != 0 || len > g.size()) return zero(g.subspan(4));
        Span body = g.subspan(len);
        if (proto == 0x6558) return ethernet(body);
        if (proto == 0x88be) return ethernet((flags & 0x1000) && body.size() >= 8 ? body.subspan(8) : body);
        if (proto == 0x22eb && body.size() >= 12) {
            const std::size_t header = 12 + ((body[11] & 1) ? 8 : 0);
            if (header > body.size()) return zero(body);
            zero(body.subspan(12, header - 12));
            return ((body[10] >> 2) & 0x1f) == 0 ? ethernet(body.subspan(header)) : ip(body.subspan(header), false);
        }
        ethertype(proto, body);
    }

    void frame(int link_type, Span f) const {
        switch (link_type) {
        case packet::kLinkEthernet: return ethernet(f);
        case packet::kLinkSll:
            if (f.size() < 16) return zero(f);
            if (be16(f.data() + 4) == 6) mac_at(f.data() + 6);
            return ethertype(be16(f.data() + 14), f.subspan(16));
        case packet::kLinkSll2:
            if (f.size() < 20) return zero(f);
            if (f[11] == 6) mac_at(f.data() + 12);
            return ethertype(be16(f.data()), f.subspan(20));
        case packet::kLinkNull:
        case packet::kLinkLoop:
            if (f.size() < 4) return zero(f);
            return ip(f.subspan(4), false);
        default: return ip(f, false);
        }
    }
};

CaptureAnonymizer::CaptureAnonymizer(const AddressMap& map) : impl_(std::make_unique<Impl>(Impl{map, {}})) {}
CaptureAnonymizer::~CaptureAnonymizer() = default;

void CaptureAnonymizer::learn(const std::string& file) {
    capture::Reader reader(file);
    reader.for_each([this](const packet::Packet& p) { impl_->learn_packet(p); });
    for (auto& [key, stream] : impl_->streams) impl_->decide(stream);
}

capture::RewriteFrame CaptureAnonymizer::rewriter() {
    return [impl = impl_.get()](int link_type, std::span<std::uint8_t> frame) { impl->frame(link_type, frame); };
}

}  // namespace sshpath::report
