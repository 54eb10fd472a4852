#include "sshpath/client/ssh_config.h"

#include <gtest/gtest.h>

#include "fixture.h"

using namespace sshpath::client;

TEST(SshConfigTest, ParsesWhatSshGPrints) {
    SshSettings s = parse_ssh_g(client_fixture("ssh-G-vm.txt"));
    EXPECT_EQ(s.hostname, "203.0.113.7");
    EXPECT_EQ(s.port, 2222);
    EXPECT_EQ(s.user, "alice");
    EXPECT_EQ(s.identity_files, (std::vector<std::string>{"~/.ssh/id_vm", "~/.ssh/id_other"}));
    EXPECT_EQ(s.proxy_command, "nc -X connect -x $http_proxy %h %p");
    EXPECT_EQ(s.proxy_jump, "");
    EXPECT_EQ(s.connect_timeout, 7);
    EXPECT_EQ(s.address_family, "inet");
    EXPECT_EQ(s.strict_host_key_checking, "accept-new");
    ASSERT_FALSE(s.user_known_hosts_files.empty());
    EXPECT_NE(s.user_known_hosts_files[0].find("known_hosts"), std::string::npos);
    EXPECT_EQ(s.get("identityfile"), "~/.ssh/id_vm ~/.ssh/id_other");
}

TEST(SshConfigTest, DefaultsHaveNoProxyAndNoTimeout) {
    SshSettings s = parse_ssh_g(client_fixture("ssh-G-defaults.txt"));
    EXPECT_EQ(s.hostname, "vm");
    EXPECT_EQ(s.port, 22);
    EXPECT_EQ(s.proxy_command, "");
    EXPECT_EQ(s.connect_timeout, -1);
    EXPECT_EQ(s.address_family, "any");
    EXPECT_EQ(s.identity_files.size(), 7u) << "ssh's default identities";
}

TEST(SshConfigTest, OriginsTellTheFileThatSetEachSetting) {
    SshSettings full = parse_ssh_g(client_fixture("ssh-G-vm.txt"));
    SshSettings defaults = parse_ssh_g(client_fixture("ssh-G-defaults.txt"));
    std::vector<ConfigFile> user_files = {
        {"/home/alice/.ssh/config", "Include conf.d/*.conf\nHost *\n    ConnectTimeout 7\n"},
        {"/home/alice/.ssh/conf.d/vm.conf", "Host vm\n  HostName 203.0.113.7\n  Port=2222\n  proxycommand nc %h %p\n"}};
    auto origins = setting_origins(full, defaults, &full, nullptr, {"user"}, user_files, {});
    auto find = [&](const std::string& key) {
        for (const auto& o : origins)
            if (o.key == key) return o;
        ADD_FAILURE() << key;
        return SettingOrigin{};
    };
    EXPECT_EQ(find("hostname").origin, "user-config");
    EXPECT_EQ(find("hostname").files, (std::vector<std::string>{"/home/alice/.ssh/conf.d/vm.conf"}));
    EXPECT_EQ(find("port").files, (std::vector<std::string>{"/home/alice/.ssh/conf.d/vm.conf"})) << "Port=2222 sets it too";
    EXPECT_EQ(find("proxycommand").files, (std::vector<std::string>{"/home/alice/.ssh/conf.d/vm.conf"})) << "keywords ignore case";
    EXPECT_EQ(find("connecttimeout").files, (std::vector<std::string>{"/home/alice/.ssh/config"}));
    EXPECT_EQ(find("user").origin, "command-line");
    EXPECT_EQ(find("stricthostkeychecking").value, "accept-new");
    // The same settings from the system file only.
    auto system = setting_origins(full, defaults, nullptr, &full, {}, {}, {{"/etc/ssh/ssh_config", "Host vm\n HostName 203.0.113.7\n"}});
    EXPECT_EQ(system[0].origin, "system-config");
    // Not in either file alone: a value that comes from both together cannot be told.
    auto neither = setting_origins(full, defaults, &defaults, &defaults, {}, {}, {});
    EXPECT_EQ(neither[0].origin, "unknown");
    auto unset = setting_origins(defaults, defaults, nullptr, nullptr, {}, {}, {});
    EXPECT_EQ(unset[0].origin, "default");
}

TEST(SshConfigTest, IncludePatterns) {
    EXPECT_EQ(include_patterns("Include ~/.ssh/conf.d/*\n# Include no\ninclude=a b \"c d\"\n  INCLUDE  x\n"),
              (std::vector<std::string>{"~/.ssh/conf.d/*", "a", "b", "\"c", "d\"", "x"}));
    EXPECT_TRUE(sets_keyword("Host x\n\tProxyJump bastion\n", "ProxyJump"));
    EXPECT_FALSE(sets_keyword("Host x\n\t# ProxyJump bastion\n", "ProxyJump"));
}

TEST(SshConfigTest, ProxyVariablesAreIgnoredUnlessTheProxyCommandNamesThem) {
    auto vars = proxy_variables({"PATH=/bin", "http_proxy=http://198.51.100.1:8888", "HTTPS_PROXY=http://p:3128", "no_proxy=localhost"},
                                "nc -X connect -x ${http_proxy#http://} %h %p");
    ASSERT_EQ(vars.size(), 3u);
    EXPECT_EQ(vars[0].name, "HTTPS_PROXY");
    EXPECT_FALSE(vars[0].used_by_ssh);
    EXPECT_EQ(vars[1].name, "http_proxy");
    EXPECT_FALSE(vars[1].used_by_ssh) << "${http_proxy#...} is not ${http_proxy}";
    EXPECT_TRUE(proxy_variables({"http_proxy=x"}, "nc -x $http_proxy %h %p")[0].used_by_ssh);
    EXPECT_TRUE(proxy_variables({"all_proxy=x"}, "")[0].name == "all_proxy");
}
