#include "sshpath/report/anonymize.h"

#include <sys/random.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sshpath::report {

namespace {

using packet::IpAddress;
using packet::MacAddress;

std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

// SipHash-2-4 (Aumasson and Bernstein): a keyed pseudo-random function, small enough to carry.
std::uint64_t siphash(const std::array<std::uint64_t, 2>& k, std::span<const std::uint8_t> in) {
    std::uint64_t v0 = 0x736f6d6570736575ULL ^ k[0], v1 = 0x646f72616e646f6dULL ^ k[1];
    std::uint64_t v2 = 0x6c7967656e657261ULL ^ k[0], v3 = 0x7465646279746573ULL ^ k[1];
    auto round = [&] {
        v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);
        v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;
        v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;
        v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);
    };
    const std::size_t n = in.size();
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t m = 0;
        for (int j = 7; j >= 0; --j) m = m << 8 | in[i + j];
        v3 ^= m, round(), round(), v0 ^= m;
    }
    std::uint64_t last = static_cast<std::uint64_t>(n & 0xff) << 56;
    for (std::size_t j = 0; i + j < n; ++j) last |= static_cast<std::uint64_t>(in[i + j]) << (8 * j);
    v3 ^= last, round(), round(), v0 ^= last;
    v2 ^= 0xff;
    round(), round(), round(), round();
    return v0 ^ v1 ^ v2 ^ v3;
}

bool bit(const std::uint8_t* b, int i) { return (b[i / 8] >> (7 - i % 8)) & 1; }

// The leading bits an address keeps so that its kind survives (evidence::address_kind), and
// whether the rest must again be public (outside every special block).
struct Class {
    int keep = 0;
    bool public_only = false;
};

bool in4(const std::uint8_t* b, std::uint32_t net, int len) {
    const std::uint32_t a = std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
    return len == 0 || (a >> (32 - len)) == (net >> (32 - len));
}

Class class_of(const IpAddress& a) {
    const std::uint8_t* b = a.bytes.data();
    if (a.version == 4) {
        if (in4(b, 0, 8) || in4(b, 0x7f000000, 8) || in4(b, 0xe0000000, 3)) return {32};  // this network, loopback, multicast, reserved
        if (in4(b, 0x0a000000, 8)) return {8};
        if (in4(b, 0xac100000, 12)) return {12};
        if (in4(b, 0xc0a80000, 16)) return {16};
        if (in4(b, 0x64400000, 10)) return {10};
        if (in4(b, 0xa9fe0000, 16)) return {16};
        return {0, true};
    }
    static const std::array<std::uint8_t, 16> zero{};
    if (std::memcmp(b, zero.data(), 15) == 0 && b[15] <= 1) return {128};  // :: and ::1
    if (b[0] == 0xff) return {128};
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return {64};
    if ((b[0] & 0xfe) == 0xfc) return {7};
    if ((b[0] & 0xe0) == 0x20) return {3};
    return {16};
}

bool is_public(const IpAddress& a) {
    const Class c = class_of(a);
    return c.public_only;
}

}  // namespace

AddressMap::AddressMap(std::string_view key) {
    if (key.empty()) {
        std::uint8_t random[16] = {};
        if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
            for (auto& r : random) r = static_cast<std::uint8_t>(std::rand());
        }
        std::memcpy(key_.data(), random, sizeof random);
        return;
    }
    const std::span<const std::uint8_t> text(reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
    key_ = {siphash({0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL}, text), siphash({0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL}, text)};
}

std::uint64_t AddressMap::prf(std::string_view tag, std::span<const std::uint8_t> data) const {
    std::uint8_t buf[40] = {};
    const std::size_t t = std::min<std::size_t>(tag.size(), 8), d = std::min<std::size_t>(data.size(), 32);
    if (t != 0) std::memcpy(buf, tag.data(), t);
    if (d != 0) std::memcpy(buf + 8, data.data(), d);
    return siphash(key_, std::span<const std::uint8_t>(buf, 8 + d));
}

// Crypto-PAn's construction: bit i is flipped by a function of the i bits before it.
void AddressMap::permute(std::uint8_t* bytes, int bits) const {
    std::uint8_t original[16] = {}, prefix[17] = {};
    std::memcpy(original, bytes, static_cast<std::size_t>(bits / 8));
    for (int i = 0; i < bits; ++i) {
        prefix[16] = static_cast<std::uint8_t>(i);
        const bool flip = prf(bits == 32 ? "ip4" : "ip6", std::span<const std::uint8_t>(prefix, 17)) & 1;
        if (flip) bytes[i / 8] ^= static_cast<std::uint8_t>(0x80 >> (i % 8));
        if (bit(original, i)) prefix[i / 8] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
    }
}

