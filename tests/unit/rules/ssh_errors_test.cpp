#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "sshpath/rules/rule_set.h"
#include "sshpath/rules/ssh_errors.h"
#include "temp_rule_dir.h"

namespace sshpath::rules {
namespace {

// The table shipped in rules/: every expectation below is about it.
const SshErrorTable& table() {
    static const SshErrorTable t = SshErrorTable::load(std::filesystem::path(SSHPATH_SOURCE_DIR) / "rules" / "ssh-errors.yaml");
    return t;
}
std::string_view classify_ssh_error_line(std::string_view line) { return table().classify(line); }
ClientError find_client_error(std::string_view text, int status) { return table().find_client_error(text, status); }

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
        {"Host key verification failed.", "host-key-unknown"},
        {"No ED25519 host key is known for 203.0.113.7 and you have requested strict checking.", "host-key-unknown"},
        {"@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", "host-key-changed"},
        {"Host key for 203.0.113.7 has changed and you have requested strict checking.", "host-key-changed"},
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

// What OpenSSH 9.2 prints for a key it does not know under BatchMode, and for a key that differs
// from the one known_hosts holds.
TEST(FindClientErrorTest, TellsAnUnknownHostKeyFromAChangedOne) {
    const auto unknown = find_client_error(
        "No ED25519 host key is known for 203.0.113.7 and you have requested strict checking.\r\n"
        "Host key verification failed.\r\n",
        255);
    EXPECT_EQ(unknown.kind, "host-key-unknown");
    EXPECT_EQ(find_client_error("Host key verification failed.\n", 255).kind, "host-key-unknown");
    const auto changed = find_client_error(
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
        "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
        "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n"
        "Offending ED25519 key in /home/alice/.ssh/known_hosts:1\n"
        "Host key for 203.0.113.7 has changed and you have requested strict checking.\n"
        "Host key verification failed.\n",
        255);
    EXPECT_EQ(changed.kind, "host-key-changed");
    EXPECT_EQ(changed.line, "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
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

// What the table may hold, and the messages when it holds something else.
std::string parse_error(const std::string& text) {
    try {
        SshErrorTable::parse(text, "ssh-errors.yaml");
    } catch (const RuleError& e) {
        return e.what();
    }
    return "";
}

TEST(SshErrorTableTest, FirstMatchingEntryDecides) {
    const SshErrorTable t = SshErrorTable::parse(
        "- contains: timed out during banner\n  kind: banner-timeout\n"
        "- regex: 'timed out$'\n  kind: timed-out\n  note: after the banner one\n"
        "- regex: '^Hello'\n  kind: ignore\n",
        "t.yaml");
    ASSERT_EQ(t.entries().size(), 3u);
    EXPECT_EQ(t.entries()[1].line, 3);
    EXPECT_EQ(t.entries()[1].note, "after the banner one");
    EXPECT_EQ(t.classify("connect: timed out during banner exchange"), "banner-timeout");
    EXPECT_EQ(t.classify("  debug1: connect: timed out  "), "timed-out");
    EXPECT_EQ(t.classify("timed out later"), "");
    EXPECT_EQ(t.classify("Hello there"), "");
    // An ignored line is never the command's error, an unknown one is when nothing else is.
    EXPECT_EQ(t.find_client_error("Hello there\n", 1).kind, "none");
    const ClientError other = t.find_client_error("Hello there\nsomething broke\n", 1);
    EXPECT_EQ(other.kind, "other");
    EXPECT_EQ(other.line, "something broke");
}

TEST(SshErrorTableTest, LongLinesAreNotSearchedWithRegularExpressions) {
    // A remote program's stderr passes through ssh's: a long line must not exhaust std::regex.
    const std::string line = "channel 0: " + std::string(1 << 20, 'x') + ": open failed: ";
    EXPECT_EQ(table().classify(line), "");
    EXPECT_EQ(table().classify("channel 0: open failed: connect failed: Connection refused"), "proxy");
    EXPECT_EQ(table().classify(std::string(4096, 'x') + " Connection refused"), "refused");
}

TEST(SshErrorTableTest, AnEmptyTableKnowsNoKind) {
    const SshErrorTable t = SshErrorTable::parse("# nothing yet\n", "t.yaml");
    EXPECT_TRUE(t.entries().empty());
    EXPECT_EQ(t.classify("ssh: connect to host h port 22: Connection refused"), "");
    EXPECT_EQ(t.find_client_error("ssh: connect to host h port 22: Connection refused\n", 255).kind, "other");
}

TEST(SshErrorTableTest, RejectsMalformedEntriesWithFileAndLine) {
    EXPECT_EQ(parse_error("kind: refused\n"), "ssh-errors.yaml:1: the table is a list of entries (- contains: TEXT / regex: EXPR, kind: KIND)");
    EXPECT_EQ(parse_error("- contains: x\n  kind: refused\n- contains: y\n  kynd: refused\n"),
              "ssh-errors.yaml:4: unknown key 'kynd' (expected contains, regex, kind, note)");
    EXPECT_EQ(parse_error("- contains: x\n  regex: y\n  kind: refused\n"),
              "ssh-errors.yaml:1: an entry needs exactly one of 'contains' and 'regex'");
    EXPECT_EQ(parse_error("- kind: refused\n"), "ssh-errors.yaml:1: an entry needs exactly one of 'contains' and 'regex'");
    EXPECT_EQ(parse_error("- contains: x\n"), "ssh-errors.yaml:1: an entry needs a 'kind'");
    EXPECT_EQ(parse_error("- contains: x\n  kind: Refused\n"),
              "ssh-errors.yaml:2: kind 'Refused' must be lower-case words joined by '-' (e.g. timed-out)");
    EXPECT_EQ(parse_error("- contains: x\n  kind: other\n"),
              "ssh-errors.yaml:2: kind 'other' is sshpath's own (a command that succeeded, or an unrecognised line)");
    EXPECT_EQ(parse_error("- contains: ''\n  kind: refused\n"), "ssh-errors.yaml:1: 'contains' must be a non-empty string");
    EXPECT_EQ(parse_error("- contains: x\n  kind: refused\n- contains: x\n  kind: reset\n"),
              "ssh-errors.yaml:3: the same pattern as line 1");
    EXPECT_NE(parse_error("- regex: 'a(b'\n  kind: refused\n").find("ssh-errors.yaml:1: regex 'a(b' does not compile: "),
              std::string::npos);
    EXPECT_NE(parse_error("- contains: [x\n").find("ssh-errors.yaml:2: YAML syntax error"), std::string::npos) << parse_error("- contains: [x\n");
}

TEST(SshErrorTableTest, LoadedWithTheRules) {
    testing::TempRuleDir dir;
    dir.write("ok.yaml",
              "id: ok.test\ntitle: t\nstatus: stable\ndescription: d\npriority: 1\ncause: ok\ncomponent: none\n"
              "confidence: high\ncondition: handshake_completed\nsummary: s\n");
    EXPECT_EQ(dir.load_error(), "");
    EXPECT_TRUE(RuleSet::load(dir.path()).ssh_errors().entries().empty());
    dir.write("ssh-errors.yaml", "- contains: refused\n  kind: refused\n");
    const RuleSet rs = RuleSet::load(dir.path());
    EXPECT_EQ(rs.rules().size(), 1u);
    EXPECT_EQ(rs.ssh_errors().classify("Connection refused"), "refused");
    dir.write("ssh-errors.yaml", "- contains: refused\n  kind: REFUSED\n");
    EXPECT_EQ(dir.load_error(), dir.file("ssh-errors.yaml") + ":2: kind 'REFUSED' must be lower-case words joined by '-' (e.g. timed-out)");
}

}  // namespace
}  // namespace sshpath::rules
