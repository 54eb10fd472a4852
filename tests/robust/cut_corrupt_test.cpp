// Truncated, corrupted and snap-length-cut captures through the whole analysis, in process
// (the CLI-level sample is tests/robust/cli_cuts.sh).
//
// For every capture in captures/:
//  - CutAtEveryOffset: the file cut at every byte offset. A cut inside the 24-byte file header is
//    an input error (one line); any later cut analyses the records before it, with the same verdict
//    as the capture that ends exactly there, and warns that the capture ends in the middle of a
//    packet. Captures over 64 KiB (2 KiB under the sanitizers): every offset in the file header
//    and each record header, the first and last bytes of each record's data and every 53rd
//    (211th) offset: inside a record's data libpcap behaves the same at every offset (it gets
//    fewer bytes than the record claims).
//  - RandomByteFlips: 200 variants with 1 to 8 bytes flipped (fixed seed), one in four also cut:
//    each ends in a result with contract words or a sshpath::Error with a one-line message.
//  - SnapLength68: every record cut to 68 bytes, as `tcpdump -s 68` writes them: the headers
//    still count, the payload cut is reported, and no identification string is invented.
// Every analysis must finish within kTimeBound.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "sshpath/core/contract.h"
#include "sshpath/core/error.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/engine/analyzer.h"

namespace sshpath::engine {
namespace {

namespace F = facts::flow;
using contract::Cause;

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

constexpr auto kTimeBound = std::chrono::seconds(10);
constexpr std::size_t kPcapHeader = 24;
constexpr std::size_t kRecordHeader = 16;
#if defined(__SANITIZE_ADDRESS__)
#define SSHPATH_ROBUST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SSHPATH_ROBUST_SANITIZED 1
#endif
#endif
#ifndef SSHPATH_ROBUST_SANITIZED
#define SSHPATH_ROBUST_SANITIZED 0
#endif
// Which offsets CutAtEveryOffset cuts at: every one in a capture up to kAllOffsets bytes; in a
// larger one, the file header, the first kRecordHead and last kRecordTail bytes of every record
// and every kStride-th offset. Under the sanitizers (a Debug build runs the analysis about 50
// times slower) fewer.
constexpr bool kSanitized = SSHPATH_ROBUST_SANITIZED;
constexpr std::size_t kAllOffsets = kSanitized ? 2 * 1024 : 64 * 1024;
constexpr std::size_t kRecordHead = kSanitized ? 18 : 24;
constexpr std::size_t kRecordTail = kSanitized ? 2 : 8;
constexpr std::size_t kStride = kSanitized ? 211 : 53;
constexpr int kFlipVariants = kSanitized ? 50 : 200;

std::vector<std::string> capture_names() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(fs::path(SSHPATH_SOURCE_DIR) / "captures", ec))
        if (e.path().extension() == ".pcap") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string s = info.param;
    for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return s;
}

Bytes read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::uint32_t u32(const Bytes& b, std::size_t off, bool big_endian) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{b[off + i]} << (big_endian ? 8 * (3 - i) : 8 * i);
    return v;
}

void put_u32(Bytes& b, std::size_t off, std::uint32_t v, bool big_endian) {
    for (int i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (big_endian ? 8 * (3 - i) : 8 * i));
}

/// A classic pcap file's record boundaries: ends[n] is the offset just after n whole records.
struct Layout {
    bool big_endian = false;
    std::vector<std::size_t> ends;
};

Layout layout_of(const Bytes& b) {
    Layout l;
    if (b.size() < kPcapHeader) return l;
    l.big_endian = b[0] == 0xa1;
    l.ends.push_back(kPcapHeader);
    std::size_t off = kPcapHeader;
    while (off + kRecordHeader <= b.size()) {
        const std::size_t end = off + kRecordHeader + u32(b, off + 8, l.big_endian);
        if (end > b.size()) break;
        l.ends.push_back(end);
        off = end;
    }
    return l;
}

