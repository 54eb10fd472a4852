#include "sshpath/rules/rule_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include "sshpath/core/error.h"
#include "sshpath/core/parallel.h"
#include "components.h"
#include "sshpath/rules/rule_parser.h"

namespace sshpath::rules {

namespace {

namespace fs = std::filesystem;

// Loading a rule set of a few hundred files gains nothing from more.
constexpr unsigned kParseThreads = 4;

bool is_parameters_file(const std::string& name) { return name == "parameters.yaml" || name == "parameters.yml"; }
bool is_components_file(const std::string& name) { return name == "components.yaml" || name == "components.yml"; }

// A data table, not a rule: how `sshpath run` reads ssh's error lines.
bool is_ssh_errors_file(const std::string& name) { return name == kSshErrorsFile; }

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RuleError(path.string(), 0, "cannot open the file");
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw RuleError(path.string(), 0, "cannot read the file");
    return text;
}

// Best first: priority, then specificity (conjuncts), then id.
bool better(const Rule& a, const Rule& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    const std::size_t ca = a.condition->conjunct_count(), cb = b.condition->conjunct_count();
    if (ca != cb) return ca > cb;
    return a.id < b.id;
}

}  // namespace

RuleSet RuleSet::load(const fs::path& dir) {
    const std::string where = dir.string();
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (!fs::exists(status)) throw RuleError(where, 0, "rule directory not found");
    if (!fs::is_directory(status)) throw RuleError(where, 0, "not a directory (expected the rule directory)");

    std::vector<std::string> names;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const std::string ext = it->path().extension().string();
        if (name.starts_with('.') || (ext != ".yaml" && ext != ".yml")) continue;
        std::error_code file_ec;
        if (!fs::is_regular_file(it->path(), file_ec)) continue;
        names.push_back(name);
    }
    if (ec) throw RuleError(where, 0, fmt::format("cannot read the rule directory: {}", ec.message()));
    std::sort(names.begin(), names.end());

    std::vector<RuleSource> rule_files;
    std::optional<RuleSource> parameters_file, components_file, ssh_errors_file;
    for (const auto& name : names) {
        const fs::path path = dir / name;
        if (is_ssh_errors_file(name)) {
            ssh_errors_file = RuleSource{path.string(), read_file(path)};
            continue;
        }
        RuleSource source{path.string(), read_file(path)};
        if (is_parameters_file(name)) {
            if (parameters_file)
                throw RuleError(source.file, 0, fmt::format("a second parameter file (there is already {})", parameters_file->file));
            parameters_file = std::move(source);
        } else if (is_components_file(name)) {
            components_file = std::move(source);
        } else {
            rule_files.push_back(std::move(source));
        }
    }
    if (rule_files.empty())
        throw RuleError(where, 0, "no rule files (*.yaml, *.yml) in the rule directory");
    RuleSet set = from_sources(rule_files, parameters_file, dir, components_file);
    if (ssh_errors_file) set.ssh_errors_ = SshErrorTable::parse(ssh_errors_file->text, ssh_errors_file->file);
    return set;
}

RuleSet RuleSet::from_sources(const std::vector<RuleSource>& rule_files, const std::optional<RuleSource>& parameters_file,
                              fs::path dir, const std::optional<RuleSource>& components_file) {
    RuleSet set;
    set.dir_ = std::move(dir);
    if (parameters_file) set.parameters_ = parse_parameters(parameters_file->text, parameters_file->file);
    if (components_file) set.components_ = parse_components(components_file->text, components_file->file);
    for (const auto& [name, p] : set.parameters_) set.parameter_values_[name] = p.value;
    // The files are parsed side by side (most of loading is yaml-cpp reading them), then taken
    // in name order: the first file in that order with a problem is the one reported.
    std::vector<std::optional<Rule>> parsed(rule_files.size());
    std::vector<std::exception_ptr> failed(rule_files.size());
    parallel_for(rule_files.size(), std::min(thread_count(0), kParseThreads), [&](std::size_t i) {
        try {
            parsed[i] = parse_rule(rule_files[i].text, rule_files[i].file, set.parameters_);
        } catch (...) {
            failed[i] = std::current_exception();
        }
    });
    for (std::size_t i = 0; i < rule_files.size(); ++i) {
        if (failed[i]) std::rethrow_exception(failed[i]);
        Rule rule = std::move(*parsed[i]);
        apply_behaviour(rule, set.components_);
        if (const Rule* first = set.find(rule.id))
            throw RuleError(rule.file, rule.line,
                            fmt::format("duplicate id '{}' (already used in {}:{})", rule.id, first->file, first->line));
        set.rules_.push_back(std::move(rule));
    }
    for (const auto& rule : set.rules_)
        if (rule.enabled()) set.by_scope_[static_cast<std::size_t>(rule.scope)].push_back(&rule);
    for (auto& list : set.by_scope_)
        std::sort(list.begin(), list.end(), [](const Rule* a, const Rule* b) { return better(*a, *b); });
    return set;
}

const Rule* RuleSet::find(std::string_view id) const {
    for (const auto& r : rules_)
        if (r.id == id) return &r;
    return nullptr;
}

double RuleSet::parameter(std::string_view name) const {
    auto it = parameter_values_.find(name);
    if (it == parameter_values_.end())
        throw std::logic_error(fmt::format("{}: no parameter '{}' (parameters.yaml)", dir_.string(), name));
    return it->second;
}

std::vector<const Rule*> RuleSet::matching(const facts::Context& ctx, facts::Scope scope) const {
    std::vector<const Rule*> out;
    for (const Rule* rule : by_scope_[static_cast<std::size_t>(scope)])
        if (rule->condition->evaluate(ctx)) out.push_back(rule);
    return out;
}

const Rule* RuleSet::best(const facts::Context& ctx, facts::Scope scope) const {
    for (const Rule* rule : by_scope_[static_cast<std::size_t>(scope)])
        if (rule->condition->evaluate(ctx)) return rule;
    return nullptr;
}

std::vector<RuleMatch> RuleSet::evaluate(const facts::Context& ctx, facts::Scope scope) const {
    std::vector<RuleMatch> out;
    for (const Rule* rule : matching(ctx, scope)) out.push_back(RuleMatch{rule, rule->condition->input_values(ctx)});
    return out;
}

std::vector<RuleTrace> RuleSet::trace(const facts::Context& ctx, facts::Scope scope) const {
    std::vector<RuleTrace> out;
    for (const Rule* rule : by_scope_[static_cast<std::size_t>(scope)])
        out.push_back(RuleTrace{rule, rule->condition->evaluate(ctx), rule->condition->input_values(ctx),
                                rule->condition->explain(ctx)});
    return out;
}

}  // namespace sshpath::rules
