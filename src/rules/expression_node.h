#pragma once
#include <cstdint>
#include <memory>
// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> when optimising with
// sanitizers (GCC bug 105562); silence it for that header only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <string>
#include <vector>

#include "sshpath/rules/expression.h"

// The nodes of a compiled condition (private to the rules stage): the builder makes them, the
// evaluator walks them.
namespace sshpath::rules {

struct Num {
    bool is_int = false;
    std::int64_t i = 0;
    double d = 0;
    double real() const { return is_int ? static_cast<double>(i) : d; }
};

enum class Kind { kOr, kAnd, kNot, kCompare, kIn, kContains, kStartsWith, kMatches, kArith, kNeg, kLiteral, kFact, kParam };
enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

struct Expression::Node {
    Kind kind = Kind::kLiteral;
    ValueType type = ValueType::kBool;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::vector<int> kids;
    std::string ops;            // kArith: ops[k] joins kids[k] and kids[k + 1]
    Cmp cmp = Cmp::kEq;         // kCompare
    bool negate = false;        // kIn: "not in"
    bool b = false;             // bool literal
    Num num;                    // number literal, parameter value
    std::string str;            // string literal, fact (as written) or parameter name
    const facts::Spec* fact = nullptr;  // kFact: the fact it reads (its scope and slot)
    std::shared_ptr<const std::regex> regex;  // kMatches
};

using Node = Expression::Node;

}  // namespace sshpath::rules
