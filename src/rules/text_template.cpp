#include "sshpath/rules/text_template.h"

#include <fmt/format.h>

#include <algorithm>

#include "expression_lexer.h"
#include "fact_names.h"
#include "sshpath/rules/suggest.h"

namespace sshpath::rules {

namespace {

// Walks a template, calling text(piece) for literal text and name(name, offset) for each
// placeholder. Throws ExpressionError on malformed braces.
template <typename Text, typename Name>
void walk(std::string_view tmpl, Text&& text, Name&& name) {
    std::size_t i = 0;
    const std::size_t n = tmpl.size();
    while (i < n) {
        const std::size_t brace = tmpl.find_first_of("{}", i);
        if (brace == std::string_view::npos) {
            text(tmpl.substr(i));
            return;
        }
        text(tmpl.substr(i, brace - i));
        if (brace + 1 < n && tmpl[brace + 1] == tmpl[brace]) {
            text(tmpl.substr(brace, 1));
            i = brace + 2;
            continue;
        }
        if (tmpl[brace] == '}')
            throw ExpressionError(brace, "single '}' (write '}}' for a literal brace)");
        const std::size_t close = tmpl.find_first_of("{}\n", brace + 1);
        if (close == std::string_view::npos || tmpl[close] != '}')
            throw ExpressionError(brace, "'{' is never closed (write '{{' for a literal brace)");
        if (close == brace + 1) throw ExpressionError(brace, "empty placeholder '{}' (write '{{}}' for literal braces)");
        name(tmpl.substr(brace + 1, close - brace - 1), brace + 1);
        i = close + 1;
    }
}

}  // namespace

Template Template::compile(std::string_view text, facts::Scope scope, const ParameterValues& parameters) {
    Template t;
    t.text_ = std::string(text);
    // The optional part being read (0: none), where it opened, its alternative, and whether that
    // alternative has named a fact yet.
    std::size_t open = 0, open_at = 0, alternative = 0;
    bool named_fact = false;
    auto add_piece = [&](Piece piece) {
        piece.optional = open;
        piece.alternative = alternative;
        t.pieces_.push_back(std::move(piece));
    };
    auto add_literal = [&](std::string_view piece) {
        if (piece.empty()) return;
        const Piece* last = t.pieces_.empty() ? nullptr : &t.pieces_.back();
        if (last && !last->fact && !last->parameter && last->optional == open && last->alternative == alternative)
            t.pieces_.back().text += piece;
        else
            add_piece(Piece{std::string(piece)});
    };
    // Literal text, split at the "[[", "||" and "]]" of optional parts ("||" is literal outside one).
    auto literal = [&](std::string_view piece) {
        const std::size_t base = static_cast<std::size_t>(piece.data() - text.data());
        std::size_t i = 0;
        while (i < piece.size()) {
            const std::size_t o = piece.find("[[", i), c = piece.find("]]", i), a = open ? piece.find("||", i) : std::string_view::npos;
            const std::size_t at = std::min({o, c, a});
            if (at == std::string_view::npos) break;
            add_literal(piece.substr(i, at - i));
            if (at == o) {
                if (open) throw ExpressionError(base + at, "optional parts '[[ ]]' do not nest");
                open = ++t.optional_parts_;
                open_at = base + at;
                alternative = 0;
                named_fact = false;
            } else if (at == a) {
                if (!named_fact) throw ExpressionError(base + at, "an alternative before '||' names no fact: the ones after it would never show");
                ++alternative;
                named_fact = false;
            } else {
                if (!open) throw ExpressionError(base + at, "']]' closes no optional part");
                if (!named_fact && alternative == 0)
                    throw ExpressionError(open_at, "an optional part '[[ ]]' names no fact: it would always show");
                open = 0;
                alternative = 0;
            }
            i = at + 2;
        }
        add_literal(piece.substr(i));
    };
    auto placeholder = [&](std::string_view name, std::size_t at) {
        if (name.starts_with("param.")) {
            const std::string_view p = name.substr(6);
            if (auto it = parameters.find(p); it != parameters.end()) {
                add_piece(Piece{format_parameter(it->second), nullptr, true});
                return;
            }
            std::vector<std::string_view> names;
            for (const auto& [n, v] : parameters) names.push_back(n);
            throw ExpressionError(at, fmt::format("unknown parameter '{}'{}", shown(name), did_you_mean(p, names, "param.")));
        }
        try {
            add_piece(Piece{std::string(name), &resolve_fact(name, scope), false});
            named_fact = true;
        } catch (const FactNameError& e) {
            throw ExpressionError(at, e.what());
        }
    };
    walk(text, literal, placeholder);
    if (open) throw ExpressionError(open_at, "'[[' is never closed by ']]'");
    return t;
}

void Template::append(std::string& out, const Piece& p, const facts::Context& ctx) {
    if (!p.fact)
        out += p.text;
    else
        ctx.get(p.fact->scope).append_text(*p.fact, out);
}

std::string Template::render(const facts::Context& ctx) const {
    // An optional part's pieces follow one another, its alternatives in order: the first
    // alternative none of whose facts holds its unset value shows (none: the part is left out).
    auto unset = [&](const Piece& p) { return p.fact && ctx.get(p.fact->scope).is_default(*p.fact); };
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::string out;
    out.reserve(text_.size() + 64);
    for (std::size_t i = 0; i < pieces_.size();) {
        const Piece& first = pieces_[i];
        if (!first.optional) {
            append(out, first, ctx);
            ++i;
            continue;
        }
        std::size_t end = i, shown = kNone;
        bool alternative_unset = false;
        for (; end < pieces_.size() && pieces_[end].optional == first.optional; ++end) {
            const Piece& p = pieces_[end];
            if (end > i && p.alternative != pieces_[end - 1].alternative) {
                if (shown == kNone && !alternative_unset) shown = pieces_[end - 1].alternative;
                alternative_unset = false;
            }
            alternative_unset = alternative_unset || unset(p);
        }
        if (shown == kNone && !alternative_unset) shown = pieces_[end - 1].alternative;
        for (; i < end; ++i) {
            const Piece& p = pieces_[i];
            if (p.alternative == shown) append(out, p, ctx);
        }
    }
    return out;
}

std::vector<std::string> Template::names() const {
    std::vector<std::string> out;
    walk(text_, [](std::string_view) {}, [&](std::string_view name, std::size_t) {
        if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
    });
    return out;
}

}  // namespace sshpath::rules
