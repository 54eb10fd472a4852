#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sshpath/facts/facts.h"

/// The answer of the evaluator for one flow, as plain data: who decided, which rules would have
/// matched next, the return path of stateless ACLs, and notes. Rendering (render.h) and facts
/// (facts()) read only this.
namespace sshpath::cloud {

/// A rule as the answer cites it.
struct RuleRef {
    std::string name;            ///< as exported ("DenySSH", "100", "(no rule allows it)")
    int priority = -1;           ///< -1 when the rule is implicit and has none
    std::string access;          ///< allow, deny
    std::string direction;       ///< inbound, outbound
    bool is_default = false;     ///< a default or implied rule of the cloud
    std::string text;            ///< one line: "Deny tcp from 198.51.100.0/24 port * to * port 22"
    std::string table;           ///< NSG name, sg-..., acl-..., GCP network, endpoint name
    std::string table_kind;      ///< "network security group", "network ACL", ...
    std::string component;       ///< nsg or acl
    std::string level;           ///< Azure NSG: subnet, nic, or ""
    std::string file;
    std::string format;          ///< what the file was recognised as: "az network nsg show", ...
    std::string resource_group;  ///< Azure, when known

    /// "DenySSH (priority 100)", "DenyAllInBound (priority 65500, default rule)", "90" (a network
    /// ACL rule number or endpoint ACL order is its name), "(no rule allows it)".
    std::string head() const;
    /// Where it lives, without the file: "network security group nsg-web (subnet level)".
    std::string place() const;
};

/// One layer the flow crosses (an endpoint, an NSG, the security groups, a network ACL).
struct Layer {
    std::string what;       ///< "network security group nsg-web (subnet)"
    std::string component;  ///< nsg or acl
    std::string access;     ///< allow, deny
    RuleRef rule;           ///< the rule that decided in this layer
    std::vector<RuleRef> next;       ///< rules after it that match the flow too
    std::vector<std::string> maybe;  ///< rules before it that may match (unknown membership, tag, port)
};

/// The reply direction through a stateless network ACL.
struct ReturnPath {
    std::string access;         ///< allow, deny, partial (some of the client's possible ports)
    RuleRef rule;               ///< the rule deciding for the first port checked (or the only one)
    std::string ports;          ///< the ports checked: "51000" or "1024-65535"
    std::string allowed_ports;  ///< "32768-65535", "" when none
    std::string denied_ports;   ///< "1024-32767", "" when none
    std::string command;        ///< lets the replies through; "" when none is dropped
};

/// An Azure classic endpoint the flow went through.
struct EndpointUse {
    std::string name;
    int public_port = -1;
    int private_port = -1;
    int sshd_port = 22;
    bool mismatch = false;  ///< private port differs from the port sshd listens on
    std::string vm;
    std::string file;
    std::string command;    ///< forwards the endpoint to sshd's port; "" without a mismatch
};

struct Decision {
    std::string cloud;        ///< azure, azure-classic, aws, gcp
    std::string flow;         ///< "tcp 198.51.100.2:* -> 10.0.0.4:22 inbound"
    std::string direction;    ///< inbound, outbound
    std::string protocol;     ///< tcp, udp, ...
    std::string source, destination;
    int source_port = -1, destination_port = -1;

    std::string access;       ///< allow, deny, no-rule (nothing in the files applies)
    std::string component;    ///< nsg, acl, or "" (no-rule)
    std::optional<RuleRef> rule;    ///< the deciding rule
    std::vector<RuleRef> next;      ///< rules of the deciding layer that would have matched next
    std::vector<Layer> layers;      ///< in the order the flow crosses them
    std::optional<ReturnPath> return_path;
    std::optional<EndpointUse> endpoint;
    bool uncertain = false;         ///< a rule before the decider may match: the answer depends on it
    std::string uncertain_why;      ///< the first such rule and what would settle it (one of the notes)
    std::vector<std::string> notes;
    /// Commands that let this flow through, one per layer that blocks it (a narrow allow rule
    /// just before the deciding deny, the endpoint's private port set to sshd's, the return path
    /// opened). Empty when nothing blocks it.
    std::vector<std::string> change_commands;
};

/// Where the addresses of an evaluated flow came from (facts client_address_from, vm_address_from):
/// option (given on the command line), capture, nic-export.
struct AddressOrigin {
    std::string client = "option";
    std::string vm = "option";
};

/// The `cloud` facts of this decision (include/sshpath/facts/cloud.def). Inbound, the client is
/// the flow's source and the VM its destination; outbound, the other way round.
facts::FactSet facts(const Decision& d, const AddressOrigin& origin = {});

}  // namespace sshpath::cloud
