#include <gtest/gtest.h>

#include "sshpath/packet/decoder.h"
#include "wire.h"

namespace sshpath::packet {
namespace {

using namespace test_util;

constexpr std::uint8_t kSynAck = 0x12, kAckOnly = 0x10;

Bytes mptcp(std::uint8_t subtype_and_low, const Bytes& rest) {
    return cat({{30, std::uint8_t(3 + rest.size()), subtype_and_low}, rest});
}

class MptcpTest : public ::testing::Test {
protected:
    Packet segment(const Bytes& option, std::uint8_t flags = 0x02) {
        return decode_(kLinkRaw, ipv4_packet(6, "198.51.100.10", "203.0.113.7", tcp_syn(option, flags)));
    }
    Decoded decode_;
};

TEST_F(MptcpTest, ReadsMpCapableOnSynWithoutKey) {
    const Packet p = segment(mptcp(0x01, {0x81}));  // version 1, flags A|H
    EXPECT_FALSE(p.malformed) << p.problem;
    const MptcpOption& m = p.tcp.options.mptcp;
    EXPECT_TRUE(m.has(MptcpSubtype::kCapable));
    EXPECT_FALSE(m.has(MptcpSubtype::kJoin));
    EXPECT_EQ(m.version, 1);
    EXPECT_EQ(m.keys, 0);
    EXPECT_EQ(p.tcp.options.mss, 1460);
    EXPECT_EQ(p.tcp.options.count, 2);
}

TEST_F(MptcpTest, ReadsKeysOfSynAckAndThirdAck) {
    const Packet synack = segment(mptcp(0x01, cat({{0x01}, be32(0x01020304), be32(0x05060708)})), kSynAck);
    EXPECT_EQ(synack.tcp.options.mptcp.keys, 1);
    EXPECT_EQ(synack.tcp.options.mptcp.sender_key, 0x0102030405060708u);
    const Packet ack = segment(mptcp(0x01, cat({{0x01}, be32(1), be32(2), be32(3), be32(4)})), kAckOnly);
    EXPECT_EQ(ack.tcp.options.mptcp.keys, 2);
    EXPECT_EQ(ack.tcp.options.mptcp.sender_key, 0x0000000100000002u);
    EXPECT_EQ(ack.tcp.options.mptcp.receiver_key, 0x0000000300000004u);
}

TEST_F(MptcpTest, ReadsMpJoinTokenOnSyn) {
    // subtype 1 with the backup flag, address id 2, token, nonce
    const Packet p = segment(mptcp(0x11, cat({{2}, be32(0xcafef00d), be32(77)})));
    const MptcpOption& m = p.tcp.options.mptcp;
    EXPECT_TRUE(m.has(MptcpSubtype::kJoin));
    EXPECT_TRUE(m.has_token);
    EXPECT_EQ(m.token, 0xcafef00du);
    EXPECT_EQ(m.address_id, 2);
    EXPECT_TRUE(m.backup);
    // The SYN-ACK of a join carries an HMAC, not a token.
    const Packet synack = segment(mptcp(0x10, cat({{2}, be32(1), be32(2), be32(3)})), kSynAck);
    EXPECT_TRUE(synack.tcp.options.mptcp.has(MptcpSubtype::kJoin));
    EXPECT_FALSE(synack.tcp.options.mptcp.has_token);
}

TEST_F(MptcpTest, NotesDataSequenceSignal) {
    // DSS with a data ACK (A flag) of 4 bytes.
    const Packet p = segment(mptcp(0x20, cat({{0x01}, be32(5000)})), kAckOnly);
    EXPECT_TRUE(p.tcp.options.mptcp.has(MptcpSubtype::kDss));
    EXPECT_FALSE(p.tcp.options.mptcp.has(MptcpSubtype::kCapable));
}

TEST_F(MptcpTest, HasNoMptcpWithoutTheOption) {
    const Packet p = segment({});
    EXPECT_EQ(p.tcp.options.mptcp.subtypes, 0);
}

}  // namespace
}  // namespace sshpath::packet
