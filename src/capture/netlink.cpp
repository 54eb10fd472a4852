#include "sshpath/capture/netlink.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace sshpath::capture {

using packet::IpAddress;

namespace {

// NLMSG_OK and RTA_OK compare an unsigned length with an int: walk the messages by hand.
template <typename Fn>
void for_each_message(std::span<const std::uint8_t> bytes, Fn fn) {
    std::size_t off = 0;
    while (bytes.size() - off >= sizeof(nlmsghdr)) {
        nlmsghdr h;
        std::memcpy(&h, bytes.data() + off, sizeof h);
        if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > bytes.size() - off) return;
        if (!fn(h, bytes.subspan(off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN))) return;
        off += NLMSG_ALIGN(h.nlmsg_len);
        if (off > bytes.size()) return;
    }
}

// Calls fn(type, payload) for each attribute.
template <typename Fn>
void for_each_attribute(std::span<const std::uint8_t> bytes, Fn fn) {
    std::size_t off = 0;
    while (bytes.size() - off >= sizeof(rtattr)) {
        rtattr a;
        std::memcpy(&a, bytes.data() + off, sizeof a);
        if (a.rta_len < sizeof(rtattr) || a.rta_len > bytes.size() - off) return;
        fn(a.rta_type & NLA_TYPE_MASK, bytes.subspan(off + RTA_LENGTH(0), a.rta_len - RTA_LENGTH(0)));
        off += RTA_ALIGN(a.rta_len);
        if (off > bytes.size()) return;
    }
}

std::optional<IpAddress> address(std::span<const std::uint8_t> p) {
    if (p.size() == 4) return IpAddress::v4(p.data());
    if (p.size() == 16) return IpAddress::v6(p.data());
    return std::nullopt;
}

std::uint32_t u32(std::span<const std::uint8_t> p) {
    std::uint32_t v = 0;
    if (p.size() >= 4) std::memcpy(&v, p.data(), 4);
    return v;
}

std::string interface_name(int index) {
    char name[IF_NAMESIZE] = {};
    if (index > 0 && if_indextoname(static_cast<unsigned>(index), name) != nullptr) return name;
    return index > 0 ? fmt::format("if{}", index) : "";
}

std::string route_type_name(unsigned t) {
    switch (t) {
        case RTN_UNICAST: return "unicast";
        case RTN_LOCAL: return "local";
        case RTN_BROADCAST: return "broadcast";
        case RTN_ANYCAST: return "anycast";
        case RTN_MULTICAST: return "multicast";
        case RTN_BLACKHOLE: return "blackhole";
        case RTN_UNREACHABLE: return "unreachable";
        case RTN_PROHIBIT: return "prohibit";
        case RTN_THROW: return "throw";
        case RTN_NAT: return "nat";
        default: return fmt::format("type {}", t);
    }
}

// Sends one request and reads the answer: one message, or a dump up to NLMSG_DONE.
std::vector<std::uint8_t> talk(const void* request, std::size_t length, bool dump) {
    std::vector<std::uint8_t> out;
    const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return out;
    timeval timeout{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (sendto(fd, request, length, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) >= 0) {
        std::vector<std::uint8_t> buf(65536);
        for (int reads = 0; reads < 256; ++reads) {
            const ssize_t got = recv(fd, buf.data(), buf.size(), 0);
            if (got <= 0) break;
            out.insert(out.end(), buf.begin(), buf.begin() + got);
            if (!dump) break;
            bool done = false;
            for_each_message(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(got)), [&](const nlmsghdr& h, auto) {
                if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR) done = true;
                return !done;
            });
            if (done) break;
        }
    }
    ::close(fd);
    return out;
}

}  // namespace

Route parse_route_answer(std::span<const std::uint8_t> bytes) {
    Route r;
    r.error = "no answer from the kernel";
    for_each_message(bytes, [&](const nlmsghdr& h, std::span<const std::uint8_t> body) {
        if (h.nlmsg_type == NLMSG_ERROR && body.size() >= sizeof(nlmsgerr)) {
            nlmsgerr e;
            std::memcpy(&e, body.data(), sizeof e);
            r.error = std::strerror(-e.error);
            return false;
        }
        if (h.nlmsg_type != RTM_NEWROUTE || body.size() < sizeof(rtmsg)) return true;
        rtmsg m;
        std::memcpy(&m, body.data(), sizeof m);
        r.found = true;
        r.error.clear();
        r.type = route_type_name(m.rtm_type);
        r.table = m.rtm_table;
        r.prefix_length = m.rtm_dst_len;
        if (m.rtm_type != RTN_UNICAST && m.rtm_type != RTN_LOCAL) {
            r.found = false;
            r.error = fmt::format("the route is of type {}", r.type);
        }
        for_each_attribute(body.subspan(NLMSG_ALIGN(sizeof(rtmsg))), [&](unsigned type, std::span<const std::uint8_t> p) {
            switch (type) {
                case RTA_DST: r.prefix = address(p); if (r.prefix) r.destination = *r.prefix; break;
                case RTA_OIF: r.ifindex = static_cast<int>(u32(p)); r.interface = interface_name(r.ifindex); break;
                case RTA_GATEWAY: r.gateway = address(p); break;
                case RTA_PREFSRC: r.source = address(p); break;
                case RTA_TABLE: r.table = u32(p); break;
                case RTA_PRIORITY: r.metric = u32(p); break;
                default: break;
            }
        });
        if (r.prefix_length == 0) r.prefix.reset();
        return false;
    });
    return r;
}

