#pragma once
#include <cstdint>

#include "sshpath/packet/ip_address.h"
#include "sshpath/packet/link.h"

namespace sshpath::packet {

/// ARP operation codes (RFC 826).
enum ArpOp : std::uint16_t { kArpRequest = 1, kArpReply = 2 };

/// An ARP message for IPv4 over Ethernet (RFC 826). A gratuitous ARP has sender_ip == target_ip.
struct ArpMessage {
    std::uint16_t op = 0;    ///< kArpRequest, kArpReply, another code; 0: no ARP message
    MacAddress sender_mac, target_mac;
    IpAddress sender_ip, target_ip;
};

}  // namespace sshpath::packet
