#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "json_util.h"

namespace sshpath::cloud::detail {

namespace {

const json& props(const json& o) {
    const json* p = member(o, "properties");
    return p && p->is_object() ? *p : o;
}

bool is_rule_like(const json& r) {
    const json& p = props(r);
    return r.is_object() && member(p, "access") && member(p, "direction");
}

bool is_nsg_like(const json& o) {
    if (!o.is_object()) return false;
    if (iequals(text(o, "type"), "Microsoft.Network/networkSecurityGroups")) return true;
    const json& p = props(o);
    return array_member(p, "securityRules") || array_member(p, "defaultSecurityRules");
}

bool is_effective(const json& o) { return o.is_object() && array_member(o, "effectiveSecurityRules"); }

bool is_nic_like(const json& o) {
    return o.is_object() && (iequals(text(o, "type"), "Microsoft.Network/networkInterfaces") ||
                             array_member(props(o), "ipConfigurations"));
}

bool is_vnet_like(const json& o) {
    if (!o.is_object()) return false;
    const json* space = member(props(o), "addressSpace");
    return iequals(text(o, "type"), "Microsoft.Network/virtualNetworks") || (space && space->is_object());
}

template <typename Pred>
bool all_of(const json& a, Pred pred) {
    return a.is_array() && !a.empty() && std::all_of(a.begin(), a.end(), pred);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

AddressTerm parse_address(const std::string& file, const std::string& where, const std::string& raw) {
    const std::string t = trim(raw);
    AddressTerm term;
    if (t == "*" || iequals(t, "any")) return term;
    if (Prefix::parse(t, term.prefix)) {
        term.kind = AddressTerm::Kind::kPrefix;
        return term;
    }
    const bool word = !t.empty() && std::isalpha(static_cast<unsigned char>(t[0])) &&
                      std::all_of(t.begin(), t.end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
                      });
    if (!word) fail(file, fmt::format("{}: address '{}' is not an address, a CIDR prefix, '*' or a service tag", where, raw));
    term.kind = AddressTerm::Kind::kServiceTag;
    term.name = t;
    for (const char* known : {"VirtualNetwork", "Internet", "AzureLoadBalancer"})
        if (iequals(t, known)) term.name = known;
    return term;
}

// The source or destination of an Azure rule: expanded prefixes (effective rules) win, then the
// plural array, then the single prefix, plus application security groups.
std::vector<AddressTerm> addresses(const std::string& file, const std::string& where, const json& p,
                                   const std::string& side) {
    std::vector<AddressTerm> out;
    std::vector<std::string> expanded = strings(p, "expanded" + std::string(1, static_cast<char>(std::toupper(side[0]))) +
                                                        side.substr(1) + "AddressPrefix");
    std::vector<std::string> plural = strings(p, side + "AddressPrefixes");
    const std::string single = text(p, side + "AddressPrefix");
    if (!expanded.empty()) {
        for (const auto& e : expanded) {
            AddressTerm t = parse_address(file, where, e);
            if (t.kind == AddressTerm::Kind::kServiceTag)
                fail(file, fmt::format("{}: expanded address '{}' is not an address or CIDR prefix", where, e));
            out.push_back(t);
        }
    } else if (!plural.empty()) {
        for (const auto& e : plural) out.push_back(parse_address(file, where, e));
    } else if (!single.empty()) {
        out.push_back(parse_address(file, where, single));
    }
    if (const json* asgs = array_member(p, side + "ApplicationSecurityGroups"))
        for (const auto& g : *asgs) {
            const std::string id = text(g, "id");
            if (id.empty()) fail(file, fmt::format("{}: an application security group without an id", where));
            out.push_back(AddressTerm{AddressTerm::Kind::kGroup, {}, last_segment(id)});
        }
    if (out.empty())
        fail(file, fmt::format("{}: has no {} address ({}AddressPrefix, {}AddressPrefixes or {}ApplicationSecurityGroups)",
                               where, side, side, side, side));
    auto same = [](const AddressTerm& a, const AddressTerm& b) { return a.kind == b.kind && a.prefix == b.prefix && a.name == b.name; };
    for (std::size_t i = 0; i < out.size(); ++i)
        for (std::size_t k = out.size(); k-- > i + 1;)
            if (same(out[i], out[k])) out.erase(out.begin() + static_cast<long>(k));
    bool any = std::any_of(out.begin(), out.end(), [](const AddressTerm& t) { return t.kind == AddressTerm::Kind::kAny; });
    // 0.0.0.0/0 and ::/0 together (effective rules write `*` so) mean any address.
    bool v4 = false, v6 = false;
    for (const auto& t : out)
        if (t.kind == AddressTerm::Kind::kPrefix && t.prefix.length == 0) (t.prefix.base.family == 4 ? v4 : v6) = true;
    if (any || (v4 && v6)) out.clear();
    return out;
}

std::vector<PortRange> ports(const std::string& file, const std::string& where, const json& p, const std::string& side) {
    std::vector<std::string> list = strings(p, side + "PortRanges");
    if (list.empty()) {
        const std::string single = text(p, side + "PortRange");
        if (single.empty()) fail(file, fmt::format("{}: has no {}PortRange or {}PortRanges", where, side, side));
        list.push_back(single);
    }
    std::vector<PortRange> out;
    for (const auto& s : list) {
        PortRange r;
        if (!parse_port_range(s, r))
            fail(file, fmt::format("{}: {} port range '{}' is not a port, a range (20-30) or '*'", where, side, s));
        if (r.lo == 0 && r.hi == 65535) return {};
        out.push_back(r);
    }
    return out;
}

struct RuleOptions {
    bool in_default_array = false;
    bool effective = false;
};

Rule parse_rule(Policy& policy, const std::string& file, const std::string& nsg, const json& r, RuleOptions o) {
    const json& p = props(r);
    Rule rule;
    rule.name = text(r, "name");
    rule.id = text(r, "id");
    rule.is_default = o.in_default_array || rule.id.find("/defaultSecurityRules/") != std::string::npos ||
                      text(r, "type").find("defaultSecurityRules") != std::string::npos;
    for (std::string_view prefix : {"securityRules/", "defaultSecurityRules/"})
        if (rule.name.rfind(prefix, 0) == 0) {
            rule.is_default = prefix == "defaultSecurityRules/";
            rule.name = rule.name.substr(prefix.size());
        }
    const std::string where = fmt::format("rule '{}' of NSG '{}'", rule.name, nsg);
    if (p.is_object())
        for (const auto& [key, value] : p.items())
            if (value.is_string() && is_template_expression(value.get<std::string>()))
                fail(file, fmt::format("{}: {} is a template expression ({}); evaluate the deployed NSG instead "
                                       "(az network nsg show -o json)",
                                       where, key, value.get<std::string>()));
    const std::string access = text(p, "access"), direction = text(p, "direction"), protocol = text(p, "protocol");
    if (iequals(access, "allow")) rule.access = Access::kAllow;
    else if (iequals(access, "deny")) rule.access = Access::kDeny;
    else fail(file, fmt::format("{}: access '{}' is neither Allow nor Deny", where, access));
    if (iequals(direction, "inbound")) rule.direction = Direction::kInbound;
    else if (iequals(direction, "outbound")) rule.direction = Direction::kOutbound;
    else fail(file, fmt::format("{}: direction '{}' is neither Inbound nor Outbound", where, direction));
    if (protocol.empty()) fail(file, fmt::format("{}: has no protocol", where));
    if (!parse_protocol(protocol, rule.protocol))
        fail(file, fmt::format("{}: protocol '{}' is not Tcp, Udp, Icmp, Esp, Ah or *", where, protocol));
    long long priority = 0;
    if (!member(p, "priority")) fail(file, fmt::format("{}: has no priority", where));
    if (!integer(p, "priority", priority)) fail(file, fmt::format("{}: priority {} is not a number", where, shown(p, "priority")));
    const bool custom_ok = priority >= 100 && priority <= 4096, default_ok = priority >= 65000 && priority <= 65500;
    if (o.effective && default_ok) rule.is_default = true;  // older exports name them DefaultRule_...
    if (!(rule.is_default ? default_ok : (custom_ok || (o.effective && default_ok))))
        fail(file, fmt::format("{}: priority {} is impossible (Azure takes 100-4096 for rules, 65000-65500 for default rules)",
                               where, priority));
    rule.priority = static_cast<int>(priority);
    rule.sources = addresses(file, where, p, "source");
    rule.destinations = addresses(file, where, p, "destination");
    // An expanded VirtualNetwork tells the virtual network's address space.
    if (o.effective && text(p, "sourceAddressPrefix") == "VirtualNetwork")
        for (const auto& t : rule.sources)
            if (t.kind == AddressTerm::Kind::kPrefix && std::find(policy.vnet.begin(), policy.vnet.end(), t.prefix) == policy.vnet.end())
                policy.vnet.push_back(t.prefix);
    rule.description = text(p, "description");
    rule.source_ports = ports(file, where, p, "source");
    rule.destination_ports = ports(file, where, p, "destination");
    return rule;
}

void check_priorities(const RuleTable& t) {
    for (std::size_t i = 0; i < t.rules.size(); ++i)
        for (std::size_t k = i + 1; k < t.rules.size(); ++k) {
            const Rule &a = t.rules[i], &b = t.rules[k];
            if (a.priority == b.priority && a.direction == b.direction)
                fail(t.file, fmt::format("NSG '{}' has two {} rules with priority {} ('{}' and '{}'); Azure refuses that",
                                         t.name, direction_name(a.direction), a.priority, a.name, b.name));
        }
}

RuleTable new_table(const std::string& file, const std::string& name, const std::string& id, const std::string& format) {
    RuleTable t;
    t.cloud = Cloud::kAzure;
    t.kind = TableKind::kNsg;
    t.name = name;
    t.id = id;
    t.resource_group = resource_group_of(id);
    t.file = file;
    t.format = format;
    return t;
}

void add_table(Policy& policy, RuleTable t) {
    check_priorities(t);
    sort_rules(t);
    policy.tables.push_back(std::move(t));
}

void load_nsg(Policy& policy, const json& o, const std::string& file, const std::string& format) {
    const json& p = props(o);
    RuleTable t = new_table(file, text(o, "name"), text(o, "id"), format);
    if (t.name.empty()) t.name = last_segment(t.id);
    if (const std::string rg = text(o, "resourceGroup"); !rg.empty()) t.resource_group = rg;
    if (const json* a = array_member(p, "securityRules"))
        for (const auto& r : *a) t.rules.push_back(parse_rule(policy, file, t.name, r, {}));
    if (const json* a = array_member(p, "defaultSecurityRules"))
        for (const auto& r : *a) t.rules.push_back(parse_rule(policy, file, t.name, r, {true, false}));
    // Templates may nest rules as child resources.
    if (const json* a = array_member(o, "resources"))
        for (const auto& r : *a)
            if (text(r, "type").find("securityRules") != std::string::npos) t.rules.push_back(parse_rule(policy, file, t.name, r, {}));
    const json* subnets = array_member(p, "subnets");
    const json* nics = array_member(p, "networkInterfaces");
    if (subnets && !subnets->empty()) t.level = Level::kSubnet;
    else if (nics && !nics->empty()) t.level = Level::kNic;
    add_table(policy, std::move(t));
}

// `az network nsg rule list`: rules of one NSG, named in their ids.
void load_rule_list(Policy& policy, const json& a, const std::string& file) {
    std::vector<RuleTable> tables;
    for (const auto& r : a) {
        const std::string id = text(r, "id");
        std::string nsg = id_part(id, "networkSecurityGroups");
        if (nsg.empty()) nsg = last_segment(file);
        auto it = std::find_if(tables.begin(), tables.end(), [&](const RuleTable& t) { return t.name == nsg; });
        if (it == tables.end()) {
            tables.push_back(new_table(file, nsg, "", "az network nsg rule list"));
            tables.back().resource_group = text(r, "resourceGroup").empty() ? resource_group_of(id) : text(r, "resourceGroup");
            it = tables.end() - 1;
        }
        it->rules.push_back(parse_rule(policy, file, nsg, r, {}));
    }
    for (auto& t : tables) add_table(policy, std::move(t));
}

void load_effective(Policy& policy, const json& e, const std::string& file) {
    std::string id;
    if (const json* g = member(e, "networkSecurityGroup")) id = text(*g, "id");
    RuleTable t = new_table(file, id.empty() ? "(effective rules)" : last_segment(id), id, "az network nic list-effective-nsg");
    if (const json* assoc = member(e, "association")) {
        if (member(*assoc, "subnet")) t.level = Level::kSubnet;
        else if (member(*assoc, "networkInterface")) t.level = Level::kNic;
    }
    for (const auto& r : e["effectiveSecurityRules"]) t.rules.push_back(parse_rule(policy, file, t.name, r, {false, true}));
    // tagMap: a JSON text mapping service tags to prefixes; VirtualNetwork gives the address space.
    if (const json* tm = member(e, "tagMap")) {
        json map = tm->is_string() ? json::parse(tm->get<std::string>(), nullptr, false) : *tm;
        for (const auto& s : strings(map, "VirtualNetwork")) {
            Prefix p;
            if (Prefix::parse(s, p) && std::find(policy.vnet.begin(), policy.vnet.end(), p) == policy.vnet.end())
                policy.vnet.push_back(p);
        }
    }
    add_table(policy, std::move(t));
}

void load_template(Policy& policy, const json& resources, const std::string& file) {
    std::size_t before = policy.tables.size();
    std::vector<const json*> loose;
    for (const auto& r : resources) {
        const std::string type = text(r, "type");
        if (iequals(type, "Microsoft.Network/networkSecurityGroups")) load_nsg(policy, r, file, "ARM template");
        else if (iequals(type, "Microsoft.Network/networkSecurityGroups/securityRules")) loose.push_back(&r);
    }
    // Child rules declared at the top level are named "NSG/RULE".
    for (const json* r : loose) {
        const std::string full = text(*r, "name");
        const auto slash = full.find('/');
        const std::string nsg = slash == std::string::npos ? full : full.substr(0, slash);
        auto it = std::find_if(policy.tables.begin() + static_cast<long>(before), policy.tables.end(),
                               [&](const RuleTable& t) { return t.name == nsg; });
        if (it == policy.tables.end()) {
            policy.tables.push_back(new_table(file, nsg, "", "ARM template"));
            it = policy.tables.end() - 1;
        }
        Rule rule = parse_rule(policy, file, nsg, *r, {});
        if (slash != std::string::npos) rule.name = full.substr(slash + 1);
        it->rules.push_back(std::move(rule));
        check_priorities(*it);
        sort_rules(*it);
    }
    if (policy.tables.size() == before)
        fail(file, "an ARM template without Microsoft.Network/networkSecurityGroups resources");
}

void load_nic(Policy& policy, const json& o) {
    const json& p = props(o);
    if (const json* g = member(p, "networkSecurityGroup")) policy.nsg_levels[lower(last_segment(text(*g, "id")))] = Level::kNic;
    const json* configs = array_member(p, "ipConfigurations");
    if (!configs) return;
    for (const auto& c : *configs) {
        const json& pc = props(c);
        Address a;
        if (!Address::parse(text(pc, "privateIPAddress"), a)) continue;
        policy.nic_addresses.push_back(a);
        if (const json* asgs = array_member(pc, "applicationSecurityGroups"))
            for (const auto& g : *asgs) policy.members.emplace(last_segment(text(g, "id")), a);
    }
}

void load_vnet(Policy& policy, const json& o, const std::string& file) {
    const json& p = props(o);
    if (const json* space = member(p, "addressSpace"))
        for (const auto& s : strings(*space, "addressPrefixes")) {
            Prefix pre;
            if (!Prefix::parse(s, pre)) fail(file, fmt::format("address space '{}' is not a CIDR prefix", s));
            if (std::find(policy.vnet.begin(), policy.vnet.end(), pre) == policy.vnet.end()) policy.vnet.push_back(pre);
        }
    if (const json* subnets = array_member(p, "subnets"))
        for (const auto& s : *subnets)
            if (const json* g = member(props(s), "networkSecurityGroup"))
                policy.nsg_levels[lower(last_segment(text(*g, "id")))] = Level::kSubnet;
}

Rule default_rule(const char* name, int priority, Direction d, Access a, AddressTerm src, AddressTerm dst) {
    Rule r;
    r.name = name;
    r.priority = priority;
    r.direction = d;
    r.access = a;
    r.is_default = true;
    if (src.kind != AddressTerm::Kind::kAny) r.sources.push_back(src);
    if (dst.kind != AddressTerm::Kind::kAny) r.destinations.push_back(dst);
    return r;
}

}  // namespace

bool load_azure(Policy& policy, const json& j, const std::string& file) {
    const json* list = j.is_array() ? &j : array_member(j, "value");
    if (list) {
        if (all_of(*list, is_effective)) {
            for (const auto& e : *list) load_effective(policy, e, file);
        } else if (all_of(*list, is_nsg_like)) {
            for (const auto& o : *list) load_nsg(policy, o, file, "az network nsg list");
        } else if (all_of(*list, is_rule_like)) {
            load_rule_list(policy, *list, file);
        } else if (all_of(*list, is_nic_like)) {
            for (const auto& o : *list) load_nic(policy, o);
        } else {
            return false;
        }
        return true;
    }
    if (!j.is_object()) return false;
    if (is_effective(j)) load_effective(policy, j, file);
    else if (const json* res = array_member(j, "resources"); res && !is_nsg_like(j)) load_template(policy, *res, file);
    else if (is_nsg_like(j)) load_nsg(policy, j, file, member(j, "properties") ? "az resource show" : "az network nsg show");
    else if (is_nic_like(j)) load_nic(policy, j);
    else if (is_vnet_like(j)) load_vnet(policy, j, file);
    else if (is_rule_like(j)) load_rule_list(policy, json::array({j}), file);
    else return false;
    return true;
}

void finish_azure(Policy& policy) {
    const AddressTerm any, vnet{AddressTerm::Kind::kServiceTag, {}, "VirtualNetwork"},
        lb{AddressTerm::Kind::kServiceTag, {}, "AzureLoadBalancer"}, internet{AddressTerm::Kind::kServiceTag, {}, "Internet"};
    for (auto& t : policy.tables) {
        if (t.cloud != Cloud::kAzure || t.kind != TableKind::kNsg) continue;
        if (t.level == Level::kUnknown)
            if (auto it = policy.nsg_levels.find(lower(t.name)); it != policy.nsg_levels.end()) t.level = it->second;
        for (Direction d : {Direction::kInbound, Direction::kOutbound}) {
            const bool has = std::any_of(t.rules.begin(), t.rules.end(),
                                         [d](const Rule& r) { return r.is_default && r.direction == d; });
            if (has) continue;
            const bool in = d == Direction::kInbound;
            t.rules.push_back(default_rule(in ? "AllowVnetInBound" : "AllowVnetOutBound", 65000, d, Access::kAllow, vnet, vnet));
            t.rules.push_back(in ? default_rule("AllowAzureLoadBalancerInBound", 65001, d, Access::kAllow, lb, any)
                                 : default_rule("AllowInternetOutBound", 65001, d, Access::kAllow, any, internet));
            t.rules.push_back(default_rule(in ? "DenyAllInBound" : "DenyAllOutBound", 65500, d, Access::kDeny, any, any));
            if (!t.defaults_added)
                policy.notes.push_back(fmt::format("{}: NSG '{}': the export leaves out Azure's default rules; they were added",
                                                   t.file, t.name));
            t.defaults_added = true;
        }
        sort_rules(t);
    }
}

}  // namespace sshpath::cloud::detail
