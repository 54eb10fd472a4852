#include "sshpath/posix/fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>

#include "sshpath/posix/signals.h"

namespace sshpath::posix {
namespace {

bool is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

TEST(FdTest, ClosesOnDestruction) {
    int raw = -1;
    {
        Fd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        raw = fd.get();
        ASSERT_TRUE(fd.valid());
        EXPECT_TRUE(is_open(raw));
    }
    EXPECT_FALSE(is_open(raw));
}

TEST(FdTest, MoveHandsTheDescriptorOver) {
    Fd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int raw = a.get();
    Fd b(std::move(a));
    EXPECT_FALSE(a.valid());
    EXPECT_EQ(b.get(), raw);
    Fd c;
    c = std::move(b);
    EXPECT_EQ(c.get(), raw);
    EXPECT_TRUE(is_open(raw));
    const int released = c.release();
    EXPECT_FALSE(c.valid());
    EXPECT_TRUE(is_open(released));
    ::close(released);
}

TEST(FdTest, PipeEndsAreCloseOnExec) {
    Pipe p = make_pipe();
    EXPECT_TRUE(fcntl(p.read.get(), F_GETFD) & FD_CLOEXEC);
    EXPECT_TRUE(fcntl(p.write.get(), F_GETFD) & FD_CLOEXEC);
}

TEST(WriteAllTest, WritesEverythingThroughAPipe) {
    Pipe p = make_pipe();
    EXPECT_EQ(write_all(p.write.get(), "hello"), 0);
    char buf[8] = {};
    EXPECT_EQ(::read(p.read.get(), buf, sizeof buf), 5);
    EXPECT_STREQ(buf, "hello");
}

TEST(WriteAllTest, ReportsAFullDisk) {
    Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
    if (!full.valid()) GTEST_SKIP() << "no /dev/full here";
    EXPECT_EQ(write_all(full.get(), "report"), ENOSPC);
}

TEST(WriteAllTest, ReportsAClosedPipeWithoutDying) {
    SignalPipe signals;  // ignores SIGPIPE while it lives
    Pipe p = make_pipe();
    p.read.reset();
    EXPECT_EQ(write_all(p.write.get(), "report"), EPIPE);
}

}  // namespace
}  // namespace sshpath::posix
