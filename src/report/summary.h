#pragma once
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "sshpath/report/report.h"

// A report of many attempts: the summary it opens with, for the writers of this stage.
namespace sshpath::report {

/// Whether the report shows the summary, the examples in full and the other attempts in one line.
bool summarised(const engine::Analysis& a, const ReportOptions& o);
/// Whether the i-th attempt is shown in full: always unless `brief`, else when it is one of the
/// examples (`next` walks Analysis::examples along; start it at 0 and ask in order).
bool in_full(const engine::Analysis& a, bool brief, std::size_t i, std::size_t& next);
/// The count after "Connections": "120", or in a summarised report how many are shown in full.
std::string connections_title(const engine::Analysis& a, bool brief);
/// Seconds since the epoch as "2026-01-01 00:00:03.123" (UTC), or with `iso` "2026-01-01T00:00:03.123Z".
std::string utc_time(double epoch, bool iso = false);
/// The summary section of the text report (or, with `markdown`, of the Markdown report).
void write_summary(std::ostream& os, const engine::Analysis& a, bool markdown);
/// The summary section of the HTML report.
void summary_html(std::string& out, const engine::Analysis& a);
/// The report's `summary` member.
nlohmann::ordered_json summary_json(const engine::Analysis& a);

}  // namespace sshpath::report
