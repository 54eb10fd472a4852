#include "sshpath/probe/match.h"

#include <gtest/gtest.h>
#include <tins/ethernetII.h>
#include <tins/icmp.h>
#include <tins/ip.h>
#include <tins/rawpdu.h>
#include <tins/tcp.h>

#include "sshpath/packet/decoder.h"
#include "sshpath/probe/craft.h"

namespace sshpath::probe {
namespace {

using Bytes = std::vector<std::uint8_t>;

IpAddress ip(const char* text) {
    IpAddress a;
    EXPECT_TRUE(IpAddress::parse(text, a)) << text;
    return a;
}

class MatcherTest : public ::testing::Test {
protected:
    static constexpr std::uint16_t kSport = 40000;
    static constexpr std::uint16_t kConnectPort = 40001;

    MatcherTest() : matcher_(ip("198.51.100.10"), kSport) {
        matcher_.set_connect_port(kConnectPort);
        for (int ttl = 1; ttl <= 3; ++ttl) add_probe(ttl, "203.0.113.7", 22);
        add_probe(1, "203.0.113.7", 443);
    }

    void add_probe(int ttl, const char* dst, std::uint16_t dport) {
        Probe p;
        p.ttl = ttl;
        p.seq = 5000 + static_cast<std::uint32_t>(probes_.size()) * 1000;
        p.ip_id = static_cast<std::uint16_t>(0x100 + probes_.size());
        SynSpec s;
        s.src = ip("198.51.100.10");
        s.dst = ip(dst);
        s.sport = kSport;
        s.dport = dport;
        s.ttl = static_cast<std::uint8_t>(ttl);
        s.seq = p.seq;
        s.ip_id = p.ip_id;
        p.bytes = build_syn(s);
        matcher_.add(ProbeRef{0, probes_.size(), 0}, p, ip(dst), dport);
        probes_.push_back(p);
    }

    /// Decodes an Ethernet frame as the capture would.
    static packet::Packet decode(Tins::EthernetII& eth) {
        frame_ = eth.serialize();
        packet::Packet p;
        packet::decode(packet::kLinkEthernet, frame_, p);
        p.time = 100.5;
        return p;
    }

    /// ICMP time exceeded from `router` quoting `quoted` (a probe as the router received it).
    static packet::Packet time_exceeded(const char* router, Bytes quoted, int ttl = 63) {
        Tins::IP outer("198.51.100.10", router);
        outer.ttl(static_cast<std::uint8_t>(ttl));
        Tins::EthernetII eth = Tins::EthernetII() / outer / Tins::ICMP(Tins::ICMP::TIME_EXCEEDED) / Tins::RawPDU(quoted);
        return decode(eth);
    }

    static Bytes with_ttl_one(Bytes b) {
        b[8] = 1;
        return b;
    }

    static packet::Packet tcp_from(const char* src, std::uint16_t sport, std::uint16_t dport, std::uint16_t flags,
                                    std::uint32_t ack, int ttl = 61) {
        Tins::TCP tcp(dport, sport);
        tcp.flags(flags);
        tcp.ack_seq(ack);
        Tins::IP outer("198.51.100.10", src);
        outer.ttl(static_cast<std::uint8_t>(ttl));
        Tins::EthernetII eth = Tins::EthernetII() / outer / tcp;
        return decode(eth);
    }

