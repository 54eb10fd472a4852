#include "sshpath/evidence/facts.h"

#include <fmt/format.h>

#include <cstring>
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

namespace {

std::uint64_t to_slot(const Value& v) {
    std::uint64_t bits = 0;
    if (auto* b = std::get_if<bool>(&v)) bits = *b ? 1 : 0;
    if (auto* i = std::get_if<std::int64_t>(&v)) std::memcpy(&bits, i, sizeof bits);
    if (auto* d = std::get_if<double>(&v)) std::memcpy(&bits, d, sizeof bits);
    return bits;
}

Value from_slot(FactType type, std::uint64_t bits) {
    switch (type) {
    case FactType::kBool: return bits != 0;
    case FactType::kInt: {
        std::int64_t i;
        std::memcpy(&i, &bits, sizeof i);
        return i;
    }
    case FactType::kReal: {
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case FactType::kString: break;
    }
    return std::string();
}

// Every fact's default as a slot, computed once.
const std::vector<std::uint64_t>& default_slots() {
    static const std::vector<std::uint64_t> slots = [] {
        std::vector<std::uint64_t> out;
        for (const auto& f : catalogue()) out.push_back(f.type == FactType::kString ? 0 : to_slot(default_value(f)));
        return out;
    }();
    return slots;
}

}  // namespace

void FactSet::set(std::string_view name, Value v) {
    const FactSpec& spec = spec_of(name, scope_);
    if (!type_matches(spec.type, v))
        throw std::logic_error(fmt::format("fact '{}' is {}, set with another type", name, type_name(spec.type)));
    if (spec.type == FactType::kReal && std::holds_alternative<std::int64_t>(v))
        v = static_cast<double>(std::get<std::int64_t>(v));
    if (slots_.empty()) slots_ = default_slots();
    std::uint64_t& slot = slots_[static_cast<std::size_t>(&spec - catalogue().data())];
    if (spec.type != FactType::kString) {
        slot = to_slot(v);
    } else if (slot != 0) {
        strings_[slot - 1] = std::move(std::get<std::string>(v));
    } else {
        strings_.push_back(std::move(std::get<std::string>(v)));
        slot = strings_.size();
    }
}

Value FactSet::get(std::string_view name) const {
    const FactSpec& spec = spec_of(name, scope_);
    if (slots_.empty()) return default_value(spec);
    const std::uint64_t slot = slots_[static_cast<std::size_t>(&spec - catalogue().data())];
    if (spec.type == FactType::kString) return slot == 0 ? std::string() : strings_[slot - 1];
    return from_slot(spec.type, slot);
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
