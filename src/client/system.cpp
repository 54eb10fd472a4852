#include "sshpath/client/system.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <limits>
#include <sstream>

#include "sshpath/posix/child.h"
#include "sshpath/posix/clock.h"

extern char** environ;

namespace sshpath::client {

namespace {

using posix::monotonic_now;

std::optional<unsigned> env_number(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0' || std::strlen(v) > 10 || std::strspn(v, "0123456789") != std::strlen(v)) return std::nullopt;
    const unsigned long n = std::strtoul(v, nullptr, 10);
    if (n >= std::numeric_limits<uid_t>::max()) return std::nullopt;
    return static_cast<unsigned>(n);
}

// In the child: becomes the user for good, or exits.
void become(const Invoker& u) {
    if (getuid() != 0 || u.uid == 0) return;
    const int groups_rc = u.name.empty() ? setgroups(0, nullptr) : initgroups(u.name.c_str(), u.gid);
    if (groups_rc != 0 || setgid(u.gid) != 0 || setuid(u.uid) != 0 || getuid() != u.uid || geteuid() != u.uid) _exit(126);
    if (!u.home.empty()) setenv("HOME", u.home.c_str(), 1);
    if (!u.name.empty()) {
        setenv("USER", u.name.c_str(), 1);
        setenv("LOGNAME", u.name.c_str(), 1);
    }
}

}  // namespace

Invoker invoking_user() {
    Invoker u;
    u.uid = getuid();
    u.gid = getgid();
    if (getuid() == 0) {
        const auto uid = env_number("SUDO_UID"), gid = env_number("SUDO_GID");
        if (uid && *uid != 0) {
            u.uid = *uid;
            u.via_sudo = true;
            u.gid = gid ? *gid : *uid;
        }
    }
    if (const passwd* pw = getpwuid(u.uid)) {
        u.name = pw->pw_name;
        u.home = pw->pw_dir;
        if (!u.via_sudo) u.gid = pw->pw_gid;
    }
    u.groups.push_back(u.gid);
    if (!u.name.empty()) {
        int n = 64;
        std::vector<gid_t> groups(static_cast<std::size_t>(n));
        if (getgrouplist(u.name.c_str(), u.gid, groups.data(), &n) < 0) {
            groups.resize(static_cast<std::size_t>(n));
            getgrouplist(u.name.c_str(), u.gid, groups.data(), &n);
        }
        for (int i = 0; i < n && i < static_cast<int>(groups.size()); ++i)
            if (groups[static_cast<std::size_t>(i)] != u.gid) u.groups.push_back(groups[static_cast<std::size_t>(i)]);
    }
    return u;
}

std::optional<std::string> find_program(const std::string& name) {
    // sbin directories too: a user's PATH often lacks them, and nft and iptables live there.
    return posix::find_program(name, "/usr/local/sbin:/usr/sbin:/sbin");
}

CommandResult run_command(const std::vector<std::string>& argv, const Invoker* user, double timeout_s) {
    CommandResult r;
    if (argv.empty()) return r;
    const auto program = find_program(argv[0]);
    if (!program) {
        r.error = argv[0] + " is not installed";
        return r;
    }
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
        r.error = std::strerror(errno);
        return r;
    }
    if (pipe2(err, O_CLOEXEC) != 0) {
        r.error = std::strerror(errno);
        ::close(out[0]);
        ::close(out[1]);
        return r;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        r.error = std::strerror(errno);
        for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
        return r;
    }
    if (pid == 0) {
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE}) signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        if (user != nullptr) become(*user);
        setenv("LC_ALL", "C", 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(program->c_str(), args.data());
        _exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    r.ran = true;
    const double deadline = monotonic_now() + timeout_s;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* sinks[2] = {&r.out, &r.err};
    int open_fds = 2;
    while (open_fds > 0) {
        const double left = deadline - monotonic_now();
        if (left <= 0) {
            kill(pid, SIGKILL);
            r.error = "timed out";
            break;
        }
        const int rc = poll(fds, 2, static_cast<int>(std::ceil(left * 1000)));
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buf[8192];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0 || sinks[i]->size() > (8u << 20)) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
                continue;
            }
            sinks[i]->append(buf, static_cast<std::size_t>(n));
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    if (r.status == 126 && r.error.empty() && user != nullptr) r.error = "cannot switch to the user";
    if (r.status == 127 && r.error.empty()) r.error = "cannot run " + *program;
    return r;
}

FileStat stat_path(const std::string& path) {
    FileStat f;
    f.path = path;
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR) f.error = std::strerror(errno);
        return f;
    }
    f.exists = true;
    f.is_dir = S_ISDIR(st.st_mode);
    f.mode = st.st_mode & 07777;
    f.uid = st.st_uid;
    f.gid = st.st_gid;
    return f;
}

std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(max_bytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(max_bytes));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

bool group_is_private(gid_t gid, const Invoker& user) {
    const group* gr = getgrgid(gid);
    if (gr == nullptr) return false;
    int members = 0;
    for (char** m = gr->gr_mem; m != nullptr && *m != nullptr; ++m) {
        if (user.name != *m) return false;
        ++members;
    }
    setpwent();
    while (const passwd* pw = getpwent()) {
        if (pw->pw_gid != gid) continue;
        if (pw->pw_uid != user.uid) {
            endpwent();
            return false;
        }
        ++members;
    }
    endpwent();
    return members > 0;
}

std::vector<std::string> user_environment(const Invoker& user, std::string& from) {
    std::vector<std::string> env;
    if (user.via_sudo) {
        // sudo's own environment is what the user had.
        const pid_t parent = getppid();
        std::ifstream comm("/proc/" + std::to_string(parent) + "/comm");
        std::string name;
        std::getline(comm, name);
        if (name == "sudo") {
            if (auto text = read_text("/proc/" + std::to_string(parent) + "/environ")) {
                std::size_t start = 0;
                while (start < text->size()) {
                    std::size_t end = text->find('\0', start);
                    if (end == std::string::npos) end = text->size();
                    if (end > start) env.push_back(text->substr(start, end - start));
                    start = end + 1;
                }
                from = "the environment sudo was started with";
                return env;
            }
        }
        from = "this process's environment (sudo may have removed the user's proxy variables)";
    } else {
        from = "the environment";
    }
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
    return env;
}

}  // namespace sshpath::client
