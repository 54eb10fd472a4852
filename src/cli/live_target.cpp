#include "cli/live_target.h"

#include <fmt/format.h>

#include <set>

#include "cli/common.h"
#include "sshpath/capture/live.h"

namespace sshpath::cli {

using packet::IpAddress;

std::string address_list(const std::vector<IpAddress>& addresses) {
    std::string out;
    for (const auto& a : addresses) out += (out.empty() ? "" : ", ") + a.to_string();
    return out;
}

std::vector<std::string> address_texts(const std::vector<IpAddress>& addresses) {
    std::vector<std::string> out;
    for (const auto& a : addresses) out.push_back(a.to_string());
    return out;
}

void set_analyzer_host(Target& t, const std::string& host) {
    t.analyze.host.clear();
    t.analyze.host_address.reset();
    if (t.addresses.size() == 1) {
        t.analyze.host = host;
        t.analyze.host_address = t.addresses.front();
    }
}

Target explicit_target(const std::string& host, int port) {
    Target t;
    t.host = host;
    t.filter_port = port;
    t.analyze.ssh_port = port;
    t.addresses = resolve_host(host, "--host");
    IpAddress literal;
    t.resolved = !IpAddress::parse(host, literal);
    set_analyzer_host(t, host);
    return t;
}

Target any_host_target(int port) {
    Target t;
    t.filter_port = port;
    t.analyze.ssh_port = port;
    return t;
}

std::vector<std::pair<IpAddress, int>> parse_proxies(const std::vector<std::string>& specs) {
    std::vector<std::pair<IpAddress, int>> out;
    for (const auto& spec : specs) {
        std::string host, port;
        if (!spec.empty() && spec.front() == '[' && spec.find("]:") != std::string::npos) {
            host = spec.substr(1, spec.find("]:") - 1);
            port = spec.substr(spec.find("]:") + 2);
        } else if (const auto colon = spec.rfind(':'); colon != std::string::npos && spec.find(':') == colon) {
            host = spec.substr(0, colon);
            port = spec.substr(colon + 1);
        } else {
            throw UsageError(fmt::format("--proxy: '{}' is not HOST:PORT (IPv6: [ADDR]:PORT)", spec));
        }
        const int p = parse_port(port, "--proxy");
        for (const auto& a : resolve_host(host, "--proxy")) out.emplace_back(a, p);
    }
    return out;
}

bool server_is_here(const Target& t) {
    if (t.addresses.empty()) return false;
    for (const auto& a : t.addresses)
        if (!capture::is_local_address(a)) return false;
    return true;
}

std::string choose_interface(const Target& t, std::vector<std::string>& notes) {
    if ((t.addresses.empty() && t.proxies.empty()) || t.filter_port == 0) return "any";
    // The route to one's own address leaves by lo, but the clients' packets arrive elsewhere.
    if (server_is_here(t)) {
        notes.push_back(fmt::format("{} {} this machine's own: capturing on every interface, as the server's side",
                                    address_list(t.addresses), t.addresses.size() == 1 ? "is" : "are"));
        return "any";
    }
    std::set<std::string> names;
    std::vector<IpAddress> all = t.addresses;
    for (const auto& [a, port] : t.proxies) all.push_back(a);
    for (const auto& a : all)
        if (auto name = capture::route_interface(a)) names.insert(*name);
    if (names.size() == 1) return *names.begin();
    if (names.empty())
        notes.push_back(fmt::format("no route to {}: capturing on every interface", address_list(all)));
    else
        notes.push_back(fmt::format("the routes to {} leave by several interfaces: capturing on every interface", address_list(all)));
    return "any";
}

}  // namespace sshpath::cli
