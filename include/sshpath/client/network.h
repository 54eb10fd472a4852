#pragma once
#include <string>
#include <vector>

#include "sshpath/capture/netlink.h"
#include "sshpath/packet/packet.h"

/// Name and route: what the host name resolves to, and which address ssh tries first.
namespace sshpath::client {

using packet::IpAddress;

/// The host name resolved as ssh resolves it (getaddrinfo, SOCK_STREAM, the AddressFamily).
struct Resolution {
    std::string name;
    bool is_address = false;           ///< the name is an IP address already
    bool resolved = false;
    std::string error;                 ///< getaddrinfo's message ("Name or service not known")
    std::vector<IpAddress> v4, v6;     ///< A and AAAA answers
    std::vector<IpAddress> ordered;    ///< in the order ssh tries them (the first is tried first)
};

/// Resolves `name` for ssh's AddressFamily ("any", "inet", "inet6").
Resolution resolve_host(const std::string& name, const std::string& address_family);

// The routes, policy rules and link kinds are read over rtnetlink by the capture stage
// (sshpath/capture/netlink.h), which also finds the interface a live capture listens on.
using capture::lookup_route;
using capture::PolicyRule;
using capture::parse_rule_dump;
using capture::query_rules;
using capture::Route;
using capture::table_name;

}  // namespace sshpath::client
