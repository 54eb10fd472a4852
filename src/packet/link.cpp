#include "layers.h"
#include "sshpath/packet/decoder.h"

namespace sshpath::packet {
namespace detail {
namespace {

constexpr int kMaxVlanTags = 4;
constexpr std::size_t kSllHeader = 16;
constexpr std::size_t kSll2Header = 20;
constexpr std::size_t kLoopbackHeader = 4;
constexpr std::uint16_t kArphrdEther = 1;  // Linux ARPHRD_ETHER: the cooked header's address is a MAC

// Address families a BSD loopback header can carry: AF_INET is 2 everywhere, AF_INET6 differs
// between NetBSD/OpenBSD (24), FreeBSD (28) and Darwin (30).
constexpr std::uint32_t kFamilyInet = 2;
constexpr std::uint32_t kFamilyInet6Bsd = 24;
constexpr std::uint32_t kFamilyInet6FreeBsd = 28;
constexpr std::uint32_t kFamilyInet6Darwin = 30;

void decode_ip(int version, Bytes bytes, Packet& out) {
    if (version == 4) return decode_ipv4(bytes, out);
    if (version == 6) return decode_ipv6(bytes, out);
}

void decode_raw(Bytes bytes, int expected_version, Packet& out) {
    if (bytes.empty()) return fail(out, "empty raw IP frame");
    const int version = bytes[0] >> 4;
    if (expected_version != 0 && version != expected_version) {
        return fail(out, expected_version == 4 ? "IP version is not 4" : "IP version is not 6");
    }
    if (version != 4 && version != 6) return fail(out, "raw IP frame is neither IPv4 nor IPv6");
    decode_ip(version, bytes, out);
}

int loopback_ip_version(std::uint32_t family) {
    if (family == kFamilyInet) return 4;
    if (family == kFamilyInet6Bsd || family == kFamilyInet6FreeBsd || family == kFamilyInet6Darwin) return 6;
    return 0;
}

// A Linux cooked header's link-layer address: a MAC when it is one (6 bytes of an Ethernet-like
// device), otherwise left out.
void cooked_source(std::uint16_t hatype, std::uint16_t length, const std::uint8_t* address, Packet& out) {
    if (hatype != kArphrdEther || length != 6) return;
    out.link.addresses.src = MacAddress::from(address);
    out.link.addresses.has_src = true;
}

SllPacketType sll_type(std::uint16_t value) {
    return value <= 4 ? static_cast<SllPacketType>(value) : SllPacketType::kNone;
}

// Every field the decoders set, as a default Packet has it (number, time and the lengths are
// the reader's), but the tunnel layers: none is read beyond the depth, and push() clears each
// as it opens it. A packet is 640 bytes, 260 of them layers; assigning a whole default packet
// took two thirds of the decoder's own instructions. Defaults are copied from constants: a
// default built on the stack and copied at once stalls on its own stores (a byte written, then
// read back within 16).
void reset(Packet& out) {
    static_assert(sizeof(void*) != 8 || sizeof(Packet) == 640,
                  "a field added to Packet is cleared here or in clear_network()");
    static constexpr LinkLayer kNoLink{};
    static constexpr ArpMessage kNoArp{};
    out.link = kNoLink;
    out.tunnels.depth = 0;
    out.arp = kNoArp;
    clear_network(out);
    out.malformed = false;
    out.problem = nullptr;
}

}  // namespace

void decode_ethertype(std::uint16_t type, Bytes body, Packet& out) {
    // Tags of the capture's own frame are counted in `link`, those of a frame inside a tunnel in
    // that tunnel's layer.
    const bool outer = out.tunnels.empty();
    std::uint8_t& tags = outer ? out.link.vlan_tags : out.tunnels.layers[out.tunnels.depth - 1].inner_vlan_tags;
    std::uint16_t& vlan_id = outer ? out.link.vlan_id : out.tunnels.layers[out.tunnels.depth - 1].inner_vlan_id;
    while (type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQLegacy) {
        if (tags == kMaxVlanTags) return fail(out, "more than 4 VLAN tags");
        if (body.size() < 4) return fail(out, "truncated VLAN tag");
        if (tags == 0) vlan_id = be16(body.data()) & 0x0fff;
        type = be16(body.data() + 2);
        body = body.subspan(4);
        ++tags;
    }
    if (outer) out.link.ethertype = type;
    switch (type) {
    case kEtherIpv4: return decode_ipv4(body, out);
    case kEtherIpv6: return decode_ipv6(body, out);
    case kEtherArp: return decode_arp(body, out);
    case kEtherMpls:
    case kEtherMplsMulticast: return decode_mpls(body, out);
    default: return;
    }
}

void decode_ethernet_frame(Bytes frame, Packet& out) {
    Tunnel& t = out.tunnels.layers[out.tunnels.depth - 1];
    t.ethernet = true;
    if (frame.size() < kEthernetHeader) return fail(out, "truncated Ethernet header");
    t.inner_link.dst = MacAddress::from(frame.data());
    t.inner_link.src = MacAddress::from(frame.data() + 6);
    t.inner_link.has_dst = t.inner_link.has_src = true;
    decode_ethertype(be16(frame.data() + 12), frame.subspan(kEthernetHeader), out);
}

}  // namespace detail

using namespace detail;

MacAddress MacAddress::from(const std::uint8_t* p) {
    MacAddress m;
    for (std::size_t i = 0; i < m.bytes.size(); ++i) m.bytes[i] = p[i];
    return m;
}

std::string MacAddress::to_string() const {
    // By hand: a fact of every attempt, where fmt's parsing of the format was a visible cost.
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s(3 * bytes.size() - 1, ':');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        s[3 * i] = kHex[bytes[i] >> 4];
        s[3 * i + 1] = kHex[bytes[i] & 0xf];
    }
    return s;
}

