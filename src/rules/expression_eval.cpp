#include <algorithm>
#include <optional>
#include <stdexcept>

#include "expression_node.h"
#include "sshpath/rules/expression.h"

namespace sshpath::rules {

namespace {

// x CMP y: integers as integers, anything else as reals (never true when one is NaN).
bool holds(const Num& x, Cmp cmp, const Num& y) {
    int order;  // -1, 0, 1; 2 when unordered (NaN)
    if (x.is_int && y.is_int) {
        order = x.i < y.i ? -1 : x.i > y.i ? 1 : 0;
    } else {
        const double p = x.real(), q = y.real();
        order = p < q ? -1 : p > q ? 1 : p == q ? 0 : 2;
    }
    if (order == 2) return false;
    switch (cmp) {
    case Cmp::kEq: return order == 0;
    case Cmp::kNe: return order != 0;
    case Cmp::kLt: return order < 0;
    case Cmp::kLe: return order <= 0;
    case Cmp::kGt: return order > 0;
    case Cmp::kGe: return order >= 0;
    }
    return false;
}

// A number fact as the evaluator reads it.
Num fact_number(const facts::FactSet& set, const facts::Spec& spec) {
    if (spec.type == facts::Type::kInt) return Num{true, set.int_at(spec.index), 0};
    return Num{false, 0, set.real_at(spec.index)};
}

class Evaluator {
public:
    Evaluator(const std::vector<Node>& nodes, const facts::Context& ctx) : nodes_(nodes), ctx_(ctx) {}

    bool truth(int i) const {
        const Node& n = at(i);
        switch (n.kind) {
        case Kind::kOr:
            for (int k : n.kids)
                if (truth(k)) return true;
            return false;
        case Kind::kAnd:
            for (int k : n.kids)
                if (!truth(k)) return false;
            return true;
        case Kind::kNot: return !truth(n.kids[0]);
        case Kind::kCompare: return compare(n);
        case Kind::kIn: {
            const int left = n.kids[0];
            if (at(left).type == ValueType::kNumber && !number(left)) return false;
            bool found = false;
            for (std::size_t k = 1; k < n.kids.size() && !found; ++k) found = equal(left, n.kids[k]);
            return found != n.negate;
        }
        case Kind::kContains: return string(n.kids[0]).find(string(n.kids[1])) != std::string_view::npos;
        case Kind::kStartsWith: return string(n.kids[0]).starts_with(string(n.kids[1]));
        case Kind::kMatches: {
            const std::string_view text = string(n.kids[0]);
            return std::regex_search(text.begin(), text.end(), *n.regex);
        }
        case Kind::kLiteral: return n.b;
        case Kind::kFact: return of(n).bool_at(n.fact->index);
        default: throw std::logic_error("condition node is not a bool");
        }
    }

private:
    const Node& at(int i) const { return nodes_[static_cast<std::size_t>(i)]; }

    const facts::FactSet& of(const Node& n) const { return ctx_.get(n.fact->scope); }

    std::string_view string(int i) const {
        const Node& n = at(i);
        return n.kind == Kind::kFact ? of(n).string_at(n.fact->index) : std::string_view(n.str);
    }

    // nullopt: a division by zero somewhere below.
    std::optional<Num> number(int i) const {
        const Node& n = at(i);
        switch (n.kind) {
        case Kind::kLiteral:
        case Kind::kParam: return n.num;
        case Kind::kFact: return fact_number(of(n), *n.fact);
        case Kind::kNeg: {
            auto v = number(n.kids[0]);
            if (!v) return v;
            return Num{false, 0, -v->real()};
        }
        case Kind::kArith: {
            auto first = number(n.kids[0]);
            if (!first) return first;
            double acc = first->real();
            for (std::size_t k = 0; k < n.ops.size(); ++k) {
                auto v = number(n.kids[k + 1]);
                if (!v) return v;
                const double x = v->real();
                switch (n.ops[k]) {
                case '+': acc += x; break;
                case '-': acc -= x; break;
                case '*': acc *= x; break;
                default:
                    if (x == 0) return std::nullopt;
                    acc /= x;
                }
            }
            return Num{false, 0, acc};
        }
        default: throw std::logic_error("condition node is not a number");
        }
    }

