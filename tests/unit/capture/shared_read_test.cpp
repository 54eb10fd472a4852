// One capture read once and handed whole to several threads (analyze -j N on one file or on
// standard input): every thread gets what one Reader gets, record for record, with the same end.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../packet/frames.h"
#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"
#include "sshpath/core/parallel.h"

namespace sshpath::capture {
namespace {

using test_util::Bytes;

// What one consumer saw: each packet as "number time caplen wirelen first-bytes", then how the
// reading ended.
struct Seen {
    std::vector<std::string> packets;
    std::string end;
    std::string error;
    bool operator==(const Seen&) const = default;
};

std::string packet_text(const packet::Packet& p) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%llu %.6f %u %u %d %d %zu", static_cast<unsigned long long>(p.number), p.time, p.caplen,
                  p.wirelen, static_cast<int>(p.transport), p.malformed ? 1 : 0, p.payload.size());
    std::string out = buf;
    for (std::size_t i = 0; i < std::min<std::size_t>(p.payload.size(), 8); ++i) out += " " + std::to_string(p.payload[i]);
    return out;
}

std::string end_text(const ReadStats& s) {
    return "packets " + std::to_string(s.packets) + " malformed " + std::to_string(s.malformed) + " cut " +
           std::to_string(s.snaplen_cut) + " truncated " + std::to_string(s.truncated) + " (" + s.truncation_message +
           ") stopped " + std::to_string(s.stopped);
}

Seen one_reader(const std::string& path) {
    Seen s;
    Reader reader(path);
    try {
        reader.for_each([&](const packet::Packet& p) { s.packets.push_back(packet_text(p)); });
    } catch (const InputError& e) {
        s.error = e.what();
    }
    s.end = end_text(reader.stats());
    return s;
}

