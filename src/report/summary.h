#pragma once
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "sshpath/report/report.h"

// A report of many attempts: the summary it opens with, for the writers of this stage.
namespace sshpath::report {

/// Whether the report shows the summary, the examples in full and the other attempts in one line.
bool summarised(const engine::Analysis& a, const ReportOptions& o);
/// Seconds since the epoch as "2026-01-01 00:00:03.123" (UTC), or with `iso` "2026-01-01T00:00:03.123Z".
std::string utc_time(double epoch, bool iso = false);
/// The summary section of the text report (or, with `markdown`, of the Markdown report).
void write_summary(std::ostream& os, const engine::Analysis& a, bool markdown);
/// The report's `summary` member.
nlohmann::ordered_json summary_json(const engine::Analysis& a);

}  // namespace sshpath::report
