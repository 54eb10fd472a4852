#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace sshpath::packet {

/// libpcap link-layer types (DLT_*/LINKTYPE_*) the decoder understands.
enum LinkType : int {
    kLinkNull = 0,         ///< BSD loopback (host-order 4-byte family)
    kLinkEthernet = 1,
    kLinkRaw = 101,        ///< LINKTYPE_RAW: raw IPv4/IPv6
    kLinkRawDlt12 = 12,    ///< DLT_RAW on some BSDs
    kLinkRawDlt14 = 14,    ///< DLT_RAW on OpenBSD
    kLinkLoop = 108,       ///< OpenBSD loopback (network-order family)
    kLinkSll = 113,        ///< Linux cooked capture v1
    kLinkSll2 = 276,       ///< Linux cooked capture v2
    kLinkIpv4 = 228,
    kLinkIpv6 = 229,
};

/// True if decode() can handle this link type.
bool link_type_supported(int link_type);
/// Name of a supported link type, e.g. "EN10MB (Ethernet)"; nullptr for any other.
const char* known_link_type_name(int link_type);

/// A 48-bit IEEE 802 (Ethernet) address.
struct MacAddress {
    std::array<std::uint8_t, 6> bytes{};

    static MacAddress from(const std::uint8_t* p);
    /// "02:00:00:00:00:01": lower case, colons.
    std::string to_string() const;
    bool is_broadcast() const;
    bool is_multicast() const { return (bytes[0] & 1) != 0; }
    bool operator==(const MacAddress&) const = default;
    auto operator<=>(const MacAddress&) const = default;
};

/// The link-layer addresses of one frame, as far as its header holds them.
struct LinkAddresses {
    MacAddress src, dst;
    bool has_src = false;  ///< Ethernet, Linux cooked with a 6-byte address
    bool has_dst = false;  ///< Ethernet only (Linux cooked headers carry no destination)
    bool operator==(const LinkAddresses&) const = default;
};

/// How the capture's link layer framed the packet.
enum class LinkKind : std::uint8_t {
    kNone,      ///< unsupported link type, or a frame too short for its header
    kEthernet,
    kSll,       ///< Linux cooked v1 (tcpdump -i any before libpcap 1.10)
    kSll2,      ///< Linux cooked v2
    kRaw,       ///< raw IP, no link header
    kLoopback,  ///< BSD null / OpenBSD loop
};

/// The Linux cooked header's packet type: where the frame went, as the capturing host saw it.
enum class SllPacketType : std::uint8_t {
    kHost = 0,       ///< sent to this host
    kBroadcast = 1,
    kMulticast = 2,
    kOtherHost = 3,  ///< sent to another host (seen in promiscuous mode)
    kOutgoing = 4,   ///< sent by this host
    kNone = 0xff,    ///< not a Linux cooked capture
};

/// The frame's link layer as captured (the outermost one, before any tunnel).
struct LinkLayer {
    LinkKind kind = LinkKind::kNone;
    LinkAddresses addresses;
    SllPacketType sll_type = SllPacketType::kNone;
    std::uint32_t sll_ifindex = 0;   ///< Linux cooked v2: index of the interface it was seen on
    std::uint16_t ethertype = 0;     ///< after any VLAN tags
    std::uint8_t vlan_tags = 0;      ///< 802.1Q/802.1ad tags skipped
    std::uint16_t vlan_id = 0;       ///< VLAN id of the outermost tag (0 without a tag)
};

}  // namespace sshpath::packet
