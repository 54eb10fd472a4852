#include "sshpath/client/network.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>

namespace sshpath::client {

Resolution resolve_host(const std::string& name, const std::string& address_family) {
    Resolution r;
    r.name = name;
    IpAddress literal;
    if (IpAddress::parse(name, literal)) {
        r.is_address = true;
        r.resolved = true;
        (literal.version == 4 ? r.v4 : r.v6).push_back(literal);
        r.ordered = {literal};
        return r;
    }
    auto lookup = [&](int family, std::vector<IpAddress>& into, std::string* error) {
        addrinfo hints{};
        hints.ai_family = family;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        const int rc = getaddrinfo(name.c_str(), nullptr, &hints, &res);
        if (rc != 0) {
            if (error != nullptr) *error = gai_strerror(rc);
            return;
        }
        for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
            char buf[NI_MAXHOST];
            IpAddress a;
            if (getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) == 0 && IpAddress::parse(buf, a) &&
                std::find(into.begin(), into.end(), a) == into.end())
                into.push_back(a);
        }
        freeaddrinfo(res);
    };
    lookup(AF_INET, r.v4, nullptr);
    lookup(AF_INET6, r.v6, nullptr);
    const int family = address_family == "inet" ? AF_INET : address_family == "inet6" ? AF_INET6 : AF_UNSPEC;
    lookup(family, r.ordered, &r.error);
    r.resolved = !r.ordered.empty();
    if (r.resolved) r.error.clear();
    else if (r.error.empty()) r.error = "no address";
    return r;
}

}  // namespace sshpath::client
