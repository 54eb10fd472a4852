#include "yaml_source.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>

#include "sshpath/rules/suggest.h"

namespace sshpath::rules {

// Messages are one line: the CLI prints them as "file:line: problem".
std::string one_line(std::string_view s, std::size_t max) {
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

Where Source::locate(const YAML::Node& value, std::string_view parsed, std::size_t offset) const {
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


namespace {

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

// Whether text after the document Load returned may have been left unread. A mapping in block
// style that starts at column 0 reads to the end of the stream or to a line that starts a
// document ("---"), ends one ("...") or holds a directive ("%"): anything else in its way is a
// syntax error of Load itself. Other roots (a flow collection, a scalar, an indented mapping)
// end where their text ends and leave the rest unread ("{a: 1} b", "," in yaml-cpp 0.7).
bool may_leave_text_unread(const YAML::Node& root, std::string_view text) {
    if (!root.IsMap() || root.Style() != YAML::EmitterStyle::Block || root.Mark().column != 0) return true;
    for (std::size_t at = 0; at < text.size();) {
        if (text.compare(at, 3, "---") == 0 || text.compare(at, 3, "...") == 0 || text[at] == '%') return true;
        const auto nl = text.find('\n', at);
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    return false;
}

}  // namespace

// The file's single document (a null node when there is none). yaml-cpp 0.7's LoadAll loops
// forever on some malformed input (e.g. ","; fixed upstream in yaml-cpp PR #1319), so the
// document is loaded with Load and, where text may be left after it, the documents are counted
// with a parser stepped at most twice: a second document that starts where the first did is
// that bug, not a document. A rule file is a block mapping without markers: one pass, which
// halves the time spent loading the rules.
YAML::Node load_document(const Source& src) {
    const std::string text(src.text());
    YAML::Node root;
    DocumentStarts docs;
    try {
        root = YAML::Load(text);
        if (!may_leave_text_unread(root, text)) return root;
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

int value_line(const Entry& e) { return e.value.IsNull() ? line_of(e.key) : line_of(e.value); }

}  // namespace sshpath::rules
