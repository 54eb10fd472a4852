#include <gtest/gtest.h>
#include <tins/tins.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sshpath/packet/decoder.h"
#include "sshpath/flow/flow.h"

using namespace sshpath;

namespace {

const char* kClient = "198.51.100.10";
const char* kServer = "203.0.113.7";

// Builds packets of one conversation with libtins, decodes them as a capture would, and feeds a FlowTable.
class FlowTableTest : public ::testing::Test {
protected:
    void send(bool from_client, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, const std::string& data = "",
              std::uint8_t ttl = 0, double dt = 0.01) {
        send_on(40000, 22, from_client, flags, seq, ack, data, ttl, dt);
    }
    void send_on(std::uint16_t client_port, std::uint16_t server_port, bool from_client, std::uint8_t flags,
                 std::uint32_t seq, std::uint32_t ack, const std::string& data = "", std::uint8_t ttl = 0,
                 double dt = 0.01) {
        Tins::IP ip(from_client ? kServer : kClient, from_client ? kClient : kServer);
        ip.ttl(ttl ? ttl : (from_client ? 64 : 61));
        Tins::TCP tcp(from_client ? server_port : client_port, from_client ? client_port : server_port);
        tcp.flags(flags);
        tcp.seq(seq);
        tcp.ack_seq(ack);
        tcp.window(502);
        if (flags & Tins::TCP::SYN) tcp.mss(1460);
        Tins::EthernetII eth;
        eth /= ip;
        eth /= tcp;
        if (!data.empty()) eth /= Tins::RawPDU(data);
        auto bytes = eth.serialize();
        packet::Packet p;
        packet::decode(packet::kLinkEthernet, std::span<const std::uint8_t>(bytes.data(), bytes.size()), p);
        p.number = ++number_;
        time_ += dt;
        p.time = time_;
        p.caplen = p.wirelen = static_cast<std::uint32_t>(bytes.size());
        table_.add(p);
    }
    void handshake() {
        send(true, Tins::TCP::SYN, 1000, 0);
        send(false, Tins::TCP::SYN | Tins::TCP::ACK, 5000, 1001);
        send(true, Tins::TCP::ACK, 1001, 5001);
    }
    std::deque<flow::Flow> finish() { return table_.finish(); }
    // A table that looks for idle connections at every packet.
    static flow::FlowTable sweeping_table(std::size_t max_flows = flow::FlowOptions{}.max_flows) {
        flow::FlowOptions o;
        o.sweep_every = 1;
        o.max_flows = max_flows;
        return flow::FlowTable(o);
    }

    flow::FlowTable table_{flow::FlowOptions{}};
    std::uint64_t number_ = 0;
    double time_ = 100;
};

constexpr auto A = Tins::TCP::ACK;
constexpr auto PA = Tins::TCP::PSH | Tins::TCP::ACK;

}  // namespace

TEST_F(FlowTableTest, CountsSynRetransmissionsWithoutAnswer) {
    send(true, Tins::TCP::SYN, 1000, 0);
    send(true, Tins::TCP::SYN, 1000, 0, "", 0, 1.0);
    send(true, Tins::TCP::SYN, 1000, 0, "", 0, 2.0);
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_EQ(flows[0].syns.size(), 3u);
    EXPECT_TRUE(flows[0].synacks.empty());
    EXPECT_EQ(flows[0].client.to_string(), kClient);
    EXPECT_EQ(flows[0].server_port, 22);
}

TEST_F(FlowTableTest, ReassemblesReorderedAndOverlappingSegments) {
    handshake();
    // The server's identification string arrives in three pieces: the last first, then an
    // overlapping retransmission of the middle.
    const std::string banner = "SSH-2.0-OpenSSH_9.2p1 Debian\r\n";
    send(false, PA, 5001 + 20, 1001, banner.substr(20));
    send(false, PA, 5001, 1001, banner.substr(0, 10));
    send(false, PA, 5001 + 5, 1001, banner.substr(5, 15));
    send(false, PA, 5001 + 5, 1001, banner.substr(5, 15));  // plain duplicate
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    const auto& f = flows[0];
    EXPECT_EQ(f.s2c.kept, banner.size());  // the stream itself is released once read
    ASSERT_TRUE(f.ssh->server.banner);
    EXPECT_EQ(f.ssh->server.banner->text, "SSH-2.0-OpenSSH_9.2p1 Debian");
    EXPECT_EQ(f.s2c.hole_fills, 2u);
    EXPECT_EQ(f.s2c.retransmits, 1u);
    EXPECT_EQ(f.s2c.contiguous, banner.size());
}

