#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "sshpath/cloud/decision.h"

/// The answer of `sshpath cloud-verify`, worded like Azure's IP flow verify
/// (`az network watcher test-ip-flow`): "Access: Deny", "Rule: DenySSH", then where the rule
/// lives, the rules that would have matched next, the return path and what to change.
namespace sshpath::cloud {

/// The answer as text, each line wrapped to `width` columns (0: not wrapped); the commands to
/// copy are kept whole.
std::string render_text(const Decision& d, std::size_t width = 0);
/// One JSON object (docs/cloud.md, "JSON"), with the `cloud` facts under "facts".
std::string render_json(const Decision& d, std::string_view version);

}  // namespace sshpath::cloud
