#include "layers.h"

namespace sshpath::packet::detail {
namespace {

constexpr std::uint8_t kOptionSourceMac = 1;
constexpr std::uint8_t kOptionTargetMac = 2;

std::size_t fixed_length(std::uint8_t type) {
    switch (type) {
    case kNdRouterSolicitation: return 8;
    case kNdRouterAdvertisement: return 16;
    case kNdNeighborSolicitation:
    case kNdNeighborAdvertisement: return 24;
    case kNdRedirect: return 40;
    default: return 0;
    }
}

}  // namespace

void decode_nd(Bytes message, Packet& out) {
    // RFC 4861 7.1.1/6.1: a neighbour discovery message comes with hop limit 255 and code 0; any
    // other was forwarded by a router, or is not one.
    const std::uint8_t type = message[0];
    const std::size_t fixed = fixed_length(type);
    if (out.ttl != 255 || message[1] != 0 || fixed == 0 || message.size() < fixed) return;
    NeighborDiscovery& nd = out.icmp.nd;
    nd.type = type;
    if (type == kNdRouterAdvertisement) nd.router_lifetime = be16(message.data() + 6);
    if (type == kNdNeighborSolicitation || type == kNdNeighborAdvertisement || type == kNdRedirect)
        nd.target = IpAddress::v6(message.data() + 8);
    if (type == kNdNeighborAdvertisement) {
        nd.router = (message[4] & 0x80) != 0;
        nd.solicited = (message[4] & 0x40) != 0;
        nd.override_entry = (message[4] & 0x20) != 0;
    }
    Bytes options = message.subspan(fixed);
    // Each option is at least 8 bytes long (a length of 0 is invalid), so the walk is bounded.
    while (options.size() >= 2) {
        const std::size_t len = std::size_t{options[1]} * 8;
        if (len == 0 || len > options.size()) break;
        if (len == 8 && options[0] == kOptionSourceMac) {
            nd.has_source_mac = true;
            nd.source_mac = MacAddress::from(options.data() + 2);
        } else if (len == 8 && options[0] == kOptionTargetMac) {
            nd.has_target_mac = true;
            nd.target_mac = MacAddress::from(options.data() + 2);
        }
        options = options.subspan(len);
    }
}

}  // namespace sshpath::packet::detail