/// The same capture with every record cut to `snap` bytes (caplen), its wire length kept.
Bytes resnap(const Bytes& b, std::uint32_t snap) {
    const Layout l = layout_of(b);
    Bytes out(b.begin(), b.begin() + kPcapHeader);
    put_u32(out, 16, snap, l.big_endian);
    for (std::size_t i = 0; i + 1 < l.ends.size(); ++i) {
        const std::size_t start = l.ends[i];
        const std::uint32_t caplen = u32(b, start + 8, l.big_endian);
        const std::uint32_t keep = std::min(caplen, snap);
        Bytes header(b.begin() + static_cast<std::ptrdiff_t>(start), b.begin() + static_cast<std::ptrdiff_t>(start + kRecordHeader));
        put_u32(header, 8, keep, l.big_endian);
        put_u32(header, 12, std::max(u32(b, start + 12, l.big_endian), caplen), l.big_endian);
        out.insert(out.end(), header.begin(), header.end());
        const auto data = b.begin() + static_cast<std::ptrdiff_t>(start + kRecordHeader);
        out.insert(out.end(), data, data + keep);
    }
    return out;
}

/// What an analysis ended in: a result, or the message of the sshpath::Error it threw.
struct Outcome {
    std::optional<Analysis> analysis;
    std::string error;
    std::chrono::duration<double> took{};
};

/// What must not change when a cut drops only a partial record: the verdicts.
std::string signature(const Analysis& a) {
    std::string s = std::string(contract::name(a.verdict.cause)) + "|" + std::string(contract::name(a.verdict.component)) +
                    "|" + std::string(contract::name(a.verdict.confidence)) + "|" + a.verdict.rule + "|" + a.verdict.summary +
                    "|flows " + std::to_string(a.attempts.size());
    for (const auto& c : contract::names(a.verdict.candidates)) s += "|" + c;
    for (const auto& f : a.attempts) s += "|" + f.verdict.rule + ":" + f.verdict.summary;
    return s;
}

