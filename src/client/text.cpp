// The check as text for a terminal: what ssh will do, name and route, files, firewall, then the
// findings and the checks skipped.
#include <fmt/format.h>

#include "sshpath/client/check.h"
#include "sshpath/core/terminal.h"

namespace sshpath::client {

namespace {

using terminal::wrap;

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

void ssh_section(const CheckResult& r, std::string& out, std::size_t width) {
    std::string who = r.user.name.empty() ? fmt::format("uid {}", r.user.uid) : r.user.name;
    out += wrap(fmt::format("What ssh will do ({}, as {}{})", r.ssh_command.empty() ? "ssh -G" : [&] {
        std::string c;
        for (const auto& a : r.ssh_command) c += (c.empty() ? "" : " ") + a;
        return c;
    }(), who, r.ssh_version.empty() ? "" : ", " + r.ssh_version), width, 4);
    if (!r.ssh_error.empty()) {
        out += wrap(fmt::format("  ssh refuses to run: {}", r.ssh_error), width, 4);
        out += "  (the values below are ssh's defaults)\n";
    }
    auto line = [&](const char* name, const std::string& key, std::string value) {
        std::string from;
        for (const auto& o : r.origins)
            if (o.key == key) from = origin_text(o);
        if (value.empty()) value = "none";
        std::string text = fmt::format("  {:<22} {:<34} {}", name, value, from);
        // Too narrow for the third column: the origin follows the value.
        if (width != 0 && terminal::display_width(text) > width) text = fmt::format("  {:<22} {}  {}", name, value, from);
        while (text.back() == ' ') text.pop_back();
        out += wrap(text, width, 25);
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
            out += wrap(fmt::format("  {:<22} {} ({})", v.name, v.value, v.used_by_ssh ? "used by the ProxyCommand" : "ssh does not use it"),
                        width, 25);
    }
}

void route_section(const CheckResult& r, std::string& out, std::size_t width) {
    out += "\nName and route\n";
    const Resolution& n = r.resolution;
    if (n.is_address) {
        out += wrap(fmt::format("  {} is an address", n.name), width, 4);
    } else if (!n.resolved) {
        out += wrap(fmt::format("  {} does not resolve: {}", n.name, n.error), width, 4);
    } else {
        auto list = [](const std::vector<IpAddress>& a) {
            std::string s;
            for (const auto& x : a) s += (s.empty() ? "" : ", ") + x.to_string();
            return s.empty() ? std::string("none") : s;
        };
        out += wrap(fmt::format("  {}: A {}; AAAA {}; ssh tries {} first", n.name, list(n.v4), list(n.v6), n.ordered.front().to_string()),
                    width, 4);
    }
    for (const auto& rt : r.routes) {
        if (!rt.found) {
            out += wrap(fmt::format("  route to {}: none ({})", rt.destination.to_string(), rt.error), width, 4);
            continue;
        }
        std::string prefix = rt.prefix_length < 0 ? "" : rt.prefix_length == 0 ? "the default route" : fmt::format("{}/{}", rt.prefix ? rt.prefix->to_string() : "?", rt.prefix_length);
        out += wrap(fmt::format("  route to {}: {}dev {}{}{} ({}, table {})", rt.destination.to_string(),
                                rt.gateway ? "via " + rt.gateway->to_string() + " " : "on the link, ", rt.interface,
                                rt.interface_kind.empty() ? "" : " (" + rt.interface_kind + ")",
                                rt.source ? " src " + rt.source->to_string() : "", prefix.empty() ? rt.type : prefix,
                                table_name(rt.table)),
                    width, 4);
    }
    if (r.policy_rules.empty()) out += "  policy rules: only the default ones\n";
    for (const auto& p : r.policy_rules) out += fmt::format("  policy rule: {}\n", p.text);  // as ip rule prints it
}

void files_section(const CheckResult& r, std::string& out, std::size_t width) {
    out += "\nKeys and files\n";
    for (const auto& f : r.files) {
        std::string state;
        if (!f.stat.exists) state = "does not exist";
        else if (f.refused) state = "REFUSED by ssh";
        else if (!f.readable) state = "unreadable";
        else if (!f.as_recommended) state = fmt::format("not as recommended ({})", f.recommended);
        else state = "ok";
        out += wrap(fmt::format("  {:<32} {:<6} uid {:<6} {}", f.display, f.stat.exists ? fmt::format("{:04o}", f.stat.mode) : "-",
                                f.stat.exists ? std::to_string(f.stat.uid) : "-", state),
                    width, 4);
    }
    for (const auto& k : r.known_hosts) {
        out += wrap(fmt::format("  {:<32} {:<6} uid {:<6} {} key(s) for {}{}", k.check.display, fmt::format("{:04o}", k.check.stat.mode),
                                k.check.stat.uid, k.keys.size(), r.known_hosts_name, k.error.empty() ? "" : " (" + k.error + ")"),
                    width, 4);
        for (const auto& key : k.keys)
            out += wrap(fmt::format("      line {}: {}{} {}", key.line, key.marker.empty() ? "" : key.marker + " ", key.type, key.fingerprint),
                        width, 8);
    }
    for (const auto& h : r.host_keys)
        out += wrap(fmt::format("  the server's key in {}: {} {}: {}", r.capture_file, h.type, h.fingerprint, h.status), width, 4);
}

// A firewall rule that decided or may match: on one row when it fits, else its place on one row
// and the rule's text, kept whole to be found with nft or iptables, on the next.
std::string hit_line(const fw::Hit& h, std::size_t width) {
    const std::string where = fmt::format("    {} {} {} {} {}", h.decided ? "=>" : h.match == fw::Tri::kMaybe || !h.reached ? "??" : "  ",
                                          h.source, h.table, h.chain, h.rule_id.empty() ? "policy" : h.rule_id);
    const std::string after = fmt::format("{}{}{}", h.packets ? fmt::format(" [{} packets]", *h.packets) : "",
                                          h.manager.empty() ? "" : " (" + h.manager + ")",
                                          h.unknown.empty() ? "" : " (cannot tell: " + h.unknown + ")");
    const std::string one = fmt::format("{}: '{}'{}", where, h.rule_text, after);
    if (width == 0 || terminal::display_width(one) <= width) return one + "\n";
    return wrap(where + after + ":", width, 7) + fmt::format("       '{}'\n", h.rule_text);
}

void firewall_section(const CheckResult& r, std::string& out, std::size_t width) {
    if (!r.firewall_read && r.firewall_sources.empty()) return;
    std::string sources;
    for (const auto& s : r.firewall_sources)
        sources += (sources.empty() ? "" : "; ") + s.name + (s.read ? fmt::format(" {} table(s)", s.tables) : " (" + s.error + ")");
    out += "\n" + wrap(fmt::format("Firewall ({})", sources), width, 4);
    for (const auto& p : r.paths) {
        std::string verdict = p.verdict == "reject" ? "REJECT (" + p.reject_type + ")" : p.verdict == "accept" ? "accept" : fmt::format("{}", p.verdict);
        for (auto& c : verdict) c = p.verdict == "accept" ? c : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out += wrap(fmt::format("  {}: {}{}", p.description, verdict, p.certain ? "" : " (rules that may match could decide otherwise)"),
                    width, 4);
        for (const auto& h : p.hits) {
            if (h.action.verdict == fw::Verdict::kNone && h.match == fw::Tri::kYes && !h.decided) continue;
            out += hit_line(h, width);
        }
        for (const auto& n : p.notes) out += wrap(fmt::format("    note: {}", n), width, 10);
    }
    for (const auto& n : r.ruleset.notes) out += wrap(fmt::format("  note: {}", n), width, 8);
}

}  // namespace

std::string to_text(const CheckResult& r, std::size_t width) {
    std::string out = wrap(fmt::format("sshpath check {} port {} on {}{}", r.host, r.port, r.machine,
                                       r.root ? (r.user.via_sudo ? " (as root through sudo)" : " (as root)") : ""),
                           width, 4) +
                      "\n";
    ssh_section(r, out, width);
    route_section(r, out, width);
    files_section(r, out, width);
    firewall_section(r, out, width);
    out += "\nFindings\n";
    if (r.findings.empty())
        out += r.skipped.empty() ? "  nothing on this computer stands in ssh's way\n" : "  nothing found by the checks that ran\n";
    for (const auto& f : r.findings) {
        out += wrap(fmt::format("  {:<8} {}", f.level, f.text), width, 11);
        if (!f.fix.empty()) out += fmt::format("           fix: {}\n", f.fix);  // a command to copy: kept whole
    }
    if (!r.skipped.empty()) {
        out += "\nSkipped\n";
        for (const auto& s : r.skipped) out += wrap(fmt::format("  {}: {}", s.check, s.why), width, 4);
    }
    return out;
}

}  // namespace sshpath::client
