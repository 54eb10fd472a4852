#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/capture/reader.h"
#include "sshpath/evidence/extract.h"
#include "sshpath/evidence/facts.h"
#include "sshpath/flow/flow.h"
#include "sshpath/flow/spill.h"
#include "sshpath/rules/rule_set.h"

namespace sshpath::verdict {

/// A packet cited by a verdict.
struct EvidenceItem {
    std::string file;        ///< capture it is in
    std::uint64_t packet = 0;
    double time = 0;         ///< seconds since the start of that capture
    std::string what;
};

/// The contract's verdict: cause, component, candidates, confidence, summary, evidence,
/// next steps and the id of the rule that decided.
struct Verdict {
    std::string cause = "unknown";
    std::string component = "unknown";
    std::vector<std::string> candidates;
    std::string confidence = "low";
    std::string summary;
    std::string explanation;
    std::vector<EvidenceItem> evidence;
    std::vector<std::string> next_steps;
    std::string rule;
    std::vector<rules::RuleMatch> matched;   ///< every rule that matched, best first (--explain)
};

/// Applies the rules to a fact set: the best matching rule decides. With no matching rule the
/// verdict is cause "unknown" with rule "".
Verdict decide(const rules::RuleSet& rules, const evidence::FactSet& facts, const std::string& file);

/// One analysed connection.
struct FlowResult {
    std::string file;
    flow::Flow flow;
    evidence::FactSet facts{evidence::Scope::kFlow};
    Verdict verdict;
};

/// One capture file read.
struct CaptureInfo {
    std::string file;
    capture::ReadStats stats;
    std::string link_type;
    double start_time = 0, end_time = 0;
    evidence::FactSet facts{evidence::Scope::kCapture};
};

/// The attempts of one capture that went to a temporary file (flow::FlowSpill): each is read
/// back, its evidence extracted and the rules applied again whenever it is needed, so that only
/// one of them is in memory at a time. The results are those the attempt had in memory.
struct SpilledFlows {
    std::shared_ptr<flow::FlowSpill> spill;
    std::string file;
    evidence::CaptureContext context;
    std::vector<std::pair<std::string, evidence::Value>> extra_facts;
    const rules::RuleSet* rules = nullptr;
    std::vector<std::uint8_t> weights;   ///< cause_weight() of each attempt's verdict
    FlowResult load(std::size_t i) const;
};

/// The analysed connections in order: in memory, or, for captures with many attempts, read back
/// one at a time while iterating (the rules must outlive the list). Iterating yields
/// `const FlowResult&`, valid until the iterator moves.
class FlowList {
public:
    std::size_t size() const;
    bool empty() const { return size() == 0; }
    void push_back(FlowResult r);
    void append(std::shared_ptr<const SpilledFlows> spilled);
    void append(FlowList&& other);
    /// The i-th result: a reference into memory, or the attempt loaded into `scratch`.
    const FlowResult& get(std::size_t i, FlowResult& scratch) const;
    /// A copy of the i-th result.
    FlowResult operator[](std::size_t i) const;
    /// cause_weight() of the i-th result's verdict, without loading it.
    int weight(std::size_t i) const;

    class const_iterator {
    public:
        using value_type = FlowResult;
        using difference_type = std::ptrdiff_t;
        const_iterator() = default;
        const_iterator(const FlowList* list, std::size_t i) : list_(list), i_(i) {}
        const FlowResult& operator*() const;
        const FlowResult* operator->() const { return &**this; }
        const_iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }

    private:
        const FlowList* list_ = nullptr;
        std::size_t i_ = 0;
        mutable std::shared_ptr<FlowResult> scratch_;
        mutable const FlowResult* current_ = nullptr;
        mutable std::size_t loaded_ = static_cast<std::size_t>(-1);
    };
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size()}; }

private:
    struct Part {
        std::vector<FlowResult> memory;
        std::shared_ptr<const SpilledFlows> spilled;
        std::size_t size() const { return spilled ? spilled->weights.size() : memory.size(); }
    };
    std::vector<Part> parts_;
};

struct Analysis {
    std::vector<CaptureInfo> captures;
    FlowList flows;
    Verdict verdict;                 ///< the overall answer
    int verdict_flow = -1;           ///< index into flows of the attempt that decided, -1 capture-level
    std::vector<std::string> warnings;
};

struct AnalyzeOptions {
    int ssh_port = 22;
    std::string host;                ///< address or name, "" for any
    std::optional<capture::IpAddress> host_address;
    std::size_t max_connections = flow::FlowOptions{}.max_flows;  ///< connections tracked per capture
    unsigned jobs = 1;               ///< captures read at once by analyze() (each on its own thread)
    std::size_t keep_in_memory = flow::FlowOptions{}.spill_after;  ///< finished attempts per capture held in memory before they go to a temporary file
    /// analyze(): asked while the files are read; when it says so, reading stops where it is
    /// and the analysis covers what was read (capture::Reader's StopReading).
    capture::StopReading stop_reading;
};

/// Streaming analysis: packets of one or more captures in, an Analysis out. Used for files
/// (analyze()) and for live capture alike, so both decide with the same engine and rules.
class Analyzer {
public:
    Analyzer(AnalyzeOptions options, const rules::RuleSet& rules);
    /// Starts a capture (a file, or a live interface) named `name` with this link type.
    void begin_capture(const std::string& name, int link_type);
    void add(const capture::Packet& p);
    /// Ends the current capture: its connections are analysed and kept.
    void end_capture(const capture::ReadStats& stats);
    /// Adds a warning that belongs in the report (e.g. packets dropped by the kernel).
    void warn(std::string warning) { analysis_.warnings.push_back(std::move(warning)); }
    /// Sets a fact known from outside the packets (e.g. `sshpath run`: the ssh client's error
    /// line) on the current capture and, when the flow scope has a fact of that name, on every
    /// connection of it, before the rules decide. Call between begin_capture() and end_capture().
    /// Throws std::logic_error for a name that is in neither scope of the catalogue.
    void set_fact(const std::string& name, evidence::Value value);
    /// A live capture knows when it stopped: the current capture counts as lasting until `time`
    /// (seconds since the epoch) even when its last packet came earlier. Ignored without packets
    /// or when earlier than the last packet. Call before end_capture().
    void set_capture_end(double time) { capture_end_ = time; }
    /// Chooses the overall verdict and returns everything.
    Analysis finish();
    /// Returns everything so far without choosing the overall verdict (to merge with other
    /// analyses, then choose_verdict()).
    Analysis take_results();

private:
    AnalyzeOptions options_;
    const rules::RuleSet& rules_;
    Analysis analysis_;
    std::optional<flow::FlowTable> table_;
    CaptureInfo current_;
    bool first_packet_ = true;
    std::vector<std::pair<std::string, evidence::Value>> extra_facts_;
    double capture_end_ = 0;
};

/// Reads each capture file, reconstructs the connections, extracts the evidence and applies the
/// rules. With options.jobs > 1, up to that many files are read at once; the result is the same
/// as reading them one after the other. Throws InputError for the first capture (in the order
/// given) that cannot be read.
Analysis analyze(const std::vector<std::string>& files, const AnalyzeOptions& options, const rules::RuleSet& rules);

/// Sets the overall verdict of an analysis: the attempt that matters most (a failure before
/// anything else, then the most recent one), or the last capture's own verdict without attempts.
void choose_verdict(Analysis& a, const rules::RuleSet& rules);

/// How much a verdict weighs when choosing the overall answer: failures first.
int cause_weight(const std::string& cause);

}  // namespace sshpath::verdict
