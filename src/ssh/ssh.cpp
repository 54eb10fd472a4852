#include "sshpath/ssh/ssh.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sshpath/core/ascii.h"
#include "sshpath/core/hash.h"

namespace sshpath::ssh {

namespace {

class Cursor {
public:
    explicit Cursor(Bytes b) : b_(b) {}
    bool u8(std::uint8_t& v) {
        if (pos_ + 1 > b_.size()) return false;
        v = b_[pos_++];
        return true;
    }
    bool u32(std::uint32_t& v) {
        if (b_.size() - pos_ < 4) return false;
        v = (std::uint32_t(b_[pos_]) << 24) | (std::uint32_t(b_[pos_ + 1]) << 16) |
            (std::uint32_t(b_[pos_ + 2]) << 8) | std::uint32_t(b_[pos_ + 3]);
        pos_ += 4;
        return true;
    }
    /// The string where it lies in the bytes (valid as long as they are).
    bool string(std::string_view& s) {
        std::uint32_t n = 0;
        if (!u32(n) || n > b_.size() - pos_) return false;
        s = std::string_view(reinterpret_cast<const char*>(b_.data() + pos_), n);
        pos_ += n;
        return true;
    }
    bool skip(std::size_t n) {
        if (n > b_.size() - pos_) return false;
        pos_ += n;
        return true;
    }

private:
    Bytes b_;
    std::size_t pos_ = 0;
};

bool starts_with(Bytes b, std::string_view prefix) {
    return b.size() >= prefix.size() && std::memcmp(b.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

std::string printable(std::string_view s, std::size_t max_len) {
    static constexpr char kHexDigits[] = "0123456789abcdef";
    // Most text is printable and short enough: one copy.
    if (s.size() <= max_len && ascii::printable(s)) return std::string(s);
    std::string out;
    out.reserve(std::min(s.size(), max_len) + 8);
    for (unsigned char c : s) {
        if (out.size() >= max_len) {
            out += "...";
            break;
        }
        if (c >= 0x20 && c < 0x7f)
            out += static_cast<char>(c);
        else if (c == '\t')
            out += "\\t";
        else
            out += {'\\', 'x', kHexDigits[c >> 4], kHexDigits[c & 0xf]};
    }
    return out;
}

Banner parse_banner(std::string_view line) {
    Banner b;
    bool had_cr = !line.empty() && line.back() == '\r';
    if (had_cr) line.remove_suffix(1);
    b.text = printable(line, 300);
    if (line.substr(0, 4) != "SSH-") {
        b.problem = "does not start with \"SSH-\"";
        return b;
    }
    std::string_view rest = line.substr(4);
    auto dash = rest.find('-');
    if (dash == std::string_view::npos) {
        b.problem = "no '-' after the protocol version";
        return b;
    }
    b.proto_version = std::string(rest.substr(0, dash));
    rest = rest.substr(dash + 1);
    auto sp = rest.find(' ');
    b.software_version = std::string(rest.substr(0, sp));
    if (sp != std::string_view::npos) b.comments = std::string(rest.substr(sp + 1));
    if (line.size() + 2 > 255)
        b.problem = "longer than 255 characters";
    else if (!had_cr)
        b.problem = "ends with LF only, not CR LF";
    else if (b.proto_version.empty() || b.proto_version.find_first_not_of("0123456789.") != std::string::npos)
        b.problem = "protocol version is not a number";
    else if (b.software_version.empty())
        b.problem = "software version is empty";
    else if (std::any_of(b.software_version.begin(), b.software_version.end(),
                         [](unsigned char c) { return c < 0x21 || c > 0x7e || c == '-'; }))
        b.problem = "software version holds a '-', space or non-printable character";
    else if (std::any_of(line.begin(), line.end(), [](unsigned char c) { return c < 0x20 || c > 0x7e; }))
        b.problem = "holds non-printable characters";
    b.valid = b.problem.empty();
    // The parts are shown in reports: escape what is not printable, as in `text`.
    b.proto_version = printable(b.proto_version, std::string::npos);
    b.software_version = printable(b.software_version, std::string::npos);
    b.comments = printable(b.comments, std::string::npos);
    return b;
}

namespace {

std::optional<KexInit> read_kexinit(Bytes payload) {
    Cursor c(payload);
    std::uint8_t msg = 0;
    if (!c.u8(msg) || msg != 20 || !c.skip(16)) return std::nullopt;
    KexInit k;
    NameList* lists[] = {&k.kex,     &k.host_key, &k.cipher_c2s,      &k.cipher_s2c,
                         &k.mac_c2s, &k.mac_s2c,  &k.compression_c2s, &k.compression_s2c};
    std::string_view s;
    for (auto* l : lists) {
        if (!c.string(s)) return std::nullopt;
        // Names are US-ASCII (RFC 4251 5); other bytes are escaped before any report shows them.
        // Read in place: a list met before is found without a copy.
        *l = ascii::printable(s) ? NameList::from_text(s) : NameList::from_text(printable(s, std::string::npos));
    }
    std::string_view ignored;
    for (int i = 0; i < 2; ++i)  // languages
        if (!c.string(ignored)) return std::nullopt;
    std::uint8_t follows = 0;
    if (!c.u8(follows)) return std::nullopt;
    k.first_kex_packet_follows = follows != 0;
    return k;
}

// The KEXINITs met, by their bytes after the cookie (which is all that is read of them): a
// server's capture holds thousands with the same lists and another cookie each. One table per
// thread (no lock), of at most kKexinitsMet messages of at most kKexinitMetLength bytes; the rest
// are read each time.
constexpr std::size_t kKexinitsMet = 64;
constexpr std::size_t kKexinitMetLength = 4096;
constexpr std::size_t kKexinitCookieEnd = 17;  // the message number and the 16-byte cookie

// The length and sixteen 8-byte words spread over the message, not every byte: two KEXINITs
// that differ elsewhere are told apart by the comparison that follows.
struct SampledHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
        std::uint64_t h = hash::mix(0, s.size());
        if (s.size() < 8) {
            for (const char c : s) h = hash::mix(h, static_cast<unsigned char>(c));
            return h;
        }
        constexpr std::size_t kSamples = 16;
        for (std::size_t i = 0; i < kSamples; ++i) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + (s.size() - 8) * i / (kSamples - 1), sizeof w);
            h = hash::mix(h, w);
        }
        return h;
    }
};

}  // namespace