    Matcher matcher_;
    std::vector<Probe> probes_;
    static inline Bytes frame_;
};

TEST_F(MatcherTest, MatchesTimeExceededByTheQuotedSequenceNumber) {
    const packet::Packet p = time_exceeded("198.18.2.2", with_ttl_one(probes_[1].bytes));
    const Classified c = matcher_.classify(p);
    ASSERT_EQ(c.role, PacketRole::kReply);
    EXPECT_EQ(c.ref->hop, 1u);
    Probe probe = probes_[1];
    probe.sent = 100.0;
    record_reply(probe, p, 7);
    EXPECT_EQ(probe.reply.kind, ReplyKind::kTimeExceeded);
    EXPECT_EQ(probe.reply.from.to_string(), "198.18.2.2");
    EXPECT_EQ(probe.reply.hops, 1);
    EXPECT_EQ(probe.reply.packet, 7u);
    EXPECT_TRUE(probe.reply.quote_full);
    EXPECT_TRUE(probe.reply.changes.empty());
    EXPECT_NEAR(probe.rtt_ms(), 500.0, 1e-6);
    record_reply(probe, p, 8);
    EXPECT_EQ(probe.reply.duplicates, 1);
    EXPECT_EQ(probe.reply.packet, 7u);
}

TEST_F(MatcherTest, KeepsProbesToAnotherPortApart) {
    const packet::Packet p = time_exceeded("198.51.100.1", with_ttl_one(probes_[3].bytes));
    const Classified c = matcher_.classify(p);
    ASSERT_EQ(c.role, PacketRole::kReply);
    EXPECT_EQ(c.ref->hop, 3u);
}

TEST_F(MatcherTest, FallsBackToTheIpIdWhenTheSequenceNumberWasRewritten) {
    Bytes q = with_ttl_one(probes_[2].bytes);
    q[24] ^= 0xff;  // sequence number randomised by a firewall on the way
    const packet::Packet p = time_exceeded("198.18.3.2", q);
    const Classified c = matcher_.classify(p);
    ASSERT_EQ(c.role, PacketRole::kReply);
    EXPECT_EQ(c.ref->hop, 2u);
    Probe probe = probes_[2];
    record_reply(probe, p, 1);
    ASSERT_EQ(probe.reply.changes.size(), 1u);
    EXPECT_EQ(probe.reply.changes[0].field, "seq");
}

TEST_F(MatcherTest, MatchesSynAckAndRstByTheAcknowledgementNumber) {
    const packet::Packet sa = tcp_from("203.0.113.7", 22, kSport, Tins::TCP::SYN | Tins::TCP::ACK, probes_[2].seq + 1);
    Classified c = matcher_.classify(sa);
    ASSERT_EQ(c.role, PacketRole::kReply);
    EXPECT_EQ(c.ref->hop, 2u);
    Probe probe = probes_[2];
    record_reply(probe, sa, 3);
    EXPECT_EQ(probe.reply.kind, ReplyKind::kSynAck);
    EXPECT_EQ(probe.reply.hops, 3);

    const packet::Packet rst = tcp_from("203.0.113.7", 443, kSport, Tins::TCP::RST | Tins::TCP::ACK, probes_[3].seq + 1);
    c = matcher_.classify(rst);
    ASSERT_EQ(c.role, PacketRole::kReply);
    EXPECT_EQ(c.ref->hop, 3u);
}

TEST_F(MatcherTest, GivesABareRstToTheLatestProbeOfItsFlow) {
    const packet::Packet rst = tcp_from("203.0.113.7", 22, kSport, Tins::TCP::RST, 0, 64);
    const Classified c = matcher_.classify(rst);
    ASSERT_EQ(c.role, PacketRole::kReply);
    EXPECT_EQ(c.ref->hop, 2u);
}

TEST_F(MatcherTest, RecognisesOurProbesAndTheConnectTest) {
    Tins::EthernetII eth = Tins::EthernetII() / Tins::IP(probes_[0].bytes.data(), static_cast<std::uint32_t>(probes_[0].bytes.size()));
    const packet::Packet out = decode(eth);
    Classified c = matcher_.classify(out);
    ASSERT_EQ(c.role, PacketRole::kProbe);
    EXPECT_EQ(c.ref->hop, 0u);

    const packet::Packet conn = tcp_from("203.0.113.7", 22, kConnectPort, Tins::TCP::SYN | Tins::TCP::ACK, 1);
    EXPECT_EQ(matcher_.classify(conn).role, PacketRole::kConnect);

    // Our kernel's RST to a SYN-ACK belongs to the probe flow.
    Tins::TCP tcp(22, kSport);
    tcp.flags(Tins::TCP::RST);
    Tins::EthernetII rst = Tins::EthernetII() / Tins::IP("203.0.113.7", "198.51.100.10") / tcp;
    EXPECT_EQ(matcher_.classify(decode(rst)).role, PacketRole::kFlow);
}

TEST_F(MatcherTest, IgnoresOtherTraffic) {
    EXPECT_EQ(matcher_.classify(tcp_from("203.0.113.7", 22, 50000, Tins::TCP::SYN | Tins::TCP::ACK, 1)).role,
              PacketRole::kIgnore);
    // An ICMP error quoting someone else's connection.
    SynSpec s;
    s.src = ip("198.51.100.10");
    s.dst = ip("203.0.113.9");
    s.sport = 50000;
    s.dport = 22;
    EXPECT_EQ(matcher_.classify(time_exceeded("198.18.2.2", with_ttl_one(build_syn(s)))).role, PacketRole::kIgnore);
    // An ICMP error quoting a sequence number we never sent.
    Bytes q = with_ttl_one(probes_[0].bytes);
    q[24] ^= 0xff;
    q[4] ^= 0xff;  // and another IP ID
    EXPECT_EQ(matcher_.classify(time_exceeded("198.18.2.2", q)).role, PacketRole::kIgnore);
}

TEST_F(MatcherTest, ReadsUnreachableKinds) {
    Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
    icmp.code(13);
    Tins::IP outer("198.51.100.10", "198.51.100.1");
    Tins::EthernetII eth = Tins::EthernetII() / outer / icmp / Tins::RawPDU(Bytes(probes_[1].bytes.begin(), probes_[1].bytes.begin() + 28));
    const packet::Packet p = decode(eth);
    ASSERT_EQ(matcher_.classify(p).role, PacketRole::kReply);
    Probe probe = probes_[1];
    record_reply(probe, p, 1);
    EXPECT_EQ(probe.reply.kind, ReplyKind::kUnreachable);
    EXPECT_EQ(probe.reply.icmp_kind, "admin-prohibited");
    EXPECT_FALSE(probe.reply.quote_full);
    EXPECT_EQ(probe.reply.quote_bytes, 28u);
}

TEST(ProbeTypesTest, NamesAndAddresses) {
    EXPECT_EQ(hops_from_ttl(61), 3);
    EXPECT_EQ(hops_from_ttl(64), 0);
    EXPECT_EQ(hops_from_ttl(120), 8);
    EXPECT_EQ(hops_from_ttl(250), 5);
    EXPECT_EQ(hops_from_ttl(-1), -1);
    EXPECT_EQ(icmp_kind_name(4, 3, 13), "admin-prohibited");
    EXPECT_EQ(icmp_kind_name(6, 1, 4), "port-unreachable");
    EXPECT_TRUE(is_private(ip("10.1.2.3")));
    EXPECT_TRUE(is_private(ip("172.31.0.1")));
    EXPECT_FALSE(is_private(ip("172.32.0.1")));
    EXPECT_TRUE(is_private(ip("192.168.1.1")));
    EXPECT_TRUE(is_private(ip("100.64.0.1")));
    EXPECT_FALSE(is_private(ip("198.51.100.1")));
    EXPECT_TRUE(is_private(ip("fd00::1")));
    EXPECT_FALSE(is_private(ip("2001:db8::1")));
    EXPECT_EQ(reply_kind_name(ReplyKind::kSynAck), "syn-ack");
    EXPECT_TRUE(is_terminal(ReplyKind::kRst));
    EXPECT_FALSE(is_terminal(ReplyKind::kTimeExceeded));
}

}  // namespace
}  // namespace sshpath::probe
