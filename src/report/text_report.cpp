#include <fmt/format.h>

#include "sshpath/report/report.h"
#include "sshpath/report/timeline.h"
#include "live_trailer.h"
#include "summary.h"

#include <sstream>

namespace sshpath::report {

namespace {

namespace F = facts::flow;
using contract::name;

double start_of(const engine::Analysis& a, const std::string& file) {
    for (const auto& c : a.captures)
        if (c.file == file) return c.start_time;
    return 0;
}

std::string candidates(const verdict::Verdict& v, std::string_view separator) {
    std::string out;
    for (auto c : v.candidates) {
        if (!out.empty()) out += separator;
        out += name(c);
    }
    return out;
}

std::string who(const verdict::Verdict& v) {
    if (v.component != contract::Component::kUnknown) return std::string(name(v.component));
    return fmt::format("unknown - candidates: {}", candidates(v, ", "));
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

// The i-th attempt is one of the examples (examples is in order; `next` walks it along).
bool in_full(const engine::Analysis& a, bool brief, std::size_t i, std::size_t& next) {
    if (!brief) return true;
    while (next < a.examples.size() && a.examples[next] < i) ++next;
    return next < a.examples.size() && a.examples[next] == i;
}

std::string connections_title(const engine::Analysis& a, bool brief) {
    if (!brief) return fmt::format("{}", a.attempts.size());
    return fmt::format("{}: {} in full, the others one line each; --detail all shows every one in full", a.attempts.size(),
                       a.examples.size());
}

void attempt_text(std::string& out, const engine::Analysis& a, const verdict::Attempt& f, int index, bool many,
                  const ReportOptions& o) {
    const auto& fv = f.verdict;
    double t0 = start_of(a, f.file);
    out += fmt::format("\n[{}] {} -> {}{}{}\n", index, f.facts.get(F::client), f.facts.get(F::server),
                       many ? "  in " + f.file : "", index - 1 == a.verdict_attempt ? "   (decides the verdict)" : "");
    out += fmt::format("    verdict  {} (confidence {}), component {}; rule {}\n", name(fv.cause), name(fv.confidence), who(fv),
                       fv.rule.empty() ? "(none)" : fv.rule);
    out += fmt::format("    summary  {}\n", fv.summary);
    std::string stage = f.facts.get(F::ssh_stage);
    out += fmt::format("    reached  {}", stage.empty() ? "nothing" : stage);
    if (f.facts.get(F::server_banner_seen)) out += fmt::format("; server {}", f.facts.get(F::server_banner));
    if (f.facts.get(F::client_banner_seen)) out += fmt::format("; client {}", f.facts.get(F::client_banner));
    out += "\n";
    const auto& server = f.conversation.server;
    const auto& pre = server.pre_banner_lines;
    for (std::size_t i = 0; i < pre.size() && i < 5; ++i)
        out += fmt::format("    before   server line {}: \"{}\"\n", i + 1, pre[i]);
    if (pre.size() > 5) out += fmt::format("    before   ... {} more lines before the identification string\n", pre.size() - 5);
    if (!server.identification_problem.empty())
        out += fmt::format("    problem  server identification string: {}\n", server.identification_problem);
    if (!f.facts.get(F::kex_alg).empty())
        out += fmt::format("    kex      {} / {} / {} / {}\n", f.facts.get(F::kex_alg), f.facts.get(F::host_key_alg),
                           f.facts.get(F::cipher_alg), f.facts.get(F::mac_alg));
    if (f.facts.get(F::server_hops) >= 0)
        out += fmt::format("    hops     server {} hops away (ttl {})\n", f.facts.get(F::server_hops), f.facts.get(F::server_ttl));
    out += "    timeline\n";
    for (const auto& e : f.conversation.timeline)
        out += fmt::format("      #{:<6} {:>9.3f}  {:<6}  {}\n", e.packet, e.time - t0, flow::side_name(e.from), describe(e));
    if (f.conversation.timeline_omitted)
        out += fmt::format("      ... {} more packets not listed\n", f.conversation.timeline_omitted);
    if (o.explain) {
        out += "    rules that matched (* decided)\n";
        explain_lines(out, fv, "      ");
    }
}

// An attempt in one line: who, its verdict and rule, when.
void attempt_line(std::string& out, const verdict::Attempt& f, int index, bool many) {
    const auto& fv = f.verdict;
    out += fmt::format("[{}] {} -> {}{}  {} / {} ({}), rule {}, at {:.3f} s\n", index, f.facts.get(F::client), f.facts.get(F::server),
                       many ? "  in " + f.file : "", name(fv.cause), name(fv.component), name(fv.confidence),
                       fv.rule.empty() ? "(none)" : fv.rule, f.facts.get(F::start_time));
}

}  // namespace

void write_text(std::ostream& os, const engine::Analysis& a, const ReportOptions& o) {
    std::string out;
    const auto& v = a.verdict;
    bool many = a.captures.size() > 1;
    for (const auto& c : a.captures)
        out += fmt::format("sshpath {}: {} ({} packets, {}, {:.3f} s)\n", o.version, c.file, c.stats.packets, c.link_type,
                           c.end_time - c.start_time);
    out += "\n";
    out += fmt::format("VERDICT     {} (confidence {})\n", name(v.cause), name(v.confidence));
    out += fmt::format("component   {}\n", who(v));
    out += fmt::format("summary     {}\n", v.summary);
    out += fmt::format("rule        {}\n", v.rule.empty() ? "(none)" : v.rule);
    if (!v.explanation.empty()) {
        out += "\n";
        std::string text = v.explanation;
        while (!text.empty() && text.back() == '\n') text.pop_back();
        out += text + "\n";
    }
    if (!v.evidence.empty()) {
        out += "\nEvidence\n";
        for (const auto& e : v.evidence)
            out += fmt::format("  {}#{:<6} {:>9.3f} s  {}\n", many ? e.file + " " : "", e.packet, e.time, e.what);
    }
    if (!v.next_steps.empty()) {
        out += "\nNext steps\n";
        int n = 0;
        for (const auto& s : v.next_steps) out += fmt::format("  {}. {}\n", ++n, s);
    }
    if (o.explain && !v.matched.empty()) {
        out += "\nRules that matched (* decided)\n";
        explain_lines(out, v, "  ");
    }
    if (!a.warnings.empty()) {
        out += "\nWarnings\n";
        for (const auto& w : a.warnings) out += fmt::format("  ! {}\n", w);
    }
    const bool brief = summarised(a, o);
    os << out;
    out.clear();
    if (brief) write_summary(os, a, false);
    out += fmt::format("\nConnections ({})\n", connections_title(a, brief));
    int index = 0;
    std::size_t next = 0;
    bool after_line = false;
    for (const auto& f : a.attempts) {
        ++index;
        if (in_full(a, brief, static_cast<std::size_t>(index - 1), next)) {
            attempt_text(out, a, f, index, many, o);
            after_line = false;
        } else {
            if (!after_line) out += "\n";
            attempt_line(out, f, index, many);
            after_line = true;
        }
        os << out;
        out.clear();
    }
    if (o.live != nullptr) out += live_section(*o.live, false);
    os << out;
}

std::string render_text(const engine::Analysis& a, const ReportOptions& o) {
    std::ostringstream os;
    write_text(os, a, o);
    return std::move(os).str();
}

void write_markdown(std::ostream& os, const engine::Analysis& a, const ReportOptions& o) {
    std::string out;
    const auto& v = a.verdict;
    out += "# sshpath report\n\n";
    for (const auto& c : a.captures)
        out += fmt::format("- capture `{}`: {} packets, {}, {:.3f} s\n", c.file, c.stats.packets, c.link_type, c.end_time - c.start_time);
    out += fmt::format("- sshpath {}\n\n", o.version);
    out += "## Verdict\n\n";
    out += "| | |\n|---|---|\n";
    out += fmt::format("| cause | `{}` |\n| component | `{}` |\n", name(v.cause), name(v.component));
    if (v.component == contract::Component::kUnknown) out += fmt::format("| candidates | `{}` |\n", candidates(v, "`, `"));
    out += fmt::format("| confidence | {} |\n| rule | `{}` |\n\n", name(v.confidence), v.rule);
    out += fmt::format("**{}**\n\n", v.summary);
    if (!v.explanation.empty()) out += v.explanation + "\n\n";
    if (!v.evidence.empty()) {
        out += "## Evidence\n\n| packet | time (s) | what |\n|---:|---:|---|\n";
        for (const auto& e : v.evidence) out += fmt::format("| {} | {:.3f} | {} |\n", e.packet, e.time, e.what);
        out += "\n";
    }
    if (!v.next_steps.empty()) {
        out += "## Next steps\n\n";
        int n = 0;
        for (const auto& s : v.next_steps) out += fmt::format("{}. {}\n", ++n, s);
        out += "\n";
    }
    if (!a.warnings.empty()) {
        out += "## Warnings\n\n";
        for (const auto& w : a.warnings) out += fmt::format("- {}\n", w);
        out += "\n";
    }
    const bool brief = summarised(a, o);
    os << out;
    out.clear();
    if (brief) write_summary(os, a, true);
    out += fmt::format("## Connections ({})\n\n", connections_title(a, brief));
    out += "| # | client | server | reached | verdict | component | confidence |\n|---:|---|---|---|---|---|---|\n";
    int index = 0;
    for (const auto& f : a.attempts) {
        out += fmt::format("| {} | {} | {} | {} | `{}` | `{}` | {} |\n", ++index, f.facts.get(F::client),
                           f.facts.get(F::server), f.facts.get(F::ssh_stage), name(f.verdict.cause),
                           name(f.verdict.component), name(f.verdict.confidence));
        os << out;
        out.clear();
    }
    // In a summarised report only the examples are read back a second time.
    verdict::Attempt scratch;
    const std::size_t shown = brief ? a.examples.size() : a.attempts.size();
    for (std::size_t k = 0; k < shown; ++k) {
        const std::size_t i = brief ? a.examples[k] : k;
        index = static_cast<int>(i) + 1;
        const verdict::Attempt& f = a.attempts.get(i, scratch);
        double t0 = start_of(a, f.file);
        out += fmt::format("\n### [{}] {} -> {}\n\n{}\n\n```\n", index, f.facts.get(F::client), f.facts.get(F::server),
                           f.verdict.summary);
        for (const auto& e : f.conversation.timeline)
            out += fmt::format("#{:<6} {:>9.3f}  {:<6}  {}\n", e.packet, e.time - t0, flow::side_name(e.from), describe(e));
        if (f.conversation.timeline_omitted) out += fmt::format("... {} more packets not listed\n", f.conversation.timeline_omitted);
        out += "```\n";
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
