#pragma once
#include <cstdint>

namespace sshpath::hash {

/// One 8-byte word mixed into a running hash (splitmix64's constants): cheap enough for every
/// packet, and every bit of the word reaches every bit of the result.
constexpr std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v * 0x9E3779B97F4A7C15ULL;
    return (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ULL;
}

}  // namespace sshpath::hash
