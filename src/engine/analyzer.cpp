#include "sshpath/engine/analyzer.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <iterator>
#include <span>
#include <stdexcept>
#include <thread>

#include "sshpath/capture/link_name.h"
#include "sshpath/evidence/conversation.h"
#include "sshpath/evidence/extract.h"
#include "sshpath/core/error.h"
#include "sshpath/core/parallel.h"
#include "sshpath/flow/spill.h"

namespace sshpath::engine {

Analyzer::Analyzer(AnalyzeOptions options, rules::RulesRef rules) : options_(std::move(options)), rules_(rules) {}

void Analyzer::begin_capture(const std::string& name, int link_type, unsigned shares) {
    flow::FlowOptions fo;
    fo.ssh_port = static_cast<std::uint16_t>(options_.ssh_port);
    fo.host = options_.host_address;
    fo.client = options_.from_address;
    fo.host_name = options_.host;
    fo.max_flows = options_.max_connections;
    fo.spill_after = options_.keep_in_memory;
    fo.shares = std::max(shares, 1u);
    tables_.clear();
    for (fo.share = 0; fo.share < fo.shares; ++fo.share) tables_.push_back(std::make_unique<flow::FlowTable>(fo));
    current_ = CaptureInfo{};
    current_.file = name;
    current_.link_type = capture::link_type_name(link_type);
    first_packet_ = true;
    extra_facts_.clear();
    capture_end_ = 0;
}

void Analyzer::add_part(const std::string& name) {
    if (current_.parts.empty()) current_.parts.push_back(current_.file);
    current_.parts.push_back(name);
}

void Analyzer::add(const packet::Packet& p) {
    for (unsigned share = 0; share < tables_.size(); ++share) add_to_share(share, p);
}

void Analyzer::add_to_share(unsigned share, const packet::Packet& p) {
    if (share == 0) {
        if (first_packet_) current_.start_time = current_.end_time = p.time, first_packet_ = false;
        current_.end_time = std::max(current_.end_time, p.time);
    }
    tables_[share]->add(p);
}

bool Analyzer::split_exact() const {
    std::vector<const flow::FlowTable*> shares;
    for (const auto& t : tables_) shares.push_back(t.get());
    return flow::FlowTable::split_exact(shares);
}

namespace {

// More was sent in the clear than the flow table keeps (docs/fuzzing.md).
bool over_stream_cap(const flow::Flow& f, std::size_t cap) {
    auto over = [&](const flow::Direction& d, const ssh::DirectionView& v) {
        return d.stream_capped && d.kept >= cap && !v.newkeys && !f.ssh->ssh1;
    };
    return over(f.c2s, f.ssh->client) || over(f.s2c, f.ssh->server);
}

// What limited the reading of one capture, one sentence each.
void capture_warnings(const CaptureInfo& info, const flow::FlowTable& table, std::vector<std::string>& warnings) {
    const std::string& file = info.file;
    if (info.stats.truncated)
        warnings.push_back(fmt::format("{}: the capture ends in the middle of a packet ({}); the analysis covers the {} packets before it",
                                       file, info.stats.truncation_message, info.stats.packets));
    if (info.stats.malformed)
        warnings.push_back(fmt::format("{}: {} packets had inconsistent headers and were skipped in part", file, info.stats.malformed));
    if (info.stats.snaplen_cut)
        warnings.push_back(fmt::format("{}: the snap length cut the payload of {} packets; SSH details may be missing", file,
                                       info.stats.snaplen_cut));
    if (const flow::DuplicateStats& d = table.duplicates(); d.frames)
        warnings.push_back(fmt::format("{}: {} frame{} captured twice (a bridge and its port, -i any, a SPAN session); "
                                       "each packet was analysed once, not as a retransmission",
                                       file, d.frames, d.frames == 1 ? " was" : "s were"));
    if (table.flow_cap_hit())
        warnings.push_back(fmt::format("{}: too many connections (more than {}); later ones were not analysed "
                                       "(--max-connections raises the limit)",
                                       file, table.options().max_flows));
    if (table.buffer_cap_hit())
        warnings.push_back(fmt::format("{}: the connections sent more than {} MiB in all; sshpath kept no more of it, so "
                                       "SSH details of later connections may be missing",
                                       file, table.options().buffer_cap >> 20));
}

}  // namespace

Analyzer::Judged Analyzer::judge(flow::Flow& f, const evidence::CaptureContext& ctx, const CaptureInfo& info,
                                 const rules::RuleSet& rules) const {
    Judged j;
    j.over_cap = over_stream_cap(f, tables_.front()->options().stream_cap);
    j.client = f.client;
    verdict::Attempt& a = j.attempt;
    a.file = info.file;
    a.facts = evidence::extract_flow(f, ctx);
    facts::Context judged(a.facts);
    judged.add(info.facts);
    for (const auto& set : options_.context) judged.add(set);
    if (options_.flow_facts) a.beside = options_.flow_facts(a.facts);
    for (const auto& set : a.beside) judged.add(set);
    a.verdict = verdict::decide(rules, judged, facts::Scope::kFlow, info.file, options_.explain);
    const verdict::Ranking ranking = verdict::ranking(rules, a.verdict, a.facts, info.facts);
    a.rank = ranking.rank;
    a.example = ranking.example;
    a.conversation = evidence::conversation_of(std::move(f));
    return j;
}

void Analyzer::end_capture(const capture::ReadStats& stats) {
    const rules::RuleSet& rules = rules_.get();
    CaptureInfo info = std::move(current_);
    info.stats = stats;
    if (!first_packet_ && capture_end_ > info.end_time) info.end_time = capture_end_;
    // Each share's connections in order of their first packet; the shares' counts in the first.
    std::vector<flow::FinishedFlows> shares;
    std::size_t count = 0;
    for (const auto& t : tables_) {
        std::deque<flow::Flow> flows = t->finish();
        count += shares.emplace_back(std::move(flows), t->spill()).size();
    }
    flow::FlowTable& table = *tables_.front();
    for (const auto& t : std::span(tables_).subspan(1)) table.absorb(*t);
    auto ctx = evidence::make_context(table.synack_ttls(), info.start_time, info.end_time, options_.ssh_port);
    ctx.neighbours = &table.neighbours();
    ctx.port_answers = &table.port_answers();
    const evidence::CaptureSummary summary{info.stats,           info.link_type,         count,
                                           table.other_tcp_flows(), options_.host,          options_.from,
                                           table.other_traffic(),   table.duplicates(),     table.wire_stats()};
    info.facts = evidence::extract_capture(summary, ctx);
    for (const auto& [spec, value] : extra_facts_) info.facts.set(*spec, value);
    facts::Context capture_ctx(info.facts);
    for (const auto& set : options_.context) capture_ctx.add(set);
    info.verdict = verdict::decide(rules, capture_ctx, facts::Scope::kCapture, info.file, options_.explain);
    capture_warnings(info, table, analysis_.warnings);

    // Each attempt is judged once, here; beyond keep_in_memory they all go to temporary files,
    // one per share, each share's judged on a thread of its own.
    std::vector<std::shared_ptr<StoredAttempts>> stores;
    if (count > options_.keep_in_memory) {
        try {
            for (std::size_t k = 0; k < shares.size(); ++k) stores.push_back(std::make_shared<StoredAttempts>(count > options_.brief_after));
        } catch (const Error&) {
            stores.clear();  // no temporary file: all stay in memory
        }
    }
    const std::size_t over_cap = stores.size() > 1 ? judge_shares(shares, stores, ctx, info, rules)
                                                   : judge_in_order(shares, stores.empty() ? nullptr : stores.front(), ctx, info, rules);
    const std::size_t stream_cap = table.options().stream_cap;
    if (over_cap)
        analysis_.warnings.push_back(fmt::format("{}: {} connection{} sent more than {} KiB in the clear (before any key exchange "
                                                 "finished); sshpath kept only the first {} KiB of each direction",
                                                 info.file, over_cap, over_cap == 1 ? "" : "s", stream_cap >> 10,
                                                 stream_cap >> 10));
    info.attempts = count;
    info.shares = static_cast<unsigned>(tables_.size());
    analysis_.captures.push_back(std::move(info));
    tables_.clear();
}

std::size_t Analyzer::judge_in_order(std::vector<flow::FinishedFlows>& shares, const std::shared_ptr<StoredAttempts>& stored,
                                     const evidence::CaptureContext& ctx, const CaptureInfo& info, const rules::RuleSet& rules) {
    std::size_t over_cap = 0;
    for (;;) {
        // The share whose next connection has the earliest first packet: one table's order.
        flow::FinishedFlows* next = &shares.front();
        for (auto& share : std::span(shares).subspan(1))
            if (const flow::Flow* f = share.peek(); f && (!next->peek() || f->first.packet < next->peek()->first.packet))
                next = &share;
        flow::Flow* f = next->peek();
        if (!f) break;
        Judged j = judge(*f, ctx, info, rules);
        next->pop();
        if (j.over_cap) ++over_cap;
        j.count_in(analysis_.summary, info);
        if (stored)
            stored->put(std::move(j.attempt));
        else
            analysis_.attempts.push_back(std::move(j.attempt));
    }
    if (stored) analysis_.attempts.append(stored);
    return over_cap;
}

std::size_t Analyzer::judge_shares(std::vector<flow::FinishedFlows>& shares, const std::vector<std::shared_ptr<StoredAttempts>>& stores,
                                   const evidence::CaptureContext& ctx, const CaptureInfo& info, const rules::RuleSet& rules) {
    // Each thread its own connections, summary and store: nothing written is shared.
    struct Judging {
        AttemptSummary summary;
        std::size_t over_cap = 0;
        std::vector<std::uint64_t> first;  ///< each attempt's first packet, in the store's order
    };
    std::vector<Judging> out(shares.size());
    parallel_for(shares.size(), static_cast<unsigned>(shares.size()), [&](std::size_t k) {
        Judging& o = out[k];
        while (flow::Flow* f = shares[k].peek()) {
            o.first.push_back(f->first.packet);
            Judged j = judge(*f, ctx, info, rules);
            shares[k].pop();
            if (j.over_cap) ++o.over_cap;
            j.count_in(o.summary, info);
            stores[k]->put(std::move(j.attempt));
        }
    });
    // The attempts in order of their first packet, as one table gives them.
    std::size_t count = 0, over_cap = 0;
    for (const Judging& o : out) {
        count += o.first.size();
        over_cap += o.over_cap;
        analysis_.summary.merge(o.summary);
    }
    std::vector<std::uint64_t> order;
    order.reserve(count);
    std::vector<std::size_t> at(out.size(), 0);
    while (order.size() < count) {
        std::size_t k = out.size();
        for (std::size_t s = 0; s < out.size(); ++s)
            if (at[s] < out[s].first.size() && (k == out.size() || out[s].first[at[s]] < out[k].first[at[k]])) k = s;
        order.push_back(std::uint64_t{k} << AttemptList::kStoreShift | at[k]++);
    }
    analysis_.attempts.append(std::vector<std::shared_ptr<const StoredAttempts>>(stores.begin(), stores.end()), std::move(order));
    return over_cap;
}

Analysis Analyzer::take_results() { return std::move(analysis_); }

Analysis Analyzer::finish() {
    Analysis a = take_results();
    choose_verdict(a);
    return a;
}

namespace {

// A ring buffer's parts (tcpdump -C, -W or -G, dumpcap -b, editcap -c) are files that continue
// one another: named alike but for their digits, each starts at most kPartGap after the one
// before ended (never before), on the same link type, and the one before was not cut short. They
// are read as one capture, so that a connection that spans two parts is followed across them
// (read apart, each part sees half of it and judges it wrongly). Captures of the same time (both
// ends of an attempt), captures named otherwise and captures taken apart stay apart.
constexpr double kPartGap = 1.0;

// The name without its digits: "ring_00002_20261205101500.pcap" and "ring_00003_...", "dump"
// and "dump1" (tcpdump -C names the first part without a number) are alike.
std::string without_digits(std::string_view name) {
    std::string out;
    for (char c : name)
        if (c < '0' || c > '9') out += c;
    return out;
}

// Names compared with their digit runs as numbers: "dump2" < "dump10", "a_00002" < "a_00010".
bool natural_less(std::string_view a, std::string_view b) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && digit(a[ie])) ++ie;
            while (je < b.size() && digit(b[je])) ++je;
            std::string_view x = a.substr(i, ie - i), y = b.substr(j, je - j);
            x.remove_prefix(std::min(x.find_first_not_of('0'), x.size()));
            y.remove_prefix(std::min(y.find_first_not_of('0'), y.size()));
            if (x.size() != y.size()) return x.size() < y.size();
            if (x != y) return x < y;
            i = ie, j = je;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i, ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

// Runs of files in the order given that may be parts of one capture (their indices): named alike.
// Standard input is read once: never a part. Places given (FILE@vm): two captures.
std::vector<std::vector<std::size_t>> runs_of(const std::vector<std::string>& files, bool given) {
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (i > 0 && !given && files[i] != "-" && files[i - 1] != "-" && without_digits(files[i]) == without_digits(files[i - 1]))
            out.back().push_back(i);
        else
            out.push_back({i});
    }
    // In the order of their numbers: a shell's glob puts tcpdump -C's "dump10" before "dump2".
    // Not for two files, which may be the two ends of an attempt, taken in the order given.
    if (files.size() > 2)
        for (auto& run : out)
            std::stable_sort(run.begin(), run.end(), [&](std::size_t a, std::size_t b) { return natural_less(files[a], files[b]); });
    return out;
}

