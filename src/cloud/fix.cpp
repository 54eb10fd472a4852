#include "fix.h"

#include <fmt/format.h>

#include <algorithm>

#include "match.h"

namespace sshpath::cloud::detail {

namespace {

std::string host(const Address& a) { return a.str() + (a.family == 4 ? "/32" : "/128"); }

std::string slug(const Address& a) {
    std::string s = a.str();
    std::replace(s.begin(), s.end(), '.', '-');
    std::replace(s.begin(), s.end(), ':', '-');
    return s;
}

// The highest free priority in [lo, hi] below `below`, in one direction; -1 when none.
int free_below(const RuleTable& t, Direction d, int below, int lo, int hi) {
    for (int p = std::min(below - 1, hi); p >= lo; --p)
        if (std::none_of(t.rules.begin(), t.rules.end(), [&](const Rule& r) { return r.direction == d && r.priority == p; }))
            return p;
    return -1;
}

std::string azure_protocol(int p) {
    switch (p) {
    case 6: return "Tcp";
    case 17: return "Udp";
    case 1:
    case 58: return "Icmp";
    default: return "'*'";
    }
}

std::string or_placeholder(const std::string& s, const char* placeholder) { return s.empty() ? placeholder : s; }

std::string azure(const RuleTable& t, const Rule* rule, const Flow& f) {
    const bool in = f.direction == Direction::kInbound;
    const Address& remote = in ? f.source : f.destination;
    const std::string group = or_placeholder(t.resource_group, "<resource-group>");
    int q = free_below(t, f.direction, rule ? rule->priority : 4097, 100, 4096);
    std::string move;
    if (q < 0 && rule && !rule->is_default) {
        // No room before the deny: move it to the next free priority and take its place.
        const int after = [&] {
            for (int p = rule->priority + 1; p <= 4096; ++p)
                if (std::none_of(t.rules.begin(), t.rules.end(), [&](const Rule& r) { return r.direction == f.direction && r.priority == p; }))
                    return p;
            return -1;
        }();
        if (after < 0) return "";
        move = fmt::format("az network nsg rule update --resource-group {} --nsg-name {} --name {} --priority {} && ", group, t.name,
                           rule->name, after);
        q = rule->priority;
    }
    if (q < 0) return "";
    const std::string port = has_ports(f.protocol) ? std::to_string(f.destination_port) : "'*'";
    return move + fmt::format(
        "az network nsg rule create --resource-group {} --nsg-name {} --name allow-{}-{}-{}-{} --priority {} "
        "--direction {} --access Allow --protocol {} --source-address-prefixes {} --source-port-ranges '*' "
        "--destination-address-prefixes {} --destination-port-ranges {}",
        group, t.name, protocol_name(f.protocol), has_ports(f.protocol) ? port : "any",
        in ? "from" : "to", slug(remote), q, in ? "Inbound" : "Outbound", azure_protocol(f.protocol),
        in ? host(f.source) : f.source.str(), in ? f.destination.str() : host(f.destination), port);
}

std::string aws_ports(const Flow& f, PortRange r) {
    if (!has_ports(f.protocol)) return "";
    return fmt::format(" --port-range From={},To={}", r.lo, r.hi);
}

std::string nacl(const RuleTable& t, const Rule* rule, const Flow& f, PortRange ports) {
    const bool in = f.direction == Direction::kInbound;
    const Address& remote = in ? f.source : f.destination;
    const int q = free_below(t, f.direction, rule ? rule->priority : 32767, 1, 32766);
    if (q < 0) return "";
    return fmt::format("aws ec2 create-network-acl-entry --network-acl-id {} --{} --rule-number {} --protocol {}{} --{} {} "
                       "--rule-action allow",
                       t.id, in ? "ingress" : "egress", q, f.protocol, aws_ports(f, ports),
                       remote.family == 4 ? "cidr-block" : "ipv6-cidr-block", host(remote));
}

std::string security_group(const RuleTable& t, const Flow& f) {
    const bool in = f.direction == Direction::kInbound;
    const Address& remote = in ? f.source : f.destination;
    const std::string proto = has_ports(f.protocol) || f.protocol == 1 ? protocol_name(f.protocol) : std::to_string(f.protocol);
    const std::string ports = has_ports(f.protocol) ? fmt::format(",FromPort={},ToPort={}", f.destination_port, f.destination_port)
                                                    : ",FromPort=-1,ToPort=-1";
    const std::string range = remote.family == 4 ? fmt::format("IpRanges=[{{CidrIp={}}}]", host(remote))
                                                 : fmt::format("Ipv6Ranges=[{{CidrIpv6={}}}]", host(remote));
    return fmt::format("aws ec2 authorize-security-group-{} --group-id {} --ip-permissions 'IpProtocol={}{},{}'",
                       in ? "ingress" : "egress", t.id, proto, ports, range);
}

std::string gcp(const RuleTable& t, const Rule* rule, const Flow& f, const Context& c) {
    if (!rule || rule->priority == 0) return "";
    const bool in = f.direction == Direction::kInbound;
    const Address& remote = in ? f.source : f.destination;
    std::string rules = protocol_name(f.protocol);
    if (f.protocol == kAnyProtocol) rules = "all";
    if (has_ports(f.protocol)) rules += ":" + std::to_string(f.destination_port);
    std::string targets;
    if (!c.tags.empty()) targets = " --target-tags " + c.tags.front();
    else if (!c.service_accounts.empty()) targets = " --target-service-accounts " + c.service_accounts.front();
    return fmt::format("gcloud compute firewall-rules create allow-{}-{}-{}-{} --network {} --direction {} --priority {} "
                       "--action ALLOW --rules {} --{}-ranges {}{}",
                       protocol_name(f.protocol), has_ports(f.protocol) ? std::to_string(f.destination_port) : "any",
                       in ? "from" : "to", slug(remote), t.name, in ? "INGRESS" : "EGRESS",
                       rule->priority - 1, rules, in ? "source" : "destination", host(remote), targets);
}

std::string endpoint_acl(const RuleTable& t, const Rule* rule, const Flow& f) {
    int q = -1;
    if (rule) {
        q = free_below(t, Direction::kInbound, rule->priority, 0, 65535);
    } else {
        int top = -1;
        for (const auto& r : t.rules) top = std::max(top, r.priority);
        q = top < 65535 ? top + 1 : -1;
    }
    if (q < 0) return "";
    return fmt::format("azure vm endpoint acl-rule create <vm-name> {} {} permit {}", t.name, q, host(f.source));
}

}  // namespace

std::string fix_command(const RuleTable& table, const Rule* rule, const Flow& flow, const Context& context) {
    switch (table.kind) {
    case TableKind::kNsg: return azure(table, rule, flow);
    case TableKind::kNetworkAcl: return nacl(table, rule, flow, PortRange{flow.destination_port, flow.destination_port});
    case TableKind::kSecurityGroup: return security_group(table, flow);
    case TableKind::kGcpFirewall: return gcp(table, rule, flow, context);
    case TableKind::kEndpointAcl: return endpoint_acl(table, rule, flow);
    }
    return "";
}

std::string fix_return(const RuleTable& t, const Rule* rule, const Flow& reply, PortRange ports) {
    return nacl(t, rule, reply, ports);
}

std::string fix_endpoint_port(const Endpoint& e, int sshd_port) {
    return fmt::format("azure vm endpoint delete {0} {1} && azure vm endpoint create -n {1} -o {2} {0} {3} {4}",
                       or_placeholder(e.vm, "<vm-name>"), e.name, protocol_name(e.protocol), e.public_port, sshd_port);
}

std::string fix_no_endpoint(const Flow& flow, int sshd_port) {
    return fmt::format("azure vm endpoint create -n SSH -o {} <vm-name> {} {}", protocol_name(flow.protocol),
                       flow.destination_port, sshd_port);
}

}  // namespace sshpath::cloud::detail
