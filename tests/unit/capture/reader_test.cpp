#include "sshpath/capture/reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "../packet/frames.h"
#include "sshpath/packet/decoder.h"
#include "sshpath/core/error.h"

namespace sshpath::capture {
namespace {

using namespace packet;

using test_util::be16;
using test_util::Bytes;
using test_util::cat;
using test_util::le32;
using test_util::pcap_file;
using test_util::pcapng_file;
using test_util::Record;
using test_util::serialize;
using test_util::syn_segment;
using ::testing::HasSubstr;

class ReaderTest : public ::testing::Test {
protected:
    static Bytes ethernet_syn() {
        Tins::EthernetII eth = Tins::EthernetII() / Tins::IP("192.0.2.10", "198.51.100.7") /
                               syn_segment(51000, 22, 1000);
        return serialize(eth);
    }

    static Bytes ethernet_data(const std::string& text) {
        Tins::TCP tcp(22, 51000);
        tcp.flags(Tins::TCP::PSH | Tins::TCP::ACK);
        Tins::EthernetII eth =
            Tins::EthernetII() / Tins::IP("192.0.2.10", "198.51.100.7") / tcp / Tins::RawPDU(text);
        return serialize(eth);
    }

    static Bytes arp() {
        Tins::EthernetII eth = Tins::ARP::make_arp_request("10.0.0.1", "10.0.0.2");
        return serialize(eth);
    }

    // The message of the InputError that opening `path` throws, or "" if it opens.
    static std::string open_error(const std::string& path) {
        try {
            Reader reader(path);
        } catch (const InputError& e) {
            return e.what();
        }
        return "";
    }

    static std::vector<Packet> read_all(Reader& reader) {
        std::vector<Packet> packets;
        reader.for_each([&](const Packet& p) { packets.push_back(p); });
        return packets;
    }

    test_util::TempDir dir_;
};

TEST_F(ReaderTest, ReadsPcapRecordsInOrder) {
    const Bytes data = ethernet_data(std::string(100, 'x'));
    const std::string path =
        dir_.write("three.pcap", pcap_file(kLinkEthernet,
                                           {{ethernet_syn(), 0, 1700000000, 250000},
                                            {arp(), 0, 1700000001, 0},
                                            {Bytes(data.begin(), data.begin() + 80),
                                             std::uint32_t(data.size()), 1700000002, 999999}},
                                           96));
    Reader reader(path);
    EXPECT_EQ(reader.link_type(), kLinkEthernet);
    std::vector<std::uint64_t> numbers;
    std::vector<double> times;
    std::vector<bool> cut;
    reader.for_each([&](const Packet& p) {
        numbers.push_back(p.number);
        times.push_back(p.time);
        cut.push_back(p.payload_truncated);
        if (p.number == 1) {
            EXPECT_EQ(p.tcp.dport, 22);
            EXPECT_EQ(p.tcp.options.mss, 1460);
        }
        if (p.number == 2) {
            EXPECT_EQ(p.ip_version, 0);
        }
        if (p.number == 3) {
            EXPECT_EQ(p.caplen, 80u);
            EXPECT_EQ(p.wirelen, data.size());
            EXPECT_EQ(p.payload.size(), 80u - 54u);
            EXPECT_EQ(p.payload_wire_len, 100u);
        }
    });
    EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 2, 3}));
    ASSERT_EQ(times.size(), 3u);
    EXPECT_DOUBLE_EQ(times[0], 1700000000.25);
    EXPECT_DOUBLE_EQ(times[2], 1700000002.999999);
    EXPECT_EQ(cut, (std::vector<bool>{false, false, true}));
    const ReadStats& s = reader.stats();
    EXPECT_EQ(s.packets, 3u);
    EXPECT_EQ(s.malformed, 0u);
    EXPECT_EQ(s.snaplen_cut, 1u);
    EXPECT_EQ(s.link_type, kLinkEthernet);
    EXPECT_EQ(s.snaplen, 96);
    EXPECT_EQ(s.cut_caplen, 80u);  // the snap length really applied: the header says 96
    EXPECT_FALSE(s.truncated);
}

