#include "sshpath/posix/resolve.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>

namespace sshpath::posix {

bool plausible_host_name(std::string_view text) {
    return !text.empty() && text.size() < 254 &&
           text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == std::string_view::npos;
}

Resolved resolve(const std::string& name, int family) {
    Resolved out;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = family;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(name.c_str(), nullptr, &hints, &res);
    if (rc != 0 || res == nullptr) {
        out.error = rc != 0 ? gai_strerror(rc) : "no address";
        return out;
    }
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        char buf[NI_MAXHOST];
        if (getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) != 0) continue;
        if (std::find(out.addresses.begin(), out.addresses.end(), buf) == out.addresses.end()) out.addresses.emplace_back(buf);
    }
    freeaddrinfo(res);
    if (out.addresses.empty()) out.error = "no address";
    return out;
}

}  // namespace sshpath::posix
