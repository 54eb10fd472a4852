#include <fmt/format.h>

#include "ladder.h"
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

// Connections beyond the deciding one that get a ladder diagram of their own.
constexpr std::size_t kMaxLadders = 20;

constexpr const char* kStyle = R"(
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; background: #fff;
       max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: .5rem .7rem; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; }
th, td { border: 1px solid #d4d4d4; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meta { color: #555; margin: 0; padding-left: 1.2rem; }
.verdict { border-left: 6px solid #b3261e; background: #fcf1f0; padding: .6rem 1rem; margin: 1rem 0; }
.verdict.ok { border-color: #1e7b34; background: #eff8f1; }
.verdict dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 .5rem; }
.verdict dt { font-weight: 600; }
.verdict dd { margin: 0; }
dl.pair { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 .5rem; }
dl.pair dt { font-weight: 600; }
dl.pair dd { margin: 0; }
.summary { font-weight: 600; font-size: 1.05rem; }
.explanation { white-space: pre-line; }
.warnings li { color: #7a4b00; }
.brief { margin: .1rem 0; }
tr.evidence td { background: #fdecea; font-weight: 600; }
figure { margin: .5rem 0 1rem; overflow-x: auto; }
figcaption { color: #555; font-size: .9em; }
svg.ladder { max-width: 100%; height: auto; background: #fff; }
svg.ladder text { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: #1b1b1b; }
svg.ladder .title { font-weight: bold; }
svg.ladder .address, svg.ladder .when { fill: #555; }
svg.ladder .life { stroke: #999; stroke-dasharray: 4 3; }
svg.ladder .arrow line { stroke: #333; stroke-width: 1.3; }
svg.ladder .head { fill: #333; }
svg.ladder .arrow.evidence line { stroke: #b3261e; stroke-width: 3; }
svg.ladder .head.evidence { fill: #b3261e; }
svg.ladder .arrow.evidence text { fill: #b3261e; font-weight: bold; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  .verdict, figure, table, section.connection { break-inside: avoid; }
  figure { overflow: visible; }
  pre { background: none; border: 1px solid #ccc; }
  svg.ladder .arrow.evidence line { stroke-width: 3.5; }
}
)";

std::string td(const std::string& text, bool num = false) {
    return fmt::format("<td{}>{}</td>", num ? " class=\"num\"" : "", html_escape(text));
}

void explain_table(std::string& out, const verdict::Verdict& v) {
    out += "<table><tr><th>rule</th><th>priority</th><th>cause</th><th>facts read</th></tr>\n";
    for (const auto& m : v.matched) {
        std::string inputs;
        for (const auto& [fact, value] : m.inputs) inputs += fmt::format("{}{}={}", inputs.empty() ? "" : " ", fact, value.empty() ? "\"\"" : value);
        out += fmt::format("<tr{}>{}{}{}<td class=\"mono\">{}</td></tr>\n", &m == &v.matched.front() ? " class=\"evidence\"" : "",
                           td(m.rule + (&m == &v.matched.front() ? " (decided)" : "")), td(std::to_string(m.priority), true),
                           td(std::string(name(m.cause))), html_escape(inputs));
    }
    out += "</table>\n";
}

void verdict_box(std::string& out, const engine::Analysis& a) {
    const auto& v = a.verdict;
    out += fmt::format("<section class=\"verdict{}\" id=\"verdict\">\n<dl>\n", v.cause == contract::Cause::kOk ? " ok" : "");
    out += fmt::format("<dt>verdict</dt><dd><code>{}</code> (confidence {})</dd>\n", name(v.cause), name(v.confidence));
    out += fmt::format("<dt>component</dt><dd><code>{}</code>{}</dd>\n", name(v.component),
                       v.component == contract::Component::kUnknown ? fmt::format(" &ndash; candidates: <code>{}</code>", candidates_text(v, ", "))
                                                                    : "");
    if (v.segment) out += fmt::format("<dt>segment</dt><dd><code>{}</code></dd>\n", name(*v.segment));
    out += fmt::format("<dt>rule</dt><dd><code>{}</code></dd>\n</dl>\n", v.rule.empty() ? "(none)" : html_escape(v.rule));
    out += fmt::format("<p class=\"summary\">{}</p>\n", html_escape(v.summary));
    if (!v.explanation.empty()) out += fmt::format("<p class=\"explanation\">{}</p>\n", html_escape(v.explanation));
    out += "</section>\n";
}

void evidence_and_steps(std::string& out, const engine::Analysis& a, const ReportOptions& o) {
    const auto& v = a.verdict;
    const bool many = a.captures.size() > 1;
    if (!v.evidence.empty() && a.pair) {
        // A packet of a pair is in the client's capture, the far one, or both (0: not there).
        auto at = [](std::uint64_t packet, double time) {
            return packet ? td(fmt::format("#{}", packet), true) + td(fmt::format("{:.3f}", time), true) : td("-", true) + td("", true);
        };
        out += "<h2 id=\"evidence\">Evidence</h2>\n<table>\n<tr><th>client packet</th><th>time (s)</th><th>far packet</th>"
               "<th>time (s)</th><th>what</th></tr>\n";
        for (const auto& e : v.evidence)
            out += fmt::format("<tr>{}{}{}</tr>\n", at(e.packet, e.time), at(e.peer_packet, e.peer_time), td(e.what));
        out += "</table>\n";
    } else if (!v.evidence.empty()) {
        out += "<h2 id=\"evidence\">Evidence</h2>\n<table>\n<tr>";
        out += many ? "<th>capture</th>" : "";
        out += "<th>packet</th><th>time (s)</th><th>what</th></tr>\n";
        for (const auto& e : v.evidence)
            out += fmt::format("<tr>{}{}{}{}</tr>\n", many ? td(e.file) : "", td(fmt::format("#{}", e.packet), true),
                               td(fmt::format("{:.3f}", e.time), true), td(e.what));
        out += "</table>\n";
    }
    if (!v.next_steps.empty()) {
        out += "<h2 id=\"next-steps\">Next steps</h2>\n<ol>\n";
        for (const auto& s : v.next_steps) out += fmt::format("<li>{}</li>\n", html_escape(s));
        out += "</ol>\n";
    }
    if (o.explain && !v.matched.empty()) {
        out += "<h2 id=\"rules\">Rules that matched</h2>\n";
        explain_table(out, v);
    }
    if (!a.warnings.empty()) {
        out += "<h2 id=\"warnings\">Warnings</h2>\n<ul class=\"warnings\">\n";
        for (const auto& w : a.warnings) out += fmt::format("<li>{}</li>\n", html_escape(w));
        out += "</ul>\n";
    }
}

std::string figure(const engine::Analysis& a, const verdict::Attempt& f, int index) {
    return fmt::format("<figure>\n{}<figcaption>Connection [{}]: one arrow per packet listed, the packets the verdict cites "
                       "in bold red. Columns: the client, each hop that spoke, the server.</figcaption>\n</figure>\n",
                       ladder_svg(f, start_of(a, f.file), fmt::format("ladder-{}", index)), index);
}

enum class Diagram { kNone, kHere, kAbove };

void connection(std::string& out, const engine::Analysis& a, const verdict::Attempt& f, int index, Diagram diagram,
                const ReportOptions& o) {
    const bool many = a.captures.size() > 1;
    const double t0 = start_of(a, f.file);
    const auto& fv = f.verdict;
    out += fmt::format("<section class=\"connection\" id=\"connection-{}\">\n<h3>[{}] {} &rarr; {}{}{}</h3>\n", index, index,
                       html_escape(f.facts.get(F::client)), html_escape(f.facts.get(F::server)),
                       many ? " in <code>" + html_escape(f.file) + "</code>" : "",
                       index - 1 == a.verdict_attempt ? " (decides the verdict)" : "");
    out += fmt::format("<p><code>{}</code> (confidence {}), component <code>{}</code>; rule <code>{}</code><br>{}</p>\n", name(fv.cause),
                       name(fv.confidence), name(fv.component), html_escape(fv.rule.empty() ? "(none)" : fv.rule), html_escape(fv.summary));
    std::string stage = f.facts.get(F::ssh_stage);
    out += fmt::format("<p>reached: {}", html_escape(stage.empty() ? "nothing" : stage));
    if (f.facts.get(F::server_banner_seen)) out += fmt::format("; server <code>{}</code>", html_escape(f.facts.get(F::server_banner)));
    if (f.facts.get(F::client_banner_seen)) out += fmt::format("; client <code>{}</code>", html_escape(f.facts.get(F::client_banner)));
    out += "</p>\n";
    const auto& pre = f.conversation.server.pre_banner_lines;
    if (!pre.empty()) {
        out += "<p>The server's lines before its identification string:</p>\n<pre>";
        for (std::size_t i = 0; i < pre.size() && i < 5; ++i) out += html_escape(pre[i]) + "\n";
        if (pre.size() > 5) out += fmt::format("... {} more lines\n", pre.size() - 5);
        out += "</pre>\n";
    }
    if (diagram == Diagram::kHere) out += figure(a, f, index);
    if (diagram == Diagram::kAbove) out += "<p>Its diagram is <a href=\"#ladder\">above</a>.</p>\n";
    out += "<table>\n<tr><th>packet</th><th>time (s)</th><th>from</th><th>what</th></tr>\n";
    for (const auto& e : f.conversation.timeline) {
        bool cited = false;
        for (const auto& ev : fv.evidence) cited = cited || (ev.packet == e.packet && (ev.file == f.file || ev.file.empty()));
        out += fmt::format("<tr{}>{}{}{}{}</tr>\n", cited ? " class=\"evidence\"" : "", td(fmt::format("#{}", e.packet), true),
                           td(fmt::format("{:.3f}", e.time - t0), true), td(std::string(flow::side_name(e.from))), td(describe(e)));
    }
    out += "</table>\n";
    if (f.conversation.timeline_omitted) out += fmt::format("<p>... {} more packets not listed.</p>\n", f.conversation.timeline_omitted);
    if (o.explain && !fv.matched.empty()) {
        out += "<p>Rules that matched:</p>\n";
        explain_table(out, fv);
    }
    out += "</section>\n";
}

// An attempt in one line: who, its verdict and rule, when.
void brief_connection(std::string& out, const engine::Analysis& a, const verdict::Attempt& f, int index) {
    const auto& fv = f.verdict;
    out += fmt::format("<p class=\"brief\" id=\"connection-{}\">[{}] {} &rarr; {}{}: <code>{}</code> / <code>{}</code> ({}), rule <code>{}</code>, "
                       "at {:.3f} s</p>\n",
                       index, index, html_escape(f.facts.get(F::client)), html_escape(f.facts.get(F::server)),
                       a.captures.size() > 1 ? " in <code>" + html_escape(f.file) + "</code>" : "", name(fv.cause), name(fv.component),
                       name(fv.confidence), html_escape(fv.rule.empty() ? "(none)" : fv.rule), f.facts.get(F::start_time));
}

}  // namespace

std::string render_html(const engine::Analysis& a, const ReportOptions& o) {
    const auto& v = a.verdict;
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"sshpath {}\">\n<title>sshpath: {}</title>\n<style>{}</style>\n</head>\n<body>\n",
        html_escape(o.version), name(v.cause), kStyle);
    out += fmt::format("<header>\n<h1>sshpath report: <code>{}</code></h1>\n<ul class=\"meta\">\n", name(v.cause));
    for (const auto& c : a.captures) {
        const std::string more = more_parts(c, [](const std::string& f) { return "<code>" + html_escape(f) + "</code>"; });
        out += fmt::format("<li>capture <code>{}</code>{}: {} packets, {}, {:.3f} s</li>\n", html_escape(c.file),
                           more.empty() ? "" : " and " + more, c.stats.packets, html_escape(c.link_type), c.end_time - c.start_time);
    }
    out += fmt::format("<li>sshpath {}</li>\n</ul>\n</header>\n<main>\n", html_escape(o.version));
    verdict_box(out, a);
    evidence_and_steps(out, a, o);
    if (a.pair) out += pair_html(*a.pair);
    if (a.verdict_attempt >= 0) {
        verdict::Attempt scratch;
        const auto& deciding = a.attempts.get(static_cast<std::size_t>(a.verdict_attempt), scratch);
        out += "<h2 id=\"ladder\">The deciding connection</h2>\n";
        out += figure(a, deciding, a.verdict_attempt + 1);
    }
    const bool brief = summarised(a, o);
    if (brief) summary_html(out, a);
    out += fmt::format("<h2 id=\"connections\">Connections ({})</h2>\n", html_escape(connections_title(a, brief)));
    int index = 0;
    std::size_t ladders = 0, next = 0;
    for (const auto& f : a.attempts) {
        ++index;
        if (!in_full(a, brief, static_cast<std::size_t>(index - 1), next)) {
            brief_connection(out, a, f, index);
            continue;
        }
        const bool deciding = index - 1 == a.verdict_attempt;
        Diagram diagram = deciding ? Diagram::kAbove : ladders < kMaxLadders ? Diagram::kHere : Diagram::kNone;
        if (diagram == Diagram::kHere) ++ladders;
        connection(out, a, f, index, diagram, o);
    }
    if (a.attempts.size() > kMaxLadders + 1)
        out += fmt::format("<p>Diagrams are drawn for the deciding connection and the first {} others.</p>\n", kMaxLadders);
    if (o.live != nullptr) {
        out += "<h2 id=\"live\">Live capture</h2>\n<table>\n";
        for (const auto& [k, val] : live_rows(*o.live)) out += fmt::format("<tr><th>{}</th>{}</tr>\n", html_escape(k), td(val));
        out += "</table>\n";
    }
    out += "</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace sshpath::report
