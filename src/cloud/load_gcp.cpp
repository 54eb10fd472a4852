#include <fmt/format.h>

#include <algorithm>

#include "json_util.h"

namespace sshpath::cloud::detail {

namespace {

bool is_firewall(const json& o) {
    return o.is_object() && (text(o, "kind") == "compute#firewall" ||
                             ((member(o, "allowed") || member(o, "denied")) && member(o, "network")));
}

std::vector<AddressTerm> ranges(const std::string& file, const std::string& where, const std::vector<std::string>& list) {
    std::vector<AddressTerm> out;
    for (const auto& s : list) {
        AddressTerm t{AddressTerm::Kind::kPrefix, {}, ""};
        if (!Prefix::parse(s, t.prefix)) fail(file, fmt::format("{}: range '{}' is not a CIDR range", where, s));
        out.push_back(t);
    }
    return out;
}

void add_groups(std::vector<AddressTerm>& out, const std::vector<std::string>& names) {
    for (const auto& n : names) out.push_back(AddressTerm{AddressTerm::Kind::kGroup, {}, n});
}

// One firewall rule: one Rule per entry of allowed[] or denied[] (each has its protocol and ports).
void firewall(std::vector<RuleTable>& tables, const std::string& file, const json& f) {
    const std::string name = text(f, "name");
    const std::string where = fmt::format("firewall rule '{}'", name);
    long long priority = 1000;
    if (member(f, "priority") && !integer(f, "priority", priority))
        fail(file, fmt::format("{}: priority {} is not a number", where, shown(f, "priority")));
    if (priority < 0 || priority > 65535) fail(file, fmt::format("{}: priority {} is impossible (0-65535)", where, priority));
    const std::string dir = text(f, "direction");
    Rule base;
    base.name = name;
    base.priority = static_cast<int>(priority);
    base.id = text(f, "selfLink");
    base.description = text(f, "description");
    if (dir.empty() || iequals(dir, "INGRESS")) base.direction = Direction::kInbound;
    else if (iequals(dir, "EGRESS")) base.direction = Direction::kOutbound;
    else fail(file, fmt::format("{}: direction '{}' is neither INGRESS nor EGRESS", where, dir));
    base.sources = ranges(file, where, strings(f, "sourceRanges"));
    add_groups(base.sources, strings(f, "sourceTags"));
    add_groups(base.sources, strings(f, "sourceServiceAccounts"));
    base.destinations = ranges(file, where, strings(f, "destinationRanges"));
    base.target_tags = strings(f, "targetTags");
    base.target_service_accounts = strings(f, "targetServiceAccounts");
    const std::string network = last_segment(text(f, "network"));
    auto it = std::find_if(tables.begin(), tables.end(), [&](const RuleTable& t) { return t.name == network; });
    if (it == tables.end()) {
        RuleTable t;
        t.cloud = Cloud::kGcp;
        t.kind = TableKind::kGcpFirewall;
        t.name = network.empty() ? "default" : network;
        t.file = file;
        t.format = "gcloud compute firewall-rules list --format=json";
        tables.push_back(std::move(t));
        it = tables.end() - 1;
    }
    const json* disabled = member(f, "disabled");
    if (disabled && disabled->is_boolean() && disabled->get<bool>()) return;  // a disabled rule does nothing
    bool any_entry = false;
    for (const auto& [key, access] : {std::pair{"allowed", Access::kAllow}, std::pair{"denied", Access::kDeny}}) {
        const json* entries = array_member(f, key);
        if (!entries) continue;
        for (const auto& e : *entries) {
            Rule r = base;
            r.access = access;
            const std::string proto = text(e, "IPProtocol");
            if (!parse_protocol(proto, r.protocol)) fail(file, fmt::format("{}: IPProtocol '{}' is not a protocol", where, proto));
            for (const auto& p : strings(e, "ports")) {
                PortRange pr;
                if (!parse_port_range(p, pr)) fail(file, fmt::format("{}: port '{}' is not a port or a range", where, p));
                r.destination_ports.push_back(pr);
            }
            it->rules.push_back(std::move(r));
            any_entry = true;
        }
    }
    if (!any_entry) fail(file, fmt::format("{}: neither allowed nor denied lists a protocol", where));
}

Rule implied(const char* name, Direction d, Access a) {
    Rule r;
    r.name = name;
    r.priority = 65535;
    r.direction = d;
    r.access = a;
    r.is_default = true;
    return r;
}

}  // namespace

bool load_gcp(Policy& policy, const json& j, const std::string& file) {
    std::vector<const json*> rules;
    if (is_firewall(j)) rules.push_back(&j);
    else if (j.is_array() && !j.empty() && std::all_of(j.begin(), j.end(), is_firewall))
        for (const auto& f : j) rules.push_back(&f);
    if (rules.empty()) return false;
    std::vector<RuleTable> tables;
    for (const json* f : rules) firewall(tables, file, *f);
    for (auto& t : tables) {
        // Every VPC network has these two, below every rule.
        t.rules.push_back(implied("implied-allow-egress", Direction::kOutbound, Access::kAllow));
        t.rules.push_back(implied("implied-deny-ingress", Direction::kInbound, Access::kDeny));
        sort_rules(t, true);
        policy.tables.push_back(std::move(t));
    }
    return true;
}

}  // namespace sshpath::cloud::detail
