#include "sshpath/cloud/address.h"

#include <gtest/gtest.h>

namespace sshpath::cloud {
namespace {

Address addr(const char* text) {
    Address a;
    EXPECT_TRUE(Address::parse(text, a)) << text;
    return a;
}

TEST(AddressTest, ParsesBothFamilies) {
    EXPECT_EQ(addr("198.51.100.7").family, 4);
    EXPECT_EQ(addr("2001:db8::1").family, 6);
    EXPECT_EQ(addr("2001:db8::1").str(), "2001:db8::1");
    Address a;
    EXPECT_FALSE(Address::parse("198.51.100.300", a));
    EXPECT_FALSE(Address::parse("VirtualNetwork", a));
    EXPECT_FALSE(Address::parse("", a));
}

TEST(PrefixTest, ContainsByLengthAndFamily) {
    Prefix p;
    ASSERT_TRUE(Prefix::parse("198.51.100.128/25", p));
    EXPECT_TRUE(p.contains(addr("198.51.100.200")));
    EXPECT_FALSE(p.contains(addr("198.51.100.127")));
    EXPECT_FALSE(p.contains(addr("2001:db8::1")));
    ASSERT_TRUE(Prefix::parse("0.0.0.0/0", p));
    EXPECT_TRUE(p.contains(addr("203.0.113.1")));
    EXPECT_FALSE(p.contains(addr("2001:db8::1")));
    ASSERT_TRUE(Prefix::parse("2001:db8:1::/48", p));
    EXPECT_TRUE(p.contains(addr("2001:db8:1:ff::5")));
    EXPECT_FALSE(p.contains(addr("2001:db8:2::5")));
}

TEST(PrefixTest, ClearsHostBitsAndReadsSingleAddresses) {
    Prefix p;
    ASSERT_TRUE(Prefix::parse("198.51.100.77/24", p));
    EXPECT_EQ(p.str(), "198.51.100.0/24");
    ASSERT_TRUE(Prefix::parse("198.51.100.7", p));
    EXPECT_EQ(p.length, 32);
    EXPECT_EQ(p.str(), "198.51.100.7");
    EXPECT_FALSE(Prefix::parse("198.51.100.0/33", p));
    EXPECT_FALSE(Prefix::parse("198.51.100.0/", p));
    EXPECT_FALSE(Prefix::parse("198.51.100.0/x", p));
}

TEST(AddressTest, PrivateRangesAreNotInternet) {
    EXPECT_TRUE(is_private(addr("10.1.2.3")));
    EXPECT_TRUE(is_private(addr("172.31.0.1")));
    EXPECT_TRUE(is_private(addr("192.168.1.1")));
    EXPECT_TRUE(is_private(addr("100.64.0.1")));
    EXPECT_TRUE(is_private(addr("fd00::1")));
    EXPECT_FALSE(is_private(addr("172.32.0.1")));
    EXPECT_FALSE(is_private(addr("198.51.100.2")));
    EXPECT_FALSE(is_private(addr("2001:db8::1")));
}

TEST(AddressTest, ParsesEndpoints) {
    Address a;
    int port = 0;
    ASSERT_TRUE(parse_endpoint("10.0.0.4:22", a, port));
    EXPECT_EQ(a.str(), "10.0.0.4");
    EXPECT_EQ(port, 22);
    ASSERT_TRUE(parse_endpoint("198.51.100.2", a, port));
    EXPECT_EQ(port, -1);
    ASSERT_TRUE(parse_endpoint("[2001:db8::5]:2222", a, port));
    EXPECT_EQ(a.family, 6);
    EXPECT_EQ(port, 2222);
    ASSERT_TRUE(parse_endpoint("2001:db8::5", a, port));
    EXPECT_EQ(port, -1);
    EXPECT_FALSE(parse_endpoint("10.0.0.4:", a, port));
    EXPECT_FALSE(parse_endpoint("10.0.0.4:70000", a, port));
    EXPECT_FALSE(parse_endpoint("[2001:db8::5]22", a, port));
    EXPECT_FALSE(parse_endpoint("vm.example:22", a, port));
}

}  // namespace
}  // namespace sshpath::cloud
