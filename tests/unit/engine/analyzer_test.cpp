// One capture's connections split over threads (analyze -j N with one file or standard input):
// each thread gets every packet and follows its share; the analysis is the one a single thread
// makes. And a capture's place given with its name (FILE@vm), on one thread or several.
#include "sshpath/engine/analyzer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "sshpath/capture/live.h"
#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"

namespace sshpath::engine {
namespace {

namespace fs = std::filesystem;

const fs::path kCaptures = fs::path(SSHPATH_SOURCE_DIR) / "captures";

const rules::RuleSet& bundled_rules() {
    static const rules::RuleSet rules = rules::RuleSet::load(std::string(SSHPATH_SOURCE_DIR) + "/rules");
    return rules;
}

// An attempt as text: its verdict and every flow fact, with the packets observed for them.
std::string described(const verdict::Attempt& a) {
    std::string out = a.file + " " + std::string(contract::name(a.verdict.cause)) + " " +
                      std::string(contract::name(a.verdict.component)) + " " + a.verdict.rule + " " + a.verdict.summary +
                      " rank " + std::to_string(a.rank) + " first " + std::to_string(a.conversation.first_packet) + "\n";
    for (const facts::Spec& spec : facts::facts_of(facts::Scope::kFlow)) out += std::string(spec.name) + "=" + a.facts.text(spec) + "\n";
    for (const verdict::EvidenceItem& e : a.verdict.evidence) out += "evidence " + std::to_string(e.packet) + " " + e.what + "\n";
    return out;
}

// Stored brief (a report of many), an attempt keeps what its one line shows, but for those that
// may be shown in full: the split keeps each thread's candidates whole, the examples among them.
std::string brief(const verdict::Attempt& a) {
    namespace F = facts::flow;
    return a.file + " " + a.verdict.rule + " " + a.verdict.summary + " " + a.facts.get(F::client) + " " + a.facts.get(F::server) +
           " " + std::to_string(a.facts.get(F::start_time)) + " " + a.facts.get(F::ssh_stage) + " " +
           std::to_string(a.conversation.first_packet);
}

void expect_same(const Analysis& one, const Analysis& split, bool stored_brief = false) {
    ASSERT_EQ(one.attempts.size(), split.attempts.size());
    EXPECT_EQ(one.verdict_attempt, split.verdict_attempt);
    EXPECT_EQ(one.examples, split.examples);
    for (std::size_t i = 0; i < one.attempts.size(); ++i) EXPECT_EQ(brief(one.attempts[i]), brief(split.attempts[i])) << i;
    for (std::size_t i = 0; i < one.attempts.size(); ++i) {
        if (!stored_brief || std::find(one.examples.begin(), one.examples.end(), i) != one.examples.end()) {
            EXPECT_EQ(described(one.attempts[i]), described(split.attempts[i])) << i;
        }
    }
    EXPECT_EQ(one.warnings, split.warnings);
    EXPECT_EQ(one.summary.all.attempts, split.summary.all.attempts);
    ASSERT_EQ(one.captures.size(), split.captures.size());
    for (const facts::Spec& spec : facts::facts_of(facts::Scope::kCapture))
        EXPECT_EQ(one.captures[0].facts.text(spec), split.captures[0].facts.text(spec)) << spec.name;
}

TEST(AnalyzeSplitTest, EveryBundledCaptureJudgedOnThreadsAsOnOne) {
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(kCaptures)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".pcap") continue;
        SCOPED_TRACE(name);
        for (const std::size_t brief_after : {static_cast<std::size_t>(-1), std::size_t{0}}) {
            AnalyzeOptions one;
            one.keep_in_memory = 0;  // judged into the temporary files, one per thread
            one.brief_after = brief_after;
            AnalyzeOptions split = one;
            split.jobs = 3;
            const Analysis a = analyze({entry.path().string()}, one, bundled_rules());
            const Analysis b = analyze({entry.path().string()}, split, bundled_rules());
            ASSERT_EQ(b.captures.size(), 1u);
            EXPECT_EQ(a.captures[0].shares, 1u);
            // MPTCP subflows join connections another share may hold: read again by one thread.
            EXPECT_EQ(b.captures[0].shares, name.starts_with("mptcp-") ? 1u : 3u);
            expect_same(a, b, brief_after == 0);
        }
        ++seen;
    }
    EXPECT_GT(seen, 30);
}

TEST(AnalyzeSplitTest, ManyFilesAreReadOneThreadEachNotSplit) {
    AnalyzeOptions options;
    options.jobs = 2;
    const Analysis a = analyze({(kCaptures / "edge-silent-drop.pcap").string(), (kCaptures / "edge-syn-reset.pcap").string(),
                                (kCaptures / "edge-icmp-reject.pcap").string()},
                               options, bundled_rules());
    ASSERT_EQ(a.captures.size(), 3u);
    for (const CaptureInfo& c : a.captures) EXPECT_EQ(c.shares, 1u);
}

TEST(AnalyzeSplitTest, TooManyConnectionsForOneTableAreReadAgainByOne) {
    // With at most one connection tracked at once, which ones are dropped depends on all of
    // them: the split cannot say, so the file is read again by one thread, as -j 1 reads it.
    AnalyzeOptions one;
    one.max_connections = 1;
    AnalyzeOptions split = one;
    split.jobs = 2;
    int again = 0;
    for (const auto& entry : fs::directory_iterator(kCaptures)) {
        if (entry.path().extension() != ".pcap") continue;
        SCOPED_TRACE(entry.path().filename().string());
        const Analysis a = analyze({entry.path().string()}, one, bundled_rules());
        const Analysis b = analyze({entry.path().string()}, split, bundled_rules());
        expect_same(a, b);
        again += b.captures[0].shares == 1;
    }
    EXPECT_GE(again, 2);
}

