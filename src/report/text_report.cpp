#include <fmt/format.h>

#include "sshpath/report/report.h"
#include "sshpath/core/terminal.h"
#include "sshpath/report/timeline.h"
#include "live_trailer.h"
#include "report_util.h"
#include "pair_report.h"
#include "summary.h"

#include <sstream>

namespace sshpath::report {

using terminal::Colour;
using terminal::paint;
using terminal::reflow;
using terminal::wrap;
using terminal::wrap_lines;

namespace {

namespace F = facts::flow;
using contract::name;

std::string who(const verdict::Verdict& v) {
    if (v.component != contract::Component::kUnknown) return std::string(name(v.component));
    return fmt::format("unknown - candidates: {}", candidates_text(v, ", "));
}

void explain_lines(std::string& out, const verdict::Verdict& v, const char* indent) {
    for (const auto& m : v.matched) {
        out += fmt::format("{}{} {} (priority {}, cause {})\n", indent, &m == &v.matched.front() ? "*" : " ", m.rule,
                           m.priority, name(m.cause));
        std::vector<std::string> inputs;
        for (const auto& [name, value] : m.inputs) inputs.push_back(fmt::format("{}={}", name, value.empty() ? "\"\"" : value));
        out += fmt::format("{}    {}\n", indent, fmt::join(inputs, " "));
    }
}

}  // namespace

namespace {

Colour cause_colour(contract::Cause c) {
    switch (c) {
    case contract::Cause::kOk: return Colour::kBoldGreen;
    case contract::Cause::kNoAttempt:
    case contract::Cause::kOneSidedCapture:
    case contract::Cause::kUnknown: return Colour::kBoldYellow;
    default: return Colour::kBoldRed;
    }
}

Colour confidence_colour(contract::Confidence c) {
    switch (c) {
    case contract::Confidence::kHigh: return Colour::kGreen;
    case contract::Confidence::kMedium: return Colour::kYellow;
    case contract::Confidence::kLow: return Colour::kRed;
    }
    return Colour::kNone;
}

// "silent-drop (confidence medium)", coloured.
std::string cause_and_confidence(const verdict::Verdict& v, bool colour) {
    return fmt::format("{} (confidence {})", paint(name(v.cause), cause_colour(v.cause), colour),
                       paint(name(v.confidence), confidence_colour(v.confidence), colour));
}

// "#12" padded to `columns`, the number coloured.
std::string packet_number(std::uint64_t packet, std::size_t columns, bool colour) {
    const std::string number = fmt::format("#{}", packet);
    return paint(number, Colour::kCyan, colour) + std::string(columns > number.size() ? columns - number.size() : 0, ' ');
}

// Everything before the connections: the captures, the verdict, its evidence and next steps,
// warnings, the pair's and the client's sections.
void verdict_text(std::string& out, const engine::Analysis& a, const ReportOptions& o) {
    const auto& v = a.verdict;
    const std::size_t width = o.width;
    const bool colour = o.colour;
    // Each line is broken at the terminal's width; continuation rows start under the value.
    auto line = [&](const std::string& text, std::size_t hang) { out += wrap(text, width, hang); };
    const bool many = a.captures.size() > 1;
    for (const auto& c : a.captures) {
        const std::string more = more_parts(c, [](const std::string& f) { return f; });
        line(fmt::format("sshpath {}: {}{} ({} packets, {}, {:.3f} s)", o.version, c.file, more.empty() ? "" : " and " + more,
                         c.stats.packets, c.link_type, c.end_time - c.start_time),
             4);
    }
    out += "\n";
    line(fmt::format("{}     {}", paint("VERDICT", Colour::kBold, colour), cause_and_confidence(v, colour)), 12);
    line(fmt::format("component   {}", who(v)), 12);
    if (v.segment) line(fmt::format("segment     {}", name(*v.segment)), 12);
    line(fmt::format("summary     {}", v.summary), 12);
    line(fmt::format("rule        {}", v.rule.empty() ? "(none)" : v.rule), 12);
    if (!v.explanation.empty()) {
        out += "\n";
        std::string text = reflow(v.explanation, width);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        out += text + "\n";
    }
    if (!v.evidence.empty()) {
        out += "\nEvidence\n";
        for (const auto& e : v.evidence)
            if (a.pair)
                line(fmt::format("  {}  {}", evidence_packets(e, many), e.what), 4);
            else
                line(fmt::format("  {}{} {:>9.3f} s  {}", many ? e.file + " " : "", packet_number(e.packet, 7, colour), e.time, e.what),
                     many ? 4 : 23);
    }
    if (!v.next_steps.empty()) {
        out += "\nNext steps\n";
        int n = 0;
        for (const auto& s : v.next_steps) line(fmt::format("  {}. {}", ++n, s), 5);
    }
    if (o.explain && !v.matched.empty()) {
        out += "\nRules that matched (* decided)\n";
        std::string lines;
        explain_lines(lines, v, "  ");
        out += wrap_lines(lines, width, 6);
    }
    if (!a.warnings.empty()) {
        out += "\nWarnings\n";
        for (const auto& w : a.warnings) line(fmt::format("  ! {}", w), 4);
    }
    if (a.pair) out += pair_text(*a.pair, width);
    if (!a.client_check.empty()) {
        out += "\n";
        line(fmt::format("Client computer ({})", a.client_check), 4);
        if (a.client_findings.empty()) out += "  nothing found in the way\n";
        for (const auto& f : a.client_findings) line(fmt::format("  {}", f), 4);
    }
}

// One attempt in full: its verdict, how far it got, its timeline.
void attempt_text(std::string& out, const engine::Analysis& a, const verdict::Attempt& f, int index, const ReportOptions& o) {
    const std::size_t width = o.width;
    const bool colour = o.colour;
    const bool many = a.captures.size() > 1;
    auto line = [&](const std::string& text, std::size_t hang) { out += wrap(text, width, hang); };
    const auto& fv = f.verdict;
    double t0 = start_of(a, f.file);
    out += "\n";
    line(fmt::format("[{}] {} -> {}{}{}", index, f.facts.get(F::client), f.facts.get(F::server), many ? "  in " + f.file : "",
                     index - 1 == a.verdict_attempt ? "   (decides the verdict)" : ""),
         4);
    line(fmt::format("    verdict  {}, component {}; rule {}", cause_and_confidence(fv, colour), who(fv),
                     fv.rule.empty() ? "(none)" : fv.rule),
         13);
    line(fmt::format("    summary  {}", fv.summary), 13);
    std::string stage = f.facts.get(F::ssh_stage);
    std::string reached = fmt::format("    reached  {}", stage.empty() ? "nothing" : stage);
    if (f.facts.get(F::server_banner_seen)) reached += fmt::format("; server {}", f.facts.get(F::server_banner));
    if (f.facts.get(F::client_banner_seen)) reached += fmt::format("; client {}", f.facts.get(F::client_banner));
    line(reached, 13);
    const auto& server = f.conversation.server;
    const auto& pre = server.pre_banner_lines;
    // Quotes of a packet stay whole, however wide.
    for (std::size_t i = 0; i < pre.size() && i < 5; ++i)
        out += fmt::format("    before   server line {}: \"{}\"\n", i + 1, pre[i]);
    if (pre.size() > 5) line(fmt::format("    before   ... {} more lines before the identification string", pre.size() - 5), 13);
    if (!server.identification_problem.empty())
        line(fmt::format("    problem  server identification string: {}", server.identification_problem), 13);
    if (!f.facts.get(F::kex_alg).empty())
        line(fmt::format("    kex      {} / {} / {} / {}", f.facts.get(F::kex_alg), f.facts.get(F::host_key_alg),
                         f.facts.get(F::cipher_alg), f.facts.get(F::mac_alg)),
             13);
    if (f.facts.get(F::server_hops) >= 0)
        line(fmt::format("    hops     server {} hops away (ttl {})", f.facts.get(F::server_hops), f.facts.get(F::server_ttl)), 13);
    for (const auto& [key, value] : wire_lines(f.facts)) line(fmt::format("    {:<8} {}", key, value), 13);
    out += "    timeline\n";
    for (const auto& e : f.conversation.timeline)
        line(fmt::format("      {}{:>9.3f}  {:<6}  {}", packet_number(e.packet, 8, false), e.time - t0, flow::side_name(e.from),
                         describe(e)),
             33);
    if (f.conversation.timeline_omitted)
        out += fmt::format("      ... {} more packets not listed\n", f.conversation.timeline_omitted);
    if (o.explain) {
        out += "    rules that matched (* decided)\n";
        std::string lines;
        explain_lines(lines, fv, "      ");
        out += wrap_lines(lines, width, 10);
    }
}

// An attempt in one line: who, its verdict and rule, when.
void attempt_line(std::string& out, const engine::Analysis& a, const verdict::Attempt& f, int index, const ReportOptions& o) {
    const auto& fv = f.verdict;
    out += wrap(fmt::format("[{}] {} -> {}{}  {} / {} ({}), rule {}, at {:.3f} s", index, f.facts.get(F::client),
                            f.facts.get(F::server), a.captures.size() > 1 ? "  in " + f.file : "",
                            paint(name(fv.cause), cause_colour(fv.cause), o.colour), name(fv.component), name(fv.confidence),
                            fv.rule.empty() ? "(none)" : fv.rule, f.facts.get(F::start_time)),
                o.width, 4);
}

}  // namespace

void write_text(std::ostream& os, const engine::Analysis& a, const ReportOptions& o) {
    std::string out;
    verdict_text(out, a, o);
    const bool brief = summarised(a, o);
    os << out;
    out.clear();
    if (brief) {
        std::ostringstream summary;
        write_summary(summary, a, false);
        os << wrap_lines(summary.str(), o.width, 12);
    }
    out += "\n" + wrap(fmt::format("Connections ({})", connections_title(a, brief)), o.width, 4);
    int index = 0;
    std::size_t next = 0;
    bool after_line = false;
    for (const auto& f : a.attempts) {
        ++index;
        if (in_full(a, brief, static_cast<std::size_t>(index - 1), next)) {
            attempt_text(out, a, f, index, o);
            after_line = false;
        } else {
            if (!after_line) out += "\n";
            attempt_line(out, a, f, index, o);
            after_line = true;
        }
        os << out;
        out.clear();
    }
    if (o.live != nullptr) out += wrap_lines(live_section(*o.live, false), o.width, 14);
    os << out;
}

std::string render_text(const engine::Analysis& a, const ReportOptions& o) {
    std::ostringstream os;
    write_text(os, a, o);
    return std::move(os).str();
}

}  // namespace sshpath::report
