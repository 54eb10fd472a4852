#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "sshpath/packet/packet.h"

namespace sshpath::capture {

/// What the reader saw besides packets: reported in the analysis.
struct ReadStats {
    std::uint64_t packets = 0;          ///< records read
    std::uint64_t malformed = 0;        ///< records whose headers were inconsistent
    std::uint64_t snaplen_cut = 0;      ///< records whose payload the snap length cut
    int link_type = -1;
    int snaplen = 0;
    bool truncated = false;             ///< the file ends in the middle of a record
    std::string truncation_message;     ///< libpcap's words for it, if any
    bool stopped = false;               ///< reading stopped early because the StopReading said so
};

/// Says whether reading should stop now, as at the end of the input (e.g. after SIGINT).
using StopReading = std::function<bool()>;

/// Reads a pcap or pcapng file (or "-" for standard input) through libpcap, with a 1 MiB stdio
/// buffer, and hands every decoded packet to a callback.
///
/// A read interrupted by a signal (EINTR) is tried again, unless `stop` (when given) says to
/// stop; `stop` is also asked before each block is read. Stopping ends the input where it is:
/// between records, or as a file cut short (stats().truncated). stats().stopped tells.
class Reader {
public:
    /// Opens the file. Throws InputError with a one-line message naming the problem:
    /// missing file, a directory, unreadable, not a capture file, unsupported link type.
    explicit Reader(const std::string& path, StopReading stop = {});
    /// Reads an already open stream (e.g. from fmemopen), called `name` in messages. Takes
    /// ownership of `fp`: it is closed by the destructor, or before the constructor throws.
    Reader(std::FILE* fp, const std::string& name, StopReading stop = {});
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    int link_type() const;
    /// Reads every packet. A file cut short stops the loop and sets stats().truncated; other
    /// read errors throw InputError.
    void for_each(const std::function<void(const packet::Packet&)>& fn);
    const ReadStats& stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sshpath::capture