bool MacAddress::is_broadcast() const {
    for (auto b : bytes)
        if (b != 0xff) return false;
    return true;
}

const LinkAddresses* Packet::inner_link() const {
    if (tunnels.empty()) return &link.addresses;
    const Tunnel& t = tunnels.innermost();
    return t.ethernet ? &t.inner_link : nullptr;
}

bool link_type_supported(int link_type) { return known_link_type_name(link_type) != nullptr; }

const char* known_link_type_name(int link_type) {
    switch (link_type) {
    case kLinkNull: return "NULL (BSD loopback)";
    case kLinkEthernet: return "EN10MB (Ethernet)";
    case kLinkRaw:
    case kLinkRawDlt12:
    case kLinkRawDlt14: return "RAW (raw IP)";
    case kLinkLoop: return "LOOP (OpenBSD loopback)";
    case kLinkSll: return "LINUX_SLL (Linux cooked v1)";
    case kLinkSll2: return "LINUX_SLL2 (Linux cooked v2)";
    case kLinkIpv4: return "IPV4 (raw IPv4)";
    case kLinkIpv6: return "IPV6 (raw IPv6)";
    default: return nullptr;
    }
}

void decode(int link_type, std::span<const std::uint8_t> frame, Packet& out) {
    reset(out);
    const std::uint8_t* p = frame.data();
    const std::size_t n = frame.size();
    switch (link_type) {
    case kLinkEthernet:
        if (n < kEthernetHeader) return fail(out, "truncated Ethernet header");
        out.link.kind = LinkKind::kEthernet;
        out.link.addresses.dst = MacAddress::from(p);
        out.link.addresses.src = MacAddress::from(p + 6);
        out.link.addresses.has_dst = out.link.addresses.has_src = true;
        return decode_ethertype(be16(p + 12), frame.subspan(kEthernetHeader), out);
    case kLinkSll:
        // packet type, ARPHRD type, address length, 8 address bytes, protocol
        if (n < kSllHeader) return fail(out, "truncated Linux cooked header");
        out.link.kind = LinkKind::kSll;
        out.link.sll_type = sll_type(be16(p));
        cooked_source(be16(p + 2), be16(p + 4), p + 6, out);
        return decode_ethertype(be16(p + 14), frame.subspan(kSllHeader), out);
    case kLinkSll2:
        // protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes
        if (n < kSll2Header) return fail(out, "truncated Linux cooked v2 header");
        out.link.kind = LinkKind::kSll2;
        out.link.sll_ifindex = be32(p + 4);
        out.link.sll_type = sll_type(p[10]);
        cooked_source(be16(p + 8), p[11], p + 12, out);
        return decode_ethertype(be16(p), frame.subspan(kSll2Header), out);
    case kLinkRaw:
    case kLinkRawDlt12:
    case kLinkRawDlt14: out.link.kind = LinkKind::kRaw; return decode_raw(frame, 0, out);
    case kLinkIpv4: out.link.kind = LinkKind::kRaw; return decode_raw(frame, 4, out);
    case kLinkIpv6: out.link.kind = LinkKind::kRaw; return decode_raw(frame, 6, out);
    case kLinkNull: {
        if (n < kLoopbackHeader) return fail(out, "truncated loopback header");
        out.link.kind = LinkKind::kLoopback;
        // The family is in the capturing host's byte order, which the file does not record; every
        // family fits in 16 bits, so a value above that must be the other order.
        std::uint32_t family = le32(p);
        if (family > 0xffff) family = be32(p);
        return decode_ip(loopback_ip_version(family), frame.subspan(kLoopbackHeader), out);
    }
    case kLinkLoop:
        if (n < kLoopbackHeader) return fail(out, "truncated loopback header");
        out.link.kind = LinkKind::kLoopback;
        return decode_ip(loopback_ip_version(be32(p)), frame.subspan(kLoopbackHeader), out);
    default: return fail(out, "unsupported link type");
    }
}

}  // namespace sshpath::packet
