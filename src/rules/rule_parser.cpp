#include "sshpath/rules/rule_parser.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <sstream>

#include "sshpath/core/contract.h"
#include "sshpath/core/error.h"
#include "sshpath/rules/expression.h"
#include "sshpath/rules/suggest.h"
#include "sshpath/rules/text_template.h"

namespace sshpath::rules {

namespace {

using evidence::Scope;

constexpr std::string_view kRuleKeys[] = {
    "id",          "title",     "status",     "disabled_reason", "description", "references",
    "scope",       "priority",  "cause",      "component",       "candidates",  "confidence",
    "condition",   "summary",   "explanation", "evidence",       "next_steps",  "falsepositives"};
constexpr std::string_view kParameterKeys[] = {"value", "unit", "description"};
constexpr std::string_view kStatuses[] = {"stable", "experimental", "disabled"};
constexpr std::string_view kScopes[] = {"flow", "capture"};

// Messages are one line: the CLI prints them as "file:line: problem".
std::string one_line(std::string_view s, std::size_t max = std::string_view::npos) {
    std::string out;
    for (char c : s.substr(0, max)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    if (max != std::string_view::npos && s.size() > max) out += "...";
    return out;
}

std::string in_quotes(std::string_view s) { return "'" + one_line(s, 60) + "'"; }

std::string_view rtrim(std::string_view s) {
    const auto end = s.find_last_not_of(" \t\r\n");
    return end == std::string_view::npos ? std::string_view{} : s.substr(0, end + 1);
}

std::string_view kind_of(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null: return "nothing";
    default: return "a single value";
    }
}

int line_of(const YAML::Node& n) {
    const YAML::Mark m = n.Mark();
    return m.is_null() ? 1 : m.line + 1;
}

std::string join(std::span<const std::string_view> words) {
    std::string out;
    for (auto w : words) {
        if (!out.empty()) out += ", ";
        out += w;
    }
    return out;
}

struct Where {
    int line;
    int column;  // 0: unknown
};

// The text of a file being parsed, for messages and for finding positions inside scalars.
class Source {
public:
    Source(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            lines_.push_back(line);
            start = end + 1;
        }
    }

    const std::string& file() const { return file_; }
    std::string_view text() const { return text_; }

    [[noreturn]] void fail(int line, std::string_view problem) const {
        throw RuleError(file_, line, one_line(problem));
    }

    // Where byte `offset` of a scalar's value (as yaml-cpp returned it) is in the file. Block
    // scalars (| and >) and multi-line plain scalars fold their lines, so each source line of
    // the scalar is looked up in the value in turn. Escapes in quoted scalars defeat the lookup;
    // the position is then the nearest line found, which is close enough for a message.
    Where locate(const YAML::Node& value, std::string_view parsed, std::size_t offset) const {
        const YAML::Mark m = value.Mark();
        if (m.is_null() || m.line < 0 || static_cast<std::size_t>(m.line) >= lines_.size()) return {line_of(value), 0};
        const auto first_line = static_cast<std::size_t>(m.line);
        const std::string_view first = lines_[first_line];
        const auto col = static_cast<std::size_t>(std::max(m.column, 0));
        const char lead = col < first.size() ? first[col] : '\0';
        const bool block = lead == '|' || lead == '>';
        const bool quote = lead == '\'' || lead == '"';
        const std::size_t key_indent = indent(first);

        struct Segment {
            std::size_t line, column, offset, length;
        };
        std::vector<Segment> segments;
        std::size_t pos = 0;
        auto add = [&](std::size_t line, std::size_t column) {
            std::string_view s = lines_[line].substr(std::min(column, lines_[line].size()));
            const auto skip = s.find_first_not_of(" \t");
            if (skip == std::string_view::npos) return;
            s.remove_prefix(skip);
            column += skip;
            s = rtrim(s);
            // The line as written; without a closing quote; without a comment; and the part
            // after the last escape or quote (whose spelling differs from the value).
            std::string_view unquoted = s;
            if (!s.empty() && (s.back() == '\'' || s.back() == '"')) unquoted.remove_suffix(1);
            std::string_view uncommented = s;
            if (auto hash = s.find(" #"); hash != std::string_view::npos) uncommented = rtrim(s.substr(0, hash));
            std::size_t tail = unquoted.find_last_of("\\'\"");
            tail = tail == std::string_view::npos ? 0 : tail + 1;
            while (tail < unquoted.size() && unquoted[tail] == ' ') ++tail;
            const std::pair<std::size_t, std::string_view> tries[] = {
                {0, s}, {0, unquoted}, {0, uncommented}, {tail, unquoted.substr(tail)}};
            for (const auto& [skip, t] : tries) {
                if (t.empty()) continue;
                const auto at = parsed.find(t, pos);
                if (at == std::string_view::npos) continue;
                segments.push_back({line, column + skip, at, t.size()});
                pos = at + t.size();
                return;
            }
        };
        if (!block) add(first_line, quote ? col + 1 : col);
        for (std::size_t l = first_line + 1; l < lines_.size(); ++l) {
            if (lines_[l].find_first_not_of(" \t") == std::string_view::npos) continue;
            if (indent(lines_[l]) <= key_indent) break;
            add(l, 0);
        }
        if (segments.empty()) {
            const bool one_line_before = parsed.substr(0, std::min(offset, parsed.size())).find('\n') == std::string_view::npos;
            return {m.line + 1, one_line_before && !block ? static_cast<int>(col + (quote ? 1 : 0) + offset + 1) : 0};
        }
        const Segment* s = &segments.front();
        for (const auto& g : segments) {
            if (g.offset > offset) break;
            s = &g;
        }
        const std::size_t within = offset < s->offset ? 0 : std::min(offset - s->offset, s->length);
        return {static_cast<int>(s->line + 1), static_cast<int>(s->column + within + 1)};
    }

private:
    static std::size_t indent(std::string_view line) {
        const auto i = line.find_first_not_of(' ');
        return i == std::string_view::npos ? line.size() : i;
    }