TEST_F(ReaderTest, ReadsFileWrittenByLibtins) {
    const std::string path = dir_.path("tins.pcap");
    {
        Tins::PacketWriter writer(path, Tins::DataLinkType<Tins::EthernetII>());
        Tins::EthernetII syn = Tins::EthernetII() / Tins::IP("192.0.2.10", "198.51.100.7") /
                               syn_segment(51000, 22, 1000);
        writer.write(syn);
        writer.write(syn);
    }
    Reader reader(path);
    const std::vector<Packet> packets = read_all(reader);
    ASSERT_EQ(packets.size(), 2u);
    EXPECT_EQ(packets[1].number, 2u);
    EXPECT_EQ(packets[1].tcp.seq, 1000u);
}

TEST_F(ReaderTest, ScalesNanosecondTimestampsToMicroseconds) {
    Bytes file = pcap_file(kLinkEthernet, {{ethernet_syn(), 0, 1700000000, 123456789}});
    file[0] = 0x4d;  // nanosecond magic a1b23c4d, little-endian
    file[1] = 0x3c;
    Reader reader(dir_.write("nano.pcap", file));
    const std::vector<Packet> packets = read_all(reader);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_NEAR(packets[0].time, 1700000000.123456, 1e-6);
}

TEST_F(ReaderTest, ReadsEveryLinkType) {
    Tins::IP ip = Tins::IP("192.0.2.10", "198.51.100.7") / syn_segment(51000, 22, 1000);
    const Bytes raw = serialize(ip);
    const struct {
        int link;
        Bytes frame;
    } cases[] = {
        {kLinkEthernet, ethernet_syn()},
        {kLinkSll, cat({Bytes(14, 0), be16(0x0800), raw})},
        {kLinkSll2, cat({be16(0x0800), Bytes(18, 0), raw})},
        {kLinkRaw, raw},
        {kLinkIpv4, raw},
        {kLinkNull, cat({le32(2), raw})},
        {kLinkLoop, cat({test_util::be32(2), raw})},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.link);
        Reader reader(dir_.write("link.pcap", pcap_file(c.link, {{c.frame}})));
        EXPECT_TRUE(link_type_supported(reader.link_type()));
        const std::vector<Packet> packets = read_all(reader);
        ASSERT_EQ(packets.size(), 1u);
        EXPECT_FALSE(packets[0].malformed);
        EXPECT_EQ(packets[0].tcp.dport, 22);
    }
}

TEST_F(ReaderTest, ReadsPcapng) {
    const Bytes file = pcapng_file(kLinkEthernet, {{ethernet_syn(), 0, 1700000000, 500000},
                                                   {ethernet_data("hello"), 0, 1700000001, 0}});
    Reader reader(dir_.write("two.pcapng", file));
    EXPECT_EQ(reader.link_type(), kLinkEthernet);
    const std::vector<Packet> packets = read_all(reader);
    ASSERT_EQ(packets.size(), 2u);
    EXPECT_DOUBLE_EQ(packets[0].time, 1700000000.5);
    EXPECT_EQ(packets[0].tcp.options.mss, 1460);
    EXPECT_EQ(packets[1].number, 2u);
    EXPECT_EQ(packets[1].payload_wire_len, 5u);
    EXPECT_FALSE(reader.stats().truncated);
}

TEST_F(ReaderTest, FirstTimeReadsAheadAndForEachStillHandsOnEveryRecord) {
    const std::vector<Record> records = {{ethernet_syn(), 0, 1700000000, 250000}, {ethernet_data("hello"), 0, 1700000002, 0}};
    for (const bool ng : {false, true}) {
        const Bytes file = ng ? pcapng_file(kLinkEthernet, records) : pcap_file(kLinkEthernet, records);
        Reader reader(dir_.write(ng ? "ahead.pcapng" : "ahead.pcap", file));
        ASSERT_EQ(reader.first_time(), 1700000000.25) << ng;
        EXPECT_EQ(reader.first_time(), 1700000000.25) << "asked again, the same record: " << ng;
        const std::vector<Packet> packets = read_all(reader);
        ASSERT_EQ(packets.size(), 2u) << ng;
        EXPECT_DOUBLE_EQ(packets[0].time, 1700000000.25) << ng;
        EXPECT_EQ(packets[0].number, 1u);
        EXPECT_EQ(packets[0].tcp.options.mss, 1460) << "the record read ahead is decoded whole: " << ng;
        EXPECT_EQ(packets[1].payload_wire_len, 5u) << ng;
    }
    // No record: nothing to read ahead, and nothing handed on.
    Reader empty(dir_.write("empty.pcap", pcap_file(kLinkEthernet, {})));
    EXPECT_EQ(empty.first_time(), std::nullopt);
    EXPECT_TRUE(read_all(empty).empty());
}

