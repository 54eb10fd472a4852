#include "sshpath/evidence/position.h"

#include <gtest/gtest.h>

namespace sshpath::evidence {
namespace {

packet::IpAddress ip(const char* text) {
    packet::IpAddress a;
    EXPECT_TRUE(packet::IpAddress::parse(text, a)) << text;
    return a;
}

TEST(PositionTest, GuessesTheInitialTtlOfEachCommonSender) {
    EXPECT_EQ(initial_ttl(64), 64);    // Linux, no router crossed
    EXPECT_EQ(initial_ttl(61), 64);
    EXPECT_EQ(initial_ttl(128), 128);  // Windows
    EXPECT_EQ(initial_ttl(117), 128);
    EXPECT_EQ(initial_ttl(255), 255);  // routers and appliances
    EXPECT_EQ(initial_ttl(250), 255);
    EXPECT_EQ(initial_ttl(30), 32);
    EXPECT_EQ(initial_ttl(0), -1);
    EXPECT_EQ(hop_distance(61), 3);
    EXPECT_EQ(hop_distance(117), 11);
    EXPECT_EQ(hop_distance(250), 5);
    EXPECT_EQ(hop_distance(255), 0);
    EXPECT_EQ(hop_distance(128), 0);
    EXPECT_EQ(hop_distance(0), -1);
}

TEST(PositionTest, NamesTheKindOfAnAddress) {
    EXPECT_EQ(address_kind(ip("10.1.2.3")), "private");
    EXPECT_EQ(address_kind(ip("172.20.0.1")), "private");
    EXPECT_EQ(address_kind(ip("172.32.0.1")), "public");
    EXPECT_EQ(address_kind(ip("192.168.1.1")), "private");
    EXPECT_EQ(address_kind(ip("100.72.0.1")), "shared");
    EXPECT_EQ(address_kind(ip("169.254.9.9")), "link-local");
    EXPECT_EQ(address_kind(ip("198.51.100.10")), "public");
    EXPECT_EQ(address_kind(ip("fd00::1")), "private");
    EXPECT_EQ(address_kind(ip("fe80::1")), "link-local");
    EXPECT_EQ(address_kind(ip("::1")), "loopback");
    EXPECT_EQ(address_kind(ip("2001:db8::7")), "public");
}

TEST(PositionTest, TellsWhetherTheServerIsOnTheClientsLink) {
    const auto client = ip("198.51.100.10");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), 3).link, "off-link");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), 3).evidence, "server-ttl");
    EXPECT_EQ(server_link(client, ip("198.51.100.20"), 0).link, "on-link");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), -1).link, "off-link");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), -1).evidence, "address-plan");
    EXPECT_EQ(server_link(client, ip("198.51.100.20"), -1).link, "on-link");
    EXPECT_EQ(server_link(ip("2001:db8:1::10"), ip("2001:db8:4::7"), -1).link, "off-link");
    EXPECT_EQ(server_link(client, ip("2001:db8:4::7"), -1).link, "");
}

TEST(PositionTest, TheAddressPlanSpeaksOfTheClientsLinkOnly) {
    // The client's packets crossed routers before the capture saw them (a capture on the server,
    // a mirror on the way): that the addresses differ says nothing of the capture's own link, so a
    // reset that crossed no router to it is not placed at the client's gateway.
    const auto client = ip("198.51.100.10");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), -1, "", 3).link, "");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), -1, "", 3).evidence, "");
    EXPECT_EQ(position(0, -1, server_link(client, ip("203.0.113.7"), -1, "", 3)), "");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), -1, "", 0).evidence, "address-plan");
    EXPECT_EQ(position(0, -1, server_link(client, ip("203.0.113.7"), -1, "", 0)), "first-hop");
    // What the server's own packets or ARP show still counts, wherever the capture was taken.
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), 0, "", 3).evidence, "server-ttl");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), -1, "on-link", 3).evidence, "neighbour");
}

TEST(PositionTest, ACaptureFurtherOnPlacesSendersFromTheClient) {
    // A mirror port 5 routers from the client and 3 before the server: a reset that crossed no
    // router to it was sent there, between them, not by the client's gateway.
    const Link off{"off-link", "server-ttl"};
    EXPECT_EQ(position(0, 3, off), "first-hop");  // the same packets captured on the client
    EXPECT_EQ(position(0, 3, off, 5), "between");
    EXPECT_EQ(position(2, 3, off, 5), "near-server");
    EXPECT_EQ(position(3, 3, off, 5), "server");
    // On the VM (the server crossed no router to it): a reset from there is the server's.
    EXPECT_EQ(position(0, 0, Link{"on-link", "server-ttl"}, 3), "server");
    EXPECT_EQ(position(0, -1, Link{}, 3), "");
    // Near the client, the capture that saw the client's packets one router on.
    EXPECT_EQ(position(0, 8, off, 1), "near-client");
}

TEST(PositionTest, ArpAndNdProveTheServersLinkBeforeItsTtl) {
    const auto client = ip("198.51.100.10");
    EXPECT_EQ(server_link(client, ip("198.51.100.20"), -1, "off-link").link, "off-link");
    EXPECT_EQ(server_link(client, ip("198.51.100.20"), -1, "off-link").evidence, "neighbour");
    EXPECT_EQ(server_link(client, ip("203.0.113.7"), 0, "on-link").evidence, "neighbour");
    // Its packets crossed a router although its address answered ARP: a router answers for it.
    EXPECT_EQ(server_link(client, ip("198.51.100.20"), 2, "on-link").link, "off-link");
    EXPECT_EQ(server_link(client, ip("198.51.100.20"), 2, "on-link").evidence, "server-ttl");
}

TEST(PositionTest, ASenderOnTheLinkOfAServerThatAnsweredArpIsTheServer) {
    EXPECT_EQ(position(0, -1, Link{"on-link", "neighbour"}), "server");
    EXPECT_EQ(position(0, -1, Link{"on-link", "address-plan"}), "");
    EXPECT_EQ(position(0, -1, Link{"off-link", "neighbour"}), "first-hop");
}

TEST(PositionTest, PlacesASenderRelativeToTheServer) {
    const Link off{"off-link", "server-ttl"};
    const Link on{"on-link", "server-ttl"};
    EXPECT_EQ(position(3, 3, off), "server");
    EXPECT_EQ(position(0, 3, off), "first-hop");
    EXPECT_EQ(position(0, -1, Link{"off-link", "address-plan"}), "first-hop");
    EXPECT_EQ(position(0, 0, on), "server");
    EXPECT_EQ(position(0, -1, Link{}), "");        // nothing says where the server is
    EXPECT_EQ(position(1, 6, off), "near-client");
    EXPECT_EQ(position(3, 6, off), "near-client");
    EXPECT_EQ(position(4, 6, off), "between");
    EXPECT_EQ(position(5, 6, off), "near-server");
    EXPECT_EQ(position(2, 3, off), "near-server");
    EXPECT_EQ(position(9, 6, off), "farther");
    EXPECT_EQ(position(2, -1, off), "");
    EXPECT_EQ(position(-1, 3, off), "");
}

}  // namespace
}  // namespace sshpath::evidence
