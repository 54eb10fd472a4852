#pragma once
#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>

namespace sshpath::packet {

/// An IPv4 or IPv6 address, stored as 16 bytes (IPv4 in the first 4).
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    std::uint8_t version = 0;  ///< 4 or 6; 0 = unset

    static IpAddress v4(const std::uint8_t* p) {
        IpAddress a;
        std::memcpy(a.bytes.data(), p, 4);
        a.version = 4;
        return a;
    }
    static IpAddress v6(const std::uint8_t* p) {
        IpAddress a;
        std::memcpy(a.bytes.data(), p, 16);
        a.version = 6;
        return a;
    }
    /// Parses dotted-quad or RFC 4291 text; returns false if it is neither.
    static bool parse(const std::string& text, IpAddress& out);
    std::string to_string() const;
    /// Two 8-byte words compared, not a call to memcmp: the flow index compares addresses for
    /// every packet.
    bool operator==(const IpAddress& o) const {
        std::uint64_t a[2], b[2];
        std::memcpy(a, bytes.data(), 16);
        std::memcpy(b, o.bytes.data(), 16);
        return a[0] == b[0] && a[1] == b[1] && version == o.version;
    }
    /// The bytes in order, then the version; as two 8-byte words in network order, for the same
    /// reason.
    std::strong_ordering operator<=>(const IpAddress& o) const {
        std::uint64_t a[2], b[2];
        std::memcpy(a, bytes.data(), 16);
        std::memcpy(b, o.bytes.data(), 16);
        for (int i = 0; i < 2; ++i) {
            if (a[i] == b[i]) continue;
            if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(a[i]) <=> __builtin_bswap64(b[i]);
            return a[i] <=> b[i];
        }
        return version <=> o.version;
    }
};

}  // namespace sshpath::packet
