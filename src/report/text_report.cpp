#include <fmt/format.h>

#include "sshpath/report/report.h"
#include "sshpath/report/timeline.h"
#include "live_trailer.h"
#include "report_util.h"
#include "pair_report.h"

namespace sshpath::report {

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

std::string render_text(const engine::Analysis& a, const ReportOptions& o) {
    std::string out;
    const auto& v = a.verdict;
    bool many = a.captures.size() > 1;
    for (const auto& c : a.captures)
        out += fmt::format("sshpath {}: {} ({} packets, {}, {:.3f} s)\n", o.version, c.file, c.stats.packets, c.link_type,
                           c.end_time - c.start_time);
    out += "\n";
    out += fmt::format("VERDICT     {} (confidence {})\n", name(v.cause), name(v.confidence));
    out += fmt::format("component   {}\n", who(v));
    if (v.segment) out += fmt::format("segment     {}\n", name(*v.segment));
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
            out += fmt::format("  {}  {}\n", evidence_packets(e, many), e.what);
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
    if (a.pair) out += pair_text(*a.pair);
    if (!a.client_check.empty()) {
        out += fmt::format("\nClient computer ({})\n", a.client_check);
        if (a.client_findings.empty()) out += "  nothing found in the way\n";
        for (const auto& f : a.client_findings) out += fmt::format("  {}\n", f);
    }
    out += fmt::format("\nConnections ({})\n", a.attempts.size());
    int index = 0;
    for (const auto& f : a.attempts) {
        ++index;
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
        for (const auto& line : wire_lines(f.facts)) out += fmt::format("    {:<8} {}\n", line.first, line.second);
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
    if (o.live != nullptr) out += live_section(*o.live, false);
    return out;
}

}  // namespace sshpath::report