std::string display_name(const std::string& file) { return file == "-" ? "standard input" : file; }

// The reading statistics of a capture's next part (or its only file) added to the capture's.
void add_part_stats(capture::ReadStats& all, const capture::ReadStats& r) {
    all.packets = r.packets;
    all.malformed += r.malformed;
    all.snaplen_cut += r.snaplen_cut;
    all.cut_caplen = std::max(all.cut_caplen, r.cut_caplen);
    all.link_type = r.link_type;
    all.snaplen = std::max(all.snaplen, r.snaplen);
    all.truncated = r.truncated;
    all.truncation_message = r.truncation_message;
    all.stopped = r.stopped;
}

// A run of files read in order into an Analysis of its own (no overall verdict yet): one capture
// per file, except that a file that continues the one before (see kPartGap) goes on the same
// capture, its packets numbered on from the last part's. `log_of(i)` is where each TCP segment
// of files[i] is also kept for pairing (or nullptr). Once reading was told to stop (`stopped`,
// shared by every run), files not yet begun are not opened: the report covers what was read.
// `opened`, when given, is the run's first file already opened (standard input, whose first
// bytes were read to see whether it could be split); `places[i]` is where files[i] was taken, as
// given (FILE@vm), or "".
template <class LogOf>
Analysis analyze_run(const std::vector<std::string>& files, std::span<const std::size_t> run, const AnalyzeOptions& options,
                     rules::RulesRef rules, LogOf log_of, const std::vector<std::string>& places, std::atomic<bool>& stopped,
                     std::unique_ptr<capture::Reader> opened = nullptr) {
    Analyzer analyzer(options, rules);
    capture::ReadStats all;
    bool open = false;
    for (const std::size_t i : run) {
        const std::string& file = files[i];
        if (stopped) {
            analyzer.warn(fmt::format("{}: not read: reading had been stopped before it began", display_name(file)));
            continue;
        }
        std::unique_ptr<capture::Reader> owned =
            opened ? std::move(opened) : std::make_unique<capture::Reader>(file, options.stop_reading);
        capture::Reader& reader = *owned;
        if (options.rewrite_for) reader.set_rewrite(options.rewrite_for(file));
        const std::optional<double> first = open ? reader.first_time() : std::nullopt;
        const std::optional<double> last = analyzer.latest_time();
        const bool part = first && last && !all.truncated && all.link_type == reader.link_type() &&
                          *first >= *last && *first - *last <= kPartGap;
        if (part) {
            analyzer.add_part(file);
            reader.continue_numbering(all.packets);
        } else {
            if (open) analyzer.end_capture(all);
            analyzer.begin_capture(display_name(file), reader.link_type());
            if (!places[i].empty()) analyzer.set_fact(facts::capture::capture_place, places[i]);
            all = capture::ReadStats{};
            open = true;
        }
        pair::PacketLog* log = log_of(i);
        reader.for_each([&](const packet::Packet& p) {
            analyzer.add(p);
            if (log) log->add(p);
        });
        add_part_stats(all, reader.stats());
        if (reader.stats().stopped) stopped = true;
    }
    if (open) analyzer.end_capture(all);
    return analyzer.take_results();
}

