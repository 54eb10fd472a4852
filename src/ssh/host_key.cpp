#include "sshpath/ssh/host_key.h"

#include <algorithm>

#include "sshpath/core/byte_order.h"

namespace sshpath::ssh {

namespace {

// A key type is a short printable name ("ssh-ed25519", "ecdsa-sha2-nistp256",
// "sk-ssh-ed25519@openssh.com"): this is what tells a key blob from an mpint.
bool plausible_type(std::string_view t) {
    if (t.empty() || t.size() > 64) return false;
    return std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '@' || c == '.' || c == '_'; });
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string key_blob_type(Bytes blob) {
    if (blob.size() < 4) return "";
    const std::uint32_t n = be32(blob.data());
    if (n > blob.size() - 4) return "";
    std::string type(reinterpret_cast<const char*>(blob.data() + 4), n);
    return plausible_type(type) ? type : "";
}

std::optional<HostKey> parse_kex_reply_host_key(Bytes payload) {
    if (payload.size() < 5 || (payload[0] != 31 && payload[0] != 33)) return std::nullopt;
    const std::uint32_t n = be32(payload.data() + 1);
    if (n > payload.size() - 5) return std::nullopt;
    Bytes blob = payload.subspan(5, n);
    std::string type = key_blob_type(blob);
    if (type.empty()) return std::nullopt;
    return HostKey{std::vector<std::uint8_t>(blob.begin(), blob.end()), std::move(type)};
}

std::array<std::uint8_t, 32> sha256(Bytes data) {
    static constexpr std::uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
        0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
        0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
        0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
        0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    // The message, a 1 bit, zeros, and its length in bits: a whole number of 64-byte blocks.
    std::vector<std::uint8_t> m(data.begin(), data.end());
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    m.push_back(0x80);
    while (m.size() % 64 != 56) m.push_back(0);
    for (int shift = 56; shift >= 0; shift -= 8) m.push_back(static_cast<std::uint8_t>(bits >> shift));
    for (std::size_t block = 0; block < m.size(); block += 64) {
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i) w[i] = be32(&m[block + 4 * static_cast<std::size_t>(i)]);
        for (int i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; ++i) {
            const std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
    }
    std::array<std::uint8_t, 32> out{};
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j) out[static_cast<std::size_t>(4 * i + j)] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
    return out;
}

std::string sha256_fingerprint(Bytes blob) {
    const auto digest = sha256(blob);
    return "SHA256:" + base64_encode(Bytes(digest.data(), digest.size()), false);
}

std::string base64_encode(Bytes data, bool pad) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t(data[i]) << 16) | (std::uint32_t(data[i + 1]) << 8) | data[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6) out += kBase64[(v >> shift) & 63];
    }
    const std::size_t rest = data.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t(data[i]) << 16;
        if (rest == 2) v |= std::uint32_t(data[i + 1]) << 8;
        out += kBase64[(v >> 18) & 63];
        out += kBase64[(v >> 12) & 63];
        if (rest == 2) out += kBase64[(v >> 6) & 63];
        if (pad) out += rest == 2 ? "=" : "==";
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::vector<std::uint8_t> out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const char* p = std::find(kBase64, kBase64 + 64, c);
        if (p == kBase64 + 64) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(p - kBase64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>(acc >> bits));
        }
    }
    if (bits >= 6) return std::nullopt;  // one stray character: not base64
    return out;
}

}  // namespace sshpath::ssh