// What each of `consumers` threads saw; `slow` makes one of them lag (the ring fills).
std::vector<Seen> shared(Reader& reader, unsigned consumers, bool slow = false) {
    std::vector<Seen> seen(consumers);
    EXPECT_TRUE(reader.shareable());
    SharedRead read(reader, consumers);
    parallel_for(consumers, consumers, [&](std::size_t k) {
        std::uint64_t n = 0;
        try {
            read.for_each(static_cast<unsigned>(k), [&](const packet::Packet& p) {
                seen[k].packets.push_back(packet_text(p));
                if (slow && k == 1 && ++n % 2000 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            });
        } catch (const InputError& e) {
            seen[k].error = e.what();
        }
    });
    for (auto& s : seen) s.end = end_text(read.stats());
    return seen;
}

std::vector<Seen> shared(const std::string& path, unsigned consumers, bool slow = false) {
    Reader reader(path);
    return shared(reader, consumers, slow);
}

// A classic pcap file of `count` Ethernet frames of varied sizes (60 to about 9,000 bytes), so
// that records straddle the blocks read; time stamps one millisecond apart.
Bytes syn_frame() {
    Tins::EthernetII eth = Tins::EthernetII() / Tins::IP("198.51.100.10", "203.0.113.7") / test_util::syn_segment(51000, 22, 1000);
    return test_util::serialize(eth);
}

Bytes big_capture(std::size_t count) {
    Bytes f = test_util::pcap_file(packet::kLinkEthernet, {}, 262144);
    const Bytes syn = syn_frame();
    for (std::size_t i = 0; i < count; ++i) {
        Tins::TCP tcp(22, static_cast<std::uint16_t>(40000 + i % 1000));
        tcp.flags(Tins::TCP::PSH | Tins::TCP::ACK);
        const std::size_t size = (i * 7919) % 9000;
        Tins::EthernetII data = Tins::EthernetII() / Tins::IP("203.0.113.7", "198.51.100.10") / tcp /
                                Tins::RawPDU(std::string(size, static_cast<char>('a' + i % 26)));
        const Bytes frame = i % 5 == 0 ? syn : test_util::serialize(data);
        const std::uint32_t sec = 1700000000 + static_cast<std::uint32_t>(i / 1000), usec = static_cast<std::uint32_t>(i % 1000) * 1000;
        const auto len = static_cast<std::uint32_t>(frame.size());
        for (std::uint32_t v : {sec, usec, len, len})
            for (int b = 0; b < 4; ++b) f.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
        f.insert(f.end(), frame.begin(), frame.end());
    }
    return f;
}

// A classic pcap file whose every third record is as large as a record can be (262,144 bytes
// captured), the others small: the largest records begin at every offset of a block.
Bytes largest_records(std::size_t count) {
    Bytes f = test_util::pcap_file(packet::kLinkEthernet, {}, 262144);
    const Bytes syn = syn_frame();
    for (std::size_t i = 0; i < count; ++i) {
        Bytes frame = syn;
        if (i % 3 == 1) frame.resize(262144, static_cast<std::uint8_t>(i));
        frame.resize(frame.size() + (i * 7919) % 1500 * (i % 3 != 1), 0);
        const auto len = static_cast<std::uint32_t>(frame.size());
        for (std::uint32_t v : {1700000000u + static_cast<std::uint32_t>(i), 0u, len, len})
            for (int b = 0; b < 4; ++b) f.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
        f.insert(f.end(), frame.begin(), frame.end());
    }
    return f;
}

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class SharedReadTest : public ::testing::Test {
protected:
    test_util::TempDir dir_;
};

TEST_F(SharedReadTest, EveryThreadGetsWhatOneReaderGetsFromEveryBundledCapture) {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(SSHPATH_SOURCE_DIR) + "/captures"))
        if (e.path().extension() == ".pcap") files.push_back(e.path().string());
    ASSERT_GT(files.size(), 10u);
    for (const auto& path : files) {
        SCOPED_TRACE(path);
        const Seen want = one_reader(path);
        for (const Seen& got : shared(path, 3)) EXPECT_EQ(got, want);
        // Cut inside the last record, inside the last record header.
        const std::string whole = bytes_of(path);
        for (std::size_t cut : {whole.size() - 5, whole.size() - 60}) {
            if (cut <= 24 || cut >= whole.size()) continue;
            const std::string cut_path = dir_.write("cut.pcap", Bytes(whole.begin(), whole.begin() + static_cast<long>(cut)));
            const Seen w = one_reader(cut_path);
            EXPECT_THAT(w.end, ::testing::HasSubstr("truncated 1"));
            for (const Seen& got : shared(cut_path, 2)) EXPECT_EQ(got, w) << "cut at " << cut;
        }
    }
}

TEST_F(SharedReadTest, ManyBlocksInTheRingWithOneThreadLagging) {
    // About 45 MB: the ring of blocks is filled and read again several times over, records
    // straddle the blocks, and one consumer sleeps now and then so that the other waits for it.
    const std::string path = dir_.write("big.pcap", big_capture(10000));
    const Seen want = one_reader(path);
    ASSERT_EQ(want.packets.size(), 10000u);
    for (unsigned consumers : {2u, 3u}) {
        for (const Seen& got : shared(path, consumers, true)) {
            ASSERT_EQ(got.packets.size(), want.packets.size());
            EXPECT_EQ(got, want);
        }
    }
    // Cut in the middle of a record far in: the truncation is met by each at the same record.
    const std::string whole = bytes_of(path);
    const std::string cut = dir_.write("big-cut.pcap", Bytes(whole.begin(), whole.begin() + static_cast<long>(whole.size() * 2 / 3)));
    const Seen w = one_reader(cut);
    EXPECT_THAT(w.end, ::testing::HasSubstr("truncated 1"));
    for (const Seen& got : shared(cut, 2)) EXPECT_EQ(got, w);
}

TEST_F(SharedReadTest, RecordsOfTheLargestSizeAreReadWholeWhereverTheyBegin) {
    const std::string path = dir_.write("largest.pcap", largest_records(90));
    const Seen want = one_reader(path);
    ASSERT_EQ(want.packets.size(), 90u) << want.error;
    EXPECT_EQ(want.error, "");
    EXPECT_THAT(want.packets[1], ::testing::StartsWith("2 1700000001.000000 262144 262144"));
    EXPECT_THAT(want.end, ::testing::HasSubstr("truncated 0"));
    for (const Seen& got : shared(path, 2)) EXPECT_EQ(got, want);
}