std::optional<KexInit> parse_kexinit(Bytes payload) {
    if (payload.size() <= kKexinitCookieEnd || payload.size() > kKexinitMetLength || payload[0] != 20)
        return read_kexinit(payload);
    const std::string_view after_cookie(reinterpret_cast<const char*>(payload.data()) + kKexinitCookieEnd,
                                        payload.size() - kKexinitCookieEnd);
    thread_local std::unordered_map<std::string, std::optional<KexInit>, SampledHash, std::equal_to<>> met;
    if (auto it = met.find(after_cookie); it != met.end()) return it->second;
    std::optional<KexInit> k = read_kexinit(payload);
    if (met.size() < kKexinitsMet) met.emplace(after_cookie, k);
    return k;
}

Negotiated negotiate(const KexInit& client, const KexInit& server) {
    Negotiated n;
    n.kex = std::string(client.kex.first_common(server.kex));
    n.host_key = std::string(client.host_key.first_common(server.host_key));
    n.cipher = std::string(client.cipher_c2s.first_common(server.cipher_c2s));
    n.mac = std::string(client.mac_c2s.first_common(server.mac_c2s));
    n.compression = std::string(client.compression_c2s.first_common(server.compression_c2s));
    bool aead = n.cipher.find("gcm@openssh.com") != std::string::npos ||
                n.cipher.find("poly1305@openssh.com") != std::string::npos;
    if (n.kex.empty())
        n.no_common = "kex";
    else if (n.host_key.empty())
        n.no_common = "host_key";
    else if (n.cipher.empty() || client.cipher_s2c.first_common(server.cipher_s2c).empty())
        n.no_common = "cipher";
    else if (!aead && (n.mac.empty() || client.mac_s2c.first_common(server.mac_s2c).empty()))
        n.no_common = "mac";
    else if (n.compression.empty() || client.compression_s2c.first_common(server.compression_s2c).empty())
        n.no_common = "compression";
    return n;
}

std::optional<Disconnect> parse_disconnect(Bytes payload) {
    Cursor c(payload);
    std::uint8_t msg = 0;
    Disconnect d;
    if (!c.u8(msg) || msg != 1 || !c.u32(d.reason)) return std::nullopt;
    std::string_view text;
    if (c.string(text)) d.description = printable(text, 200);
    return d;
}

std::string_view disconnect_reason_name(std::uint32_t code) {
    static constexpr std::string_view names[] = {"",
                                                 "host not allowed to connect",
                                                 "protocol error",
                                                 "key exchange failed",
                                                 "reserved",
                                                 "MAC error",
                                                 "compression error",
                                                 "service not available",
                                                 "protocol version not supported",
                                                 "host key not verifiable",
                                                 "connection lost",
                                                 "by application",
                                                 "too many connections",
                                                 "auth cancelled by user",
                                                 "no more auth methods available",
                                                 "illegal user name"};
    return code < std::size(names) ? names[code] : "unknown reason";
}

