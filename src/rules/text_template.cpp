#include "sshpath/rules/text_template.h"

#include <fmt/format.h>

#include <algorithm>

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

void check_template(std::string_view tmpl, evidence::Scope scope, const ParameterValues& parameters) {
    walk(tmpl, [](std::string_view) {}, [&](std::string_view name, std::size_t at) {
        if (name.starts_with("param.")) {
            const std::string_view p = name.substr(6);
            if (parameters.find(p) != parameters.end()) return;
            std::vector<std::string_view> names;
            for (const auto& [n, v] : parameters) names.push_back(n);
            throw ExpressionError(at, fmt::format("unknown parameter '{}'{}", shown(name), did_you_mean(p, names, "param.")));
        }
        if (evidence::find_fact(name, scope)) return;
        const auto other = scope == evidence::Scope::kFlow ? evidence::Scope::kCapture : evidence::Scope::kFlow;
        if (evidence::find_fact(name, other))
            throw ExpressionError(at, fmt::format("'{}' is a {} fact; this rule has scope {}", name,
                                                  evidence::scope_name(other), evidence::scope_name(scope)));
        std::vector<std::string_view> names;
        for (const auto& f : evidence::catalogue())
            if (f.scope == scope) names.push_back(f.name);
        throw ExpressionError(at, fmt::format("unknown fact '{}' in template{}", shown(name), did_you_mean(name, names)));
    });
}

std::vector<std::string> template_names(std::string_view tmpl) {
    std::vector<std::string> out;
    walk(tmpl, [](std::string_view) {}, [&](std::string_view name, std::size_t) {
        if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
    });
    return out;
}

std::string render_template(std::string_view tmpl, const evidence::FactSet& facts,
                            const ParameterValues& parameters) {
    std::string out;
    auto append = [&](std::string_view s) { out += s; };
    auto substitute = [&](std::string_view name, std::size_t) {
        if (name.starts_with("param.")) {
            if (auto it = parameters.find(name.substr(6)); it != parameters.end()) {
                out += format_parameter(it->second);
                return;
            }
        } else if (evidence::find_fact(name, facts.scope())) {
            out += facts.text(name);
            return;
        }
        out += '{';
        out += name;
        out += '}';
    };
    try {
        walk(tmpl, append, substitute);
    } catch (const ExpressionError& e) {
        // Malformed braces: keep the rest as written rather than fail while reporting.
        out += tmpl.substr(std::min(e.offset(), tmpl.size()));
    }
    return out;
}

}  // namespace sshpath::rules
