// `sshpath capture` and `sshpath run`: live capture with the same Analyzer and rules as
// `analyze`. Root (or CAP_NET_RAW) opens the capture; then the process drops to the invoking
// user (SUDO_UID) or nobody, and `run` starts the command as the invoking user.
#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <linux/capability.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "sshpath/capture/decoder.h"
#include "sshpath/capture/live.h"
#include "cli/cloud_options.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "sshpath/report/report.h"

namespace po = boost::program_options;

namespace sshpath::cli {

namespace {

using capture::IpAddress;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// `run`: after a forwarded SIGINT/SIGTERM, how long the command may take to end before SIGKILL.
constexpr double kChildKillAfter = 5.0;
// --until-verdict: at most this often the packets so far are analysed again (and never more
// than a third of the time), keeping at most this many bytes of packets for it.
constexpr double kTrialInterval = 0.2;
constexpr std::size_t kTrialKeep = 64u << 20;
// The command's standard error kept for the report (the rest is still shown).
constexpr std::size_t kStderrKeep = 4u << 20;

double wall_now() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double monotonic_now() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void ignore_result(ssize_t) {}

void write_stderr(std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string quote_arg(const std::string& a) {
    if (!a.empty() && a.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;!#~") == std::string::npos) return a;
    std::string out = "'";
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string join_command(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + quote_arg(a);
    return out;
}

// --- signals: a self-pipe, so that poll() wakes up for them ----------------------------------

int g_signal_pipe[2] = {-1, -1};

extern "C" void on_signal(int sig) {
    const int saved = errno;
    const auto byte = static_cast<unsigned char>(sig);
    ignore_result(::write(g_signal_pipe[1], &byte, 1));
    errno = saved;
}

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

class SignalGuard {
public:
    SignalGuard() {
        if (pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
        struct sigaction sa{};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (std::size_t i = 0; i < std::size(kStopSignals); ++i) sigaction(kStopSignals[i], &sa, &saved_[i]);
        sa.sa_flags = SA_NOCLDSTOP;
        sigaction(SIGCHLD, &sa, &saved_chld_);
        struct sigaction ign{};
        ign.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ign, &saved_pipe_);  // a closed stdout must not kill the report's writer
    }
    ~SignalGuard() {
        for (std::size_t i = 0; i < std::size(kStopSignals); ++i) sigaction(kStopSignals[i], &saved_[i], nullptr);
        sigaction(SIGCHLD, &saved_chld_, nullptr);
        sigaction(SIGPIPE, &saved_pipe_, nullptr);
        ::close(g_signal_pipe[0]);
        ::close(g_signal_pipe[1]);
        g_signal_pipe[0] = g_signal_pipe[1] = -1;
    }
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;
    int fd() const { return g_signal_pipe[0]; }
    std::vector<int> take() const {
        std::vector<int> out;
        unsigned char buf[64];
        for (;;) {
            const ssize_t n = ::read(g_signal_pipe[0], buf, sizeof buf);
            if (n <= 0) break;
            for (ssize_t i = 0; i < n; ++i) out.push_back(buf[i]);
        }
        return out;
    }

private:
    struct sigaction saved_[std::size(kStopSignals)]{};
    struct sigaction saved_chld_{}, saved_pipe_{};
};

// In a forked child: the default signal dispositions and an empty mask, as a fresh process has.
void reset_signals_in_child() {
    for (int sig : kStopSignals) signal(sig, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
}

// --- identities and privileges ----------------------------------------------------------------

struct Identity {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;   // "" when the uid has no passwd entry
    std::string home;
    bool has_passwd = false;
};

Identity identity_of(uid_t uid, gid_t gid) {
    Identity id;
    id.uid = uid;
    id.gid = gid;
    if (const passwd* pw = getpwuid(uid)) {
        id.name = pw->pw_name;
        id.home = pw->pw_dir;
        id.has_passwd = true;
    }
    return id;
}

std::optional<unsigned> env_number(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0' || std::strlen(v) > 10 || std::strspn(v, "0123456789") != std::strlen(v)) return std::nullopt;
    const unsigned long n = std::strtoul(v, nullptr, 10);
    if (n > std::numeric_limits<uid_t>::max() - 1) return std::nullopt;
    return static_cast<unsigned>(n);
}

// The user who ran `sudo sshpath ...` (nullopt when not started through sudo by another user).
std::optional<Identity> sudo_user() {
    if (getuid() != 0) return std::nullopt;
    const auto uid = env_number("SUDO_UID");
    if (!uid || *uid == 0) return std::nullopt;
    auto gid = env_number("SUDO_GID");
    Identity id = identity_of(*uid, 0);
    if (gid)
        id.gid = *gid;
    else if (const passwd* pw = getpwuid(*uid))
        id.gid = pw->pw_gid;
    else
        id.gid = *uid;
    return id;
}

Identity nobody() {
    if (const passwd* pw = getpwnam("nobody")) {
        Identity id = identity_of(pw->pw_uid, pw->pw_gid);
        return id;
    }
    return identity_of(65534, 65534);
}

std::string describe(const Identity& id) {
    return id.has_passwd ? fmt::format("uid {} ({})", id.uid, id.name) : fmt::format("uid {}", id.uid);
}

bool set_capabilities(std::uint64_t caps) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    for (int i = 0; i < 2; ++i) {
        data[i].effective = data[i].permitted = static_cast<std::uint32_t>(caps >> (32 * i));
        data[i].inheritable = 0;
    }
    return syscall(SYS_capset, &header, data) == 0;
}

// Becomes `who` for good: supplementary groups (with user_groups the user's, from initgroups;
// otherwise none), gid, uid; checked afterwards, as tcpdump does. With keep_kill the process
// keeps CAP_KILL alone, to stop a command that runs as another user. Returns "" or what went
// wrong.
std::string become(const Identity& who, bool keep_kill, bool user_groups) {
    if (getuid() != 0 && geteuid() != 0) {
        // Not root (CAP_NET_RAW from file or ambient capabilities): give every capability up.
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        if (!set_capabilities(0)) return fmt::format("cannot drop capabilities: {}", std::strerror(errno));
        return "";
    }
    if (keep_kill && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return fmt::format("prctl(PR_SET_KEEPCAPS): {}", std::strerror(errno));
    const int groups_rc = user_groups && who.has_passwd ? initgroups(who.name.c_str(), who.gid) : setgroups(0, nullptr);
    if (groups_rc != 0) return fmt::format("cannot set the groups of {}: {}", describe(who), std::strerror(errno));
    if (setgid(who.gid) != 0) return fmt::format("cannot set gid {}: {}", who.gid, std::strerror(errno));
    if (setuid(who.uid) != 0) return fmt::format("cannot set uid {}: {}", who.uid, std::strerror(errno));
    if (getuid() != who.uid || geteuid() != who.uid || getgid() != who.gid || getegid() != who.gid)
        return fmt::format("still running as uid {}/{} gid {}/{} after switching to {}", getuid(), geteuid(), getgid(), getegid(),
                           describe(who));
    if (who.uid != 0 && setuid(0) == 0) return "could switch back to root after dropping privileges";
    if (keep_kill) {
        if (!set_capabilities(std::uint64_t{1} << CAP_KILL)) return fmt::format("cannot keep CAP_KILL: {}", std::strerror(errno));
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    }
    return "";
}

// --- where to capture -------------------------------------------------------------------------

struct Target {
    std::string host;                  // as given or derived; "" = any host
    std::vector<IpAddress> addresses;  // those in the filter
    std::vector<std::pair<IpAddress, int>> proxies;  // --proxy: their connections are kept too
    bool resolved = false;             // host was a name that was resolved
    int filter_port = 22;              // 0: every TCP connection
    engine::AnalyzeOptions analyze;
    std::vector<std::string> notes;    // what the filter keeps and why, for the user
};

bool plausible_host_name(const std::string& text) {
    return !text.empty() && text.size() < 254 &&
           text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == std::string::npos;
}

// Every address of a name (resolved once), in getaddrinfo's order, without duplicates.
std::vector<IpAddress> resolve_all(const std::string& name, int family, std::string& error) {
    std::vector<IpAddress> out;
    IpAddress literal;
    if (IpAddress::parse(name, literal)) return {literal};
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = family;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(name.c_str(), nullptr, &hints, &res);
    if (rc != 0 || res == nullptr) {
        error = rc != 0 ? gai_strerror(rc) : "no address";
        return out;
    }
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        char buf[NI_MAXHOST];
        IpAddress a;
        if (getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) == 0 && IpAddress::parse(buf, a) &&
            std::find(out.begin(), out.end(), a) == out.end())
            out.push_back(a);
    }
    freeaddrinfo(res);
    return out;
}

std::string address_list(const std::vector<IpAddress>& addresses) {
    std::string out;
    for (const auto& a : addresses) out += (out.empty() ? "" : ", ") + a.to_string();
    return out;
}

// The analyzer's host options for addresses already enforced by the kernel filter: one address
// is named (proxy requests naming the host also match); several are left to the filter, as the
// analyzer takes one address only.
void set_analyzer_host(Target& t, const std::string& host) {
    t.analyze.host.clear();
    t.analyze.host_address.reset();
    if (t.addresses.size() == 1) {
        t.analyze.host = host;
        t.analyze.host_address = t.addresses.front();
    }
}

// --host for `capture` and `run`: an address, or a name resolved now; a usage error otherwise.
Target explicit_target(const std::string& host, int port) {
    Target t;
    t.host = host;
    t.filter_port = port;
    t.analyze.ssh_port = port;
    IpAddress literal;
    if (!IpAddress::parse(host, literal)) {
        if (!plausible_host_name(host)) throw UsageError(fmt::format("--host: '{}' is neither an IP address nor a host name", host));
        std::string why;
        t.addresses = resolve_all(host, AF_UNSPEC, why);
        if (t.addresses.empty()) throw UsageError(fmt::format("--host: cannot resolve '{}' (give its address instead)", host));
        t.resolved = true;
    } else {
        t.addresses = {literal};
    }
    set_analyzer_host(t, host);
    return t;
}

// --proxy HOST:PORT ([ADDR]:PORT for IPv6): every address of HOST, with the port.
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
        IpAddress literal;
        if (!IpAddress::parse(host, literal) && !plausible_host_name(host))
            throw UsageError(fmt::format("--proxy: '{}' is neither an IP address nor a host name", host));
        std::string why;
        const auto addresses = resolve_all(host, AF_UNSPEC, why);
        if (addresses.empty()) throw UsageError(fmt::format("--proxy: cannot resolve '{}' (give its address instead)", host));
        for (const auto& a : addresses) out.emplace_back(a, p);
    }
    return out;
}

Target any_host_target(int port) {
    Target t;
    t.filter_port = port;
    t.analyze.ssh_port = port;
    return t;
}

std::optional<std::string> find_program(const std::string& name) {
    auto executable = [](const std::string& path) {
        struct stat st{};
        return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos) return executable(name) ? std::optional<std::string>(name) : std::nullopt;
    const char* env = std::getenv("PATH");
    const std::string path = env != nullptr && *env != '\0' ? env : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = path.find(':', start);
        std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (dir.empty()) dir = ".";
        if (executable(dir + "/" + name)) return dir + "/" + name;
        if (colon == std::string::npos) return std::nullopt;
        start = colon + 1;
    }
}

void set_child_environment(const Identity& who) {
    if (!who.has_passwd || who.uid == 0) return;
    setenv("HOME", who.home.c_str(), 1);
    setenv("USER", who.name.c_str(), 1);
    setenv("LOGNAME", who.name.c_str(), 1);
}

// Runs argv as `who` (when root) and returns its standard output; status -1 on failure.
std::string run_for_output(const std::string& program, const std::vector<std::string>& argv, const Identity* who, int& status,
                           double timeout_s = 10) {
    status = -1;
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return "";
    const pid_t pid = fork();
    if (pid < 0) {
        ::close(out[0]);
        ::close(out[1]);
        return "";
    }
    if (pid == 0) {
        reset_signals_in_child();
        const int devnull = ::open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        dup2(out[1], STDOUT_FILENO);
        if (who != nullptr) {
            if (!become(*who, false, true).empty()) _exit(126);
            set_child_environment(*who);
        } else if (getuid() != 0 && !become(identity_of(getuid(), getgid()), false, true).empty()) {
            _exit(126);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(program.c_str(), args.data());
        _exit(127);
    }
    ::close(out[1]);
    std::string text;
    const double deadline = monotonic_now() + timeout_s;
    for (;;) {
        const double left = deadline - monotonic_now();
        if (left <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        pollfd p{out[0], POLLIN, 0};
        const int rc = poll(&p, 1, static_cast<int>(std::ceil(left * 1000)));
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0) continue;
        char buf[4096];
        const ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > (1u << 20)) break;
    }
    ::close(out[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return text;
}

struct SshConfig {
    bool ok = false;
    std::string hostname, proxycommand, proxyjump;
    int port = 22;
    int family = AF_UNSPEC;
};

// `ssh -G ARGS`: the configuration ssh will use (host name, port, proxies), as the user.
SshConfig ssh_config(const std::string& ssh, const std::vector<std::string>& args, const Identity* who) {
    std::vector<std::string> argv{"ssh", "-G"};
    argv.insert(argv.end(), args.begin(), args.end());
    int status = -1;
    const std::string text = run_for_output(ssh, argv, who, status);
    SshConfig c;
    if (status != 0) return c;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        const std::string line = text.substr(start, nl - start);
        start = nl + 1;
        const std::size_t sp = line.find(' ');
        if (sp == std::string::npos) continue;
        const std::string key = line.substr(0, sp), value = line.substr(sp + 1);
        if (key == "hostname") c.hostname = value, c.ok = true;
        if (key == "port") c.port = std::atoi(value.c_str());
        if (key == "proxycommand" && value != "none") c.proxycommand = value;
        if (key == "proxyjump" && value != "none") c.proxyjump = value;
        if (key == "addressfamily") c.family = value == "inet" ? AF_INET : value == "inet6" ? AF_INET6 : AF_UNSPEC;
    }
    if (c.port < 1 || c.port > 65535) c.port = 22;
    return c;
}

// `run -- ssh ...` without --host: what ssh will connect to, from `ssh -G`.
Target ssh_target(const std::string& ssh, const std::vector<std::string>& args, const Identity* who,
                  const std::optional<int>& port_override, bool proxies_given) {
    SshConfig c = ssh_config(ssh, args, who);
    if (!c.ok)
        throw UsageError("run: 'ssh -G' cannot tell which host this ssh command connects to; give --host (and --port)");
    const int port = port_override.value_or(c.port);
    if (!c.proxycommand.empty() && proxies_given) {
        std::string why;
        Target t;
        t.host = c.hostname;
        t.filter_port = port;
        t.analyze.ssh_port = port;
        t.addresses = resolve_all(c.hostname, c.family, why);
        t.resolved = !t.addresses.empty() && t.addresses.front().to_string() != c.hostname;
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
        Target t;
        t.host = j.hostname;
        t.filter_port = j.port;
        t.analyze.ssh_port = j.port;
        t.addresses = resolve_all(j.hostname, j.family, why);
        t.resolved = !t.addresses.empty() && t.addresses.front().to_string() != j.hostname;
        t.notes.push_back(fmt::format("ssh goes through the jump host {} port {} (ProxyJump {}): the filter keeps that connection; "
                                      "the jump host's own connection to {} port {} is not on this wire",
                                      j.hostname, j.port, c.proxyjump, c.hostname, port));
        if (t.addresses.empty()) {
            t.filter_port = j.port;
            t.notes.push_back(fmt::format("cannot resolve the jump host '{}' ({}): capturing every connection to port {}", j.hostname,
                                          why, j.port));
        }
        set_analyzer_host(t, j.hostname);
        return t;
    }
    std::string why;
    Target t;
    t.host = c.hostname;
    t.filter_port = port;
    t.analyze.ssh_port = port;
    t.addresses = resolve_all(c.hostname, c.family, why);
    IpAddress literal;
    t.resolved = !t.addresses.empty() && !IpAddress::parse(c.hostname, literal);
    if (t.addresses.empty())
        t.notes.push_back(fmt::format("cannot resolve '{}' ({}): capturing every connection to port {}; ssh will say why", c.hostname,
                                      why, port));
    set_analyzer_host(t, c.hostname);
    return t;
}

// The interface the route to the target leaves by; `any` when the addresses leave by several,
// none has a route, or no address is known.
std::string choose_interface(const Target& t, std::vector<std::string>& notes) {
    if ((t.addresses.empty() && t.proxies.empty()) || t.filter_port == 0) return "any";
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

// --- the options both commands share ------------------------------------------------------------

struct LiveArgs {
    std::string command;  // "capture" or "run"
    std::optional<std::string> host, interface, write, filter, report;
    std::optional<int> port;
    std::vector<std::string> proxies;  // --proxy HOST:PORT, as given
    double duration = 0;
    bool until_verdict = false;
    double grace = 0.5;
    std::string format = "text";
    bool explain = false, quiet = false;
    po::variables_map vm;
};

double parse_seconds(const std::string& text, const char* option, bool allow_zero) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end == nullptr || *end != '\0' || errno != 0 || !std::isfinite(v) || v < 0 || (!allow_zero && v == 0) ||
        v > 31536000)
        throw UsageError(fmt::format("{}: '{}' is not a number of seconds{}", option, text, allow_zero ? "" : " (more than 0)"));
    return v;
}

void add_common_options(po::options_description& desc, bool capture) {
    desc.add_options()
        ("host", po::value<std::string>()->value_name("ADDR"),
         capture ? "the server: an address, or a name resolved once (all its addresses); without it every connection to --port"
                 : "the server (default: what 'ssh -G' says the command connects to)")
        ("port,p", po::value<std::string>()->value_name("PORT"), capture ? "the SSH port (default 22)" : "the SSH port (default: from 'ssh -G', else 22)")
        ("interface,i", po::value<std::string>()->value_name("IFACE"), "capture on IFACE (default: the interface the route to the host leaves by, or 'any')")
        ("proxy", po::value<std::vector<std::string>>()->value_name("HOST:PORT"),
         capture ? "also keep the connections to this HTTP/SOCKS proxy (repeatable)"
                 : "also keep the connections to this proxy; with a ProxyCommand, only those (repeatable)");
    if (capture)
        desc.add_options()
            ("duration", po::value<std::string>()->value_name("SECONDS"), "stop after SECONDS")
            ("until-verdict", "stop once a connection's verdict can no longer change (see README), after --grace");
    desc.add_options()
        ("grace", po::value<std::string>()->value_name("SECONDS"),
         capture ? "with --until-verdict: keep capturing this long for late packets (default 0.5)"
                 : "keep capturing this long after the command ends, for late packets (default 0.5)")
        ("write,w", po::value<std::string>()->value_name("FILE"), "save the packets to FILE (pcapng if it ends in .pcapng, else pcap)")
        ("report,o", po::value<std::string>()->value_name("FILE"),
         capture ? "write the report to FILE instead of standard output"
                 : "write the report to FILE instead of standard output (which stays the command's)")
        ("filter", po::value<std::string>()->value_name("EXPR"), "use this libpcap filter instead of the one sshpath builds")
        ("format,f", po::value<std::string>()->default_value("text")->value_name("FMT"), "text, json or markdown")
        ("rules", po::value<std::string>()->value_name("DIR"), "use the rules in DIR instead of the installed ones")
        ("explain", "list every rule that matched each connection and the facts its condition read")
        ("quiet,q", "no progress lines on standard error (errors and the report still appear)")
        ("help,h", "this help");
    add_cloud_options(desc);
}

LiveArgs parse_live_args(const std::string& command, const std::vector<std::string>& args, const po::options_description& desc) {
    LiveArgs a;
    a.command = command;
    po::store(po::command_line_parser(args).options(desc).run(), a.vm);
    po::notify(a.vm);
    const auto& vm = a.vm;
    if (vm.count("help")) return a;
    if (vm.count("port")) a.port = parse_port(vm["port"].as<std::string>());
    if (vm.count("host")) a.host = vm["host"].as<std::string>();
    if (vm.count("interface")) a.interface = vm["interface"].as<std::string>();
    if (vm.count("write")) a.write = vm["write"].as<std::string>();
    if (vm.count("report")) a.report = vm["report"].as<std::string>();
    if (a.report && a.report->empty()) throw UsageError("--report: no file name given");
    if (vm.count("filter")) a.filter = vm["filter"].as<std::string>();
    if (vm.count("proxy")) a.proxies = vm["proxy"].as<std::vector<std::string>>();
    if (vm.count("duration")) a.duration = parse_seconds(vm["duration"].as<std::string>(), "--duration", false);
    if (vm.count("grace")) a.grace = parse_seconds(vm["grace"].as<std::string>(), "--grace", true);
    a.until_verdict = vm.count("until-verdict") > 0;
    a.format = check_format(vm["format"].as<std::string>());
    a.explain = vm.count("explain") > 0;
    a.quiet = vm.count("quiet") > 0;
    if (a.write && a.write->empty()) throw UsageError("--write: no file name given");
    if (a.interface && !capture::interface_exists(*a.interface))
        throw UsageError(fmt::format("--interface: no interface '{}' here (interfaces: {})", *a.interface, [] {
            std::string out;
            for (const auto& n : capture::interface_names()) out += (out.empty() ? "" : ", ") + n;
            return out;
        }()));
    return a;
}

// A progress line on standard error (not with --quiet).
void note(const LiveArgs& a, const std::string& text) {
    if (!a.quiet) write_stderr("sshpath: " + text + "\n");
}

std::string privilege_message(const std::string& command) {
    return fmt::format("{} needs root or CAP_NET_RAW: run 'sudo sshpath {} ...'", command, command);
}

// --- the capture loop -------------------------------------------------------------------------

struct Child {
    pid_t pid = -1;
    int stderr_fd = -1;
    std::string stderr_copy;
    bool exited = false;
    int status = -1;
    std::vector<std::string> argv;
    double signalled_at = -1;
    bool killed = false;
};

// A connection whose verdict later packets cannot change (README: `capture --until-verdict`).
bool conclusive(const facts::FactSet& f) {
    namespace F = facts::flow;
    return f.get(F::ssh_stage_rank) >= 6                                        // key exchange done: encrypted
           || f.get(F::server_rst_seen) || f.get(F::client_rst_seen)            // reset
           || f.get(F::server_fin_seen) || f.get(F::client_fin_seen)            // closed
           || f.get(F::disconnect_seen)                                         // SSH disconnect
           || (f.get(F::icmp_errors) > 0 && !f.get(F::icmp_too_big_seen))       // rejected by ICMP
           || (f.get(F::proxy_answered) && !f.get(F::proxy_granted))            // proxy refusal
           || (f.get(F::syns_after_synack) >= 1 && !f.get(F::handshake_completed));  // SYN-ACK never reached TCP
}

struct StoredFrame {
    std::int64_t sec;
    std::int32_t usec;
    std::uint32_t caplen, wirelen;
    std::vector<std::uint8_t> bytes;
};

class Session {
public:
    Session(const LiveArgs& args, capture::LiveCapture& cap, engine::Analyzer& analyzer, const rules::RuleSet& rules,
            const engine::AnalyzeOptions& options, capture::DumpWriter* writer, const SignalGuard& signals, std::string name)
        : args_(args), cap_(cap), analyzer_(analyzer), rules_(rules), options_(options), writer_(writer), signals_(signals),
          name_(std::move(name)) {}

