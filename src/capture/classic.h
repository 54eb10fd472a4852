#pragma once
// The classic pcap format as the Reader and the SharedRead read it without libpcap.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

#include "sshpath/capture/reader.h"

namespace sshpath::capture::detail {

// The classic pcap header the fast path reads: version 2.4, micro- or nanosecond time stamps,
// either byte order, and a link type whose LINKTYPE_ number libpcap passes on unchanged (or,
// for LINKTYPE_RAW, maps to DLT_RAW). Everything else is left to libpcap.
struct ClassicHeader {
    bool swapped = false;
    bool nano = false;
    std::uint32_t snapshot = 0;
    int link_type = -1;
};

// libpcap's max_snaplen_for_dlt() for every link type sshpath decodes.
constexpr std::uint32_t kMaxSnaplen = 262144;
constexpr std::size_t kRecordHeader = 16;
// Classic pcap files, by far the most common large input, are read without libpcap: whole
// blocks go straight from the kernel into one buffer and the records are walked in place
// (libpcap does two freads and one extra copy per record). A block holds the largest record
// (260 KiB) and little more: it is still in the second-level cache when the decoder walks it
// after the kernel's copy (1 MiB blocks made a dense capture 6 % slower to read). Anything else
// (pcapng, old pcap versions, unusual link types) goes to libpcap, through a FILE that replays
// the bytes already read, so both paths accept and reject exactly the same files. A regular file
// is read the same way as a pipe: mapping its pages instead saves the kernel's copy, but each new
// page then costs a TLB miss and a cache miss at first use, which under a hypervisor's shadow or
// nested page tables made reading slower, not faster (bench/README.md).
constexpr std::size_t kBlock = (kRecordHeader + kMaxSnaplen + 4095) / 4096 * 4096;

/// "standard input" for "-", else the path quoted.
std::string display_name(const std::string& path);
std::uint32_t load32(const std::uint8_t* p, bool swapped);
/// A classic record header's time stamp as libpcap reads it: both fields signed 32-bit numbers,
/// nanoseconds cut to microseconds.
RawFrame record_time(const std::uint8_t* h, const ClassicHeader& header);
/// fread that goes on after a signal interrupted it (EINTR: sshpath's handlers do not restart
/// system calls) unless `stop` says to stop, which it is also asked before each read; then it
/// returns what it has and sets `stopped`.
std::size_t read_some(std::FILE* fp, void* buf, std::size_t size, const StopReading& stop, bool& stopped);

/// libpcap's words for a file that ends inside a record header (`have` of its 16 bytes read),
/// inside a record's captured bytes (`have` of `caplen`), and for a record header whose captured
/// length no capture can have: both readers judge a damaged file as libpcap does.
std::string header_cut_message(std::size_t have);
std::string record_cut_message(std::uint32_t caplen, std::uint32_t snapshot, std::size_t have);
std::string bad_caplen_message(const std::string& path, std::uint32_t caplen, std::uint32_t snapshot);
/// A read that failed (errno says why).
std::string read_error_message(const std::string& path);

/// What a Reader on the classic path reads from, for a SharedRead to go on with.
struct ReaderSource {
    std::FILE* file = nullptr;
    const StopReading* stop = nullptr;
    ClassicHeader header;
    std::string path;
    std::span<const std::uint8_t> read_ahead;  ///< bytes after the file header already read, not yet handed on
};

}  // namespace sshpath::capture::detail
