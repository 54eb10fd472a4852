#include "sshpath/rules/rule_parser.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <span>

#include "sshpath/core/contract.h"
#include "sshpath/core/error.h"
#include "sshpath/rules/expression.h"
#include "sshpath/rules/suggest.h"
#include "sshpath/rules/text_template.h"
#include "fact_names.h"
#include "yaml_source.h"

namespace sshpath::rules {

namespace {

using facts::Scope;

constexpr std::string_view kRuleKeys[] = {
    "id",          "title",     "status",     "disabled_reason", "description", "references",
    "scope",       "priority",  "cause",      "component",       "candidates",  "confidence",
    "behaviour",   "rank",      "detail",     "stop",       "condition",       "summary",     "explanation",
    "evidence",    "next_steps", "falsepositives", "segment", "keep_verdict"};
// Keys that only rules yielding a verdict have.
constexpr std::string_view kVerdictKeys[] = {"cause", "component", "candidates", "confidence", "behaviour", "evidence", "next_steps"};
constexpr std::string_view kStatuses[] = {"stable", "experimental", "disabled"};
constexpr std::string_view kDetails[] = {"full", "line"};

std::vector<std::string_view> scope_words() {
    std::vector<std::string_view> out;
    for (std::size_t s = 0; s < facts::kScopeCount; ++s) out.push_back(facts::scope_name(static_cast<Scope>(s)));
    return out;
}

class RuleParser {
public:
    RuleParser(const Source& src, const ParameterMap& parameters) : src_(src) {
        for (const auto& [name, p] : parameters) values_[name] = p.value;
    }

    Rule parse() {
        const YAML::Node root = load_document(src_);
        if (!root.IsDefined() || root.IsNull())
            src_.fail(1, "the file is empty; a rule file holds one mapping (id, title, status, ...)");
        if (!root.IsMap())
            src_.fail(line_of(root), fmt::format("a rule file holds one mapping (id: ..., title: ...), not {}", kind_of(root)));
        map_line_ = line_of(root);
        entries_ = read_keys(src_, root, kRuleKeys, "a rule");

        Rule r;
        r.file = src_.file();
        r.id = string("id", true);
        r.line = line_of(entries_.at("id").key);
        if (!std::all_of(r.id.begin(), r.id.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
            }))
            fail_value("id", fmt::format("id {} may only hold lower-case letters, digits, '.' and '-'", in_quotes(r.id)));
        r.title = string("title", true);
        r.status = static_cast<Status>(word_index("status", kStatuses, "status"));
        r.disabled_reason = string("disabled_reason", false);
        if (r.status == Status::kDisabled && r.disabled_reason.empty())
            src_.fail(line_of(entries_.at("status").key), "a disabled rule needs 'disabled_reason' saying why");
        if (r.status != Status::kDisabled && has("disabled_reason"))
            src_.fail(line_of(entries_.at("disabled_reason").key),
                      fmt::format("'disabled_reason' is only for disabled rules; this one is {}", status_name(r.status)));
        r.description = string("description", true);
        r.references = strings("references");
        if (has("scope")) r.scope = static_cast<Scope>(word_index("scope", scope_words(), "scope"));
        r.priority = integer("priority");
        pair_keys(r);
        switch (yields(r.scope)) {
        case Yields::kVerdict:
            if (r.keep_verdict)
                kept_verdict_keys(r);
            else
                verdict_keys(r);
            break;
        case Yields::kRank:
            not_for_scope(r.scope, "rank");
            r.rank = integer("rank");
            if (has("detail")) r.detail_full = word_index("detail", kDetails, "detail") == 0;
            break;
        case Yields::kStop:
            not_for_scope(r.scope, "stop");
            r.stop = boolean("stop");
            break;
        }
        r.condition = condition(r.scope);
        r.summary = templ("summary", r.scope, yields(r.scope) == Yields::kVerdict);
        r.explanation = templ("explanation", r.scope, false);
        r.falsepositives = strings("falsepositives");
        return r;
    }

private:
    bool has(std::string_view key) const { return entries_.find(key) != entries_.end(); }

