// run_check(): the gathering layer. Each part runs what it can and records what it could not.
#include <fmt/format.h>
#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "sshpath/client/check.h"
#include "sshpath/client/ruleset_parse.h"
#include "sshpath/core/error.h"

namespace sshpath::client {

namespace {

constexpr std::size_t kMaxRoutes = 4;      // addresses of the host whose route is looked up
constexpr int kMaxIncludeDepth = 16;       // OpenSSH's READCONF_MAX_DEPTH

std::string first_line(const std::string& text) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line.rfind("Pseudo-terminal", 0) != 0) return line;
        start = nl + 1;
    }
    return "";
}

std::string expand_tilde(const std::string& path, const std::string& home) {
    if (path == "~") return home;
    if (path.rfind("~/", 0) == 0) return home + path.substr(1);
    return path;
}

std::string display_path(const std::string& path, const std::string& home) {
    if (!home.empty() && home != "/" && path.rfind(home + "/", 0) == 0) return "~" + path.substr(home.size());
    return path;
}

// The % tokens ssh expands in IdentityFile (ssh_config(5) TOKENS), and ~.
std::string expand_identity(const std::string& path, const CheckResult& r) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::string shorthost = host;
    shorthost = shorthost.substr(0, shorthost.find('.'));
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '%' || i + 1 >= path.size()) {
            out += path[i];
            continue;
        }
        const char t = path[++i];
        if (t == '%') out += '%';
        else if (t == 'd') out += r.user.home;
        else if (t == 'u') out += r.user.name;
        else if (t == 'h') out += r.ssh.hostname;
        else if (t == 'r') out += r.ssh.user;
        else if (t == 'p') out += std::to_string(r.port);
        else if (t == 'l') out += shorthost;
        else if (t == 'L') out += host;
        else if (t == 'n') out += r.host;
        else out += std::string("%") + t;
    }
    return expand_tilde(out, r.user.home);
}

// A configuration file and, recursively, the files its Include lines name.
void read_config_tree(const std::string& path, const std::string& relative_to, const std::string& home, int depth,
                      std::vector<ConfigFile>& out) {
    if (depth > kMaxIncludeDepth || std::any_of(out.begin(), out.end(), [&](const ConfigFile& f) { return f.path == path; })) return;
    auto text = read_text(path);
    if (!text) return;
    out.push_back({path, *text});
    for (const auto& pattern : include_patterns(*text)) {
        std::string p = expand_tilde(pattern, home);
        if (p.empty() || p[0] != '/') p = relative_to + "/" + p;
        glob_t g{};
        if (glob(p.c_str(), 0, nullptr, &g) == 0)
            for (std::size_t i = 0; i < g.gl_pathc; ++i) read_config_tree(g.gl_pathv[i], relative_to, home, depth + 1, out);
        globfree(&g);
    }
}

