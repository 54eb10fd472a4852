#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/capture/reader.h"
#include "sshpath/evidence/facts.h"
#include "sshpath/flow/flow.h"
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

struct Analysis {
    std::vector<CaptureInfo> captures;
    std::vector<FlowResult> flows;
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