    std::string_view text_;
    std::string file_;
    std::vector<std::string_view> lines_;
};

// Records where documents start; the nodes themselves come from YAML::Load.
class DocumentStarts : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

    std::vector<YAML::Mark> starts;
};

[[noreturn]] void fail_yaml(const Source& src, const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    const std::string column = e.mark.is_null() ? "" : fmt::format(" (column {})", e.mark.column + 1);
    src.fail(line, fmt::format("YAML syntax error: {}{}", e.msg, column));
}

// The file's single document (a null node when there is none). yaml-cpp 0.7's LoadAll loops
// forever on some malformed input (e.g. ","; fixed upstream in yaml-cpp PR #1319), so the
// document is loaded with Load and the documents are counted with a parser stepped at most
// twice: a second document that starts where the first did is that bug, not a document.
YAML::Node load_document(const Source& src) {
    const std::string text(src.text());
    YAML::Node root;
    DocumentStarts docs;
    try {
        root = YAML::Load(text);
        std::istringstream in(text);
        YAML::Parser parser(in);
        for (int i = 0; i < 2 && parser.HandleNextDocument(docs); ++i) {
        }
    } catch (const YAML::Exception& e) {
        fail_yaml(src, e);
    }
    if (docs.starts.size() > 1) {
        const YAML::Mark second = docs.starts[1];
        if (second.pos == docs.starts[0].pos)
            src.fail(second.line + 1, fmt::format("YAML syntax error: unexpected character (column {})", second.column + 1));
        src.fail(second.line + 1, "one rule or parameter set per file; found a second YAML document");
    }
    return root;
}

struct Entry {
    YAML::Node key;
    YAML::Node value;
};

// The keys of a mapping, checked: scalar, not repeated, known.
std::map<std::string, Entry, std::less<>> read_keys(const Source& src, const YAML::Node& map,
                                                    std::span<const std::string_view> known, std::string_view what) {
    std::map<std::string, Entry, std::less<>> out;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar()) src.fail(line_of(key), fmt::format("a key of {} must be a name, not {}", what, kind_of(key)));
        const std::string& name = key.Scalar();
        if (auto found = out.find(name); found != out.end())
            src.fail(line_of(key), fmt::format("duplicate key {} (first on line {})", in_quotes(name), line_of(found->second.key)));
        if (std::find(known.begin(), known.end(), name) == known.end())
            src.fail(line_of(key), fmt::format("unknown key {} in {}{}", in_quotes(name), what, did_you_mean(name, known)));
        out.emplace(name, Entry{key, it->second});
    }
    return out;
}

