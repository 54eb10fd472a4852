#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sshpath/core/error.h"
#include "sshpath/facts/facts.h"

/// The condition language of rule files: a small, statically typed expression language over
/// the facts of one scope (and of the scopes it may read, as SCOPE.NAME) and the named parameters.
///
/// ```
/// expr    := or_expr
/// or_expr := and_expr ("or" and_expr)*
/// and_expr:= not_expr ("and" not_expr)*
/// not_expr:= "not" not_expr | cmp
/// cmp     := sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum
///                 | "in" list | "not" "in" list | "contains" sum | "startswith" sum
///                 | "matches" STRING ]
/// sum     := term (("+"|"-") term)*
/// term    := unary (("*"|"/") unary)*
/// unary   := "-" unary | primary
/// primary := NUMBER | STRING | "true" | "false" | FACT | SCOPE "." FACT | "param." NAME | "(" expr ")"
/// list    := "[" literal ("," literal)* "]"
/// ```
///
/// Types are checked when the condition is compiled: bool (bool facts, true, false,
/// comparisons), number (int and real facts, numeric literals, parameters; arithmetic yields a
/// real) and string (string facts, '...' or "..." literals). `and`, `or`, `not` and the condition
/// itself need bools; `<`, `<=`, `>`, `>=` and arithmetic need numbers; `==` and `!=` need both
/// sides of the same type; `contains`, `startswith` and `matches` need strings; `in` lists hold
/// literals of the left side's type. Inside a string literal `\'`, `\"` and `\\` are escapes;
/// any other backslash is kept, so regular expressions read as written ('^SSH-2\.0-').
/// `matches` is an ECMAScript regular expression searched anywhere in the string (anchor it
/// with ^ and $), compiled at load time.
///
/// At run time a division by zero makes the comparison (or `in`) that contains it false; `not`
/// then turns that into true, so write divisions where a false comparison is the safe answer.
namespace sshpath::rules {

/// Parameter values by name (without the "param." prefix), as conditions and templates see them.
using ParameterValues = std::map<std::string, double, std::less<>>;

/// A problem at a position of a condition or template text. The rule loader turns it into a
/// RuleError naming the file, line and column.
class ExpressionError : public Error {
public:
    ExpressionError(std::size_t offset, std::string problem);
    /// Byte offset in the text where the problem is (the text's size: at its end).
    std::size_t offset() const { return offset_; }
    /// The problem alone, without the offset.
    const std::string& problem() const { return problem_; }

private:
    std::size_t offset_;
    std::string problem_;
};

/// The static type of a (sub-)expression.
enum class ValueType { kBool, kNumber, kString };

/// One top-level conjunct of a condition and whether it held (for --explain).
struct ConjunctResult {
    std::string text;  ///< its source text, e.g. "syn_count >= param.silent_drop_min_syns"
    bool holds = false;
};

/// A compiled, type-checked condition. Immutable and safe to share between threads.
class Expression {
public:
    /// Parses and type-checks `text` against the facts of `scope` and the parameters. Facts are
    /// bound to their slots and parameter values read now. Throws ExpressionError at the first problem.
    static std::shared_ptr<const Expression> compile(std::string_view text, facts::Scope scope,
                                                     const ParameterValues& parameters);

    Expression(const Expression&) = delete;
    Expression& operator=(const Expression&) = delete;
    ~Expression();

    /// Whether the condition holds for these facts (a scope missing from the context reads as
    /// its defaults).
    bool evaluate(const facts::Context& ctx) const;
    bool evaluate(const facts::FactSet& facts) const { return evaluate(facts::Context(facts)); }

    const std::string& text() const { return text_; }
    facts::Scope scope() const { return scope_; }

    /// Top-level `and` operands (1 when the condition is not a conjunction); more is more specific.
    std::size_t conjunct_count() const;

    /// Facts and parameters the condition reads, in order of first appearance, each once;
    /// parameters are written "param.NAME".
    const std::vector<std::string>& inputs() const { return inputs_; }

    /// inputs() with their values as text in these facts (parameters as format_parameter).
    std::vector<std::pair<std::string, std::string>> input_values(const facts::Context& ctx) const;

    /// Each top-level conjunct (or the whole condition) with whether it holds: why a rule did
    /// or did not match.
    std::vector<ConjunctResult> explain(const facts::Context& ctx) const;

    struct Node;  ///< implementation detail
    /// One input: a fact (bound) or a parameter (its value).
    struct Input {
        std::string name;
        const facts::Spec* fact = nullptr;
        double value = 0;
    };

private:
    Expression();
    friend class ExpressionBuilder;
    void find_guards();

    std::string text_;
    facts::Scope scope_ = facts::Scope::kFlow;
    std::vector<Node> nodes_;
    int root_ = -1;
    /// Top-level conjuncts that compare one fact with a constant (`fact`, `not fact`,
    /// `fact == 'text'`, `fact >= param.NAME`): read first, straight from the fact's slot, so that
    /// most rules are ruled out without walking the nodes.
    struct Guard {
        const facts::Spec* fact = nullptr;
        int constant = -1;     ///< the node of the literal or parameter compared with; -1: a bool fact
        bool expected = true;  ///< a bool fact's value; for a string, whether it must equal
        int cmp = 0;           ///< a number's comparison (Cmp)
    };
    bool guards_hold(const facts::Context& ctx) const;
    std::vector<Guard> guards_;
    std::vector<std::string> inputs_;
    std::vector<Input> bound_inputs_;
};

/// A parameter value as text: integers without decimals ("2"), others in their shortest
/// exact form ("0.25").
std::string format_parameter(double value);

}  // namespace sshpath::rules
