#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sshpath::ascii {

namespace detail {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

// Eight bytes at a time. Each test sets the high bit of a byte that fails it; another byte may be
// set too, but only in a word where one fails (a borrow or carry), so the answer is the same.
// A byte outside 0x20-0x7e: below 0x20 (and 0xff) minus 0x20 has it, 0x7f-0xfe plus one has it.
constexpr std::uint64_t outside_printable(std::uint64_t w) { return ((w - 0x20 * kOnes) | (w + kOnes)) & kHigh; }
// A byte equal to c (the zero-byte test on w ^ c).
constexpr std::uint64_t equal_to(std::uint64_t w, unsigned char c) {
    const std::uint64_t x = w ^ (c * kOnes);
    return (x - kOnes) & ~x & kHigh;
}

}  // namespace detail

/// Whether every byte of `s` is printable ASCII (0x20-0x7e) and none is one of `excluded`.
template <class... Excluded>
bool printable(std::string_view s, Excluded... excluded) {
    const auto fails = [&](std::uint64_t w) {
        return (detail::outside_printable(w) |
                (std::uint64_t{0} | ... | detail::equal_to(w, static_cast<unsigned char>(excluded)))) != 0;
    };
    const auto load = [](const char* at, auto word) {
        std::memcpy(&word, at, sizeof word);
        return std::uint64_t{word};
    };
    const char* p = s.data();
    std::size_t n = s.size();
    // No byte-by-byte tail (most strings are short: keys, names, addresses): the last word is
    // the last eight bytes, overlapping those already looked at, and four to seven bytes are two
    // overlapping halves of one word.
    if (n >= 8) {
        for (; n > 8; p += 8, n -= 8)
            if (fails(load(p, std::uint64_t{}))) return false;
        return !fails(load(p + n - 8, std::uint64_t{}));
    }
    if (n >= 4) return !fails(load(p, std::uint32_t{}) | load(p + n - 4, std::uint32_t{}) << 32);
    for (; n > 0; ++p, --n) {
        const auto c = static_cast<unsigned char>(*p);
        if (c < 0x20 || c >= 0x7f || ((c == static_cast<unsigned char>(excluded)) || ...)) return false;
    }
    return true;
}

}  // namespace sshpath::ascii
