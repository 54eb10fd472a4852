#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/cloud/policy.h"

// Shared pieces of the loaders (load.cpp, load_azure.cpp, load_classic.cpp, load_aws.cpp,
// load_gcp.cpp): reading fields that may be absent, null, numbers or numeric strings, with one
// error wording "FILE: WHERE: what is wrong".
namespace sshpath::cloud::detail {

using nlohmann::json;

/// Throws InputError "FILE: WHAT".
[[noreturn]] void fail(const std::string& file, const std::string& what);

/// The member, or nullptr when absent or null (or `o` is not an object).
const json* member(const json& o, std::string_view key);
/// The member as an array, or nullptr when absent, null or not an array.
const json* array_member(const json& o, std::string_view key);
/// A string member, "" when absent or null; numbers are written out. Other types: "".
std::string text(const json& o, std::string_view key);
/// The strings of an array member (non-strings skipped), empty when absent.
std::vector<std::string> strings(const json& o, std::string_view key);
/// The member as JSON text for messages, "nothing" when absent or null.
std::string shown(const json& o, std::string_view key);
/// A whole number from a number or a numeric string; false when absent, null or not a number.
bool integer(const json& o, std::string_view key, long long& out);
bool iequals(std::string_view a, std::string_view b);
/// The last part of a resource id or URL ("/a/b/nsg-web" -> "nsg-web").
std::string last_segment(std::string_view id);
/// The resource group named in an Azure resource id, "" when none.
std::string resource_group_of(std::string_view id);
/// The name after `/<kind>/` in an Azure resource id ("networkSecurityGroups"), "" when none.
std::string id_part(std::string_view id, std::string_view kind);
/// ARM template expressions look like "[parameters('x')]".
bool is_template_expression(std::string_view s);

/// "22", "20-30", "*": a port range, or false.
bool parse_port_range(std::string_view text, PortRange& out);
/// An IANA protocol from a name or number: tcp, udp, icmp, icmpv6, esp, ah, sctp, `*`, all, any,
/// -1, or 0-255. False for anything else.
bool parse_protocol(std::string_view text, int& out);

/// Sorts by priority (stable); `deny_first` puts deny before allow at equal priority (GCP).
void sort_rules(RuleTable& t, bool deny_first = false);

bool load_azure(Policy& policy, const json& j, const std::string& file);
bool load_classic(Policy& policy, const json& j, const std::string& file);
bool load_aws(Policy& policy, const json& j, const std::string& file);
bool load_gcp(Policy& policy, const json& j, const std::string& file);
/// After every file: levels of NSGs named by NIC or VNet exports, default rules where missing.
void finish_azure(Policy& policy);

}  // namespace sshpath::cloud::detail
