#include "sshpath/verdict/verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <iterator>
#include <span>
#include <thread>
#include <stdexcept>

#include "sshpath/capture/decoder.h"
#include "sshpath/capture/reader.h"
#include "sshpath/evidence/extract.h"

namespace sshpath::verdict {

Verdict decide(const rules::RuleSet& rules, const evidence::FactSet& facts, const std::string& file) {
    Verdict v;
    v.matched = rules.evaluate(facts);
    if (v.matched.empty()) {
        v.summary = "no rule matched the evidence";
        return v;
    }
    const rules::Rule& r = *v.matched.front().rule;
    v.cause = r.cause;
    v.component = r.component;
    v.candidates = r.candidates;
    v.confidence = r.confidence;
    v.summary = rules.render(r.summary, facts);
    if (!r.explanation.empty()) v.explanation = rules.render(r.explanation, facts);
    for (const auto& step : r.next_steps) v.next_steps.push_back(rules.render(step, facts));
    v.rule = r.id;
    for (const auto& tag : r.evidence)
        for (const auto& o : facts.observations())
            if (o.tag == tag) v.evidence.push_back(EvidenceItem{file, o.packet, o.time, o.what});
    std::stable_sort(v.evidence.begin(), v.evidence.end(),
                     [](const EvidenceItem& a, const EvidenceItem& b) { return a.packet < b.packet; });
    return v;
}

int cause_weight(const std::string& cause) {
    if (cause == "ok") return 0;
    if (cause == "one-sided-capture" || cause == "unknown" || cause == "no-attempt") return 1;
    return 2;
}

Analyzer::Analyzer(AnalyzeOptions options, const rules::RuleSet& rules) : options_(std::move(options)), rules_(rules) {}

void Analyzer::begin_capture(const std::string& name, int link_type) {
    flow::FlowOptions fo;
    fo.ssh_port = static_cast<std::uint16_t>(options_.ssh_port);
    fo.host = options_.host_address;
    fo.host_name = options_.host;
    fo.max_flows = options_.max_connections;
    fo.spill_after = options_.keep_in_memory;
    table_.emplace(fo);
    current_ = CaptureInfo{};
    current_.file = name;
    current_.link_type = capture::link_type_name(link_type);
    first_packet_ = true;
    extra_facts_.clear();
    capture_end_ = 0;
}

void Analyzer::set_fact(const std::string& name, evidence::Value value) {
    if (!evidence::find_fact(name, evidence::Scope::kCapture) && !evidence::find_fact(name, evidence::Scope::kFlow))
        throw std::logic_error("unknown fact '" + name + "'");
    extra_facts_.emplace_back(name, std::move(value));
}

void Analyzer::add(const capture::Packet& p) {
    if (first_packet_) current_.start_time = current_.end_time = p.time, first_packet_ = false;
    current_.end_time = std::max(current_.end_time, p.time);
    table_->add(p);
}

namespace {

// One attempt's evidence and verdict.
FlowResult judge(flow::Flow&& f, const std::string& file, const evidence::CaptureContext& ctx,
                 const std::vector<std::pair<std::string, evidence::Value>>& extra_facts, const rules::RuleSet& rules) {
    FlowResult r;
    r.file = file;
    r.facts = evidence::extract_flow(f, ctx);
    for (const auto& [name, value] : extra_facts)
        if (evidence::find_fact(name, evidence::Scope::kFlow)) r.facts.set(name, value);
    r.verdict = decide(rules, r.facts, file);
    r.flow = std::move(f);
    return r;
}

// More was sent in the clear than the flow table keeps (README "Fuzzing and hostile input").
bool over_stream_cap(const flow::Flow& f) {
    const std::size_t cap = flow::FlowOptions{}.stream_cap;
    auto over = [&](const flow::Direction& d, const ssh::DirectionView& v) {
        return d.stream_capped && d.kept >= cap && !v.newkeys && !f.ssh.ssh1;
    };
    return over(f.c2s, f.ssh.client) || over(f.s2c, f.ssh.server);
}

}  // namespace

FlowResult SpilledFlows::load(std::size_t i) const { return judge(spill->get(i), file, context, extra_facts, *rules); }

void Analyzer::end_capture(const capture::ReadStats& stats) {
    CaptureInfo info = std::move(current_);
    info.stats = stats;
    if (!first_packet_ && capture_end_ > info.end_time) info.end_time = capture_end_;
    const std::string& file = info.file;
    std::deque<flow::Flow> flows = table_->finish();
    const std::shared_ptr<flow::FlowSpill> spill = table_->spill();
    const std::size_t attempts = spill ? spill->size() : flows.size();
    auto ctx = evidence::make_context(table_->synack_ttls(), info.start_time, info.end_time, options_.ssh_port);
    evidence::CaptureSummary summary{info.stats, info.link_type, attempts, table_->other_tcp_flows(), options_.host};
    info.facts = evidence::extract_capture(summary, ctx);
    for (const auto& [name, value] : extra_facts_)
        if (evidence::find_fact(name, evidence::Scope::kCapture)) info.facts.set(name, value);
    auto& warnings = analysis_.warnings;
    if (info.stats.truncated)
        warnings.push_back(fmt::format("{}: the capture ends in the middle of a packet ({}); the analysis covers the {} packets before it",
                                       file, info.stats.truncation_message, info.stats.packets));
    if (info.stats.malformed)
        warnings.push_back(fmt::format("{}: {} packets had inconsistent headers and were skipped in part", file, info.stats.malformed));
    if (info.stats.snaplen_cut)
        warnings.push_back(fmt::format("{}: the snap length cut the payload of {} packets; SSH details may be missing", file,
                                       info.stats.snaplen_cut));
    if (table_->flow_cap_hit())
        warnings.push_back(fmt::format("{}: too many connections (more than {}); later ones were not analysed "
                                       "(--max-connections raises the limit)",
                                       file, options_.max_connections));
    // The memory caps of the flow table (README "Fuzzing and hostile input").
    const flow::FlowOptions caps;
    if (table_->buffer_cap_hit())
        warnings.push_back(fmt::format("{}: the connections sent more than {} MiB in all; sshpath kept no more of it, so "
                                       "SSH details of later connections may be missing",
                                       file, caps.buffer_cap >> 20));
    std::size_t over_cap = 0;
    if (spill) {
        // Judged once here for the choice of the overall verdict; the report judges each again
        // as it reads it back.
        auto spilled = std::make_shared<SpilledFlows>();
        spilled->spill = spill;
        spilled->file = file;
        spilled->context = ctx;
        spilled->extra_facts = extra_facts_;
        spilled->rules = &rules_;
        for (std::size_t i = 0; i < spill->size(); ++i) {
            const FlowResult r = spilled->load(i);
            spilled->weights.push_back(static_cast<std::uint8_t>(cause_weight(r.verdict.cause)));
            if (over_stream_cap(r.flow)) ++over_cap;
        }
        analysis_.flows.append(std::move(spilled));
    } else {
        for (; !flows.empty(); flows.pop_front()) {
            if (over_stream_cap(flows.front())) ++over_cap;
            analysis_.flows.push_back(judge(std::move(flows.front()), file, ctx, extra_facts_, rules_));
        }
    }
    if (over_cap)
        warnings.push_back(fmt::format("{}: {} connection{} sent more than {} KiB in the clear (before any key exchange "
                                       "finished); sshpath kept only the first {} KiB of each direction",
                                       file, over_cap, over_cap == 1 ? "" : "s", caps.stream_cap >> 10,
                                       caps.stream_cap >> 10));
    analysis_.captures.push_back(std::move(info));
    table_.reset();
}

// ---- FlowList ----------------------------------------------------------------------------------

std::size_t FlowList::size() const {
    std::size_t n = 0;
    for (const auto& p : parts_) n += p.size();
    return n;
}

void FlowList::push_back(FlowResult r) {
    if (parts_.empty() || parts_.back().spilled) parts_.emplace_back();
    parts_.back().memory.push_back(std::move(r));
}

void FlowList::append(std::shared_ptr<const SpilledFlows> spilled) {
    Part p;
    p.spilled = std::move(spilled);
    parts_.push_back(std::move(p));
}

void FlowList::append(FlowList&& other) {
    std::move(other.parts_.begin(), other.parts_.end(), std::back_inserter(parts_));
    other.parts_.clear();
}

const FlowResult& FlowList::get(std::size_t i, FlowResult& scratch) const {
    for (const auto& p : parts_) {
        if (i < p.size()) {
            if (!p.spilled) return p.memory[i];
            scratch = p.spilled->load(i);
            return scratch;
        }
        i -= p.size();
    }
    throw std::out_of_range("FlowList: no connection at that index");
}

FlowResult FlowList::operator[](std::size_t i) const {
    FlowResult scratch;
    return get(i, scratch);
}

int FlowList::weight(std::size_t i) const {
    for (const auto& p : parts_) {
        if (i < p.size()) return p.spilled ? p.spilled->weights[i] : cause_weight(p.memory[i].verdict.cause);
        i -= p.size();
    }
    throw std::out_of_range("FlowList: no connection at that index");
}

const FlowResult& FlowList::const_iterator::operator*() const {
    if (loaded_ != i_) {
        if (!scratch_) scratch_ = std::make_shared<FlowResult>();
        current_ = &list_->get(i_, *scratch_);
        loaded_ = i_;
    }
    return *current_;
}

void choose_verdict(Analysis& a, const rules::RuleSet& rules) {
    a.verdict_flow = -1;
    int best = -1;
    for (std::size_t i = 0; i < a.flows.size(); ++i) {
        const int w = a.flows.weight(i);
        if (w >= best) best = w, a.verdict_flow = static_cast<int>(i);
    }
    if (a.verdict_flow >= 0) {
        FlowResult scratch;  // used only when the attempt has to be read back from the temporary file
        a.verdict = a.flows.get(static_cast<std::size_t>(a.verdict_flow), scratch).verdict;
    } else if (!a.captures.empty()) {
        const auto& c = a.captures.back();
        a.verdict = decide(rules, c.facts, c.file);
    }
}

Analysis Analyzer::take_results() { return std::move(analysis_); }

Analysis Analyzer::finish() {
    Analysis a = take_results();
    choose_verdict(a, rules_);
    return a;
}

namespace {

// One file read from start to end into an Analysis of its own (no overall verdict yet).
Analysis analyze_file(const std::string& file, const AnalyzeOptions& options, const rules::RuleSet& rules) {
    Analyzer analyzer(options, rules);
    capture::Reader reader(file, options.stop_reading);
    analyzer.begin_capture(file == "-" ? "standard input" : file, reader.link_type());
    reader.for_each([&](const capture::Packet& p) { analyzer.add(p); });
    analyzer.end_capture(reader.stats());
    return analyzer.take_results();
}

}  // namespace

Analysis analyze(const std::vector<std::string>& files, const AnalyzeOptions& options, const rules::RuleSet& rules) {
    if (files.empty()) return Analyzer(options, rules).finish();
    std::vector<Analysis> parts(files.size());
    std::vector<std::exception_ptr> errors(files.size());
    const unsigned workers = std::min<std::size_t>(std::max(options.jobs, 1u), files.size());
    if (workers <= 1) {
        for (std::size_t i = 0; i < files.size(); ++i) parts[i] = analyze_file(files[i], options, rules);
    } else {
        // Workers take files in the order given; after a failure no new file is started, and
        // every file before the failing one has already been taken, so the first error in that
        // order is always known.
        std::atomic<std::size_t> next{0};
        std::atomic<bool> failed{false};
        auto work = [&] {
            for (std::size_t i; !failed && (i = next++) < files.size();) {
                try {
                    parts[i] = analyze_file(files[i], options, rules);
                } catch (...) {
                    errors[i] = std::current_exception();
                    failed = true;
                }
            }
        };
        std::vector<std::thread> threads;
        for (unsigned t = 1; t < workers; ++t) threads.emplace_back(work);
        work();
        for (auto& t : threads) t.join();
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
    }
    // Each connection's result is moved once.
    Analysis all = std::move(parts.front());
    for (auto& part : std::span(parts).subspan(1)) {
        std::move(part.captures.begin(), part.captures.end(), std::back_inserter(all.captures));
        all.flows.append(std::move(part.flows));
        std::move(part.warnings.begin(), part.warnings.end(), std::back_inserter(all.warnings));
    }
    choose_verdict(all, rules);
    return all;
}

}  // namespace sshpath::verdict
