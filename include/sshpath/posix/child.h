#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/posix/fd.h"
#include "sshpath/posix/privileges.h"

namespace sshpath::posix {

/// A command to start.
struct CommandSpec {
    std::string program;             ///< the file to execute (a path, see find_program())
    std::vector<std::string> argv;   ///< its arguments, argv[0] included
    /// Run as this user: its groups (initgroups), gid, uid, and HOME, USER, LOGNAME from its
    /// passwd entry. nullopt: as this process, giving up any capability when not root.
    std::optional<Identity> user;
};

/// The exit status of a wait() status: the code it exited with, or 128 + the signal that
/// ended it.
int exit_status_of(int wait_status);

/// The executable file `name` stands for: itself when it contains a '/', else the first match
/// in $PATH (default /usr/local/bin:/usr/bin:/bin).
std::optional<std::string> find_program(const std::string& name, std::string_view extra_dirs = {});

/// A child process started in two steps: spawn() forks (the child takes its identity and then
/// waits), start() lets it exec, so that the parent can change its own privileges between the
/// two. The child's standard input and output are the parent's; its standard error goes to a
/// pipe the parent reads (stderr_fd()). Signal dispositions are reset in the child.
class ChildProcess {
public:
    /// Forks. Throws sshpath::Error when it cannot.
    static ChildProcess spawn(const CommandSpec& spec);
    ChildProcess(ChildProcess&&) noexcept;
    ChildProcess& operator=(ChildProcess&&) = delete;
    ChildProcess(const ChildProcess&) = delete;
    /// A child never started is told to give up, and waited for.
    ~ChildProcess();

    /// Lets the child exec. Returns 0, or the errno of a failed exec (the child has then ended
    /// and been waited for).
    int start();
    pid_t pid() const { return pid_; }
    /// The read end of the child's standard error (non-blocking), -1 once closed.
    int stderr_fd() const { return stderr_.get(); }
    void close_stderr() { stderr_.reset(); }
    /// Sends `sig` to the child unless it has been waited for already.
    void send(int sig);
    /// Waits for the child (with `block`, until it ends). True once it has ended.
    bool reap(bool block);
    bool exited() const { return exited_; }
    /// Its exit status (exit_status_of()), -1 before it ended.
    int status() const { return status_; }

private:
    ChildProcess() = default;
    pid_t pid_ = -1;
    Fd stderr_, go_, exec_error_;
    bool started_ = false, exited_ = false;
    int status_ = -1;
};

/// What a command printed on its standard output, and its exit status (-1 when it could not
/// be started).
struct CommandOutput {
    int status = -1;
    std::string text;
};

/// Runs a command to its end with standard input and error on /dev/null and returns its
/// standard output (at most 1 MiB); the command is killed after `timeout_s`.
CommandOutput run_for_output(const CommandSpec& spec, double timeout_s = 10);

}  // namespace sshpath::posix
