#include "sshpath/client/files.h"

#include <gtest/gtest.h>

#include <sstream>

#include "fixture.h"

using namespace sshpath::client;

namespace {

FileStat file(unsigned mode, uid_t uid = 1000, gid_t gid = 1000, bool dir = false) {
    FileStat st;
    st.path = "/home/alice/.ssh/x";
    st.exists = true;
    st.mode = mode;
    st.uid = uid;
    st.gid = gid;
    st.is_dir = dir;
    return st;
}

FileUser alice(bool debian = false, bool private_group = false) {
    FileUser u;
    u.uid = 1000;
    u.groups = {1000, 27};
    u.debian_group_rule = debian;
    u.group_is_private = private_group;
    return u;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST(FileCheckTest, PrivateKeyReadableByOthersIsIgnoredBySsh) {
    FileCheck c = check_file(FileRole::kPrivateKey, file(0644), alice(), "~/.ssh/id_ed25519");
    EXPECT_TRUE(c.refused);
    ASSERT_EQ(c.ssh_says.size(), 4u);
    EXPECT_EQ(c.ssh_says[0], "WARNING: UNPROTECTED PRIVATE KEY FILE!");
    EXPECT_EQ(c.ssh_says[1], "Permissions 0644 for '/home/alice/.ssh/x' are too open.");
    EXPECT_EQ(c.ssh_says[3], "This private key will be ignored.");
    EXPECT_EQ(c.fix, "chmod 600 ~/.ssh/id_ed25519");
    EXPECT_TRUE(check_file(FileRole::kPrivateKey, file(0640), alice(), "k").refused) << "group-readable is refused too";
    EXPECT_FALSE(check_file(FileRole::kPrivateKey, file(0600), alice(), "k").refused);
    EXPECT_FALSE(check_file(FileRole::kPrivateKey, file(0400), alice(), "k").refused);
    EXPECT_TRUE(check_file(FileRole::kPrivateKey, file(0400), alice(), "k").as_recommended);
}

TEST(FileCheckTest, SomeoneElsesKeyIsNotCheckedButMayBeUnreadable) {
    FileCheck c = check_file(FileRole::kPrivateKey, file(0644, 0, 0), alice(), "k");
    EXPECT_FALSE(c.refused) << "ssh checks the mode only of keys the user owns";
    EXPECT_TRUE(c.readable);
    FileCheck d = check_file(FileRole::kPrivateKey, file(0600, 0, 0), alice(), "k");
    EXPECT_FALSE(d.refused);
    EXPECT_FALSE(d.readable);
    EXPECT_FALSE(d.problem.empty());
}

TEST(FileCheckTest, ConfigWritableByOthersStopsSsh) {
    FileCheck c = check_file(FileRole::kConfig, file(0666), alice(), "~/.ssh/config");
    EXPECT_TRUE(c.refused);
    EXPECT_EQ(c.ssh_says[0], "Bad owner or permissions on /home/alice/.ssh/x");
    EXPECT_TRUE(check_file(FileRole::kConfig, file(0644, 1001), alice(), "c").refused) << "owned by another user";
    EXPECT_FALSE(check_file(FileRole::kConfig, file(0644, 0), alice(), "c").refused) << "owned by root is allowed";
    EXPECT_FALSE(check_file(FileRole::kConfig, file(0644), alice(), "c").refused);
}

TEST(FileCheckTest, GroupWritableConfigDependsOnTheBuild) {
    EXPECT_TRUE(check_file(FileRole::kConfig, file(0664), alice(false, true), "c").refused) << "upstream OpenSSH";
    EXPECT_FALSE(check_file(FileRole::kConfig, file(0664), alice(true, true), "c").refused) << "Debian, the user's own group";
    EXPECT_TRUE(check_file(FileRole::kConfig, file(0664), alice(true, false), "c").refused) << "Debian, a shared group";
}

TEST(FileCheckTest, SshDirectoryIsOnlyARecommendation) {
    FileCheck c = check_file(FileRole::kSshDir, file(0775, 1000, 1000, true), alice(), "~/.ssh");
    EXPECT_FALSE(c.refused) << "the ssh client does not check ~/.ssh";
    EXPECT_FALSE(c.as_recommended);
    EXPECT_EQ(c.recommended, "0700");
    EXPECT_NE(c.problem.find("writable by its group"), std::string::npos) << c.problem;
    EXPECT_EQ(c.fix, "chmod 700 ~/.ssh");
    EXPECT_TRUE(check_file(FileRole::kSshDir, file(0700, 1000, 1000, true), alice(), "~/.ssh").problem.empty());
    FileCheck pub = check_file(FileRole::kPublicKey, file(0644), alice(), "k.pub");
    EXPECT_TRUE(pub.as_recommended);
    EXPECT_TRUE(check_file(FileRole::kKnownHosts, file(0600), alice(), "kh").as_recommended) << "stricter than 644 is fine";
    EXPECT_FALSE(check_file(FileRole::kKnownHosts, file(0666), alice(), "kh").as_recommended);
}

TEST(FileCheckTest, MissingFile) {
    FileStat st;
    st.path = "/home/alice/.ssh/id_rsa";
    FileCheck c = check_file(FileRole::kPrivateKey, st, alice(), "~/.ssh/id_rsa");
    EXPECT_FALSE(c.refused);
    EXPECT_FALSE(c.readable);
    EXPECT_TRUE(c.problem.empty());
}

TEST(KnownHostsTest, ReadsSshKeygenFindOutput) {
    const auto keys = lines(client_fixture("keygen-keys.txt"));
    const auto prints = lines(client_fixture("keygen-fingerprints.txt"));
    ASSERT_EQ(keys.size(), 3u);
    auto hashed = parse_keygen_find(client_fixture("keygen-F-hashed.txt"));
    ASSERT_EQ(hashed.size(), 2u);
    EXPECT_EQ(hashed[0].marker, "");
    EXPECT_EQ(hashed[0].hosts.substr(0, 3), "|1|");
    EXPECT_EQ(hashed[0].type, "ssh-ed25519");
    EXPECT_EQ(hashed[0].line, 1);
    EXPECT_EQ(hashed[0].fingerprint, prints[0]);
    EXPECT_EQ(hashed[1].marker, "@revoked");
    EXPECT_EQ(hashed[1].line, 4);
    EXPECT_EQ(hashed[1].fingerprint, prints[2]);
    auto port = parse_keygen_find(client_fixture("keygen-F-port.txt"));
    ASSERT_EQ(port.size(), 1u);
    EXPECT_EQ(port[0].hosts, "[vm.example]:2222");
    EXPECT_EQ(port[0].fingerprint, prints[1]);
}

TEST(KnownHostsTest, ComparesTheServersKey) {
    auto known = parse_keygen_find(client_fixture("keygen-F-hashed.txt"));
    const auto keys = lines(client_fixture("keygen-keys.txt"));
    auto key = [&](int i) {
        sshpath::ssh::HostKey k;
        k.blob = *sshpath::ssh::base64_decode(keys[static_cast<std::size_t>(i)].substr(keys[static_cast<std::size_t>(i)].find(' ') + 1));
        k.type = sshpath::ssh::key_blob_type(k.blob);
        return k;
    };
    EXPECT_EQ(compare_host_key(known, key(0)), "match");
    EXPECT_EQ(compare_host_key(known, key(1)), "changed") << "another ed25519 key than the one known";
    EXPECT_EQ(compare_host_key(known, key(2)), "revoked");
    EXPECT_EQ(compare_host_key({}, key(0)), "not-known");
    EXPECT_EQ(compare_host_key({known[1]}, key(0)), "not-known") << "a revoked line alone does not make the host known";
    auto only_ecdsa = known;
    only_ecdsa[0].blob = key(2).blob;
    only_ecdsa.resize(1);
    EXPECT_EQ(compare_host_key(only_ecdsa, key(0)), "other-type-known");
}

TEST(KnownHostsTest, NameWithPort) {
    EXPECT_EQ(known_hosts_name("vm.example", 22, ""), "vm.example");
    EXPECT_EQ(known_hosts_name("vm.example", 2222, ""), "[vm.example]:2222");
    EXPECT_EQ(known_hosts_name("203.0.113.7", 22, "vm"), "vm");
}