    // The keys of a verdict: cause, component, candidates, confidence, evidence, next steps.
    void verdict_keys(Rule& r) {
        for (std::string_view other : {"rank", "detail", "stop"})
            if (has(other))
                src_.fail(line_of(entries_.at(std::string(other)).key),
                          fmt::format("'{}' is not for rules of scope {} (they give a verdict: cause, component, ...)",
                                      other, facts::scope_name(r.scope)));
        r.cause = static_cast<contract::Cause>(word_index("cause", contract::kCauses, "contract cause"));
        r.component = static_cast<contract::Component>(word_index("component", contract::kComponents, "contract component"));
        if (has("candidates")) {
            const auto items = list("candidates");
            // A one-sided capture shows no failure at all, so nobody is a candidate.
            if (items.empty() && r.cause != contract::Cause::kOneSidedCapture)
                fail_value("candidates", "'candidates' is empty; list the components that may be at fault");
            for (const auto& [text, node] : items) {
                const auto c = contract::component_from(text);
                if (!c)
                    src_.fail(line_of(node), fmt::format("candidate {} is not a contract component{}", in_quotes(text),
                                                         word_hint(text, contract::kComponents)));
                if (std::find(r.candidates.begin(), r.candidates.end(), *c) != r.candidates.end())
                    src_.fail(line_of(node), fmt::format("candidate {} is listed twice", in_quotes(text)));
                r.candidates.push_back(*c);
            }
        } else if (r.component == contract::Component::kUnknown) {
            src_.fail(line_of(entries_.at("component").key),
                      "component is unknown, so 'candidates' must list the components that may be at fault");
        } else {
            r.candidates = {r.component};
        }
        r.confidence = static_cast<contract::Confidence>(word_index("confidence", contract::kConfidences, "confidence"));
        if (has("behaviour")) {
            r.behaviour = static_cast<Behaviour>(word_index("behaviour", kBehaviours, "behaviour"));
            r.behaviour_line = line_of(entries_.at("behaviour").key);
        }
        for (const auto& [name, node] : list("evidence")) {
            const facts::Spec* spec = facts::find(name, r.scope);
            if (!spec) {
                std::string why;
                try {
                    resolve_fact(name, r.scope);
                    why = fmt::format("{} is not a fact of the rule's own scope ({}): evidence cites those", in_quotes(name),
                                      facts::scope_name(r.scope));
                } catch (const FactNameError& e) {
                    why = e.what();
                }
                src_.fail(line_of(node), fmt::format("evidence: {}", why));
            }
            if (std::find(r.evidence.begin(), r.evidence.end(), spec) != r.evidence.end())
                src_.fail(line_of(node), fmt::format("evidence: {} is listed twice", in_quotes(name)));
            r.evidence.push_back(spec);
        }
        int index = 0;
        for (const auto& [text, node] : list("next_steps")) {
            ++index;
            r.next_steps.push_back(compile_template(fmt::format("next_steps item {}", index), node, text, r.scope));
        }
    }

    // Scope pair: the segment (required) and keep_verdict; no other scope has them.
    void pair_keys(Rule& r) {
        if (r.scope != Scope::kPair) {
            for (std::string_view key : {"segment", "keep_verdict"})
                if (has(key))
                    src_.fail(line_of(entries_.at(std::string(key)).key),
                              fmt::format("'{}' is only for rules of scope pair (two captures of one attempt)", key));
            return;
        }
        r.segment = static_cast<contract::Segment>(word_index("segment", contract::kSegments, "segment"));
        if (has("keep_verdict")) r.keep_verdict = boolean("keep_verdict");
    }

    // keep_verdict: the client capture's verdict stands, so the rule names none of its words.
    void kept_verdict_keys(Rule& r) {
        for (std::string_view key : {"cause", "component", "candidates", "confidence", "behaviour", "rank", "stop"})
            if (has(key))
                src_.fail(line_of(entries_.at(std::string(key)).key),
                          fmt::format("'{}' is not for a rule with keep_verdict: true (the client capture's verdict stands)", key));
        for (const auto& [name, node] : list("evidence")) {
            const facts::Spec* spec = facts::find(name, r.scope);
            if (!spec) src_.fail(line_of(node), fmt::format("evidence: {} is not a pair fact", in_quotes(name)));
            r.evidence.push_back(spec);
        }
        int index = 0;
        for (const auto& [text, node] : list("next_steps")) {
            ++index;
            r.next_steps.push_back(compile_template(fmt::format("next_steps item {}", index), node, text, r.scope));
        }
    }

