#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sshpath/evidence/facts.h"
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
                                std::filesystem::path dir = {});

    /// Every rule, disabled ones included, in file-name order (for `sshpath rules list`).
    const std::vector<Rule>& rules() const { return rules_; }
    const std::map<std::string, Parameter, std::less<>>& parameters() const { return parameters_; }
    std::filesystem::path directory() const { return dir_; }

    /// Enabled rules of the fact set's scope whose condition holds, best first: higher priority
    /// first, then the rule with more conditions (conjuncts), then id in alphabetical order.
    /// Division by zero inside a condition makes that comparison false (see expression.h).
    std::vector<RuleMatch> evaluate(const evidence::FactSet& facts) const;

    /// Every enabled rule of the fact set's scope, matched or not, in the order evaluate() uses
    /// (what `--explain` shows: which conjunct failed).
    std::vector<RuleTrace> trace(const evidence::FactSet& facts) const;

    /// The table of ssh's error lines (empty when the directory has none).
    const SshErrorTable& ssh_errors() const { return ssh_errors_; }

    /// The rule with this id, or nullptr.
    const Rule* find(std::string_view id) const;

    /// Parameter values by name, as conditions and templates use them.
    const ParameterValues& parameter_values() const { return parameter_values_; }

    /// Replaces {fact} and {param.NAME} in a template with their values as text. Unknown names
    /// were rejected at load time.
    std::string render(const std::string& tmpl, const evidence::FactSet& facts) const;

private:
    std::filesystem::path dir_;
    std::vector<Rule> rules_;
    std::map<std::string, Parameter, std::less<>> parameters_;
    ParameterValues parameter_values_;
    SshErrorTable ssh_errors_;
};

}  // namespace sshpath::rules
