#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/core/contract.h"
#include "sshpath/facts/facts.h"
#include "sshpath/rules/text_template.h"

namespace sshpath::rules {

class Expression;  // compiled condition, see expression.h

enum class Status : std::uint8_t { kStable, kExperimental, kDisabled };
std::string_view status_name(Status s);  ///< "stable", "experimental", "disabled"

/// What a rule of a scope decides when it wins.
enum class Yields : std::uint8_t {
    kVerdict,  ///< flow, capture, probe, client, pair: a verdict of the contract
    kRank,     ///< attempt: how much the attempt weighs when one answers for the capture
    kStop,     ///< live: whether a live capture may stop now
};
Yields yields(facts::Scope scope);

/// How a component showed that it blocked: what a rule saw on the wire (rules/components.yaml).
enum class Behaviour : std::uint8_t { kSilentDrop, kReset, kIcmp, kProtocolReply };
inline constexpr std::array<std::string_view, 4> kBehaviours = {"silent-drop", "reset", "icmp", "protocol-reply"};

/// One rule file of rules/ (YAML). Keys and their meaning are documented in docs/rules.md.
struct Rule {
    std::string id;           ///< stable, unique, never reused (e.g. "silent-drop.syn-unanswered")
    std::string title;
    Status status = Status::kStable;
    std::string disabled_reason;  ///< why, when status is disabled
    std::string description;
    facts::Scope scope = facts::Scope::kFlow;
    int priority = 0;         ///< higher wins when several rules match
    // Yields::kVerdict
    contract::Cause cause = contract::Cause::kUnknown;
    contract::Component component = contract::Component::kUnknown;
    std::vector<contract::Component> candidates;  ///< after components.yaml kept those that can show `behaviour`
    contract::Confidence confidence = contract::Confidence::kLow;
    std::optional<Behaviour> behaviour;       ///< what the rule saw the blocking component do
    int behaviour_line = 0;
    /// Scope pair: where the packets vanished (required there, absent elsewhere).
    std::optional<contract::Segment> segment;
    /// Scope pair: the client capture's own verdict for the attempt stands; the rule adds the
    /// segment, its summary (after the kept one), evidence and next steps.
    bool keep_verdict = false;
    // Yields::kRank
    int rank = 0;
    /// `detail: full` (the default) or `line`: in a report of many attempts, whether the attempt
    /// that answers for its cause and component among those this rule ranks is shown in full
    /// (an example) or, like the others, in one line.
    bool detail_full = true;
    // Yields::kStop
    bool stop = false;
    std::shared_ptr<const Expression> condition;
    Template summary;         ///< {fact} and {param.name} are replaced
    Template explanation;     ///< may span lines
    std::vector<const facts::Spec*> evidence;  ///< facts whose observations are cited
    std::vector<Template> next_steps;
    std::vector<std::string> falsepositives;
    std::vector<std::string> references;
    std::string file;         ///< where it was loaded from
    int line = 0;             ///< line of the `id:` key

    /// Evaluated at all (status is not disabled).
    bool enabled() const { return status != Status::kDisabled; }
};

}  // namespace sshpath::rules
