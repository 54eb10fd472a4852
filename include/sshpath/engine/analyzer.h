#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/packet/packet.h"
#include "sshpath/capture/reader.h"
#include "sshpath/engine/analysis.h"
#include "sshpath/evidence/extract.h"
#include "sshpath/flow/flow.h"
#include "sshpath/flow/spill.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/rules/rules_ref.h"

/// The pipeline: packets in, judged attempts and a verdict out, for files and live captures alike.
namespace sshpath::engine {

/// Facts from outside the packets, for one connection: e.g. exported cloud rules evaluated for the
/// connection's addresses (scope cloud). Given the flow's facts, returns fact sets of other scopes
/// that its rules read (as SCOPE.NAME) beside the flow's own.
using FlowFactSource = std::function<std::vector<facts::FactSet>(const facts::FactSet& flow)>;

struct AnalyzeOptions {
    int ssh_port = 22;
    std::string host;                ///< address or name, "" for any
    std::optional<packet::IpAddress> host_address;
    std::string from;                ///< --from: only attempts from this client address, as given ("" for any)
    std::optional<packet::IpAddress> from_address;
    std::size_t max_connections = flow::FlowOptions{}.max_flows;  ///< connections tracked per capture
    /// analyze(): threads to read with. Several files: up to this many read at once, each on a
    /// thread of its own. One file: its connections split over this many threads (each reads
    /// every packet and follows its share of the connections; see Analyzer::begin_capture).
    unsigned jobs = 1;
    std::size_t keep_in_memory = flow::FlowOptions{}.spill_after;  ///< judged attempts per capture held in memory before they go to a temporary file
    bool explain = false;            ///< record every matching rule and its inputs (--explain)
    /// A capture with more attempts than this that go to the temporary file stores them brief
    /// (StoredAttempts): the report shows all but a few in one line (--detail). Never by default.
    std::size_t brief_after = static_cast<std::size_t>(-1);
    /// Fact sets of other scopes that every verdict reads beside the packets' (e.g. scope client:
    /// `sshpath check`'s findings on the client computer).
    std::vector<facts::FactSet> context;
    /// Facts of other scopes per connection (e.g. scope cloud); none when empty.
    FlowFactSource flow_facts;
    /// analyze(): asked while the files are read; when it says so, reading stops where it is
    /// and the analysis covers what was read (capture::Reader's StopReading).
    capture::StopReading stop_reading;
    /// analyze(): the rewriter for each file's frames (e.g. --anonymize), or null for none.
    std::function<capture::RewriteFrame(const std::string& file)> rewrite_for;
};

/// Streaming analysis: packets of one or more captures in, an Analysis out. Used for files
/// (analyze()) and for live capture alike, so both decide with the same engine and rules.
class Analyzer {
public:
    /// `rules` may still be loading: they are first needed when a capture ends.
    Analyzer(AnalyzeOptions options, rules::RulesRef rules);
    /// Starts a capture (a file, or a live interface) named `name` with this link type. With
    /// `shares` > 1 its connections are split by a hash of their addresses over that many flow
    /// tables, each given every packet (add_to_share(), one thread each); split_exact() then
    /// says whether they came out as one table's would.
    void begin_capture(const std::string& name, int link_type, unsigned shares = 1);
    /// The current capture goes on in another file (a ring buffer's next part): named among its
    /// parts. Its packets follow with add(), numbered on from the last part's.
    void add_part(const std::string& name);
    /// A packet of the current capture (to every share's table).
    void add(const packet::Packet& p);
    /// A packet of the current capture to one share's table. Every packet goes to every share;
    /// each share may be given its packets on a thread of its own, no two at once for one share.
    void add_to_share(unsigned share, const packet::Packet& p);
    /// Whether the current capture's shares followed their connections exactly as one table
    /// would (flow::FlowTable::split_exact); always true without shares. Call after reading.
    bool split_exact() const;
    /// The latest time stamp of the current capture's packets so far, if it has any.
    std::optional<double> latest_time() const {
        return first_packet_ ? std::nullopt : std::optional<double>(current_.end_time);
    }
    /// Ends the current capture: its connections are judged, each once, and kept.
    void end_capture(const capture::ReadStats& stats);
    /// Adds a warning that belongs in the report (e.g. packets dropped by the kernel).
    void warn(std::string warning) { analysis_.warnings.push_back(std::move(warning)); }
    /// A fact set of another scope for every verdict of the captures ended from now on (as
    /// AnalyzeOptions::context): `sshpath run` gives the client's facts once the capture ends.
    void add_context(facts::FactSet facts) { options_.context.push_back(std::move(facts)); }
    /// Sets a capture fact known from outside the packets (e.g. `sshpath run`: the ssh client's
    /// error line; flow rules read it as capture.NAME). Call between begin_capture() and
    /// end_capture(). The id is typed: a fact of another scope or a value of another type does
    /// not compile.
    template <class T>
    void set_fact(facts::Id<facts::Scope::kCapture, T> id, std::type_identity_t<T> value) {
        extra_facts_.emplace_back(&id.spec(), facts::Value(std::move(value)));
    }
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
    rules::RulesRef rules_;
    Analysis analysis_;
    /// The current capture's flow tables: one, or one per share (each its own allocation, so
    /// that threads filling them do not write to the same cache lines).
    std::vector<std::unique_ptr<flow::FlowTable>> tables_;
    CaptureInfo current_;
    bool first_packet_ = true;
    std::vector<std::pair<const facts::Spec*, facts::Value>> extra_facts_;
    double capture_end_ = 0;

