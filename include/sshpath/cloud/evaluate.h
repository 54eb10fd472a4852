#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sshpath/cloud/decision.h"
#include "sshpath/cloud/policy.h"

/// Evaluating a policy for one flow, the way each cloud documents it (docs/cloud.md,
/// "Evaluation"): Azure as IP flow verify does (priority order, first match, subnet NSG then NIC
/// NSG inbound, NIC then subnet outbound, both must allow), classic endpoints (port forwarding,
/// ordered ACL), AWS (network ACL then security groups, the network ACL's return path), GCP
/// (priority, deny before allow at equal priority, targets, implied rules).
namespace sshpath::cloud {

/// The connection asked about. Inbound: source is the client (its address as the cloud sees it,
/// after the organisation's NAT), destination the VM's private address (classic endpoints: the
/// public port). Outbound: source is the VM.
struct Flow {
    Address source;
    int source_port = -1;  ///< -1: unknown (a rule restricting source ports is then uncertain)
    Address destination;
    int destination_port = -1;
    int protocol = 6;
    Direction direction = Direction::kInbound;
};

/// What the exports may not say, given on the command line.
struct Context {
    std::vector<Prefix> vnet;  ///< the virtual network's address space (Azure VirtualNetwork tag)
    std::vector<std::pair<std::string, Address>> members;  ///< group name -> member address
    std::vector<std::string> tags;                ///< GCP: the VM's network tags
    std::vector<std::string> service_accounts;    ///< GCP: the VM's service accounts
    int sshd_port = 22;                           ///< the port sshd listens on (classic endpoints)
    /// Ephemeral ports a client may use, for the return path of stateless network ACLs when the
    /// source port is unknown.
    PortRange ephemeral{1024, 65535};
};

/// Throws InputError when the files cannot describe one VM's rules: files of two clouds, several
/// AWS network ACLs (a subnet has one), GCP rules of several networks. evaluate() checks it too.
void check(const Policy& policy);

/// Evaluates every layer that applies, in the cloud's order, and says who decided.
/// Throws InputError when the flow cannot be evaluated (addresses of two families, check()).
Decision evaluate(const Policy& policy, const Flow& flow, const Context& context);

}  // namespace sshpath::cloud
