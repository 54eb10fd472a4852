#include "sshpath/posix/child.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace sshpath::posix {
namespace {

CommandSpec shell(const std::string& script) { return CommandSpec{"/bin/sh", {"sh", "-c", script}, std::nullopt}; }

// Everything the child writes on its standard error until it closes it.
std::string read_all(int fd) {
    std::string out;
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0) break;
        char buf[256];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

TEST(ChildProcessTest, RunsAfterStartAndReturnsItsStatus) {
    ChildProcess child = ChildProcess::spawn(shell("echo oops >&2; exit 3"));
    EXPECT_FALSE(child.exited());
    ASSERT_EQ(child.start(), 0);
    EXPECT_EQ(read_all(child.stderr_fd()), "oops\n");
    EXPECT_TRUE(child.reap(true));
    EXPECT_EQ(child.status(), 3);
}

TEST(ChildProcessTest, KilledBySignalIs128PlusIt) {
    ChildProcess child = ChildProcess::spawn(shell("sleep 30"));
    ASSERT_EQ(child.start(), 0);
    child.send(SIGTERM);
    EXPECT_TRUE(child.reap(true));
    EXPECT_EQ(child.status(), 128 + SIGTERM);
}

TEST(ChildProcessTest, ExecFailureIsReported) {
    ChildProcess child = ChildProcess::spawn(CommandSpec{"/nonexistent/program", {"program"}, std::nullopt});
    EXPECT_EQ(child.start(), ENOENT);
    EXPECT_TRUE(child.exited());
}

TEST(ChildProcessTest, AChildNeverStartedEndsWithoutRunning) {
    const std::string marker = ::testing::TempDir() + "/sshpath-child-marker";
    ::unlink(marker.c_str());
    { ChildProcess child = ChildProcess::spawn(shell("touch '" + marker + "'")); }
    EXPECT_NE(::access(marker.c_str(), F_OK), 0);
}

TEST(ExitStatusTest, ExitCodeOrSignal) {
    EXPECT_EQ(exit_status_of(0), 0);
    EXPECT_EQ(exit_status_of(255 << 8), 255);
    EXPECT_EQ(exit_status_of(SIGKILL), 137);
}

TEST(RunForOutputTest, ReturnsStandardOutputAndStatus) {
    const CommandOutput out = run_for_output(shell("echo hello; echo noise >&2; exit 4"));
    EXPECT_EQ(out.text, "hello\n");
    EXPECT_EQ(out.status, 4);
}

TEST(RunForOutputTest, KillsACommandThatTakesTooLong) {
    const CommandOutput out = run_for_output(shell("echo started; exec sleep 30"), 0.3);
    EXPECT_EQ(out.text, "started\n");
    EXPECT_EQ(out.status, 128 + SIGKILL);
}

TEST(FindProgramTest, SearchesPath) {
    const auto sh = find_program("sh");
    ASSERT_TRUE(sh.has_value());
    EXPECT_EQ(::access(sh->c_str(), X_OK), 0);
    EXPECT_EQ(find_program("/bin/sh"), std::optional<std::string>("/bin/sh"));
    EXPECT_FALSE(find_program("no-such-program-sshpath-test").has_value());
    EXPECT_FALSE(find_program("/nonexistent/sh").has_value());
}

}  // namespace
}  // namespace sshpath::posix
