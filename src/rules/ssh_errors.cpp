#include "sshpath/rules/ssh_errors.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>
#include <map>

#include "sshpath/core/error.h"
#include "yaml_source.h"

namespace sshpath::rules {

namespace {

constexpr std::string_view kKeys = "contains, regex, kind, note";
// ssh's own lines are short; a longer one (a remote program's output) is not searched with the
// regular expressions: std::regex recurses per character and backtracks.
constexpr std::size_t kRegexLineMax = 2048;

bool valid_kind(std::string_view k) {
    if (k.empty() || k.front() < 'a' || k.front() > 'z' || k.back() == '-') return false;
    for (std::size_t i = 0; i < k.size(); ++i) {
        const char c = k[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && k[i - 1] != '-');
        if (!ok) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

// ssh -v, -vv, -vvv prefix their lines so.
bool is_debug(std::string_view line) {
    return line.starts_with("debug1: ") || line.starts_with("debug2: ") || line.starts_with("debug3: ");
}

std::string_view without_debug(std::string_view line) { return is_debug(line) ? trim(line.substr(8)) : line; }

class Parser {
public:
    Parser(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(int line, const std::string& problem) const { throw RuleError(file_, line, problem); }

    SshErrorPattern entry(const YAML::Node& node) const {
        if (!node.IsMap()) fail(line_of(node), "an entry is a mapping (contains: TEXT or regex: EXPR, and kind: KIND)");
        SshErrorPattern p;
        p.line = line_of(node);
        std::map<std::string, YAML::Node> keys;
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node key = it->first, value = it->second;
            if (!key.IsScalar()) fail(line_of(key), "a key must be a name");
            const std::string& name = key.Scalar();
            if (name != "contains" && name != "regex" && name != "kind" && name != "note")
                fail(line_of(key), fmt::format("unknown key {} (expected {})", in_quotes(name), kKeys));
            if (keys.count(name)) fail(line_of(key), fmt::format("duplicate key {}", in_quotes(name)));
            if (!value.IsScalar() || value.Scalar().empty())
                fail(line_of(value.IsDefined() && !value.IsNull() ? value : key), fmt::format("{} must be a non-empty string", in_quotes(name)));
            keys.emplace(name, value);
        }
        const bool contains = keys.count("contains") > 0, regex = keys.count("regex") > 0;
        if (contains == regex) fail(p.line, "an entry needs exactly one of 'contains' and 'regex'");
        if (!keys.count("kind")) fail(p.line, "an entry needs a 'kind'");
        const YAML::Node pattern = contains ? keys["contains"] : keys["regex"];
        p.text = pattern.Scalar();
        p.is_regex = regex;
        if (regex) {
            try {
                p.regex = std::make_shared<const std::regex>(p.text, std::regex::ECMAScript | std::regex::optimize);
            } catch (const std::regex_error& e) {
                fail(line_of(pattern), fmt::format("regex {} does not compile: {}", in_quotes(p.text), e.what()));
            }
        }
        p.kind = keys["kind"].Scalar();
        if (!valid_kind(p.kind))
            fail(line_of(keys["kind"]), fmt::format("kind {} must be lower-case words joined by '-' (e.g. timed-out)", in_quotes(p.kind)));
        if (p.kind == "none" || p.kind == "other")
            fail(line_of(keys["kind"]), fmt::format("kind {} is sshpath's own (a command that succeeded, or an unrecognised line)",
                                                    in_quotes(p.kind)));
        if (keys.count("note")) p.note = keys["note"].Scalar();
        return p;
    }

private:
    std::string file_;
};

}  // namespace

bool SshErrorPattern::matches(std::string_view line) const {
    if (!is_regex) return line.find(text) != std::string_view::npos;
    return line.size() <= kRegexLineMax && std::regex_search(line.begin(), line.end(), *regex);
}

SshErrorTable SshErrorTable::parse(std::string_view text, const std::string& file) {
    const Parser parser(file);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        parser.fail(e.mark.is_null() ? 1 : e.mark.line + 1, fmt::format("YAML syntax error: {}", e.msg));
    }
    SshErrorTable table;
    if (!root.IsDefined() || root.IsNull()) return table;
    if (!root.IsSequence()) parser.fail(line_of(root), "the table is a list of entries (- contains: TEXT / regex: EXPR, kind: KIND)");
    for (const auto& node : root) {
        SshErrorPattern p = parser.entry(node);
        for (const auto& e : table.entries_)
            if (e.text == p.text && e.is_regex == p.is_regex)
                parser.fail(p.line, fmt::format("the same pattern as line {}", e.line));
        table.entries_.push_back(std::move(p));
    }
    return table;
}

SshErrorTable SshErrorTable::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RuleError(path.string(), 0, "cannot open the file");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return parse(text, path.string());
}

const SshErrorPattern* SshErrorTable::match(std::string_view line) const {
    for (const auto& e : entries_)
        if (e.matches(line)) return &e;
    return nullptr;
}

std::string_view SshErrorTable::classify(std::string_view raw) const {
    const std::string_view line = without_debug(trim(raw));
    if (line.empty()) return "";
    const SshErrorPattern* e = match(line);
    return e == nullptr || e->kind == kIgnoreKind ? std::string_view() : std::string_view(e->kind);
}

ClientError SshErrorTable::find_client_error(std::string_view text, int exit_status) const {
    ClientError out;
    out.kind = "none";
    if (exit_status == 0) return out;
    std::string_view first_debug, first_debug_kind, last_other;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.empty()) continue;
        if (is_debug(line)) {
            // -vvv prints thousands of them: only the first with a kind counts.
            if (first_debug.empty()) {
                const std::string_view kind = classify(line);
                if (!kind.empty()) first_debug = line, first_debug_kind = kind;
            }
            continue;
        }
        const SshErrorPattern* e = match(line);
        if (e != nullptr && e->kind != kIgnoreKind) {
            out.line = line;
            out.kind = e->kind;
            return out;
        }
        if (e == nullptr) last_other = line;
    }
    if (!first_debug.empty()) {
        out.line = first_debug;
        out.kind = first_debug_kind;
    } else if (!last_other.empty()) {
        out.line = last_other;
        out.kind = "other";
    }
    return out;
}

}  // namespace sshpath::rules