TEST_F(ReaderTest, ContinuesTheNumberingOfTheCaptureBefore) {
    Reader reader(dir_.write("next.pcap", pcap_file(kLinkEthernet, {{ethernet_syn()}, {ethernet_data("x")}})));
    reader.continue_numbering(40);
    const std::vector<Packet> packets = read_all(reader);
    ASSERT_EQ(packets.size(), 2u);
    EXPECT_EQ(packets[0].number, 41u);
    EXPECT_EQ(packets[1].number, 42u);
    EXPECT_EQ(reader.stats().packets, 42u);
}

TEST_F(ReaderTest, StopsAtRecordCutShort) {
    const Bytes full = pcap_file(kLinkEthernet, {{ethernet_syn()}, {ethernet_syn()}});
    const Bytes cut(full.begin(), full.end() - 10);
    Reader reader(dir_.write("cut.pcap", cut));
    const std::vector<Packet> packets = read_all(reader);
    EXPECT_EQ(packets.size(), 1u);
    EXPECT_TRUE(reader.stats().truncated);
    EXPECT_EQ(reader.stats().packets, 1u);
    EXPECT_THAT(reader.stats().truncation_message, HasSubstr("truncated dump file"));
}

TEST_F(ReaderTest, StopsAtRecordHeaderCutShort) {
    const Bytes one = pcap_file(kLinkEthernet, {{ethernet_syn()}});
    const Bytes file = cat({one, Bytes(7, 0)});
    Reader reader(dir_.write("cut-header.pcap", file));
    EXPECT_EQ(read_all(reader).size(), 1u);
    EXPECT_TRUE(reader.stats().truncated);
    EXPECT_THAT(reader.stats().truncation_message, HasSubstr("only got 7"));
}

TEST_F(ReaderTest, StopsAtPcapngBlockCutShort) {
    const Bytes full = pcapng_file(kLinkEthernet, {{ethernet_syn()}, {ethernet_syn()}});
    Reader reader(dir_.write("cut.pcapng", Bytes(full.begin(), full.end() - 20)));
    EXPECT_EQ(read_all(reader).size(), 1u);
    EXPECT_TRUE(reader.stats().truncated);
    EXPECT_THAT(reader.stats().truncation_message, HasSubstr("truncated"));
}

TEST_F(ReaderTest, CountsMalformedRecords) {
    Bytes bad = ethernet_syn();
    bad[14] = 0x43;  // IHL 3
    Reader reader(dir_.write("bad.pcap", pcap_file(kLinkEthernet, {{bad}, {ethernet_syn()}})));
    const std::vector<Packet> packets = read_all(reader);
    ASSERT_EQ(packets.size(), 2u);
    EXPECT_TRUE(packets[0].malformed);
    EXPECT_EQ(reader.stats().malformed, 1u);
    EXPECT_EQ(reader.stats().snaplen_cut, 0u);
}

TEST_F(ReaderTest, MarksIpLengthBeyondWholeFrameMalformed) {
    Bytes frame = ethernet_data("abcdef");
    frame[14 + 3] += 10;  // IP total length claims 10 bytes that were never on the wire
    Reader reader(dir_.write("long.pcap", pcap_file(kLinkEthernet, {{frame}})));
    const std::vector<Packet> packets = read_all(reader);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_TRUE(packets[0].malformed);
    EXPECT_STREQ(packets[0].problem, "IP length exceeds the frame");
    EXPECT_EQ(reader.stats().malformed, 1u);
    EXPECT_EQ(reader.stats().snaplen_cut, 0u);
}