std::uint32_t AddressMap::map24(std::uint32_t low) const {
    const std::uint8_t b[3] = {static_cast<std::uint8_t>(low >> 16), static_cast<std::uint8_t>(low >> 8), static_cast<std::uint8_t>(low)};
    return static_cast<std::uint32_t>(prf("sn", std::span<const std::uint8_t>(b, 3))) & 0xffffff;
}

IpAddress AddressMap::map(const IpAddress& a) const {
    if (a.version != 4 && a.version != 6) return a;
    if (auto it = cache_.find(a); it != cache_.end()) return it->second;
    IpAddress out = a;
    std::uint8_t* b = out.bytes.data();
    static const std::uint8_t mapped_v4[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (a.version == 6 && std::memcmp(b, mapped_v4, 12) == 0) {
        const IpAddress inner = map(IpAddress::v4(b + 12));
        std::memcpy(b + 12, inner.bytes.data(), 4);
    } else if (a.version == 6 && b[0] == 0xff && b[1] == 0x02 && b[11] == 0x01 && b[12] == 0xff) {
        // Solicited-node multicast (ff02::1:ffXX:XXXX) carries the low 24 bits of a unicast address.
        const std::uint32_t low = map24(std::uint32_t{b[13]} << 16 | std::uint32_t{b[14]} << 8 | b[15]);
        b[13] = static_cast<std::uint8_t>(low >> 16), b[14] = static_cast<std::uint8_t>(low >> 8), b[15] = static_cast<std::uint8_t>(low);
    } else {
        const Class c = class_of(a);
        const int bits = a.version == 4 ? 32 : 128;
        if (c.keep < bits) {
            // Walk the cycle until the result is of the same kind: still a bijection on that kind.
            for (int tries = 0; tries < 64; ++tries) {
                permute(b, bits);
                for (int i = 0; i < c.keep; ++i) {
                    const std::uint8_t m = static_cast<std::uint8_t>(0x80 >> (i % 8));
                    b[i / 8] = static_cast<std::uint8_t>((b[i / 8] & ~m) | (a.bytes[i / 8] & m));
                }
                if (!c.public_only || is_public(out)) break;
            }
        }
    }
    cache_[a] = out;
    return out;
}

MacAddress AddressMap::map(const MacAddress& m) const {
    MacAddress out = m;
    if (m.is_broadcast()) return out;
    if (m.is_multicast()) {
        if (m.bytes[0] == 0x33 && m.bytes[1] == 0x33 && m.bytes[2] == 0xff) {
            const std::uint32_t low = map24(std::uint32_t{m.bytes[3]} << 16 | std::uint32_t{m.bytes[4]} << 8 | m.bytes[5]);
            out.bytes[3] = static_cast<std::uint8_t>(low >> 16), out.bytes[4] = static_cast<std::uint8_t>(low >> 8);
            out.bytes[5] = static_cast<std::uint8_t>(low);
        }
        return out;
    }
    const std::uint64_t h = prf("mac", std::span<const std::uint8_t>(m.bytes.data(), 6));
    for (int i = 0; i < 6; ++i) out.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h >> (8 * i));
    out.bytes[0] = static_cast<std::uint8_t>((out.bytes[0] & 0xfc) | 0x02);  // unicast, locally administered
    return out;
}

std::string AddressMap::map_text(std::string_view text, bool same_length) const {
    auto token_char = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
    };
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (!token_char(text[i]) || (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_'))) {
            out += text[i++];
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && token_char(text[j])) ++j;
        std::string token(text.substr(i, j - i));
        // A sentence's full stop or a port's colon is not part of the address.
        std::string tail;
        while (!token.empty() && (token.back() == '.' || (token.back() == ':' && token.find("::") != token.size() - 2))) {
            tail.insert(tail.begin(), token.back());
            token.pop_back();
        }
        const bool word_follows = j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_');
        IpAddress a;
        unsigned m[6];
        char end = 0;
        const std::size_t colon = token.rfind(':');
        // In a packet's bytes the length cannot change: an address whose mapped text is longer
        // or shorter is written as x's.
        auto fit = [&](const std::string& mapped, std::size_t length) {
            return !same_length || mapped.size() == length ? mapped : std::string(length, 'x');
        };
        if (!word_follows && token.size() >= 7 && IpAddress::parse(token, a)) {
            out += fit(map(a).to_string(), token.size()) + tail;
        } else if (!word_follows && colon != std::string::npos && token.find('.') < colon &&
                   IpAddress::parse(token.substr(0, colon), a)) {
            out += fit(map(a).to_string(), colon) + token.substr(colon) + tail;  // an IPv4 address and its port
        } else if (!word_follows && token.size() == 17 &&
                   std::sscanf(token.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &end) == 6) {
            MacAddress mac;
            for (int k = 0; k < 6; ++k) mac.bytes[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(m[k]);
            out += map(mac).to_string() + tail;
        } else {
            out += std::string(text.substr(i, j - i));
            i = j;
            continue;
        }
        i = j;
    }
    return out;
}

}  // namespace sshpath::report