void gather_ssh(CheckResult& r, const CheckOptions& o) {
    const CommandResult version = run_command({"ssh", "-V"}, &r.user);
    if (!version.ran) {
        r.skipped.push_back({"ssh configuration", version.error});
        return;
    }
    r.ssh_version = first_line(version.err + version.out);
    std::vector<std::string> tail = o.ssh_args;
    if (tail.empty()) {
        if (o.port) tail = {"-p", std::to_string(*o.port)};
        tail.push_back(o.host);
    }
    auto ssh_g = [&](std::vector<std::string> pre) {
        std::vector<std::string> argv = {"ssh", "-G"};
        argv.insert(argv.end(), pre.begin(), pre.end());
        argv.insert(argv.end(), tail.begin(), tail.end());
        return std::pair{argv, run_command(argv, &r.user)};
    };
    auto [argv, full] = ssh_g({});
    r.ssh_command = argv;
    auto [dargv, defaults_run] = ssh_g({"-F", "/dev/null"});
    const SshSettings defaults = parse_ssh_g(defaults_run.out);
    if (full.status == 0) {
        r.ssh_ran = true;
        r.ssh = parse_ssh_g(full.out);
    } else {
        r.ssh_error = first_line(full.err);
        if (r.ssh_error.empty()) r.ssh_error = full.error.empty() ? fmt::format("ssh -G exited with status {}", full.status) : full.error;
        // ssh refuses to run: go on with its defaults to examine the rest.
        r.ssh = defaults;
    }
    if (r.ssh.hostname.empty()) r.ssh.hostname = o.host;
    r.port = o.port.value_or(r.ssh.port);
    r.port_given = o.port.has_value();

    const std::string user_config = r.user.home + "/.ssh/config", system_config = "/etc/ssh/ssh_config";
    std::optional<SshSettings> user_only, system_only;
    std::vector<ConfigFile> user_files, system_files;
    if (!r.user.home.empty() && stat_path(user_config).exists) {
        auto run = ssh_g({"-F", user_config}).second;
        if (run.status == 0) user_only = parse_ssh_g(run.out);
        read_config_tree(user_config, r.user.home + "/.ssh", r.user.home, 0, user_files);
    }
    if (stat_path(system_config).exists) {
        auto run = ssh_g({"-F", system_config}).second;
        if (run.status == 0) system_only = parse_ssh_g(run.out);
        read_config_tree(system_config, "/etc/ssh", r.user.home, 0, system_files);
    }
    std::vector<std::string> command_line;
    if (o.port) command_line.push_back("port");
    if (r.ssh_ran)
        r.origins = setting_origins(r.ssh, defaults, user_only ? &*user_only : nullptr, system_only ? &*system_only : nullptr,
                                    command_line, user_files, system_files);
    r.proxy_env = proxy_variables(user_environment(r.user, r.proxy_env_from), r.ssh.proxy_command);
}

void gather_name_route(CheckResult& r) {
    r.resolution = resolve_host(r.ssh.hostname, r.ssh.address_family);
    for (std::size_t i = 0; i < r.resolution.ordered.size() && i < kMaxRoutes; ++i) r.routes.push_back(lookup_route(r.resolution.ordered[i]));
    for (int family : {4, 6})
        for (auto& rule : parse_rule_dump(query_rules(family)))
            if (!rule.is_default()) r.policy_rules.push_back(std::move(rule));
    if (r.resolution.ordered.empty()) return;
    const IpAddress& first = r.resolution.ordered.front();
    for (const auto& rule : r.policy_rules) {
        bool maybe = false;
        if (rule.selects(first, maybe)) r.rules_for_host.push_back(rule.text + (maybe ? " (when its mark or interface selector holds)" : ""));
    }
}

void gather_files(CheckResult& r) {
    if (r.user.home.empty()) {
        r.skipped.push_back({"key files", fmt::format("uid {} has no home directory in the passwd database", r.user.uid)});
        return;
    }
    FileUser fu;
    fu.uid = r.user.uid;
    fu.groups = r.user.groups;
    fu.debian_group_rule = r.ssh_version.find("Debian") != std::string::npos || r.ssh_version.find("Ubuntu") != std::string::npos;
    auto add = [&](FileRole role, const std::string& path) {
        const FileStat st = stat_path(path);
        FileUser u = fu;
        if (st.exists) u.group_is_private = group_is_private(st.gid, r.user);
        r.files.push_back(check_file(role, st, u, display_path(path, r.user.home)));
        return st.exists;
    };
    add(FileRole::kSshDir, r.user.home + "/.ssh");
    add(FileRole::kConfig, r.user.home + "/.ssh/config");
    bool explicit_identities = false;
    for (const auto& o : r.origins)
        if (o.key == "identityfile" && o.origin != "default") explicit_identities = true;
    for (const auto& id : r.ssh.identity_files) {
        const std::string path = expand_identity(id, r);
        if (!add(FileRole::kPrivateKey, path) && !explicit_identities) r.files.pop_back();  // a default one that is absent
        if (stat_path(path).exists || stat_path(path + ".pub").exists) {
            if (!add(FileRole::kPublicKey, path + ".pub")) r.files.pop_back();
        }
    }
}

