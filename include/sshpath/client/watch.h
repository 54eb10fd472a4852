#pragma once
#include <sys/types.h>

#include "sshpath/client/check.h"

namespace sshpath::client {

/// `sshpath run` and `capture`: the client check made as root before the capture, and the
/// firewall counters read again once it ends. The second reading needs root too, while sshpath
/// drops its privileges in between: a helper process, forked here, keeps root, waits, reads the
/// rules again when asked and writes back the counters of the rules that decided. It reads
/// nothing else and ends when asked or when its pipe closes (PR_SET_PDEATHSIG also ends it).
class FirewallWatch {
public:
    /// Runs the check. As root, with the firewall read, also starts the helper.
    explicit FirewallWatch(const CheckOptions& options);
    ~FirewallWatch();
    FirewallWatch(const FirewallWatch&) = delete;
    FirewallWatch& operator=(const FirewallWatch&) = delete;

    const CheckResult& result() const { return result_; }
    /// Asks the helper for the counters now: the packets the deciding rules counted in between
    /// go to result's *_packets_during (-1 when not measured). Then the result's facts.
    facts::FactSet finish(double timeout_s = 10);

private:
    CheckResult result_;
    pid_t helper_ = -1;
    int ask_ = -1;      // write end: one byte asks for the counters
    int answer_ = -1;   // read end: "OUT REPLY\n", -1 for a counter not read
};

}  // namespace sshpath::client
