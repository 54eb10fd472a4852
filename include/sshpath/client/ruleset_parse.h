#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/client/firewall.h"

/// Readers of the rulesets as the tools print them: `nft -j list ruleset` (with `nft -a list
/// ruleset` for each rule's text) and `iptables-save -c` / `ip6tables-save -c` of either
/// backend. Each appends tables to a fw::Ruleset; a construct the model does not know becomes
/// a condition that may match, or a target that may decide, never a guess.
namespace sshpath::client::fw {

/// Appends the tables of `iptables-save -c` (family 4) or `ip6tables-save -c` (family 6).
/// `source` is "iptables-legacy" or "iptables-nft"; `program` the command that changes the
/// rules ("iptables-legacy", "ip6tables-nft", "iptables", ...), used in each rule's removal
/// command. Throws InputError on a line it cannot read.
void parse_iptables_save(std::string_view text, int family, const std::string& source, const std::string& program, Ruleset& out);

/// Each rule's text in `nft -a list ruleset`, by "FAMILY TABLE CHAIN HANDLE".
std::map<std::string, std::string> parse_nft_listing(std::string_view listing);

/// Appends the tables of `nft -j list ruleset`; `listing` (`nft -a list ruleset`, may be empty)
/// gives the rules' text. Tables named in `skip` as "FAMILY NAME" (e.g. "ip filter": those
/// iptables-nft made, read from iptables-nft-save instead) are left out. Throws InputError
/// when the JSON cannot be read.
void parse_nft_json(std::string_view json, std::string_view listing, Ruleset& out, const std::vector<std::string>& skip = {});

}  // namespace sshpath::client::fw
