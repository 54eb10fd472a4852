#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sshpath/evidence/facts.h"

namespace sshpath::rules {

class Expression;  // compiled condition, see expression.h

/// One rule file of rules/ (YAML). Keys and their meaning are documented in the README.
struct Rule {
    std::string id;           ///< stable, unique, never reused (e.g. "silent-drop.syn-unanswered")
    std::string title;
    std::string status;       ///< stable | experimental | disabled
    std::string disabled_reason;  ///< why, when status is disabled
    std::string description;
    evidence::Scope scope = evidence::Scope::kFlow;
    int priority = 0;         ///< higher wins when several rules match
    std::string cause;        ///< contract cause
    std::string component;    ///< contract component
    std::vector<std::string> candidates;
    std::string confidence;   ///< high | medium | low
    std::string condition_text;
    std::shared_ptr<const Expression> condition;
    std::string summary;      ///< template: {fact} and {param.name} are replaced
    std::string explanation;  ///< template, may span lines
    std::vector<std::string> evidence;    ///< fact names whose observations are cited
    std::vector<std::string> next_steps;  ///< templates
    std::vector<std::string> falsepositives;
    std::vector<std::string> references;
    std::string file;         ///< where it was loaded from
    int line = 0;             ///< line of the `id:` key

    /// Evaluated at all (status is not disabled).
    bool enabled() const { return status != "disabled"; }
};

}  // namespace sshpath::rules