// One capture whose connections are split over `shares` threads, `reader` being the capture
// opened. A classic pcap file or stream is read once and handed whole to every thread
// (capture::SharedRead); a file in another format is opened by each thread. Each thread decodes
// every packet and follows the connections of its share, so that the threads share nothing until
// the capture's end. Nothing when the shares did not come out as one table's would
// (FlowTable::split_exact): the file is then to be read by one thread; standard input, which
// cannot be read again, keeps the shares' answer and says so. Nothing either, `reader` left
// unread, when standard input is in a format that only one thread can read.
std::optional<Analysis> analyze_split(const std::string& file, const std::string& place, std::unique_ptr<capture::Reader>& reader,
                                      unsigned shares, const AnalyzeOptions& options, rules::RulesRef rules, std::atomic<bool>& stopped) {
    const bool once = file == "-";
    if (once && !reader->shareable()) return std::nullopt;
    Analyzer analyzer(options, rules);
    analyzer.begin_capture(display_name(file), reader->link_type(), shares);
    if (!place.empty()) analyzer.set_fact(facts::capture::capture_place, place);
    capture::ReadStats read;
    if (reader->shareable()) {
        capture::SharedRead shared(*reader, shares);
        parallel_for(shares, shares, [&](std::size_t k) {
            shared.for_each(static_cast<unsigned>(k), [&](const packet::Packet& p) { analyzer.add_to_share(static_cast<unsigned>(k), p); });
        });
        read = shared.stats();
    } else {
        std::vector<std::unique_ptr<capture::Reader>> readers;
        readers.push_back(std::move(reader));
        for (unsigned k = 1; k < shares; ++k) readers.push_back(std::make_unique<capture::Reader>(file, options.stop_reading));
        parallel_for(shares, shares, [&](std::size_t k) {
            readers[k]->for_each([&](const packet::Packet& p) { analyzer.add_to_share(static_cast<unsigned>(k), p); });
        });
        read = readers.front()->stats();
        for (const auto& r : readers) read.stopped = read.stopped || r->stats().stopped;
    }
    reader.reset();
    // Told to stop, each share stopped where it was: what was read is the answer.
    if (!read.stopped && !analyzer.split_exact()) {
        if (!once) return std::nullopt;
        analyzer.warn(fmt::format("{}: followed on {} threads, the connections met a limit that one thread applies to all of "
                                  "them together (more than --max-connections at once, or MPTCP subflows); this report may "
                                  "differ from that of -j 1",
                                  display_name(file), shares));
    }
    capture::ReadStats all;
    add_part_stats(all, read);
    if (read.stopped) stopped = true;
    analyzer.end_capture(all);
    return analyzer.take_results();
}

