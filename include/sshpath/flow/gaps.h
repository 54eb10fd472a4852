#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "sshpath/core/archive.h"

namespace sshpath::flow {

/// The parts of one direction's byte stream that the capture never held although the receiver
/// acknowledged them: packets the capture lost (a capture excerpt, a tcpdump whose buffer
/// overflowed, a mirror port that dropped frames), not packets the network lost (a receiver
/// never acknowledges what did not reach it).
///
/// Offsets are stream offsets (0: the first byte after the SYN); a FIN takes one, as in TCP's
/// sequence space, so a FIN acknowledged but not captured counts as one byte missed. Bounded
/// memory: at most kMaxGaps open gaps are remembered; beyond that, new gaps are not counted.
struct StreamGaps {
    static constexpr std::size_t kMaxGaps = 64;

    std::vector<std::pair<std::uint64_t, std::uint64_t>> open;  ///< [from, to) not seen yet, ascending
    std::uint64_t missed = 0;   ///< bytes acknowledged that the capture never held
    std::uint64_t seen_to = 0;  ///< offsets below are seen, missed, or open gaps

    /// A segment covering [off, end) was captured (a FIN at offset o: [o, o + 1)).
    void seen(std::uint64_t off, std::uint64_t end);
    /// The receiver acknowledged everything below `upto`. Returns how many bytes this
    /// acknowledgement newly showed missing.
    std::uint64_t acked(std::int64_t upto);
};

template <typename Ar>
void field(Ar& ar, StreamGaps& v) {
    archive::fields(ar, v.open, v.missed, v.seen_to);
}

}  // namespace sshpath::flow
