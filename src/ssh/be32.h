#pragma once
#include <cstdint>

namespace sshpath::ssh::detail {

// A big-endian 32-bit field (SSH's uint32, RFC 4251 5): packet lengths, string lengths.
inline std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

}  // namespace sshpath::ssh::detail
