// The report's sentences and the `client` facts, both read from a CheckResult.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "sshpath/client/check.h"

namespace sshpath::client {

namespace {

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
            const std::int64_t during = std::string(m.path) == "out-syn" ? r.out_rule_packets_during
                                        : std::string(m.path) == "in-reply" ? r.reply_rule_packets_during : -1;
            if (during > 0)
                text += fmt::format("; it counted {} packets while the command ran", during);
            else if (during == 0)
                text += "; it counted no packet while the command ran: it is not what stopped this connection";
            else if (h.packets && *h.packets == 0 && std::string(m.path).rfind("fwd", 0) != 0)
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

namespace C = facts::client;

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

std::string verdict_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p ? p->verdict : std::string();
}

std::string rule_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p && p->decided_by ? p->decided_by->rule_text : std::string();
}

std::int64_t packets_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p && p->decided_by && p->decided_by->packets ? static_cast<std::int64_t>(*p->decided_by->packets) : std::int64_t{-1};
}

bool certain_of(const CheckResult& r, const char* name) {
    const fw::PathResult* p = path(r, name);
    return p != nullptr && p->certain;
}

const Route* first_route(const CheckResult& r) { return r.routes.empty() ? nullptr : &r.routes.front(); }

// What ssh will do.
void ssh_facts(facts::FactSet& fs, const CheckResult& r) {
    fs.set(C::ssh_config_read, r.ssh_ran);
    fs.set(C::ssh_config_error, r.ssh_error);
    fs.set(C::ssh_hostname, r.ssh.hostname);
    fs.set(C::ssh_port, r.port);
    fs.set(C::ssh_user, r.ssh.user);
    fs.set(C::ssh_identity_files, r.ssh.get("identityfile"));
    fs.set(C::ssh_proxy_command, r.ssh.proxy_command);
    fs.set(C::ssh_proxy_jump, r.ssh.proxy_jump);
    fs.set(C::ssh_via_proxy, !r.ssh.proxy_command.empty() || !r.ssh.proxy_jump.empty());
    fs.set(C::ssh_connect_timeout, r.ssh.connect_timeout);
    fs.set(C::ssh_address_family, r.ssh.address_family);
    fs.set(C::ssh_strict_host_key_checking, r.ssh.strict_host_key_checking);
    fs.set(C::ssh_hostname_set_in, origin_of(r, "hostname"));
    fs.set(C::ssh_port_set_in, origin_of(r, "port"));
    fs.set(C::ssh_identity_file_set_in, origin_of(r, "identityfile"));
    fs.set(C::ssh_proxy_command_set_in, origin_of(r, "proxycommand"));
    fs.set(C::ssh_proxy_jump_set_in, origin_of(r, "proxyjump"));
    fs.set(C::proxy_env_set, [&]() -> bool {
        return std::any_of(r.proxy_env.begin(), r.proxy_env.end(), [](const ProxyVariable& v) { return v.name != "no_proxy" && v.name != "NO_PROXY"; });
    }());
    fs.set(C::proxy_env, [&]() -> std::string {
        std::string s;
        for (const auto& v : r.proxy_env) s += (s.empty() ? "" : " ") + v.name + "=" + v.value;
        return s;
    }());
    fs.set(C::proxy_env_used_by_ssh, [&]() -> bool {
        return std::any_of(r.proxy_env.begin(), r.proxy_env.end(), [](const ProxyVariable& v) { return v.used_by_ssh; });
    }());
}

