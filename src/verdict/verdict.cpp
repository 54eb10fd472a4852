#include "sshpath/verdict/verdict.h"

#include <algorithm>

#include "sshpath/rules/expression.h"

namespace sshpath::verdict {

namespace F = facts::attempt;

namespace {

// The evidence a rule cites: the observations of the scope's own fact set, in packet order.
void cite(const rules::Rule& r, const facts::FactSet& own, const std::string& file, const std::string& peer_file,
          std::vector<EvidenceItem>& out) {
    const std::size_t first = out.size();
    for (const facts::Spec* cited : r.evidence)
        for (const auto& o : own.observations())
            if (o.fact == cited->index)
                out.push_back(EvidenceItem{file, o.packet, o.time, o.what, peer_file, o.peer_packet, o.peer_time});
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                     [](const EvidenceItem& a, const EvidenceItem& b) { return a.packet < b.packet; });
}

void record_matches(const std::vector<const rules::Rule*>& matched, const facts::Context& ctx, Verdict& v) {
    for (const rules::Rule* m : matched)
        v.matched.push_back(MatchedRule{m->id, m->priority, m->cause, m->condition->text(), m->condition->input_values(ctx)});
}

}  // namespace

namespace {

// The verdict a rule gives: cause, component, candidates, confidence and its texts rendered.
void take_verdict(const rules::Rule& r, const facts::Context& ctx, Verdict& v) {
    v.cause = r.cause;
    v.component = r.component;
    v.candidates = r.candidates;
    v.confidence = r.confidence;
    v.summary = r.summary.render(ctx);
    if (!r.explanation.empty()) v.explanation = r.explanation.render(ctx);
    v.next_steps.reserve(r.next_steps.size());
    for (const auto& step : r.next_steps) v.next_steps.push_back(step.render(ctx));
}

}  // namespace

Verdict decide(const rules::RuleSet& rules, const facts::Context& ctx, facts::Scope scope, const std::string& file,
               bool explain) {
    Verdict v;
    // Every rule that matches only when they are all shown; else the rules stop at the first.
    std::vector<const rules::Rule*> matched;
    const rules::Rule* best = nullptr;
    if (explain) {
        matched = rules.matching(ctx, scope);
        if (!matched.empty()) best = matched.front();
    } else {
        best = rules.best(ctx, scope);
    }
    if (best == nullptr) {
        v.summary = "no rule matched the evidence";
        return v;
    }
    const rules::Rule& r = *best;
    take_verdict(r, ctx, v);
    v.rule = r.id;
    v.rule_priority = r.priority;
    cite(r, ctx.get(scope), file, "", v.evidence);
    if (explain) record_matches(matched, ctx, v);
    return v;
}

Verdict decide_pair(const rules::RuleSet& rules, const facts::Context& ctx, const Verdict& client, const std::string& file,
                    const std::string& peer_file, bool explain) {
    const std::vector<const rules::Rule*> matched = rules.matching(ctx, facts::Scope::kPair);
    if (matched.empty()) return client;
    const rules::Rule& r = *matched.front();
    Verdict v;
    if (r.keep_verdict) {
        v = client;
        v.matched.clear();
        const std::string more = r.summary.render(ctx);
        // The client's summary is one sentence, most often without its full stop: the pair's
        // sentence follows it as a second one.
        const bool ended = !v.summary.empty() && (v.summary.back() == '.' || v.summary.back() == ':');
        if (!more.empty()) v.summary = v.summary.empty() ? more : v.summary + (ended ? " " : ". ") + more;
        for (const auto& step : r.next_steps) v.next_steps.push_back(step.render(ctx));
        if (!r.explanation.empty())
            v.explanation = v.explanation.empty() ? r.explanation.render(ctx) : v.explanation + "\n" + r.explanation.render(ctx);
    } else {
        take_verdict(r, ctx, v);
    }
    v.rule = r.id;
    v.rule_priority = r.priority;
    v.segment = r.segment;
    cite(r, ctx.get(facts::Scope::kPair), file, peer_file, v.evidence);
    // A packet may be missing from the client's capture (number 0): the order is the time's.
    std::stable_sort(v.evidence.begin(), v.evidence.end(),
                     [](const EvidenceItem& a, const EvidenceItem& b) { return a.time < b.time; });
    if (explain) record_matches(matched, ctx, v);
    return v;
}

namespace {

// The scope attempt: a judged attempt's verdict as facts.
facts::FactSet attempt_facts(const Verdict& v) {
    facts::FactSet a(facts::Scope::kAttempt);
    a.set(F::cause, std::string(contract::name(v.cause)));
    a.set(F::component, std::string(contract::name(v.component)));
    a.set(F::confidence, std::string(contract::name(v.confidence)));
    a.set(F::rule, v.rule);
    a.set(F::rule_priority, v.rule_priority);
    return a;
}

}  // namespace

Ranking ranking(const rules::RuleSet& rules, const Verdict& v, const facts::FactSet& flow, const facts::FactSet& capture) {
    const facts::FactSet a = attempt_facts(v);
    facts::Context ctx(a);
    ctx.add(flow).add(capture);
    const rules::Rule* r = rules.best(ctx, facts::Scope::kAttempt);
    return r ? Ranking{r->rank, r->detail_full} : Ranking{};
}

int rank(const rules::RuleSet& rules, const Verdict& v, const facts::FactSet& flow, const facts::FactSet& capture) {
    return ranking(rules, v, flow, capture).rank;
}

std::optional<StopDecision> may_stop(const rules::RuleSet& rules, const Verdict& v, const facts::FactSet& flow,
                                     const facts::FactSet& capture, double age_s) {
    const facts::FactSet a = attempt_facts(v);
    facts::FactSet live(facts::Scope::kLive);
    live.set(facts::live::age_s, age_s);
    facts::Context ctx(live);
    ctx.add(a).add(flow).add(capture);
    const rules::Rule* r = rules.best(ctx, facts::Scope::kLive);
    if (r == nullptr || !r->stop) return std::nullopt;
    return StopDecision{r->id, r->summary.render(ctx)};
}

}  // namespace sshpath::verdict
