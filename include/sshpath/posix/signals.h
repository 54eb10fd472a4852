#pragma once
#include <csignal>
#include <string>
#include <vector>

namespace sshpath::posix {

/// Signals delivered through a self-pipe, so that a poll() loop wakes up for them. While a
/// SignalPipe lives, SIGINT, SIGTERM and SIGHUP (the stop signals), SIGCHLD and SIGALRM write
/// their number to the pipe and are counted; their handlers do not restart interrupted system
/// calls, so a blocking read() returns EINTR; SIGPIPE is ignored, so that writing to a closed
/// pipe fails with EPIPE instead of killing the process. A third stop signal has its default
/// action at once (the process ends): a way out when the first two are only noted. The previous
/// dispositions come back when it goes. At most one exists at a time.
class SignalPipe {
public:
    SignalPipe();
    ~SignalPipe();
    SignalPipe(const SignalPipe&) = delete;
    SignalPipe& operator=(const SignalPipe&) = delete;

    /// Readable when signals wait to be taken (non-blocking, close-on-exec).
    int fd() const;
    /// The signals that arrived since the last call, in order.
    std::vector<int> take();
    /// How many stop signals (SIGINT, SIGTERM, SIGHUP) arrived so far, taken or not.
    int stop_count() const;
    /// The first stop signal that arrived, 0 before any.
    int first_stop_signal() const;
    /// Arms a one-shot timer: SIGALRM in `seconds` (a blocked system call then returns EINTR).
    void wake_after(double seconds);

    /// In a forked child before exec: the default dispositions of every signal the pipe
    /// handles, SIGPIPE included, and an empty signal mask, as a fresh process has.
    static void reset_in_child();
};

/// "SIGINT", "SIGTERM", "SIGHUP", ... ("signal N" for others).
std::string signal_name(int sig);

/// 128 + the signal number: what a shell reports for a process that a signal ended.
inline int exit_status_for_signal(int sig) { return 128 + sig; }

}  // namespace sshpath::posix