// Name and route.
void route_facts(facts::FactSet& fs, const CheckResult& r) {
    fs.set(C::name_is_address, r.resolution.is_address);
    fs.set(C::name_resolves, r.resolution.resolved);
    fs.set(C::resolve_error, r.resolution.error);
    fs.set(C::ipv4_addresses, joined(r.resolution.v4));
    fs.set(C::ipv6_addresses, joined(r.resolution.v6));
    fs.set(C::first_address, r.resolution.ordered.empty() ? std::string() : r.resolution.ordered.front().to_string());
    fs.set(C::first_address_family, r.resolution.ordered.empty() ? std::int64_t{-1} : std::int64_t{r.resolution.ordered.front().version});
    fs.set(C::route_found, first_route(r) && first_route(r)->found);
    fs.set(C::route_error, first_route(r) ? first_route(r)->error : std::string());
    fs.set(C::route_interface, first_route(r) ? first_route(r)->interface : std::string());
    fs.set(C::route_interface_kind, first_route(r) ? first_route(r)->interface_kind : std::string());
    fs.set(C::route_source, first_route(r) && first_route(r)->source ? first_route(r)->source->to_string() : std::string());
    fs.set(C::route_gateway, first_route(r) && first_route(r)->gateway ? first_route(r)->gateway->to_string() : std::string());
    fs.set(C::route_on_link, first_route(r) && first_route(r)->on_link());
    fs.set(C::route_table, first_route(r) && first_route(r)->found ? table_name(first_route(r)->table) : std::string());
    fs.set(C::route_prefix, [&]() -> std::string {
        const Route* x = first_route(r);
        if (!x || x->prefix_length < 0) return std::string();
        if (!x->prefix) return std::string(x->destination.version == 6 ? "::/0" : "0.0.0.0/0");
        return fmt::format("{}/{}", x->prefix->to_string(), x->prefix_length);
    }());
    fs.set(C::route_is_default, first_route(r) && first_route(r)->is_default());
    fs.set(C::policy_rules, static_cast<std::int64_t>(r.policy_rules.size()));
    fs.set(C::policy_rule_for_host, r.rules_for_host.empty() ? std::string() : r.rules_for_host.front());
}

// Keys and files.
void file_facts(facts::FactSet& fs, const CheckResult& r) {
    fs.set(C::ssh_dir_mode, [&]() -> std::string {
        const FileCheck* f = file_of(r, FileRole::kSshDir); return f && f->stat.exists ? fmt::format("{:04o}", f->stat.mode) : std::string();
    }());
    fs.set(C::ssh_dir_as_recommended, [&]() -> bool {
        const FileCheck* f = file_of(r, FileRole::kSshDir); return f && f->stat.exists && f->as_recommended;
    }());
    fs.set(C::ssh_config_file_mode, [&]() -> std::string {
        const FileCheck* f = file_of(r, FileRole::kConfig); return f && f->stat.exists ? fmt::format("{:04o}", f->stat.mode) : std::string();
    }());
    fs.set(C::ssh_config_file_refused, [&]() -> bool {
        const FileCheck* f = file_of(r, FileRole::kConfig); return f && f->refused;
    }());
    fs.set(C::identity_files_present, [&]() -> std::int64_t {
        return count_files(r, [](const FileCheck& f) { return f.role == FileRole::kPrivateKey && f.stat.exists; });
    }());
    fs.set(C::identity_files_refused, [&]() -> std::int64_t {
        return count_files(r, [](const FileCheck& f) { return f.role == FileRole::kPrivateKey && f.refused; });
    }());
    fs.set(C::identity_file_refused, [&]() -> std::string {
        for (const auto& f : r.files) if (f.role == FileRole::kPrivateKey && f.refused) return f.display;
        return std::string();
    }());
    fs.set(C::identity_files_unreadable, [&]() -> std::int64_t {
        return count_files(r, [](const FileCheck& f) { return f.role == FileRole::kPrivateKey && f.stat.exists && !f.readable; });
    }());
    fs.set(C::files_not_as_recommended, [&]() -> std::int64_t {
        std::int64_t n = count_files(r, [](const FileCheck& f) { return f.stat.exists && !f.as_recommended; });
        for (const auto& k : r.known_hosts) n += !k.check.as_recommended;
        return n;
    }());
    fs.set(C::known_hosts_has_host, [&]() -> bool {
        return std::any_of(r.known_hosts.begin(), r.known_hosts.end(), [](const KnownHostsFile& k) {
            return std::any_of(k.keys.begin(), k.keys.end(), [](const KnownKey& x) { return x.marker.empty(); }); });
    }());
    fs.set(C::known_hosts_key_types, [&]() -> std::string {
        std::string s;
        for (const auto& k : r.known_hosts) for (const auto& x : k.keys) if (x.marker.empty() && s.find(x.type) == std::string::npos) s += (s.empty() ? "" : " ") + x.type;
        return s;
    }());
    fs.set(C::capture_host_key, r.host_keys.empty() ? std::string() : r.host_keys.front().fingerprint);
    fs.set(C::host_key_vs_known_hosts, r.host_keys.empty() ? std::string() : r.host_keys.front().status);
}

