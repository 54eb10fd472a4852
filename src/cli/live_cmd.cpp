#include "sshpath/cli/commands.h"
#include "sshpath/cli/common.h"

namespace sshpath::cli {

int cmd_capture(const std::vector<std::string>&) { throw UsageError("capture: not available in this build"); }
int cmd_run(const std::vector<std::string>&) { throw UsageError("run: not available in this build"); }

}  // namespace sshpath::cli