// Whether a run of files is one capture that more than one thread may read: one file or standard
// input, not rewritten as it is read, nor kept for pairing.
bool splittable(const std::vector<std::string>& files, std::span<const std::size_t> run, const AnalyzeOptions& options,
                bool logged) {
    if (run.size() != 1 || logged || options.rewrite_for) return false;
    std::error_code ec;
    return files[run.front()] == "-" || std::filesystem::is_regular_file(files[run.front()], ec);
}

// One capture of a pair: its attempts [from, to) of the whole analysis.
pair::Side side_of(const Analysis& all, std::size_t capture, std::size_t from, std::size_t to, const pair::PacketLog& log) {
    pair::Side s;
    s.file = all.captures[capture].file;
    s.log = &log;
    s.capture_verdict = all.captures[capture].verdict;
    for (std::size_t i = from; i < to; ++i) {
        s.attempts.push_back(all.attempts[i]);
        s.attempt_index.push_back(static_cast<int>(i));
    }
    const int best = best_attempt(all.attempts, from, to);
    s.deciding = best < 0 ? -1 : best - static_cast<int>(from);
    return s;
}

// Two captures of one attempt, one on each end: the pair's verdict answers. Left as one case
// when their places say they are no pair (both the client's, both the far end's).
void judge_pair(Analysis& all, std::size_t first_attempts, const std::vector<pair::CaptureArg>& args,
                const std::vector<pair::PacketLog>& logs, const AnalyzeOptions& options, const rules::RuleSet& rules) {
    const auto found_a = pair::find_vantage(logs[0], pair::connections_of(logs[0]));
    const auto found_b = pair::find_vantage(logs[1], pair::connections_of(logs[1]));
    const auto places = pair::place(args[0].given, found_a, args[1].given, found_b);
    if (!places) return;
    const std::size_t n = all.attempts.size();
    pair::Side a = side_of(all, 0, 0, first_attempts, logs[0]);
    pair::Side b = side_of(all, 1, first_attempts, n, logs[1]);
    auto result = std::make_shared<pair::PairAnalysis>(
        pair::judge(places->swapped ? b : a, places->swapped ? a : b, *places, rules, options.flow_facts, options.explain));
    const pair::PairedAttempt& answer = result->attempts.at(static_cast<std::size_t>(result->verdict_attempt));
    all.verdict = answer.verdict;
    all.verdict_attempt = answer.client_attempt;
    all.pair = std::move(result);
    choose_examples(all);
}

}  // namespace