TEST_F(FlowTableTest, DetectsSynAckThatNeverReachedTheClient) {
    send(true, Tins::TCP::SYN, 1000, 0);
    send(false, Tins::TCP::SYN | A, 5000, 1001);
    send(true, Tins::TCP::SYN, 1000, 0, "", 0, 1.0);
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_EQ(flows[0].syns_after_synack, 1u);
    EXPECT_FALSE(flows[0].handshake_ack.has_value());
}

TEST_F(FlowTableTest, RecordsResetWithItsTtlAndStage) {
    handshake();
    send(true, PA, 1001, 5001, "SSH-2.0-OpenSSH_9.2\r\n");
    send(false, Tins::TCP::RST, 5001, 0, "", 64);
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    ASSERT_EQ(flows[0].rsts.size(), 1u);
    EXPECT_EQ(flows[0].rsts[0].ttl, 64);
    EXPECT_TRUE(flows[0].rsts[0].seq_ok);
    EXPECT_FALSE(flows[0].rsts[0].before_synack);
    EXPECT_EQ(flows[0].s2c.first_ttl, 61);  // resets do not count as the server's TTL
}

TEST_F(FlowTableTest, ResetOutsideTheWindowIsImplausible) {
    handshake();
    send(false, Tins::TCP::RST, 5001 + 0x40000000u, 0);
    auto flows = finish();
    ASSERT_EQ(flows[0].rsts.size(), 1u);
    EXPECT_FALSE(flows[0].rsts[0].seq_ok);
}

TEST_F(FlowTableTest, NewSynWithOtherIsnStartsAnotherConnection) {
    send(true, Tins::TCP::SYN, 1000, 0);
    send(false, Tins::TCP::RST | A, 0, 1001);
    send(true, Tins::TCP::SYN, 777777, 0, "", 0, 5.0);
    auto flows = finish();
    ASSERT_EQ(flows.size(), 2u);
    EXPECT_EQ(flows[0].rsts.size(), 1u);
    EXPECT_TRUE(flows[1].rsts.empty());
}

TEST_F(FlowTableTest, ClientAcknowledgingUnseenSynAckIsOneSided) {
    send(true, Tins::TCP::SYN, 1000, 0);
    send(true, A, 1001, 5001);
    send(true, PA, 1001, 5001, "SSH-2.0-x\r\n");
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    // The evidence stage makes it client_acks_unseen_data: the server's direction never showed up.
    EXPECT_TRUE(flows[0].client_acked_early);
    EXPECT_FALSE(flows[0].s2c.base_known);
    EXPECT_EQ(flows[0].s2c.packets, 0u);
}

TEST_F(FlowTableTest, CaptureStartedMidConnectionSeesBothDirections) {
    // The server's banner first, acknowledging client bytes sent before the capture started.
    send(false, PA, 5001, 1001, "SSH-2.0-y\r\n");
    send(true, A, 1001, 5012);
    send(true, PA, 1001, 5012, "SSH-2.0-x\r\n");
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_TRUE(flows[0].server_acked_early);
    EXPECT_TRUE(flows[0].c2s.base_known);  // so not one-sided
    EXPECT_FALSE(flows[0].server_acks_unseen);
}

TEST_F(FlowTableTest, TracksStalledFullSizeClientSegment) {
    handshake();
    send(true, PA, 1001, 5001, "SSH-2.0-x\r\n");
    send(false, A, 5001, 1001 + 11);
    const std::string big(1400, 'k');
    for (int i = 0; i < 4; ++i) send(true, PA, 1012, 5001, big, 0, 1.0);
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_EQ(flows[0].client_unacked_max, 1400u);
    EXPECT_EQ(flows[0].client_unacked_retransmits, 3u);
    EXPECT_EQ(flows[0].client_max_acked_segment, 11u);
}

