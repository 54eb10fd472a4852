#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sshpath/report/live.h"

// The live trailer's pieces, for the writers of this stage.
namespace sshpath::report {

/// The "Live capture" section's rows: name, value.
std::vector<std::pair<std::string, std::string>> live_rows(const LiveTrailer& t);
/// The "Live capture" section (text, or Markdown with `markdown`).
std::string live_section(const LiveTrailer& t, bool markdown);
/// The report's `live` member.
nlohmann::ordered_json live_json(const LiveTrailer& t);

}  // namespace sshpath::report
