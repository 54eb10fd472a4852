#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

/// The evidence: a closed, documented catalogue of named facts. It is the only thing the
/// rule engine sees. The engine records what it observed; rules decide what it means.
namespace sshpath::evidence {

enum class FactType { kBool, kInt, kReal, kString };
/// "flow": one TCP connection (one attempt); "capture": the whole capture.
enum class Scope { kFlow, kCapture };

std::string_view type_name(FactType t);  ///< "bool", "int", "real", "string"
std::string_view scope_name(Scope s);    ///< "flow", "capture"

using Value = std::variant<bool, std::int64_t, double, std::string>;

struct FactSpec {
    std::string_view name;
    Scope scope;
    FactType type;
    std::string_view unset;        ///< the value when nothing was observed, as text (e.g. "-1", "false", "\"\"")
    std::string_view description;  ///< one line, for `sshpath facts` and the README
};

/// Every fact, flow facts first, in documentation order.
const std::vector<FactSpec>& catalogue();
/// nullptr if no fact of that name exists in that scope.
const FactSpec* find_fact(std::string_view name, Scope scope);
/// The value a fact has when nothing set it.
Value default_value(const FactSpec& spec);

/// A packet that supports a fact, cited in verdicts as evidence.
struct Observation {
    std::string tag;        ///< fact name it supports (e.g. "syn_retransmits")
    std::uint64_t packet;   ///< 1-based packet number in its capture file
    double time;            ///< seconds since the start of the capture
    std::string what;       ///< one line, e.g. "SYN retransmitted (3rd), 3.0 s after the first"
};

/// A value as text: true/false, integers as is, reals with at most 3 decimals, strings as is.
std::string format_value(const Value& v);

/// The facts of one flow or of the whole capture.
class FactSet {
public:
    explicit FactSet(Scope scope = Scope::kFlow) : scope_(scope) {}
    Scope scope() const { return scope_; }

    /// Sets a fact. Throws std::logic_error if the name is not in the catalogue for this
    /// scope or the value has the wrong type (a programming error, caught by unit tests).
    void set(std::string_view name, Value v);
    /// The fact's value, or its default when never set. Throws std::logic_error for unknown names.
    Value get(std::string_view name) const;
    bool get_bool(std::string_view name) const;
    std::int64_t get_int(std::string_view name) const;
    double get_real(std::string_view name) const;   ///< int facts convert
    std::string get_string(std::string_view name) const;
    /// The value as text, for templates and reports ("true", "3", "1.25", "SSH-2.0-...").
    std::string text(std::string_view name) const;

    void observe(std::string tag, std::uint64_t packet, double time, std::string what);
    const std::vector<Observation>& observations() const { return observations_; }
private:
    Scope scope_;
    /// One 8-byte slot per fact of the catalogue (by position): a bool, an int or a real as
    /// such, a string as 1 + its index in strings_ (0: the empty default). Empty until the
    /// first set(), then every slot holds its value or its default: about 1 KiB per connection,
    /// which matters when a capture holds thousands of attempts.
    std::vector<std::uint64_t> slots_;
    std::vector<std::string> strings_;
    std::vector<Observation> observations_;
};

}  // namespace sshpath::evidence
