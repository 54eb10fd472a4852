#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sshpath/evidence/facts.h"
#include "sshpath/rules/rule.h"

namespace sshpath::rules {

/// A named threshold from rules/parameters.yaml, used in conditions as `param.NAME`.
struct Parameter {
    std::string name;
    double value = 0;
    std::string unit;
    std::string description;
};

/// The result of evaluating one rule against a fact set (for --explain).
struct RuleMatch {
    const Rule* rule = nullptr;
    /// Every fact and parameter the condition reads, with its value as text, in order of appearance.
    std::vector<std::pair<std::string, std::string>> inputs;
};

/// All rules of a directory: every *.yaml/*.yml file except parameters.yaml holds one rule;
/// parameters.yaml holds the thresholds.
class RuleSet {
public:
    /// Loads and validates a directory. Throws sshpath::RuleError ("file:line: problem") on a
    /// malformed file, an unknown key, fact or parameter, a type error in a condition, a value
    /// outside the contract, or a duplicate id.
    static RuleSet load(const std::filesystem::path& dir);

    const std::vector<Rule>& rules() const { return rules_; }
    const std::map<std::string, Parameter, std::less<>>& parameters() const { return parameters_; }
    std::filesystem::path directory() const { return dir_; }

    /// Enabled rules of the fact set's scope whose condition holds, best first: higher priority
    /// first, then the rule with more conditions (conjuncts), then id in alphabetical order.
    std::vector<RuleMatch> evaluate(const evidence::FactSet& facts) const;

    /// Replaces {fact} and {param.NAME} in a template with their values as text. Unknown names
    /// were rejected at load time.
    std::string render(const std::string& tmpl, const evidence::FactSet& facts) const;

private:
    std::filesystem::path dir_;
    std::vector<Rule> rules_;
    std::map<std::string, Parameter, std::less<>> parameters_;
};

}  // namespace sshpath::rules
