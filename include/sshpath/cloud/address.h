#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

/// Addresses and prefixes as cloud rule exports write them.
namespace sshpath::cloud {

/// An IPv4 or IPv6 address.
struct Address {
    int family = 0;                        ///< 4 or 6; 0 when unset
    std::array<std::uint8_t, 16> bytes{};  ///< IPv4 in the first 4 bytes

    bool valid() const { return family != 0; }
    /// Dotted IPv4 or textual IPv6 (no brackets, no zone). False when it is neither.
    static bool parse(std::string_view text, Address& out);
    std::string str() const;
    friend bool operator==(const Address&, const Address&) = default;
};

/// ADDR/LEN, or a single address (LEN 32 or 128). Host bits are cleared.
struct Prefix {
    Address base;
    int length = 0;

    /// "10.0.0.0/16", "10.0.0.4", "10.0.0.4/32", "2001:db8::/32". False for anything else.
    static bool parse(std::string_view text, Prefix& out);
    bool contains(const Address& a) const;
    std::string str() const;
    friend bool operator==(const Prefix&, const Prefix&) = default;
};

/// Not reachable from the public internet: RFC 1918, 100.64.0.0/10, loopback, link-local,
/// 0.0.0.0/8, fc00::/7, fe80::/10, ::1. Azure's `Internet` tag never matches these.
bool is_private(const Address& a);

/// "ADDR", "ADDR:PORT" or "[ADDR6]:PORT"; port -1 when absent. False when malformed.
bool parse_endpoint(std::string_view text, Address& address, int& port);

}  // namespace sshpath::cloud