TEST_F(ReaderTest, RejectsMissingFile) {
    const std::string path = dir_.path("nope.pcap");
    EXPECT_EQ(open_error(path), "cannot open '" + path + "': No such file or directory");
}

TEST_F(ReaderTest, RejectsDirectory) {
    const std::string path = dir_.path("");
    EXPECT_EQ(open_error(path), "'" + path + "' is a directory, not a capture file");
}

TEST_F(ReaderTest, RejectsUnreadableFile) {
    const std::string path = dir_.write("secret.pcap", pcap_file(kLinkEthernet, {}));
    ASSERT_EQ(chmod(path.c_str(), 0), 0);
    // Root reads anything, so the check runs in a child that gives up its privileges.
    EXPECT_EXIT(
        {
            if (geteuid() == 0) {
                chmod(std::filesystem::path(path).parent_path().c_str(), 0755);
                if (setgid(65534) != 0 || setuid(65534) != 0) std::_Exit(3);
            }
            std::fputs(open_error(path).c_str(), stderr);
            std::_Exit(0);
        },
        ::testing::ExitedWithCode(0), "cannot open '.*secret.pcap': Permission denied");
}

TEST_F(ReaderTest, RejectsEmptyFile) {
    const std::string path = dir_.write("empty.pcap", {});
    EXPECT_EQ(open_error(path), "'" + path + "' is empty, not a capture file");
}