TEST(AnalyzeSplitTest, ACapturesPlaceIsAFactOnOneThreadOrMany) {
    // FILE@vm given to one capture: where it was taken, for the capture's rules (nothing of the
    // attempt reached the VM); the same file without it is read as the client's.
    const std::string vm = (kCaptures / "edge-syn-reset-with-control.vm.pcap").string();
    for (unsigned jobs : {1u, 2u}) {
        AnalyzeOptions options;
        options.jobs = jobs;
        const Analysis placed = analyze({vm + "@vm"}, options, bundled_rules());
        ASSERT_EQ(placed.captures.size(), 1u);
        EXPECT_EQ(placed.captures[0].shares, jobs);
        EXPECT_EQ(placed.captures[0].facts.get(facts::capture::capture_place), "vm");
        EXPECT_EQ(placed.verdict.rule, "no-attempt.nothing-reached-vm");
        const Analysis plain = analyze({vm}, options, bundled_rules());
        EXPECT_EQ(plain.captures[0].facts.get(facts::capture::capture_place), "");
        EXPECT_EQ(plain.verdict.rule, "no-attempt.other-traffic-only");
    }
    // Places are for one capture or the two ends of one attempt.
    EXPECT_THROW(analyze({vm + "@vm", vm + "@client", vm + "@middle"}, AnalyzeOptions{}, bundled_rules()), InputError);
}

// The whole analysis as text, for comparing two made in other processes.
std::string whole(const Analysis& a) {
    std::string out = "shares " + std::to_string(a.captures.empty() ? 0 : a.captures[0].shares) + " verdict " +
                      std::to_string(a.verdict_attempt) + "\n";
    for (std::size_t i = 0; i < a.attempts.size(); ++i) out += described(a.attempts[i]);
    for (const auto& w : a.warnings) out += "warning " + w + "\n";
    for (const CaptureInfo& c : a.captures)
        for (const facts::Spec& spec : facts::facts_of(facts::Scope::kCapture)) out += std::string(spec.name) + "=" + c.facts.text(spec) + "\n";
    return out;
}

// analyze({"-"}) with `options`, standard input being `file`, in a process of its own (standard
// input is read once); its analysis as text.
std::string from_standard_input(const fs::path& file, const AnalyzeOptions& options, const fs::path& out) {
    EXPECT_EXIT(
        {
            if (std::freopen(file.c_str(), "rb", stdin) == nullptr) std::_Exit(3);
            const std::string text = whole(analyze({"-"}, options, bundled_rules()));
            std::ofstream(out) << text;
            std::_Exit(0);
        },
        ::testing::ExitedWithCode(0), "");
    std::ifstream in(out);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AnalyzeSplitTest, StandardInputIsSplitOverThreadsAsAFileIs) {
    const fs::path dir = fs::temp_directory_path() / ("sshpath-split-stdin-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(kCaptures)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".pcap" || name.starts_with("mptcp-")) continue;
        SCOPED_TRACE(name);
        AnalyzeOptions one;
        one.keep_in_memory = 0;
        AnalyzeOptions split = one;
        split.jobs = 2;
        const std::string a = from_standard_input(entry.path(), one, dir / "one");
        const std::string b = from_standard_input(entry.path(), split, dir / "split");
        ASSERT_TRUE(a.starts_with("shares 1 ")) << a.substr(0, 40);
        ASSERT_TRUE(b.starts_with("shares 2 ")) << b.substr(0, 40);
        EXPECT_EQ(a.substr(a.find('\n')), b.substr(b.find('\n')));
        ++seen;
    }
    EXPECT_GT(seen, 30);
    // pcapng on standard input goes through libpcap: one thread reads it, as -j 1 does.
    {
        const fs::path ng = dir / "edge-silent-drop.pcapng";
        capture::Reader in((kCaptures / "edge-silent-drop.pcap").string());
        capture::DumpWriter out(ng.string(), capture::DumpFormat::kPcapng, in.link_type(), 262144, "eth0", "", "test");
        in.for_each_frame([&](const packet::Packet&, const capture::RawFrame& f) { out.add(f); });
        out.close(capture::LiveStats{}, "");
        AnalyzeOptions one, split;
        split.jobs = 2;
        const std::string a = from_standard_input(ng, one, dir / "ng-one");
        const std::string b = from_standard_input(ng, split, dir / "ng-split");
        EXPECT_TRUE(b.starts_with("shares 1 ")) << b.substr(0, 40);
        EXPECT_EQ(a, b);
        EXPECT_NE(a.find("silent-drop.syn-unanswered"), std::string::npos);
    }
    // Standard input cannot be read again: when the shares met a limit one table applies to all
    // of them, their answer is kept and the report says it may differ from one thread's.
    AnalyzeOptions tight;
    tight.max_connections = 1;
    tight.jobs = 2;
    const std::string c = from_standard_input(kCaptures / "mptcp-healthy.pcap", tight, dir / "tight");
    EXPECT_TRUE(c.starts_with("shares 2 ")) << c.substr(0, 40);
    EXPECT_NE(c.find("warning standard input: followed on 2 threads, the connections met a limit"), std::string::npos);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sshpath::engine