std::vector<std::uint8_t> query_route(const IpAddress& destination, bool fib_match) {
    if (destination.version != 4 && destination.version != 6) return {};
    struct {
        nlmsghdr header;
        rtmsg route;
        char attributes[64];
    } request{};
    const unsigned length = destination.version == 4 ? 4 : 16;
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
    request.header.nlmsg_type = RTM_GETROUTE;
    request.header.nlmsg_flags = NLM_F_REQUEST;
    request.header.nlmsg_seq = 1;
    request.route.rtm_family = destination.version == 4 ? AF_INET : AF_INET6;
    request.route.rtm_dst_len = static_cast<unsigned char>(length * 8);
    // RTM_F_LOOKUP_TABLE: the answer names the table the lookup used (else main), as `ip route get` asks.
    request.route.rtm_flags = RTM_F_LOOKUP_TABLE | (fib_match ? RTM_F_FIB_MATCH : 0);
    auto* attribute = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&request) + NLMSG_ALIGN(request.header.nlmsg_len));
    attribute->rta_type = RTA_DST;
    attribute->rta_len = static_cast<unsigned short>(RTA_LENGTH(length));
    std::memcpy(RTA_DATA(attribute), destination.bytes.data(), length);
    request.header.nlmsg_len = NLMSG_ALIGN(request.header.nlmsg_len) + RTA_LENGTH(length);
    return talk(&request, request.header.nlmsg_len, false);
}

Route lookup_route(const IpAddress& destination) {
    Route r = parse_route_answer(query_route(destination, false));
    r.destination = destination;
    r.prefix.reset();
    r.prefix_length = -1;
    if (!r.found) return r;
    // The entry that matched: its prefix tells a default route from a more specific one.
    const Route fib = parse_route_answer(query_route(destination, true));
    if (fib.found) {
        r.prefix = fib.prefix;
        r.prefix_length = fib.prefix_length;
        r.table = fib.table;
        r.metric = fib.metric;
    }
    if (r.ifindex > 0) r.interface_kind = parse_link_kind(query_link(r.ifindex));
    return r;
}

bool PolicyRule::is_default() const {
    if (src || dst || fwmark || !iif.empty() || !oif.empty() || invert || action != "lookup") return false;
    return (priority == 0 && table == RT_TABLE_LOCAL) || (priority == 32766 && table == RT_TABLE_MAIN) ||
           (priority == 32767 && table == RT_TABLE_DEFAULT);
}

bool PolicyRule::selects(const IpAddress& a, bool& maybe) const {
    maybe = false;
    if (a.version != family) return false;
    auto in = [&](const IpAddress& p, int len) {
        for (int bit = 0; bit < len; ++bit) {
            const auto byte = static_cast<std::size_t>(bit / 8);
            const int mask = 0x80 >> (bit % 8);
            if ((p.bytes[byte] & mask) != (a.bytes[byte] & mask)) return false;
        }
        return true;
    };
    // A packet this machine sends comes in from "lo" and usually carries no mark (mark 0); a
    // firewall rule may mark it, and its source and outgoing interface are chosen later.
    const std::uint32_t mask = fwmask ? fwmask : 0xffffffff;
    bool match = (!dst || in(*dst, dst_length)) && (fwmark & mask) == 0 && (iif.empty() || iif == "lo");
    if (fwmark || fwmask || !oif.empty() || src) maybe = true;
    if (invert) match = !match;
    return match;
}

