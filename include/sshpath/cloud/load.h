#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/cloud/policy.h"

/// Reading cloud rule exports. The kind of each file is recognised from its content, never its
/// name. Accepted (docs/cloud.md lists the exact commands):
///  - Azure: `az network nsg show`, `az network nsg list`, `az network nsg rule list`,
///    `az network nic list-effective-nsg`, the ARM form (`az resource show`, REST, templates'
///    Microsoft.Network/networkSecurityGroups resources), and as context `az network nic show`
///    (private address, ASG membership, NIC-level NSG) and `az network vnet show` (address space,
///    subnet-level NSGs);
///  - Azure classic: `azure vm endpoint list/show --json`, `azure vm endpoint acl-rule list --json`;
///  - AWS: `aws ec2 describe-security-groups`, `aws ec2 describe-network-acls`;
///  - GCP: `gcloud compute firewall-rules list --format=json` (and `describe`).
/// Anything else, malformed JSON or an impossible value throws sshpath::InputError
/// "FILE: what is wrong".
namespace sshpath::cloud {

/// Loads the files into one policy (in order). Standard input is not accepted.
Policy load_files(const std::vector<std::string>& paths);

/// Adds the content of one file, named `file` in messages, to `policy`.
void load_text(Policy& policy, std::string_view text, const std::string& file);

/// The list of accepted inputs, for the "not a cloud rule export I know" message.
std::string_view expected_inputs();

}  // namespace sshpath::cloud
