#pragma once
#include <optional>
#include <vector>

#include "sshpath/pair/pair.h"

namespace sshpath::pair {

/// What one paired attempt's facts are read from.
struct FactInput {
    const PacketLog* near = nullptr;
    const PacketLog* far = nullptr;
    const Connection* a = nullptr;           ///< the client's connection in its capture (nullptr: no attempt)
    const Connection* b = nullptr;           ///< the matched connection in the far capture (nullptr: none)
    const ConnectionMatch* match = nullptr;
    const std::vector<PacketPair>* pairs = nullptr;
    double offset_s = 0;
    bool offset_known = false;
    const Places* places = nullptr;
    std::size_t far_attempts = 0;
    const verdict::Verdict* client_verdict = nullptr;
    const verdict::Verdict* vm_verdict = nullptr;  ///< nullptr: not matched
    bool via_proxy = false;                        ///< the client's connection is to a proxy, not the VM
};

/// The pair facts of one attempt, with the packets that support them cited in both captures.
facts::FactSet pair_facts(const FactInput& in);

/// The rows of the side-by-side timeline.
std::vector<PacketRow> packet_rows(const FactInput& in, std::uint64_t& omitted);

/// "SYN", "SYN-ACK", "RST+ACK", "FIN+ACK", "ACK", "data 33 bytes", ...
std::string segment_label(const TcpRecord& r);

}  // namespace sshpath::pair
