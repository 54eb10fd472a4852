#include "sshpath/cloud/policy.h"

#include <fmt/format.h>

#include <algorithm>

namespace sshpath::cloud {

std::string_view cloud_name(Cloud c) {
    switch (c) {
    case Cloud::kAzure: return "azure";
    case Cloud::kAzureClassic: return "azure-classic";
    case Cloud::kAws: return "aws";
    case Cloud::kGcp: return "gcp";
    }
    return "azure";
}

std::string_view direction_name(Direction d) { return d == Direction::kInbound ? "inbound" : "outbound"; }

std::string_view access_name(Access a) { return a == Access::kAllow ? "allow" : "deny"; }

std::string protocol_name(int protocol) {
    switch (protocol) {
    case kAnyProtocol: return "any";
    case 1: return "icmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 50: return "esp";
    case 51: return "ah";
    case 58: return "icmpv6";
    case 132: return "sctp";
    default: return std::to_string(protocol);
    }
}

std::string AddressTerm::text() const {
    switch (kind) {
    case Kind::kAny: return "*";
    case Kind::kPrefix: return prefix.str();
    case Kind::kServiceTag: return name;
    case Kind::kGroup: return "group " + name;
    }
    return "*";
}

std::string PortRange::text() const {
    if (lo == 0 && hi == 65535) return "*";
    if (lo == hi) return std::to_string(lo);
    return fmt::format("{}-{}", lo, hi);
}

namespace {

template <typename T>
std::string join(const std::vector<T>& items) {
    if (items.empty()) return "*";
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += ",";
        out += i.text();
    }
    return out;
}

}  // namespace

std::string Rule::text() const {
    std::string out = fmt::format("{} {} from {} port {} to {} port {}", access == Access::kAllow ? "Allow" : "Deny",
                                  protocol_name(protocol), join(sources), join(source_ports), join(destinations),
                                  join(destination_ports));
    if (!target_tags.empty() || !target_service_accounts.empty()) {
        std::vector<std::string> t = target_tags;
        t.insert(t.end(), target_service_accounts.begin(), target_service_accounts.end());
        std::string targets;
        for (const auto& s : t) targets += (targets.empty() ? "" : ",") + s;
        out += " (targets " + targets + ")";
    }
    if (!description.empty()) out += ": " + description;
    return out;
}

std::string_view table_kind_words(TableKind k) {
    switch (k) {
    case TableKind::kNsg: return "network security group";
    case TableKind::kEndpointAcl: return "endpoint ACL";
    case TableKind::kSecurityGroup: return "security group";
    case TableKind::kNetworkAcl: return "network ACL";
    case TableKind::kGcpFirewall: return "firewall rules of network";
    }
    return "rules";
}

std::string_view table_component(TableKind k) {
    return k == TableKind::kEndpointAcl || k == TableKind::kNetworkAcl ? "acl" : "nsg";
}

std::string_view level_name(Level l) {
    switch (l) {
    case Level::kUnknown: return "";
    case Level::kSubnet: return "subnet";
    case Level::kNic: return "nic";
    }
    return "";
}

bool Policy::has(Cloud c) const {
    auto in = [c](const RuleTable& t) { return t.cloud == c; };
    if (std::any_of(tables.begin(), tables.end(), in)) return true;
    if (c == Cloud::kAzureClassic) return !endpoints.empty() || !loose_acls.empty();
    return false;
}

Cloud Policy::cloud() const {
    if (has(Cloud::kAws)) return Cloud::kAws;
    if (has(Cloud::kGcp)) return Cloud::kGcp;
    return !has(Cloud::kAzure) && has(Cloud::kAzureClassic) ? Cloud::kAzureClassic : Cloud::kAzure;
}

}  // namespace sshpath::cloud