TEST_F(FlowTableTest, IgnoresOtherServicesThatDoNotSpeakSsh) {
    Tins::IP ip("203.0.113.9", kClient);
    Tins::TCP tcp(443, 40001);
    tcp.flags(PA);
    Tins::EthernetII eth;
    eth /= ip;
    eth /= tcp;
    eth /= Tins::RawPDU(std::string("GET / HTTP/1.1\r\n\r\n"));
    auto bytes = eth.serialize();
    packet::Packet p;
    packet::decode(packet::kLinkEthernet, std::span<const std::uint8_t>(bytes.data(), bytes.size()), p);
    p.number = 1;
    table_.add(p);
    EXPECT_TRUE(finish().empty());
    EXPECT_EQ(table_.other_tcp_flows(), 1u);
}

TEST_F(FlowTableTest, FindsSshOnAnotherPort) {
    flow::FlowOptions o;
    o.ssh_port = 2222;  // the conversation below runs on 22, which is now "another port"
    table_ = flow::FlowTable(o);
    handshake();
    send(false, PA, 5001, 1001, "SSH-2.0-OpenSSH_9.2\r\n");
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_TRUE(flows[0].ssh->server.banner);
}

TEST_F(FlowTableTest, MatchesIcmpErrorByQuotedHeader) {
    send(true, Tins::TCP::SYN, 1000, 0);
    Tins::IP quoted(kServer, kClient);
    quoted.ttl(62);
    Tins::TCP qtcp(22, 40000);
    qtcp.flags(Tins::TCP::SYN);
    qtcp.seq(1000);
    quoted /= qtcp;
    Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
    icmp.code(13);
    Tins::EthernetII eth;
    eth /= Tins::IP(kClient, "198.18.1.1");
    eth /= icmp;
    eth /= Tins::RawPDU(quoted.serialize());
    auto bytes = eth.serialize();
    packet::Packet p;
    packet::decode(packet::kLinkEthernet, std::span<const std::uint8_t>(bytes.data(), bytes.size()), p);
    p.number = 2;
    table_.add(p);
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    ASSERT_EQ(flows[0].icmps.size(), 1u);
    EXPECT_EQ(flows[0].icmps[0].code, 13);
    EXPECT_EQ(flows[0].icmps[0].source.to_string(), "198.18.1.1");
    EXPECT_TRUE(flows[0].icmps[0].quotes_client);
}

// Connections are retired by capture time: with a look at every packet, a closed SSH attempt is
// summarised 30 s after its last packet, its late packets are dropped, and a new SYN on the
// same ports is a new attempt.
TEST_F(FlowTableTest, RetiresClosedAttemptsAndDropsTheirLatePackets) {
    table_ = sweeping_table();
    handshake();
    send(false, PA, 5001, 1001, "SSH-2.0-OpenSSH_9.2\r\n");
    send(true, Tins::TCP::FIN | A, 1001, 5022);
    send(false, Tins::TCP::FIN | A, 5022, 1002);
    send_on(40100, 443, true, Tins::TCP::SYN, 1, 0, "", 0, 31.0);  // time passes: the attempt is retired
    send(true, A, 1002, 5023);                                     // a late ACK of the retired attempt
    send(true, Tins::TCP::SYN, 9000, 0);                           // a new attempt on the same ports
    auto flows = finish();
    ASSERT_EQ(flows.size(), 2u);
    EXPECT_EQ(flows[0].c2s.packets, 3u);  // SYN, ACK and FIN; not the late ACK
    EXPECT_TRUE(flows[0].ssh->server.banner);
    EXPECT_EQ(flows[1].syns.front().seq, 9000u);
    EXPECT_EQ(table_.other_tcp_flows(), 1u);  // the connection to 443
}

TEST_F(FlowTableTest, EstablishedSessionIsNeverRetiredForBeingIdle) {
    table_ = sweeping_table();
    handshake();
    // Identification strings, then SSH_MSG_NEWKEYS (type 21, 10 bytes of padding) each way:
    // what follows is encrypted.
    const std::string newkeys = std::string("\x00\x00\x00\x0c\x0a\x15", 6) + std::string(10, '\0');
    send(false, PA, 5001, 1001, "SSH-2.0-OpenSSH_9.2\r\n" + newkeys);
    send(true, PA, 1001, 5038, "SSH-2.0-OpenSSH_9.6\r\n" + newkeys);
    // An hour of silence (other traffic goes on), then a firewall's reset: it belongs to the session.
    for (std::uint16_t i = 0; i < 8; ++i) send_on(static_cast<std::uint16_t>(40400 + i), 443, true, Tins::TCP::SYN, 1, 0, "", 0, 450.0);
    send(false, Tins::TCP::RST | A, 5038, 1038, "", 0, 1.0);
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    ASSERT_EQ(flows[0].rsts.size(), 1u);
    EXPECT_TRUE(flows[0].rsts[0].seq_ok);
    EXPECT_TRUE(flows[0].encrypted);
    EXPECT_TRUE(flows[0].ssh->client.banner);
    EXPECT_TRUE(flows[0].ssh->server.newkeys);
}

