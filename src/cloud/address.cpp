#include "sshpath/cloud/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace sshpath::cloud {

bool Address::parse(std::string_view text, Address& out) {
    if (text.empty() || text.size() > 45) return false;
    char buf[64];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    Address a;
    if (inet_pton(AF_INET, buf, a.bytes.data()) == 1) {
        a.family = 4;
    } else if (inet_pton(AF_INET6, buf, a.bytes.data()) == 1) {
        a.family = 6;
    } else {
        return false;
    }
    out = a;
    return true;
}

std::string Address::str() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (family == 4) inet_ntop(AF_INET, bytes.data(), buf, sizeof buf);
    if (family == 6) inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    return buf;
}

bool Prefix::parse(std::string_view text, Prefix& out) {
    const auto slash = text.find('/');
    Prefix p;
    if (!Address::parse(text.substr(0, slash), p.base)) return false;
    const int bits = p.base.family == 4 ? 32 : 128;
    p.length = bits;
    if (slash != std::string_view::npos) {
        std::string_view len = text.substr(slash + 1);
        int n = -1;
        auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
        if (len.empty() || ec != std::errc() || ptr != len.data() + len.size() || n < 0 || n > bits) return false;
        p.length = n;
    }
    for (int i = 0; i < 16; ++i) {
        const int keep = p.length - i * 8;
        if (keep <= 0) p.base.bytes[i] = 0;
        else if (keep < 8) p.base.bytes[i] &= static_cast<std::uint8_t>(0xff << (8 - keep));
    }
    out = p;
    return true;
}

bool Prefix::contains(const Address& a) const {
    if (a.family != base.family) return false;
    for (int i = 0; i < 16; ++i) {
        const int keep = length - i * 8;
        if (keep <= 0) break;
        const std::uint8_t mask = keep >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - keep));
        if ((a.bytes[i] & mask) != base.bytes[i]) return false;
    }
    return true;
}

std::string Prefix::str() const {
    const int bits = base.family == 4 ? 32 : 128;
    return length == bits ? base.str() : base.str() + "/" + std::to_string(length);
}

bool is_private(const Address& a) {
    static const char* const kPrivate[] = {"10.0.0.0/8",     "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                                           "127.0.0.0/8",    "169.254.0.0/16", "0.0.0.0/8",     "fc00::/7",
                                           "fe80::/10",      "::1/128"};
    for (const char* text : kPrivate) {
        Prefix p;
        Prefix::parse(text, p);
        if (p.contains(a)) return true;
    }
    return false;
}

bool parse_endpoint(std::string_view text, Address& address, int& port) {
    std::string_view host = text;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return false;
        host = text.substr(1, close - 1);
        std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return false;
            port_text = rest.substr(1);
            if (port_text.empty()) return false;
        }
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        const auto colon = text.find(':');
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (port_text.empty()) return false;
    }
    Address a;
    if (!Address::parse(host, a)) return false;
    int p = -1;
    if (!port_text.empty()) {
        auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
        if (ec != std::errc() || ptr != port_text.data() + port_text.size() || p < 0 || p > 65535) return false;
    }
    address = a;
    port = p;
    return true;
}

}  // namespace sshpath::cloud