    void note(const std::string& text) const { cli::note(args_, text); }

    void loop(Child* child) {
        started_ = monotonic_now();
        const double duration_end = args_.duration > 0 ? started_ + args_.duration : kInfinity;
        double stop_at = kInfinity, next_trial = 0;
        bool dirty = false;
        int stop_signals = 0;
        for (;;) {
            double now = monotonic_now();
            if (now >= duration_end && stop_at == kInfinity) {
                stopped_by_ = "duration";
                break;
            }
            if (now >= stop_at) break;
            if (child != nullptr && !child->exited && child->signalled_at >= 0 && !child->killed &&
                now - child->signalled_at >= kChildKillAfter) {
                note(fmt::format("the command did not end {} s after the signal: killing it", kChildKillAfter));
                kill(child->pid, SIGKILL);
                child->killed = true;
            }
            double wait = std::min(duration_end, stop_at) - now;
            if (until_verdict_ && dirty) wait = std::min(wait, std::max(0.0, next_trial - now));
            if (child != nullptr && child->signalled_at >= 0 && !child->killed) wait = std::min(wait, 0.25);
            wait = std::clamp(wait, 0.0, 1.0);
            pollfd fds[3];
            nfds_t n = 0;
            const int pcap_fd = cap_.selectable_fd();
            if (pcap_fd >= 0) fds[n++] = pollfd{pcap_fd, POLLIN, 0};
            fds[n++] = pollfd{signals_.fd(), POLLIN, 0};
            if (child != nullptr && child->stderr_fd >= 0) fds[n++] = pollfd{child->stderr_fd, POLLIN, 0};
            // Without a selectable descriptor, poll at least every 50 ms.
            const int ms = pcap_fd >= 0 ? static_cast<int>(std::ceil(wait * 1000)) : std::min(50, static_cast<int>(std::ceil(wait * 1000)));
            if (poll(fds, n, ms) < 0 && errno != EINTR) throw Error(fmt::format("poll: {}", std::strerror(errno)));
            if (!read_packets()) break;
            if (packets_since_trial_ > 0) dirty = true;
            if (child != nullptr) pump_stderr(*child);
            now = monotonic_now();
            for (int sig : signals_.take()) {
                if (sig == SIGCHLD) {
                    if (child != nullptr && reap(*child, false) && stop_at == kInfinity) {
                        if (stopped_by_.empty()) stopped_by_ = "command-exit";
                        stop_at = now + args_.grace;
                    }
                    continue;
                }
                ++stop_signals;
                const std::string by = sig == SIGINT ? "interrupt" : "terminate";
                if (child != nullptr && !child->exited) {
                    if (stop_signals == 1) {
                        note(fmt::format("{}: passing it to the command and waiting for it to end (again to stop at once)", strsignal(sig)));
                        kill(child->pid, sig);
                        child->signalled_at = now;
                        stopped_by_ = by;
                    } else {
                        kill(child->pid, SIGKILL);
                        child->killed = true;
                        stopped_by_ = by;
                        stop_at = now;
                    }
                } else {
                    if (stopped_by_.empty() || stopped_by_ == "command-exit" || stopped_by_ == "until-verdict") stopped_by_ = by;
                    stop_at = now;
                }
            }
            if (until_verdict_ && dirty && now >= next_trial && stop_at == kInfinity) {
                dirty = false;
                packets_since_trial_ = 0;
                const double t0 = monotonic_now();
                const auto decided = trial();
                next_trial = monotonic_now() + std::max(kTrialInterval, 2 * (monotonic_now() - t0));
                if (decided) {
                    stopped_by_ = "until-verdict";
                    stop_at = now + args_.grace;
                    note(fmt::format("conclusive: {}, which later packets cannot change; stopping in {} s", *decided, args_.grace));
                }
            }
        }
        read_packets();
        if (writer_ != nullptr) writer_->flush();
        ended_ = monotonic_now();
        ended_wall_ = wall_now();
        if (child != nullptr) finish_child(*child);
    }

