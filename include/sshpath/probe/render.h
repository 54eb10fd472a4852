#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sshpath/probe/decide.h"
#include "sshpath/probe/types.h"

/// The probe's report: text, JSON (the contract's verdict plus a "probe" object) and markdown.
namespace sshpath::probe {

/// A field a middlebox changed, where it first shows: the quote from `hop` shows it, the quote
/// from the hop before did not (or there was none), so the device between them changed it.
struct ChangeAt {
    std::string field, sent, quoted;
    int hop = 0;                    ///< first hop whose quote shows the change
    std::string address;            ///< that hop's address
    int previous_hop = 0;           ///< the last hop before it whose quote did not show it (0: none, e.g. the client)
    std::string previous_address;
    std::vector<int> ports;         ///< destination ports of the traces that showed it
};

/// Changes seen in the time-exceeded quotes of the port and control traces, by first hop.
std::vector<ChangeAt> changes_by_hop(const ProbeResult& r);

/// The small ASCII diagram of the path (client, hops, destination; where the SYN stops).
std::string render_diagram(const ProbeResult& r, const Decision& d);

/// The text report, wrapped to `width` columns (0: not wrapped); quotes of packets, the hop
/// table's fixed columns (its notes wrap under their column) and the path diagram are kept whole.
std::string render_text(const ProbeResult& r, const Decision& d, const std::string& version, std::size_t width = 80);
std::string render_json(const ProbeResult& r, const Decision& d, const std::string& version);
std::string render_markdown(const ProbeResult& r, const Decision& d, const std::string& version);

}  // namespace sshpath::probe