std::string classify_first_bytes(Bytes data) {
    if (data.empty()) return "";
    if (starts_with(data, "SSH-")) return "ssh";
    if (starts_with(data, "HTTP/")) return "http";
    if (data.size() >= 3 && data[0] == 0x16 && data[1] == 0x03) return "tls";
    if (data[0] == 0x15 && data.size() >= 2 && data[1] == 0x03) return "tls";
    std::size_t n = std::min<std::size_t>(data.size(), 64), printable_count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto c = data[i];
        if ((c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' || c == '\t') ++printable_count;
    }
    return printable_count == n ? "text" : "binary";
}

std::string_view proxy_kind_name(ProxyKind k) {
    switch (k) {
    case ProxyKind::kNone: return "";
    case ProxyKind::kHttpConnect: return "http-connect";
    case ProxyKind::kSocks4: return "socks4";
    case ProxyKind::kSocks5: return "socks5";
    }
    return "";
}

namespace {

// Offset just past the blank line ending an HTTP head, or npos.
std::size_t http_head_end(Bytes b) {
    std::string_view s(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(b.size(), 16384));
    auto p = s.find("\r\n\r\n");
    if (p != std::string_view::npos) return p + 4;
    p = s.find("\n\n");
    return p == std::string_view::npos ? std::string_view::npos : p + 2;
}

std::string ipv4_text(const std::uint8_t* p) { return fmt::format("{}.{}.{}.{}", p[0], p[1], p[2], p[3]); }

std::string ipv6_text(const std::uint8_t* p) {
    std::string s;
    for (int i = 0; i < 16; i += 2) s += fmt::format("{}{:x}", i ? ":" : "", (p[i] << 8) | p[i + 1]);
    return s;
}

ProxyRequest parse_http_connect(Bytes b) {
    ProxyRequest r;
    r.kind = ProxyKind::kHttpConnect;
    auto end = http_head_end(b);
    std::string_view s(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(b.size(), 16384));
    auto eol = s.find('\n');
    if (eol == std::string_view::npos) return r;
    std::string_view line = s.substr(8, eol - 8);  // after "CONNECT "
    auto sp = line.find(' ');
    std::string_view authority = line.substr(0, sp);
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
        std::string_view host = authority.substr(0, colon), port = authority.substr(colon + 1);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
        r.target_host = printable(host, 255);
        int v = 0;
        bool ok = !port.empty() && port.size() <= 5;
        // Stop at the first non-digit: a long port string must not overflow v.
        for (std::size_t i = 0; ok && i < port.size(); ++i) {
            ok = port[i] >= '0' && port[i] <= '9';
            v = v * 10 + (port[i] - '0');
        }
        if (ok && v <= 65535) r.target_port = v;
    } else {
        r.target_host = printable(authority, 255);
    }
    if (end != std::string_view::npos) {
        r.complete = true;
        r.consumed = end;
    }
    return r;
}

ProxyRequest parse_socks4(Bytes b) {
    ProxyRequest r;
    r.kind = ProxyKind::kSocks4;
    if (b.size() < 9) return r;
    r.target_port = (b[2] << 8) | b[3];
    r.target_host = ipv4_text(&b[4]);
    std::size_t i = 8;
    while (i < b.size() && b[i] != 0 && i < 8 + 255) ++i;  // user id
    if (i >= b.size() || b[i] != 0) return r;
    ++i;
    bool socks4a = b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] != 0;
    if (socks4a) {
        std::size_t start = i;
        while (i < b.size() && b[i] != 0 && i < start + 255) ++i;
        if (i >= b.size() || b[i] != 0) return r;
        r.target_host = printable(std::string_view(reinterpret_cast<const char*>(&b[start]), i - start), 255);
        ++i;
    }
    r.complete = true;
    r.consumed = i;
    return r;
}

// SOCKS5: greeting, then (after the server's method choice, and any authentication) the request.
// The client may send the request before the method reply (pipelining), so search for it in
// the client stream after the greeting and an optional RFC 1929 username/password exchange.
ProxyRequest parse_socks5(Bytes b) {
    ProxyRequest r;
    r.kind = ProxyKind::kSocks5;
    if (b.size() < 2) return r;
    std::size_t i = 2 + b[1];
    if (i > b.size()) return r;
    bool offers_userpass = false;
    for (std::size_t m = 2; m < i; ++m) offers_userpass |= b[m] == 0x02;
    // RFC 1929 sub-negotiation starts with version 0x01.
    if (offers_userpass && i < b.size() && b[i] == 0x01) {
        if (i + 2 > b.size()) return r;
        std::size_t ulen = b[i + 1];
        if (i + 2 + ulen + 1 > b.size()) return r;
        std::size_t plen = b[i + 2 + ulen];
        i += 3 + ulen + plen;
    }
    if (i + 4 > b.size() || b[i] != 0x05) return r;
    std::uint8_t atyp = b[i + 3];
    std::size_t addr = i + 4, after = 0;
    if (atyp == 0x01) {
        after = addr + 4;
        if (after + 2 > b.size()) return r;
        r.target_host = ipv4_text(&b[addr]);
    } else if (atyp == 0x04) {
        after = addr + 16;
        if (after + 2 > b.size()) return r;
        r.target_host = ipv6_text(&b[addr]);
    } else if (atyp == 0x03) {
        if (addr >= b.size()) return r;
        std::size_t len = b[addr];
        after = addr + 1 + len;
        if (after + 2 > b.size()) return r;
        r.target_host = printable(std::string_view(reinterpret_cast<const char*>(&b[addr + 1]), len), 255);
    } else {
        return r;
    }
    r.target_port = (b[after] << 8) | b[after + 1];
    r.complete = true;
    r.consumed = after + 2;
    return r;
}

