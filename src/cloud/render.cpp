#include "sshpath/cloud/render.h"

#include <fmt/format.h>

#include "sshpath/core/terminal.h"

#include <nlohmann/json.hpp>
#include <variant>

namespace sshpath::cloud {

namespace {

using nlohmann::ordered_json;

std::string capital(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(s[0] - ('a' <= s[0] && s[0] <= 'z' ? 'a' - 'A' : 0));
    return s;
}

std::string access_words(const std::string& a) { return a == "no-rule" ? "No rule" : capital(a); }

// "AllowSSH (priority 300, allow)", "DenyAllInBound (priority 65500, deny, default rule)".
std::string rule_brief(const RuleRef& r) {
    std::string out = r.name + " (";
    if (r.priority >= 0 && r.name != std::to_string(r.priority)) out += fmt::format("priority {}, ", r.priority);
    out += r.access;
    if (r.is_default) out += r.priority >= 0 ? ", default rule" : ", implicit";
    return out + ")";
}

std::string where(const RuleRef& r) { return r.file.empty() ? r.place() : r.place() + ", file " + r.file; }

ordered_json rule_json(const RuleRef& r) {
    ordered_json j;
    j["name"] = r.name;
    j["priority"] = r.priority;
    j["access"] = r.access;
    j["direction"] = r.direction;
    j["default"] = r.is_default;
    j["text"] = r.text;
    j["table"] = r.table;
    j["table_kind"] = r.table_kind;
    j["component"] = r.component;
    j["level"] = r.level;
    j["file"] = r.file;
    j["format"] = r.format;
    j["resource_group"] = r.resource_group;
    return j;
}

ordered_json rules_json(const std::vector<RuleRef>& rules) {
    ordered_json a = ordered_json::array();
    for (const auto& r : rules) a.push_back(rule_json(r));
    return a;
}

}  // namespace

std::string render_text(const Decision& d, std::size_t width) {
    std::string out = fmt::format("Access: {}\n", access_words(d.access));
    std::string commands;  // to copy: never broken
    if (d.rule) {
        out += fmt::format("Rule: {}\n", d.rule->head());
        if (!d.rule->text.empty()) out += fmt::format("  {}\n", d.rule->text);
        out += fmt::format("  in {}\n", where(*d.rule));
    }
    if (!d.next.empty()) {
        out += "Would match next:";
        for (std::size_t i = 0; i < d.next.size(); ++i)
            out += fmt::format("{} {}", i ? "," : "", rule_brief(d.next[i]));
        out += "\n";
    }
    out += fmt::format("Flow: {} ({})\n", d.flow, d.cloud);
    if (d.layers.size() > 1 || d.return_path) {
        out += "Layers:\n";
        for (std::size_t i = 0; i < d.layers.size(); ++i)
            out += fmt::format("  {}. {}: {} by {}\n", i + 1, d.layers[i].what, d.layers[i].access, d.layers[i].rule.head());
    }
    if (d.return_path) {
        const ReturnPath& r = *d.return_path;
        out += fmt::format("Return path: {} (replies to client port{} {}", capital(r.access),
                           r.ports.find('-') == std::string::npos ? "" : "s", r.ports);
        if (r.access == "partial") out += fmt::format("; allowed {}, denied {}", r.allowed_ports, r.denied_ports);
        out += fmt::format(", rule {})\n", r.rule.head());
    }
    if (d.endpoint)
        out += fmt::format("Endpoint: {} public port {} -> private port {}{}\n", d.endpoint->name, d.endpoint->public_port,
                           d.endpoint->private_port,
                           d.endpoint->mismatch ? fmt::format(" (sshd listens on {}: mismatch)", d.endpoint->sshd_port) : "");
    if (d.uncertain) out += "Uncertain: a rule before the deciding one may match (see the notes)\n";
    if (!d.notes.empty()) {
        out += "Notes:\n";
        for (const auto& n : d.notes) out += "  - " + n + "\n";
    }
    if (!d.change_commands.empty()) {
        commands += "To let it through:\n";
        for (const auto& c : d.change_commands) commands += "  " + c + "\n";
    }
    // Continuation rows two columns in from their line (past "- " for a note).
    return terminal::wrap_indented(out, width, 2) + commands;
}

std::string render_json(const Decision& d, std::string_view version) {
    ordered_json j;
    j["schema_version"] = 1;
    j["sshpath_version"] = std::string(version);
    j["cloud"] = d.cloud;
    j["flow"] = {{"protocol", d.protocol},   {"source", d.source},
                 {"source_port", d.source_port}, {"destination", d.destination},
                 {"destination_port", d.destination_port}, {"direction", d.direction}};
    j["access"] = d.access;
    j["rule_name"] = d.rule ? d.rule->name : "";
    j["component"] = d.component;
    j["rule"] = d.rule ? rule_json(*d.rule) : ordered_json(nullptr);
    j["next"] = rules_json(d.next);
    ordered_json layers = ordered_json::array();
    for (const auto& l : d.layers) {
        ordered_json x;
        x["what"] = l.what;
        x["component"] = l.component;
        x["access"] = l.access;
        x["rule"] = rule_json(l.rule);
        x["next"] = rules_json(l.next);
        x["maybe"] = l.maybe;
        layers.push_back(x);
    }
    j["layers"] = layers;
    if (d.return_path) {
        const ReturnPath& r = *d.return_path;
        j["return_path"] = {{"access", r.access}, {"ports", r.ports}, {"allowed_ports", r.allowed_ports},
                            {"denied_ports", r.denied_ports}, {"rule", rule_json(r.rule)}};
    } else {
        j["return_path"] = nullptr;
    }
    if (d.endpoint) {
        const EndpointUse& e = *d.endpoint;
        j["endpoint"] = {{"name", e.name},           {"public_port", e.public_port}, {"private_port", e.private_port},
                         {"sshd_port", e.sshd_port}, {"mismatch", e.mismatch},       {"file", e.file}};
    } else {
        j["endpoint"] = nullptr;
    }
    j["uncertain"] = d.uncertain;
    j["notes"] = d.notes;
    j["change_commands"] = d.change_commands;
    ordered_json f = ordered_json::object();
    const facts::FactSet fs = facts(d);
    for (const auto& spec : facts::facts_of(facts::Scope::kCloud))
        std::visit([&](const auto& v) { f[std::string(spec.name)] = v; }, fs.get(spec));
    j["facts"] = f;
    return j.dump(2) + "\n";
}

}  // namespace sshpath::cloud
