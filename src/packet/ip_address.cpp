#include <arpa/inet.h>

#include <cstring>

#include "sshpath/packet/ip_address.h"

namespace sshpath::packet {

bool IpAddress::parse(const std::string& text, IpAddress& out) {
    IpAddress a;
    // inet_pton(AF_INET) accepts only the four-part decimal form, so "10.1" or "010.0.0.1" tricks
    // that inet_aton would take are rejected.
    if (text.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) != 1) return false;
        a.version = 4;
    } else {
        if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) != 1) return false;
        a.version = 6;
    }
    out = a;
    return true;
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN];
    if (version == 4) {
        // By hand (inet_ntop's general path was a visible cost per attempt): "a.b.c.d".
        char* p = buf;
        for (std::size_t i = 0; i < 4; ++i) {
            const unsigned v = bytes[i];
            if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
            if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
            *p++ = static_cast<char>('0' + v % 10);
            if (i < 3) *p++ = '.';
        }
        return std::string(buf, p);
    }
    // glibc's inet_ntop follows RFC 5952: lower case, no leading zeros, the longest run of two or
    // more zero groups shortened to "::".
    if (version == 6) return inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    return {};
}

}  // namespace sshpath::packet
