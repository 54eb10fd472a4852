#include "sshpath/rules/fixtures.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "sshpath/rules/expression.h"
#include "yaml_source.h"

namespace sshpath::rules {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFileKeys[] = {"rule", "decides", "rejects"};

std::vector<std::string_view> fixture_keys() {
    std::vector<std::string_view> keys = {"name"};
    for (std::size_t s = 0; s < facts::kScopeCount; ++s) keys.push_back(facts::scope_name(static_cast<facts::Scope>(s)));
    return keys;
}

// A fact's value from a YAML scalar, by the fact's type.
facts::Value value_of(const Source& src, const YAML::Node& node, const facts::Spec& spec) {
    if (!node.IsScalar())
        src.fail(line_of(node), fmt::format("fact '{}' needs a single value, not {}", spec.name, kind_of(node)));
    const std::string& text = node.Scalar();
    auto bad = [&]() -> facts::Value {
        src.fail(line_of(node), fmt::format("fact '{}' is {}; '{}' is not one", spec.name, facts::type_name(spec.type), one_line(text, 40)));
    };
    switch (spec.type) {
    case facts::Type::kBool:
        if (text == "true") return true;
        if (text == "false") return false;
        return bad();
    case facts::Type::kInt: {
        std::int64_t v = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return bad();
        return v;
    }
    case facts::Type::kReal: {
        double v = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return bad();
        return v;
    }
    case facts::Type::kString: return text;
    }
    return bad();
}

// One fixture: a fact set per scope it names.
struct Fixture {
    std::string name;
    int line = 0;
    std::vector<facts::FactSet> sets;
    facts::Context context() const {
        facts::Context ctx;
        for (const auto& s : sets) ctx.add(s);
        return ctx;
    }
};

Fixture read_fixture(const Source& src, const YAML::Node& node, const Rule& rule) {
    if (!node.IsMap()) src.fail(line_of(node), fmt::format("a fixture is a mapping (name: ..., {}: {{...}}), not {}",
                                                           facts::scope_name(rule.scope), kind_of(node)));
    const auto keys = fixture_keys();
    const auto entries = read_keys(src, node, keys, "a fixture");
    Fixture f;
    f.line = line_of(node);
    auto name = entries.find("name");
    if (name == entries.end() || !name->second.value.IsScalar() || name->second.value.Scalar().empty())
        src.fail(f.line, "a fixture needs a 'name' saying what it shows");
    f.name = name->second.value.Scalar();
    for (const auto& [key, e] : entries) {
        if (key == "name") continue;
        const auto scope = *facts::scope_from_name(key);
        if (!facts::readable_from(rule.scope, scope))
            src.fail(line_of(e.key), fmt::format("rule '{}' (scope {}) reads no {} facts", rule.id,
                                                 facts::scope_name(rule.scope), key));
        if (!e.value.IsMap() && !e.value.IsNull())
            src.fail(value_line(e), fmt::format("'{}' is a mapping of facts (name: value), not {}", key, kind_of(e.value)));
        facts::FactSet set(scope);
        for (auto it = e.value.begin(); e.value.IsMap() && it != e.value.end(); ++it) {
            const std::string fact = it->first.Scalar();
            const facts::Spec* spec = facts::find(fact, scope);
            if (!spec) src.fail(line_of(it->first), fmt::format("unknown {} fact '{}'", key, one_line(fact, 60)));
            set.set(*spec, value_of(src, it->second, *spec));
        }
        f.sets.push_back(std::move(set));
    }
    return f;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RuleError(path.string(), 0, "cannot open the file");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check_file(const RuleSet& rules, const fs::path& path, FixtureReport& report, std::map<std::string, int>& covered) {
    const std::string text = read_text(path);
    const Source src(text, path.string());
    const YAML::Node root = load_document(src);
    if (!root.IsMap()) src.fail(line_of(root), "a fixture file holds one mapping: rule, decides, rejects");
    const auto entries = read_keys(src, root, kFileKeys, "a fixture file");
    auto id = entries.find("rule");
    if (id == entries.end() || !id->second.value.IsScalar()) src.fail(line_of(root), "missing required key 'rule'");
    const Rule* rule = rules.find(id->second.value.Scalar());
    if (!rule) src.fail(value_line(id->second), fmt::format("no rule '{}' in the rule directory", one_line(id->second.value.Scalar(), 60)));
    for (const bool decides : {true, false}) {
        auto list = entries.find(decides ? "decides" : "rejects");
        if (list == entries.end()) continue;
        if (!list->second.value.IsSequence())
            src.fail(value_line(list->second), fmt::format("'{}' is a list of fixtures", list->first));
        for (const YAML::Node& node : list->second.value) {
            const Fixture f = read_fixture(src, node, *rule);
            FixtureResult r{rule->id, path.string(), f.line, f.name, decides, false, {}};
            const facts::Context ctx = f.context();
            if (decides) {
                const Rule* best = rules.best(ctx, rule->scope);
                r.passed = best == rule;
                if (!r.passed) r.problem = best ? fmt::format("decided by {}", best->id) : "no rule matches";
            } else {
                r.passed = !rule->condition->evaluate(ctx);
                if (!r.passed) r.problem = "its condition holds";
            }
            covered[rule->id] |= decides ? 1 : 2;
            report.results.push_back(std::move(r));
        }
    }
}

}  // namespace

bool FixtureReport::passed() const {
    return uncovered.empty() && std::all_of(results.begin(), results.end(), [](const FixtureResult& r) { return r.passed; });
}

FixtureReport test_rules(const RuleSet& rules, const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw RuleError(dir.string(), 0, "fixture directory not found");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto ext = e.path().extension();
        if ((ext == ".yaml" || ext == ".yml") && !e.path().filename().string().starts_with('.')) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    FixtureReport report;
    std::map<std::string, int> covered;
    for (const auto& f : files) check_file(rules, f, report, covered);
    for (const auto& r : rules.rules()) {
        if (!r.enabled()) continue;
        // A fallback whose condition always holds cannot be rejected.
        const int needed = r.condition->text() == "true" ? 1 : 3;
        const int c = covered[r.id];
        if ((c & needed) != needed)
            report.uncovered.push_back(fmt::format("{}: no {} fixture", r.id, c == 0 ? "'decides' or 'rejects'" : c == 1 ? "'rejects'" : "'decides'"));
    }
    return report;
}

}  // namespace sshpath::rules
