#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "sshpath/rules/rule_set.h"

/// Rule fixtures (as Sigma and suricata-verify test their rules): for each rule, fact sets it must
/// decide and fact sets on which its condition must not hold, in rules/tests/<anything>.yaml:
///
/// ```yaml
/// rule: silent-drop.syn-unanswered
/// decides:                      # this rule must be the one that wins (so no rule shadows it)
///   - name: seven SYNs, nothing came back
///     flow: {syn_seen: true, syn_count: 7}
///     capture: {packets: 7}     # facts of any scope the rule reads; the rest keep their defaults
/// rejects:                      # this rule's condition must not hold
///   - name: a SYN-ACK came back
///     flow: {syn_seen: true, syn_count: 2, synack_seen: true}
/// ```
namespace sshpath::rules {

struct FixtureResult {
    std::string rule;
    std::string file;
    int line = 0;
    std::string name;
    bool decides = true;     ///< a `decides` fixture (else `rejects`)
    bool passed = false;
    std::string problem;     ///< why it failed, e.g. "decided by port-closed.rst-to-syn"
};

struct FixtureReport {
    std::vector<FixtureResult> results;
    /// Enabled rules without at least one `decides` and one `rejects` fixture, with what is missing.
    std::vector<std::string> uncovered;
    bool passed() const;
};

/// Reads every *.yaml file of `dir` and checks its fixtures against `rules`. Throws RuleError
/// ("file:line: problem", exit status 2) for a malformed fixture file: an unknown rule, scope or
/// fact, a value of the wrong type.
FixtureReport test_rules(const RuleSet& rules, const std::filesystem::path& dir);

}  // namespace sshpath::rules
