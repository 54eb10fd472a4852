#include "sshpath/client/watch.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

namespace sshpath::client {

namespace {

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// The helper: waits for the question, reads the rules again, answers, ends.
[[noreturn]] void helper(const CheckResult& before, int ask, int answer) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (int sig : {SIGINT, SIGHUP, SIGPIPE, SIGTSTP, SIGTTOU, SIGTTIN}) signal(sig, SIG_IGN);
    char byte = 0;
    ssize_t n;
    while ((n = ::read(ask, &byte, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1) _exit(0);  // sshpath ended without asking
    CheckResult now = before;
    recheck_firewall(now);
    auto value = [&](const char* path) {
        auto p = same_rule_packets(before, now, path);
        return p ? static_cast<long long>(*p) : -1LL;
    };
    const std::string line = fmt::format("{} {}\n", value("out-syn"), value("in-reply"));
    if (::write(answer, line.data(), line.size()) < 0) _exit(1);
    _exit(0);
}

std::int64_t delta(long long now, const std::optional<std::uint64_t>& before) {
    if (now < 0 || !before) return -1;
    return now >= static_cast<long long>(*before) ? now - static_cast<long long>(*before) : -1;  // reset meanwhile
}

std::optional<std::uint64_t> decided_packets(const CheckResult& r, const char* path) {
    for (const auto& p : r.paths)
        if (p.name == path && p.decided_by) return p.decided_by->packets;
    return std::nullopt;
}

}  // namespace

FirewallWatch::FirewallWatch(const CheckOptions& options) : result_(run_check(options)) {
    if (geteuid() != 0 || !result_.firewall_read) return;
    int ask[2], answer[2];
    if (pipe2(ask, O_CLOEXEC) != 0) return;
    if (pipe2(answer, O_CLOEXEC) != 0) {
        ::close(ask[0]);
        ::close(ask[1]);
        return;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        ::close(ask[1]);
        ::close(answer[0]);
        helper(result_, ask[0], answer[1]);
    }
    ::close(ask[0]);
    ::close(answer[1]);
    if (pid < 0) {
        ::close(ask[1]);
        ::close(answer[0]);
        return;
    }
    helper_ = pid;
    ask_ = ask[1];
    answer_ = answer[0];
}

FirewallWatch::~FirewallWatch() {
    close_fd(ask_);
    close_fd(answer_);
    if (helper_ > 0) {
        // Its pipe is closed: it ends by itself (after any reading in progress).
        while (waitpid(helper_, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
}

facts::FactSet FirewallWatch::finish(double timeout_s) {
    if (helper_ > 0 && ask_ >= 0) {
        const char byte = 1;
        if (::write(ask_, &byte, 1) == 1) {
            std::string line;
            timespec start{};
            clock_gettime(CLOCK_MONOTONIC, &start);
            for (;;) {
                timespec now{};
                clock_gettime(CLOCK_MONOTONIC, &now);
                const double left = timeout_s - (static_cast<double>(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9);
                if (left <= 0) break;
                pollfd p{answer_, POLLIN, 0};
                const int rc = poll(&p, 1, static_cast<int>(left * 1000) + 1);
                if (rc < 0 && errno == EINTR) continue;
                if (rc <= 0) break;
                char buf[128];
                const ssize_t n = ::read(answer_, buf, sizeof buf);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                line.append(buf, static_cast<std::size_t>(n));
                if (line.find('\n') != std::string::npos) break;
            }
            long long out = -1, reply = -1;
            if (std::sscanf(line.c_str(), "%lld %lld", &out, &reply) == 2) {
                result_.out_rule_packets_during = delta(out, decided_packets(result_, "out-syn"));
                result_.reply_rule_packets_during = delta(reply, decided_packets(result_, "in-reply"));
                add_findings(result_);
            }
        }
        close_fd(ask_);
        close_fd(answer_);
        while (waitpid(helper_, nullptr, 0) < 0 && errno == EINTR) {
        }
        helper_ = -1;
    }
    return client_fact_set(result_);
}

}  // namespace sshpath::client
