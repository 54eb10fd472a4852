#include "sshpath/rules/text_template.h"

#include <fmt/format.h>

#include <algorithm>

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

std::string shown(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 60)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    if (s.size() > 60) out += "...";
    return out;
}

}  // namespace

Template Template::compile(std::string_view text, facts::Scope scope, const ParameterValues& parameters) {
    Template t;
    t.text_ = std::string(text);
    auto literal = [&](std::string_view piece) {
        if (piece.empty()) return;
        if (!t.pieces_.empty() && !t.pieces_.back().fact && !t.pieces_.back().parameter)
            t.pieces_.back().text += piece;
        else
            t.pieces_.push_back(Piece{std::string(piece)});
    };
    auto placeholder = [&](std::string_view name, std::size_t at) {
        if (name.starts_with("param.")) {
            const std::string_view p = name.substr(6);
            if (auto it = parameters.find(p); it != parameters.end()) {
                t.pieces_.push_back(Piece{format_parameter(it->second), nullptr, true});
                return;
            }
            std::vector<std::string_view> names;
            for (const auto& [n, v] : parameters) names.push_back(n);
            throw ExpressionError(at, fmt::format("unknown parameter '{}'{}", shown(name), did_you_mean(p, names, "param.")));
        }
        try {
            t.pieces_.push_back(Piece{std::string(name), &resolve_fact(name, scope), false});
        } catch (const FactNameError& e) {
            throw ExpressionError(at, e.what());
        }
    };
    walk(text, literal, placeholder);
    return t;
}

std::string Template::render(const facts::Context& ctx) const {
    std::string out;
    for (const auto& p : pieces_) {
        if (p.fact)
            out += ctx.get(p.fact->scope).text(*p.fact);
        else
            out += p.text;
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