    double duration() const { return ended_ - started_; }
    double ended_wall() const { return ended_wall_; }
    const std::string& stopped_by() const { return stopped_by_; }
    const std::string& capture_error() const { return capture_error_; }

private:
    // Reads every waiting packet into the analyzer (and the writer); false when the capture failed.
    bool read_packets() {
        if (!capture_error_.empty()) return false;
        try {
            const std::size_t n = cap_.dispatch([this](const capture::Packet& p, const capture::RawFrame& f) {
                analyzer_.add(p);
                if (writer_ != nullptr) writer_->add(f);
                if (until_verdict_) keep_for_trial(f);
            });
            packets_since_trial_ += n;
            if (n > 0 && writer_ != nullptr) writer_->flush();
        } catch (const InputError& e) {
            capture_error_ = e.what();
            stopped_by_ = "error";
            return false;
        }
        return true;
    }

    void keep_for_trial(const capture::RawFrame& f) {
        stored_bytes_ += f.data.size() + sizeof(StoredFrame);
        if (stored_bytes_ > kTrialKeep) {
            until_verdict_ = false;
            stored_.clear();
            stored_.shrink_to_fit();
            const std::string why = fmt::format("--until-verdict stopped watching after {} MiB of packets (too many to analyse again "
                                                "and again); the capture went on until it was stopped otherwise",
                                                kTrialKeep >> 20);
            note(why);
            analyzer_.warn(why);
            return;
        }
        stored_.push_back(StoredFrame{f.ts_sec, f.ts_usec, f.caplen, f.wirelen, std::vector<std::uint8_t>(f.data.begin(), f.data.end())});
    }

