#include "sshpath/posix/signals.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "sshpath/core/error.h"
#include "sshpath/posix/fd.h"

namespace sshpath::posix {
namespace {

TEST(SignalPipeTest, DeliversStopSignalsThroughThePipe) {
    SignalPipe signals;
    EXPECT_EQ(signals.stop_count(), 0);
    EXPECT_EQ(signals.first_stop_signal(), 0);
    raise(SIGTERM);
    raise(SIGINT);
    pollfd p{signals.fd(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 1000), 1);
    EXPECT_EQ(signals.take(), (std::vector<int>{SIGTERM, SIGINT}));
    EXPECT_TRUE(signals.take().empty());
    EXPECT_EQ(signals.stop_count(), 2);
    EXPECT_EQ(signals.first_stop_signal(), SIGTERM);
}

TEST(SignalPipeTest, InterruptsABlockedRead) {
    SignalPipe signals;
    Pipe p = make_pipe();
    signals.wake_after(0.05);
    char c;
    errno = 0;
    EXPECT_EQ(::read(p.read.get(), &c, 1), -1);
    EXPECT_EQ(errno, EINTR);
    EXPECT_EQ(signals.take(), (std::vector<int>{SIGALRM}));
    EXPECT_EQ(signals.stop_count(), 0);
}

TEST(SignalPipeTest, RestoresThePreviousDispositions) {
    struct sigaction before{};
    sigaction(SIGINT, nullptr, &before);
    {
        SignalPipe signals;
        struct sigaction during{};
        sigaction(SIGINT, nullptr, &during);
        EXPECT_NE(during.sa_handler, before.sa_handler);
        sigaction(SIGPIPE, nullptr, &during);
        EXPECT_EQ(during.sa_handler, SIG_IGN);
    }
    struct sigaction after{};
    sigaction(SIGINT, nullptr, &after);
    EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST(SignalPipeTest, TheThirdStopSignalEndsTheProcess) {
    EXPECT_EXIT(
        {
            SignalPipe signals;
            raise(SIGTERM);
            raise(SIGINT);
            if (signals.stop_count() != 2) _exit(1);
            raise(SIGTERM);
            _exit(0);
        },
        ::testing::KilledBySignal(SIGTERM), "");
}

TEST(SignalPipeTest, OnlyOneAtATime) {
    SignalPipe first;
    EXPECT_THROW(SignalPipe second, sshpath::Error);
}

TEST(SignalPipeTest, ExitStatusForASignal) {
    EXPECT_EQ(exit_status_for_signal(SIGINT), 130);
    EXPECT_EQ(exit_status_for_signal(SIGTERM), 143);
}

}  // namespace
}  // namespace sshpath::posix
