#include "sshpath/core/archive.h"

#include <bit>

namespace sshpath::archive {

std::vector<char> pack_zeros(const std::vector<char>& bytes) {
    std::vector<char> out;
    out.reserve(bytes.size() / 4 + 16);
    std::size_t i = 0;
    const std::size_t n = bytes.size();
    while (i < n) {
        std::size_t zeros = 0;
        while (i + zeros < n && bytes[i + zeros] == 0 && zeros < 129) ++zeros;
        if (zeros >= 2) {
            out.push_back(static_cast<char>(static_cast<unsigned char>(126 + zeros)));
            i += zeros;
            continue;
        }
        // Literal bytes up to the next run of two zeros (at most 128).
        std::size_t len = 0;
        while (i + len < n && len < 128 && !(bytes[i + len] == 0 && i + len + 1 < n && bytes[i + len + 1] == 0)) ++len;
        if (len == 0) len = 1;  // a single zero at the end
        out.push_back(static_cast<char>(len - 1));
        out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(i), bytes.begin() + static_cast<std::ptrdiff_t>(i + len));
        i += len;
    }
    return out;
}

std::vector<char> unpack_zeros(const std::vector<char>& packed) {
    std::vector<char> out;
    out.reserve(packed.size() * 4);
    std::size_t i = 0;
    while (i < packed.size()) {
        const auto h = static_cast<unsigned char>(packed[i++]);
        if (h >= 128) {
            out.insert(out.end(), h - 126u, 0);
            continue;
        }
        const std::size_t len = h + 1u;
        if (packed.size() - i < len) throw Error("packed bytes cut short");
        out.insert(out.end(), packed.begin() + static_cast<std::ptrdiff_t>(i), packed.begin() + static_cast<std::ptrdiff_t>(i + len));
        i += len;
    }
    return out;
}

void pack_zero_words(std::span<const char> bytes, std::vector<char>& out) {
    const std::size_t n = bytes.size();
    if (n >> 32) throw Error("a record of 4 GiB or more cannot be packed");
    const std::size_t words = n / 8;
    // Room for every word, every mask and the tail: each word is stored, then kept or not.
    out.resize(4 + words * 8 + (words + 63) / 64 * 8 + n % 8);
    char* o = out.data();
    const auto n32 = static_cast<std::uint32_t>(n);
    std::memcpy(o, &n32, 4);
    o += 4;
    const char* in = bytes.data();
    for (std::size_t i = 0; i < words; i += 64) {
        const std::size_t group = std::min<std::size_t>(64, words - i);
        char* mask_at = o;
        o += 8;
        std::uint64_t mask = 0;
        for (std::size_t k = 0; k < group; ++k) {
            std::uint64_t w;
            std::memcpy(&w, in + (i + k) * 8, 8);
            std::memcpy(o, &w, 8);
            const std::uint64_t kept = w != 0;
            mask |= kept << k;
            o += kept * 8;
        }
        std::memcpy(mask_at, &mask, 8);
    }
    if (n % 8 != 0) std::memcpy(o, in + words * 8, n % 8);  // an empty span's data() may be null
    o += n % 8;
    out.resize(static_cast<std::size_t>(o - out.data()));
}

void unpack_zero_words(std::span<const char> packed, std::vector<char>& out) {
    const char* p = packed.data();
    const char* end = p + packed.size();
    auto take = [&](std::size_t size) {
        if (static_cast<std::size_t>(end - p) < size) throw Error("packed bytes cut short");
        const char* at = p;
        p += size;
        return at;
    };
    std::uint32_t n;
    std::memcpy(&n, take(4), 4);
    out.resize(n);
    const std::size_t words = n / 8;
    if (words != 0) std::memset(out.data(), 0, words * 8);  // an empty vector's data() may be null
    for (std::size_t i = 0; i < words; i += 64) {
        std::uint64_t mask;
        std::memcpy(&mask, take(8), 8);
        const std::size_t group = std::min<std::size_t>(64, words - i);
        if (group < 64 && (mask >> group) != 0) throw Error("packed bytes not as written");
        const char* kept = take(static_cast<std::size_t>(std::popcount(mask)) * 8);
        for (; mask != 0; mask &= mask - 1, kept += 8) std::memcpy(out.data() + (i + static_cast<std::size_t>(std::countr_zero(mask))) * 8, kept, 8);
    }
    const char* tail = take(n % 8);
    if (n % 8 != 0) std::memcpy(out.data() + words * 8, tail, n % 8);
    if (p != end) throw Error("packed bytes not as written");
}

}  // namespace sshpath::archive