TEST_F(ReaderTest, RejectsNonCaptureFile) {
    const std::string text = "this is not a capture file, just some words\n";
    const std::string path = dir_.write("notes.txt", Bytes(text.begin(), text.end()));
    const std::string message = open_error(path);
    EXPECT_THAT(message, HasSubstr("'" + path + "' is not a pcap or pcapng capture file ("));
    EXPECT_EQ(message.back(), ')');
    EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST_F(ReaderTest, RejectsTinyFileAsNonCapture) {
    const std::string path = dir_.write("tiny", Bytes{0xd4, 0xc3});
    EXPECT_THAT(open_error(path), HasSubstr("is not a pcap or pcapng capture file (truncated"));
}

TEST_F(ReaderTest, RejectsUnsupportedLinkType) {
    const std::string path = dir_.write("wifi.pcap", pcap_file(105, {}));
    EXPECT_EQ(open_error(path),
              "'" + path +
                  "' has link type IEEE802_11 (802.11) (105), which sshpath cannot "
                  "decode (supported: Ethernet, Linux cooked v1/v2, raw IP, BSD "
                  "loopback)");
}

TEST_F(ReaderTest, ReadsStandardInput) {
    const std::string path =
        dir_.write("stdin.pcap", pcap_file(kLinkEthernet, {{ethernet_syn()}, {arp()}}));
    EXPECT_EXIT(
        {
            if (std::freopen(path.c_str(), "rb", stdin) == nullptr) std::_Exit(3);
            Reader reader("-");
            std::uint64_t n = 0;
            reader.for_each([&](const Packet&) { ++n; });
            std::_Exit(n == 2 && reader.stats().packets == 2 ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST_F(ReaderTest, RejectsEmptyStandardInput) {
    const std::string path = dir_.write("empty-stdin", {});
    EXPECT_EXIT(
        {
            if (std::freopen(path.c_str(), "rb", stdin) == nullptr) std::_Exit(3);
            std::fputs(open_error("-").c_str(), stderr);
            std::_Exit(0);
        },
        ::testing::ExitedWithCode(0), "^standard input is empty, not a capture file$");
}

TEST_F(ReaderTest, ReadsZeekSshCapture) {
    const std::string path = std::string(SSHPATH_PEER_TRACES) + "/zeek/basic/ssh.pcap";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not present";
    // From `tcpdump -nr ssh.pcap | wc -l`.
    constexpr std::uint64_t kTcpdumpCount = 1797;
    Reader reader(path);
    std::uint64_t count = 0, tcp = 0, other = 0;
    reader.for_each([&](const Packet& p) {
        ++count;
        EXPECT_EQ(p.number, count);
        EXPECT_EQ(p.ip_version, 4);
        if (p.transport == Transport::kTcp) ++tcp;
        if (p.transport == Transport::kUdp) ++other;
        if (p.number == 1) {
            // tcpdump: 192.168.1.79.51880 > 131.159.21.1.22: Flags [S], seq 2755953355, win 65535,
            // options [mss 1460,nop,wscale 3,nop,nop,TS val 301224352 ecr 0,sackOK,eol]
            EXPECT_EQ(p.src.to_string(), "192.168.1.79");
            EXPECT_EQ(p.dst.to_string(), "131.159.21.1");
            EXPECT_EQ(p.tcp.sport, 51880);
            EXPECT_EQ(p.tcp.flags, kSyn);
            EXPECT_EQ(p.tcp.seq, 2755953355u);
            EXPECT_EQ(p.tcp.window, 65535);
            EXPECT_EQ(p.tcp.options.mss, 1460);
            EXPECT_EQ(p.tcp.options.wscale, 3);
            EXPECT_TRUE(p.tcp.options.sack_permitted);
            EXPECT_EQ(p.tcp.options.ts_val, 301224352u);
            EXPECT_DOUBLE_EQ(p.time, 1324071333.493287);
        }
    });
    EXPECT_EQ(count, kTcpdumpCount);
    EXPECT_EQ(reader.stats().packets, kTcpdumpCount);
    EXPECT_EQ(reader.stats().malformed, 0u);
    EXPECT_FALSE(reader.stats().truncated);
    EXPECT_EQ(reader.stats().snaplen, 65535);
    EXPECT_EQ(other, 2u);  // tcpdump 'not tcp': two UDP broadcasts
    EXPECT_EQ(tcp, kTcpdumpCount - 2);
}

}  // namespace
}  // namespace sshpath::capture

// ---- The classic pcap reader against libpcap ----------------------------------------------
// Classic pcap files are read without libpcap; every record, time stamp and length, and the
// words for a file cut short, must be what libpcap itself gives.

namespace sshpath::capture {
namespace {

using test_util::pcapng_file;

struct Seen {
    std::uint64_t count = 0;
    std::vector<std::string> records;  // "time caplen wirelen" of each record
    std::string error;                 // the truncation message, if any
};

std::string record_text(double time, std::uint32_t caplen, std::uint32_t wirelen) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.6f %u %u", time, caplen, wirelen);
    return buf;
}

Seen with_libpcap(const std::string& path) {
    Seen s;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (p == nullptr) return s;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        ++s.count;
        s.records.push_back(record_text(static_cast<double>(h->ts.tv_sec) + static_cast<double>(h->ts.tv_usec) / 1e6,
                                        h->caplen, h->len));
    }
    if (rc == PCAP_ERROR) s.error = pcap_geterr(p);
    pcap_close(p);
    return s;
}

Seen with_reader(const std::string& path) {
    Seen s;
    Reader reader(path);
    reader.for_each([&](const Packet& p) {
        ++s.count;
        s.records.push_back(record_text(p.time, p.caplen, p.wirelen));
    });
    s.error = reader.stats().truncation_message;
    return s;
}

Bytes read_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    Bytes b;
    if (f == nullptr) return b;
    int c;
    while ((c = std::fgetc(f)) != EOF) b.push_back(static_cast<std::uint8_t>(c));
    std::fclose(f);
    return b;
}

// The same file in the other byte order.
Bytes byte_swapped(const Bytes& in) {
    Bytes out = in;
    auto swap32 = [&](std::size_t at) { std::reverse(out.begin() + at, out.begin() + at + 4); };
    auto swap16 = [&](std::size_t at) { std::reverse(out.begin() + at, out.begin() + at + 2); };
    swap32(0), swap16(4), swap16(6), swap32(8), swap32(12), swap32(16), swap32(20);
    for (std::size_t at = 24; at + 16 <= out.size();) {
        std::uint32_t caplen;
        std::memcpy(&caplen, in.data() + at + 8, 4);
        for (std::size_t f = 0; f < 16; f += 4) swap32(at + f);
        at += 16 + caplen;
    }
    return out;
}

TEST_F(ReaderTest, ClassicPcapReadsAsLibpcapDoes) {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(SSHPATH_SOURCE_DIR) + "/captures"))
        if (e.path().extension() == ".pcap") files.push_back(e.path().string());
    ASSERT_GT(files.size(), 10u);
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        const Seen want = with_libpcap(path), got = with_reader(path);
        EXPECT_EQ(got.count, want.count) << path;
        EXPECT_EQ(got.records, want.records) << path;
        // Cut inside the last record, inside the last record header, and in the file header.
        const Bytes whole = read_file(path);
        for (std::size_t cut : {whole.size() - 5, whole.size() - 60, std::size_t{30}}) {
            if (cut <= 24 || cut >= whole.size()) continue;
            const std::string cut_path = dir_.write("cut.pcap", Bytes(whole.begin(), whole.begin() + cut));
            const Seen w = with_libpcap(cut_path), g = with_reader(cut_path);
            EXPECT_EQ(g.records, w.records) << path << " cut at " << cut;
            EXPECT_EQ(g.error, w.error) << path << " cut at " << cut;
        }
    }
    // The other byte order.
    const std::string swapped = dir_.write("swapped.pcap", byte_swapped(read_file(files.front())));
    EXPECT_EQ(with_reader(swapped).records, with_libpcap(swapped).records);
    EXPECT_EQ(with_reader(swapped).records, with_libpcap(files.front()).records);
}

