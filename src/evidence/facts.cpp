#include "sshpath/evidence/facts.h"

#include <fmt/format.h>

#include <stdexcept>

namespace sshpath::evidence {

namespace {

const FactSpec& spec_of(std::string_view name, Scope scope) {
    const FactSpec* spec = find_fact(name, scope);
    if (!spec) throw std::logic_error(fmt::format("unknown {} fact '{}'", scope_name(scope), name));
    return *spec;
}

bool type_matches(FactType t, const Value& v) {
    switch (t) {
    case FactType::kBool: return std::holds_alternative<bool>(v);
    case FactType::kInt: return std::holds_alternative<std::int64_t>(v);
    case FactType::kReal: return std::holds_alternative<double>(v) || std::holds_alternative<std::int64_t>(v);
    case FactType::kString: return std::holds_alternative<std::string>(v);
    }
    return false;
}

}  // namespace

void FactSet::set(std::string_view name, Value v) {
    const FactSpec& spec = spec_of(name, scope_);
    if (!type_matches(spec.type, v))
        throw std::logic_error(fmt::format("fact '{}' is {}, set with another type", name, type_name(spec.type)));
    if (spec.type == FactType::kReal && std::holds_alternative<std::int64_t>(v))
        v = static_cast<double>(std::get<std::int64_t>(v));
    const auto& all = catalogue();
    if (values_.empty()) {
        values_.reserve(all.size());
        for (const auto& f : all) values_.push_back(f.scope == scope_ ? default_value(f) : Value{});
    }
    values_[static_cast<std::size_t>(&spec - all.data())] = std::move(v);
}

Value FactSet::get(std::string_view name) const {
    const FactSpec& spec = spec_of(name, scope_);
    if (values_.empty()) return default_value(spec);
    return values_[static_cast<std::size_t>(&spec - catalogue().data())];
}

bool FactSet::get_bool(std::string_view name) const { return std::get<bool>(get(name)); }
std::int64_t FactSet::get_int(std::string_view name) const { return std::get<std::int64_t>(get(name)); }
double FactSet::get_real(std::string_view name) const {
    Value v = get(name);
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return std::get<double>(v);
}
std::string FactSet::get_string(std::string_view name) const { return std::get<std::string>(get(name)); }

std::string format_value(const Value& v) {
    struct Visitor {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            std::string s = fmt::format("{:.3f}", d);
            while (s.back() == '0') s.pop_back();
            if (s.back() == '.') s.pop_back();
            return s;
        }
        std::string operator()(const std::string& s) const { return s; }
    };
    return std::visit(Visitor{}, v);
}

std::string FactSet::text(std::string_view name) const { return format_value(get(name)); }

void FactSet::observe(std::string tag, std::uint64_t packet, double time, std::string what) {
    observations_.push_back(Observation{std::move(tag), packet, time, std::move(what)});
}

}  // namespace sshpath::evidence
