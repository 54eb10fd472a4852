#pragma once
#include <string_view>

#include "sshpath/rules/rule.h"
#include "sshpath/rules/rule_set.h"

// rules/components.yaml: what each component does when it blocks (private to the rules stage).
namespace sshpath::rules {

/// Parses the text of components.yaml. Throws RuleError ("file:line: problem").
ComponentTable parse_components(std::string_view text, const std::string& file);

/// Keeps a rule's candidates that can show its behaviour. Throws RuleError when the rule names a
/// component that cannot, or when no candidate is left.
void apply_behaviour(Rule& rule, const ComponentTable& table);

}  // namespace sshpath::rules
