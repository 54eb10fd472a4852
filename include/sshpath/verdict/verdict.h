#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sshpath/core/contract.h"
#include "sshpath/evidence/conversation.h"
#include "sshpath/facts/facts.h"
#include "sshpath/rules/rule_set.h"

/// Verdicts: the rules applied to facts. decide() turns a scope's facts into the contract's
/// verdict; rank() says how much a judged attempt weighs when one attempt answers for a capture.
namespace sshpath::verdict {

/// A packet cited by a verdict.
struct EvidenceItem {
    std::string file;        ///< capture it is in
    std::uint64_t packet = 0;
    double time = 0;         ///< seconds since the start of that capture
    std::string what;
    /// A pair of captures: the same packet in the other capture (peer_packet 0: it is not
    /// there); peer_file "" when the verdict reads one capture.
    std::string peer_file;
    std::uint64_t peer_packet = 0;
    double peer_time = 0;    ///< seconds since the start of the other capture
};

/// A rule that matched, for --explain: what it read and decided (self-contained, no pointer
/// into the rule set, so a judged attempt can be stored and read back).
struct MatchedRule {
    std::string rule;        ///< its id
    int priority = 0;
    contract::Cause cause = contract::Cause::kUnknown;
    std::string condition;
    std::vector<std::pair<std::string, std::string>> inputs;  ///< facts and parameters read, with their values
};

/// The contract's verdict: cause, component, candidates, confidence, summary, evidence, next
/// steps and the id of the rule that decided.
struct Verdict {
    contract::Cause cause = contract::Cause::kUnknown;
    contract::Component component = contract::Component::kUnknown;
    std::vector<contract::Component> candidates;
    contract::Confidence confidence = contract::Confidence::kLow;
    std::string summary;
    std::string explanation;
    std::vector<EvidenceItem> evidence;
    std::vector<std::string> next_steps;
    std::string rule;            ///< id of the deciding rule; "" when none matched
    int rule_priority = -1;      ///< its priority; -1 when none matched
    std::vector<MatchedRule> matched;  ///< with explain: every rule that matched, best first
    /// A pair of captures only: where the packets vanished.
    std::optional<contract::Segment> segment;
};

// Field lists for temporary files (sshpath/core/archive.h).
template <typename Ar>
void field(Ar& ar, EvidenceItem& e) {
    archive::fields(ar, e.file, e.packet, e.time, e.what, e.peer_file, e.peer_packet, e.peer_time);
}
template <typename Ar>
void field(Ar& ar, MatchedRule& m) {
    archive::fields(ar, m.rule, m.priority, m.cause, m.condition, m.inputs);
}
template <typename Ar>
void field(Ar& ar, Verdict& v) {
    archive::fields(ar, v.cause, v.component, v.candidates, v.confidence, v.summary, v.explanation, v.evidence,
                    v.next_steps, v.rule, v.rule_priority, v.matched, v.segment);
}

/// Applies the verdict rules of `scope` to the facts: the best matching rule decides. With no
/// matching rule the verdict is cause "unknown" with rule "". Evidence cites the observations of
/// the scope's own fact set, in `file`. `explain` also records every matching rule and its inputs.
Verdict decide(const rules::RuleSet& rules, const facts::Context& ctx, facts::Scope scope, const std::string& file,
               bool explain = false);

/// Applies the rules of scope pair to one attempt seen from both ends: the best matching rule
/// decides, either with a verdict of its own or, with `keep_verdict`, by keeping `client` (the
/// client capture's verdict for the attempt) and adding its segment, summary, evidence and next
/// steps. Evidence cites the pair facts' observations: packet numbers in `file` (the client's
/// capture) and in `peer_file` (the far capture). With no matching rule, `client` stands as it is.
Verdict decide_pair(const rules::RuleSet& rules, const facts::Context& ctx, const Verdict& client, const std::string& file,
                    const std::string& peer_file, bool explain = false);

/// A live capture may stop: the rule of scope live that said so.
struct StopDecision {
    std::string rule;     ///< its id
    std::string summary;  ///< its summary, rendered
};

/// Whether a live capture may stop because of this attempt (its verdict, flow facts and the
/// capture's facts) `age_s` seconds after its first packet: the best matching rule of scope
/// live decides; none, or one with `stop: false`, means go on.
std::optional<StopDecision> may_stop(const rules::RuleSet& rules, const Verdict& v, const facts::FactSet& flow,
                                     const facts::FactSet& capture, double age_s);

/// One judged connection: everything a report shows of it.
struct Attempt {
    std::string file;
    facts::FactSet facts{facts::Scope::kFlow};
    /// Fact sets of other scopes about this connection that its verdict read beside its own
    /// (e.g. scope cloud: exported cloud rules evaluated for its addresses); none by default.
    std::vector<facts::FactSet> beside;
    Verdict verdict;
    int rank = 0;                    ///< how much it weighs in choosing the capture's answer (rank())
    /// In a report of many attempts: shown in full when it answers for its cause and component
    /// (the ranking rule's `detail: full`), else in one line.
    bool example = true;
    evidence::Conversation conversation;
};

template <typename Ar>
void field(Ar& ar, Attempt& a) {
    archive::fields(ar, a.file, a.facts, a.beside, a.verdict, a.rank, a.example, a.conversation);
}

/// What the `attempt` rules say of a judged connection: its rank and how a report shows it.
struct Ranking {
    int rank = 0;         ///< the best matching rule's `rank`; 0 when none matches
    bool example = true;  ///< the best matching rule's `detail` is full (or none matches)
};

/// The ranking the `attempt` rules give a judged connection.
Ranking ranking(const rules::RuleSet& rules, const Verdict& v, const facts::FactSet& flow, const facts::FactSet& capture);

/// The rank the `attempt` rules give a judged connection (the best matching rule's `rank`; 0
/// when none matches). The attempt with the highest rank answers for the capture; among equals
/// the latest one.
int rank(const rules::RuleSet& rules, const Verdict& v, const facts::FactSet& flow, const facts::FactSet& capture);

}  // namespace sshpath::verdict
