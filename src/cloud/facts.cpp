#include <fmt/format.h>

#include "sshpath/cloud/decision.h"

namespace sshpath::cloud {

namespace {

using I = std::int64_t;

Fact b(std::string_view name, bool v, std::string_view d) { return Fact{name, "bool", "false", d, v}; }
Fact i(std::string_view name, I v, std::string_view unset, std::string_view d) { return Fact{name, "int", unset, d, v}; }
Fact s(std::string_view name, std::string v, std::string_view d) { return Fact{name, "string", "\"\"", d, std::move(v)}; }

std::string rule_words(const RuleRef& r) {
    if (r.name.empty()) return "";
    std::string out = r.name;
    if (r.priority >= 0 && r.name != std::to_string(r.priority)) out += fmt::format(" (priority {}, {})", r.priority, r.access);
    else out += " (" + r.access + ")";
    return out;
}

}  // namespace

std::vector<Fact> facts(const Decision& d) {
    const bool ran = !d.access.empty();
    const RuleRef rule = d.rule.value_or(RuleRef{});
    I denying = 0;
    for (const auto& l : d.layers) denying += l.access == "deny";
    const ReturnPath rp = d.return_path.value_or(ReturnPath{});
    const EndpointUse ep = d.endpoint.value_or(EndpointUse{});
    return {
        b("rules_loaded", ran, "cloud rule exports were given and evaluated for the connection"),
        s("provider", d.cloud, "the cloud whose rules were evaluated: azure, azure-classic, aws, gcp"),
        s("flow", d.flow, "the connection evaluated: tcp 198.51.100.2:* -> 10.0.0.4:22 inbound (the client as the cloud sees it)"),
        s("access", d.access, "what the rules do to the connection: allow, deny, or no-rule (no rule in the files applies)"),
        s("component", d.component,
          "who decided: nsg (network security group, security group, GCP firewall rule) or acl (endpoint ACL, network ACL)"),
        s("rule", rule.name, "the deciding rule's name (DenySSH, 100, or (no rule allows it) when the cloud's implicit deny decided)"),
        i("rule_priority", rule.priority, "-1", "the deciding rule's priority, rule number or order; -1 for an implicit rule"),
        b("rule_default", rule.is_default, "the deciding rule is a default or implied rule of the cloud, not one someone wrote"),
        s("rule_text", rule.text, "the deciding rule in one line: Deny tcp from 198.51.100.0/24 port * to * port 22"),
        s("rule_table", rule.table, "the NSG, security group, network ACL, endpoint or GCP network that holds the deciding rule"),
        s("rule_level", rule.level, "Azure: where that NSG is attached: subnet, nic, or empty when the exports do not say"),
        s("rule_file", rule.file, "the file the deciding rule came from"),
        i("next_rules", static_cast<I>(d.next.size()), "0", "rules of the deciding layer that would have matched next"),
        s("next_rule", d.next.empty() ? "" : rule_words(d.next.front()), "the first of them: name (priority, access)"),
        i("layers", static_cast<I>(d.layers.size()), "0",
          "layers the connection crosses: endpoint, subnet and NIC NSGs, security groups, network ACL, GCP firewall"),
        i("layers_denying", denying, "0", "how many of those layers deny the connection"),
        s("return_access", rp.access,
          "stateless network ACLs: what happens to the replies: allow, deny, partial (some client ports), or empty"),
        s("return_denied_ports", rp.denied_ports, "client ports whose replies the network ACL drops (1024-32767)"),
        s("return_rule", rule_words(rp.rule), "the network ACL rule deciding the replies"),
        b("endpoint", d.endpoint.has_value(), "an Azure classic endpoint forwards the connection"),
        i("endpoint_public_port", ep.public_port, "-1", "the endpoint's public port"),
        i("endpoint_private_port", ep.private_port, "-1", "the endpoint's private port, where it forwards on the VM"),
        b("endpoint_port_mismatch", ep.mismatch, "the endpoint's private port differs from the port sshd listens on"),
        b("uncertain", d.uncertain,
          "a rule before the deciding one may match: the answer depends on what the exports do not say (membership, tags)"),
        s("change_command", d.change_commands.empty() ? "" : d.change_commands.front(),
          "a command that lets the connection through the first layer that blocks it"),
    };
}

}  // namespace sshpath::cloud
