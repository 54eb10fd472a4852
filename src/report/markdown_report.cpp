#include <fmt/format.h>

#include <sstream>

#include "live_trailer.h"
#include "pair_report.h"
#include "report_util.h"
#include "summary.h"
#include "sshpath/report/report.h"
#include "sshpath/report/timeline.h"

namespace sshpath::report {

namespace {

namespace F = facts::flow;
using contract::name;

// Every rule that matched, best first, and the facts its condition read.
void explain_table(std::string& out, const verdict::Verdict& v) {
    if (v.matched.empty()) return;
    out += "| rule | priority | cause | facts read |\n|---|---:|---|---|\n";
    for (const auto& m : v.matched) {
        std::string inputs;
        for (const auto& [fact, value] : m.inputs)
            inputs += fmt::format("{}{}={}", inputs.empty() ? "" : " ", fact, value.empty() ? "\"\"" : value);
        out += fmt::format("| {}{} | {} | `{}` | {} |\n", &m == &v.matched.front() ? "**decided:** " : "", md_text(m.rule),
                           m.priority, name(m.cause), md_text(inputs));
    }
    out += "\n";
}

void verdict_part(std::string& out, const engine::Analysis& a, const ReportOptions& o) {
    const auto& v = a.verdict;
    const bool many = a.captures.size() > 1;
    out += "## Verdict\n\n";
    out += "| | |\n|---|---|\n";
    out += fmt::format("| cause | `{}` |\n| component | `{}` |\n", name(v.cause), name(v.component));
    if (v.segment) out += fmt::format("| segment | `{}` |\n", name(*v.segment));
    if (v.component == contract::Component::kUnknown) out += fmt::format("| candidates | `{}` |\n", candidates_text(v, "`, `"));
    out += fmt::format("| confidence | {} |\n| rule | {} |\n\n", name(v.confidence), v.rule.empty() ? "(none)" : md_text(v.rule));
    out += fmt::format("**{}**\n\n", md_text(v.summary));
    if (!v.explanation.empty()) out += md_text(v.explanation) + "\n\n";
    if (!v.evidence.empty() && a.pair) {
        out += "## Evidence\n\n| client packet | time (s) | far packet | time (s) | what |\n|---:|---:|---:|---:|---|\n";
        for (const auto& e : v.evidence)
            out += fmt::format("| {} | {} | {} | {} | {} |\n", e.packet ? std::to_string(e.packet) : "-",
                               e.packet ? fmt::format("{:.3f}", e.time) : "", e.peer_packet ? std::to_string(e.peer_packet) : "-",
                               e.peer_packet ? fmt::format("{:.3f}", e.peer_time) : "", md_text(e.what));
        out += "\n";
    } else if (!v.evidence.empty()) {
        out += many ? "## Evidence\n\n| capture | packet | time (s) | what |\n|---|---:|---:|---|\n"
                    : "## Evidence\n\n| packet | time (s) | what |\n|---:|---:|---|\n";
        for (const auto& e : v.evidence)
            out += fmt::format("| {}{} | {:.3f} | {} |\n", many ? md_text(e.file) + " | " : "", e.packet, e.time, md_text(e.what));
        out += "\n";
    }
    if (!v.next_steps.empty()) {
        out += "## Next steps\n\n";
        int n = 0;
        for (const auto& s : v.next_steps) out += fmt::format("{}. {}\n", ++n, md_text(s));
        out += "\n";
    }
    if (o.explain && !v.matched.empty()) {
        out += "## Rules that matched\n\n";
        explain_table(out, v);
    }
    if (!a.warnings.empty()) {
        out += "## Warnings\n\n";
        for (const auto& w : a.warnings) out += fmt::format("- {}\n", md_text(w));
        out += "\n";
    }
    if (a.pair) out += pair_markdown(*a.pair);
}

void connection(std::string& out, const engine::Analysis& a, const verdict::Attempt& f, int index, const ReportOptions& o) {
    const bool many = a.captures.size() > 1;
    const double t0 = start_of(a, f.file);
    out += fmt::format("\n### [{}] {} -> {}{}\n\n{}\n\n", index, md_text(f.facts.get(F::client)), md_text(f.facts.get(F::server)),
                       many ? " in " + md_code(f.file) : "", md_text(f.verdict.summary));
    const auto wire = wire_lines(f.facts);
    for (const auto& line : wire) out += fmt::format("- {}: {}\n", line.first, md_text(line.second));
    if (!wire.empty()) out += "\n";
    std::string timeline;
    for (const auto& e : f.conversation.timeline)
        timeline += fmt::format("#{:<6} {:>9.3f}  {:<6}  {}\n", e.packet, e.time - t0, flow::side_name(e.from), describe(e));
    if (f.conversation.timeline_omitted) timeline += fmt::format("... {} more packets not listed\n", f.conversation.timeline_omitted);
    const std::string fence = md_fence(timeline);
    out += fence + "\n" + timeline + fence + "\n";
    if (o.explain && !f.verdict.matched.empty()) {
        out += "\nRules that matched:\n\n";
        explain_table(out, f.verdict);
    }
}

}  // namespace

void write_markdown(std::ostream& os, const engine::Analysis& a, const ReportOptions& o) {
    std::string out;
    const bool many = a.captures.size() > 1;
    out += "# sshpath report\n\n";
    for (const auto& c : a.captures) {
        const std::string more = more_parts(c, [](const std::string& f) { return md_code(f); });
        out += fmt::format("- capture {}{}: {} packets, {}, {:.3f} s\n", md_code(c.file), more.empty() ? "" : " and " + more,
                           c.stats.packets, md_text(c.link_type), c.end_time - c.start_time);
    }
    out += fmt::format("- sshpath {}\n\n", md_text(o.version));
    verdict_part(out, a, o);
    const bool brief = summarised(a, o);
    os << out;
    out.clear();
    if (brief) write_summary(os, a, true);
    out += fmt::format("## Connections ({})\n\n", connections_title(a, brief));
    out += many ? "| # | capture | client | server | reached | verdict | component | confidence |\n|---:|---|---|---|---|---|---|---|\n"
                : "| # | client | server | reached | verdict | component | confidence |\n|---:|---|---|---|---|---|---|\n";
    int index = 0;
    for (const auto& f : a.attempts) {
        out += fmt::format("| {} | {}{} | {} | {} | `{}` | `{}` | {} |\n", ++index, many ? md_text(f.file) + " | " : "",
                           md_text(f.facts.get(F::client)), md_text(f.facts.get(F::server)), md_text(f.facts.get(F::ssh_stage)),
                           name(f.verdict.cause), name(f.verdict.component), name(f.verdict.confidence));
        os << out;
        out.clear();
    }
    // In a summarised report only the examples are read back a second time.
    verdict::Attempt scratch;
    const std::size_t shown = brief ? a.examples.size() : a.attempts.size();
    for (std::size_t k = 0; k < shown; ++k) {
        const std::size_t i = brief ? a.examples[k] : k;
        connection(out, a, a.attempts.get(i, scratch), static_cast<int>(i) + 1, o);
        os << out;
        out.clear();
    }
    if (o.live != nullptr) out += live_section(*o.live, true);
    os << out;
}

std::string render_markdown(const engine::Analysis& a, const ReportOptions& o) {
    std::ostringstream os;
    write_markdown(os, a, o);
    return std::move(os).str();
}

}  // namespace sshpath::report
