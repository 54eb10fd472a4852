#include "sshpath/flow/spill.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "sshpath/core/error.h"

using namespace sshpath;

namespace {

flow::Flow sample(std::uint64_t first_packet) {
    flow::Flow f;
    packet::IpAddress::parse("198.51.100.10", f.client);
    packet::IpAddress::parse("2001:db8::7", f.server);
    f.client_port = 40000;
    f.server_port = 22;
    f.first = {first_packet, 1700000000.25};
    f.last = {first_packet + 9, 1700000003.5};
    f.syns.push_back(flow::SynEvent{{first_packet, 1700000000.25}, 1000, 64, {}});
    f.rsts.push_back(flow::RstEvent{});
    flow::EventRecord& e = f.timeline.emplace_back();
    e.packet = first_packet;
    e.time = 1700000000.25;
    e.kind = flow::EventKind::kFirstData;
    e.detail = 0;
    f.event_details.emplace_back().text = "SSH-2.0-OpenSSH_9.2";
    f.c2s.segments.emplace_back(0, flow::PacketRef{first_packet + 3, 1700000000.5});
    f.c2s.pending[100] = {1, 2, 3};
    f.unacked.push_back({0, 1400, 3});
    f.ssh->server.banner = ssh::Banner{"SSH-2.0-OpenSSH_9.2", "2.0", "OpenSSH_9.2", "", true, ""};
    f.ssh->server.kexinit = ssh::KexInit{{"curve25519-sha256"}, {"ssh-ed25519"}, {"aes128-ctr"}, {"aes128-ctr"}, {}, {}, {"none"}, {"none"}, false};
    f.ssh->negotiated = ssh::Negotiated{"curve25519-sha256", "ssh-ed25519", "aes128-ctr", "", "none", "mac"};
    f.ssh->proxy_request.target_host = "vm.example";
    f.ssh->server.message_types = {20, 31, 21};
    return f;
}

}  // namespace

TEST(FlowSpillTest, RoundTripKeepsEveryByte) {
    const flow::Flow f = sample(5);
    const std::vector<char> bytes = flow::serialize(f);
    const flow::Flow back = flow::deserialize(bytes);
    EXPECT_EQ(flow::serialize(back), bytes);
    EXPECT_EQ(back.server.to_string(), "2001:db8::7");
    EXPECT_EQ(back.event_details.at(back.timeline.at(0).detail).text, "SSH-2.0-OpenSSH_9.2");
    EXPECT_EQ(back.ssh->server.kexinit->kex.at(0), "curve25519-sha256");
    EXPECT_EQ(back.ssh->negotiated->no_common, "mac");
    EXPECT_EQ(back.c2s.pending.at(100).size(), 3u);
    EXPECT_EQ(back.unacked.at(0).sends, 3u);
    EXPECT_EQ(back.ssh->server.message_types.size(), 3u);
}

TEST(FlowSpillTest, GivesConnectionsBackInOrderOfFirstPacket) {
    flow::FlowSpill spill;
    for (std::uint64_t first : {30u, 10u, 20u}) spill.put(sample(first));
    spill.sort();
    ASSERT_EQ(spill.size(), 3u);
    flow::FlowSpill::Reader reader(spill);
    EXPECT_EQ(reader.next().value().first.packet, 10u);
    const std::optional<flow::Flow> second = reader.next();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->first.packet, 20u);
    EXPECT_EQ(second->ssh->server.banner->text, "SSH-2.0-OpenSSH_9.2");
    EXPECT_EQ(reader.next().value().first.packet, 30u);
    EXPECT_FALSE(reader.next());
}

TEST(FlowSpillTest, OrderOfFirstPacketKeepsTiesInTheOrderPutAcrossRuns) {
    // More connections than one sorted run holds, retired out of order, some sharing a first
    // packet: the order is FlowTable::finish()'s (by first packet, ties as they were put).
    flow::FlowSpill spill;
    const std::size_t count = 2 * RecordFile::kIndexBlock + 300;
    std::vector<std::pair<std::uint64_t, std::uint16_t>> put;  // first packet, client port
    for (std::size_t i = 0; i < count; ++i) {
        flow::Flow f;
        f.first.packet = (i * 7919) % 1000 + (i % 3 == 0 ? 0 : i);
        f.client_port = static_cast<std::uint16_t>(i);
        put.emplace_back(f.first.packet, f.client_port);
        spill.put(f);
    }
    spill.sort();
    std::stable_sort(put.begin(), put.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    flow::FlowSpill::Reader reader(spill);
    for (const auto& [first, port] : put) {
        const std::optional<flow::Flow> f = reader.next();
        ASSERT_TRUE(f);
        ASSERT_EQ(f->first.packet, first);
        ASSERT_EQ(f->client_port, port);
    }
    EXPECT_FALSE(reader.next());
}

// Read into one Flow again and again, each connection comes back whole: nothing of the one before
// stays (its timeline, SSH view, SYNs), and after the last `into` is left as it was.
TEST(FlowSpillTest, ReadsEachConnectionIntoTheRoomOfTheLast) {
    flow::FlowSpill spill;
    flow::Flow rich;
    rich.first.packet = 1;
    rich.timeline.resize(7);
    rich.timeline[3].detail = 0;
    rich.event_details.emplace_back().text = "SSH-2.0-OpenSSH_9.2";
    rich.syns.resize(3);
    rich.ssh = flow::SshView{};
    rich.ssh->client.message_types = {20, 30, 21};
    flow::Flow plain;
    plain.first.packet = 2;
    plain.client_port = 40000;
    spill.put(rich);
    spill.put(plain);
    spill.sort();
    flow::FlowSpill::Reader reader(spill);
    flow::Flow into;
    ASSERT_TRUE(reader.next(into));
    EXPECT_EQ(flow::serialize(into), flow::serialize(rich));
    ASSERT_TRUE(reader.next(into));
    EXPECT_EQ(flow::serialize(into), flow::serialize(plain));
    EXPECT_TRUE(into.timeline.empty());
    EXPECT_TRUE(into.event_details.empty());
    EXPECT_TRUE(into.syns.empty());
    EXPECT_FALSE(reader.next(into));
    EXPECT_EQ(into.client_port, 40000);
}

TEST(FlowSpillTest, EmptySpillReadsNothing) {
    flow::FlowSpill spill;
    spill.sort();
    EXPECT_FALSE(flow::FlowSpill::Reader(spill).next());
}

TEST(FlowSpillTest, DamagedBytesAreAnErrorNotACrash) {
    std::vector<char> bytes = flow::serialize(sample(1));
    for (std::size_t cut : {std::size_t{0}, std::size_t{7}, bytes.size() / 2, bytes.size() - 1}) {
        std::vector<char> part(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
        EXPECT_THROW(flow::deserialize(part), Error) << cut;
    }
    bytes.push_back(0);
    EXPECT_THROW(flow::deserialize(bytes), Error);
}
