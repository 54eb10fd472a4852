#pragma once
#include <string>

#include "sshpath/cloud/evaluate.h"
#include "sshpath/cloud/policy.h"

// The command that lets one flow through a layer that blocks it: a narrow allow rule placed just
// before the rule that denies (same NSG, network ACL, GCP network or endpoint ACL), a security
// group rule, or an endpoint fixed. Values the export does not hold appear as <placeholders>.
namespace sshpath::cloud::detail {

/// `rule` is nullptr when the block is implicit (no rule allows it).
std::string fix_command(const RuleTable& table, const Rule* rule, const Flow& flow, const Context& context);
/// The reply `reply` is denied by `rule` of a stateless network ACL for these destination ports.
std::string fix_return(const RuleTable& nacl, const Rule* rule, const Flow& reply, PortRange ports);
/// The endpoint forwards to a port sshd does not listen on.
std::string fix_endpoint_port(const Endpoint& e, int sshd_port);
/// No endpoint forwards the flow's port.
std::string fix_no_endpoint(const Flow& flow, int sshd_port);

}  // namespace sshpath::cloud::detail
