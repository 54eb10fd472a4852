#include <fmt/format.h>

#include "json_util.h"

namespace sshpath::cloud::detail {

namespace {

AddressTerm prefix_term(const std::string& file, const std::string& where, const std::string& cidr) {
    AddressTerm t{AddressTerm::Kind::kPrefix, {}, ""};
    if (!Prefix::parse(cidr, t.prefix)) fail(file, fmt::format("{}: '{}' is not a CIDR block", where, cidr));
    if (t.prefix.length == 0) t.kind = AddressTerm::Kind::kAny;
    return t;
}

// IpPermissions[i]: protocol, port range and the peers it allows (CIDRs, prefix lists, groups).
Rule permission(const std::string& file, const std::string& group, const json& p, Direction d, const std::string& path) {
    const std::string where = fmt::format("security group {} {}", group, path);
    Rule r;
    r.name = path;
    r.direction = d;
    r.access = Access::kAllow;
    for (const char* key : {"IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"})
        if (const json* a = array_member(p, key))
            for (const auto& x : *a)
                if (const std::string d = text(x, "Description"); !d.empty())
                    r.description += (r.description.empty() ? "" : ", ") + d;
    const std::string proto = text(p, "IpProtocol");
    if (!parse_protocol(proto, r.protocol)) fail(file, fmt::format("{}: IpProtocol '{}' is not a protocol", where, proto));
    long long from = -1, to = -1;
    const bool has_from = integer(p, "FromPort", from), has_to = integer(p, "ToPort", to);
    if ((r.protocol == 6 || r.protocol == 17 || r.protocol == 132) && has_from && has_to && !(from == -1 && to == -1)) {
        if (from < 0 || to > 65535 || from > to)
            fail(file, fmt::format("{}: port range {}-{} is impossible", where, from, to));
        if (!(from == 0 && to == 65535)) r.destination_ports.push_back(PortRange{static_cast<int>(from), static_cast<int>(to)});
    }
    std::vector<AddressTerm> peers;
    if (const json* a = array_member(p, "IpRanges"))
        for (const auto& x : *a) peers.push_back(prefix_term(file, where, text(x, "CidrIp")));
    if (const json* a = array_member(p, "Ipv6Ranges"))
        for (const auto& x : *a) peers.push_back(prefix_term(file, where, text(x, "CidrIpv6")));
    if (const json* a = array_member(p, "PrefixListIds"))
        for (const auto& x : *a) peers.push_back(AddressTerm{AddressTerm::Kind::kGroup, {}, text(x, "PrefixListId")});
    if (const json* a = array_member(p, "UserIdGroupPairs"))
        for (const auto& x : *a) peers.push_back(AddressTerm{AddressTerm::Kind::kGroup, {}, text(x, "GroupId")});
    // 0.0.0.0/0 alone still means "any IPv4 address": keep it as a prefix that matches all of IPv4.
    for (auto& t : peers)
        if (t.kind == AddressTerm::Kind::kAny) t.kind = AddressTerm::Kind::kPrefix;
    (d == Direction::kInbound ? r.sources : r.destinations) = peers;
    return r;
}

void load_groups(Policy& policy, const json& groups, const std::string& file) {
    for (const auto& g : groups) {
        RuleTable t;
        t.cloud = Cloud::kAws;
        t.kind = TableKind::kSecurityGroup;
        t.id = text(g, "GroupId");
        if (t.id.empty()) fail(file, "a security group without GroupId");
        const std::string group_name = text(g, "GroupName");
        t.name = group_name.empty() || group_name == t.id ? t.id : t.id + " (" + group_name + ")";
        t.file = file;
        t.format = "aws ec2 describe-security-groups";
        for (const auto& [key, d] : {std::pair{"IpPermissions", Direction::kInbound}, std::pair{"IpPermissionsEgress", Direction::kOutbound}})
            if (const json* a = array_member(g, key))
                for (std::size_t i = 0; i < a->size(); ++i) {
                    Rule r = permission(file, t.id, (*a)[i], d, fmt::format("{}[{}]", key, i));
                    r.priority = static_cast<int>(i);
                    t.rules.push_back(std::move(r));
                }
        policy.tables.push_back(std::move(t));
    }
}

Rule acl_entry(const std::string& file, const std::string& acl, const json& e) {
    long long number = 0;
    if (!integer(e, "RuleNumber", number)) fail(file, fmt::format("network ACL {}: an entry without RuleNumber", acl));
    const std::string where = fmt::format("network ACL {} rule {}", acl, number);
    if (number < 1 || number > 32767)
        fail(file, fmt::format("{}: rule number {} is impossible (1-32766, and 32767 for the default rule)", where, number));
    Rule r;
    r.priority = static_cast<int>(number);
    r.name = number == 32767 ? "*" : std::to_string(number);
    r.is_default = number == 32767;
    const json* egress = member(e, "Egress");
    r.direction = egress && egress->is_boolean() && egress->get<bool>() ? Direction::kOutbound : Direction::kInbound;
    const std::string action = text(e, "RuleAction");
    if (iequals(action, "allow")) r.access = Access::kAllow;
    else if (iequals(action, "deny")) r.access = Access::kDeny;
    else fail(file, fmt::format("{}: RuleAction '{}' is neither allow nor deny", where, action));
    const std::string proto = text(e, "Protocol");
    if (!parse_protocol(proto, r.protocol)) fail(file, fmt::format("{}: Protocol '{}' is not a protocol number", where, proto));
    if (const json* pr = member(e, "PortRange"); pr && (r.protocol == 6 || r.protocol == 17)) {
        long long from = 0, to = 0;
        if (!integer(*pr, "From", from) || !integer(*pr, "To", to) || from < 0 || to > 65535 || from > to)
            fail(file, fmt::format("{}: PortRange {} is impossible", where, pr->dump()));
        if (!(from == 0 && to == 65535)) r.destination_ports.push_back(PortRange{static_cast<int>(from), static_cast<int>(to)});
    }
    std::string cidr = text(e, "CidrBlock");
    if (cidr.empty()) cidr = text(e, "Ipv6CidrBlock");
    if (cidr.empty()) fail(file, fmt::format("{}: neither CidrBlock nor Ipv6CidrBlock", where));
    AddressTerm t = prefix_term(file, where, cidr);
    t.kind = AddressTerm::Kind::kPrefix;  // 0.0.0.0/0 matches IPv4 only, ::/0 IPv6 only
    (r.direction == Direction::kInbound ? r.sources : r.destinations).push_back(t);
    return r;
}

void load_acls(Policy& policy, const json& acls, const std::string& file) {
    for (const auto& a : acls) {
        RuleTable t;
        t.cloud = Cloud::kAws;
        t.kind = TableKind::kNetworkAcl;
        t.id = t.name = text(a, "NetworkAclId");
        if (t.name.empty()) fail(file, "a network ACL without NetworkAclId");
        t.file = file;
        t.format = "aws ec2 describe-network-acls";
        if (const json* entries = array_member(a, "Entries"))
            for (const auto& e : *entries) t.rules.push_back(acl_entry(file, t.name, e));
        sort_rules(t);
        for (std::size_t i = 0; i < t.rules.size(); ++i)
            for (std::size_t k = i + 1; k < t.rules.size(); ++k) {
                const Rule &x = t.rules[i], &y = t.rules[k];
                if (x.priority == y.priority && x.direction == y.direction && !x.is_default)
                    fail(file, fmt::format("network ACL {} has two {} entries with rule number {}", t.name,
                                           direction_name(x.direction), x.priority));
            }
        policy.tables.push_back(std::move(t));
    }
}

}  // namespace

bool load_aws(Policy& policy, const json& j, const std::string& file) {
    if (!j.is_object()) return false;
    if (const json* g = array_member(j, "SecurityGroups")) {
        if (g->empty()) fail(file, "describe-security-groups found no security group (SecurityGroups is empty)");
        load_groups(policy, *g, file);
        return true;
    }
    if (const json* a = array_member(j, "NetworkAcls")) {
        if (a->empty()) fail(file, "describe-network-acls found no network ACL (NetworkAcls is empty)");
        load_acls(policy, *a, file);
        return true;
    }
    return false;
}

}  // namespace sshpath::cloud::detail
