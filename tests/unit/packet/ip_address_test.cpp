#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "sshpath/packet/packet.h"

namespace sshpath::packet {
namespace {

class IpAddressTest : public ::testing::Test {
protected:
    static std::string canonical(const std::string& text) {
        IpAddress a;
        if (!IpAddress::parse(text, a)) return "<invalid>";
        return a.to_string();
    }
};

TEST_F(IpAddressTest, BuildsV4FromFourBytes) {
    const std::uint8_t raw[] = {192, 0, 2, 1, 0xff};
    const IpAddress a = IpAddress::v4(raw);
    EXPECT_EQ(a.version, 4);
    EXPECT_EQ(a.to_string(), "192.0.2.1");
    EXPECT_EQ(a.bytes[4], 0);
}

TEST_F(IpAddressTest, PrintsEveryWidthOfV4Byte) {
    const std::uint8_t raw[] = {0, 9, 10, 99};
    EXPECT_EQ(IpAddress::v4(raw).to_string(), "0.9.10.99");
    const std::uint8_t wide[] = {100, 109, 250, 255};
    EXPECT_EQ(IpAddress::v4(wide).to_string(), "100.109.250.255");
}

TEST_F(IpAddressTest, BuildsV6FromSixteenBytes) {
    const std::uint8_t raw[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const IpAddress a = IpAddress::v6(raw);
    EXPECT_EQ(a.version, 6);
    EXPECT_EQ(a.to_string(), "2001:db8::1");
}

TEST_F(IpAddressTest, ParsesDottedQuad) {
    IpAddress a;
    ASSERT_TRUE(IpAddress::parse("10.20.30.40", a));
    EXPECT_EQ(a.version, 4);
    EXPECT_EQ(a.bytes[0], 10);
    EXPECT_EQ(a.bytes[3], 40);
}

TEST_F(IpAddressTest, RejectsMalformedText) {
    for (const char* text : {"", "10.1", "256.0.0.1", "1.2.3.4.5", "1.2.3.4 ", "host",
                             "2001:db8::1::2", "2001:db8::g", ":::", "fe80::1%eth0"}) {
        IpAddress a = IpAddress::v4(reinterpret_cast<const std::uint8_t*>("\x01\x02\x03\x04"));
        EXPECT_FALSE(IpAddress::parse(text, a)) << text;
        EXPECT_EQ(a.to_string(), "1.2.3.4") << "left untouched on failure";
    }
}

TEST_F(IpAddressTest, PrintsIpv6InRfc5952Form) {
    EXPECT_EQ(canonical("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
    EXPECT_EQ(canonical("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");     // first of equal runs
    EXPECT_EQ(canonical("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // one zero stays
    EXPECT_EQ(canonical("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");           // longest run
    EXPECT_EQ(canonical("::"), "::");
    EXPECT_EQ(canonical("::1"), "::1");
    EXPECT_EQ(canonical("::ffff:192.0.2.1"), "::ffff:192.0.2.1");
    EXPECT_EQ(canonical("fe80::0202:b3ff:fe1e:8329"), "fe80::202:b3ff:fe1e:8329");
}

TEST_F(IpAddressTest, PrintsUnsetAsEmpty) { EXPECT_EQ(IpAddress{}.to_string(), ""); }

TEST_F(IpAddressTest, ComparesByValueAndVersion) {
    IpAddress a, b, c, mapped;
    ASSERT_TRUE(IpAddress::parse("192.0.2.1", a));
    ASSERT_TRUE(IpAddress::parse("192.0.2.1", b));
    ASSERT_TRUE(IpAddress::parse("192.0.2.2", c));
    ASSERT_TRUE(IpAddress::parse("c000:201::", mapped));  // same leading bytes, other family
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_LT(a, c);
    EXPECT_NE(a, mapped);
    const std::set<IpAddress> s = {a, b, c, mapped};
    EXPECT_EQ(s.size(), 3u);
}

}  // namespace
}  // namespace sshpath::packet
