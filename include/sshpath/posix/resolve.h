#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sshpath::posix {

/// Letters, digits, '.', '-' and '_', 1 to 253 characters: worth asking the resolver about.
bool plausible_host_name(std::string_view text);

/// What a name resolved to.
struct Resolved {
    std::vector<std::string> addresses;  ///< numeric, in getaddrinfo's order, without duplicates
    std::string error;                   ///< the resolver's words when there is none
};

/// Every address of `name` (an address stays itself), resolved once with getaddrinfo for
/// `family` (AF_UNSPEC, AF_INET or AF_INET6).
Resolved resolve(const std::string& name, int family);

}  // namespace sshpath::posix