void gather_known_hosts(CheckResult& r, const CheckOptions& o) {
    r.known_hosts_name = known_hosts_name(r.ssh.hostname, r.port, r.ssh.host_key_alias);
    std::vector<std::pair<std::string, bool>> files;  // path, the user's own
    for (const auto& f : r.ssh.user_known_hosts_files) files.emplace_back(expand_tilde(f, r.user.home), true);
    for (const auto& f : r.ssh.global_known_hosts_files) files.emplace_back(f, false);
    std::vector<KnownKey> all;
    for (const auto& [path, own] : files) {
        const FileStat st = stat_path(path);
        if (!st.exists) continue;
        KnownHostsFile k;
        k.path = path;
        FileUser fu;
        fu.uid = own ? r.user.uid : 0;
        fu.groups = r.user.groups;
        k.check = check_file(FileRole::kKnownHosts, st, fu, display_path(path, r.user.home));
        if (!own) k.check.as_recommended = true, k.check.problem.clear(), k.check.fix.clear();
        const CommandResult find = run_command({"ssh-keygen", "-F", r.known_hosts_name, "-f", path}, &r.user);
        if (find.status == 0) k.keys = parse_keygen_find(find.out);
        else if (find.status != 1) k.error = find.error.empty() ? first_line(find.err) : find.error;
        all.insert(all.end(), k.keys.begin(), k.keys.end());
        r.known_hosts.push_back(std::move(k));
    }
    r.capture_file = o.capture_file;
    // The keys of connections to the host's addresses; all of them when none went there (the
    // capture may show the connection to a proxy, which carries the server's key all the same).
    auto of_host = [&](const SeenKey& k) {
        const auto& a = r.resolution;
        return std::find(a.v4.begin(), a.v4.end(), k.server) != a.v4.end() || std::find(a.v6.begin(), a.v6.end(), k.server) != a.v6.end();
    };
    const bool any_of_host = std::any_of(o.capture_keys.begin(), o.capture_keys.end(), of_host);
    for (const auto& seen : o.capture_keys) {
        if (any_of_host && !of_host(seen)) continue;
        const ssh::HostKey& key = seen.key;
        HostKeyCompare c{fmt::format("{} port {}", seen.server.to_string(), seen.port), key.type, ssh::sha256_fingerprint(key.blob),
                         compare_host_key(all, key)};
        if (std::none_of(r.host_keys.begin(), r.host_keys.end(), [&](const HostKeyCompare& x) { return x.fingerprint == c.fingerprint; }))
            r.host_keys.push_back(c);
    }
}

// One `*-save -c` source: parsed into the ruleset, or its error recorded.
void read_iptables(CheckResult& r, const std::string& save, const std::string& source, const std::string& program, int family,
                   std::vector<std::string>& nft_skip) {
    FirewallSource s;
    s.name = fmt::format("{} (IPv{})", source, family);
    s.command = save + " -c";
    const CommandResult run = run_command({save, "-c"});
    if (run.status != 0) {
        s.error = run.error.empty() ? first_line(run.err) : run.error;
        r.firewall_sources.push_back(s);
        return;
    }
    const std::size_t before = r.ruleset.tables.size();
    try {
        fw::parse_iptables_save(run.out, family, source, program, r.ruleset);
        s.read = true;
    } catch (const InputError& e) {
        r.ruleset.tables.resize(before);
        s.error = e.what();
    }
    s.tables = static_cast<int>(r.ruleset.tables.size() - before);
    if (source == "iptables-nft")
        for (std::size_t i = before; i < r.ruleset.tables.size(); ++i)
            nft_skip.push_back(r.ruleset.tables[i].family + " " + r.ruleset.tables[i].name);
    r.firewall_sources.push_back(s);
}

