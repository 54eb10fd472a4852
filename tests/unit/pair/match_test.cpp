#include <gtest/gtest.h>

#include "sshpath/core/error.h"
#include "sshpath/pair/match.h"
#include "sshpath/pair/pair.h"
#include "sshpath/pair/vantage.h"

namespace sshpath::pair {
namespace {

using packet::IpAddress;

IpAddress ip(const char* text) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(text, a)) << text;
    return a;
}

// Builds the packets of one capture, TCP segment by segment.
class Capture {
public:
    Capture& tcp(double time, const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport, std::uint8_t flags,
                 std::uint32_t seq, std::uint32_t ack, std::uint8_t ttl, std::uint32_t tsval = 0, int mss = -1) {
        packet::Packet p;
        p.number = ++number_;
        p.time = time;
        p.src = ip(src);
        p.dst = ip(dst);
        p.ip_version = 4;
        p.ttl = ttl;
        p.transport = packet::Transport::kTcp;
        p.tcp.sport = sport;
        p.tcp.dport = dport;
        p.tcp.flags = flags;
        p.tcp.seq = seq;
        p.tcp.ack = ack;
        p.tcp.options.mss = mss;
        if (tsval) p.tcp.options.timestamps = true, p.tcp.options.ts_val = tsval;
        log_.add(p);
        return *this;
    }
    const PacketLog& log() const { return log_; }
    std::vector<Connection> connections() const { return connections_of(log_); }

private:
    PacketLog log_;
    std::uint64_t number_ = 0;
};

constexpr std::uint8_t kSyn = packet::kSyn, kSynAck = packet::kSyn | packet::kAck, kAck = packet::kAck;
constexpr std::uint8_t kRstAck = packet::kRst | packet::kAck;

class PairMatchTest : public ::testing::Test {
protected:
    std::vector<ConnectionMatch> match(const Capture& near, const Capture& far) {
        near_conns_ = near.connections();
        far_conns_ = far.connections();
        MatchOptions o;
        o.near_attempt.assign(near_conns_.size(), true);
        o.near_relay.assign(near_conns_.size(), false);
        o.far_attempt.assign(far_conns_.size(), true);
        return match_connections(near.log(), near_conns_, far.log(), far_conns_, o);
    }
    std::vector<Connection> near_conns_, far_conns_;
};

TEST_F(PairMatchTest, MatchesThroughNatThatRewritesTheSourcePort) {
    Capture client, vm;
    client.tcp(10.0, "198.51.100.10", 40000, "203.0.113.7", 22, kSyn, 1000, 0, 64, 0, 1460)
        .tcp(10.1, "203.0.113.7", 22, "198.51.100.10", 40000, kSynAck, 5000, 1001, 61, 0, 1460)
        .tcp(10.1, "198.51.100.10", 40000, "203.0.113.7", 22, kAck, 1001, 5001, 64);
    vm.tcp(10.05, "198.18.2.1", 15031, "203.0.113.7", 22, kSyn, 1000, 0, 61, 0, 1200)
        .tcp(10.05, "203.0.113.7", 22, "198.18.2.1", 15031, kSynAck, 5000, 1001, 64, 0, 1460)
        .tcp(10.15, "198.18.2.1", 15031, "203.0.113.7", 22, kAck, 1001, 5001, 61);
    const auto m = match(client, vm);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].by, "isn");
    EXPECT_FALSE(m[0].isn_rewritten);
    EXPECT_EQ(far_conns_[m[0].far].client.text(), "198.18.2.1:15031");
    const auto pairs = pair_packets(client.log(), near_conns_[m[0].near], vm.log(), far_conns_[m[0].far], m[0], 0);
    ASSERT_EQ(pairs.size(), 3u);
    for (const auto& p : pairs) EXPECT_EQ(p.fate, Fate::kBoth);
    // The MSS rewritten on the way does not keep the SYN from matching.
    EXPECT_EQ(vm.log().tcp()[*pairs[0].far].options.mss, 1200);
}

TEST_F(PairMatchTest, EstimatesAClockOffsetOfSeconds) {
    Capture client, vm;
    const double shift = 6.5, delay = 0.02;
    client.tcp(1.0, "198.51.100.10", 40000, "203.0.113.7", 22, kSyn, 1000, 0, 64)
        .tcp(1.0 + 2 * delay, "203.0.113.7", 22, "198.51.100.10", 40000, kSynAck, 5000, 1001, 61)
        .tcp(1.0 + 2 * delay, "198.51.100.10", 40000, "203.0.113.7", 22, kAck, 1001, 5001, 64);
    vm.tcp(1.0 + delay + shift, "198.51.100.10", 40000, "203.0.113.7", 22, kSyn, 1000, 0, 61)
        .tcp(1.0 + delay + shift, "203.0.113.7", 22, "198.51.100.10", 40000, kSynAck, 5000, 1001, 64)
        .tcp(1.0 + 3 * delay + shift, "198.51.100.10", 40000, "203.0.113.7", 22, kAck, 1001, 5001, 61);
    const auto m = match(client, vm);
    ASSERT_EQ(m.size(), 1u);
    const auto pairs = pair_packets(client.log(), near_conns_[0], vm.log(), far_conns_[0], m[0], 0);
    const auto offset = clock_offset(client.log(), vm.log(), pairs);
    ASSERT_TRUE(offset.has_value());
    EXPECT_NEAR(*offset, shift, 1e-6);  // the one-way delay cancels out
}

