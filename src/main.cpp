#include <csignal>

#include "cli/app.h"

int main(int argc, char** argv) {
    // A report written to a closed pipe fails with EPIPE and is reported, rather than killing
    // the process silently (children get the default back: posix::SignalPipe::reset_in_child).
    std::signal(SIGPIPE, SIG_IGN);
    return sshpath::cli::run(argc, argv);
}
