#pragma once
#include <string>

namespace sshpath::posix {

/// Seconds since the epoch (CLOCK_REALTIME), as capture time stamps count.
double wall_now();
/// Seconds on a clock that never jumps (CLOCK_MONOTONIC): for timeouts and durations.
double monotonic_now();
/// `seconds` since the epoch as UTC, e.g. "2024-05-01T12:00:00Z".
std::string utc_timestamp(double seconds);

}  // namespace sshpath::posix