    bool equal(int a, int b) const {
        switch (at(a).type) {
        case ValueType::kBool: return truth(a) == truth(b);
        case ValueType::kString: return string(a) == string(b);
        case ValueType::kNumber: {
            auto x = number(a), y = number(b);
            if (!x || !y) return false;
            if (x->is_int && y->is_int) return x->i == y->i;
            return x->real() == y->real();
        }
        }
        return false;
    }

    bool compare(const Node& n) const {
        const int a = n.kids[0], b = n.kids[1];
        if (at(a).type != ValueType::kNumber) {
            const bool eq = equal(a, b);
            return n.cmp == Cmp::kEq ? eq : !eq;
        }
        auto x = number(a), y = number(b);
        if (!x || !y) return false;
        return holds(*x, n.cmp, *y);
    }

    const std::vector<Node>& nodes_;
    const facts::Context& ctx_;
};

}  // namespace

bool Expression::evaluate(const facts::Context& ctx) const {
    // A conjunct that fails fails the whole condition; conditions have no side effects, so
    // which conjunct is read first changes nothing but the time taken.
    return guards_hold(ctx) && Evaluator(nodes_, ctx).truth(root_);
}

bool Expression::guards_hold(const facts::Context& ctx) const {
    for (const Guard& g : guards_) {
        const facts::FactSet& set = ctx.get(g.fact->scope);
        if (g.constant < 0) {
            if (set.bool_at(g.fact->index) != g.expected) return false;
            continue;
        }
        const Node& c = nodes_[static_cast<std::size_t>(g.constant)];
        if (g.fact->type == facts::Type::kString) {
            if ((set.string_at(g.fact->index) == c.str) != g.expected) return false;
        } else if (!holds(fact_number(set, *g.fact), static_cast<Cmp>(g.cmp), c.num)) {
            return false;
        }
    }
    return true;
}

void Expression::find_guards() {
    const Node& root = nodes_[static_cast<std::size_t>(root_)];
    const std::vector<int> parts = root.kind == Kind::kAnd ? root.kids : std::vector<int>{root_};
    auto node = [&](int i) -> const Node& { return nodes_[static_cast<std::size_t>(i)]; };
    std::vector<Guard> compared;  // read after the bool facts, which cost less
    for (int i : parts) {
        const Node* n = &node(i);
        bool expected = true;
        if (n->kind == Kind::kNot) {
            n = &node(n->kids[0]);
            expected = false;
        }
        if (n->kind == Kind::kFact && n->fact->type == facts::Type::kBool) {
            guards_.push_back(Guard{n->fact, -1, expected, 0});
            continue;
        }
        if (n->kind != Kind::kCompare || !expected) continue;
        const Node& left = node(n->kids[0]);
        const Node& right = node(n->kids[1]);
        if (left.kind != Kind::kFact || (right.kind != Kind::kLiteral && right.kind != Kind::kParam)) continue;
        const facts::Type type = left.fact->type;
        if (type == facts::Type::kString && right.type == ValueType::kString)
            compared.push_back(Guard{left.fact, n->kids[1], n->cmp == Cmp::kEq, 0});
        else if ((type == facts::Type::kInt || type == facts::Type::kReal) && right.type == ValueType::kNumber)
            compared.push_back(Guard{left.fact, n->kids[1], true, static_cast<int>(n->cmp)});
    }
    guards_.insert(guards_.end(), compared.begin(), compared.end());
}

std::size_t Expression::conjunct_count() const {
    const Node& root = nodes_[static_cast<std::size_t>(root_)];
    return root.kind == Kind::kAnd ? root.kids.size() : 1;
}

std::vector<std::pair<std::string, std::string>> Expression::input_values(const facts::Context& ctx) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& in : bound_inputs_) {
        if (in.fact)
            out.emplace_back(in.name, ctx.get(in.fact->scope).text(*in.fact));
        else
            out.emplace_back(in.name, format_parameter(in.value));
    }
    return out;
}

std::vector<ConjunctResult> Expression::explain(const facts::Context& ctx) const {
    Evaluator eval(nodes_, ctx);
    const Node& root = nodes_[static_cast<std::size_t>(root_)];
    std::vector<int> parts = root.kind == Kind::kAnd ? root.kids : std::vector<int>{root_};
    std::vector<ConjunctResult> out;
    for (int i : parts) {
        const Node& n = nodes_[static_cast<std::size_t>(i)];
        std::string text = text_.substr(n.begin, n.end - n.begin);
        std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
        out.push_back(ConjunctResult{std::move(text), eval.truth(i)});
    }
    return out;
}

}  // namespace sshpath::rules