std::vector<PolicyRule> parse_rule_dump(std::span<const std::uint8_t> bytes) {
    std::vector<PolicyRule> out;
    for_each_message(bytes, [&](const nlmsghdr& h, std::span<const std::uint8_t> body) {
        if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR) return false;
        if (h.nlmsg_type != RTM_NEWRULE || body.size() < sizeof(fib_rule_hdr)) return true;
        fib_rule_hdr m;
        std::memcpy(&m, body.data(), sizeof m);
        PolicyRule r;
        r.family = m.family == AF_INET6 ? 6 : 4;
        r.table = m.table;
        r.src_length = m.src_len;
        r.dst_length = m.dst_len;
        r.invert = (m.flags & FIB_RULE_INVERT) != 0;
        switch (m.action) {
            case FR_ACT_TO_TBL: r.action = "lookup"; break;
            case FR_ACT_GOTO: r.action = "goto"; break;
            case FR_ACT_NOP: r.action = "nop"; break;
            case FR_ACT_BLACKHOLE: r.action = "blackhole"; break;
            case FR_ACT_UNREACHABLE: r.action = "unreachable"; break;
            case FR_ACT_PROHIBIT: r.action = "prohibit"; break;
            default: r.action = fmt::format("action {}", m.action); break;
        }
        for_each_attribute(body.subspan(NLMSG_ALIGN(sizeof(fib_rule_hdr))), [&](unsigned type, std::span<const std::uint8_t> p) {
            switch (type) {
                case FRA_PRIORITY: r.priority = u32(p); break;
                case FRA_TABLE: r.table = u32(p); break;
                case FRA_SRC: r.src = address(p); break;
                case FRA_DST: r.dst = address(p); break;
                case FRA_FWMARK: r.fwmark = u32(p); break;
                case FRA_FWMASK: r.fwmask = u32(p); break;
                case FRA_IFNAME: r.iif = std::string(reinterpret_cast<const char*>(p.data()), strnlen(reinterpret_cast<const char*>(p.data()), p.size())); break;
                case FRA_OIFNAME: r.oif = std::string(reinterpret_cast<const char*>(p.data()), strnlen(reinterpret_cast<const char*>(p.data()), p.size())); break;
                default: break;
            }
        });
        std::string text = fmt::format("{}:\t{}from {}", r.priority, r.invert ? "not " : "",
                                       r.src ? fmt::format("{}/{}", r.src->to_string(), r.src_length) : "all");
        if (r.dst) text += fmt::format(" to {}/{}", r.dst->to_string(), r.dst_length);
        if (r.fwmark || r.fwmask) text += fmt::format(" fwmark {:#x}{}", r.fwmark, r.fwmask && r.fwmask != 0xffffffff ? fmt::format("/{:#x}", r.fwmask) : "");
        if (!r.iif.empty()) text += " iif " + r.iif;
        if (!r.oif.empty()) text += " oif " + r.oif;
        text += r.action == "lookup" ? " lookup " + table_name(r.table) : " " + r.action;
        r.text = text;
        out.push_back(std::move(r));
        return true;
    });
    return out;
}

std::vector<std::uint8_t> query_rules(int family) {
    struct {
        nlmsghdr header;
        fib_rule_hdr rule;
    } request{};
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(fib_rule_hdr));
    request.header.nlmsg_type = RTM_GETRULE;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = 1;
    request.rule.family = family == 6 ? AF_INET6 : AF_INET;
    return talk(&request, request.header.nlmsg_len, true);
}

std::string parse_link_kind(std::span<const std::uint8_t> bytes) {
    std::string kind;
    for_each_message(bytes, [&](const nlmsghdr& h, std::span<const std::uint8_t> body) {
        if (h.nlmsg_type != RTM_NEWLINK || body.size() < sizeof(ifinfomsg)) return false;
        for_each_attribute(body.subspan(NLMSG_ALIGN(sizeof(ifinfomsg))), [&](unsigned type, std::span<const std::uint8_t> p) {
            if (type != IFLA_LINKINFO) return;
            for_each_attribute(p, [&](unsigned inner, std::span<const std::uint8_t> q) {
                if (inner == IFLA_INFO_KIND) kind.assign(reinterpret_cast<const char*>(q.data()), strnlen(reinterpret_cast<const char*>(q.data()), q.size()));
            });
        });
        return false;
    });
    return kind;
}

std::vector<std::uint8_t> query_link(int ifindex) {
    struct {
        nlmsghdr header;
        ifinfomsg link;
    } request{};
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(ifinfomsg));
    request.header.nlmsg_type = RTM_GETLINK;
    request.header.nlmsg_flags = NLM_F_REQUEST;
    request.header.nlmsg_seq = 1;
    request.link.ifi_family = AF_UNSPEC;
    request.link.ifi_index = ifindex;
    return talk(&request, request.header.nlmsg_len, false);
}

std::string table_name(std::uint32_t table) {
    switch (table) {
        case RT_TABLE_MAIN: return "main";
        case RT_TABLE_LOCAL: return "local";
        case RT_TABLE_DEFAULT: return "default";
        default: return std::to_string(table);
    }
}

}  // namespace sshpath::capture
