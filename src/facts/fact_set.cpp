#include <fmt/format.h>

#include <cstring>
#include <stdexcept>

#include "sshpath/core/error.h"
#include "sshpath/facts/facts.h"

namespace sshpath::facts {

namespace {

bool type_matches(Type t, const Value& v) {
    switch (t) {
    case Type::kBool: return std::holds_alternative<bool>(v);
    case Type::kInt: return std::holds_alternative<std::int64_t>(v);
    case Type::kReal: return std::holds_alternative<double>(v) || std::holds_alternative<std::int64_t>(v);
    case Type::kString: return std::holds_alternative<std::string>(v);
    }
    return false;
}

std::uint64_t to_slot(const Value& v) {
    return std::visit(
        [](const auto& x) -> std::uint64_t {
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>)
                return 0;  // a string's slot is its place among the strings, not its value
            else
                return slot_bits(x);
        },
        v);
}

// Every fact's default as a slot, per scope, computed once.
const std::vector<std::uint64_t>& default_slots(Scope scope) {
    static const auto slots = [] {
        std::array<std::vector<std::uint64_t>, kScopeCount> out;
        for (const auto& f : catalogue())
            out[static_cast<std::size_t>(f.scope)].push_back(f.type == Type::kString ? 0 : to_slot(default_value(f)));
        return out;
    }();
    return slots[static_cast<std::size_t>(scope)];
}

// How many of a scope's facts are strings: room for all of them at once, rather than moving
// every string set so far each time the list grows (thousands of attempts each fill a set).
std::size_t string_facts(Scope scope) {
    static const auto counts = [] {
        std::array<std::size_t, kScopeCount> out{};
        for (const auto& f : catalogue())
            if (f.type == Type::kString) ++out[static_cast<std::size_t>(f.scope)];
        return out;
    }();
    return counts[static_cast<std::size_t>(scope)];
}

}  // namespace

void FactSet::check_scope(Scope s) const {
    if (s != scope_)
        throw std::logic_error(fmt::format("a {} fact set on {} facts", scope_name(s), scope_name(scope_)));
}

std::uint64_t FactSet::default_slot(std::uint16_t index) const { return default_slots(scope_)[index]; }

// A record's slots: kNoSlots (none set yet), or how many differ from their defaults, then each
// one's index and value.
constexpr std::uint32_t kNoSlots = UINT32_MAX;

void FactSet::slots_field(archive::Out& ar) {
    std::uint32_t n = slots_.empty() ? kNoSlots : 0;
    const std::size_t at = ar.used;
    archive::field(ar, n);
    if (n == kNoSlots) return;
    const std::uint64_t* defaults = default_slots(scope_).data();
    const std::size_t count = slots_.size();
    for (std::size_t i = 0; i < count; ++i) {
        if (slots_[i] == defaults[i]) continue;
        auto index = static_cast<std::uint16_t>(i);
        archive::fields(ar, index, slots_[i]);
        ++n;
    }
    std::memcpy(ar.bytes.data() + at, &n, sizeof n);  // the count, now known
}

void FactSet::slots_field(archive::In& ar) {
    if (static_cast<std::size_t>(scope_) >= kScopeCount) throw Error("a record of the temporary file has an unknown scope");
    std::uint32_t n = 0;
    archive::field(ar, n);
    if (n == kNoSlots) {
        slots_.clear();
        return;
    }
    slots_ = default_slots(scope_);
    if (n > slots_.size()) throw Error("a record of the temporary file sets more facts than there are");
    for (std::uint32_t k = 0; k < n; ++k) {
        std::uint16_t index = 0;
        std::uint64_t value = 0;
        archive::fields(ar, index, value);
        if (index >= slots_.size()) throw Error("a record of the temporary file sets an unknown fact");
        slots_[index] = value;
    }
}

void FactSet::put(std::uint16_t index, Value v) {
    const Spec& spec = facts_of(scope_)[index];
    if (spec.type == Type::kReal && std::holds_alternative<std::int64_t>(v))
        v = static_cast<double>(std::get<std::int64_t>(v));
    if (spec.type != Type::kString)
        put_bits(index, to_slot(v));
    else
        put_string(index, std::move(std::get<std::string>(v)));
}

void FactSet::fill_defaults() {
    if (slots_.empty()) {
        slots_ = default_slots(scope_);
        strings_.reserve(string_facts(scope_));
    }
}

void FactSet::put_bits(std::uint16_t index, std::uint64_t bits) {
    fill_defaults();
    slots_[index] = bits;
}

void FactSet::put_string(std::uint16_t index, std::string v) {
    fill_defaults();
    std::uint64_t& s = slots_[index];
    if (s != 0) {
        strings_[s - 1] = std::move(v);
    } else {
        strings_.push_back(std::move(v));
        s = strings_.size();
    }
}

void FactSet::set(const Spec& spec, Value v) {
    check_scope(spec.scope);
    if (!type_matches(spec.type, v))
        throw std::logic_error(fmt::format("fact '{}' is {}, set with another type", spec.name, type_name(spec.type)));
    put(spec.index, std::move(v));
}

void FactSet::set(std::string_view name, Value v) {
    const Spec* spec = find(name, scope_);
    if (!spec) throw std::logic_error(fmt::format("unknown {} fact '{}'", scope_name(scope_), name));
    set(*spec, std::move(v));
}

std::int64_t FactSet::int_at(std::uint16_t index) const {
    std::int64_t i;
    const std::uint64_t bits = slot(index);
    std::memcpy(&i, &bits, sizeof i);
    return i;
}

double FactSet::real_at(std::uint16_t index) const {
    if (facts_of(scope_)[index].type == Type::kInt) return static_cast<double>(int_at(index));
    double d;
    const std::uint64_t bits = slot(index);
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

std::string_view FactSet::string_at(std::uint16_t index) const {
    const std::uint64_t s = slot(index);
    return s == 0 ? std::string_view() : std::string_view(strings_[s - 1]);
}

bool FactSet::is_default(const Spec& spec) const {
    check_scope(spec.scope);
    switch (spec.type) {
    case Type::kString: return string_at(spec.index).empty();
    case Type::kReal: {
        double unset = 0;
        std::memcpy(&unset, &default_slots(scope_)[spec.index], sizeof unset);
        return real_at(spec.index) == unset;
    }
    case Type::kBool:
    case Type::kInt: return slot(spec.index) == default_slots(scope_)[spec.index];
    }
    return false;
}

std::string FactSet::text(const Spec& spec) const {
    std::string out;
    append_text(spec, out);
    return out;
}

void FactSet::append_text(const Spec& spec, std::string& out) const {
    if (spec.type == Type::kString) {
        check_scope(spec.scope);
        out += string_at(spec.index);
    } else {
        out += format_value(get(spec));
    }
}

Value FactSet::get(const Spec& spec) const {
    check_scope(spec.scope);
    switch (spec.type) {
    case Type::kBool: return bool_at(spec.index);
    case Type::kInt: return int_at(spec.index);
    case Type::kReal: return real_at(spec.index);
    case Type::kString: return std::string(string_at(spec.index));
    }
    return std::string();
}

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

const FactSet& Context::defaults(Scope scope) {
    static const auto sets = [] {
        std::array<FactSet, kScopeCount> out;
        for (std::size_t i = 0; i < kScopeCount; ++i) out[i] = FactSet(static_cast<Scope>(i));
        return out;
    }();
    return sets[static_cast<std::size_t>(scope)];
}

}  // namespace sshpath::facts
