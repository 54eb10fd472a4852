#include <gtest/gtest.h>

#include <filesystem>

#include "sshpath/engine/analyzer.h"
#include "sshpath/report/anonymize.h"
#include "sshpath/report/report.h"

using namespace sshpath;

namespace {

packet::IpAddress ip(const std::string& text) {
    packet::IpAddress a;
    EXPECT_TRUE(packet::IpAddress::parse(text, a)) << text;
    return a;
}

int common_prefix(const packet::IpAddress& a, const packet::IpAddress& b) {
    const int bits = a.version == 4 ? 32 : 128;
    for (int i = 0; i < bits; ++i)
        if (((a.bytes[i / 8] ^ b.bytes[i / 8]) >> (7 - i % 8)) & 1) return i;
    return bits;
}

class AddressMapTest : public ::testing::Test {
protected:
    report::AddressMap map_{"test key"};
};

TEST_F(AddressMapTest, KeepsCommonPrefixesAndIsConsistent) {
    const std::vector<std::string> v4 = {"198.51.100.10", "198.51.100.1", "198.51.101.7", "203.0.113.7", "8.8.8.8"};
    for (const auto& x : v4)
        for (const auto& y : v4) {
            if (x == y) continue;
            EXPECT_EQ(common_prefix(map_.map(ip(x)), map_.map(ip(y))), common_prefix(ip(x), ip(y))) << x << " " << y;
        }
    EXPECT_EQ(map_.map(ip("203.0.113.7")), report::AddressMap("test key").map(ip("203.0.113.7")));
    EXPECT_NE(map_.map(ip("203.0.113.7")), report::AddressMap("another key").map(ip("203.0.113.7")));
    EXPECT_NE(map_.map(ip("203.0.113.7")), ip("203.0.113.7"));
    EXPECT_EQ(common_prefix(map_.map(ip("2001:db8::1")), map_.map(ip("2001:db8::2"))), common_prefix(ip("2001:db8::1"), ip("2001:db8::2")));
}

TEST_F(AddressMapTest, KeepsTheKindOfAnAddress) {
    const auto private10 = map_.map(ip("10.1.2.3"));
    EXPECT_EQ(private10.bytes[0], 10);
    const auto link_local = map_.map(ip("fe80::1234:5678:9abc:def0"));
    EXPECT_EQ(link_local.to_string().rfind("fe80::", 0), 0u) << link_local.to_string();
    EXPECT_EQ(map_.map(ip("255.255.255.255")), ip("255.255.255.255"));
    EXPECT_EQ(map_.map(ip("ff02::1")), ip("ff02::1"));
    for (const char* pub : {"198.51.100.10", "203.0.113.7", "8.8.8.8", "1.1.1.1"}) {
        const auto m = map_.map(ip(pub));
        const int first = m.bytes[0];
        EXPECT_TRUE(first != 10 && first != 127 && first < 224 && !(first == 192 && m.bytes[1] == 168) &&
                    !(first == 172 && (m.bytes[1] & 0xf0) == 16))
            << pub << " -> " << m.to_string();
    }
    EXPECT_EQ(map_.map(ip("2001:db8::1")).bytes[0] & 0xe0, 0x20);
}

TEST_F(AddressMapTest, MapsAddressesInText) {
    const std::string server = map_.map(ip("203.0.113.7")).to_string();
    EXPECT_EQ(map_.map_text("SYN to 203.0.113.7:22."), "SYN to " + server + ":22.");
    EXPECT_EQ(map_.map_text("[2001:db8::1]:22"), "[" + map_.map(ip("2001:db8::1")).to_string() + "]:22");
    EXPECT_EQ(map_.map_text("OpenSSH_9.2p1 Debian-2+deb12u10, 12:00:00, v1.2.3"), "OpenSSH_9.2p1 Debian-2+deb12u10, 12:00:00, v1.2.3");
    const std::string mac = map_.map_text("at 02:42:ac:11:00:02 now");
    EXPECT_EQ(mac.size(), std::string("at 02:42:ac:11:00:02 now").size());
    EXPECT_NE(mac, "at 02:42:ac:11:00:02 now");
    const std::string fixed = map_.map_text("CONNECT 203.0.113.7:22 HTTP/1.1", true);
    EXPECT_EQ(fixed.size(), std::string("CONNECT 203.0.113.7:22 HTTP/1.1").size());
    EXPECT_EQ(fixed.find("203.0.113.7"), std::string::npos);
}

TEST(MarkdownReportTest, EscapesWhatComesFromPackets) {
    const std::string capture = std::string(SSHPATH_SOURCE_DIR) + "/captures/edge-silent-drop-noarp.pcap";
    if (!std::filesystem::exists(capture)) GTEST_SKIP() << "capture not recorded";
    const auto rules = rules::RuleSet::load(std::string(SSHPATH_SOURCE_DIR) + "/rules");
    engine::Analysis a = engine::analyze({capture}, engine::AnalyzeOptions{}, rules);
    a.warnings.push_back("a | pipe, *stars*, `ticks` and <b>bold</b>");
    report::ReportOptions o;
    o.version = "test";
    const std::string md = report::render_markdown(a, o);
    EXPECT_NE(md.find("- a \\| pipe, \\*stars\\*, \\`ticks\\` and &lt;b&gt;bold&lt;/b&gt;\n"), std::string::npos) << md;
    const std::string html = report::render_html(a, o);
    EXPECT_NE(html.find("a | pipe, *stars*, `ticks` and &lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
    EXPECT_EQ(html.find("<b>bold"), std::string::npos);
    EXPECT_NE(html.find("<svg class=\"ladder\""), std::string::npos);
}

}  // namespace
