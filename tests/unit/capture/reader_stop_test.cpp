// Reading stops when asked (analyze after SIGINT): before the next read, after a signal
// interrupted a blocked read, and not at all while nothing asks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"
#include "sshpath/posix/fd.h"
#include "sshpath/posix/signals.h"

namespace sshpath::capture {
namespace {

// The bytes of a recorded capture (classic pcap).
std::string recorded() {
    std::ifstream in(std::string(SSHPATH_SOURCE_DIR) + "/captures/edge-silent-drop.pcap", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A reader on the read end of a pipe that already holds `bytes` (the write end stays open:
// the writer has not finished, as tcpdump before it is stopped).
struct PipeSource {
    posix::Pipe pipe = posix::make_pipe();
    explicit PipeSource(const std::string& bytes) { EXPECT_EQ(posix::write_all(pipe.write.get(), bytes), 0); }
    std::FILE* file() { return fdopen(pipe.read.release(), "rb"); }
};

TEST(ReaderStopTest, ReadsEverythingWhenNothingAsks) {
    const std::string bytes = recorded();
    if (bytes.empty()) GTEST_SKIP() << "capture not recorded";
    PipeSource src(bytes);
    src.pipe.write.reset();
    Reader r(src.file(), "pipe", [] { return false; });
    std::size_t n = 0;
    r.for_each([&](const packet::Packet&) { ++n; });
    // As many as the file holds.
    std::size_t from_file = 0;
    Reader(std::string(SSHPATH_SOURCE_DIR) + "/captures/edge-silent-drop.pcap").for_each([&](const packet::Packet&) { ++from_file; });
    EXPECT_GT(n, 2u);
    EXPECT_EQ(n, from_file);
    EXPECT_FALSE(r.stats().stopped);
}

TEST(ReaderStopTest, StopsBeforeTheNextReadWhenAsked) {
    const std::string bytes = recorded();
    if (bytes.empty()) GTEST_SKIP() << "capture not recorded";
    PipeSource src(bytes);
    int asked = 0;
    Reader r(src.file(), "pipe", [&] { return ++asked > 1; });  // the header is read, then stop
    std::size_t n = 0;
    r.for_each([&](const packet::Packet&) { ++n; });
    EXPECT_TRUE(r.stats().stopped);
    EXPECT_FALSE(r.stats().truncated);
    EXPECT_EQ(n, 0u);
}

TEST(ReaderStopTest, ASignalInterruptsABlockedReadThatThenStops) {
    const std::string bytes = recorded();
    if (bytes.empty()) GTEST_SKIP() << "capture not recorded";
    posix::SignalPipe signals;
    // The header and the first record (16 + 74 bytes: a SYN on Ethernet); the rest never comes.
    PipeSource src(bytes.substr(0, 24 + 16 + 74));
    bool rang = false;
    Reader r(src.file(), "pipe", [&] {
        for (int sig : signals.take()) rang = rang || sig == SIGALRM;
        return rang;
    });
    signals.wake_after(0.2);  // interrupts the read() that waits for the second record
    std::size_t n = 0;
    r.for_each([&](const packet::Packet&) { ++n; });
    EXPECT_TRUE(r.stats().stopped);
    EXPECT_FALSE(r.stats().truncated);
    EXPECT_EQ(n, 1u);
}

TEST(ReaderStopTest, StoppedBeforeTheHeaderIsAnError) {
    PipeSource src("");
    EXPECT_THROW(Reader(src.file(), "standard input", [] { return true; }), InputError);
}

}  // namespace
}  // namespace sshpath::capture