// Stuck before NEWKEYS, a connection is an attempt that failed, not a session: retired when idle.
TEST_F(FlowTableTest, AttemptStuckInItsKeyExchangeIsRetiredAfterIdleTime) {
    table_ = sweeping_table();
    handshake();
    send(false, PA, 5001, 1001, "SSH-2.0-OpenSSH_9.2\r\n");
    send_on(40600, 443, true, Tins::TCP::SYN, 1, 0, "", 0, 121.0);
    send(true, PA, 1001, 5022, "SSH-2.0-OpenSSH_9.6\r\n");  // after retirement: dropped
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_FALSE(flows[0].ssh->client.banner);
}

TEST_F(FlowTableTest, UnansweredAttemptIsRetiredAfterIdleTime) {
    table_ = sweeping_table();
    send(true, Tins::TCP::SYN, 1000, 0);
    send(true, Tins::TCP::SYN, 1000, 0, "", 0, 64.0);              // the longest SYN back-off: same attempt
    send_on(40500, 443, true, Tins::TCP::SYN, 1, 0, "", 0, 121.0);  // then quiet: retired
    send(true, A, 1001, 0);                                          // a stray packet afterwards is dropped
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_EQ(flows[0].syns.size(), 2u);
    EXPECT_EQ(flows[0].c2s.packets, 2u);
}

// A single record with a time stamp a day ahead (damaged or forged) does not make the open
// attempt look idle: it is still one connection with all its packets.
TEST_F(FlowTableTest, OneTimeStampFarAheadRetiresNothing) {
    table_ = sweeping_table();
    handshake();
    send_on(40300, 443, true, Tins::TCP::SYN, 1, 0, "", 0, 86400.0);
    time_ -= 86400.0;
    send(false, PA, 5001, 1001, "SSH-2.0-OpenSSH_9.2\r\n");
    send(true, PA, 1001, 5022, "SSH-2.0-OpenSSH_9.6\r\n");
    auto flows = finish();
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_TRUE(flows[0].ssh->server.banner);
    EXPECT_TRUE(flows[0].ssh->client.banner);
}

// The connection cap counts connections tracked at once, not all connections of the capture.
TEST_F(FlowTableTest, CapCountsOnlyLiveConnections) {
    table_ = sweeping_table(2);
    for (std::uint16_t i = 0; i < 5; ++i) {
        auto port = static_cast<std::uint16_t>(41000 + i);
        send_on(port, 22, true, Tins::TCP::SYN, 1000, 0, "", 0, 40.0);
        send_on(port, 22, false, Tins::TCP::RST | A, 0, 1001);
    }
    EXPECT_EQ(finish().size(), 5u);
    EXPECT_FALSE(table_.flow_cap_hit());

    table_ = sweeping_table(2);
    for (std::uint16_t i = 0; i < 3; ++i) send_on(static_cast<std::uint16_t>(42000 + i), 22, true, Tins::TCP::SYN, 1000, 0);
    EXPECT_EQ(finish().size(), 2u);
    EXPECT_TRUE(table_.flow_cap_hit());
}

// A connection that is not SSH leaves a tombstone that drops its later packets; once idle for
// idle_s the tombstone goes, and the connection's next data is judged afresh.
TEST_F(FlowTableTest, TombstonesOfOtherServicesExpire) {
    table_ = sweeping_table();
    send_on(40200, 443, true, PA, 1, 1, "GET / HTTP/1.1\r\n\r\n");
    send_on(40200, 443, true, PA, 19, 1, "more", 0, 1.0);
    EXPECT_TRUE(finish().empty());
    EXPECT_EQ(table_.other_tcp_flows(), 1u);

    table_ = sweeping_table();
    send_on(40200, 443, true, PA, 1, 1, "GET / HTTP/1.1\r\n\r\n");
    send_on(40201, 443, true, Tins::TCP::SYN, 1, 0, "", 0, 301.0);  // time passes
    send_on(40200, 443, true, PA, 19, 1, "more");
    EXPECT_TRUE(finish().empty());
    EXPECT_EQ(table_.other_tcp_flows(), 3u);
}