    // Rules that yield a rank or a stop have none of the verdict's keys.
    void not_for_scope(Scope scope, std::string_view yields_key) const {
        for (std::string_view key : kVerdictKeys)
            if (has(key))
                src_.fail(line_of(entries_.at(std::string(key)).key),
                          fmt::format("'{}' is not for rules of scope {} (they give '{}')", key, facts::scope_name(scope),
                                      yields_key));
        for (std::string_view other : {"rank", "stop"})
            if (other != yields_key && has(other))
                src_.fail(line_of(entries_.at(std::string(other)).key),
                          fmt::format("'{}' is not for rules of scope {} (they give '{}')", other, facts::scope_name(scope),
                                      yields_key));
        if (yields_key != "rank" && has("detail"))
            src_.fail(line_of(entries_.at("detail").key),
                      "'detail' is only for rules of scope attempt (it says how a report shows the attempts they rank)");
    }

    [[noreturn]] void fail_value(std::string_view key, std::string_view problem) const {
        src_.fail(value_line(entries_.find(key)->second), problem);
    }

    // A string value; "" when optional and absent.
    std::string string(std::string_view key, bool required) const {
        auto it = entries_.find(key);
        if (it == entries_.end()) {
            if (required) src_.fail(map_line_, fmt::format("missing required key '{}'", key));
            return {};
        }
        const Entry& e = it->second;
        if (e.value.IsNull()) src_.fail(line_of(e.key), fmt::format("'{}' has no value", key));
        if (!e.value.IsScalar())
            src_.fail(value_line(e), fmt::format("'{}' must be a string, not {}", key, kind_of(e.value)));
        std::string s(rtrim(e.value.Scalar()));
        if (s.empty()) src_.fail(value_line(e), fmt::format("'{}' is empty", key));
        return s;
    }

    // The position of a required value among the allowed words.
    std::size_t word_index(std::string_view key, std::span<const std::string_view> allowed, std::string_view what) const {
        std::string s = string(key, true);
        const auto it = std::find(allowed.begin(), allowed.end(), s);
        if (it == allowed.end())
            fail_value(key, fmt::format("{} {} is not a {}{}", key, in_quotes(s), what, word_hint(s, allowed)));
        return static_cast<std::size_t>(it - allowed.begin());
    }

    static std::string word_hint(std::string_view s, std::span<const std::string_view> allowed) {
        std::string hint = did_you_mean(s, allowed);
        return hint.empty() ? fmt::format(" (one of: {})", join(allowed)) : hint;
    }

    const Entry& required(std::string_view key) const {
        auto it = entries_.find(key);
        if (it == entries_.end()) src_.fail(map_line_, fmt::format("missing required key '{}'", key));
        if (it->second.value.IsNull()) src_.fail(line_of(it->second.key), fmt::format("'{}' has no value", key));
        return it->second;
    }

    int integer(std::string_view key) const {
        const Entry& e = required(key);
        if (!e.value.IsScalar() || e.value.Tag() == "!")
            fail_value(key, fmt::format("'{}' must be an integer, not {}", key,
                                        e.value.IsScalar() ? "a quoted string" : kind_of(e.value)));
        const std::string& s = e.value.Scalar();
        int v = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec != std::errc() || r.ptr != s.data() + s.size())
            fail_value(key, fmt::format("'{}' must be an integer, not {}", key, in_quotes(s)));
        return v;
    }

    bool boolean(std::string_view key) const {
        const Entry& e = required(key);
        const std::string s = e.value.IsScalar() && e.value.Tag() != "!" ? e.value.Scalar() : std::string();
        if (s == "true") return true;
        if (s == "false") return false;
        fail_value(key, fmt::format("'{}' must be true or false, not {}", key,
                                    !e.value.IsScalar() ? std::string(kind_of(e.value)) : in_quotes(e.value.Scalar())));
    }

