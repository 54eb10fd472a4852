// The check as text for a terminal: what ssh will do, name and route, files, firewall, then the
// findings and the checks skipped.
#include <fmt/format.h>

#include "sshpath/client/check.h"

namespace sshpath::client {

namespace {

std::string origin_text(const SettingOrigin& o) {
    if (!o.files.empty()) {
        std::string files;
        for (const auto& f : o.files) files += (files.empty() ? "" : ", ") + f;
        return "set in " + files;
    }
    if (o.origin == "default") return "default";
    if (o.origin == "command-line") return "from the command line";
    if (o.origin == "user-config") return "set in the user's configuration";
    if (o.origin == "system-config") return "set in the system configuration";
    return "set by the configuration";
}

void ssh_section(const CheckResult& r, std::string& out) {
    std::string who = r.user.name.empty() ? fmt::format("uid {}", r.user.uid) : r.user.name;
    out += fmt::format("What ssh will do ({}, as {}{})\n", r.ssh_command.empty() ? "ssh -G" : [&] {
        std::string c;
        for (const auto& a : r.ssh_command) c += (c.empty() ? "" : " ") + a;
        return c;
    }(), who, r.ssh_version.empty() ? "" : ", " + r.ssh_version);
    if (!r.ssh_error.empty()) out += fmt::format("  ssh refuses to run: {}\n  (the values below are ssh's defaults)\n", r.ssh_error);
    auto line = [&](const char* name, const std::string& key, std::string value) {
        std::string from;
        for (const auto& o : r.origins)
            if (o.key == key) from = origin_text(o);
        if (value.empty()) value = "none";
        out += fmt::format("  {:<22} {:<34} {}\n", name, value, from);
    };
    line("HostName", "hostname", r.ssh.hostname);
    line("Port", "port", std::to_string(r.port));
    line("User", "user", r.ssh.user);
    line("IdentityFile", "identityfile", r.ssh.get("identityfile"));
    line("ProxyCommand", "proxycommand", r.ssh.proxy_command);
    line("ProxyJump", "proxyjump", r.ssh.proxy_jump);
    line("ConnectTimeout", "connecttimeout", r.ssh.connect_timeout < 0 ? "none (the system's TCP timeout)" : std::to_string(r.ssh.connect_timeout) + " s");
    line("AddressFamily", "addressfamily", r.ssh.address_family);
    line("StrictHostKeyChecking", "stricthostkeychecking", r.ssh.strict_host_key_checking);
    if (r.proxy_env.empty()) {
        out += "  proxy variables        none set\n";
    } else {
        for (const auto& v : r.proxy_env)
            out += fmt::format("  {:<22} {} ({})\n", v.name, v.value, v.used_by_ssh ? "used by the ProxyCommand" : "ssh does not use it");
    }
}

void route_section(const CheckResult& r, std::string& out) {
    out += "\nName and route\n";
    const Resolution& n = r.resolution;
    if (n.is_address) {
        out += fmt::format("  {} is an address\n", n.name);
    } else if (!n.resolved) {
        out += fmt::format("  {} does not resolve: {}\n", n.name, n.error);
    } else {
        auto list = [](const std::vector<IpAddress>& a) {
            std::string s;
            for (const auto& x : a) s += (s.empty() ? "" : ", ") + x.to_string();
            return s.empty() ? std::string("none") : s;
        };
        out += fmt::format("  {}: A {}; AAAA {}; ssh tries {} first\n", n.name, list(n.v4), list(n.v6), n.ordered.front().to_string());
    }
    for (const auto& rt : r.routes) {
        if (!rt.found) {
            out += fmt::format("  route to {}: none ({})\n", rt.destination.to_string(), rt.error);
            continue;
        }
        std::string prefix = rt.prefix_length < 0 ? "" : rt.prefix_length == 0 ? "the default route" : fmt::format("{}/{}", rt.prefix ? rt.prefix->to_string() : "?", rt.prefix_length);
        out += fmt::format("  route to {}: {}dev {}{}{} ({}, table {})\n", rt.destination.to_string(),
                           rt.gateway ? "via " + rt.gateway->to_string() + " " : "on the link, ", rt.interface,
                           rt.interface_kind.empty() ? "" : " (" + rt.interface_kind + ")", rt.source ? " src " + rt.source->to_string() : "",
                           prefix.empty() ? rt.type : prefix, table_name(rt.table));
    }
    if (r.policy_rules.empty()) out += "  policy rules: only the default ones\n";
    for (const auto& p : r.policy_rules) out += fmt::format("  policy rule: {}\n", p.text);
}

void files_section(const CheckResult& r, std::string& out) {
    out += "\nKeys and files\n";
    for (const auto& f : r.files) {
        std::string state;
        if (!f.stat.exists) state = "does not exist";
        else if (f.refused) state = "REFUSED by ssh";
        else if (!f.readable) state = "unreadable";
        else if (!f.as_recommended) state = fmt::format("not as recommended ({})", f.recommended);
        else state = "ok";
        out += fmt::format("  {:<32} {:<6} uid {:<6} {}\n", f.display, f.stat.exists ? fmt::format("{:04o}", f.stat.mode) : "-",
                           f.stat.exists ? std::to_string(f.stat.uid) : "-", state);
    }
    for (const auto& k : r.known_hosts) {
        out += fmt::format("  {:<32} {:<6} uid {:<6} {} key(s) for {}{}\n", k.check.display, fmt::format("{:04o}", k.check.stat.mode), k.check.stat.uid,
                           k.keys.size(), r.known_hosts_name, k.error.empty() ? "" : " (" + k.error + ")");
        for (const auto& key : k.keys)
            out += fmt::format("      line {}: {}{} {}\n", key.line, key.marker.empty() ? "" : key.marker + " ", key.type, key.fingerprint);
    }
    for (const auto& h : r.host_keys)
        out += fmt::format("  the server's key in {}: {} {}: {}\n", r.capture_file, h.type, h.fingerprint, h.status);
}

void firewall_section(const CheckResult& r, std::string& out) {
    if (!r.firewall_read && r.firewall_sources.empty()) return;
    std::string sources;
    for (const auto& s : r.firewall_sources)
        sources += (sources.empty() ? "" : "; ") + s.name + (s.read ? fmt::format(" {} table(s)", s.tables) : " (" + s.error + ")");
    out += fmt::format("\nFirewall ({})\n", sources);
    for (const auto& p : r.paths) {
        std::string verdict = p.verdict == "reject" ? "REJECT (" + p.reject_type + ")" : p.verdict == "accept" ? "accept" : fmt::format("{}", p.verdict);
        for (auto& c : verdict) c = p.verdict == "accept" ? c : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out += fmt::format("  {}: {}{}\n", p.description, verdict, p.certain ? "" : " (rules that may match could decide otherwise)");
        for (const auto& h : p.hits) {
            if (h.action.verdict == fw::Verdict::kNone && h.match == fw::Tri::kYes && !h.decided) continue;
            out += fmt::format("    {} {} {} {} {}: '{}'{}{}{}\n", h.decided ? "=>" : h.match == fw::Tri::kMaybe || !h.reached ? "??" : "  ",
                               h.source, h.table, h.chain, h.rule_id.empty() ? "policy" : h.rule_id, h.rule_text,
                               h.packets ? fmt::format(" [{} packets]", *h.packets) : "", h.manager.empty() ? "" : " (" + h.manager + ")",
                               h.unknown.empty() ? "" : " (cannot tell: " + h.unknown + ")");
        }
        for (const auto& n : p.notes) out += fmt::format("    note: {}\n", n);
    }
    for (const auto& n : r.ruleset.notes) out += fmt::format("  note: {}\n", n);
}

}  // namespace

std::string to_text(const CheckResult& r) {
    std::string out = fmt::format("sshpath check {} port {} on {}{}\n\n", r.host, r.port, r.machine,
                                  r.root ? (r.user.via_sudo ? " (as root through sudo)" : " (as root)") : "");
    ssh_section(r, out);
    route_section(r, out);
    files_section(r, out);
    firewall_section(r, out);
    out += "\nFindings\n";
    if (r.findings.empty())
        out += r.skipped.empty() ? "  nothing on this computer stands in ssh's way\n" : "  nothing found by the checks that ran\n";
    for (const auto& f : r.findings) {
        out += fmt::format("  {:<8} {}\n", f.level, f.text);
        if (!f.fix.empty()) out += fmt::format("           fix: {}\n", f.fix);
    }
    if (!r.skipped.empty()) {
        out += "\nSkipped\n";
        for (const auto& s : r.skipped) out += fmt::format("  {}: {}\n", s.check, s.why);
    }
    return out;
}

}  // namespace sshpath::client
