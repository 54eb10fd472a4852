// Clocks, names and users.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "sshpath/posix/clock.h"
#include "sshpath/posix/privileges.h"
#include "sshpath/posix/resolve.h"

namespace sshpath::posix {
namespace {

TEST(ClockTest, MonotonicAndWall) {
    const double a = monotonic_now();
    usleep(10000);
    EXPECT_GE(monotonic_now() - a, 0.009);
    EXPECT_GT(wall_now(), 1.6e9);
    EXPECT_EQ(utc_timestamp(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(utc_timestamp(1714564800.7), "2024-05-01T12:00:00Z");
}

TEST(ResolveTest, AnAddressIsItself) {
    EXPECT_EQ(resolve("203.0.113.7", AF_UNSPEC).addresses, std::vector<std::string>{"203.0.113.7"});
    EXPECT_EQ(resolve("2001:db8::7", AF_UNSPEC).addresses, std::vector<std::string>{"2001:db8::7"});
    const Resolved wrong_family = resolve("203.0.113.7", AF_INET6);
    EXPECT_TRUE(wrong_family.addresses.empty());
    EXPECT_FALSE(wrong_family.error.empty());
}

TEST(ResolveTest, PlausibleNames) {
    EXPECT_TRUE(plausible_host_name("vm-1.example"));
    EXPECT_TRUE(plausible_host_name("under_score"));
    EXPECT_FALSE(plausible_host_name(""));
    EXPECT_FALSE(plausible_host_name("not a host!"));
    EXPECT_FALSE(plausible_host_name(std::string(254, 'a')));
}

TEST(PrivilegesTest, DescribesUsers) {
    EXPECT_EQ(describe(identity_of(0, 0)), "uid 0 (root)");
    Identity unknown = identity_of(4242, 4243);
    EXPECT_FALSE(unknown.has_passwd);
    EXPECT_EQ(describe(unknown), "uid 4242");
}

TEST(PrivilegesTest, SudoUserFromTheEnvironment) {
    if (!is_root()) GTEST_SKIP() << "sudo_user() answers only for root";
    setenv("SUDO_UID", "4242", 1);
    setenv("SUDO_GID", "4243", 1);
    auto who = sudo_user();
    ASSERT_TRUE(who.has_value());
    EXPECT_EQ(who->uid, 4242u);
    EXPECT_EQ(who->gid, 4243u);
    setenv("SUDO_UID", "0", 1);
    EXPECT_FALSE(sudo_user().has_value());
    setenv("SUDO_UID", "12x", 1);
    EXPECT_FALSE(sudo_user().has_value());
    unsetenv("SUDO_UID");
    unsetenv("SUDO_GID");
    EXPECT_FALSE(sudo_user().has_value());
}

TEST(PrivilegesTest, BecomeDropsForGood) {
    if (!is_root()) GTEST_SKIP() << "needs root";
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const Identity target = identity_of(4242, 4243);
        if (become(target, false, false)) _exit(1);
        if (getuid() != 4242 || getgid() != 4243 || getgroups(0, nullptr) != 0) _exit(2);
        if (setuid(0) == 0) _exit(3);
        if (has_capability(0 /* CAP_CHOWN */)) _exit(4);
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    EXPECT_TRUE(WIFEXITED(st));
    EXPECT_EQ(WEXITSTATUS(st), 0);
}

}  // namespace
}  // namespace sshpath::posix
