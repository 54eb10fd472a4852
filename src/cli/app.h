#pragma once

namespace sshpath::cli {

/// Parses the command line, runs the command, returns the exit status
/// (0 analysis ran, 2 usage or input error).
int run(int argc, char** argv);

}  // namespace sshpath::cli
