#include "fact_names.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "expression_lexer.h"
#include "sshpath/rules/suggest.h"

namespace sshpath::rules {

namespace {

// Every name a rule of `scope` may write: its own facts bare, readable scopes' as SCOPE.NAME.
std::vector<std::string> readable_names(facts::Scope scope) {
    std::vector<std::string> out;
    for (const auto& f : facts::catalogue()) {
        if (f.scope == scope)
            out.emplace_back(f.name);
        else if (facts::readable_from(scope, f.scope))
            out.push_back(fmt::format("{}.{}", facts::scope_name(f.scope), f.name));
    }
    return out;
}

[[noreturn]] void unknown(std::string_view name, facts::Scope scope) {
    const std::vector<std::string> names = readable_names(scope);
    const std::vector<std::string_view> views(names.begin(), names.end());
    throw FactNameError(fmt::format("unknown fact '{}'{}", shown(name), did_you_mean(name, views)));
}

}  // namespace

const facts::Spec& resolve_fact(std::string_view name, facts::Scope scope) {
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) {
        if (const facts::Spec* spec = facts::find(name, scope)) return *spec;
        for (std::size_t s = 0; s < facts::kScopeCount; ++s) {
            const auto other = static_cast<facts::Scope>(s);
            if (other == scope || !facts::find(name, other)) continue;
            if (facts::readable_from(scope, other))
                throw FactNameError(fmt::format("'{}' is a {} fact; write {}.{}", name, facts::scope_name(other),
                                                facts::scope_name(other), name));
            throw FactNameError(fmt::format("'{}' is a {} fact; a rule of scope {} cannot read it", name,
                                            facts::scope_name(other), facts::scope_name(scope)));
        }
        unknown(name, scope);
    }
    const auto prefix = name.substr(0, dot);
    const auto other = facts::scope_from_name(prefix);
    if (!other) unknown(name, scope);
    if (!facts::readable_from(scope, *other))
        throw FactNameError(fmt::format("a rule of scope {} cannot read {} facts ('{}')", facts::scope_name(scope),
                                        facts::scope_name(*other), shown(name)));
    if (*other == scope)
        throw FactNameError(fmt::format("'{}': facts of the rule's own scope are written bare ('{}')", shown(name),
                                        shown(name.substr(dot + 1))));
    if (const facts::Spec* spec = facts::find(name.substr(dot + 1), *other)) return *spec;
    unknown(name, scope);
}

}  // namespace sshpath::rules
