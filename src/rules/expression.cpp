// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> when optimising with
// sanitizers (GCC bug 105562); silence it for the standard headers only, which come first here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <functional>
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "sshpath/rules/expression.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "expression_lexer.h"
#include "expression_node.h"
#include "fact_names.h"
#include "sshpath/rules/suggest.h"

namespace sshpath::rules {

ExpressionError::ExpressionError(std::size_t offset, std::string problem)
    : Error(problem), offset_(offset), problem_(std::move(problem)) {}

std::string format_parameter(double value) {
    if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15)
        return fmt::format("{}", static_cast<long long>(value));
    return fmt::format("{}", value);
}

namespace {


// Deep enough for any hand-written condition, shallow enough that neither parsing nor
// evaluation can exhaust the stack on hostile input.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxRegexLength = 1024;
constexpr int kMaxRegexDepth = 32;

std::string_view type_word(ValueType t) {
    switch (t) {
    case ValueType::kBool: return "bool";
    case ValueType::kNumber: return "number";
    case ValueType::kString: return "string";
    }
    return "?";
}

}  // namespace

class ExpressionBuilder {
public:
    ExpressionBuilder(Expression& e, const ParameterValues& params) : e_(e), params_(params) {
        tokens_ = tokenize(e.text_);
    }

    int build() {
        if (tokens_.front().kind == Tok::kEnd) throw ExpressionError(0, "the condition is empty");
        const int root = parse_or();
        const Token& t = peek();
        if (t.kind != Tok::kEnd) {
            if (t.kind == Tok::kRParen) fail(t.begin, "unmatched ')'");
            fail(t.begin, fmt::format("unexpected {} after a complete expression (missing 'and' or 'or'?)",
                                      token_word(t)));
        }
        need_bool(root);
        return root;
    }

private:
    [[noreturn]] static void fail(std::size_t at, std::string problem) {
        throw ExpressionError(at, std::move(problem));
    }

    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
    }
    const Token& next() {
        const Token& t = tokens_[pos_];
        if (pos_ + 1 < tokens_.size()) ++pos_;
        return t;
    }
    bool at_word(std::string_view w, std::size_t ahead = 0) const {
        const Token& t = peek(ahead);
        return t.kind == Tok::kIdent && t.text == w;
    }
    bool at_op(std::string_view op) const { return peek().kind == Tok::kOp && peek().text == op; }

    std::string token_word(const Token& t) const {
        if (t.kind == Tok::kEnd) return "the end of the condition";
        return fmt::format("'{}'", shown(std::string_view(e_.text_).substr(t.begin, t.end - t.begin), 40));
    }

    Node& node(int i) { return e_.nodes_[static_cast<std::size_t>(i)]; }

    int add(Node n) {
        e_.nodes_.push_back(std::move(n));
        return static_cast<int>(e_.nodes_.size() - 1);
    }

    std::string source(int i) {
        const Node& n = node(i);
        return shown(std::string_view(e_.text_).substr(n.begin, n.end - n.begin), 40);
    }

    // "fact 'syn_count' is int", "'syn_count + 1' is a number".
    std::string is_what(int i) {
        const Node& n = node(i);
        if (n.kind == Kind::kFact) return fmt::format("fact '{}' is {}", n.str, facts::type_name(n.fact->type));
        if (n.kind == Kind::kParam) return fmt::format("'param.{}' is a number", n.str);
        return fmt::format("'{}' is a {}", source(i), type_word(n.type));
    }

    // "fact 'syn_count' (int)", "'abc' (string)".
    std::string what(int i) {
        const Node& n = node(i);
        if (n.kind == Kind::kFact) return fmt::format("fact '{}' ({})", n.str, facts::type_name(n.fact->type));
        return fmt::format("'{}' ({})", source(i), type_word(n.type));
    }

    void need_bool(int i) {
        if (node(i).type != ValueType::kBool)
            fail(node(i).begin, fmt::format("{}; a condition needs a comparison", is_what(i)));
    }
    void need(int i, ValueType t, std::string_view op) {
        if (node(i).type != t)
            fail(node(i).begin, fmt::format("'{}' needs {}s, not {}", op, type_word(t), what(i)));
    }

    void enter(std::size_t at) {
        if (++depth_ > kMaxDepth) fail(at, fmt::format("the condition is nested too deeply (over {} levels)", kMaxDepth));
    }

    void note_input(std::string name, const facts::Spec* fact, double value = 0) {
        if (std::find(e_.inputs_.begin(), e_.inputs_.end(), name) != e_.inputs_.end()) return;
        e_.inputs_.push_back(name);
        e_.bound_inputs_.push_back(Expression::Input{std::move(name), fact, value});
    }

    int parse_chain(Kind kind, std::string_view word, int (ExpressionBuilder::*operand)()) {
        const int first = (this->*operand)();
        if (!at_word(word)) return first;
        Node n;
        n.kind = kind;
        n.type = ValueType::kBool;
        n.begin = node(first).begin;
        auto push = [&](int kid) {
            if (node(kid).type != ValueType::kBool)
                fail(node(kid).begin, fmt::format("{}; a condition needs a comparison ('{}' joins conditions)",
                                                  is_what(kid), word));
            // (a and b) and c is three conjuncts, like a and b and c.
            if (node(kid).kind == kind)
                n.kids.insert(n.kids.end(), node(kid).kids.begin(), node(kid).kids.end());
            else
                n.kids.push_back(kid);
        };
        push(first);
        while (at_word(word)) {
            next();
            const int kid = (this->*operand)();
            push(kid);
            n.end = node(kid).end;
        }
        return add(std::move(n));
    }

    int parse_or() { return parse_chain(Kind::kOr, "or", &ExpressionBuilder::parse_and); }
    int parse_and() { return parse_chain(Kind::kAnd, "and", &ExpressionBuilder::parse_not); }

    int parse_not() {
        if (!at_word("not")) return parse_cmp();
        const Token& t = next();
        enter(t.begin);
        const int kid = parse_not();
        --depth_;
        if (node(kid).type != ValueType::kBool)
            fail(node(kid).begin, fmt::format("{}; 'not' needs a condition", is_what(kid)));
        Node n;
        n.kind = Kind::kNot;
        n.type = ValueType::kBool;
        n.begin = t.begin;
        n.end = node(kid).end;
        n.kids = {kid};
        return add(std::move(n));
    }

    bool at_comparison() const {
        if (peek().kind == Tok::kOp) {
            const auto& op = peek().text;
            return op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
        }
        return at_word("in") || (at_word("not") && at_word("in", 1)) || at_word("contains") ||
               at_word("startswith") || at_word("matches");
    }

    int parse_cmp() {
        const int left = parse_sum();
        if (!at_comparison()) return left;
        const Token op = next();
        Node n;
        n.type = ValueType::kBool;
        n.begin = node(left).begin;
        if (op.kind == Tok::kOp) {
            n.kind = Kind::kCompare;
            const int right = parse_sum();
            n.kids = {left, right};
            n.end = node(right).end;
            static const std::pair<std::string_view, Cmp> kOps[] = {
                {"==", Cmp::kEq}, {"!=", Cmp::kNe}, {"<", Cmp::kLt}, {"<=", Cmp::kLe}, {">", Cmp::kGt}, {">=", Cmp::kGe}};
            for (const auto& [s, c] : kOps)
                if (op.text == s) n.cmp = c;
            if (n.cmp == Cmp::kEq || n.cmp == Cmp::kNe) {
                if (node(left).type != node(right).type)
                    fail(op.begin, fmt::format("cannot compare {} with {}", what(left), what(right)));
            } else {
                need(left, ValueType::kNumber, op.text);
                need(right, ValueType::kNumber, op.text);
            }
        } else if (op.text == "in" || op.text == "not") {
            if (op.text == "not") {
                next();  // "in"
                n.negate = true;
            }
            n.kind = Kind::kIn;
            n.kids = {left};
            n.end = parse_list(n.kids, node(left).type, left);
        } else if (op.text == "matches") {
            n.kind = Kind::kMatches;
            need(left, ValueType::kString, "matches");
            n.kids = {left};
            const Token& pattern = next();
            if (pattern.kind != Tok::kString)
                fail(pattern.begin, fmt::format("'matches' needs a string literal (the regular expression), found {}",
                                                token_word(pattern)));
            n.regex = compile_regex(pattern);
            n.str = pattern.text;
            n.end = pattern.end;
        } else {
            n.kind = op.text == "contains" ? Kind::kContains : Kind::kStartsWith;
            const int right = parse_sum();
            need(left, ValueType::kString, op.text);
            need(right, ValueType::kString, op.text);
            n.kids = {left, right};
            n.end = node(right).end;
        }
        if (at_comparison())
            fail(peek().begin, "comparisons cannot be chained; join them with 'and'");
        return add(std::move(n));
    }

    std::shared_ptr<const std::regex> compile_regex(const Token& t) {
        const std::string& p = t.text;
        if (p.size() > kMaxRegexLength)
            fail(t.begin, fmt::format("regular expression longer than {} characters", kMaxRegexLength));
        // libstdc++ compiles regexes recursively; bound the nesting before it does.
        int depth = 0;
        bool in_class = false;
        for (std::size_t i = 0; i < p.size(); ++i) {
            if (p[i] == '\\') {
                ++i;
            } else if (in_class) {
                in_class = p[i] != ']';
            } else if (p[i] == '[') {
                in_class = true;
            } else if (p[i] == '(') {
                if (++depth > kMaxRegexDepth)
                    fail(t.begin, fmt::format("regular expression nested more than {} groups deep", kMaxRegexDepth));
            } else if (p[i] == ')') {
                depth = std::max(0, depth - 1);
            }
        }
        try {
            return std::make_shared<const std::regex>(p, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            fail(t.begin, fmt::format("invalid regular expression '{}': {}", shown(p), e.what()));
        }
    }

    // Returns the end offset of the list.
    std::size_t parse_list(std::vector<int>& kids, ValueType want, int left) {
        const Token& open = next();
        if (open.kind != Tok::kLBracket)
            fail(open.begin, fmt::format("'in' needs a list in brackets, e.g. icmp_kind in ['admin-prohibited', "
                                         "'host-prohibited'], found {}",
                                         token_word(open)));
        while (true) {
            const Token& t = peek();
            const bool negative = t.kind == Tok::kOp && t.text == "-" && peek(1).kind == Tok::kNumber;
            int item;
            if (t.kind == Tok::kNumber || t.kind == Tok::kString || negative || at_word("true") || at_word("false")) {
                item = parse_unary();
            } else {
                fail(t.begin, fmt::format("list items are literals (numbers, strings, true, false), found {}",
                                          token_word(t)));
            }
            if (node(item).type != want)
                fail(node(item).begin, fmt::format("list item {} does not match {}", what(item), what(left)));
            kids.push_back(item);
            const Token& sep = next();
            if (sep.kind == Tok::kRBracket) return sep.end;
            if (sep.kind != Tok::kComma) fail(sep.begin, fmt::format("expected ',' or ']' in the list, found {}", token_word(sep)));
        }
    }

    int parse_arith(std::string_view ops, int (ExpressionBuilder::*operand)()) {
        const int first = (this->*operand)();
        auto at_any = [&] { return peek().kind == Tok::kOp && peek().text.size() == 1 && ops.find(peek().text[0]) != std::string_view::npos; };
        if (!at_any()) return first;
        Node n;
        n.kind = Kind::kArith;
        n.type = ValueType::kNumber;
        n.begin = node(first).begin;
        n.kids = {first};
        while (at_any()) {
            const Token& op = next();
            need(n.kids.back(), ValueType::kNumber, op.text);
            const int kid = (this->*operand)();
            need(kid, ValueType::kNumber, op.text);
            n.ops += op.text[0];
            n.kids.push_back(kid);
            n.end = node(kid).end;
        }
        return add(std::move(n));
    }

    int parse_sum() { return parse_arith("+-", &ExpressionBuilder::parse_term); }
    int parse_term() { return parse_arith("*/", &ExpressionBuilder::parse_unary); }

    int parse_unary() {
        if (!at_op("-")) return parse_primary();
        const Token& t = next();
        enter(t.begin);
        const int kid = parse_unary();
        --depth_;
        need(kid, ValueType::kNumber, "-");
        Node& k = node(kid);
        if (k.kind == Kind::kLiteral) {
            // A negative literal stays a literal (and an int stays an int): -1 == server_rst_hops.
            k.begin = t.begin;
            if (k.num.is_int)
                k.num.i = -k.num.i;
            else
                k.num.d = -k.num.d;
            return kid;
        }
        Node n;
        n.kind = Kind::kNeg;
        n.type = ValueType::kNumber;
        n.begin = t.begin;
        n.end = k.end;
        n.kids = {kid};
        return add(std::move(n));
    }

    int parse_primary() {
        const Token& t = next();
        Node n;
        n.begin = t.begin;
        n.end = t.end;
        switch (t.kind) {
        case Tok::kNumber: {
            n.kind = Kind::kLiteral;
            n.type = ValueType::kNumber;
            const char* first = t.text.data();
            const char* last = first + t.text.size();
            std::int64_t i = 0;
            if (auto r = std::from_chars(first, last, i); r.ec == std::errc() && r.ptr == last) {
                n.num.is_int = true;
                n.num.i = i;
            } else {
                double d = 0;
                auto rd = std::from_chars(first, last, d);
                if (rd.ec != std::errc() || rd.ptr != last || !std::isfinite(d))
                    fail(t.begin, fmt::format("number '{}' is out of range", shown(t.text)));
                n.num.d = d;
            }
            return add(std::move(n));
        }
        case Tok::kString:
            n.kind = Kind::kLiteral;
            n.type = ValueType::kString;
            n.str = t.text;
            return add(std::move(n));
        case Tok::kParam: {
            auto it = params_.find(t.text);
            if (it == params_.end()) {
                std::vector<std::string_view> names;
                for (const auto& [name, value] : params_) names.push_back(name);
                if (names.empty())
                    fail(t.begin, fmt::format("unknown parameter 'param.{}' (no parameters are defined; add it to "
                                              "parameters.yaml)",
                                              shown(t.text)));
                fail(t.begin, fmt::format("unknown parameter 'param.{}'{}", shown(t.text),
                                          did_you_mean(t.text, names, "param.")));
            }
            n.kind = Kind::kParam;
            n.type = ValueType::kNumber;
            n.str = t.text;
            n.num.d = it->second;
            note_input("param." + t.text, nullptr, it->second);
            return add(std::move(n));
        }
        case Tok::kLParen: {
            enter(t.begin);
            const int inner = parse_or();
            --depth_;
            const Token& close = next();
            if (close.kind != Tok::kRParen) {
                if (close.kind == Tok::kEnd) fail(t.begin, "'(' is never closed");
                fail(close.begin, fmt::format("expected ')' to close the '(', found {}", token_word(close)));
            }
            // The span takes the parentheses, so --explain shows "(a or b)" as written.
            node(inner).begin = t.begin;
            node(inner).end = close.end;
            return inner;
        }
        case Tok::kIdent:
            if (t.text == "true" || t.text == "false") {
                n.kind = Kind::kLiteral;
                n.type = ValueType::kBool;
                n.b = t.text == "true";
                return add(std::move(n));
            }
            if (is_keyword(t.text)) break;
            return add(fact(t));
        case Tok::kEnd:
            fail(t.begin, "expected a value, but the condition ends here");
        default: break;
        }
        fail(t.begin, fmt::format("expected a value (a fact, number, string, true, false, param.NAME or '('), "
                                  "found {}",
                                  token_word(t)));
    }

    Node fact(const Token& t) {
        const facts::Spec* spec = nullptr;
        try {
            spec = &resolve_fact(t.text, e_.scope_);
        } catch (const FactNameError& err) {
            const std::string low = lower(t.text);
            if (is_keyword(low) || low == "param")
                fail(t.begin, fmt::format("unknown fact '{}' (keywords are lower case: '{}')", shown(t.text), low));
            fail(t.begin, err.what());
        }
        Node n;
        n.kind = Kind::kFact;
        n.type = spec->type == facts::Type::kBool     ? ValueType::kBool
                 : spec->type == facts::Type::kString ? ValueType::kString
                                                      : ValueType::kNumber;
        n.fact = spec;
        n.str = t.text;
        n.begin = t.begin;
        n.end = t.end;
        note_input(t.text, spec);
        return n;
    }

    Expression& e_;
    const ParameterValues& params_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

Expression::Expression() = default;
Expression::~Expression() = default;

std::shared_ptr<const Expression> Expression::compile(std::string_view text, facts::Scope scope,
                                                      const ParameterValues& parameters) {
    std::shared_ptr<Expression> e(new Expression());
    e->text_ = std::string(text);
    e->scope_ = scope;
    ExpressionBuilder builder(*e, parameters);
    e->root_ = builder.build();
    e->find_guards();
    return e;
}

}  // namespace sshpath::rules
