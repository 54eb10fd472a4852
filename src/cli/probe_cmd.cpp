#include "sshpath/cli/commands.h"
#include "sshpath/cli/common.h"

namespace sshpath::cli {

int cmd_probe(const std::vector<std::string>&) { throw UsageError("probe: not available in this build"); }

}  // namespace sshpath::cli
