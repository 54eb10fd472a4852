// Reading ahead on a thread of its own gives the caller exactly what reading in line gives:
// the same packets in the same order, the same counts, the same end (cut short, stopped, an
// error after the packets before it), and it never outlives the caller.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
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
#include "sshpath/packet/decoder.h"
#include "sshpath/posix/fd.h"
#include "sshpath/posix/signals.h"

namespace sshpath::capture {
namespace {

using test_util::Bytes;

// What a caller sees of a whole read: one line per packet, the reader's counts and its end.
struct Seen {
    std::vector<std::string> packets;
    std::string end;
    bool operator==(const Seen&) const = default;
};

std::string line_of(const packet::Packet& p, const RawFrame& f) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%llu %.6f %u %u %d %u %u %zu %d %zu", static_cast<unsigned long long>(p.number), p.time,
                  p.caplen, p.wirelen, static_cast<int>(p.transport), p.tcp.sport, p.tcp.dport, p.payload.size(),
                  p.malformed ? 1 : 0, f.data.size());
    std::string s = buf;
    // The bytes themselves: a frame must still be whole when the caller gets it.
    for (std::size_t i = 0; i < f.data.size(); i += 7) s += static_cast<char>('a' + f.data[i] % 26);
    return s;
}

Seen read(const std::string& path, bool ahead) {
    Seen s;
    Reader r(path);
    r.set_read_ahead(ahead);
    r.for_each_frame([&](const packet::Packet& p, const RawFrame& f) { s.packets.push_back(line_of(p, f)); });
    const ReadStats& st = r.stats();
    s.end = std::to_string(st.packets) + " " + std::to_string(st.malformed) + " " + std::to_string(st.snaplen_cut) + " " +
            std::to_string(st.truncated) + " " + st.truncation_message;
    return s;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ReadAheadTest, GivesWhatReadingInLineGivesForEveryBundledCapture) {
    test_util::TempDir dir;
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::string(SSHPATH_SOURCE_DIR) + "/captures")) {
        const std::string ext = e.path().extension().string();
        if (ext != ".pcap" && ext != ".pcapng") continue;
        ++files;
        const std::string path = e.path().string();
        EXPECT_EQ(read(path, true), read(path, false)) << path;
        // Cut short inside its last record.
        const std::string whole = slurp(path);
        if (whole.size() < 200) continue;
        const std::string cut = dir.write("cut" + ext, Bytes(whole.begin(), whole.end() - 5));
        const Seen a = read(cut, true), b = read(cut, false);
        EXPECT_EQ(a, b) << path << " cut";
        EXPECT_FALSE(a.packets.empty()) << path;
    }
    EXPECT_GT(files, 20u);
}

TEST(ReadAheadTest, ManyBatchesOfManySizesInOrder) {
    // More packets than one batch holds, of sizes from a bare header to the whole snap length.
    test_util::TempDir dir;
    std::vector<test_util::Record> records;
    for (std::uint32_t i = 0; i < 3000; ++i) {
        Bytes frame(14 + (i * 7919) % 4000, static_cast<std::uint8_t>(i));
        if (i % 500 == 0) frame.resize(65535);
        records.push_back({frame, 0, 1700000000 + i, i % 1000000});
    }
    const std::string path = dir.write("many.pcap", test_util::pcap_file(packet::kLinkEthernet, records));
    const Seen a = read(path, true);
    EXPECT_EQ(a.packets.size(), 3000u);
    EXPECT_EQ(a, read(path, false));
}

TEST(ReadAheadTest, AReadingErrorComesAfterThePacketsBeforeIt) {
    test_util::TempDir dir;
    Bytes f = test_util::pcap_file(packet::kLinkEthernet, {{Bytes(60, 1)}, {Bytes(60, 2)}});
    // A third record claiming more than any snap length.
    f = test_util::cat({f, test_util::le32(1700000000), test_util::le32(0), test_util::le32(300000), test_util::le32(300000)});
    const std::string path = dir.write("bad.pcap", f);
    for (bool ahead : {false, true}) {
        Reader r(path);
        r.set_read_ahead(ahead);
        std::size_t n = 0;
        EXPECT_THROW(r.for_each([&](const packet::Packet&) { ++n; }), InputError);
        EXPECT_EQ(n, 2u) << (ahead ? "ahead" : "in line");
    }
}

// The write end of a pipe holding `bytes` stays open: the writer has not finished.
struct OpenPipe {
    posix::Pipe pipe = posix::make_pipe();
    explicit OpenPipe(const std::string& bytes) { EXPECT_EQ(posix::write_all(pipe.write.get(), bytes), 0); }
    std::FILE* file() { return fdopen(pipe.read.release(), "rb"); }
};

TEST(ReadAheadTest, ASignalStillInterruptsARead) {
    const std::string bytes = slurp(std::string(SSHPATH_SOURCE_DIR) + "/captures/edge-silent-drop.pcap");
    ASSERT_GT(bytes.size(), 200u);
    posix::SignalPipe signals;
    OpenPipe src(bytes.substr(0, 24 + 16 + 74));  // the header and one SYN; the rest never comes
    std::atomic<bool> rang{false};
    Reader r(src.file(), "pipe", [&] {
        for (int sig : signals.take()) rang = rang || sig == SIGALRM;
        return rang.load();
    });
    r.set_read_ahead(true);
    signals.wake_after(0.2);  // reaches the reading thread, blocked in read()
    std::size_t n = 0;
    r.for_each([&](const packet::Packet&) { ++n; });
    EXPECT_TRUE(r.stats().stopped);
    EXPECT_EQ(n, 1u);
}

TEST(ReadAheadTest, TheCallersExceptionStopsTheReadingThread) {
    // More than one read of the reader's (1 MiB) from a writer that then stays, as tcpdump
    // does: the reading thread is left waiting in read() when the caller gives up.
    std::vector<test_util::Record> records(3000, test_util::Record{Bytes(600, 7)});
    const Bytes bytes = test_util::pcap_file(packet::kLinkEthernet, records);
    posix::SignalPipe signals;
    posix::Pipe pipe = posix::make_pipe();
    std::thread writer([&] { posix::write_all(pipe.write.get(), std::string(bytes.begin(), bytes.end())); });
    {
        Reader r(fdopen(pipe.read.release(), "rb"), "pipe");
        r.set_read_ahead(true);
        const auto start = std::chrono::steady_clock::now();
        EXPECT_THROW(r.for_each([&](const packet::Packet&) { throw std::runtime_error("enough"); }), std::runtime_error);
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    }
    writer.join();
    // The caller's signal mask is back: SIGINT is not left blocked.
    sigset_t now;
    pthread_sigmask(SIG_SETMASK, nullptr, &now);
    EXPECT_FALSE(sigismember(&now, SIGINT));
}

}  // namespace
}  // namespace sshpath::capture
