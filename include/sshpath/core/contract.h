#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The fixed vocabulary of the verdict contract (../shared/verdict-contract.md), as enums with
/// this one place that spells them. Values are never renamed or reused; new ones may be added
/// (and documented).
namespace sshpath::contract {

inline constexpr int kSchemaVersion = 1;

enum class Cause : std::uint8_t {
    kOk, kNoAttempt, kLocalFirewall, kProxyRefused, kSilentDrop, kIcmpReject, kForgedReset, kPortClosed,
    kClosedBeforeBanner, kBannerTimeout, kNotSsh, kPmtuBlackhole, kLossyPath, kKexFailed, kOneSidedCapture,
    kUnknown,
};
inline constexpr std::array<std::string_view, 16> kCauses = {
    "ok",           "no-attempt",           "local-firewall", "proxy-refused",
    "silent-drop",  "icmp-reject",          "forged-reset",   "port-closed",
    "closed-before-banner", "banner-timeout", "not-ssh",      "pmtu-blackhole",
    "lossy-path",   "kex-failed",           "one-sided-capture", "unknown"};

enum class Component : std::uint8_t { kClient, kProxy, kEdge, kAcl, kNsg, kVm, kPath, kNone, kUnknown };
inline constexpr std::array<std::string_view, 9> kComponents = {
    "client", "proxy", "edge", "acl", "nsg", "vm", "path", "none", "unknown"};

enum class Confidence : std::uint8_t { kHigh, kMedium, kLow };
inline constexpr std::array<std::string_view, 3> kConfidences = {"high", "medium", "low"};

/// Where the packets vanished, as a pair of captures (one on each end) shows it: `none` (nothing
/// was lost between the ends), `client` (it never left the client, or the client's own TCP did not
/// take what arrived), `client-to-vm` (on the way to the VM), `vm-to-client` (on the way back),
/// `between` (both ways, the connection still going), `vm` (the VM received it and never answered).
enum class Segment : std::uint8_t { kNone, kClient, kClientToVm, kVmToClient, kBetween, kVm };
inline constexpr std::array<std::string_view, 6> kSegments = {"none", "client", "client-to-vm", "vm-to-client", "between", "vm"};

constexpr std::string_view name(Cause c) { return kCauses[static_cast<std::size_t>(c)]; }
constexpr std::string_view name(Component c) { return kComponents[static_cast<std::size_t>(c)]; }
constexpr std::string_view name(Confidence c) { return kConfidences[static_cast<std::size_t>(c)]; }
constexpr std::string_view name(Segment s) { return kSegments[static_cast<std::size_t>(s)]; }

template <class E, std::size_t N>
constexpr std::optional<E> parse(const std::array<std::string_view, N>& words, std::string_view v) {
    for (std::size_t i = 0; i < N; ++i)
        if (words[i] == v) return static_cast<E>(i);
    return std::nullopt;
}
constexpr std::optional<Cause> cause_from(std::string_view v) { return parse<Cause>(kCauses, v); }
constexpr std::optional<Component> component_from(std::string_view v) { return parse<Component>(kComponents, v); }
constexpr std::optional<Confidence> confidence_from(std::string_view v) { return parse<Confidence>(kConfidences, v); }
constexpr std::optional<Segment> segment_from(std::string_view v) { return parse<Segment>(kSegments, v); }

/// The words of a list of components, e.g. {"edge", "acl"}.
inline std::vector<std::string> names(const std::vector<Component>& components) {
    std::vector<std::string> out;
    for (auto c : components) out.emplace_back(name(c));
    return out;
}

constexpr bool is_cause(std::string_view v) { return cause_from(v).has_value(); }
constexpr bool is_component(std::string_view v) { return component_from(v).has_value(); }
constexpr bool is_confidence(std::string_view v) { return confidence_from(v).has_value(); }

}  // namespace sshpath::contract
