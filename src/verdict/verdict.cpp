#include "sshpath/verdict/verdict.h"

#include <fmt/format.h>

#include <algorithm>

#include "sshpath/capture/decoder.h"
#include "sshpath/capture/reader.h"
#include "sshpath/evidence/extract.h"

namespace sshpath::verdict {

Verdict decide(const rules::RuleSet& rules, const evidence::FactSet& facts, const std::string& file) {
    Verdict v;
    v.matched = rules.evaluate(facts);
    if (v.matched.empty()) {
        v.summary = "no rule matched the evidence";
        return v;
    }
    const rules::Rule& r = *v.matched.front().rule;
    v.cause = r.cause;
    v.component = r.component;
    v.candidates = r.candidates;
    v.confidence = r.confidence;
    v.summary = rules.render(r.summary, facts);
    if (!r.explanation.empty()) v.explanation = rules.render(r.explanation, facts);
    for (const auto& step : r.next_steps) v.next_steps.push_back(rules.render(step, facts));
    v.rule = r.id;
    for (const auto& tag : r.evidence)
        for (const auto& o : facts.observations())
            if (o.tag == tag) v.evidence.push_back(EvidenceItem{file, o.packet, o.time, o.what});
    std::stable_sort(v.evidence.begin(), v.evidence.end(),
                     [](const EvidenceItem& a, const EvidenceItem& b) { return a.packet < b.packet; });
    return v;
}

int cause_weight(const std::string& cause) {
    if (cause == "ok") return 0;
    if (cause == "one-sided-capture" || cause == "unknown" || cause == "no-attempt") return 1;
    return 2;
}

Analysis analyze(const std::vector<std::string>& files, const AnalyzeOptions& options, const rules::RuleSet& rules) {
    Analysis a;
    for (const auto& file : files) {
        capture::Reader reader(file);
        flow::FlowOptions fo;
        fo.ssh_port = static_cast<std::uint16_t>(options.ssh_port);
        fo.host = options.host_address;
        fo.host_name = options.host;
        flow::FlowTable table(fo);
        CaptureInfo info;
        info.file = file;
        bool first = true;
        reader.for_each([&](const capture::Packet& p) {
            if (first) info.start_time = p.time, first = false;
            info.end_time = std::max(info.end_time, p.time);
            table.add(p);
        });
        info.stats = reader.stats();
        info.link_type = capture::link_type_name(reader.link_type());
        std::vector<flow::Flow> flows = table.finish();
        auto ctx = evidence::make_context(flows, info.start_time, info.end_time, options.ssh_port);
        evidence::CaptureSummary summary{info.stats, info.link_type, flows.size(), table.other_tcp_flows(), options.host};
        info.facts = evidence::extract_capture(summary, ctx);
        if (info.stats.truncated)
            a.warnings.push_back(fmt::format("{}: the capture ends in the middle of a packet ({}); the analysis covers the {} packets before it",
                                             file, info.stats.truncation_message, info.stats.packets));
        if (info.stats.malformed)
            a.warnings.push_back(fmt::format("{}: {} packets had inconsistent headers and were skipped in part", file, info.stats.malformed));
        if (info.stats.snaplen_cut)
            a.warnings.push_back(fmt::format("{}: the snap length cut the payload of {} packets; SSH details may be missing", file,
                                             info.stats.snaplen_cut));
        if (table.flow_cap_hit())
            a.warnings.push_back(fmt::format("{}: more than {} connections; later ones were not analysed", file, fo.max_flows));
        for (auto& f : flows) {
            FlowResult r;
            r.file = file;
            r.facts = evidence::extract_flow(f, ctx);
            r.verdict = decide(rules, r.facts, file);
            r.flow = std::move(f);
            a.flows.push_back(std::move(r));
        }
        a.captures.push_back(std::move(info));
    }
    // The attempt that matters most: a failure before anything else, then the most recent one.
    for (std::size_t i = 0; i < a.flows.size(); ++i) {
        if (a.verdict_flow < 0) {
            a.verdict_flow = static_cast<int>(i);
            continue;
        }
        const auto& best = a.flows[static_cast<std::size_t>(a.verdict_flow)].verdict;
        if (cause_weight(a.flows[i].verdict.cause) >= cause_weight(best.cause)) a.verdict_flow = static_cast<int>(i);
    }
    if (a.verdict_flow >= 0) {
        a.verdict = a.flows[static_cast<std::size_t>(a.verdict_flow)].verdict;
    } else {
        const auto& c = a.captures.front();
        a.verdict = decide(rules, c.facts, c.file);
    }
    return a;
}

}  // namespace sshpath::verdict
