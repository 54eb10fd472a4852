#include <stdexcept>
#include <string>
#include <unordered_map>

#include "sshpath/facts/facts.h"

namespace sshpath::facts {

namespace {

constexpr Type kBool = Type::kBool;
constexpr Type kInt = Type::kInt;
constexpr Type kReal = Type::kReal;
constexpr Type kString = Type::kString;

#define SSHPATH_FACT(name, type, unset, description) {#name, kScopeHere, k##type, unset, description, pos::name},

// The catalogue, scope by scope in the order of Scope, each in its .def file's order.
const std::vector<Spec>& all_specs() {
    static const std::vector<Spec> specs = [] {
        std::vector<Spec> out;
        auto add = [&](std::initializer_list<Spec> list) { out.insert(out.end(), list); };
        {
            using namespace flow;
            constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/flow.def"
            });
        }
        {
            using namespace capture;
            constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/capture.def"
            });
        }
        {
            using namespace attempt;
            constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/attempt.def"
            });
        }
        {
            using namespace live;
            [[maybe_unused]] constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/live.def"
            });
        }
        {
            using namespace probe;
            [[maybe_unused]] constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/probe.def"
            });
        }
        {
            using namespace client;
            [[maybe_unused]] constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/client.def"
            });
        }
        {
            using namespace cloud;
            [[maybe_unused]] constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/cloud.def"
            });
        }
        {
            using namespace pair;
            [[maybe_unused]] constexpr Scope kScopeHere = kScope;
            add({
#include "sshpath/facts/pair.def"
            });
        }
        return out;
    }();
    return specs;
}
#undef SSHPATH_FACT

struct Index {
    std::array<std::span<const Spec>, kScopeCount> by_scope;
    std::array<std::unordered_map<std::string_view, const Spec*>, kScopeCount> by_name;
};

const Index& index_of_all() {
    static const Index idx = [] {
        Index out;
        const auto& specs = all_specs();
        std::size_t begin = 0;
        for (std::size_t s = 0; s < kScopeCount; ++s) {
            std::size_t end = begin;
            while (end < specs.size() && static_cast<std::size_t>(specs[end].scope) == s) ++end;
            out.by_scope[s] = std::span<const Spec>(specs.data() + begin, end - begin);
            for (std::size_t i = begin; i < end; ++i) {
                if (specs[i].index != i - begin) throw std::logic_error("fact catalogue out of order");
                out.by_name[s].emplace(specs[i].name, &specs[i]);
            }
            begin = end;
        }
        if (begin != specs.size()) throw std::logic_error("fact catalogue not grouped by scope");
        return out;
    }();
    return idx;
}

constexpr std::array<std::string_view, kScopeCount> kScopeNames = {"flow",   "capture", "attempt", "live",
                                                                  "probe", "client",  "cloud",   "pair"};

}  // namespace

std::span<const Spec> catalogue() { return all_specs(); }

std::span<const Spec> facts_of(Scope scope) { return index_of_all().by_scope[static_cast<std::size_t>(scope)]; }

const Spec* find(std::string_view name, Scope scope) {
    const auto& names = index_of_all().by_name[static_cast<std::size_t>(scope)];
    auto it = names.find(name);
    return it == names.end() ? nullptr : it->second;
}

Value default_value(const Spec& spec) {
    switch (spec.type) {
    case Type::kBool: return spec.unset == "true";
    case Type::kInt: return static_cast<std::int64_t>(std::stoll(std::string(spec.unset)));
    case Type::kReal: return std::stod(std::string(spec.unset));
    case Type::kString: return std::string();
    }
    throw std::logic_error("unknown fact type");
}

std::string_view type_name(Type t) {
    switch (t) {
    case Type::kBool: return "bool";
    case Type::kInt: return "int";
    case Type::kReal: return "real";
    case Type::kString: return "string";
    }
    return "?";
}

std::string_view scope_name(Scope s) { return kScopeNames[static_cast<std::size_t>(s)]; }

std::optional<Scope> scope_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kScopeCount; ++i)
        if (kScopeNames[i] == name) return static_cast<Scope>(i);
    return std::nullopt;
}

bool readable_from(Scope rule, Scope other) {
    if (rule == other) return true;
    switch (rule) {
    case Scope::kFlow:
        return other == Scope::kCapture || other == Scope::kClient || other == Scope::kCloud || other == Scope::kPair;
    case Scope::kCapture: return other == Scope::kClient;
    case Scope::kAttempt: return other == Scope::kFlow || other == Scope::kCapture;
    case Scope::kLive: return other == Scope::kFlow || other == Scope::kCapture || other == Scope::kAttempt;
    case Scope::kProbe: return other == Scope::kClient;
    case Scope::kPair: return other == Scope::kFlow || other == Scope::kCloud;
    case Scope::kClient:
    case Scope::kCloud: return false;
    }
    return false;
}

}  // namespace sshpath::facts
