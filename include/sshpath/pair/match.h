#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/pair/connection.h"

namespace sshpath::pair {

/// Two connections, one in each capture, found to be the same attempt.
struct ConnectionMatch {
    std::size_t near = 0, far = 0;   ///< indices into each capture's connections
    std::string by;                  ///< isn, timestamps, payload, time, relay (pair fact matched_by)
    bool isn_rewritten = false;      ///< the client's ISN differs: sequence numbers are randomised on the way
    std::uint32_t client_seq_delta = 0, server_seq_delta = 0;  ///< far minus near, per sender
    bool ts_rewritten = false;       ///< the TCP timestamp values differ
    std::uint32_t client_ts_delta = 0, server_ts_delta = 0;    ///< far minus near, per sender
};

/// Which connections may be matched and how.
struct MatchOptions {
    std::vector<bool> near_attempt, far_attempt;  ///< per connection: an SSH attempt (time-only matching considers only these)
    std::vector<bool> near_relay;                 ///< per near connection: it asked a proxy for the server
    double window_s = 5;     ///< time-only and payload matches: first packets this close, the clock offset removed
};

/// Matches the near capture's connections (the client's) with the far capture's, one to one, on
/// what survives NAT: the client's initial sequence number, TCP timestamp values, payload bytes,
/// and, for the one remaining attempt on each side, time. A connection through a proxy matches the
/// far connection that started while it lasted (relay). Payload, time and relay matches allow for
/// the clock offset the sequence-number and timestamp matches show (0 without any).
std::vector<ConnectionMatch> match_connections(const PacketLog& near, const std::vector<Connection>& near_conns,
                                               const PacketLog& far, const std::vector<Connection>& far_conns,
                                               const MatchOptions& options);

/// What became of one packet between the two captures.
enum class Fate : std::uint8_t {
    kBoth,       ///< seen at both ends
    kLost,       ///< left its sender's end and never reached the other
    kNeverSent,  ///< arrived at one end and its sender's end never sent it (forged or injected)
    kUncovered,  ///< the other capture was not running when it would have been there
};
std::string_view fate_name(Fate f);  ///< "both", "lost", "never-sent", "uncovered"

/// One packet of a matched attempt: in the near capture, the far one, or both.
struct PacketPair {
    bool from_client = true;
    std::optional<std::size_t> near, far;  ///< indices into each log's tcp()
    Fate fate = Fate::kBoth;
};

/// The packets of two matched connections, paired by what identifies a segment across NAT
/// (flags, sequence and acknowledgement numbers with the match's deltas, payload length, TCP
/// timestamp value), in the order of the near capture's clock. A packet that only its receiver's
/// capture holds was never sent by the other end; one that only its sender's holds was lost,
/// unless the other capture had ended before it would have arrived (`offset_s`: far clock minus
/// near clock).
std::vector<PacketPair> pair_packets(const PacketLog& near, const Connection& a, const PacketLog& far, const Connection& b,
                                     const ConnectionMatch& m, double offset_s);

/// The far clock minus the near one, from packets seen at both ends: half the difference of the
/// two directions' delays when both crossed (the one-way delay cancels out), else the one
/// direction's median delay. nullopt without any packet seen at both ends.
std::optional<double> clock_offset(const PacketLog& near, const PacketLog& far, const std::vector<PacketPair>& pairs);

}  // namespace sshpath::pair