TEST_F(ReaderTest, ReadsRecordsAppendedAfterOpening) {
    // A file still being written (tcpdump -w): its block is sized by the file when opened, and
    // grows when later records do not fit in it.
    const Bytes syn = ethernet_syn(), big = ethernet_data(std::string(5000, 'z'));
    const Bytes whole = pcap_file(kLinkEthernet, {{syn}, {big}, {syn}, {big}}, 65535);
    const std::size_t first = 24 + 16 + syn.size();
    const std::string path = dir_.write("growing.pcap", Bytes(whole.begin(), whole.begin() + first));
    Reader reader(path);
    {
        std::FILE* f = std::fopen(path.c_str(), "ab");
        ASSERT_NE(f, nullptr);
        ASSERT_EQ(std::fwrite(whole.data() + first, 1, whole.size() - first, f), whole.size() - first);
        std::fclose(f);
    }
    const std::vector<Packet> packets = read_all(reader);
    ASSERT_EQ(packets.size(), 4u);
    EXPECT_EQ(packets[1].payload.size(), 5000u);
    EXPECT_EQ(packets[3].payload.size(), 5000u);
    EXPECT_EQ(reader.stats().packets, 4u);
}

TEST_F(ReaderTest, RecordLongerThanSnaplenIsCutAsLibpcapCutsIt) {
    const Bytes data = ethernet_data(std::string(200, 'y'));
    // A record claiming more captured bytes than the file's snapshot length (96).
    const std::string path = dir_.write("long.pcap", pcap_file(kLinkEthernet, {{data, 0, 1700000000, 1}, {ethernet_syn()}}, 96));
    const Seen want = with_libpcap(path), got = with_reader(path);
    ASSERT_EQ(want.count, 2u);
    EXPECT_EQ(got.records, want.records);
}

TEST_F(ReaderTest, ReadsPcapngFromAPipe) {
    // pcapng goes to libpcap, which must get the bytes already read to recognise the format
    // back: a pipe cannot seek.
    const std::string path = dir_.write("pipe.pcapng", pcapng_file(kLinkEthernet, {{ethernet_syn()}, {arp()}, {ethernet_syn()}}));
    std::FILE* pipe = popen(("cat '" + path + "'").c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::uint64_t n = 0;
    {
        // The Reader closes what it is given; a FILE from popen must be pclose()d, so hand it a dup.
        std::FILE* fp = fdopen(dup(fileno(pipe)), "rb");
        Reader reader(fp, "pipe");
        reader.for_each([&](const Packet&) { ++n; });
        EXPECT_EQ(reader.link_type(), kLinkEthernet);
    }
    pclose(pipe);
    EXPECT_EQ(n, 3u);
}

}  // namespace
}  // namespace sshpath::capture
