#pragma once
// Shared by the fuzz targets: a check that aborts (so libFuzzer and the replay driver report it
// as a crash) when an invariant of the code under test does not hold.
#include <cstdio>
#include <cstdlib>

#define SSHPATH_FUZZ_CHECK(cond)                                                                 \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);    \
            std::abort();                                                                        \
        }                                                                                        \
    } while (0)