Analysis analyze(const std::vector<std::string>& names, const AnalyzeOptions& options, rules::RulesRef rules) {
    std::vector<pair::CaptureArg> args;
    std::vector<std::string> files, places;
    bool given = false;
    for (const auto& name : names) {
        args.push_back(pair::parse_capture_arg(name));
        files.push_back(args.back().file);
        places.emplace_back(args.back().given ? pair::vantage_name(*args.back().given) : "");
        given = given || args.back().given.has_value();
    }
    if (given && files.size() > 2)
        throw InputError("a capture's place (FILE@client, FILE@vm, FILE@middle) is for one capture, or two captures of one attempt, "
                         "one on each end");
    if (files.empty()) return Analyzer(options, rules).finish();
    // Two captures may be one attempt seen from both ends: keep their segments for pairing.
    std::vector<pair::PacketLog> logs(files.size() == 2 ? 2 : 0);
    auto log_of = [&](std::size_t i) { return logs.empty() ? nullptr : &logs[i]; };
    const std::vector<std::vector<std::size_t>> runs = runs_of(files, given);
    std::vector<Analysis> parts(runs.size());
    std::atomic<bool> stopped{false};
    // Runs are taken in the order given; after a failure no new run is started, and every run
    // before the failing one has already been taken, so the first error in that order is known.
    const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(std::max(options.jobs, 1u), runs.size()));
    // One run (one capture): its connections may be split over the threads instead.
    const unsigned shares = runs.size() == 1 ? std::max(options.jobs, 1u) : 1;
    parallel_for(runs.size(), workers, [&](std::size_t i) {
        std::unique_ptr<capture::Reader> opened;
        if (shares > 1 && splittable(files, runs[i], options, log_of(runs[i].front()) != nullptr)) {
            const std::string& file = files[runs[i].front()];
            opened = std::make_unique<capture::Reader>(file, options.stop_reading);
            if (auto split = analyze_split(file, places[runs[i].front()], opened, shares, options, rules, stopped)) {
                parts[i] = std::move(*split);
                return;
            }
        }
        parts[i] = analyze_run(files, runs[i], options, rules, log_of, places, stopped, std::move(opened));
    });
    // Each attempt is moved once.
    const std::size_t first_attempts = parts.front().captures.empty() ? 0 : parts.front().captures.front().attempts;
    Analysis all = std::move(parts.front());
    for (auto& part : std::span(parts).subspan(1)) {
        std::move(part.captures.begin(), part.captures.end(), std::back_inserter(all.captures));
        all.attempts.append(std::move(part.attempts));
        all.summary.merge(part.summary);
        std::move(part.warnings.begin(), part.warnings.end(), std::back_inserter(all.warnings));
    }
    choose_verdict(all);
    if (!logs.empty() && all.captures.size() == 2) judge_pair(all, first_attempts, args, logs, options, rules.get());
    return all;
}

}  // namespace sshpath::engine
