#include "cli/app.h"

int main(int argc, char** argv) { return sshpath::cli::run(argc, argv); }
