#include <fmt/format.h>

#include "sshpath/cloud/decision.h"

namespace sshpath::cloud {

namespace {

using I = std::int64_t;

// "AllowSSH (priority 300, allow)", "100 (deny)".
std::string rule_brief(const RuleRef& r) {
    if (r.name.empty()) return "";
    std::string out = r.name;
    if (r.priority >= 0 && r.name != std::to_string(r.priority)) out += fmt::format(" (priority {}, {})", r.priority, r.access);
    else out += " (" + r.access + ")";
    return out;
}

}  // namespace

std::string RuleRef::head() const {
    std::string out = name;
    const bool numbered = priority >= 0 && name != std::to_string(priority);
    if (numbered) out += fmt::format(" (priority {}{})", priority, is_default ? ", default rule" : "");
    else if (priority >= 0 && is_default) out += " (default rule)";
    return out;
}

std::string RuleRef::place() const {
    std::string out = table_kind;
    if (!table.empty()) out += " " + table;
    if (!level.empty()) out += fmt::format(" ({} level)", level == "nic" ? "NIC" : "subnet");
    return out;
}

facts::FactSet facts(const Decision& d, const AddressOrigin& origin) {
    namespace C = facts::cloud;
    facts::FactSet fs(facts::Scope::kCloud);
    fs.set(C::rules_loaded, true);
    fs.set(C::provider, d.cloud);
    if (d.access.empty()) return fs;
    const bool in = d.direction != "outbound";
    fs.set(C::evaluated, true);
    if (d.uncertain) fs.set(C::needs, d.uncertain_why);
    fs.set(C::client_address, in ? d.source : d.destination);
    fs.set(C::client_address_from, origin.client);
    fs.set(C::vm_address, in ? d.destination : d.source);
    fs.set(C::vm_address_from, origin.vm);
    fs.set(C::flow, d.flow);
    fs.set(C::access, d.access);
    fs.set(C::component, d.component);
    if (d.rule) {
        const RuleRef& r = *d.rule;
        const bool implicit = r.priority < 0 && r.is_default;  // "(no rule allows it)", "(no endpoint)"
        fs.set(C::decided_by, fmt::format("{}{} in {}", implicit ? "" : "rule ", r.head(), r.place()));
        fs.set(C::rule, r.name);
        fs.set(C::rule_priority, r.priority);
        fs.set(C::rule_default, r.is_default);
        fs.set(C::rule_text, r.text);
        fs.set(C::rule_table, r.table);
        fs.set(C::rule_level, r.level);
        fs.set(C::rule_file, r.file);
    }
    fs.set(C::next_rules, static_cast<I>(d.next.size()));
    if (!d.next.empty()) fs.set(C::next_rule, rule_brief(d.next.front()));
    I denying = 0;
    for (const auto& l : d.layers) denying += l.access == "deny";
    fs.set(C::layers, static_cast<I>(d.layers.size()));
    fs.set(C::layers_denying, denying);
    fs.set(C::uncertain, d.uncertain);
    if (!d.change_commands.empty()) fs.set(C::change_command, d.change_commands.front());
    if (d.return_path) {
        fs.set(C::return_access, d.return_path->access);
        fs.set(C::return_denied_ports, d.return_path->denied_ports);
        fs.set(C::return_rule, rule_brief(d.return_path->rule));
        fs.set(C::return_command, d.return_path->command);
    }
    if (d.endpoint) {
        const EndpointUse& e = *d.endpoint;
        fs.set(C::endpoint, true);
        fs.set(C::endpoint_name, e.name);
        fs.set(C::endpoint_public_port, e.public_port);
        fs.set(C::endpoint_private_port, e.private_port);
        fs.set(C::sshd_port, e.sshd_port);
        fs.set(C::endpoint_port_mismatch, e.mismatch);
        fs.set(C::endpoint_command, e.command);
    }
    return fs;
}

}  // namespace sshpath::cloud
