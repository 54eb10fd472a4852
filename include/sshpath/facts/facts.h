#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "sshpath/core/archive.h"

/// The facts: a closed, documented catalogue of named values, in scopes. They are the only thing
/// the rules see. The engine records what it observed; rules decide what it means.
///
/// Each scope's facts are listed once, in include/sshpath/facts/<scope>.def. From that list come
/// the catalogue (names, types, descriptions: `sshpath facts`) and a typed id per fact
/// (facts::flow::syn_count), so C++ sets facts by id: a misspelt name, or a value of the wrong
/// type, does not compile. Rules name facts in YAML and are bound to the same ids when they load.
namespace sshpath::facts {

enum class Type : std::uint8_t { kBool, kInt, kReal, kString };

/// What the facts describe. A rule has one scope; it reads its own scope's facts by their bare
/// name and, where readable_from() allows, another scope's facts as SCOPE.NAME.
enum class Scope : std::uint8_t {
    kFlow,     ///< one TCP connection (one attempt)
    kCapture,  ///< the whole capture (or live capture), with facts from outside the packets
    kAttempt,  ///< one judged connection: which attempt answers for the capture
    kLive,     ///< a live capture in progress: when it may stop
    kProbe,    ///< one `sshpath probe` run
    kClient,   ///< the client computer (`sshpath check`)
    kCloud,    ///< exported cloud rules evaluated for a connection
    kPair,     ///< one attempt seen from both ends (two captures)
};
inline constexpr std::size_t kScopeCount = 8;

std::string_view type_name(Type t);    ///< "bool", "int", "real", "string"
std::string_view scope_name(Scope s);  ///< "flow", "capture", ...
std::optional<Scope> scope_from_name(std::string_view name);
/// Whether rules of scope `rule` may read facts of scope `other` (as other.NAME). A scope always reads itself.
bool readable_from(Scope rule, Scope other);

using Value = std::variant<bool, std::int64_t, double, std::string>;

struct Spec {
    std::string_view name;
    Scope scope;
    Type type;
    std::string_view unset;        ///< the value when nothing was observed, as text (e.g. "-1", "false", "\"\"")
    std::string_view description;  ///< one line, for `sshpath facts` and the manual
    std::uint16_t index;           ///< position within its scope: the slot a FactSet keeps it in
};

/// Every fact, scope by scope, each scope in documentation order.
std::span<const Spec> catalogue();
/// The facts of one scope, in documentation order (spec.index is the position here).
std::span<const Spec> facts_of(Scope scope);
/// nullptr if no fact of that name exists in that scope.
const Spec* find(std::string_view name, Scope scope);
/// The value a fact has when nothing set it.
Value default_value(const Spec& spec);

/// A typed id of one fact: its scope and the C++ type of its value.
template <Scope S, class T>
struct Id {
    std::uint16_t index;
    static constexpr Scope scope = S;
    const Spec& spec() const { return facts_of(S)[index]; }
};

namespace detail {
using Bool = bool;
using Int = std::int64_t;
using Real = double;
using String = std::string;
}  // namespace detail

}  // namespace sshpath::facts

#include "sshpath/facts/ids.h"

