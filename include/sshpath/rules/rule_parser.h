#pragma once
#include <string>
#include <string_view>

#include "sshpath/rules/rule.h"
#include "sshpath/rules/rule_set.h"

/// Parsing of single rule and parameter files from text, without the filesystem. RuleSet::load
/// reads the files and calls these; they are also the entry points for fuzzing.
namespace sshpath::rules {

/// Parses the text of parameters.yaml. An empty document means no parameters. Throws RuleError
/// ("file:line: problem") naming `file`.
ParameterMap parse_parameters(std::string_view text, const std::string& file);

/// Parses the text of one rule file and checks it against the fact catalogue, the contract and
/// `parameters`: keys, types, contract words, condition and templates. Throws RuleError naming
/// `file` and the line (and, for conditions and templates, the column) of the problem.
Rule parse_rule(std::string_view text, const std::string& file, const ParameterMap& parameters);

/// Fuzzing entry point: parses `yaml_text` as a parameters file and as a rule file (against a
/// small fixed parameter table), and when it is a valid rule evaluates its condition and renders
/// its templates on default facts. Throws only sshpath::Error (for bad input); anything else
/// escaping, a crash or a hang is a bug.
void fuzz_rule_text(std::string_view yaml_text);

}  // namespace sshpath::rules
