#pragma once
// SHA-256 (FIPS 180-4) of a short message: MPTCP tokens are derived from it.
#include <array>
#include <cstdint>
#include <span>

namespace sshpath::flow::detail {

std::array<std::uint8_t, 32> sha256(std::span<const std::uint8_t> message);

}  // namespace sshpath::flow::detail
