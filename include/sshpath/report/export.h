#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sshpath/capture/reader.h"
#include "sshpath/engine/analysis.h"
#include "sshpath/posix/fd.h"

namespace sshpath::report {

/// A capture of the analysis and the file its packets can be read again from.
struct ExportSource {
    std::string capture;             ///< its name in the analysis (CaptureInfo::file)
    std::string file;                ///< the file to read
    capture::RewriteFrame rewrite;   ///< applied to each frame (--anonymize), or null
    /// The analysis read the packets as they were (a live capture), not rewritten: packets are
    /// chosen by their real addresses, then rewritten.
    bool rewrite_after_choosing = false;
};

/// One file --export wrote.
struct ExportedFile {
    std::string capture, path;
    std::uint64_t packets = 0;       ///< packets written
    std::uint64_t comments = 0;      ///< of them, evidence packets with a comment
};

/// The file name for the export of one capture: `path` itself when there is one capture,
/// else `path` with the capture's file name inserted before its extension
/// (case.pcapng, a.pcap -> case.a.pcapng).
std::string export_path(const std::string& path, const std::string& capture, bool several);

/// Writes, for each source, a pcapng file holding only the packets of the analysis' attempts in
/// that capture (both directions, copies included), the ICMP errors quoting them, the ARP and
/// neighbour discovery frames, and the other TCP connections to the same servers (a control
/// connection's hop distance is evidence too); each packet a verdict cites carries a comment
/// with the evidence (its packet number in the original capture, the rule, what it shows).
/// InputError when a file cannot be read or written.
/// `opened`: with one source, the export file already open for writing (or an invalid Fd).
std::vector<ExportedFile> export_packets(const engine::Analysis& a, const std::vector<ExportSource>& sources,
                                         const std::string& path, const std::string& application, posix::Fd opened = {});

}  // namespace sshpath::report
