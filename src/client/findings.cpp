// The report's sentences and the `client` facts, both read from a CheckResult.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "sshpath/client/check.h"

namespace sshpath::client {

namespace {

using Value = std::variant<bool, std::int64_t, double, std::string>;

std::string joined(const std::vector<IpAddress>& a) {
    std::string out;
    for (const auto& x : a) out += (out.empty() ? "" : " ") + x.to_string();
    return out;
}

const fw::PathResult* path(const CheckResult& r, const std::string& name) {
    for (const auto& p : r.paths)
        if (p.name == name) return &p;
    return nullptr;
}

std::string rule_where(const fw::Hit& h) {
    return h.policy ? fmt::format("the policy of {} {} {}", h.source, h.table, h.chain)
                    : fmt::format("{} table {} {} chain {} ({})", h.source, h.family, h.table, h.chain, h.rule_id);
}

std::string counter_text(const fw::Hit& h) {
    if (!h.packets) return "no counter";
    return fmt::format("counter: {} packets", *h.packets);
}

// What ssh prints when the connection is rejected this way.
std::string reject_effect(const std::string& type) {
    if (type.find("reset") != std::string::npos || type.find("port-unreachable") != std::string::npos ||
        type == "icmp port-unreachable")
        return "ssh fails at once with \"Connection refused\"";
    if (type.find("net") != std::string::npos) return "ssh fails at once with \"Network is unreachable\"";
    if (type.find("host-unreachable") != std::string::npos || type.find("addr-unreach") != std::string::npos)
        return "ssh fails at once with \"No route to host\"";
    return "ssh fails at once (\"Connection refused\", \"No route to host\" or \"Permission denied\", by the reject type)";
}

void firewall_findings(CheckResult& r) {
    struct Meaning {
        const char* path;
        const char* level;
        const char* drop_effect;
    };
    static const Meaning meanings[] = {
        {"out-syn", "problem", "the SYN never leaves: ssh waits until ConnectTimeout and says \"Connection timed out\" (or fails with \"Operation not permitted\")"},
        {"in-reply", "problem", "the SYN leaves and the server answers, but the answer is discarded: the client keeps resending its SYN and ssh times out"},
        {"out-established", "problem", "the connection opens, then the client's next packets are discarded: ssh hangs"},
        {"in-established", "problem", "the connection opens, then the server's packets are discarded: ssh hangs before or during key exchange"},
        {"fwd-syn", "warning", "matters only for a container or VM on this machine whose traffic it forwards"},
        {"fwd-reply", "warning", "matters only for a container or VM on this machine whose traffic it forwards"},
    };
    // A connection whose SYN or SYN-ACK is blocked never gets to its later packets.
    auto blocked = [&](const char* name) {
        const fw::PathResult* p = path(r, name);
        return p != nullptr && p->verdict != "accept";
    };
    const bool never_opens = blocked("out-syn") || blocked("in-reply");
    for (const auto& m : meanings) {
        const fw::PathResult* p = path(r, m.path);
        if (p == nullptr) continue;
        if (never_opens && std::string(m.path).find("established") != std::string::npos) continue;
        if (p->verdict != "accept" && p->decided_by) {
            const fw::Hit& h = *p->decided_by;
            std::string effect = p->verdict == "reject" ? reject_effect(p->reject_type) : m.drop_effect;
            if (p->verdict == "queue") effect = "a program in user space (an IPS or security agent) decides; nothing in the rules says what it does";
            const std::string done = p->verdict == "reject" ? "rejected (" + p->reject_type + ")" : p->verdict == "queue" ? "queued" : "dropped";
            std::string text = fmt::format("{}: {} by {}: '{}' ({}){}; {}", p->description, done, rule_where(h), h.rule_text, counter_text(h),
                                           h.manager.empty() ? "" : ", managed by " + h.manager, effect);
            if (h.packets && *h.packets == 0 && std::string(m.path).rfind("fwd", 0) != 0)
                text += "; its counter has not moved: it has not matched a packet since the counters were last reset";
            r.findings.push_back({m.level, "firewall", text, h.manager.empty() ? h.remove_command : h.manager_command});
        }
        if (!p->certain) {
            std::string which;
            for (const auto& h : p->hits)
                if (h.match == fw::Tri::kMaybe || !h.reached)
                    if (h.action.verdict == fw::Verdict::kDrop || h.action.verdict == fw::Verdict::kReject ||
                        h.action.verdict == fw::Verdict::kQueue || h.action.verdict == fw::Verdict::kUnknown)
                        which += fmt::format("{}'{}' ({}{})", which.empty() ? "" : ", ", h.rule_text, rule_where(h),
                                             h.unknown.empty() ? "" : ": cannot tell " + h.unknown);
            if (!which.empty())
                r.findings.push_back({"warning", "firewall", fmt::format("{}: may be dropped by {}", p->description, which), ""});
        }
    }
    const fw::PathResult* syn = path(r, "out-syn");
    if (syn != nullptr)
        for (const auto& d : syn->diversions)
            r.findings.push_back({d.match == fw::Tri::kYes ? "problem" : "warning", "divert",
                                  fmt::format("the connection to {} port {} {} diverted by {}: '{}' ({} to {}; {}): a local proxy or security "
                                              "software answers instead of the server",
                                              r.ssh.hostname, r.port, d.match == fw::Tri::kYes ? "is" : "may be", rule_where(d), d.rule_text,
                                              fw::verdict_name(d.action.verdict), d.action.detail, counter_text(d)),
                                  d.remove_command});
    for (const auto& t : r.tproxy)
        r.findings.push_back({"warning", "divert",
                              fmt::format("a TPROXY rule hands TCP to port {} to a local transparent proxy: {}: '{}'", r.port, rule_where(t), t.rule_text),
                              t.remove_command});
}

void name_findings(CheckResult& r) {
    if (!r.ssh_error.empty())
        r.findings.push_back({"problem", "ssh-config", fmt::format("ssh refuses to run: \"{}\"", r.ssh_error), ""});
    if (!r.ssh.proxy_command.empty())
        r.findings.push_back({"info", "ssh-config",
                              fmt::format("ssh runs ProxyCommand '{}': the TCP connection is made by that command, not to {} port {}",
                                          r.ssh.proxy_command, r.ssh.hostname, r.port), ""});
    if (!r.ssh.proxy_jump.empty())
        r.findings.push_back({"info", "ssh-config", fmt::format("ssh goes through the jump host {} (ProxyJump): it connects there, not to {}",
                                                                r.ssh.proxy_jump, r.ssh.hostname), ""});
    for (const auto& v : r.proxy_env)
        if (!v.used_by_ssh && v.name != "no_proxy" && v.name != "NO_PROXY")
            r.findings.push_back({"info", "ssh-config", fmt::format("{} is set ({}), but ssh does not use proxy variables{}: it connects directly", v.name,
                                                                    v.value, r.ssh.proxy_command.empty() ? "" : " and the ProxyCommand does not name it"), ""});
    if (!r.resolution.resolved) {
        r.findings.push_back({"problem", "name", fmt::format("'{}' does not resolve ({}): ssh says \"ssh: Could not resolve hostname {}: {}\"",
                                                             r.ssh.hostname, r.resolution.error, r.ssh.hostname, r.resolution.error), ""});
        return;
    }
    if (!r.resolution.is_address && !r.resolution.v4.empty() && !r.resolution.v6.empty() && r.resolution.ordered.front().version == 6)
        r.findings.push_back({"info", "name", fmt::format("{} has IPv6 and IPv4 addresses and ssh tries {} first: if IPv6 does not get through, "
                                                          "ssh waits for it to time out before it tries IPv4 (AddressFamily inet, or ssh -4, avoids that)",
                                                          r.ssh.hostname, r.resolution.ordered.front().to_string()), ""});
    if (r.routes.empty()) return;
    const Route& route = r.routes.front();
    if (!route.found) {
        r.findings.push_back({"problem", "route", fmt::format("no route to {} ({}): ssh fails at once", route.destination.to_string(), route.error), ""});
        return;
    }
    static const char* vpn_kinds[] = {"wireguard", "tun", "ppp", "vti", "vti6", "xfrm", "ipip", "gre", "ip6tnl", "ipvlan", "macsec", "openvpn"};
    const bool vpn_kind = std::any_of(std::begin(vpn_kinds), std::end(vpn_kinds), [&](const char* k) { return route.interface_kind == k; });
    if (route.table != 254 && route.table != 255)
        r.findings.push_back({"warning", "route", fmt::format("the route to {} comes from routing table {}, chosen by a policy rule ({}): a VPN client "
                                                              "or another program steers this traffic",
                                                              route.destination.to_string(), table_name(route.table),
                                                              r.rules_for_host.empty() ? "see ip rule" : r.rules_for_host.front()), ""});
    else if (!r.rules_for_host.empty())
        r.findings.push_back({"info", "route", fmt::format("policy rules that may apply to {}: {}", route.destination.to_string(), r.rules_for_host.front()), ""});
    if (vpn_kind || (route.interface_kind == "" && route.interface.rfind("tun", 0) == 0))
        r.findings.push_back({"warning", "route", fmt::format("the route to {} leaves by {} ({}): the connection goes through a VPN tunnel",
                                                              route.destination.to_string(), route.interface, route.interface_kind.empty() ? "tunnel" : route.interface_kind), ""});
}

void file_findings(CheckResult& r) {
    for (const auto& f : r.files) {
        if (f.problem.empty()) continue;
        std::string text = f.problem;
        if (!f.ssh_says.empty()) text += fmt::format(" (ssh prints \"{}\")", f.ssh_says.size() > 1 ? f.ssh_says[1] : f.ssh_says[0]);
        if (f.role == FileRole::kSshDir && !f.refused)
            text += "; the ssh client does not check it, but an sshd with StrictModes refuses keys kept under such a directory";
        r.findings.push_back({f.refused || !f.readable ? "problem" : "warning", "files", text, f.fix});
    }
    for (const auto& k : r.known_hosts)
        if (!k.check.problem.empty()) r.findings.push_back({"warning", "files", k.check.problem, k.check.fix});
    std::vector<const KnownKey*> keys;
    for (const auto& k : r.known_hosts)
        for (const auto& key : k.keys) keys.push_back(&key);
    for (const auto& h : r.host_keys) {
        if (h.status == "changed") {
            std::string known;
            for (const auto& k : r.known_hosts)
                for (const auto& key : k.keys)
                    if (key.marker.empty() && ssh::key_blob_type(key.blob) == h.type)
                        known += fmt::format("{}{} line {} ({})", known.empty() ? "" : ", ", k.check.display, key.line, key.fingerprint);
            r.findings.push_back({"problem", "known-hosts",
                                  fmt::format("the server's {} key in {} ({}) is not the one known_hosts holds for {}: {}; ssh stops with \"WARNING: "
                                              "REMOTE HOST IDENTIFICATION HAS CHANGED!\" (check the new key with the server's administrator first)",
                                              h.type, r.capture_file, h.fingerprint, r.known_hosts_name, known),
                                  fmt::format("ssh-keygen -R '{}'", r.known_hosts_name)});
        } else if (h.status == "revoked") {
            r.findings.push_back({"problem", "known-hosts", fmt::format("the server's {} key ({}) is marked @revoked in known_hosts: ssh refuses it", h.type, h.fingerprint), ""});
        } else if (h.status == "match") {
            r.findings.push_back({"info", "known-hosts", fmt::format("the server's {} key in {} ({}) is the one known_hosts holds", h.type, r.capture_file, h.fingerprint), ""});
        } else {
            r.findings.push_back({"info", "known-hosts", fmt::format("the server's {} key ({}) is not in known_hosts ({}): ssh asks to confirm it, or refuses "
                                                                     "with StrictHostKeyChecking yes", h.type, h.fingerprint, h.status), ""});
        }
    }
    if (r.host_keys.empty() && keys.empty() && !r.known_hosts_name.empty() && r.resolution.resolved)
        r.findings.push_back({"info", "known-hosts", fmt::format("known_hosts holds no key for {}: ssh will ask to confirm the server's key", r.known_hosts_name), ""});
}

}  // namespace

void add_findings(CheckResult& r) {
    r.findings.clear();
    name_findings(r);
    file_findings(r);
    firewall_findings(r);
}

namespace {

struct FactDef {
    const char* name;
    const char* description;
    std::function<Value(const CheckResult&)> value;
};

const FileCheck* file_of(const CheckResult& r, FileRole role) {
    for (const auto& f : r.files)
        if (f.role == role) return &f;
    return nullptr;
}

std::string origin_of(const CheckResult& r, const std::string& key) {
    for (const auto& o : r.origins) {
        if (o.key != key) continue;
        if (o.files.empty()) return o.origin;
        std::string files;
        for (const auto& f : o.files) files += (files.empty() ? "" : " ") + f;
        return files;
    }
    return "";
}

std::int64_t count_files(const CheckResult& r, const std::function<bool(const FileCheck&)>& pred) {
    return std::count_if(r.files.begin(), r.files.end(), pred);
}

Value verdict_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p ? p->verdict : std::string();
}

Value rule_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p && p->decided_by ? p->decided_by->rule_text : std::string();
}