namespace sshpath::facts {

/// A value as text: true/false, integers as is, reals with at most 3 decimals, strings as is.
std::string format_value(const Value& v);

/// A packet that supports a fact, cited in verdicts as evidence.
struct Observation {
    std::uint16_t fact;     ///< index (in the fact set's scope) of the fact it supports
    std::uint64_t packet;   ///< 1-based packet number in its capture file
    double time;            ///< seconds since the start of the capture
    std::string what;       ///< one line, e.g. "SYN retransmitted (3rd), 3.0 s after the first"
    /// Scope pair: the same packet in the far capture (0: not there); `packet` is then the
    /// number in the client's capture (0: not there).
    std::uint64_t peer_packet = 0;
    double peer_time = 0;   ///< seconds since the start of the far capture
};
template <typename Ar>
void field(Ar& ar, Observation& o) {
    archive::fields(ar, o.fact, o.packet, o.time, o.what, o.peer_packet, o.peer_time);
}

/// A bool, int or real fact's 8-byte slot: the bool as 0 or 1, a number's bits as they are.
template <class T>
    requires(std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>)
std::uint64_t slot_bits(T value) {
    std::uint64_t bits = 0;
    if constexpr (std::is_same_v<T, bool>)
        bits = value ? 1 : 0;
    else
        std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

/// The facts of one flow, capture, client, ...: one value per fact of its scope.
class FactSet {
public:
    explicit FactSet(Scope scope = Scope::kFlow) : scope_(scope) {}
    Scope scope() const { return scope_; }

    /// Sets a fact by its typed id. Throws std::logic_error when the id is of another scope.
    template <Scope S, class T>
    void set(Id<S, T> id, std::type_identity_t<T> value) {
        check_scope(S);
        // The id's type is the fact's: no Value to build and check (thousands of attempts set
        // about a hundred facts each).
        if constexpr (std::is_same_v<T, std::string>)
            put_string(id.index, std::move(value));
        else
            put_bits(id.index, slot_bits(value));
    }
    /// A fact's value by its typed id (its default when never set).
    template <Scope S, class T>
    T get(Id<S, T> id) const {
        check_scope(S);
        if constexpr (std::is_same_v<T, std::string>)
            return std::string(string_at(id.index));
        else if constexpr (std::is_same_v<T, bool>)
            return bool_at(id.index);
        else if constexpr (std::is_same_v<T, double>)
            return real_at(id.index);
        else
            return int_at(id.index);
    }
    /// Sets a fact named at run time (a saved report, a rule fixture). Throws std::logic_error
    /// for a name that is not in the catalogue for this scope, or a value of the wrong type.
    void set(std::string_view name, Value v);
    /// Sets the fact `spec` (of this scope); the value's type must match (an int may set a real).
    void set(const Spec& spec, Value v);
    /// A fact's value (its default when never set).
    Value get(const Spec& spec) const;
    /// Whether get(spec) equals the fact's default value, without a copy of it.
    bool is_default(const Spec& spec) const;
    /// The value as text, for templates and reports ("true", "3", "1.25", "SSH-2.0-...").
    std::string text(const Spec& spec) const;
    /// Appends text(spec) to `out`; a string fact without a copy of it.
    void append_text(const Spec& spec, std::string& out) const;

    /// Values by slot (spec.index), for the rule evaluator: no look-up by name, no copy.
    bool bool_at(std::uint16_t index) const { return slot(index) != 0; }
    std::int64_t int_at(std::uint16_t index) const;
    double real_at(std::uint16_t index) const;  ///< an int fact converts
    std::string_view string_at(std::uint16_t index) const;

    template <Scope S, class T>
    void observe(Id<S, T> id, std::uint64_t packet, double time, std::string what) {
        check_scope(S);
        if (observations_.empty()) observations_.reserve(kFirstObservations);
        observations_.push_back(Observation{id.index, packet, time, std::move(what), 0, 0});
    }
    /// Scope pair: a packet cited with its number in each capture (0 where it is missing).
    template <Scope S, class T>
    void observe_pair(Id<S, T> id, std::uint64_t packet, double time, std::uint64_t peer_packet, double peer_time,
                      std::string what) {
        check_scope(S);
        observations_.push_back(Observation{id.index, packet, time, std::move(what), peer_packet, peer_time});
    }
    const std::vector<Observation>& observations() const { return observations_; }

    /// Field list for temporary files (sshpath/core/archive.h). Of the slots only those that
    /// differ from their default are written (an attempt shown in one line keeps four facts).
    template <typename Ar>
    friend void field(Ar& ar, FactSet& f) {
        archive::field(ar, f.scope_);
        f.slots_field(ar);
        archive::fields(ar, f.strings_, f.observations_);
    }

private:
    /// Room made at the first observation: an attempt's facts cite a handful of packets.
    static constexpr std::size_t kFirstObservations = 8;

    void check_scope(Scope s) const;
    void put(std::uint16_t index, Value v);
    void fill_defaults();  ///< every slot its default, at the first set()
    void put_bits(std::uint16_t index, std::uint64_t bits);  ///< a bool, int or real fact's slot
    void put_string(std::uint16_t index, std::string v);
    void slots_field(archive::Out& ar);
    void slots_field(archive::In& ar);
    // Read for every condition of every rule: inline while the set holds its values.
    std::uint64_t slot(std::uint16_t index) const { return slots_.empty() ? default_slot(index) : slots_[index]; }
    std::uint64_t default_slot(std::uint16_t index) const;

    Scope scope_;
    /// One 8-byte slot per fact of the scope (by index): a bool, an int or a real as such, a
    /// string as 1 + its index in strings_ (0: the empty default). Empty until the first set(),
    /// then every slot holds its value or its default: a capture may hold thousands of attempts.
    std::vector<std::uint64_t> slots_;
    std::vector<std::string> strings_;
    std::vector<Observation> observations_;
};

/// The fact sets one rule evaluation sees, one per scope; a scope not given reads as its defaults.
class Context {
public:
    Context() = default;
    Context(const FactSet& main) { add(main); }  // NOLINT: a fact set is the context of its own scope
    Context& add(const FactSet& facts) {
        sets_[static_cast<std::size_t>(facts.scope())] = &facts;
        return *this;
    }
    /// The facts of a scope: those given, or a set holding every default.
    const FactSet& get(Scope scope) const {
        const FactSet* s = sets_[static_cast<std::size_t>(scope)];
        return s ? *s : defaults(scope);
    }
    bool has(Scope scope) const { return sets_[static_cast<std::size_t>(scope)] != nullptr; }

private:
    static const FactSet& defaults(Scope scope);
    std::array<const FactSet*, kScopeCount> sets_{};
};

}  // namespace sshpath::facts