std::string_view socks5_reply_text(int rep) {
    static constexpr std::string_view names[] = {"succeeded",
                                                 "general SOCKS server failure",
                                                 "connection not allowed by ruleset",
                                                 "network unreachable",
                                                 "host unreachable",
                                                 "connection refused",
                                                 "TTL expired",
                                                 "command not supported",
                                                 "address type not supported"};
    return rep >= 0 && rep < static_cast<int>(std::size(names)) ? names[rep] : "unassigned reply code";
}

}  // namespace

ProxyRequest parse_proxy_request(Bytes b) {
    if (starts_with(b, "CONNECT ")) return parse_http_connect(b);
    if (b.size() >= 2 && b[0] == 0x04 && b[1] == 0x01) return parse_socks4(b);
    if (b.size() >= 3 && b[0] == 0x05 && b[1] >= 1 && b[1] <= 9) {
        bool methods_ok = true;
        for (std::size_t m = 2; m < std::min<std::size_t>(b.size(), 2 + b[1]); ++m)
            methods_ok &= b[m] <= 0x09 || b[m] == 0xff || b[m] >= 0x80;
        if (methods_ok) return parse_socks5(b);
    }
    return {};
}

ProxyReply parse_proxy_reply(ProxyKind kind, Bytes b) {
    ProxyReply r;
    switch (kind) {
    case ProxyKind::kNone: return r;
    case ProxyKind::kHttpConnect: {
        std::string_view s(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(b.size(), 16384));
        auto eol = s.find('\n');
        if (eol == std::string_view::npos) return r;
        std::string_view line = s.substr(0, eol);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        r.text = printable(line, 200);
        if (line.substr(0, 5) == "HTTP/") {
            auto sp = line.find(' ');
            if (sp != std::string_view::npos && sp + 4 <= line.size()) {
                int code = 0;
                bool ok = true;
                for (std::size_t i = sp + 1; i < sp + 4; ++i) {
                    ok &= line[i] >= '0' && line[i] <= '9';
                    code = code * 10 + (line[i] - '0');
                }
                if (ok) r.status = code;
            }
        }
        r.granted = r.status >= 200 && r.status < 300;
        auto end = http_head_end(b);
        r.complete = true;
        r.consumed = end == std::string_view::npos ? b.size() : end;
        return r;
    }
    case ProxyKind::kSocks4:
        if (b.size() < 8) return r;
        r.complete = true;
        r.consumed = 8;
        r.status = b[1];
        r.granted = b[1] == 0x5a;
        r.text = b[1] == 0x5a   ? "request granted"
                 : b[1] == 0x5b ? "request rejected or failed"
                 : b[1] == 0x5c ? "rejected: client's identd unreachable"
                 : b[1] == 0x5d ? "rejected: identd user id mismatch"
                                : "unknown reply code";
        return r;
    case ProxyKind::kSocks5: {
        // Method choice (2 bytes), optional RFC 1929 status (2 bytes), then the reply.
        if (b.size() < 2 || b[0] != 0x05) return r;
        if (b[1] == 0xff) {
            r.complete = true;
            r.consumed = 2;
            r.status = 0xff;
            r.text = "no acceptable authentication method";
            return r;
        }
        std::size_t i = 2;
        if (b[1] == 0x02) {
            if (b.size() < 4) return r;
            if (b[3] != 0x00) {
                r.complete = true;
                r.consumed = 4;
                r.status = 0x100 | b[3];
                r.text = "username/password authentication failed";
                return r;
            }
            i = 4;
        }
        if (b.size() < i + 4 || b[i] != 0x05) return r;
        r.status = b[i + 1];
        r.granted = r.status == 0;
        r.text = std::string(socks5_reply_text(r.status));
        std::size_t len = b[i + 3] == 0x01 ? 4 : b[i + 3] == 0x04 ? 16 : (i + 4 < b.size() ? 1 + b[i + 4] : 1);
        r.complete = true;
        r.consumed = std::min(b.size(), i + 4 + len + 2);
        return r;
    }
    }
    return r;
}

}  // namespace sshpath::ssh
