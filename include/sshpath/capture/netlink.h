#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sshpath/packet/packet.h"

/// How the kernel routes to an address, asked over rtnetlink as `ip route get`, `ip rule` and
/// `ip link` do: the interface a live capture listens on, and the route `sshpath check` reports.
namespace sshpath::capture {

/// The kernel's route to one address.
struct Route {
    bool found = false;
    std::string error;                  ///< why there is none ("Network is unreachable", ...)
    packet::IpAddress destination;
    std::string type = "unicast";       ///< unicast, local, unreachable, blackhole, prohibit, ...
    int ifindex = 0;
    std::string interface;              ///< the interface it leaves by
    std::string interface_kind;         ///< the link's kind (veth, wireguard, tun, ...), "" for a plain device
    std::optional<packet::IpAddress> gateway;   ///< none: the host is on the link
    std::optional<packet::IpAddress> source;    ///< the source address the kernel picks
    unsigned table = 254;               ///< 254 main, 255 local, other: a policy rule chose it
    std::optional<packet::IpAddress> prefix;    ///< the routing table entry that matched (with RTM_F_FIB_MATCH)
    int prefix_length = -1;
    std::uint32_t metric = 0;
    bool on_link() const { return found && !gateway && type == "unicast"; }
    bool is_default() const { return prefix_length == 0; }
};

/// Reads a kernel answer to RTM_GETROUTE (RTM_NEWROUTE, or NLMSG_ERROR when there is no route)
/// from the raw netlink bytes. Interface names are looked up by index.
Route parse_route_answer(std::span<const std::uint8_t> bytes);

/// Asks the kernel (RTM_GETROUTE) for the route to `destination`: with `fib_match` the routing
/// table entry that matched (RTM_F_FIB_MATCH), otherwise the route as a packet would take it.
/// Returns the raw answer.
std::vector<std::uint8_t> query_route(const packet::IpAddress& destination, bool fib_match);

/// Both queries combined, and the interface's kind.
Route lookup_route(const packet::IpAddress& destination);

/// A policy routing rule (`ip rule`).
struct PolicyRule {
    int family = 4;
    std::uint32_t priority = 0;
    std::uint32_t table = 0;
    std::string action = "lookup";       ///< lookup, blackhole, unreachable, prohibit, goto, nop
    std::optional<packet::IpAddress> src, dst;
    int src_length = 0, dst_length = 0;
    std::uint32_t fwmark = 0, fwmask = 0;
    std::string iif, oif;
    bool invert = false;                 ///< "not"
    std::string text;                    ///< as `ip rule` prints it
    /// One of the three rules every system has: 0 lookup local, 32766 main, 32767 default.
    bool is_default() const;
    /// The rule's selectors hold for traffic to `address` sent by this machine (input interface
    /// lo, no firewall mark); `maybe` is set when a mark, source or output interface selector
    /// leaves it open.
    bool selects(const packet::IpAddress& address, bool& maybe) const;
};

/// Reads a dump of RTM_NEWRULE messages.
std::vector<PolicyRule> parse_rule_dump(std::span<const std::uint8_t> bytes);
/// Dumps the kernel's rules of a family (4 or 6), raw.
std::vector<std::uint8_t> query_rules(int family);

/// The kind of a link (IFLA_INFO_KIND: veth, wireguard, tun, bridge, ...) in a RTM_NEWLINK answer.
std::string parse_link_kind(std::span<const std::uint8_t> bytes);
/// Asks the kernel for the link with that index, raw.
std::vector<std::uint8_t> query_link(int ifindex);

/// "main", "local", "default" or the number.
std::string table_name(std::uint32_t table);

}  // namespace sshpath::capture