TEST_F(SharedReadTest, ADamagedRecordHeaderIsTheSameErrorForEveryThreadAfterTheSameRecords) {
    Bytes whole = big_capture(3000);
    // The 2,500th record's captured length made impossible (more than 256 KiB).
    std::size_t at = 24;
    for (int i = 0; i < 2500; ++i) {
        std::uint32_t caplen;
        std::memcpy(&caplen, whole.data() + at + 8, 4);
        at += 16 + caplen;
    }
    const std::uint32_t huge = 0x7fffffff;
    std::memcpy(whole.data() + at + 8, &huge, 4);
    const std::string path = dir_.write("damaged.pcap", whole);
    const Seen want = one_reader(path);
    ASSERT_EQ(want.packets.size(), 2500u);
    EXPECT_THAT(want.error, ::testing::HasSubstr("invalid packet capture length 2147483647"));
    for (const Seen& got : shared(path, 2)) EXPECT_EQ(got, want);
}

TEST_F(SharedReadTest, AThreadThatFailsLetsTheOthersEndInsteadOfWaiting) {
    const std::string path = dir_.write("big.pcap", big_capture(8000));
    Reader reader(path);
    SharedRead read(reader, 2);
    std::atomic<std::uint64_t> other{0};
    EXPECT_THROW(parallel_for(2, 2,
                              [&](std::size_t k) {
                                  std::uint64_t n = 0;
                                  read.for_each(static_cast<unsigned>(k), [&](const packet::Packet&) {
                                      if (k == 0 && ++n == 100) throw std::runtime_error("consumer failed");
                                      if (k == 1) ++other;
                                  });
                              }),
                 std::runtime_error);
    // The other thread ended at most a ring of blocks later, not at the end of the capture.
    EXPECT_LT(other.load(), 8000u);
}

TEST_F(SharedReadTest, ReadsAPipeOnce) {
    const std::string path = dir_.write("big.pcap", big_capture(4000));
    const Seen want = one_reader(path);
    std::FILE* pipe = popen(("cat '" + path + "'").c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::vector<Seen> got;
    {
        // The Reader closes what it is given; a FILE from popen must be pclose()d, so hand it a dup.
        Reader reader(fdopen(dup(fileno(pipe)), "rb"), path);
        got = shared(reader, 2);
    }
    pclose(pipe);
    for (const Seen& g : got) EXPECT_EQ(g, want);
}

TEST_F(SharedReadTest, StopsWhereToldAsOneReaderDoes) {
    // Asked before each read: the header and two blocks are read, then reading stops.
    const std::string path = dir_.write("big.pcap", big_capture(6000));
    auto after_three = [] {
        return [asked = 0]() mutable { return ++asked > 3; };
    };
    Seen want;
    {
        Reader reader(path, after_three());
        reader.for_each([&](const packet::Packet& p) { want.packets.push_back(packet_text(p)); });
        want.end = end_text(reader.stats());
    }
    EXPECT_THAT(want.end, ::testing::HasSubstr("stopped 1"));
    EXPECT_THAT(want.end, ::testing::HasSubstr("truncated 0"));
    EXPECT_GT(want.packets.size(), 100u);
    EXPECT_LT(want.packets.size(), 6000u);
    Reader reader(path, after_three());
    for (const Seen& got : shared(reader, 2)) EXPECT_EQ(got, want);
}

TEST_F(SharedReadTest, OnlyClassicPcapNotRewrittenIsShared) {
    const Bytes syn = syn_frame();
    Reader ng(dir_.write("a.pcapng", test_util::pcapng_file(packet::kLinkEthernet, {{syn}})));
    EXPECT_FALSE(ng.shareable());
    Reader classic(dir_.write("a.pcap", test_util::pcap_file(packet::kLinkEthernet, {{syn}})));
    EXPECT_TRUE(classic.shareable());
    classic.set_rewrite([](int, std::span<std::uint8_t>) {});
    EXPECT_FALSE(classic.shareable());
}

}  // namespace
}  // namespace sshpath::capture
