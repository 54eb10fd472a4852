#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "sshpath/packet/packet.h"

namespace sshpath::capture {

class Reader;
namespace detail {
struct ReaderSource;
ReaderSource source_of(const Reader& reader);
}  // namespace detail

/// What the reader saw besides packets: reported in the analysis.
struct ReadStats {
    std::uint64_t packets = 0;          ///< records read
    std::uint64_t malformed = 0;        ///< records whose headers were inconsistent
    std::uint64_t snaplen_cut = 0;      ///< records whose payload the snap length cut
    /// The largest captured length of a record cut short of its wire length: the snap length
    /// really applied (a file cut afterwards, e.g. by editcap -s, keeps its header's value).
    std::uint32_t cut_caplen = 0;
    int link_type = -1;
    int snaplen = 0;
    bool truncated = false;             ///< the file ends in the middle of a record
    std::string truncation_message;     ///< libpcap's words for it, if any
    bool stopped = false;               ///< reading stopped early because the StopReading said so
};

/// One captured frame as libpcap handed it over. `data` is valid only during the callback.
struct RawFrame {
    std::int64_t ts_sec = 0;
    std::int32_t ts_usec = 0;
    std::uint32_t caplen = 0;   ///< bytes captured
    std::uint32_t wirelen = 0;  ///< bytes on the wire
    std::span<const std::uint8_t> data;
    /// The time stamp in seconds since the epoch (packet::Packet::time).
    double time() const { return static_cast<double>(ts_sec) + static_cast<double>(ts_usec) / 1e6; }
};

/// Rewrites a frame in place before it is decoded (its length stays), e.g. to anonymise it.
using RewriteFrame = std::function<void(int link_type, std::span<std::uint8_t> frame)>;

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
    /// The same, with each frame's bytes and time stamp as read (after any rewrite).
    void for_each_frame(const std::function<void(const packet::Packet&, const RawFrame&)>& fn);
    /// The time stamp of the first record, read ahead of for_each (which still hands it on
    /// first), as the packet's `time` will be; nullopt when the file holds no whole record header
    /// (or, through libpcap, no readable record). Call before for_each.
    std::optional<double> first_time();
    /// Numbers the records from packets_before + 1 on, and counts them on from there in
    /// stats().packets: the next part of a capture split into files (set before reading).
    void continue_numbering(std::uint64_t packets_before);
    /// Rewrites every frame before it is decoded and handed on (set before reading).
    void set_rewrite(RewriteFrame rewrite);
    const ReadStats& stats() const;
    /// Whether a SharedRead can hand this reader's records to several threads: a classic pcap
    /// file or stream (pcapng and the rest go through libpcap, which one thread reads), not
    /// rewritten.
    bool shareable() const;

private:
    friend detail::ReaderSource detail::source_of(const Reader& reader);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// One capture read once and handed whole to several threads at the same time: each calls
/// for_each with its own number and gets every packet, in order, decoded by itself. The bytes
/// are read once, in blocks of whole records, by whichever thread first needs the next block
/// (so a pipe can be shared too); a block is read again into its place in a small ring only once
/// every thread is done with it. Stopping, a file cut short and a damaged record are met by
/// every thread at the same record, as one Reader meets them.
class SharedRead {
public:
    /// Takes over `reader` (reader.shareable(), no record read yet) for `consumers` threads.
    SharedRead(Reader& reader, unsigned consumers);
    ~SharedRead();
    SharedRead(const SharedRead&) = delete;
    SharedRead& operator=(const SharedRead&) = delete;
    /// Every packet to `fn`, on the calling thread; `consumer` is this thread's number, each
    /// one called once. Read errors throw InputError after the records before them; an
    /// exception from `fn` ends this consumer, and the others stop at the next block.
    void for_each(unsigned consumer, const std::function<void(const packet::Packet&)>& fn);
    /// What the reading saw (every consumer sees the same).
    const ReadStats& stats() const;

private:
    struct Ring;
    Reader& reader_;
    std::unique_ptr<Ring> ring_;
};

}  // namespace sshpath::capture