bool has_warning(const Analysis& a, const std::string& text) {
    return std::any_of(a.warnings.begin(), a.warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

class RobustTest : public ::testing::TestWithParam<std::string> {
protected:
    static void SetUpTestSuite() {
        rules_ = new rules::RuleSet(rules::RuleSet::load(fs::path(SSHPATH_SOURCE_DIR) / "rules"));
    }
    static void TearDownTestSuite() {
        delete rules_;
        rules_ = nullptr;
    }

    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "sshpath-robust-XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        path_ = (dir_ / (GetParam() + ".pcap")).string();
        original_ = read_bytes(fs::path(SSHPATH_SOURCE_DIR) / "captures" / (GetParam() + ".pcap"));
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    void write(const Bytes& b) const {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
        ASSERT_TRUE(out.good());
    }
    void cut_to(std::size_t size) const { ASSERT_EQ(::truncate(path_.c_str(), static_cast<off_t>(size)), 0); }

    /// Runs the analysis on the file as it is now, as `sshpath analyze` does.
    Outcome analyze_file() const {
        Outcome o;
        const auto start = std::chrono::steady_clock::now();
        try {
            o.analysis = analyze({path_}, AnalyzeOptions{}, *rules_);
        } catch (const Error& e) {
            o.error = e.what();
            EXPECT_FALSE(o.error.empty());
            EXPECT_EQ(o.error.find('\n'), std::string::npos) << o.error;
        }
        o.took = std::chrono::steady_clock::now() - start;
        EXPECT_LT(o.took, kTimeBound);
        return o;
    }

    static rules::RuleSet* rules_;
    fs::path dir_;
    std::string path_;
    Bytes original_;
};

rules::RuleSet* RobustTest::rules_ = nullptr;

TEST_P(RobustTest, CutAtEveryOffset) {
    ASSERT_GE(original_.size(), kPcapHeader);
    const Layout l = layout_of(original_);
    ASSERT_EQ(l.ends.back(), original_.size()) << "the capture itself ends inside a record";
    const std::size_t records = l.ends.size() - 1;

    // The verdict of the first n records, from the capture cut exactly after them.
    std::vector<std::string> reference(records + 1);
    write(original_);
    for (std::size_t n = records + 1; n-- > 0;) {
        cut_to(l.ends[n]);
        Outcome o = analyze_file();
        ASSERT_TRUE(o.analysis) << "cut after " << n << " records: " << o.error;
        EXPECT_FALSE(o.analysis->captures.at(0).stats.truncated);
        EXPECT_EQ(o.analysis->captures.at(0).stats.packets, n);
        reference[n] = signature(*o.analysis);
    }

    // Which offsets to cut at: all of them for a small capture.
    std::vector<bool> chosen(original_.size(), original_.size() <= kAllOffsets);
    for (std::size_t k = 0; k <= kPcapHeader && k < chosen.size(); ++k) chosen[k] = true;
    for (std::size_t n = 0; n < records; ++n) {
        const std::size_t start = l.ends[n], end = l.ends[n + 1];
        for (std::size_t k = start; k < std::min(end, start + kRecordHead); ++k) chosen[k] = true;
        for (std::size_t k = std::max(start, end - std::min(end, kRecordTail)); k < end; ++k) chosen[k] = true;
    }
    for (std::size_t k = 0; k < chosen.size(); k += kStride) chosen[k] = true;

    write(original_);
    std::size_t cuts = 0;
    for (std::size_t k = original_.size(); k-- > 0;) {
        if (!chosen[k]) continue;
        cut_to(k);
        ++cuts;
        Outcome o = analyze_file();
        if (k < kPcapHeader) {
            ASSERT_FALSE(o.analysis) << "cut at " << k << " (inside the file header) was accepted";
            if (k == 0) { EXPECT_NE(o.error.find("is empty"), std::string::npos) << o.error; }
            continue;
        }
        ASSERT_TRUE(o.analysis) << "cut at " << k << ": " << o.error;
        // n whole records before the cut; the cut is at a record boundary or inside record n+1.
        const std::size_t n = static_cast<std::size_t>(std::upper_bound(l.ends.begin(), l.ends.end(), k) - l.ends.begin()) - 1;
        const bool boundary = l.ends[n] == k;
        const auto& stats = o.analysis->captures.at(0).stats;
        EXPECT_EQ(stats.packets, n) << "cut at " << k;
        EXPECT_EQ(stats.truncated, !boundary) << "cut at " << k;
        EXPECT_EQ(has_warning(*o.analysis, "ends in the middle of a packet"), !boundary) << "cut at " << k;
        EXPECT_EQ(signature(*o.analysis), reference[n]) << "cut at " << k << " (after " << n << " records)";
        if (HasFailure()) break;  // one offset's story is enough
    }
    RecordProperty("cuts", static_cast<int>(cuts));
}

TEST_P(RobustTest, RandomByteFlips) {
    // A fixed seed per capture: the same variants on every run.
    std::seed_seq seed(GetParam().begin(), GetParam().end());
    std::mt19937 rng(seed);
    int analysed = 0, rejected = 0;
    for (int v = 0; v < kFlipVariants; ++v) {
        Bytes b = original_;
        const int flips = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < flips; ++i) b[rng() % b.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
        if (v % 4 == 3) b.resize(rng() % (b.size() + 1));
        write(b);
        Outcome o = analyze_file();
        if (o.analysis) {
            ++analysed;
            EXPECT_TRUE(contract::is_cause(contract::name(o.analysis->verdict.cause)));
            EXPECT_TRUE(contract::is_component(contract::name(o.analysis->verdict.component)));
        } else {
            ++rejected;
        }
        if (HasFailure()) {
            ADD_FAILURE() << "variant " << v << " of " << GetParam();
            break;
        }
    }
    RecordProperty("analysed", analysed);
    RecordProperty("rejected", rejected);
}

TEST_P(RobustTest, SnapLength68) {
    const Bytes cut = resnap(original_, 68);
    write(cut);
    Outcome o = analyze_file();
    ASSERT_TRUE(o.analysis) << o.error;
    const Analysis& a = *o.analysis;
    const auto& stats = a.captures.at(0).stats;
    EXPECT_EQ(stats.packets, layout_of(original_).ends.size() - 1);
    EXPECT_FALSE(stats.truncated);
    bool any_cut = false;
    for (const auto& f : a.attempts) {
        // Nothing an identification string needs survives 68 bytes: none may appear.
        EXPECT_FALSE(f.facts.get(F::server_banner_seen)) << f.facts.get(F::client);
        EXPECT_FALSE(f.facts.get(F::client_banner_seen)) << f.facts.get(F::client);
        EXPECT_LE(f.facts.get(F::ssh_stage_rank), 2) << f.facts.get(F::ssh_stage);
        EXPECT_FALSE(f.facts.get(F::server_kexinit_seen));
        // A cut prefix ("SS", "HT") is no evidence of another protocol.
        if (f.facts.get(F::payload_cut)) {
            any_cut = true;
            EXPECT_EQ(f.facts.get(F::server_first_bytes), "");
            EXPECT_NE(f.verdict.cause, Cause::kNotSsh);
            EXPECT_NE(f.verdict.cause, Cause::kOk);
            if (f.verdict.cause == Cause::kClosedBeforeBanner) { EXPECT_FALSE(f.facts.get(F::server_data_seen)); }
        }
    }
    if (stats.snaplen_cut > 0) { EXPECT_TRUE(has_warning(a, "snap length cut the payload")) << stats.snaplen_cut; }
    if (any_cut) { EXPECT_GT(stats.snaplen_cut, 0u); }
}

INSTANTIATE_TEST_SUITE_P(Captures, RobustTest, ::testing::ValuesIn(capture_names()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RobustTest);

// The lab's healthy capture under `tcpdump -s 68`: the connection and its handshake are all
// there, the SSH conversation is not, and the report says why.
TEST(RobustSnapLength, HealthyCaptureAt68Bytes) {
    const fs::path src = fs::path(SSHPATH_SOURCE_DIR) / "captures" / "healthy.pcap";
    if (!fs::exists(src)) GTEST_SKIP() << "no captures/healthy.pcap";
    std::string tmpl = (fs::temp_directory_path() / "sshpath-robust-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    const fs::path path = fs::path(tmpl) / "healthy-s68.pcap";
    {
        const Bytes cut = resnap(read_bytes(src), 68);
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(cut.data()), static_cast<std::streamsize>(cut.size()));
    }
    const rules::RuleSet rules = rules::RuleSet::load(fs::path(SSHPATH_SOURCE_DIR) / "rules");
    const Analysis a = analyze({path.string()}, AnalyzeOptions{}, rules);
    std::error_code ec;
    fs::remove_all(tmpl, ec);
    ASSERT_EQ(a.attempts.size(), 1u);
    const auto& facts = a.attempts[0].facts;
    EXPECT_TRUE(facts.get(F::syn_seen));
    EXPECT_TRUE(facts.get(F::synack_seen));
    EXPECT_TRUE(facts.get(F::handshake_completed));
    EXPECT_TRUE(facts.get(F::server_data_seen));
    EXPECT_TRUE(facts.get(F::payload_cut));
    EXPECT_FALSE(facts.get(F::server_banner_seen));
    EXPECT_FALSE(facts.get(F::client_banner_seen));
    EXPECT_EQ(facts.get(F::ssh_stage), "handshake");
    EXPECT_EQ(a.verdict.cause, Cause::kUnknown);
    EXPECT_TRUE(has_warning(a, "snap length cut the payload"));
}

}  // namespace
}  // namespace sshpath::engine
