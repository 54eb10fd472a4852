#pragma once
#include <array>
#include <string_view>

/// The fixed vocabulary of the verdict contract. Values are never renamed or reused;
/// new ones may be added (and documented in the README).
namespace sshpath::contract {

inline constexpr int kSchemaVersion = 1;

inline constexpr std::array<std::string_view, 16> kCauses = {
    "ok",           "no-attempt",           "local-firewall", "proxy-refused",
    "silent-drop",  "icmp-reject",          "forged-reset",   "port-closed",
    "closed-before-banner", "banner-timeout", "not-ssh",      "pmtu-blackhole",
    "lossy-path",   "kex-failed",           "one-sided-capture", "unknown"};

inline constexpr std::array<std::string_view, 9> kComponents = {
    "client", "proxy", "edge", "acl", "nsg", "vm", "path", "none", "unknown"};

inline constexpr std::array<std::string_view, 3> kConfidences = {"high", "medium", "low"};

template <std::size_t N>
constexpr bool contains(const std::array<std::string_view, N>& values, std::string_view v) {
    for (auto x : values)
        if (x == v) return true;
    return false;
}

inline constexpr bool is_cause(std::string_view v) { return contains(kCauses, v); }
inline constexpr bool is_component(std::string_view v) { return contains(kComponents, v); }
inline constexpr bool is_confidence(std::string_view v) { return contains(kConfidences, v); }

}  // namespace sshpath::contract
