#pragma once
#include <string>
#include <vector>

/// The commands; each takes the arguments after its name and returns the exit status.
namespace sshpath::cli {

int cmd_capture(const std::vector<std::string>& args);  ///< src/cli/live_cmd.cpp
int cmd_run(const std::vector<std::string>& args);      ///< src/cli/live_cmd.cpp
int cmd_probe(const std::vector<std::string>& args);    ///< src/cli/probe_cmd.cpp
int cmd_check(const std::vector<std::string>& args);    ///< src/cli/check_cmd.cpp
int cmd_cloud_verify(const std::vector<std::string>& args);  ///< src/cli/cloud_cmd.cpp

}  // namespace sshpath::cli
