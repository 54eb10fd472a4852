#include "sshpath/rules/rules_ref.h"

#include <chrono>
#include <utility>

namespace sshpath::rules {

RulesLoading::RulesLoading(std::function<RuleSet()> load) : loaded_(std::async(std::launch::async, std::move(load)).share()) {}

bool RulesLoading::failed() const {
    if (loaded_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
    try {
        loaded_.get();
        return false;
    } catch (...) {
        return true;
    }
}

}  // namespace sshpath::rules