void gather_firewall(CheckResult& r) {
    if (geteuid() != 0) {
        r.skipped.push_back({"firewall", "reading the nftables and iptables rules and their counters needs root: run it with sudo"});
        return;
    }
    std::vector<std::string> nft_skip;
    bool any_iptables = false;
    for (int family : {4, 6}) {
        const std::string base = family == 4 ? "iptables" : "ip6tables";
        bool found = false;
        for (const char* backend : {"nft", "legacy"}) {
            const std::string save = fmt::format("{}-{}-save", base, backend);
            if (!find_program(save)) continue;
            found = true;
            read_iptables(r, save, fmt::format("iptables-{}", backend), fmt::format("{}-{}", base, backend), family, nft_skip);
        }
        if (!found && find_program(base + "-save")) {
            // Only the plain name: its version line tells the backend.
            const CommandResult v = run_command({base + "-save", "--version"});
            const bool legacy = (v.out + v.err).find("legacy") != std::string::npos;
            found = true;
            read_iptables(r, base + "-save", legacy ? "iptables-legacy" : "iptables-nft", base, family, nft_skip);
        }
        any_iptables |= found;
    }
    if (!any_iptables) r.skipped.push_back({"iptables", "no iptables-save is installed"});
    if (find_program("nft")) {
        FirewallSource s;
        s.name = "nftables";
        s.command = "nft -j list ruleset";
        const CommandResult json = run_command({"nft", "-j", "list", "ruleset"});
        const CommandResult listing = run_command({"nft", "-a", "list", "ruleset"});
        if (json.status != 0) {
            s.error = json.error.empty() ? first_line(json.err) : json.error;
        } else {
            const std::size_t before = r.ruleset.tables.size();
            try {
                fw::parse_nft_json(json.out, listing.status == 0 ? listing.out : "", r.ruleset, nft_skip);
                s.read = true;
            } catch (const InputError& e) {
                r.ruleset.tables.resize(before);
                s.error = e.what();
            }
            s.tables = static_cast<int>(r.ruleset.tables.size() - before);
        }
        if (!nft_skip.empty()) r.ruleset.notes.push_back("tables made by iptables-nft are read from iptables-nft-save, not from nft");
        r.firewall_sources.push_back(s);
    } else {
        r.skipped.push_back({"nftables", "nft is not installed"});
    }
    r.firewall_read = std::any_of(r.firewall_sources.begin(), r.firewall_sources.end(), [](const FirewallSource& s) { return s.read; });
    for (const char* m : {"ufw", "firewall-cmd"})
        if (find_program(m)) r.managers.push_back(m == std::string("ufw") ? "ufw" : "firewalld");
}

fw::Range ephemeral_ports() {
    std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
    std::uint64_t lo = 32768, hi = 60999;
    if (in >> lo >> hi && lo <= hi && hi <= 65535) return {lo, hi};
    return {32768, 60999};
}

