#pragma once
#include <ostream>
#include <string>

#include "sshpath/engine/analysis.h"
#include "sshpath/report/live.h"

namespace sshpath::report {

struct ReportOptions {
    bool explain = false;      ///< list every matching rule and the facts its condition read
    std::string version;       ///< sshpath's version, printed in headers
    /// `capture` and `run`: how the packets were captured, rendered after the rest (text and
    /// Markdown: a "Live capture" section; JSON: `capture_file` and `live`). Null otherwise.
    const LiveTrailer* live = nullptr;
};

/// The contract's JSON (schema_version 1): verdict, flows (each with its verdict, facts and
/// timeline), captures and warnings.
std::string render_json(const engine::Analysis& a, const ReportOptions& o);
/// The same, written to `os` one connection at a time (the whole report is never in memory).
void write_json(std::ostream& os, const engine::Analysis& a, const ReportOptions& o);
/// For a terminal: verdict and summary first, then evidence, next steps, per-connection timelines.
std::string render_text(const engine::Analysis& a, const ReportOptions& o);
/// For a support case.
std::string render_markdown(const engine::Analysis& a, const ReportOptions& o);

}  // namespace sshpath::report
