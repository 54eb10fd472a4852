#include "sshpath/posix/clock.h"

#include <ctime>

namespace sshpath::posix {

namespace {

double now(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

double wall_now() { return now(CLOCK_REALTIME); }

double monotonic_now() { return now(CLOCK_MONOTONIC); }

std::string utc_timestamp(double seconds) {
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace sshpath::posix
