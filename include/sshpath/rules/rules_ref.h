#pragma once
#include <functional>
#include <future>

#include "sshpath/rules/rule_set.h"

namespace sshpath::rules {

/// A rule set loaded on a thread of its own while the caller goes on: reading a capture needs no
/// rule until its connections are judged, so the load (some tens of milliseconds for the bundled
/// rules, most of it in the YAML parser) runs beside the reading instead of before it.
class RulesLoading {
public:
    /// Starts `load` on a thread of its own.
    explicit RulesLoading(std::function<RuleSet()> load);
    /// Waits for the load; throws what it threw (each time it is asked).
    const RuleSet& get() const { return loaded_.get(); }
    /// Whether the load has ended in an error (without waiting for it).
    bool failed() const;

private:
    std::shared_future<RuleSet> loaded_;
};

/// The rules an analysis judges by: a set already loaded, or one still loading, waited for when
/// first needed. Holds neither: the set (or its loading) outlives the analysis.
class RulesRef {
public:
    RulesRef(const RuleSet& rules) : ready_(&rules) {}  // NOLINT: a loaded set is its own reference
    RulesRef(const RulesLoading& loading) : loading_(&loading) {}  // NOLINT: so is a loading one
    const RuleSet& get() const { return ready_ ? *ready_ : loading_->get(); }

private:
    const RuleSet* ready_ = nullptr;
    const RulesLoading* loading_ = nullptr;
};

}  // namespace sshpath::rules
