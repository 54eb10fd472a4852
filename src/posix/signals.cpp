#include "sshpath/posix/signals.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <iterator>

#include "sshpath/core/error.h"

namespace sshpath::posix {

namespace {

constexpr int kHandled[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGALRM};

int g_pipe[2] = {-1, -1};
volatile std::sig_atomic_t g_stops = 0;
volatile std::sig_atomic_t g_first_stop = 0;
struct sigaction g_saved[std::size(kHandled)];
struct sigaction g_saved_pipe;

extern "C" void on_signal(int sig) {
    const int saved = errno;
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
        if (g_first_stop == 0) g_first_stop = sig;
        g_stops = g_stops + 1;
        // The third one is not asked but obeyed: the default action, at once.
        if (g_stops >= 3) {
            struct sigaction dfl{};
            dfl.sa_handler = SIG_DFL;
            sigemptyset(&dfl.sa_mask);
            sigaction(sig, &dfl, nullptr);
            raise(sig);
        }
    }
    const auto byte = static_cast<unsigned char>(sig);
    [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
    errno = saved;
}

}  // namespace

SignalPipe::SignalPipe() {
    if (g_pipe[0] >= 0) throw Error("a signal pipe exists already");
    if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    g_stops = 0;
    g_first_stop = 0;
    struct sigaction sa{};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kHandled); ++i) {
        sa.sa_flags = kHandled[i] == SIGCHLD ? SA_NOCLDSTOP : 0;
        sigaction(kHandled[i], &sa, &g_saved[i]);
    }
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &g_saved_pipe);
}

SignalPipe::~SignalPipe() {
    itimerval off{};
    setitimer(ITIMER_REAL, &off, nullptr);
    for (std::size_t i = 0; i < std::size(kHandled); ++i) sigaction(kHandled[i], &g_saved[i], nullptr);
    sigaction(SIGPIPE, &g_saved_pipe, nullptr);
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

int SignalPipe::fd() const { return g_pipe[0]; }

std::vector<int> SignalPipe::take() {
    std::vector<int> out;
    unsigned char buf[64];
    for (;;) {
        const ssize_t n = ::read(g_pipe[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.insert(out.end(), buf, buf + n);
    }
    return out;
}

int SignalPipe::stop_count() const { return g_stops; }

int SignalPipe::first_stop_signal() const { return g_first_stop; }

void SignalPipe::wake_after(double seconds) {
    itimerval t{};
    const double whole = std::floor(std::max(seconds, 0.0));
    t.it_value.tv_sec = static_cast<time_t>(whole);
    t.it_value.tv_usec = static_cast<suseconds_t>((seconds - whole) * 1e6);
    if (t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0) t.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &t, nullptr);
}

std::string signal_name(int sig) {
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGKILL: return "SIGKILL";
    case SIGPIPE: return "SIGPIPE";
    case SIGCHLD: return "SIGCHLD";
    case SIGALRM: return "SIGALRM";
    }
    return fmt::format("signal {}", sig);
}

void SignalPipe::reset_in_child() {
    for (int sig : kHandled) signal(sig, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
}

}  // namespace sshpath::posix