// Where a problem with a value is: the value's line, or its key's when the value is empty
// (yaml-cpp marks an empty value at the next token).
int value_line(const Entry& e) { return e.value.IsNull() ? line_of(e.key) : line_of(e.value); }

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
        r.status = word("status", kStatuses, "status");
        r.disabled_reason = string("disabled_reason", false);
        if (r.status == "disabled" && r.disabled_reason.empty())
            src_.fail(line_of(entries_.at("status").key), "a disabled rule needs 'disabled_reason' saying why");
        if (r.status != "disabled" && has("disabled_reason"))
            src_.fail(line_of(entries_.at("disabled_reason").key),
                      fmt::format("'disabled_reason' is only for disabled rules; this one is {}", r.status));
        r.description = string("description", true);
        r.references = strings("references");
        if (has("scope")) r.scope = word("scope", kScopes, "scope") == "capture" ? Scope::kCapture : Scope::kFlow;
        r.priority = integer("priority");
        r.cause = word("cause", contract::kCauses, "contract cause");
        r.component = word("component", contract::kComponents, "contract component");
        if (has("candidates")) {
            const auto items = list("candidates");
            // A one-sided capture shows no failure at all, so nobody is a candidate.
            if (items.empty() && r.cause != "one-sided-capture")
                fail_value("candidates", "'candidates' is empty; list the components that may be at fault");
            for (const auto& [text, node] : items) {
                if (!contract::is_component(text))
                    src_.fail(line_of(node), fmt::format("candidate {} is not a contract component{}", in_quotes(text),
                                                         word_hint(text, contract::kComponents)));
                if (std::find(r.candidates.begin(), r.candidates.end(), text) != r.candidates.end())
                    src_.fail(line_of(node), fmt::format("candidate {} is listed twice", in_quotes(text)));
                r.candidates.push_back(text);
            }
        } else if (r.component == "unknown") {
            src_.fail(line_of(entries_.at("component").key),
                      "component is unknown, so 'candidates' must list the components that may be at fault");
        } else {
            r.candidates = {r.component};
        }
        r.confidence = word("confidence", contract::kConfidences, "confidence");
        r.condition = condition(r.scope);
        r.condition_text = r.condition->text();
        r.summary = templ("summary", r.scope, true);
        r.explanation = templ("explanation", r.scope, false);
        for (const auto& [name, node] : list("evidence")) {
            if (!evidence::find_fact(name, r.scope))
                src_.fail(line_of(node), fmt::format("evidence: {}", unknown_fact(name, r.scope)));
            if (std::find(r.evidence.begin(), r.evidence.end(), name) != r.evidence.end())
                src_.fail(line_of(node), fmt::format("evidence: {} is listed twice", in_quotes(name)));
            r.evidence.push_back(name);
        }
        int index = 0;
        for (const auto& [text, node] : list("next_steps")) {
            ++index;
            check_template_at(fmt::format("next_steps item {}", index), node, text, r.scope);
            r.next_steps.push_back(text);
        }
        r.falsepositives = strings("falsepositives");
        return r;
    }

private:
    bool has(std::string_view key) const { return entries_.find(key) != entries_.end(); }

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

    std::string word(std::string_view key, std::span<const std::string_view> allowed, std::string_view what) const {
        std::string s = string(key, true);
        if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
            fail_value(key, fmt::format("{} {} is not a {}{}", key, in_quotes(s), what, word_hint(s, allowed)));
        return s;
    }

    static std::string word_hint(std::string_view s, std::span<const std::string_view> allowed) {
        std::string hint = did_you_mean(s, allowed);
        return hint.empty() ? fmt::format(" (one of: {})", join(allowed)) : hint;
    }

    int integer(std::string_view key) const {
        auto it = entries_.find(key);
        if (it == entries_.end()) src_.fail(map_line_, fmt::format("missing required key '{}'", key));
        const Entry& e = it->second;
        if (e.value.IsNull()) src_.fail(line_of(e.key), fmt::format("'{}' has no value", key));
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

    void check_template_at(std::string_view field, const YAML::Node& node, const std::string& text, Scope scope) const {
        try {
            check_template(text, scope, values_);
        } catch (const ExpressionError& err) {
            fail_at(field, node, text, err);
        }
    }

    std::string templ(std::string_view key, Scope scope, bool required) const {
        std::string text = string(key, required);
        if (!text.empty()) check_template_at(key, entries_.at(std::string(key)).value, text, scope);
        return text;
    }

    std::string unknown_fact(std::string_view name, Scope scope) const {
        const Scope other = scope == Scope::kFlow ? Scope::kCapture : Scope::kFlow;
        if (evidence::find_fact(name, other))
            return fmt::format("{} is a {} fact; this rule has scope {}", in_quotes(name), evidence::scope_name(other),
                               evidence::scope_name(scope));
        std::vector<std::string_view> names;
        for (const auto& f : evidence::catalogue())
            if (f.scope == scope) names.push_back(f.name);
        return fmt::format("unknown fact {}{}", in_quotes(name), did_you_mean(name, names));
    }

    const Source& src_;
    ParameterValues values_;
    std::map<std::string, Entry, std::less<>> entries_;
    int map_line_ = 1;
};