// The firewall.
void firewall_facts(facts::FactSet& fs, const CheckResult& r) {
    fs.set(C::firewall_read, r.firewall_read);
    fs.set(C::firewall_sources, [&]() -> std::string {
        std::string s;
        for (const auto& f : r.firewall_sources) {
            const std::string n = f.name.substr(0, f.name.find(' '));
            if (f.read && f.tables > 0 && s.find(n) == std::string::npos) s += (s.empty() ? "" : " ") + n;
        }
        return s;
    }());
    fs.set(C::out_verdict, verdict_of(r, "out-syn"));
    fs.set(C::out_rule, rule_of(r, "out-syn"));
    fs.set(C::out_rule_packets, packets_of(r, "out-syn"));
    fs.set(C::out_reject_type, [&]() -> std::string {
        const fw::PathResult* p = path(r, "out-syn"); return p ? p->reject_type : std::string();
    }());
    fs.set(C::out_remove_command, [&]() -> std::string {
        const fw::PathResult* p = path(r, "out-syn");
        if (!p || !p->decided_by) return std::string();
        return p->decided_by->manager.empty() ? p->decided_by->remove_command : p->decided_by->manager_command;
    }());
    fs.set(C::out_certain, certain_of(r, "out-syn"));
    fs.set(C::firewall_manager, [&]() -> std::string {
        for (const auto& p : r.paths) if (p.decided_by && !p.decided_by->manager.empty()) return p.decided_by->manager;
        return std::string();
    }());
    fs.set(C::reply_verdict, verdict_of(r, "in-reply"));
    fs.set(C::reply_rule, rule_of(r, "in-reply"));
    fs.set(C::reply_rule_packets, packets_of(r, "in-reply"));
    fs.set(C::reply_certain, certain_of(r, "in-reply"));
    fs.set(C::established_verdict, [&]() -> std::string {
        const std::string out = verdict_of(r, "out-established");
        return out != "accept" ? out : verdict_of(r, "in-established");
    }());
    fs.set(C::forward_verdict, [&]() -> std::string {
        const std::string syn = verdict_of(r, "fwd-syn");
        return syn != "accept" ? syn : verdict_of(r, "fwd-reply");
    }());
    fs.set(C::diverted, [&]() -> bool {
        const fw::PathResult* p = path(r, "out-syn");
        return p && std::any_of(p->diversions.begin(), p->diversions.end(), [](const fw::Hit& h) { return h.match == fw::Tri::kYes; });
    }());
    fs.set(C::divert_rule, [&]() -> std::string {
        const fw::PathResult* p = path(r, "out-syn");
        return p && !p->diversions.empty() ? p->diversions.front().rule_text : std::string();
    }());
    fs.set(C::divert_to, [&]() -> std::string {
        const fw::PathResult* p = path(r, "out-syn");
        if (!p || p->diversions.empty()) return std::string();
        const auto& a = p->diversions.front().action;
        return fmt::format("{} {}", fw::verdict_name(a.verdict), a.detail);
    }());
    fs.set(C::tproxy_rules, static_cast<std::int64_t>(r.tproxy.size()));
    fs.set(C::checks_skipped, [&]() -> std::string {
        std::string s;
        for (const auto& k : r.skipped) s += (s.empty() ? "" : ", ") + k.check;
        return s;
    }());
}

}  // namespace

facts::FactSet client_fact_set(const CheckResult& r) {
    facts::FactSet fs(facts::Scope::kClient);
    fs.set(C::checked, true);
    ssh_facts(fs, r);
    route_facts(fs, r);
    file_facts(fs, r);
    firewall_facts(fs, r);
    fs.set(C::out_rule_packets_during, r.out_rule_packets_during);
    fs.set(C::reply_rule_packets_during, r.reply_rule_packets_during);
    // The deciding rules, cited as the verdict's evidence (no packet: packet 0).
    for (const auto& [id, name] : {std::pair{C::out_rule, "out-syn"}, std::pair{C::reply_rule, "in-reply"}}) {
        const fw::PathResult* p = path(r, name);
        if (p == nullptr || !p->decided_by) continue;
        const fw::Hit& h = *p->decided_by;
        fs.observe(id, 0, 0, fmt::format("{} {} {} {}: '{}'{}", h.source, h.table, h.chain, h.policy ? "policy" : h.rule_id, h.rule_text,
                                    h.packets ? fmt::format(" [{} packets]", *h.packets) : ""));
    }
    return fs;
}

}  // namespace sshpath::client