Value packets_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p && p->decided_by && p->decided_by->packets ? static_cast<std::int64_t>(*p->decided_by->packets) : std::int64_t{-1};
}

Value certain_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p == nullptr || p->certain;
}

const Route* first_route(const CheckResult& r) { return r.routes.empty() ? nullptr : &r.routes.front(); }

const std::vector<FactDef>& definitions() {
    using R = const CheckResult&;
    static const std::vector<FactDef> defs = {
        // --- what ssh will do
        {"ssh_config_read", "ssh -G ran as the user and printed the configuration ssh would use", [](R r) -> Value { return r.ssh_ran; }},
        {"ssh_config_error", "ssh -G's error when ssh refuses to run (e.g. \"Bad owner or permissions on ...\")", [](R r) -> Value { return r.ssh_error; }},
        {"ssh_hostname", "HostName: the name or address ssh connects to", [](R r) -> Value { return r.ssh.hostname; }},
        {"ssh_port", "the port ssh connects to (-p, else Port)", [](R r) -> Value { return std::int64_t{r.port}; }},
        {"ssh_user", "User: the remote user", [](R r) -> Value { return r.ssh.user; }},
        {"ssh_identity_files", "IdentityFile: the key files ssh may offer, as configured, separated by spaces", [](R r) -> Value { return r.ssh.get("identityfile"); }},
        {"ssh_proxy_command", "ProxyCommand, \"\" when none", [](R r) -> Value { return r.ssh.proxy_command; }},
        {"ssh_proxy_jump", "ProxyJump, \"\" when none", [](R r) -> Value { return r.ssh.proxy_jump; }},
        {"ssh_via_proxy", "ssh connects through a ProxyCommand or a ProxyJump, not to the host itself", [](R r) -> Value { return !r.ssh.proxy_command.empty() || !r.ssh.proxy_jump.empty(); }},
        {"ssh_connect_timeout", "ConnectTimeout in seconds; -1: none (the system's TCP timeout)", [](R r) -> Value { return std::int64_t{r.ssh.connect_timeout}; }},
        {"ssh_address_family", "AddressFamily: any, inet or inet6", [](R r) -> Value { return r.ssh.address_family; }},
        {"ssh_strict_host_key_checking", "StrictHostKeyChecking as ssh -G prints it (ask, true, false, accept-new)", [](R r) -> Value { return r.ssh.strict_host_key_checking; }},
        {"ssh_hostname_set_in", "the files that set HostName (a configuration file or one it includes), or default, command-line, unknown", [](R r) -> Value { return origin_of(r, "hostname"); }},
        {"ssh_port_set_in", "the files that set Port, or default, command-line, unknown", [](R r) -> Value { return origin_of(r, "port"); }},
        {"ssh_identity_file_set_in", "the files that set IdentityFile, or default, unknown", [](R r) -> Value { return origin_of(r, "identityfile"); }},
        {"ssh_proxy_command_set_in", "the files that set ProxyCommand, or default, unknown", [](R r) -> Value { return origin_of(r, "proxycommand"); }},
        {"ssh_proxy_jump_set_in", "the files that set ProxyJump, or default, unknown", [](R r) -> Value { return origin_of(r, "proxyjump"); }},
        {"proxy_env_set", "a proxy variable (http_proxy, https_proxy, all_proxy, any case) is set", [](R r) -> Value {
             return std::any_of(r.proxy_env.begin(), r.proxy_env.end(), [](const ProxyVariable& v) { return v.name != "no_proxy" && v.name != "NO_PROXY"; }); }},
        {"proxy_env", "the proxy variables set, NAME=VALUE separated by spaces", [](R r) -> Value {
             std::string s;
             for (const auto& v : r.proxy_env) s += (s.empty() ? "" : " ") + v.name + "=" + v.value;
             return s; }},
        {"proxy_env_used_by_ssh", "the ProxyCommand names a proxy variable (ssh itself never reads them)", [](R r) -> Value {
             return std::any_of(r.proxy_env.begin(), r.proxy_env.end(), [](const ProxyVariable& v) { return v.used_by_ssh; }); }},
        // --- name and route
        {"name_is_address", "the host given is an IP address", [](R r) -> Value { return r.resolution.is_address; }},
        {"name_resolves", "the host name resolves to at least one address ssh would try", [](R r) -> Value { return r.resolution.resolved; }},
        {"resolve_error", "the resolver's error when it does not (\"Name or service not known\")", [](R r) -> Value { return r.resolution.error; }},
        {"ipv4_addresses", "the A answers, separated by spaces", [](R r) -> Value { return joined(r.resolution.v4); }},
        {"ipv6_addresses", "the AAAA answers, separated by spaces", [](R r) -> Value { return joined(r.resolution.v6); }},
        {"first_address", "the address ssh tries first", [](R r) -> Value { return r.resolution.ordered.empty() ? std::string() : r.resolution.ordered.front().to_string(); }},
        {"first_address_family", "4 or 6; -1 when nothing resolved", [](R r) -> Value { return r.resolution.ordered.empty() ? std::int64_t{-1} : std::int64_t{r.resolution.ordered.front().version}; }},
        {"route_found", "the kernel has a route to the first address", [](R r) -> Value { return first_route(r) && first_route(r)->found; }},
        {"route_error", "why there is none (\"Network is unreachable\", a blackhole or prohibit route)", [](R r) -> Value { return first_route(r) ? first_route(r)->error : std::string(); }},
        {"route_interface", "the interface the route leaves by", [](R r) -> Value { return first_route(r) ? first_route(r)->interface : std::string(); }},
        {"route_interface_kind", "that interface's kind (veth, wireguard, tun, ...), \"\" for a plain device", [](R r) -> Value { return first_route(r) ? first_route(r)->interface_kind : std::string(); }},
        {"route_source", "the source address the kernel picks", [](R r) -> Value { return first_route(r) && first_route(r)->source ? first_route(r)->source->to_string() : std::string(); }},
        {"route_gateway", "the gateway, \"\" when the host is on the link", [](R r) -> Value { return first_route(r) && first_route(r)->gateway ? first_route(r)->gateway->to_string() : std::string(); }},
        {"route_on_link", "the host is on a directly connected network (no gateway)", [](R r) -> Value { return first_route(r) && first_route(r)->on_link(); }},
        {"route_table", "the routing table that gave the route (main, local or a number: a policy rule chose it)", [](R r) -> Value { return first_route(r) && first_route(r)->found ? table_name(first_route(r)->table) : std::string(); }},
        {"route_prefix", "the routing entry that matched, ADDRESS/LENGTH (0.0.0.0/0 or ::/0 for the default route)", [](R r) -> Value {
             const Route* x = first_route(r);
             if (!x || x->prefix_length < 0) return std::string();
             if (!x->prefix) return std::string(x->destination.version == 6 ? "::/0" : "0.0.0.0/0");
             return fmt::format("{}/{}", x->prefix->to_string(), x->prefix_length); }},
        {"route_is_default", "the route is the default route", [](R r) -> Value { return first_route(r) && first_route(r)->is_default(); }},
        {"policy_rules", "policy routing rules besides the three default ones", [](R r) -> Value { return static_cast<std::int64_t>(r.policy_rules.size()); }},
        {"policy_rule_for_host", "the first of those that may select traffic to the first address, as ip rule prints it", [](R r) -> Value { return r.rules_for_host.empty() ? std::string() : r.rules_for_host.front(); }},
        // --- keys and files
        {"ssh_dir_mode", "the mode of ~/.ssh (e.g. 0700), \"\" when it does not exist", [](R r) -> Value { const FileCheck* f = file_of(r, FileRole::kSshDir); return f && f->stat.exists ? fmt::format("{:04o}", f->stat.mode) : std::string(); }},
        {"ssh_dir_as_recommended", "~/.ssh is the user's and no more open than 700", [](R r) -> Value { const FileCheck* f = file_of(r, FileRole::kSshDir); return f && f->stat.exists && f->as_recommended; }},
        {"ssh_config_file_mode", "the mode of ~/.ssh/config, \"\" when it does not exist", [](R r) -> Value { const FileCheck* f = file_of(r, FileRole::kConfig); return f && f->stat.exists ? fmt::format("{:04o}", f->stat.mode) : std::string(); }},
        {"ssh_config_file_refused", "ssh refuses ~/.ssh/config: \"Bad owner or permissions\"", [](R r) -> Value { const FileCheck* f = file_of(r, FileRole::kConfig); return f && f->refused; }},
        {"identity_files_present", "identity files ssh would offer that exist", [](R r) -> Value { return count_files(r, [](const FileCheck& f) { return f.role == FileRole::kPrivateKey && f.stat.exists; }); }},
        {"identity_files_refused", "of those, how many ssh ignores: \"UNPROTECTED PRIVATE KEY FILE\"", [](R r) -> Value { return count_files(r, [](const FileCheck& f) { return f.role == FileRole::kPrivateKey && f.refused; }); }},
        {"identity_file_refused", "the first identity file ssh ignores, as the user writes it", [](R r) -> Value {
             for (const auto& f : r.files) if (f.role == FileRole::kPrivateKey && f.refused) return f.display;
             return std::string(); }},
        {"identity_files_unreadable", "identity files that exist but the user cannot read", [](R r) -> Value { return count_files(r, [](const FileCheck& f) { return f.role == FileRole::kPrivateKey && f.stat.exists && !f.readable; }); }},
        {"files_not_as_recommended", "of ~/.ssh, config, keys and known_hosts: how many differ from the guide's modes (700, 600, 600, 644) or are not the user's", [](R r) -> Value {
             std::int64_t n = count_files(r, [](const FileCheck& f) { return f.stat.exists && !f.as_recommended; });
             for (const auto& k : r.known_hosts) n += !k.check.as_recommended;
             return n; }},
        {"known_hosts_has_host", "known_hosts holds a key for the host (the name ssh looks up, [host]:port for another port)", [](R r) -> Value {
             return std::any_of(r.known_hosts.begin(), r.known_hosts.end(), [](const KnownHostsFile& k) {
                 return std::any_of(k.keys.begin(), k.keys.end(), [](const KnownKey& x) { return x.marker.empty(); }); }); }},
        {"known_hosts_key_types", "the types of those keys, separated by spaces", [](R r) -> Value {
             std::string s;
             for (const auto& k : r.known_hosts) for (const auto& x : k.keys) if (x.marker.empty() && s.find(x.type) == std::string::npos) s += (s.empty() ? "" : " ") + x.type;
             return s; }},
        {"capture_host_key", "the SHA256 fingerprint of the host key the server sent in the --capture file", [](R r) -> Value { return r.host_keys.empty() ? std::string() : r.host_keys.front().fingerprint; }},
        {"host_key_vs_known_hosts", "that key against known_hosts: match, changed, revoked, other-type-known, not-known; \"\" without a capture", [](R r) -> Value { return r.host_keys.empty() ? std::string() : r.host_keys.front().status; }},
        // --- the firewall
        {"firewall_read", "the firewall rules were read (as root)", [](R r) -> Value { return r.firewall_read; }},
        {"firewall_sources", "the rulesets read: nftables, iptables-nft, iptables-legacy, separated by spaces", [](R r) -> Value {
             std::string s;
             for (const auto& f : r.firewall_sources) {
                 const std::string n = f.name.substr(0, f.name.find(' '));
                 if (f.read && f.tables > 0 && s.find(n) == std::string::npos) s += (s.empty() ? "" : " ") + n;
             }
             return s; }},
        {"out_verdict", "what the client's firewall does with its SYN to the host: accept, drop, reject, queue", [](R r) -> Value { return verdict_of(r, "out-syn"); }},
        {"out_rule", "the rule that drops or rejects it, as the tool prints it", [](R r) -> Value { return rule_of(r, "out-syn"); }},
        {"out_rule_packets", "that rule's packet counter; -1 when it has none", [](R r) -> Value { return packets_of(r, "out-syn"); }},
        {"out_reject_type", "the reject type (tcp-reset, icmp-port-unreachable, ...)", [](R r) -> Value { const fw::PathResult* p = path(r, "out-syn"); return p ? p->reject_type : std::string(); }},
        {"out_remove_command", "the command that removes that rule (or the manager's, for ufw and firewalld)", [](R r) -> Value {
             const fw::PathResult* p = path(r, "out-syn");
             if (!p || !p->decided_by) return std::string();
             return p->decided_by->manager.empty() ? p->decided_by->remove_command : p->decided_by->manager_command; }},
        {"out_certain", "no rule that may match could change out_verdict", [](R r) -> Value { return certain_of(r, "out-syn"); }},
        {"firewall_manager", "the program that manages the deciding rule: ufw, firewalld or \"\"", [](R r) -> Value {
             for (const auto& p : r.paths) if (p.decided_by && !p.decided_by->manager.empty()) return p.decided_by->manager;
             return std::string(); }},
        {"reply_verdict", "what it does with the server's SYN-ACK", [](R r) -> Value { return verdict_of(r, "in-reply"); }},
        {"reply_rule", "the rule that drops or rejects the SYN-ACK", [](R r) -> Value { return rule_of(r, "in-reply"); }},
        {"reply_rule_packets", "that rule's packet counter; -1 when it has none", [](R r) -> Value { return packets_of(r, "in-reply"); }},
        {"reply_certain", "no rule that may match could change reply_verdict", [](R r) -> Value { return certain_of(r, "in-reply"); }},
        {"established_verdict", "what it does with the connection's later packets: the first of out and in that is not accept", [](R r) -> Value {
             const Value out = verdict_of(r, "out-established");
             return std::get<std::string>(out) != "accept" ? out : verdict_of(r, "in-established"); }},
        {"forward_verdict", "the same connection forwarded for a container or VM: the SYN's fate, then the reply's", [](R r) -> Value {
             const Value syn = verdict_of(r, "fwd-syn");
             return std::get<std::string>(syn) != "accept" ? syn : verdict_of(r, "fwd-reply"); }},
        {"diverted", "a nat rule (REDIRECT, DNAT) diverts the connection to the host's SSH port", [](R r) -> Value {
             const fw::PathResult* p = path(r, "out-syn");
             return p && std::any_of(p->diversions.begin(), p->diversions.end(), [](const fw::Hit& h) { return h.match == fw::Tri::kYes; }); }},
        {"divert_rule", "that rule, as the tool prints it", [](R r) -> Value {
             const fw::PathResult* p = path(r, "out-syn");
             return p && !p->diversions.empty() ? p->diversions.front().rule_text : std::string(); }},
        {"divert_to", "where it sends the connection: redirect port 3129, dnat 198.18.5.5 port 22", [](R r) -> Value {
             const fw::PathResult* p = path(r, "out-syn");
             if (!p || p->diversions.empty()) return std::string();
             const auto& a = p->diversions.front().action;
             return fmt::format("{} {}", fw::verdict_name(a.verdict), a.detail); }},
        {"tproxy_rules", "TPROXY rules that hand TCP to the SSH port to a local transparent proxy", [](R r) -> Value { return static_cast<std::int64_t>(r.tproxy.size()); }},
        {"checks_skipped", "the checks that could not run, separated by commas (see the report for why)", [](R r) -> Value {
             std::string s;
             for (const auto& k : r.skipped) s += (s.empty() ? "" : ", ") + k.check;
             return s; }},
    };
    return defs;
}

}  // namespace

std::vector<Fact> client_facts(const CheckResult& result) {
    std::vector<Fact> out;
    for (const auto& d : definitions()) out.push_back({d.name, d.value(result), d.description});
    return out;
}

std::vector<Fact> client_fact_catalogue() { return client_facts(CheckResult{}); }

}  // namespace sshpath::client
