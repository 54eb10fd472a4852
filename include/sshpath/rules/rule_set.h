#pragma once
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sshpath/facts/facts.h"
#include "sshpath/rules/expression.h"
#include "sshpath/rules/rule.h"
#include "sshpath/rules/ssh_errors.h"

namespace sshpath::rules {

/// A named threshold from rules/parameters.yaml, used in conditions as `param.NAME`.
struct Parameter {
    std::string name;
    double value = 0;
    std::string unit;
    std::string description;
    int line = 0;  ///< line of its name in parameters.yaml
};

/// Parameters by name.
using ParameterMap = std::map<std::string, Parameter, std::less<>>;

/// What one component can do when it blocks (rules/components.yaml).
struct ComponentBehaviours {
    contract::Component component = contract::Component::kUnknown;
    std::string description;
    std::array<bool, kBehaviours.size()> can{};  ///< by Behaviour
    int line = 0;
};
/// Every component's behaviours; empty when the rule directory has no components.yaml (then no
/// candidate is ever dropped).
using ComponentTable = std::vector<ComponentBehaviours>;

/// The text of one rule or parameter file, and the name used for it in messages.
struct RuleSource {
    std::string file;
    std::string text;
};

/// The result of evaluating one rule against a fact set (for --explain).
struct RuleMatch {
    const Rule* rule = nullptr;
    /// Every fact and parameter the condition reads, with its value as text, in order of appearance.
    std::vector<std::pair<std::string, std::string>> inputs;
};

/// How one enabled rule fared on a fact set, matched or not (for --explain).
struct RuleTrace {
    const Rule* rule = nullptr;
    bool matched = false;
    std::vector<std::pair<std::string, std::string>> inputs;  ///< as in RuleMatch
    std::vector<ConjunctResult> conjuncts;  ///< each top-level `and` operand and whether it held
};

/// The file of a rule directory that holds the table of ssh's error lines, not a rule.
inline constexpr std::string_view kSshErrorsFile = "ssh-errors.yaml";

/// All rules of a directory: every *.yaml/*.yml file except parameters.yaml and ssh-errors.yaml
/// holds one rule; parameters.yaml holds the thresholds, ssh-errors.yaml the table of ssh's
/// error lines (ssh_errors.h).
class RuleSet {
public:
    RuleSet() = default;
    /// Moves keep the rules where they are (rules are found through pointers); copies would not.
    RuleSet(RuleSet&&) = default;
    RuleSet& operator=(RuleSet&&) = default;
    RuleSet(const RuleSet&) = delete;
    RuleSet& operator=(const RuleSet&) = delete;

    /// Loads and validates a directory. Throws sshpath::RuleError ("file:line: problem") on a
    /// malformed file, an unknown key, fact or parameter, a type error in a condition, a value
    /// outside the contract, or a duplicate id.
    ///
    /// The directory must exist and hold at least one rule file; files are read in file-name
    /// order, names starting with '.' are skipped, and parameters.yaml (or parameters.yml) holds
    /// the parameters (none when it is missing), ssh-errors.yaml the table of ssh's error lines
    /// (empty when it is missing). Problems with the directory itself are reported as
    /// "DIR:0: problem".
    static RuleSet load(const std::filesystem::path& dir);

    /// The same checks as load() on texts already in memory: rules in the order given, an
    /// optional parameters file. No filesystem access; `dir` is only recorded. An empty list of
    /// rules is allowed here.
    static RuleSet from_sources(const std::vector<RuleSource>& rule_files,
                                const std::optional<RuleSource>& parameters_file = std::nullopt,
                                std::filesystem::path dir = {},
                                const std::optional<RuleSource>& components_file = std::nullopt);

    /// Every rule, disabled ones included, in file-name order (for `sshpath rules list`).
    const std::vector<Rule>& rules() const { return rules_; }
    const std::map<std::string, Parameter, std::less<>>& parameters() const { return parameters_; }
    const ComponentTable& components() const { return components_; }
    std::filesystem::path directory() const { return dir_; }

    /// Enabled rules of `scope` whose condition holds on these facts, best first: higher
    /// priority first, then the rule with more conditions (conjuncts), then id in alphabetical
    /// order. Division by zero inside a condition makes that comparison false (see expression.h).
    std::vector<const Rule*> matching(const facts::Context& ctx, facts::Scope scope) const;
    /// The best of them, or nullptr.
    const Rule* best(const facts::Context& ctx, facts::Scope scope) const;

    /// matching() with the inputs each condition read (for --explain).
    std::vector<RuleMatch> evaluate(const facts::Context& ctx, facts::Scope scope) const;
    /// The same for one fact set of the rules' scope.
    std::vector<RuleMatch> evaluate(const facts::FactSet& facts) const { return evaluate(facts::Context(facts), facts.scope()); }

    /// Every enabled rule of `scope`, matched or not, in the order matching() uses (what
    /// `--explain` shows: which conjunct failed).
    std::vector<RuleTrace> trace(const facts::Context& ctx, facts::Scope scope) const;
    std::vector<RuleTrace> trace(const facts::FactSet& facts) const { return trace(facts::Context(facts), facts.scope()); }

    /// The table of ssh's error lines (empty when the directory has none).
    const SshErrorTable& ssh_errors() const { return ssh_errors_; }

    /// The rule with this id, or nullptr.
    const Rule* find(std::string_view id) const;

    /// Parameter values by name, as conditions and templates use them.
    const ParameterValues& parameter_values() const { return parameter_values_; }
    /// A parameter's value; throws std::logic_error when the rule directory does not define it.
    double parameter(std::string_view name) const;

private:
    std::filesystem::path dir_;
    std::vector<Rule> rules_;
    std::map<std::string, Parameter, std::less<>> parameters_;
    ParameterValues parameter_values_;
    ComponentTable components_;
    SshErrorTable ssh_errors_;
    /// Enabled rules of each scope, best first.
    std::array<std::vector<const Rule*>, facts::kScopeCount> by_scope_;
};

}  // namespace sshpath::rules
