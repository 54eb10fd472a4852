#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../packet/frames.h"
#include "sshpath/capture/live.h"
#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"

namespace sshpath::capture {
namespace {

using namespace packet;

using test_util::Bytes;
using test_util::serialize;
using test_util::syn_segment;
using test_util::TempDir;

class DumpWriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (std::uint16_t i = 0; i < 5; ++i) {
            Tins::EthernetII eth = Tins::EthernetII() / Tins::IP("203.0.113.7", "198.51.100.10") / syn_segment(40000 + i, 22, 1000u + i);
            frames_.push_back(serialize(eth));
        }
    }
    RawFrame frame(std::size_t i) const {
        RawFrame f;
        f.ts_sec = 1700000000 + static_cast<std::int64_t>(i);
        f.ts_usec = 250000;
        f.caplen = f.wirelen = static_cast<std::uint32_t>(frames_[i].size());
        f.data = frames_[i];
        return f;
    }
    // Every packet of a file as the Reader sees it: (time, client port).
    static std::vector<std::pair<double, int>> read_back(const std::string& path) {
        std::vector<std::pair<double, int>> out;
        Reader reader(path);
        reader.for_each([&](const Packet& p) { out.emplace_back(p.time, p.tcp.sport); });
        EXPECT_FALSE(reader.stats().truncated);
        return out;
    }
    static Bytes file_bytes(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return Bytes(std::istreambuf_iterator<char>(in), {});
    }

    TempDir dir_;
    std::vector<Bytes> frames_;
};

TEST_F(DumpWriterTest, WritesPcapThatReadsBack) {
    const std::string path = dir_.path("x.pcap");
    DumpWriter w(path, DumpFormat::kPcap, 1, 262144, "eth0", "tcp port 22", "sshpath test");
    for (std::size_t i = 0; i < frames_.size(); ++i) w.add(frame(i));
    w.close(LiveStats{}, "ignored in pcap");
    EXPECT_EQ(w.error(), "");
    const auto got = read_back(path);
    ASSERT_EQ(got.size(), 5u);
    EXPECT_DOUBLE_EQ(got[2].first, 1700000002.25);
    EXPECT_EQ(got[4].second, 40004);
}

TEST_F(DumpWriterTest, WritesPcapngWithInterfaceAndStatistics) {
    const std::string path = dir_.path("x.pcapng");
    DumpWriter w(path, DumpFormat::kPcapng, 1, 262144, "eth0", "tcp port 22", "sshpath test");
    for (std::size_t i = 0; i < frames_.size(); ++i) w.add(frame(i));
    LiveStats stats;
    stats.received = 5;
    stats.dropped = 2;
    w.close(stats, "sshpath run: a comment");
    const auto got = read_back(path);
    ASSERT_EQ(got.size(), 5u);
    EXPECT_DOUBLE_EQ(got[0].first, 1700000000.25);
    // Blocks: section header, interface, 5 packets, interface statistics; each length repeated.
    const Bytes b = file_bytes(path);
    std::vector<std::uint32_t> types;
    std::size_t off = 0;
    while (off + 12 <= b.size()) {
        std::uint32_t type, len, len2;
        std::memcpy(&type, &b[off], 4);
        std::memcpy(&len, &b[off + 4], 4);
        ASSERT_EQ(len % 4, 0u);
        ASSERT_LE(off + len, b.size());
        std::memcpy(&len2, &b[off + len - 4], 4);
        ASSERT_EQ(len, len2);
        types.push_back(type);
        off += len;
    }
    EXPECT_EQ(off, b.size());
    EXPECT_EQ(types, (std::vector<std::uint32_t>{0x0A0D0D0A, 1, 6, 6, 6, 6, 6, 5}));
    const std::string text(b.begin(), b.end());
    EXPECT_NE(text.find("eth0"), std::string::npos);
    EXPECT_NE(text.find("sshpath run: a comment"), std::string::npos);
}

TEST_F(DumpWriterTest, AFlushedFileIsCompleteBeforeClose) {
    for (auto format : {DumpFormat::kPcap, DumpFormat::kPcapng}) {
        const std::string path = dir_.path(format == DumpFormat::kPcap ? "open.pcap" : "open.pcapng");
        DumpWriter w(path, format, 1, 262144, "eth0", "", "sshpath test");
        w.add(frame(0));
        w.add(frame(1));
        w.flush();
        EXPECT_EQ(read_back(path).size(), 2u);
        w.add(frame(2));  // queued, not written: the file still ends with a whole record
        EXPECT_EQ(read_back(path).size(), 2u);
        w.flush();
        EXPECT_EQ(read_back(path).size(), 3u);
    }
}

TEST_F(DumpWriterTest, NamesTheFileItCannotCreate) {
    try {
        DumpWriter w(dir_.path("missing/x.pcap"), DumpFormat::kPcap, 1, 262144, "eth0", "", "sshpath test");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("missing/x.pcap': No such file or directory"), std::string::npos) << e.what();
    }
}

TEST(DecodeFrameTest, CountsAsTheReaderDoes) {
    Tins::EthernetII eth = Tins::EthernetII() / Tins::IP("203.0.113.7", "198.51.100.10") / syn_segment(40000, 22, 1) /
                           Tins::RawPDU(std::string(100, 'x'));
    const Bytes bytes = serialize(eth);
    RawFrame f;
    f.ts_sec = 10;
    f.ts_usec = 500000;
    f.caplen = 60;  // cut by the snap length
    f.wirelen = static_cast<std::uint32_t>(bytes.size());
    f.data = std::span<const std::uint8_t>(bytes.data(), 60);
    ReadStats stats;
    Packet p;
    decode_frame(1, f, p, stats);
    EXPECT_EQ(p.number, 1u);
    EXPECT_DOUBLE_EQ(p.time, 10.5);
    EXPECT_EQ(stats.packets, 1u);
    EXPECT_EQ(stats.snaplen_cut, 1u);
    EXPECT_EQ(p.tcp.dport, 22);
}

}  // namespace
}  // namespace sshpath::capture
