#include <fmt/format.h>

#include <algorithm>

#include "json_util.h"

namespace sshpath::cloud::detail {

namespace {

bool is_endpoint(const json& o) { return o.is_object() && member(o, "localPort") && member(o, "port"); }
bool is_acl_rule(const json& o) { return o.is_object() && member(o, "remoteSubnet") && member(o, "action"); }

Rule acl_rule(const std::string& file, const std::string& endpoint, const json& r) {
    long long order = 0;
    if (!integer(r, "order", order))
        fail(file, fmt::format("an ACL rule of endpoint '{}' has no order number", endpoint));
    const std::string where = fmt::format("ACL rule {} of endpoint '{}'", order, endpoint);
    if (order < 0 || order > 65535) fail(file, fmt::format("{}: order {} is impossible (0-65535)", where, order));
    Rule rule;
    rule.name = std::to_string(order);
    rule.priority = static_cast<int>(order);
    const std::string action = text(r, "action");
    if (iequals(action, "permit")) rule.access = Access::kAllow;
    else if (iequals(action, "deny")) rule.access = Access::kDeny;
    else fail(file, fmt::format("{}: action '{}' is neither permit nor deny", where, action));
    const std::string subnet = text(r, "remoteSubnet");
    AddressTerm t{AddressTerm::Kind::kPrefix, {}, ""};
    if (!Prefix::parse(subnet, t.prefix)) fail(file, fmt::format("{}: remote subnet '{}' is not a CIDR prefix", where, subnet));
    rule.sources.push_back(t);
    rule.description = text(r, "description");
    return rule;
}

RuleTable acl_table(const std::string& file, const std::string& endpoint, const json* rules, const std::string& format) {
    RuleTable t;
    t.cloud = Cloud::kAzureClassic;
    t.kind = TableKind::kEndpointAcl;
    t.name = endpoint;
    t.file = file;
    t.format = format;
    if (rules)
        for (const auto& r : *rules) t.rules.push_back(acl_rule(file, endpoint, r));
    sort_rules(t);
    for (std::size_t i = 1; i < t.rules.size(); ++i)
        if (t.rules[i].priority == t.rules[i - 1].priority)
            fail(file, fmt::format("endpoint '{}' has two ACL rules with order {}", endpoint, t.rules[i].priority));
    return t;
}

int endpoint_port(const std::string& file, const std::string& name, const json& o, const char* key, const char* what) {
    long long v = 0;
    if (!integer(o, key, v)) fail(file, fmt::format("endpoint '{}': {} {} is not a number", name, what, shown(o, key)));
    if (v < 1 || v > 65535) fail(file, fmt::format("endpoint '{}': {} {} is impossible (1-65535)", name, what, v));
    return static_cast<int>(v);
}

Endpoint endpoint(const std::string& file, const json& o) {
    Endpoint e;
    e.name = text(o, "name");
    e.vm = text(o, "vmName");
    e.file = file;
    e.vip = text(o, "virtualIPAddress");
    e.public_port = endpoint_port(file, e.name, o, "port", "public port");
    e.private_port = endpoint_port(file, e.name, o, "localPort", "private port");
    const std::string proto = text(o, "protocol");
    if (!proto.empty() && (!parse_protocol(proto, e.protocol) || (e.protocol != 6 && e.protocol != 17)))
        fail(file, fmt::format("endpoint '{}': protocol '{}' is neither tcp nor udp", e.name, proto));
    const json* rules = nullptr;
    if (const json* acl = member(o, "endpointAcl")) rules = array_member(*acl, "rules");
    e.acl = acl_table(file, e.name, rules, "azure vm endpoint list --json");
    return e;
}

}  // namespace

bool load_classic(Policy& policy, const json& j, const std::string& file) {
    if (is_endpoint(j)) {
        policy.endpoints.push_back(endpoint(file, j));
        return true;
    }
    if (!j.is_array() || j.empty()) return false;
    if (std::all_of(j.begin(), j.end(), is_endpoint)) {
        for (const auto& o : j) policy.endpoints.push_back(endpoint(file, o));
        return true;
    }
    if (std::all_of(j.begin(), j.end(), is_acl_rule)) {
        policy.loose_acls.push_back(acl_table(file, "<endpoint-name>", &j,
                                              "azure vm endpoint acl-rule list --json"));
        return true;
    }
    return false;
}

}  // namespace sshpath::cloud::detail
