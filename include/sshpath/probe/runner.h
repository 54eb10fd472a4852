#pragma once
#include <string>

#include "sshpath/probe/types.h"

/// The live part of `sshpath probe`: the connect and banner test, the TTL-limited SYN probes
/// on raw sockets, the capture of every probe and answer (libpcap), the capture file.
namespace sshpath::probe {

struct ProbeConfig {
    std::string target;             ///< as the user gave it
    IpAddress address;              ///< resolved
    int port = 22;
    int control_port = 443;         ///< 0: no control trace
    int max_hops = 30;
    int probes_per_hop = 2;
    double rate = 20;               ///< probes per second, all traces together
    double timeout_s = 60;          ///< the whole run
    double wait_s = 2;              ///< how long a probe's answer may take
    int gap_limit = 5;              ///< stop a trace after this many silent hops in a row
    double connect_timeout_s = 5;
    double banner_timeout_s = 5;
    int edge_hop = 0;               ///< 0: guess
    std::string interface;          ///< "" : the one holding our source address
    bool trace = true;              ///< false: connect and banner test only
    std::string write_path;         ///< "" : no capture file
};

/// Runs the probes. Throws InputError when no route or source address exists for the target
/// or the capture file cannot be written. Without root / CAP_NET_RAW the TTL probes are skipped
/// (result.raw false, result.raw_note says why) and the connect test still runs. SIGINT and
/// SIGTERM stop the run early: what was seen is returned (result.interrupted).
ProbeResult run_probe(const ProbeConfig& config);

}  // namespace sshpath::probe