void evaluate_paths(CheckResult& r) {
    if (!r.firewall_read || r.resolution.ordered.empty()) return;
    const IpAddress server = r.resolution.ordered.front();
    const Route route = r.routes.empty() ? Route{} : r.routes.front();
    const auto port = static_cast<std::uint64_t>(r.port);
    fw::Packet syn;
    syn.family = server.version;
    syn.daddr = server;
    if (route.source) syn.saddr = *route.source;
    syn.sport = ephemeral_ports();
    syn.dport = {port, port};
    syn.oif = route.found ? fw::Interface{true, route.interface} : fw::Interface{false, ""};
    syn.iif = {true, ""};
    syn.uid = r.user.uid;
    syn.gid = r.user.gid;
    fw::Packet reply = syn;
    std::swap(reply.saddr, reply.daddr);
    std::swap(reply.sport, reply.dport);
    std::swap(reply.iif, reply.oif);
    reply.tcp_flags = packet::kSyn | packet::kAck;
    reply.ct_state = fw::kCtEstablished;
    reply.ct_direction = 1;
    reply.uid.reset();
    reply.gid.reset();
    fw::Packet ack = syn, data = reply;
    ack.tcp_flags = packet::kAck;
    ack.ct_state = fw::kCtEstablished;
    data.tcp_flags = packet::kAck | packet::kPsh;
    const std::string to = fmt::format("{} port {}", server.to_string(), port);
    using fw::Direction;
    r.paths.push_back(fw::evaluate_path(r.ruleset, Direction::kOut, syn, "out-syn", "the client's SYN to " + to + " (a new connection)"));
    r.paths.push_back(fw::evaluate_path(r.ruleset, Direction::kIn, reply, "in-reply", "the server's SYN-ACK from " + to));
    r.paths.push_back(fw::evaluate_path(r.ruleset, Direction::kOut, ack, "out-established", "the client's later packets to " + to));
    r.paths.push_back(fw::evaluate_path(r.ruleset, Direction::kIn, data, "in-established", "the server's later packets from " + to));
    // The same connection from a container or VM on this machine, forwarded through it.
    fw::Packet fsyn = syn, freply = reply;
    fsyn.saddr = IpAddress{};
    fsyn.iif = {false, ""};
    fsyn.uid.reset();
    fsyn.gid.reset();
    freply.daddr = IpAddress{};
    freply.oif = {false, ""};
    r.paths.push_back(fw::evaluate_path(r.ruleset, Direction::kForward, fsyn, "fwd-syn", "a SYN to " + to + " forwarded for a container or VM"));
    r.paths.push_back(fw::evaluate_path(r.ruleset, Direction::kForward, freply, "fwd-reply", "its SYN-ACK, forwarded back"));
    r.tproxy = fw::tproxy_rules(r.ruleset, syn);
}

}  // namespace

void recheck_firewall(CheckResult& r) {
    r.firewall_sources.clear();
    r.ruleset = fw::Ruleset{};
    r.paths.clear();
    r.tproxy.clear();
    r.managers.clear();
    std::erase_if(r.skipped, [](const Skipped& s) { return s.check == "firewall" || s.check == "nftables" || s.check == "iptables"; });
    gather_firewall(r);
    evaluate_paths(r);
    add_findings(r);
}

std::optional<std::uint64_t> same_rule_packets(const CheckResult& before, const CheckResult& now, const std::string& path) {
    auto decided = [&](const CheckResult& r) -> const fw::Hit* {
        for (const auto& p : r.paths)
            if (p.name == path && p.decided_by) return &*p.decided_by;
        return nullptr;
    };
    const fw::Hit* a = decided(before);
    const fw::Hit* b = decided(now);
    if (a == nullptr || b == nullptr || !b->packets) return std::nullopt;
    // nftables rules keep their handle; iptables rules have no id but their text.
    const bool same = a->source == b->source && a->family == b->family && a->table == b->table && a->chain == b->chain &&
                      (a->source == "nftables" ? a->rule_id == b->rule_id : a->rule_text == b->rule_text);
    if (!same) return std::nullopt;
    return b->packets;
}

CheckResult run_check(const CheckOptions& o) {
    CheckResult r;
    r.host = o.host;
    r.version = o.version;
    r.user = invoking_user();
    r.root = geteuid() == 0;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    r.machine = host;
    std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    r.time = stamp;
    r.port = o.port.value_or(22);
    gather_ssh(r, o);
    gather_name_route(r);
    gather_files(r);
    gather_known_hosts(r, o);
    gather_firewall(r);
    evaluate_paths(r);
    if (!r.resolution.resolved) r.skipped.push_back({"route and firewall paths", fmt::format("'{}' does not resolve", r.ssh.hostname)});
    add_findings(r);
    return r;
}

}  // namespace sshpath::client
