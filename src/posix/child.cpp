#include "sshpath/posix/child.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sshpath/core/error.h"
#include "sshpath/posix/clock.h"
#include "sshpath/posix/signals.h"

namespace sshpath::posix {

namespace {

// Made before fork(): the child only calls async-signal-safe functions until exec.
std::vector<char*> c_argv(const CommandSpec& spec) {
    std::vector<char*> out;
    for (const auto& a : spec.argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

// In the forked child: becomes the spec's user, or exits 126 saying why on standard error.
void take_identity(const CommandSpec& spec) {
    if (spec.user) {
        if (const auto why = become(*spec.user, false, true)) {
            write_all(STDERR_FILENO, fmt::format("sshpath: error: cannot run the command as {}: {}\n", describe(*spec.user), *why));
            _exit(126);
        }
        set_user_environment(*spec.user);
    } else if (!is_root() && become(current_user(), false, true)) {
        _exit(126);
    }
}

int wait_for(pid_t pid, bool block, bool& ended) {
    int st = 0;
    pid_t r;
    while ((r = waitpid(pid, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
    }
    ended = r == pid;
    return ended ? exit_status_of(st) : -1;
}

}  // namespace

int exit_status_of(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return exit_status_for_signal(WTERMSIG(wait_status));
    return exit_status_for_signal(0);
}

std::optional<std::string> find_program(const std::string& name, std::string_view extra_dirs) {
    auto executable = [](const std::string& path) {
        struct stat st{};
        return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
    };
    if (name.find('/') != std::string::npos) return executable(name) ? std::optional<std::string>(name) : std::nullopt;
    const char* env = std::getenv("PATH");
    std::string path = env != nullptr && *env != '\0' ? env : "/usr/local/bin:/usr/bin:/bin";
    if (!extra_dirs.empty()) path.append(":").append(extra_dirs);
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = path.find(':', start);
        const std::size_t end = colon == std::string::npos ? path.size() : colon;
        // Built piece by piece: GCC 12 warns (-Wrestrict, a false positive) about `dir + "/" + name`.
        std::string candidate = end > start ? path.substr(start, end - start) : std::string(1, '.');
        candidate.push_back('/');
        candidate.append(name);
        if (executable(candidate)) return candidate;
        if (colon == std::string::npos) return std::nullopt;
        start = colon + 1;
    }
}

ChildProcess ChildProcess::spawn(const CommandSpec& spec) {
    Pipe err = make_pipe(), go = make_pipe(), exec_error = make_pipe();
    std::vector<char*> argv = c_argv(spec);
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw Error(fmt::format("cannot start '{}': {}", spec.program, std::strerror(errno)));
    if (pid == 0) {
        SignalPipe::reset_in_child();
        err.read.reset();
        go.write.reset();
        exec_error.read.reset();
        take_identity(spec);
        char byte = 0;
        ssize_t n;
        while ((n = ::read(go.read.get(), &byte, 1)) < 0 && errno == EINTR) {
        }
        if (n != 1) _exit(125);  // the parent gave up before the start
        dup2(err.write.get(), STDERR_FILENO);
        execv(spec.program.c_str(), argv.data());
        const int e = errno;
        [[maybe_unused]] const ssize_t w = ::write(exec_error.write.get(), &e, sizeof e);
        _exit(127);
    }
    ChildProcess c;
    c.pid_ = pid;
    c.stderr_ = std::move(err.read);
    c.go_ = std::move(go.write);
    c.exec_error_ = std::move(exec_error.read);
    set_nonblocking(c.stderr_.get());
    return c;
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : pid_(o.pid_), stderr_(std::move(o.stderr_)), go_(std::move(o.go_)), exec_error_(std::move(o.exec_error_)),
      started_(o.started_), exited_(o.exited_), status_(o.status_) {
    o.pid_ = -1;
}

ChildProcess::~ChildProcess() {
    if (pid_ < 0 || exited_) return;
    go_.reset();
    if (started_) send(SIGKILL);
    reap(true);
}

int ChildProcess::start() {
    const char byte = 1;
    write_all(go_.get(), std::string_view(&byte, 1));
    go_.reset();
    int exec_errno = 0;
    ssize_t got;
    while ((got = ::read(exec_error_.get(), &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    exec_error_.reset();
    if (got == static_cast<ssize_t>(sizeof exec_errno)) {
        reap(true);
        return exec_errno;
    }
    started_ = true;
    return 0;
}

void ChildProcess::send(int sig) {
    if (pid_ > 0 && !exited_) kill(pid_, sig);
}

bool ChildProcess::reap(bool block) {
    if (exited_ || pid_ < 0) return exited_;
    bool ended = false;
    const int status = wait_for(pid_, block, ended);
    if (ended) {
        exited_ = true;
        status_ = status;
    }
    return exited_;
}

CommandOutput run_for_output(const CommandSpec& spec, double timeout_s) {
    CommandOutput out;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return out;
    Fd read_end(fds[0]), write_end(fds[1]);
    std::vector<char*> argv = c_argv(spec);
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) return out;
    if (pid == 0) {
        SignalPipe::reset_in_child();
        const int devnull = ::open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        dup2(write_end.get(), STDOUT_FILENO);
        take_identity(spec);
        execv(spec.program.c_str(), argv.data());
        _exit(127);
    }
    write_end.reset();
    const double deadline = monotonic_now() + timeout_s;
    for (;;) {
        const double left = deadline - monotonic_now();
        if (left <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        pollfd p{read_end.get(), POLLIN, 0};
        const int rc = poll(&p, 1, static_cast<int>(std::ceil(left * 1000)));
        if (rc <= 0) continue;
        char buf[4096];
        const ssize_t n = ::read(read_end.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.text.append(buf, static_cast<std::size_t>(n));
        if (out.text.size() > (1u << 20)) break;
    }
    read_end.reset();
    bool ended = false;
    out.status = wait_for(pid, true, ended);
    return out;
}

}  // namespace sshpath::posix
