#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/pair/connection.h"

namespace sshpath::pair {

/// Where a capture was taken.
enum class Vantage : std::uint8_t {
    kUnknown,  ///< its packets do not tell
    kClient,   ///< on the SSH client computer
    kVm,       ///< on the VM (the server), before its own firewall
    kMiddle,   ///< between the two (a SPAN port, a mirror, a router on the way)
};
std::string_view vantage_name(Vantage v);  ///< "unknown", "client", "vm", "middle"

/// A capture named on the command line, with its place when given as FILE@client, FILE@vm or
/// FILE@middle. A name whose text after the last '@' is none of those stays whole.
struct CaptureArg {
    std::string file;
    std::optional<Vantage> given;
};
CaptureArg parse_capture_arg(const std::string& text);

/// A capture's place as its packets show it, and why.
struct VantageFinding {
    Vantage vantage = Vantage::kUnknown;
    std::string why;   ///< one sentence
};

/// Reads the place from the TTLs: a capture on the client sees the client's packets at their
/// initial TTL (64, 128, 255) and the server's decremented; on the VM, the other way round; in
/// the middle, both decremented. A connection counts for the client when its client's first
/// packet is at an initial TTL, for the VM when the server's packets are and the client's are
/// not; an ICMP error that the server sent at an initial TTL counts for the VM. Unknown when the
/// capture holds no connection, or as many count each way.
VantageFinding find_vantage(const PacketLog& log, const std::vector<Connection>& connections);

}  // namespace sshpath::pair