    // Analyses the packets so far with the same rules; the verdict of a conclusive connection.
    std::optional<std::string> trial() const {
        engine::Analyzer a(options_, rules_);
        a.begin_capture(name_, cap_.link_type());
        capture::ReadStats stats;
        stats.link_type = cap_.link_type();
        stats.snaplen = cap_.snaplen();
        capture::Packet p;
        for (const auto& s : stored_) {
            capture::RawFrame f;
            f.ts_sec = s.sec;
            f.ts_usec = s.usec;
            f.caplen = s.caplen;
            f.wirelen = s.wirelen;
            f.data = std::span<const std::uint8_t>(s.bytes);
            capture::decode_frame(stats.link_type, f, p, stats);
            a.add(p);
        }
        a.set_capture_end(wall_now());
        a.end_capture(stats);
        const engine::Analysis result = a.finish();
        for (const auto& flow : result.attempts)
            if (conclusive(flow.facts))
                return fmt::format("{} -> {}: {} (rule {})", flow.facts.get(facts::flow::client),
                                   flow.facts.get(facts::flow::server), contract::name(flow.verdict.cause), flow.verdict.rule);
        return std::nullopt;
    }

    void pump_stderr(Child& c) {
        while (c.stderr_fd >= 0) {
            char buf[8192];
            const ssize_t n = ::read(c.stderr_fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return;  // EAGAIN: nothing more now
            if (n == 0) {
                ::close(c.stderr_fd);
                c.stderr_fd = -1;
                return;
            }
            write_stderr(std::string_view(buf, static_cast<std::size_t>(n)));
            if (c.stderr_copy.size() < kStderrKeep)
                c.stderr_copy.append(buf, std::min(static_cast<std::size_t>(n), kStderrKeep - c.stderr_copy.size()));
        }
    }

    static bool reap(Child& c, bool block) {
        if (c.exited) return true;
        int st = 0;
        pid_t r;
        while ((r = waitpid(c.pid, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
        }
        if (r != c.pid) return false;
        c.exited = true;
        c.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        return true;
    }

    // The loop ended: the command must end too (it normally has); then its last words are read.
    void finish_child(Child& c) {
        if (!reap(c, false)) {
            if (c.signalled_at < 0) {
                kill(c.pid, SIGTERM);
                c.signalled_at = monotonic_now();
            }
            const double deadline = monotonic_now() + 2.0;
            while (!reap(c, false) && monotonic_now() < deadline) {
                pump_stderr(c);
                pollfd p{c.stderr_fd, POLLIN, 0};
                poll(&p, c.stderr_fd >= 0 ? 1 : 0, 50);
            }
            if (!reap(c, false)) {
                kill(c.pid, SIGKILL);
                reap(c, true);
            }
        }
        // Whatever it wrote before it ended (a ProxyCommand may hold the pipe open: no waiting).
        pump_stderr(c);
        if (c.stderr_fd >= 0) {
            ::close(c.stderr_fd);
            c.stderr_fd = -1;
        }
    }

    const LiveArgs& args_;
    capture::LiveCapture& cap_;
    engine::Analyzer& analyzer_;
    const rules::RuleSet& rules_;
    engine::AnalyzeOptions options_;
    capture::DumpWriter* writer_;
    const SignalGuard& signals_;
    std::string name_;
    bool until_verdict_ = args_.until_verdict;
    std::vector<StoredFrame> stored_;
    std::size_t stored_bytes_ = 0;
    std::size_t packets_since_trial_ = 0;
    std::string stopped_by_, capture_error_;
    double started_ = 0, ended_ = 0, ended_wall_ = 0;
};

// --- the whole command --------------------------------------------------------------------------

// A file descriptor closed on destruction.
struct Fd {
    int fd = -1;
    Fd() = default;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

struct Prepared {
    Target target;
    std::string interface, filter;
    std::string shown_filter;  // the filter without its VLAN repetitions, for people
    std::unique_ptr<capture::LiveCapture> cap;
    std::unique_ptr<capture::DumpWriter> writer;
    rules::RuleSet rules;
    std::unique_ptr<Fd> report;  // --report FILE, opened before the privileges go
};

// Opens the capture (root), sets the filter and opens the --write file: everything that needs
// privileges. Nothing here starts reading packets.
Prepared prepare(const LiveArgs& a, Target target, const std::optional<Identity>& file_owner) {
    Prepared p{std::move(target), "", "", "", nullptr, nullptr, load_rules(a.vm), std::make_unique<Fd>()};
    wire_cloud_rules(a.vm, p.target.analyze);
    p.target.proxies = parse_proxies(a.proxies);
    if (!p.target.proxies.empty() && p.target.filter_port == 0) p.target.filter_port = p.target.analyze.ssh_port;
    p.interface = a.interface ? *a.interface : choose_interface(p.target, p.target.notes);
    capture::LiveOptions lo;
    lo.interface = p.interface;
    try {
        p.cap = std::make_unique<capture::LiveCapture>(lo);
    } catch (const capture::PermissionError&) {
        throw UsageError(privilege_message(a.command));
    }
    if (a.filter) {
        p.filter = p.shown_filter = *a.filter;
    } else {
        capture::FilterSpec spec;
        spec.hosts = p.target.addresses;
        // With a host, every port: a control connection to another port of it (the rules'
        // next steps suggest one) gives the analysis the server's own hop distance.
        spec.port = p.target.addresses.empty() ? p.target.filter_port : 0;
        spec.proxies = p.target.proxies;
        spec.vlan = p.cap->link_type() == capture::kLinkEthernet;
        p.filter = capture::build_filter(spec);
        const bool vlan = spec.vlan;
        spec.vlan = false;
        p.shown_filter = capture::build_filter(spec) + (vlan ? " (also behind one or two VLAN tags)" : "");
    }
    try {
        p.cap->set_filter(p.filter);
    } catch (const InputError& e) {
        throw UsageError(a.filter ? fmt::format("--filter: {}", e.what()) : std::string(e.what()));
    }
    if (a.write) {
        p.writer = std::make_unique<capture::DumpWriter>(*a.write, capture::dump_format_for(*a.write), p.cap->link_type(),
                                                         p.cap->snaplen(), p.interface, p.filter,
                                                         fmt::format("sshpath {}", SSHPATH_VERSION));
        if (file_owner && !p.writer->chown(file_owner->uid, file_owner->gid))
            throw UsageError(fmt::format("--write: cannot give '{}' to {}: {}", *a.write, describe(*file_owner), std::strerror(errno)));
    }
    if (a.report) {
        p.report->fd = ::open(a.report->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (p.report->fd < 0) throw UsageError(fmt::format("--report: cannot create '{}': {}", *a.report, std::strerror(errno)));
        if (file_owner && fchown(p.report->fd, file_owner->uid, file_owner->gid) != 0)
            throw UsageError(fmt::format("--report: cannot give '{}' to {}: {}", *a.report, describe(*file_owner), std::strerror(errno)));
    }
    return p;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

struct Outcome {
    std::string command, interface, filter, shown_filter, started, stopped_by, user;
    Target target;
    double duration = 0;
    std::uint64_t packets = 0;
    capture::LiveStats kernel;
    const capture::DumpWriter* writer = nullptr;
    const Child* child = nullptr;
    capture::ClientError client_error;
};

std::string stopped_text(const Outcome& o, double grace) {
    if (o.stopped_by == "interrupt") return o.child ? "SIGINT (passed to the command)" : "SIGINT";
    if (o.stopped_by == "terminate") return o.child ? "SIGTERM (passed to the command)" : "SIGTERM";
    if (o.stopped_by == "duration") return "--duration";
    if (o.stopped_by == "until-verdict") return fmt::format("--until-verdict (+{} s grace)", grace);
    if (o.stopped_by == "command-exit") return fmt::format("the command ended (+{} s grace)", grace);
    return "a capture error";
}

std::string text_trailer(const Outcome& o, double grace, bool markdown) {
    std::vector<std::pair<std::string, std::string>> rows;
    if (o.child) {
        rows.emplace_back("command", fmt::format("{} (exit status {})", join_command(o.child->argv), o.child->status));
        rows.emplace_back("it said", o.client_error.line.empty() ? fmt::format("nothing that names an error ({})", o.client_error.kind)
                                                                  : fmt::format("{} [{}]", o.client_error.line, o.client_error.kind));
    }
    rows.emplace_back("interface", o.interface);
    rows.emplace_back("filter", o.shown_filter);
    if (!o.target.host.empty())
        rows.emplace_back("host", o.target.addresses.empty() ? o.target.host
                                  : o.target.resolved     ? fmt::format("{} = {}", o.target.host, address_list(o.target.addresses))
                                                          : address_list(o.target.addresses));
    for (const auto& n : o.target.notes) rows.emplace_back("note", n);
    rows.emplace_back("stopped by", fmt::format("{}, after {:.3f} s: {} packets, {} dropped by the kernel", stopped_text(o, grace),
                                                o.duration, o.packets, o.kernel.dropped));
    rows.emplace_back("privileges", o.user);
    if (o.writer)
        rows.emplace_back("saved to", fmt::format("{} ({}, {} packets{}): 'sshpath analyze {}' analyses it again", o.writer->path(),
                                                  o.writer->format() == capture::DumpFormat::kPcapng ? "pcapng" : "pcap",
                                                  o.writer->packets(), o.writer->error().empty() ? "" : ", INCOMPLETE: " + o.writer->error(),
                                                  quote_arg(o.writer->path())));
    std::string out = markdown ? "\n## Live capture\n\n" : "\nLive capture\n";
    for (const auto& [k, v] : rows) out += markdown ? fmt::format("- **{}**: {}\n", k, v) : fmt::format("  {:<11} {}\n", k, v);
    return out;
}

std::string json_report(const engine::Analysis& analysis, const report::ReportOptions& ro, const Outcome& o, double grace) {
    auto j = nlohmann::ordered_json::parse(report::render_json(analysis, ro));
    if (o.writer) j["capture_file"] = o.writer->path();
    nlohmann::ordered_json live;
    live["command"] = o.command;
    live["interface"] = o.interface;
    live["filter"] = o.filter;
    live["host"] = o.target.host;
    nlohmann::ordered_json addrs = nlohmann::ordered_json::array();
    for (const auto& a : o.target.addresses) addrs.push_back(a.to_string());
    live["addresses"] = addrs;
    live["port"] = o.target.analyze.ssh_port;
    live["notes"] = o.target.notes;
    live["started"] = o.started;
    live["duration_s"] = std::round(o.duration * 1000) / 1000;
    live["stopped_by"] = o.stopped_by;
    live["grace_s"] = grace;
    live["packets"] = o.packets;
    live["kernel_drops"] = o.kernel.dropped;
    live["interface_drops"] = o.kernel.if_dropped;
    live["privileges"] = o.user;
    if (o.writer) {
        live["capture_file"] = {{"path", o.writer->path()},
                                {"format", o.writer->format() == capture::DumpFormat::kPcapng ? "pcapng" : "pcap"},
                                {"packets", o.writer->packets()},
                                {"error", o.writer->error()}};
    }
    if (o.child) {
        live["run"] = {{"argv", o.child->argv},
                       {"exit_status", o.child->status},
                       {"client_error", o.client_error.line},
                       {"client_error_kind", o.client_error.kind}};
    }
    j["live"] = live;
    return j.dump(2) + "\n";
}

void print_live_report(const engine::Analysis& analysis, const LiveArgs& a, const Outcome& o, int report_fd) {
    report::ReportOptions ro;
    ro.explain = a.explain;
    ro.version = SSHPATH_VERSION;
    std::string out;
    if (a.format == "json")
        out = json_report(analysis, ro, o, a.grace);
    else if (a.format == "markdown")
        out = report::render_markdown(analysis, ro) + text_trailer(o, a.grace, true);
    else
        out = report::render_text(analysis, ro) + text_trailer(o, a.grace, false);
    if (report_fd >= 0) {
        std::string_view left = out;
        while (!left.empty()) {
            const ssize_t n = ::write(report_fd, left.data(), left.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) throw Error(fmt::format("--report: cannot write '{}': {}", *a.report, std::strerror(errno)));
            left.remove_prefix(static_cast<std::size_t>(n));
        }
        return;
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
}

// Everything after the capture is open and privileges are dropped: the loop, then the report.
int capture_and_report(const LiveArgs& a, Prepared& p, const SignalGuard& signals, Child* child, const std::string& user) {
    const std::string name = fmt::format("live capture on {}", p.interface);
    engine::Analyzer analyzer(p.target.analyze, p.rules);
    analyzer.begin_capture(name, p.cap->link_type());
    Session session(a, *p.cap, analyzer, p.rules, p.target.analyze, p.writer.get(), signals, name);
    Outcome o;
    o.command = a.command;
    o.interface = p.interface;
    o.filter = p.filter;
    o.shown_filter = p.shown_filter;
    o.target = p.target;
    o.started = utc_now();
    o.user = user;
    session.loop(child);
    o.stopped_by = session.stopped_by();
    o.duration = session.duration();
    o.kernel = p.cap->kernel_stats();
    o.packets = p.cap->read_stats().packets;
    session.note(fmt::format("stopped by {} after {:.1f} s: {} packets, {} dropped by the kernel", stopped_text(o, a.grace),
                             o.duration, o.packets, o.kernel.dropped));
    if (!session.capture_error().empty())
        analyzer.warn(fmt::format("the capture stopped early: {}; the analysis covers the packets before it", session.capture_error()));
    if (o.kernel.dropped > 0)
        analyzer.warn(fmt::format("the kernel dropped {} packets that matched the filter (its capture buffer was full): the verdict "
                                  "rests on incomplete data, and a packet missing here may look like a drop on the network",
                                  o.kernel.dropped));
    if (o.kernel.if_dropped > 0)
        analyzer.warn(fmt::format("the interface dropped {} packets during the capture (not only this connection's): the verdict may "
                                  "rest on incomplete data",
                                  o.kernel.if_dropped));
    analyzer.set_fact("kernel_drops", static_cast<std::int64_t>(o.kernel.dropped));
    analyzer.set_fact("interface_drops", static_cast<std::int64_t>(o.kernel.if_dropped));
    std::string comment = fmt::format("sshpath {}: {} packets on {}, filter: {}", a.command, o.packets, p.interface, p.shown_filter);
    if (child != nullptr) {
        o.child = child;
        o.client_error = capture::find_client_error(child->stderr_copy, child->status);
        analyzer.set_fact("client_error", o.client_error.line);
        analyzer.set_fact("client_error_kind", o.client_error.kind);
        analyzer.set_fact("command_exit_status", static_cast<std::int64_t>(child->status));
        comment += fmt::format("; command: {}; exit status {}; error: {} [{}]", join_command(child->argv), child->status,
                               o.client_error.line, o.client_error.kind);
    }
    analyzer.set_capture_end(session.ended_wall());
    analyzer.end_capture(p.cap->read_stats());
    if (p.writer) {
        p.writer->close(o.kernel, comment);
        if (!p.writer->error().empty())
            analyzer.warn(fmt::format("could not write all of '{}': {}; the file holds the packets before the error", p.writer->path(),
                                      p.writer->error()));
        o.writer = p.writer.get();
    }
    print_live_report(analyzer.finish(), a, o, p.report->fd);
    return 0;
}

void print_help(const po::options_description& desc, const char* examples) { std::cout << desc << "\nExamples:\n" << examples; }

}  // namespace

int cmd_capture(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sudo sshpath capture [--host ADDR] [OPTIONS]\n"
        "\n"
        "Captures the connections to the SSH port of a host live (while you run ssh elsewhere) and\n"
        "explains them as 'analyze' does. The kernel filter keeps only those connections and the\n"
        "ICMP/ICMPv6 errors that can quote them. Stops on Ctrl-C, SIGTERM, --duration, or\n"
        "--until-verdict. Opens the capture as root, then drops to the invoking user (SUDO_UID) or\n"
        "nobody.\n"
        "\n"
        "Options");
    add_common_options(desc, true);
    LiveArgs a = parse_live_args("capture", args, desc);
    if (a.vm.count("help")) {
        print_help(desc,
                   "  sudo sshpath capture --host 203.0.113.7\n"
                   "  sudo sshpath capture --host vm.example --port 2222 --duration 30 --write case.pcapng\n"
                   "  sudo sshpath capture --host 203.0.113.7 --until-verdict --duration 60 --format json\n");
        return 0;
    }
    if (a.vm.count("grace") && !a.until_verdict) throw UsageError("--grace: only with --until-verdict (capture) or for 'run'");
    if (!capture::can_capture()) throw UsageError(privilege_message("capture"));
    const int port = a.port.value_or(22);
    Target target = a.host ? explicit_target(*a.host, port) : any_host_target(port);
    const std::optional<Identity> sudo = sudo_user();
    const bool root = getuid() == 0;
    Prepared p = prepare(a, std::move(target), sudo);
    const Identity drop_to = !root ? identity_of(getuid(), getgid()) : sudo ? *sudo : nobody();
    if (const std::string why = become(drop_to, false, false); !why.empty()) throw Error(fmt::format("cannot drop privileges: {}", why));
    const std::string user = root ? fmt::format("root only to open the capture, then {}", describe(drop_to))
                                  : fmt::format("{} (capabilities dropped after opening the capture)", describe(drop_to));
    SignalGuard signals;
    if (p.target.resolved) note(a, fmt::format("{} is {}", p.target.host, address_list(p.target.addresses)));
    for (const auto& n : p.target.notes) note(a, n);
    note(a, fmt::format("listening on {} ({}), filter: {}", p.interface, capture::link_type_name(p.cap->link_type()), p.shown_filter));
    note(a, fmt::format("running as {}; Ctrl-C stops{}{}", describe(drop_to), a.duration > 0 ? fmt::format(", or {} s", a.duration) : "",
                        a.until_verdict ? ", or a conclusive verdict" : ""));
    return capture_and_report(a, p, signals, nullptr, user);
}

int cmd_run(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sudo sshpath run [OPTIONS] -- COMMAND [ARGS...]\n"
        "\n"
        "Starts a live capture, then runs COMMAND (normally ssh) as the invoking user, with the\n"
        "terminal passed through and a copy of its standard error kept; when it ends (plus --grace\n"
        "for late packets) explains the connection from the packets and ssh's own error line.\n"
        "For ssh, the host, port and proxies come from 'ssh -G'. Opens the capture as root, then\n"
        "drops to the invoking user (SUDO_UID) or nobody.\n"
        "\n"
        "Options");
    add_common_options(desc, false);
    const auto dashes = std::find(args.begin(), args.end(), "--");
    std::vector<std::string> own(args.begin(), dashes);
    std::vector<std::string> command(dashes == args.end() ? dashes : dashes + 1, args.end());
    LiveArgs a = parse_live_args("run", own, desc);
    if (a.vm.count("help")) {
        print_help(desc,
                   "  sudo sshpath run -- ssh -p 2222 alice@vm.example\n"
                   "  sudo sshpath run --write case.pcapng -- ssh alice@203.0.113.7\n"
                   "  sudo sshpath run --host 203.0.113.7 -- scp file alice@203.0.113.7:\n");
        return 0;
    }
    if (command.empty())
        throw UsageError(dashes == args.end() ? "run: no command given: put it after '--', e.g. 'sudo sshpath run -- ssh user@host'"
                                              : "run: no command given after '--'");
    const std::optional<std::string> program = find_program(command.front());
    if (!program) throw UsageError(fmt::format("run: command not found: '{}'", command.front()));
    if (!capture::can_capture()) throw UsageError(privilege_message("run"));

    // Who runs the command, and who sshpath becomes once the capture is open.
    const std::optional<Identity> sudo = sudo_user();
    const bool root = getuid() == 0;
    const Identity self = identity_of(getuid(), getgid());
    const Identity child_id = sudo ? *sudo : self;
    const Identity drop_to = !root ? self : sudo ? *sudo : nobody();
    const bool keep_kill = root && drop_to.uid != child_id.uid;

    const std::string base = command.front().substr(command.front().rfind('/') + 1);
    Target target;
    if (a.host)
        target = explicit_target(*a.host, a.port.value_or(22));
    else if (base == "ssh")
        target = ssh_target(*program, std::vector<std::string>(command.begin() + 1, command.end()),
                            root && child_id.uid != 0 ? &child_id : nullptr, a.port, !a.proxies.empty());
    else
        target = any_host_target(a.port.value_or(22));
    Prepared p = prepare(a, std::move(target), sudo);

    SignalGuard signals;
    if (p.target.resolved) note(a, fmt::format("{} is {}", p.target.host, address_list(p.target.addresses)));
    for (const auto& n : p.target.notes) note(a, n);
    note(a, fmt::format("listening on {} ({}), filter: {}", p.interface, capture::link_type_name(p.cap->link_type()), p.shown_filter));
    note(a, fmt::format("running {} as {}", join_command(command), describe(child_id)));

    int err_pipe[2], go_pipe[2], exec_pipe[2];
    if (pipe2(err_pipe, O_CLOEXEC) != 0 || pipe2(go_pipe, O_CLOEXEC) != 0 || pipe2(exec_pipe, O_CLOEXEC) != 0)
        throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) throw Error(fmt::format("cannot start '{}': {}", command.front(), std::strerror(errno)));
    if (pid == 0) {
        reset_signals_in_child();
        ::close(err_pipe[0]);
        ::close(go_pipe[1]);
        ::close(exec_pipe[0]);
        if (root && child_id.uid != 0) {
            if (const std::string why = become(child_id, false, true); !why.empty()) {
                write_stderr("sshpath: error: cannot run the command as " + describe(child_id) + ": " + why + "\n");
                _exit(126);
            }
            set_child_environment(child_id);
        } else if (!root) {
            become(child_id, false, true);  // drops any capability, nothing else
        }
        char go = 0;
        ssize_t n;
        while ((n = ::read(go_pipe[0], &go, 1)) < 0 && errno == EINTR) {
        }
        if (n != 1) _exit(125);  // sshpath gave up before the start
        dup2(err_pipe[1], STDERR_FILENO);
        std::vector<char*> argv;
        for (const auto& s : command) argv.push_back(const_cast<char*>(s.c_str()));
        argv.push_back(nullptr);
        execv(program->c_str(), argv.data());
        const int e = errno;
        ignore_result(::write(exec_pipe[1], &e, sizeof e));
        _exit(127);
    }
    ::close(err_pipe[1]);
    ::close(go_pipe[0]);
    ::close(exec_pipe[1]);
    Child child;
    child.pid = pid;
    child.argv = command;
    child.stderr_fd = err_pipe[0];
    fcntl(child.stderr_fd, F_SETFL, fcntl(child.stderr_fd, F_GETFL) | O_NONBLOCK);

    if (const std::string why = become(drop_to, keep_kill, false); !why.empty()) {
        ::close(go_pipe[1]);
        waitpid(pid, nullptr, 0);
        throw Error(fmt::format("cannot drop privileges: {}", why));
    }
    const std::string user = drop_to.uid != 0 && root
                                 ? fmt::format("root only to open the capture, then {}{}; the command ran as {}", describe(drop_to),
                                               keep_kill ? " keeping CAP_KILL alone (to stop the command)" : "", describe(child_id))
                                 : fmt::format("{} (capabilities dropped); the command ran as {}", describe(drop_to), describe(child_id));
    const char go = 1;
    ignore_result(::write(go_pipe[1], &go, 1));
    ::close(go_pipe[1]);
    int exec_errno = 0;
    ssize_t got;
    while ((got = ::read(exec_pipe[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    ::close(exec_pipe[0]);
    if (got == static_cast<ssize_t>(sizeof exec_errno)) {
        waitpid(pid, nullptr, 0);
        throw UsageError(fmt::format("run: cannot run '{}': {}", command.front(), std::strerror(exec_errno)));
    }
    return capture_and_report(a, p, signals, &child, user);
}

}  // namespace sshpath::cli