TEST_F(PairMatchTest, DetectsRandomisedSequenceNumbersAndMatchesByTimestamps) {
    Capture client, vm;
    const std::uint32_t delta = 0x12345678;
    client.tcp(1.0, "198.51.100.10", 40000, "203.0.113.7", 22, kSyn, 1000, 0, 64, 777)
        .tcp(1.1, "203.0.113.7", 22, "198.51.100.10", 40000, kSynAck, 5000, 1001, 61, 900)
        .tcp(1.1, "198.51.100.10", 40000, "203.0.113.7", 22, kAck, 1001, 5001, 64, 778);
    vm.tcp(1.05, "198.18.2.1", 20000, "203.0.113.7", 22, kSyn, 1000 + delta, 0, 61, 777)
        .tcp(1.05, "203.0.113.7", 22, "198.18.2.1", 20000, kSynAck, 5000, 1001 + delta, 64, 900)
        .tcp(1.15, "198.18.2.1", 20000, "203.0.113.7", 22, kAck, 1001 + delta, 5001, 61, 778);
    const auto m = match(client, vm);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].by, "timestamps");
    EXPECT_TRUE(m[0].isn_rewritten);
    EXPECT_EQ(m[0].client_seq_delta, delta);
    const auto pairs = pair_packets(client.log(), near_conns_[0], vm.log(), far_conns_[0], m[0], 0);
    ASSERT_EQ(pairs.size(), 3u);
    for (const auto& p : pairs) EXPECT_EQ(p.fate, Fate::kBoth);
}

TEST_F(PairMatchTest, TellsLostPacketsFromPacketsNeverSent) {
    Capture client, vm;
    // The VM answers with a SYN-ACK that never arrives; a reset in its name reaches the client.
    client.tcp(1.0, "198.51.100.10", 40000, "203.0.113.7", 22, kSyn, 1000, 0, 64)
        .tcp(1.2, "203.0.113.7", 22, "198.51.100.10", 40000, kRstAck, 0, 1001, 64);
    vm.tcp(1.05, "198.51.100.10", 40000, "203.0.113.7", 22, kSyn, 1000, 0, 61)
        .tcp(1.05, "203.0.113.7", 22, "198.51.100.10", 40000, kSynAck, 5000, 1001, 64)
        .tcp(9.0, "198.51.100.10", 41000, "203.0.113.7", 22, kSyn, 3000, 0, 61);  // later traffic: still capturing
    const auto m = match(client, vm);
    ASSERT_GE(m.size(), 1u);
    const auto pairs = pair_packets(client.log(), near_conns_[m[0].near], vm.log(), far_conns_[m[0].far], m[0], 0);
    ASSERT_EQ(pairs.size(), 3u);
    EXPECT_EQ(pairs[0].fate, Fate::kBoth);
    EXPECT_FALSE(pairs[1].from_client);
    EXPECT_EQ(pairs[1].fate, Fate::kLost);       // the SYN-ACK
    EXPECT_EQ(pairs[2].fate, Fate::kNeverSent);  // the reset
}

TEST_F(PairMatchTest, FindsEachCapturesPlaceFromTtls) {
    Capture client, vm;
    client.tcp(1.0, "198.51.100.10", 40000, "203.0.113.7", 22, kSyn, 1000, 0, 64)
        .tcp(1.1, "203.0.113.7", 22, "198.51.100.10", 40000, kSynAck, 5000, 1001, 61);
    vm.tcp(1.05, "198.18.2.1", 20000, "203.0.113.7", 22, kSyn, 1000, 0, 61)
        .tcp(1.05, "203.0.113.7", 22, "198.18.2.1", 20000, kSynAck, 5000, 1001, 128);
    EXPECT_EQ(find_vantage(client.log(), client.connections()).vantage, Vantage::kClient);
    EXPECT_EQ(find_vantage(vm.log(), vm.connections()).vantage, Vantage::kVm);
    EXPECT_EQ(find_vantage(PacketLog{}, {}).vantage, Vantage::kUnknown);
}

TEST(PairPlaceTest, ReadsPlacesGivenOrFound) {
    EXPECT_EQ(parse_capture_arg("a.pcap@vm").file, "a.pcap");
    EXPECT_EQ(parse_capture_arg("a.pcap@vm").given, Vantage::kVm);
    EXPECT_EQ(parse_capture_arg("user@host.pcap").file, "user@host.pcap");
    EXPECT_FALSE(parse_capture_arg("user@host.pcap").given.has_value());

    const VantageFinding client{Vantage::kClient, ""}, vm{Vantage::kVm, ""}, unknown{};
    EXPECT_FALSE(place(std::nullopt, client, std::nullopt, client).has_value());  // two client captures: one case
    const auto swapped = place(std::nullopt, vm, std::nullopt, client);
    ASSERT_TRUE(swapped.has_value());
    EXPECT_TRUE(swapped->swapped);
    EXPECT_EQ(swapped->found_by, "packets");
    EXPECT_EQ(place(std::nullopt, unknown, std::nullopt, unknown)->found_by, "order");
    const auto given = place(Vantage::kMiddle, client, std::nullopt, client);
    ASSERT_TRUE(given.has_value());
    EXPECT_TRUE(given->swapped);
    EXPECT_EQ(given->far, Vantage::kMiddle);
    EXPECT_THROW(place(Vantage::kVm, client, Vantage::kVm, client), InputError);
}

}  // namespace
}  // namespace sshpath::pair
