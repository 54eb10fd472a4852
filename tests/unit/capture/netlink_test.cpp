#include "sshpath/capture/netlink.h"

#include <gtest/gtest.h>

using namespace sshpath::capture;
using sshpath::packet::IpAddress;

namespace {

IpAddress ip(const std::string& text) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(text, a));
    return a;
}

}  // namespace

// These ask the running kernel (no privilege needed): every network namespace has a loopback
// route in its local table and the three default rules.
TEST(RouteTest, LoopbackIsALocalRoute) {
    Route r = parse_route_answer(query_route(ip("127.0.0.1"), false));
    ASSERT_TRUE(r.found) << r.error;
    EXPECT_EQ(r.type, "local");
    EXPECT_EQ(r.interface, "lo");
    ASSERT_TRUE(r.source.has_value());
    EXPECT_EQ(r.source->to_string(), "127.0.0.1");
    EXPECT_FALSE(r.gateway.has_value());
    Route fib = parse_route_answer(query_route(ip("127.0.0.53"), true));
    ASSERT_TRUE(fib.found) << fib.error;
    EXPECT_EQ(fib.prefix_length, 8) << "the entry that matched is 127.0.0.0/8";
    EXPECT_EQ(fib.prefix->to_string(), "127.0.0.0");
    Route looked = lookup_route(ip("127.0.0.53"));
    EXPECT_EQ(looked.prefix_length, 8);
    EXPECT_EQ(looked.destination.to_string(), "127.0.0.53");
    EXPECT_EQ(looked.type, "local");
    // The table is not checked: without policy rules Linux merges the local table into main.
    EXPECT_EQ(table_name(255), "local");
}

TEST(RouteTest, NoAnswerIsNotARoute) {
    Route r = parse_route_answer({});
    EXPECT_FALSE(r.found);
    EXPECT_FALSE(r.error.empty());
}

TEST(PolicyRuleTest, EveryNamespaceHasTheDefaultRules) {
    auto rules = parse_rule_dump(query_rules(4));
    ASSERT_GE(rules.size(), 3u);
    int defaults = 0;
    for (const auto& r : rules) defaults += r.is_default();
    EXPECT_GE(defaults, 3);
    bool main = false;
    for (const auto& r : rules) main |= r.text == "32766:\tfrom all lookup main";
    EXPECT_TRUE(main);
}

TEST(PolicyRuleTest, SelectorsForAnAddress) {
    PolicyRule r;
    r.family = 4;
    r.dst = ip("203.0.113.0");
    r.dst_length = 24;
    bool maybe = false;
    EXPECT_TRUE(r.selects(ip("203.0.113.7"), maybe));
    EXPECT_FALSE(maybe);
    EXPECT_FALSE(r.selects(ip("198.51.100.7"), maybe));
    EXPECT_FALSE(r.selects(ip("2001:db8::1"), maybe));
    // wg-quick: "not from all fwmark 0xca6c lookup 51820": every unmarked packet goes to the
    // tunnel's table (the tunnel's own packets carry the mark).
    PolicyRule mark;
    mark.fwmark = 0xca6c;
    mark.invert = true;
    EXPECT_TRUE(mark.selects(ip("203.0.113.7"), maybe));
    EXPECT_TRUE(maybe) << "marks are set by the firewall, per packet";
    mark.invert = false;
    EXPECT_FALSE(mark.selects(ip("203.0.113.7"), maybe));
    PolicyRule from_lo;
    from_lo.iif = "lo";
    EXPECT_TRUE(from_lo.selects(ip("203.0.113.7"), maybe)) << "what this machine sends comes in from lo";
    from_lo.iif = "eth0";
    EXPECT_FALSE(from_lo.selects(ip("203.0.113.7"), maybe));
}