bool valid_parameter_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

ParameterMap parse_parameters(std::string_view text, const std::string& file) {
    const Source src(text, file);
    ParameterMap out;
    try {
        const YAML::Node root = load_document(src);
        if (!root.IsDefined() || root.IsNull()) return out;
        if (!root.IsMap())
            src.fail(line_of(root), fmt::format("parameters are a mapping of names (name: {{value: ..., description: ...}}), "
                                                "not {}",
                                                kind_of(root)));
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node body = it->second;
            if (!key.IsScalar()) src.fail(line_of(key), fmt::format("a parameter name must be a name, not {}", kind_of(key)));
            const std::string& name = key.Scalar();
            if (!valid_parameter_name(name))
                src.fail(line_of(key), fmt::format("parameter name {} may only hold lower-case letters, digits and '_'",
                                                   in_quotes(name)));
            if (auto found = out.find(name); found != out.end())
                src.fail(line_of(key), fmt::format("duplicate parameter {} (first on line {})", in_quotes(name), found->second.line));
            if (!body.IsMap())
                src.fail(body.IsNull() ? line_of(key) : line_of(body),
                         fmt::format("parameter {} must be a mapping with value, unit and description, not {}", in_quotes(name),
                                     kind_of(body)));
            const auto keys = read_keys(src, body, kParameterKeys, fmt::format("parameter {}", in_quotes(name)));
            Parameter p;
            p.name = name;
            p.line = line_of(key);
            auto value = keys.find("value");
            if (value == keys.end()) src.fail(p.line, fmt::format("parameter {} has no 'value'", in_quotes(name)));
            const YAML::Node v = value->second.value;
            const std::string number = v.IsScalar() ? v.Scalar() : std::string();
            const char* end = number.data() + number.size();
            auto r = std::from_chars(number.data(), end, p.value);
            if (!v.IsScalar() || v.Tag() == "!" || r.ec != std::errc() || r.ptr != end || !std::isfinite(p.value))
                src.fail(value_line(value->second),
                         fmt::format("parameter {}: 'value' must be a number, not {}", in_quotes(name),
                                     !v.IsScalar()       ? std::string(kind_of(v))
                                     : v.Tag() == "!"    ? "a quoted string"
                                                         : in_quotes(number)));
            auto text_of = [&](std::string_view k, bool required) -> std::string {
                auto e = keys.find(k);
                if (e == keys.end()) {
                    if (required) src.fail(p.line, fmt::format("parameter {} has no '{}'", in_quotes(name), k));
                    return {};
                }
                const YAML::Node n = e->second.value;
                if (!n.IsScalar() || rtrim(n.Scalar()).empty())
                    src.fail(value_line(e->second), fmt::format("parameter {}: '{}' must be a string, not {}", in_quotes(name), k,
                                                                n.IsScalar() ? "an empty one" : kind_of(n)));
                return std::string(rtrim(n.Scalar()));
            };
            p.unit = text_of("unit", false);
            p.description = text_of("description", true);
            out.emplace(name, std::move(p));
        }
    } catch (const YAML::Exception& e) {
        src.fail(e.mark.is_null() ? 1 : e.mark.line + 1, fmt::format("YAML error: {}", e.msg));
    }
    return out;
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
    const evidence::FactSet facts(rule.scope);
    ParameterValues values;
    for (const auto& [name, p] : kParameters) values[name] = p.value;
    (void)rule.condition->evaluate(facts);
    (void)rule.condition->explain(facts);
    (void)rule.condition->input_values(facts);
    (void)render_template(rule.summary, facts, values);
    (void)render_template(rule.explanation, facts, values);
    for (const auto& step : rule.next_steps) (void)render_template(step, facts, values);
}

}  // namespace sshpath::rules
