#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/cloud/address.h"

/// Cloud packet-filter rules, whatever cloud and CLI exported them, in one model the evaluator
/// reads. The loaders (load.h) fill it from JSON; nothing here depends on a capture.
namespace sshpath::cloud {

enum class Cloud { kAzure, kAzureClassic, kAws, kGcp };
/// azure, azure-classic, aws, gcp.
std::string_view cloud_name(Cloud c);

enum class Direction { kInbound, kOutbound };
std::string_view direction_name(Direction d);  ///< inbound, outbound

enum class Access { kAllow, kDeny };
std::string_view access_name(Access a);  ///< allow, deny

/// IANA protocol number, or this for "any protocol" (`*`, `All`, `-1`, `all`).
inline constexpr int kAnyProtocol = -1;
/// tcp, udp, icmp, icmpv6, esp, ah, sctp, any, or the number.
std::string protocol_name(int protocol);

/// One address term of a rule's source or destination.
struct AddressTerm {
    enum class Kind {
        kAny,         ///< `*`, 0.0.0.0/0 with ::/0, "Any"
        kPrefix,      ///< an address or CIDR
        kServiceTag,  ///< Azure service tag (VirtualNetwork, Internet, AzureLoadBalancer, ...)
        kGroup,       ///< a group of machines: Azure application security group, AWS security group
                      ///< a rule refers to, GCP network tag or service account
    };
    Kind kind = Kind::kAny;
    Prefix prefix;     ///< kPrefix
    std::string name;  ///< kServiceTag, kGroup: as the export writes it (groups: the last part of an id)
    std::string text() const;
};

/// Inclusive port range.
struct PortRange {
    int lo = 0;
    int hi = 65535;
    bool contains(int port) const { return port >= lo && port <= hi; }
    std::string text() const;  ///< "22", "20-30", "*" for 0-65535
};

/// One rule, whatever its cloud. Empty address or port lists match anything.
struct Rule {
    std::string name;
    int priority = 0;  ///< NSG priority, network ACL rule number, GCP priority, endpoint ACL order
    Direction direction = Direction::kInbound;
    Access access = Access::kAllow;
    int protocol = kAnyProtocol;
    std::vector<AddressTerm> sources, destinations;
    std::vector<PortRange> source_ports, destination_ports;
    bool is_default = false;  ///< a default or implied rule of the cloud, not written by anyone
    /// GCP: the rule applies only to instances with one of these network tags / service accounts.
    std::vector<std::string> target_tags, target_service_accounts;
    std::string id;           ///< the resource id when the export has one
    std::string description;  ///< the export's description of the rule, if any
    /// One line: "Deny tcp from 198.51.100.0/24 port * to * port 22".
    std::string text() const;
};

enum class TableKind {
    kNsg,            ///< Azure network security group
    kEndpointAcl,    ///< Azure classic endpoint ACL
    kSecurityGroup,  ///< AWS security group (allow only, stateful)
    kNetworkAcl,     ///< AWS network ACL (ordered, stateless)
    kGcpFirewall,    ///< GCP VPC firewall rules of one network
};
/// "network security group", "endpoint ACL", "security group", "network ACL", "firewall rules".
std::string_view table_kind_words(TableKind k);
/// The verdict contract's component: nsg (NSG, security group, GCP firewall) or acl.
std::string_view table_component(TableKind k);

/// Where an Azure NSG is attached; decides the evaluation order.
enum class Level { kUnknown, kSubnet, kNic };
std::string_view level_name(Level l);  ///< "", subnet, nic

/// The rules of one NSG, security group, network ACL, endpoint ACL or GCP network, in
/// evaluation order (loaders sort them).
struct RuleTable {
    Cloud cloud = Cloud::kAzure;
    TableKind kind = TableKind::kNsg;
    std::string name;            ///< NSG name, sg-..., acl-..., GCP network, endpoint name
    std::string id;              ///< resource id, when the export has one
    std::string resource_group;  ///< Azure
    std::string file;            ///< the file it came from
    std::string format;          ///< the CLI command whose output it was, e.g. "az network nsg show"
    Level level = Level::kUnknown;
    bool defaults_added = false;  ///< the cloud's default rules were missing and were added
    std::vector<Rule> rules;
};

/// An Azure classic endpoint: a public port of the cloud service forwarded to a private port
/// of the VM, with its ACL.
struct Endpoint {
    std::string name;
    std::string vm;  ///< when the export names it
    int protocol = 6;
    int public_port = 0;
    int private_port = 0;
    std::string vip;
    std::string file;
    RuleTable acl;  ///< kEndpointAcl; no rules: everything permitted
};

/// Everything the files describe.
struct Policy {
    std::vector<RuleTable> tables;
    std::vector<Endpoint> endpoints;
    /// Endpoint ACL rules exported without their endpoint (`azure vm endpoint acl-rule list`).
    std::vector<RuleTable> loose_acls;
    std::vector<Prefix> vnet;  ///< the virtual network's address space, from VNet or effective exports
    std::multimap<std::string, Address> members;  ///< group name -> member address (from NIC exports)
    std::vector<Address> nic_addresses;           ///< private addresses of exported NICs
    /// NSG name (lower case) -> where a NIC or VNet export says it is attached.
    std::map<std::string, Level> nsg_levels;
    std::vector<std::string> files;
    std::vector<std::string> notes;  ///< things the loaders noticed (defaults added, ...)

    bool has(Cloud c) const;
    /// The cloud whose rules these are: AWS or GCP when their files are given, Azure classic when
    /// only classic endpoints are, else Azure.
    Cloud cloud() const;
};

}  // namespace sshpath::cloud
