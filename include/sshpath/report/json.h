#pragma once
#include <nlohmann/json.hpp>

#include "sshpath/verdict/verdict.h"

namespace sshpath::report {

/// Seconds rounded to milliseconds, as every JSON time is written.
double round3(double t);

/// A fact's value as JSON (reals rounded to milliseconds).
nlohmann::ordered_json fact_json(const facts::Value& v);

/// A verdict in the contract's JSON shape (cause, component, candidates, confidence, summary,
/// evidence, next_steps, rule, explanation; matched_rules with `explain`; evidence[].file with `with_file`;
/// for a pair of captures, segment and evidence[].peer: the same packet in the other capture).
nlohmann::ordered_json verdict_to_json(const verdict::Verdict& v, bool explain = false, bool with_file = false);

}  // namespace sshpath::report
