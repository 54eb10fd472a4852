#include "components.h"

#include <fmt/format.h>

#include <algorithm>

#include "yaml_source.h"

namespace sshpath::rules {

namespace {
constexpr std::string_view kKeys[] = {"description", "behaviours"};
}  // namespace

ComponentTable parse_components(std::string_view text, const std::string& file) {
    const Source src(text, file);
    ComponentTable out;
    try {
        const YAML::Node root = load_document(src);
        if (!root.IsDefined() || root.IsNull()) return out;
        if (!root.IsMap())
            src.fail(line_of(root), fmt::format("components are a mapping (edge: {{behaviours: [...]}}), not {}", kind_of(root)));
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key = it->first;
            const std::string name = key.IsScalar() ? key.Scalar() : std::string();
            const auto component = contract::component_from(name);
            if (!component)
                src.fail(line_of(key), fmt::format("{} is not a contract component (one of: {})", in_quotes(name),
                                                   join(contract::kComponents)));
            for (const auto& c : out)
                if (c.component == *component)
                    src.fail(line_of(key), fmt::format("component {} listed twice (first on line {})", in_quotes(name), c.line));
            if (!it->second.IsMap())
                src.fail(line_of(key), fmt::format("component {} needs a mapping with description and behaviours", in_quotes(name)));
            const auto keys = read_keys(src, it->second, kKeys, fmt::format("component {}", in_quotes(name)));
            ComponentBehaviours c;
            c.component = *component;
            c.line = line_of(key);
            if (auto d = keys.find("description"); d != keys.end() && d->second.value.IsScalar())
                c.description = d->second.value.Scalar();
            auto b = keys.find("behaviours");
            if (b == keys.end() || !b->second.value.IsSequence())
                src.fail(c.line, fmt::format("component {} needs 'behaviours', a list (may be [])", in_quotes(name)));
            for (const YAML::Node& item : b->second.value) {
                const std::string word = item.IsScalar() ? item.Scalar() : std::string();
                const auto at = std::find(kBehaviours.begin(), kBehaviours.end(), word);
                if (at == kBehaviours.end())
                    src.fail(line_of(item), fmt::format("behaviour {} is not one of: {}", in_quotes(word), join(kBehaviours)));
                c.can[static_cast<std::size_t>(at - kBehaviours.begin())] = true;
            }
            out.push_back(std::move(c));
        }
    } catch (const YAML::Exception& e) {
        src.fail(e.mark.is_null() ? 1 : e.mark.line + 1, fmt::format("YAML error: {}", e.msg));
    }
    return out;
}

void apply_behaviour(Rule& rule, const ComponentTable& table) {
    if (!rule.behaviour || table.empty()) return;
    const auto b = static_cast<std::size_t>(*rule.behaviour);
    const std::string_view word = kBehaviours[b];
    auto can = [&](contract::Component c) {
        for (const auto& row : table)
            if (row.component == c) return row.can[b];
        return c == contract::Component::kUnknown || c == contract::Component::kNone;  // not in the table: no claim
    };
    if (rule.component != contract::Component::kUnknown && !can(rule.component))
        throw RuleError(rule.file, rule.behaviour_line,
                        fmt::format("component {} cannot show behaviour '{}' (components.yaml)", contract::name(rule.component), word));
    std::erase_if(rule.candidates, [&](contract::Component c) { return !can(c); });
    if (rule.candidates.empty() && rule.cause != contract::Cause::kOneSidedCapture)
        throw RuleError(rule.file, rule.behaviour_line,
                        fmt::format("no candidate can show behaviour '{}' (components.yaml)", word));
}

}  // namespace sshpath::rules
