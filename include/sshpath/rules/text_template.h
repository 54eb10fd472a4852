#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/facts/facts.h"
#include "sshpath/rules/expression.h"

/// Templates of rule files (summary, explanation, next_steps): text with placeholders.
/// `{fact_name}` (or `{SCOPE.fact_name}` for a fact of a scope the rule may read) is replaced by
/// the fact's value as text (FactSet::text), `{param.NAME}` by the parameter's value
/// (format_parameter), and `{{` and `}}` are literal braces. `[[ ... ]]` is an optional part: it is
/// left out when a fact it names holds its unset value (a TTL of -1, an empty string), so that a
/// sentence never shows a fact the packets did not give. `[[A||B||C]]` shows the first
/// alternative whose facts are all set (the last may name none: the fallback), else nothing.
/// Optional parts do not nest; every alternative but a last fallback names a fact.
namespace sshpath::rules {

/// A template compiled against a scope: its placeholders bound to fact slots and parameter values.
class Template {
public:
    Template() = default;
    /// Throws ExpressionError at the offending offset: an unknown name (with a suggestion), an
    /// empty or unclosed placeholder, or a single '}'.
    static Template compile(std::string_view text, facts::Scope scope, const ParameterValues& parameters);

    /// The text with every placeholder filled in.
    std::string render(const facts::Context& ctx) const;
    std::string render(const facts::FactSet& facts) const { return render(facts::Context(facts)); }

    const std::string& text() const { return text_; }
    bool empty() const { return text_.empty(); }
    /// The names it uses, in order, each once: facts as written and "param.NAME".
    std::vector<std::string> names() const;

private:
    struct Piece {
        std::string text;                   ///< literal text, or the placeholder's name
        const facts::Spec* fact = nullptr;  ///< a fact placeholder
        bool parameter = false;             ///< a parameter placeholder (value in text)
        std::size_t optional = 0;           ///< the optional part it belongs to (1, 2, ...), 0: none
        std::size_t alternative = 0;        ///< which alternative of that part (0, 1, ...)
    };
    static void append(std::string& out, const Piece& p, const facts::Context& ctx);

    std::string text_;
    std::vector<Piece> pieces_;
    std::size_t optional_parts_ = 0;
};

}  // namespace sshpath::rules
