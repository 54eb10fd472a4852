#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "sshpath/capture/live.h"

namespace sshpath::capture {
namespace {

using namespace packet;

TEST(ClassifySshErrorTest, KnowsOpenSshsWords) {
    const std::map<std::string, std::string> lines = {
        {"ssh: connect to host 203.0.113.7 port 22: Connection timed out", "timed-out"},
        {"ssh: connect to host 203.0.113.7 port 22: Connection refused", "refused"},
        {"ssh: connect to host 203.0.113.7 port 22: No route to host", "no-route"},
        {"ssh: connect to host 203.0.113.7 port 22: Network is unreachable", "net-unreachable"},
        {"ssh: connect to host 203.0.113.7 port 22: Operation not permitted", "not-permitted"},
        {"ssh: connect to host 203.0.113.7 port 22: Permission denied", "not-permitted"},
        {"kex_exchange_identification: Connection closed by remote host", "closed-before-banner"},
        {"ssh_exchange_identification: Connection closed by remote host", "closed-before-banner"},
        {"Connection closed by 203.0.113.7 port 22", "closed"},
        {"Received disconnect from 203.0.113.7 port 22:2: bad packet", "closed"},
        {"kex_exchange_identification: read: Connection reset by peer", "reset"},
        {"Connection reset by 203.0.113.7 port 22", "reset"},
        {"Connection timed out during banner exchange", "banner-timeout"},
        {"kex_exchange_identification: banner line contains invalid characters", "bad-banner"},
        {"Unable to negotiate with 203.0.113.7 port 22: no matching key exchange method found. Their offer: x", "kex-mismatch"},
        {"Unable to negotiate with 203.0.113.7 port 22: no matching host key type found. Their offer: x", "kex-mismatch"},
        {"alice@203.0.113.7: Permission denied (publickey).", "auth-denied"},
        {"Received disconnect from 203.0.113.7 port 22:2: Too many authentication failures", "auth-denied"},
        {"Host key verification failed.", "host-key"},
        {"@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", "host-key"},
        {"ssh: Could not resolve hostname vm.example: Name or service not known", "resolve"},
        {"ssh: Could not resolve hostname vm.example: Temporary failure in name resolution", "resolve"},
        {"nc: Proxy error: \"HTTP/1.0 403 Access violation\"", "proxy"},
        {"nc: connection failed, SOCKSv5 error: Connection not allowed by ruleset", "proxy"},
        {"nc: connect to 198.51.100.1 port 8888 (tcp) failed: Connection refused", "proxy"},
        {"channel 0: open failed: connect failed: Connection refused", "proxy"},
        {"debug1: connect to address 203.0.113.7 port 22: Connection refused", "refused"},
        {"ssh: connect to host proxy.example port 22: Connection refused", "refused"},
        {"Warning: Permanently added '203.0.113.7' (ED25519) to the list of known hosts.", ""},
        {"OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026", ""},
        {"", ""},
    };
    for (const auto& [line, kind] : lines) EXPECT_EQ(classify_ssh_error_line(line), kind) << line;
}

TEST(FindClientErrorTest, TakesTheFirstErrorLineNotTheFollowUps) {
    const auto e = find_client_error(
        "OpenSSH_9.2p1\nnc: Proxy error: \"HTTP/1.0 403 Access violation\"\r\n"
        "kex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535\n",
        255);
    EXPECT_EQ(e.kind, "proxy");
    EXPECT_EQ(e.line, "nc: Proxy error: \"HTTP/1.0 403 Access violation\"");
}

TEST(FindClientErrorTest, PrefersPlainLinesToDebugLines) {
    const auto e = find_client_error(
        "debug1: connect to address 203.0.113.7 port 22: Connection refused\n"
        "ssh: connect to host 203.0.113.7 port 22: Connection refused\n",
        255);
    EXPECT_EQ(e.line, "ssh: connect to host 203.0.113.7 port 22: Connection refused");
    // OpenSSH 9.5+ tells some reasons only with -v: a debug line is better than nothing.
    const auto d = find_client_error("debug1: kex_exchange_identification: Connection closed by remote host\n", 255);
    EXPECT_EQ(d.kind, "closed-before-banner");
}

TEST(FindClientErrorTest, SuccessAndSilenceAreNone) {
    EXPECT_EQ(find_client_error("Connection refused\n", 0).kind, "none");
    EXPECT_EQ(find_client_error("", 255).kind, "none");
    EXPECT_EQ(find_client_error("OpenSSH_9.2p1 Debian\nWarning: Permanently added 'x'\n", 124).kind, "none");
    const auto other = find_client_error("ls: cannot access '/nx': No such file or directory\n", 2);
    EXPECT_EQ(other.kind, "other");
    EXPECT_EQ(other.line, "ls: cannot access '/nx': No such file or directory");
}

// The lab's recorded ssh -vvv output (captures/<scenario>.ssh.txt), as `sshpath run` sees it.
TEST(FindClientErrorTest, ReadsTheLabsRecordedClients) {
    const std::map<std::string, std::string> expected = {
        {"auth-denied", "auth-denied"},      {"banner-timeout", "banner-timeout"},     {"client-firewall-drop-out", "timed-out"},
        {"client-firewall-reject-out", "refused"}, {"edge-icmp-reject", "no-route"},   {"edge-silent-drop", "timed-out"},
        {"edge-silent-drop-ipv6", "timed-out"},    {"edge-forged-reset", "reset"},     {"kex-mismatch", "kex-mismatch"},
        {"not-ssh", "closed-before-banner"},       {"proxy-refused", "proxy"},         {"socks-proxy-refused", "proxy"},
        {"sshd-stopped", "refused"},               {"vm-firewall-reject", "refused"},  {"pmtu-blackhole", "none"},
    };
    int read = 0;
    for (const auto& [scenario, kind] : expected) {
        const std::filesystem::path file = std::filesystem::path(SSHPATH_SOURCE_DIR) / "captures" / (scenario + ".ssh.txt");
        std::ifstream in(file);
        if (!in) continue;
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        EXPECT_EQ(find_client_error(text, 255).kind, kind) << scenario;
        ++read;
    }
    if (read == 0) GTEST_SKIP() << "no recorded captures";
}

}  // namespace
}  // namespace sshpath::capture
