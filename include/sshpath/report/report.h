#pragma once
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "sshpath/engine/analysis.h"
#include "sshpath/report/live.h"

namespace sshpath::report {

/// How many attempts a report shows in full (--detail).
enum class Detail : std::uint8_t {
    kAuto,      ///< every attempt in full up to kAllInFullMax attempts; beyond, as kDeciding
    kAll,       ///< every attempt in full
    kDeciding,  ///< a summary, the examples (Analysis::examples) in full, the others in one line
};
/// Up to this many attempts, a report (Detail::kAuto) shows every one in full.
inline constexpr std::size_t kAllInFullMax = 10;

struct ReportOptions {
    bool explain = false;      ///< list every matching rule and the facts its condition read
    Detail detail = Detail::kAuto;
    std::string version;       ///< sshpath's version, printed in headers
    /// `capture` and `run`: how the packets were captured, rendered after the rest (text and
    /// Markdown: a "Live capture" section; JSON: `capture_file` and `live`). Null otherwise.
    const LiveTrailer* live = nullptr;
    /// Text: the columns lines are wrapped to (quotes of packets excepted); 0 for no wrapping.
    std::size_t width = 80;
    /// Text: colour the verdict, the confidence and the evidence's packet numbers (ANSI escapes).
    bool colour = false;
};

/// The contract's JSON (schema_version 1): verdict, flows (each with its verdict, facts and
/// timeline), captures and warnings.
std::string render_json(const engine::Analysis& a, const ReportOptions& o);
/// The same, written to `os` one connection at a time (the whole report is never in memory).
void write_json(std::ostream& os, const engine::Analysis& a, const ReportOptions& o);
/// JSON Lines: one object per attempt per line (`"type": "attempt"`), then one summary object
/// (`"type": "summary"`: the verdict, the summary, captures, warnings), written as they come.
void write_jsonl(std::ostream& os, const engine::Analysis& a, const ReportOptions& o);
/// For a terminal: verdict and summary first, then evidence, next steps, per-connection timelines.
std::string render_text(const engine::Analysis& a, const ReportOptions& o);
/// The same, written to `os` one connection at a time.
void write_text(std::ostream& os, const engine::Analysis& a, const ReportOptions& o);
/// For a support case: everything taken from packets escaped, files named when there are
/// several, the rules that matched with `explain`.
std::string render_markdown(const engine::Analysis& a, const ReportOptions& o);
/// The same, written to `os` one connection at a time.
void write_markdown(std::ostream& os, const engine::Analysis& a, const ReportOptions& o);
/// One self-contained HTML page (inline CSS, no script, nothing fetched): the verdict, evidence,
/// next steps, warnings, an SVG ladder diagram of the deciding connection (and of up to 20
/// others) with the cited packets highlighted, every connection's timeline; readable printed.
std::string render_html(const engine::Analysis& a, const ReportOptions& o);
/// The report in `format` (text, json, jsonl, markdown or html).
std::string render(const engine::Analysis& a, const ReportOptions& o, const std::string& format);

}  // namespace sshpath::report