TEST_F(FlowTableTest, CountsTheOtherConnectionsOfEveryPort) {
    // A mirror port's capture: other connections to 1,500 server ports, the busiest of them
    // counted last. Its count does not depend on the order the connections finish in.
    std::uint16_t client = 40000;
    for (std::uint16_t port = 2000; port < 3500; ++port) send_on(++client, port, true, PA, 1, 1, "GET / HTTP/1.1\r\n\r\n");
    for (int i = 0; i < 3; ++i) send_on(++client, 3499, true, PA, 1, 1, "GET / HTTP/1.1\r\n\r\n");
    EXPECT_TRUE(finish().empty());
    EXPECT_EQ(table_.other_tcp_flows(), 1503u);
    EXPECT_EQ(table_.other_traffic().top_port(), (std::pair<int, std::uint64_t>{3499, 4}));
}

TEST(PortCountsTest, TheBusiestPortWhateverTheOrderAndTheNumberOfPorts) {
    using flow::PortCounts;
    using Top = std::pair<int, std::uint64_t>;
    PortCounts none;
    EXPECT_EQ(none.top(), (Top{-1, 0}));
    // A tie goes to the lowest port, in the short list and past it.
    for (const std::size_t ports : {std::size_t{3}, PortCounts::kFew, PortCounts::kFew + 1, std::size_t{5000}}) {
        PortCounts up, down, halves, second;
        for (std::size_t i = 0; i < ports; ++i) {
            up.add(static_cast<std::uint16_t>(1000 + i));
            down.add(static_cast<std::uint16_t>(1000 + ports - 1 - i));
            (i % 2 ? halves : second).add(static_cast<std::uint16_t>(1000 + i));
        }
        up.add(1002, 2);
        down.add(1001, 2);
        down.add(1002, 2);
        halves.add(second);
        halves.add(1002, 2);
        EXPECT_EQ(up.top(), (Top{1002, 3})) << ports << " ports";
        EXPECT_EQ(down.top(), (Top{1001, 3})) << ports << " ports";
        EXPECT_EQ(halves, up) << ports << " ports";
        EXPECT_FALSE(halves == down) << ports << " ports";
    }
}

TEST(PortAnswersTest, KeepsTheFirstTwoClientsInPacketOrderWhateverOrderTheyComeIn) {
    // What one table notes in packet order, and what shares merged in any order, must agree:
    // every order of five SYN-ACKs (one client answered twice) gives A's first and C's.
    using Answer = flow::PortAnswers::Answer;
    auto address = [](const char* text) {
        packet::IpAddress out;
        EXPECT_TRUE(packet::IpAddress::parse(text, out)) << text;
        return out;
    };
    const packet::IpAddress a = address("198.51.100.10"), b = address("198.51.100.11"), c = address("2001:db8:1::12"),
                            d = address("198.51.100.13");
    std::vector<Answer> all{Answer{a, {5, 0.5}}, Answer{b, {9, 0.9}}, Answer{c, {7, 0.7}}, Answer{a, {3, 0.3}}, Answer{d, {12, 1.2}}};
    std::vector<int> order{0, 1, 2, 3, 4};
    int orders = 0;
    do {
        flow::PortAnswers p;
        for (int i : order) p.note(all[static_cast<std::size_t>(i)]);
        ASSERT_EQ(p.count, 2);
        EXPECT_EQ(p.first[0].client, a);
        EXPECT_EQ(p.first[0].ref.packet, 3u);
        EXPECT_EQ(p.first[1].client, c);
        EXPECT_EQ(p.first[1].ref.packet, 7u);
        ASSERT_NE(p.other_than(a), nullptr);
        EXPECT_EQ(p.other_than(a)->client, c);
        EXPECT_EQ(p.other_than(c)->client, a);
        EXPECT_EQ(p.other_than(d)->client, a);
        ++orders;
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(orders, 120);
    flow::PortAnswers one;
    one.note(Answer{a, {1, 0.1}});
    one.note(Answer{a, {2, 0.2}});
    EXPECT_EQ(one.count, 1);
    EXPECT_EQ(one.other_than(a), nullptr);
    EXPECT_EQ(one.other_than(b)->client, a);
}
