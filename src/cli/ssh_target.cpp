// `sshpath run -- ssh ...` without --host: where ssh will connect, from `ssh -G` (host name,
// port, ProxyCommand, ProxyJump, AddressFamily).
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>

#include "cli/common.h"
#include "cli/live_target.h"
#include "sshpath/client/ssh_config.h"
#include "sshpath/posix/child.h"

namespace sshpath::cli {

namespace {

using packet::IpAddress;

struct SshConfig {
    bool ok = false;
    std::string hostname, proxycommand, proxyjump;
    int port = 22;
    int family = AF_UNSPEC;
};

// `ssh -G ARGS`: the configuration ssh will use (host name, port, proxies), as the user.
SshConfig ssh_config(const std::string& ssh, const std::vector<std::string>& args, const std::optional<posix::Identity>& who) {
    std::vector<std::string> argv{"ssh", "-G"};
    argv.insert(argv.end(), args.begin(), args.end());
    const posix::CommandOutput out = posix::run_for_output(posix::CommandSpec{ssh, argv, who});
    const std::string& text = out.text;
    SshConfig c;
    if (out.status != 0) return c;
    const client::SshSettings s = client::parse_ssh_g(text);
    c.ok = !s.hostname.empty();
    c.hostname = s.hostname;
    c.port = s.port;
    c.proxycommand = s.proxy_command;
    c.proxyjump = s.proxy_jump;
    c.family = s.address_family == "inet" ? AF_INET : s.address_family == "inet6" ? AF_INET6 : AF_UNSPEC;
    return c;
}

// Where ssh connects without a ProxyCommand: HOST resolved as ssh would (its address family), PORT.
Target resolved_target(const std::string& host, int family, int port, std::string& why) {
    Target t = any_host_target(port);
    t.host = host;
    t.addresses = resolve_addresses(host, family, why);
    IpAddress literal;
    t.resolved = !t.addresses.empty() && !IpAddress::parse(host, literal);
    return t;
}

}  // namespace

Target ssh_target(const std::string& ssh, const std::vector<std::string>& args, const std::optional<posix::Identity>& who,
                  const std::optional<int>& port_override, bool proxies_given) {
    SshConfig c = ssh_config(ssh, args, who);
    if (!c.ok)
        throw UsageError("run: 'ssh -G' cannot tell which host this ssh command connects to; give --host (and --port)");
    const int port = port_override.value_or(c.port);
    if (!c.proxycommand.empty() && proxies_given) {
        std::string why;
        Target t = resolved_target(c.hostname, c.family, port, why);
        t.notes.push_back(fmt::format("ssh uses ProxyCommand '{}': the filter keeps the connections to the --proxy given{}", c.proxycommand,
                                      t.addresses.empty() ? "" : " and to " + c.hostname));
        t.analyze.host = c.hostname;
        if (t.addresses.size() == 1) t.analyze.host_address = t.addresses.front();
        return t;
    }
    if (!c.proxycommand.empty()) {
        Target t = any_host_target(0);
        t.host = c.hostname;
        t.analyze.ssh_port = port;
        t.notes.push_back(fmt::format("ssh uses ProxyCommand '{}': where it connects is unknown, so the filter keeps every TCP "
                                      "connection on the interface; the analysis keeps the SSH attempts and proxy requests for "
                                      "port {} (--proxy HOST:PORT or --filter narrow it)",
                                      c.proxycommand, port));
        return t;
    }
    if (!c.proxyjump.empty()) {
        std::string hop = c.proxyjump.substr(0, c.proxyjump.find(','));
        // The jump host's own settings, from the same configuration file (-F) when one is given.
        std::vector<std::string> hop_args;
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "-F" && i + 1 < args.size()) hop_args = {"-F", args[i + 1]};
            else if (args[i].rfind("-F", 0) == 0 && args[i].size() > 2) hop_args = {args[i]};
        }
        // [user@]host[:port], [user@][v6addr]:port or ssh://[user@]host[:port]: ask for host, with -p.
        std::string rest = hop.rfind("ssh://", 0) == 0 ? hop.substr(6) : hop;
        if (const auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
        std::string hop_host = rest, hop_port;
        if (!rest.empty() && rest.front() == '[' && rest.find(']') != std::string::npos) {
            hop_host = rest.substr(1, rest.find(']') - 1);
            const std::string after = rest.substr(rest.find(']') + 1);
            if (after.size() > 1 && after.front() == ':') hop_port = after.substr(1);
        } else if (std::count(rest.begin(), rest.end(), ':') == 1) {
            hop_host = rest.substr(0, rest.find(':'));
            hop_port = rest.substr(rest.find(':') + 1);
        }
        if (!hop_port.empty()) hop_args.insert(hop_args.end(), {"-p", hop_port});
        hop_args.push_back(hop_host);
        SshConfig j = ssh_config(ssh, hop_args, who);
        if (!j.ok) throw UsageError(fmt::format("run: cannot tell where the jump host '{}' is; give --host and --port", hop));
        std::string why;
        Target t = resolved_target(j.hostname, j.family, j.port, why);
        t.notes.push_back(fmt::format("ssh goes through the jump host {} port {} (ProxyJump {}): the filter keeps that connection; "
                                      "the jump host's own connection to {} port {} is not on this wire",
                                      j.hostname, j.port, c.proxyjump, c.hostname, port));
        if (t.addresses.empty())
            t.notes.push_back(fmt::format("cannot resolve the jump host '{}' ({}): capturing every connection to port {}", j.hostname,
                                          why, j.port));
        set_analyzer_host(t, j.hostname);
        return t;
    }
    std::string why;
    Target t = resolved_target(c.hostname, c.family, port, why);
    if (t.addresses.empty())
        t.notes.push_back(fmt::format("cannot resolve '{}' ({}): capturing every connection to port {}; ssh will say why", c.hostname,
                                      why, port));
    set_analyzer_host(t, c.hostname);
    return t;
}

}  // namespace sshpath::cli