    // A list of strings with the node of each item; empty when absent.
    std::vector<std::pair<std::string, YAML::Node>> list(std::string_view key) const {
        std::vector<std::pair<std::string, YAML::Node>> out;
        auto it = entries_.find(key);
        if (it == entries_.end()) return out;
        const Entry& e = it->second;
        if (!e.value.IsSequence())
            src_.fail(value_line(e), fmt::format("'{}' must be a list of strings, not {}", key, kind_of(e.value)));
        int index = 0;
        for (const YAML::Node& item : e.value) {
            ++index;
            if (!item.IsScalar())
                src_.fail(item.IsNull() ? value_line(e) : line_of(item),
                          fmt::format("'{}' item {} must be a string, not {}", key, index, kind_of(item)));
            std::string s(rtrim(item.Scalar()));
            if (s.empty()) src_.fail(line_of(item), fmt::format("'{}' item {} is empty", key, index));
            out.emplace_back(std::move(s), item);
        }
        return out;
    }

    std::vector<std::string> strings(std::string_view key) const {
        std::vector<std::string> out;
        for (auto& [s, node] : list(key)) out.push_back(std::move(s));
        return out;
    }

    // "condition, column 5: unknown fact 'x' (did you mean 'y'?); here: x > 1 and ..."
    [[noreturn]] void fail_at(std::string_view field, const YAML::Node& node, std::string_view text,
                              const ExpressionError& e) const {
        const Where w = src_.locate(node, node.Scalar(), e.offset());
        std::string where = w.column > 0 ? fmt::format("{}, column {}", field, w.column) : std::string(field);
        std::string rest = one_line(text.substr(std::min(e.offset(), text.size())), 40);
        src_.fail(w.line, rest.empty() ? fmt::format("{}: {}", where, e.problem())
                                       : fmt::format("{}: {}; here: {}", where, e.problem(), rest));
    }

    std::shared_ptr<const Expression> condition(Scope scope) const {
        const std::string text = string("condition", true);
        const Entry& e = entries_.at("condition");
        try {
            return Expression::compile(text, scope, values_);
        } catch (const ExpressionError& err) {
            fail_at("condition", e.value, text, err);
        }
    }

    Template compile_template(std::string_view field, const YAML::Node& node, const std::string& text, Scope scope) const {
        try {
            return Template::compile(text, scope, values_);
        } catch (const ExpressionError& err) {
            fail_at(field, node, text, err);
        }
    }

    Template templ(std::string_view key, Scope scope, bool required) const {
        std::string text = string(key, required);
        if (text.empty()) return {};
        return compile_template(key, entries_.at(std::string(key)).value, text, scope);
    }

    const Source& src_;
    ParameterValues values_;
    std::map<std::string, Entry, std::less<>> entries_;
    int map_line_ = 1;
};

}  // namespace

std::string_view status_name(Status s) { return kStatuses[static_cast<std::size_t>(s)]; }

Yields yields(facts::Scope scope) {
    switch (scope) {
    case Scope::kAttempt: return Yields::kRank;
    case Scope::kLive: return Yields::kStop;
    default: return Yields::kVerdict;
    }
}

Rule parse_rule(std::string_view text, const std::string& file, const ParameterMap& parameters) {
    const Source src(text, file);
    try {
        return RuleParser(src, parameters).parse();
    } catch (const YAML::Exception& e) {
        // Node access never throws on the paths above; this keeps a yaml-cpp surprise a RuleError.
        src.fail(e.mark.is_null() ? 1 : e.mark.line + 1, fmt::format("YAML error: {}", e.msg));
    }
}

void fuzz_rule_text(std::string_view yaml_text) {
    static const ParameterMap kParameters = [] {
        ParameterMap m;
        m["silent_drop_min_syns"] = Parameter{"silent_drop_min_syns", 2, "packets", "SYNs without an answer", 1};
        m["banner_timeout_s"] = Parameter{"banner_timeout_s", 10, "s", "seconds without a banner", 5};
        m["ratio"] = Parameter{"ratio", 0.25, "", "a fraction", 9};
        return m;
    }();
    try {
        parse_parameters(yaml_text, "fuzz-parameters.yaml");
    } catch (const RuleError&) {
    }
    const Rule rule = parse_rule(yaml_text, "fuzz.yaml", kParameters);
    const facts::Context ctx;
    (void)rule.condition->evaluate(ctx);
    (void)rule.condition->explain(ctx);
    (void)rule.condition->input_values(ctx);
    (void)rule.summary.render(ctx);
    (void)rule.explanation.render(ctx);
    for (const auto& step : rule.next_steps) (void)step.render(ctx);
}

}  // namespace sshpath::rules
