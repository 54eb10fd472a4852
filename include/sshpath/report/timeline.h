#pragma once
#include <string>

#include "sshpath/flow/flow.h"
#include "sshpath/report/json_writer.h"

namespace sshpath::report {

/// A timeline event in words, e.g. "SYN retransmitted (2nd), 2.003 s after the first".
std::string describe(const flow::TimelineEvent& e);

/// A timeline event's own fields for the JSON report (event, ttl, options, ...), beside
/// packet, time, from and what.
void event_fields(JsonWriter& j, const flow::TimelineEvent& e);

}  // namespace sshpath::report