    /// One connection judged: its attempt, and what the capture's summary and warnings count.
    struct Judged {
        verdict::Attempt attempt;
        packet::IpAddress client;
        bool over_cap = false;  ///< more sent in the clear than the flow table keeps
        /// Counts the attempt in a capture's summary (by verdict, server and client network).
        void count_in(AttemptSummary& summary, const CaptureInfo& info) const {
            summary.add(attempt.verdict.cause, attempt.verdict.component, attempt.facts.get(facts::flow::server), client,
                        info.start_time + attempt.facts.get(facts::flow::start_time));
        }
    };
    Judged judge(flow::Flow& f, const evidence::CaptureContext& ctx, const CaptureInfo& info, const rules::RuleSet& rules) const;
    /// Judges the shares' connections in order of their first packet, into `stored` (or memory
    /// when null); returns how many sent more in the clear than the flow table keeps.
    std::size_t judge_in_order(std::vector<flow::FinishedFlows>& shares, const std::shared_ptr<StoredAttempts>& stored,
                               const evidence::CaptureContext& ctx, const CaptureInfo& info, const rules::RuleSet& rules);
    /// The same, each share on a thread of its own into its own store; the attempts then
    /// follow one another in order of their first packet, as judge_in_order() puts them.
    std::size_t judge_shares(std::vector<flow::FinishedFlows>& shares, const std::vector<std::shared_ptr<StoredAttempts>>& stores,
                             const evidence::CaptureContext& ctx, const CaptureInfo& info, const rules::RuleSet& rules);
};

/// Reads each capture file, reconstructs the connections, extracts the evidence and applies the
/// rules. With options.jobs > 1, up to that many files are read at once; the result is the same
/// as reading them one after the other. Throws InputError for the first capture (in the order
/// given) that cannot be read.
///
/// Two captures may be one attempt seen from both ends (docs/pair.md): a name may carry its place
/// (FILE@client, FILE@vm, FILE@middle), otherwise the packets tell it. When one is the client's
/// and the other the far end's, Analysis::pair holds their pairing and its verdict answers.
/// Throws InputError for places given with other than two captures, or places that cannot be.
/// `rules` may still be loading (the command line loads them beside the reading): they are waited
/// for when the first capture ends.
Analysis analyze(const std::vector<std::string>& files, const AnalyzeOptions& options, rules::RulesRef rules);

}  // namespace sshpath::engine
