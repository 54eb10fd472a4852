#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sshpath/rules/rule_parser.h"
#include "yaml_source.h"

namespace sshpath::rules {

namespace {

constexpr std::string_view kParameterKeys[] = {"value", "unit", "description"};

bool valid_parameter_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

ParameterMap parse_parameters(std::string_view text, const std::string& file) {
    const Source src(text, file);
    ParameterMap out;
    try {
        const YAML::Node root = load_document(src);
        if (!root.IsDefined() || root.IsNull()) return out;
        if (!root.IsMap())
            src.fail(line_of(root), fmt::format("parameters are a mapping of names (name: {{value: ..., description: ...}}), "
                                                "not {}",
                                                kind_of(root)));
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node body = it->second;
            if (!key.IsScalar()) src.fail(line_of(key), fmt::format("a parameter name must be a name, not {}", kind_of(key)));
            const std::string& name = key.Scalar();
            if (!valid_parameter_name(name))
                src.fail(line_of(key), fmt::format("parameter name {} may only hold lower-case letters, digits and '_'",
                                                   in_quotes(name)));
            if (auto found = out.find(name); found != out.end())
                src.fail(line_of(key), fmt::format("duplicate parameter {} (first on line {})", in_quotes(name), found->second.line));
            if (!body.IsMap())
                src.fail(body.IsNull() ? line_of(key) : line_of(body),
                         fmt::format("parameter {} must be a mapping with value, unit and description, not {}", in_quotes(name),
                                     kind_of(body)));
            const auto keys = read_keys(src, body, kParameterKeys, fmt::format("parameter {}", in_quotes(name)));
            Parameter p;
            p.name = name;
            p.line = line_of(key);
            auto value = keys.find("value");
            if (value == keys.end()) src.fail(p.line, fmt::format("parameter {} has no 'value'", in_quotes(name)));
            const YAML::Node v = value->second.value;
            const std::string number = v.IsScalar() ? v.Scalar() : std::string();
            const char* end = number.data() + number.size();
            auto r = std::from_chars(number.data(), end, p.value);
            if (!v.IsScalar() || v.Tag() == "!" || r.ec != std::errc() || r.ptr != end || !std::isfinite(p.value))
                src.fail(value_line(value->second),
                         fmt::format("parameter {}: 'value' must be a number, not {}", in_quotes(name),
                                     !v.IsScalar()       ? std::string(kind_of(v))
                                     : v.Tag() == "!"    ? "a quoted string"
                                                         : in_quotes(number)));
            auto text_of = [&](std::string_view k, bool required) -> std::string {
                auto e = keys.find(k);
                if (e == keys.end()) {
                    if (required) src.fail(p.line, fmt::format("parameter {} has no '{}'", in_quotes(name), k));
                    return {};
                }
                const YAML::Node n = e->second.value;
                if (!n.IsScalar() || rtrim(n.Scalar()).empty())
                    src.fail(value_line(e->second), fmt::format("parameter {}: '{}' must be a string, not {}", in_quotes(name), k,
                                                                n.IsScalar() ? "an empty one" : kind_of(n)));
                return std::string(rtrim(n.Scalar()));
            };
            p.unit = text_of("unit", false);
            p.description = text_of("description", true);
            out.emplace(name, std::move(p));
        }
    } catch (const YAML::Exception& e) {
        src.fail(e.mark.is_null() ? 1 : e.mark.line + 1, fmt::format("YAML error: {}", e.msg));
    }
    return out;
}

}  // namespace sshpath::rules
