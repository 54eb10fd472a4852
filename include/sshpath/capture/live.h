#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/packet/packet.h"
#include "sshpath/capture/reader.h"
#include "sshpath/core/error.h"
#include "sshpath/posix/fd.h"

/// Live capture: the pcap handle on an interface, the kernel filter that keeps one connection's
/// packets, and the writer that saves them. No verdict logic: packets go to the same Analyzer as
/// files do.
namespace sshpath::capture {

/// The process may not open a capture: neither root nor CAP_NET_RAW.
class PermissionError : public InputError {
public:
    using InputError::InputError;
};

/// Decodes a frame into `out` (number, time, lengths included) and counts what the reader would
/// count in `stats` (packets, malformed, cut by the snap length), as Reader does for files.
void decode_frame(int link_type, const RawFrame& frame, packet::Packet& out, ReadStats& stats);

/// What the kernel says about a live capture (pcap_stats).
struct LiveStats {
    std::uint64_t received = 0;    ///< ps_recv: packets that passed the filter
    std::uint64_t dropped = 0;     ///< ps_drop: passed the filter, lost because the buffer was full
    std::uint64_t if_dropped = 0;  ///< ps_ifdrop: dropped by the interface or driver (any packet)
};

struct LiveOptions {
    std::string interface = "any";  ///< an interface name, or "any" (every interface, Linux cooked)
    int snaplen = 262144;           ///< bytes kept per packet
    int buffer_bytes = 4 << 20;     ///< kernel ring buffer
    bool promiscuous = false;       ///< the client's own traffic needs no promiscuous mode
};

/// A live capture on one interface: opened (root or CAP_NET_RAW), with immediate delivery, read
/// without blocking so that a poll() loop can also watch signals and a child process.
class LiveCapture {
public:
    /// Opens and activates the interface. Throws PermissionError without the privileges,
    /// InputError for an unknown interface or any other libpcap failure (with libpcap's words).
    explicit LiveCapture(const LiveOptions& options);
    ~LiveCapture();
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;

    /// Compiles and sets a kernel filter; InputError with libpcap's message if it rejects it.
    void set_filter(const std::string& expression);
    int link_type() const;
    int snaplen() const;
    const std::string& interface() const;
    /// A descriptor that poll() reports readable when packets wait (close-on-exec).
    int selectable_fd() const;
    /// Hands every waiting packet to `fn` (decoded, and raw for the writer) without blocking;
    /// returns how many. Throws InputError when the interface goes away.
    std::size_t dispatch(const std::function<void(const packet::Packet&, const RawFrame&)>& fn);
    /// The kernel's counters (zeros if libpcap cannot tell).
    LiveStats kernel_stats() const;
    /// Packets read so far, malformed ones, ones cut by the snap length: for end_capture().
    const ReadStats& read_stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// True when this process may open a live capture: effective uid 0 or CAP_NET_RAW effective.
bool can_capture();
/// Names of the interfaces libpcap can open, "any" included (for messages).
std::vector<std::string> interface_names();
/// True if `name` is an interface of this network namespace, or "any".
bool interface_exists(const std::string& name);
/// The interface the kernel's route to `address` leaves by (a netlink RTM_GETROUTE query, as
/// `ip route get` does); nullopt when there is no route.
std::optional<std::string> route_interface(const packet::IpAddress& address);
/// Whether the kernel delivers packets for `address` to this machine itself (a route of type
/// local: one of its own addresses).
bool is_local_address(const packet::IpAddress& address);

/// What the kernel filter keeps.
struct FilterSpec {
    std::vector<packet::IpAddress> hosts;  ///< the server's addresses (or the first jump host's); empty: any host
    int port = 22;                 ///< TCP port of those connections; 0: every TCP connection
    /// Proxies the client may go through (address, port): their connections are kept too.
    std::vector<std::pair<packet::IpAddress, int>> proxies;
    bool vlan = true;              ///< also match frames with one or two 802.1Q/802.1ad tags (Ethernet only)
};
/// The BPF filter text: the connection's TCP packets (and those to each proxy, as
/// `(tcp and host P and port N)`), and the ICMP/ICMPv6 errors that can quote them (destination unreachable, source quench, time exceeded, parameter problem; ICMPv6 types
/// 1-4), e.g. `(tcp and (host 203.0.113.7) and port 22) or (icmp and (icmp[0] == 3 or ...)) or
/// (icmp6 and (icmp6[0] == 1 or ...))`; with spec.vlan, `(F) or (vlan and ((F) or (vlan and
/// (F))))` (nested: each `vlan` shifts the offsets for the rest of the expression).
std::string build_filter(const FilterSpec& spec);
/// Compiles `expression` for `link_type` without a live handle; "" if libpcap accepts it,
/// else libpcap's message.
std::string check_filter(const std::string& expression, int link_type, int snaplen = 262144);

/// The format a saved capture is written in.
enum class DumpFormat { kPcap, kPcapng };
/// pcapng when the name ends in ".pcapng" (any case), pcap otherwise.
DumpFormat dump_format_for(const std::string& path);
/// "pcap" or "pcapng".
const char* dump_format_name(DumpFormat format);

/// Writes the packets of a live capture to a file, in complete records: each batch is one
/// write() of whole records, so the file stays readable up to its last record whatever stops
/// the process. pcap (libpcap's format, microsecond timestamps) or pcapng (a section header
/// naming sshpath, an interface description with its name and filter, enhanced packet blocks,
/// and at close an interface statistics block with the kernel's drop counters and a comment).
class DumpWriter {
public:
    /// Creates or truncates `path` (mode 0644 before umask, close-on-exec) and writes the file
    /// header. InputError naming the file on failure.
    DumpWriter(const std::string& path, DumpFormat format, int link_type, int snaplen, const std::string& interface,
               const std::string& filter, const std::string& application);
    /// The same into a file already open for writing (e.g. created before privileges were
    /// dropped), called `path` in messages.
    DumpWriter(posix::Fd fd, const std::string& path, DumpFormat format, int link_type, int snaplen,
               const std::string& interface, const std::string& filter, const std::string& application);
    ~DumpWriter();
    DumpWriter(const DumpWriter&) = delete;
    DumpWriter& operator=(const DumpWriter&) = delete;

    /// Queues one record (written by flush()); pcapng: with `comment` (opt_comment) when not empty.
    void add(const RawFrame& frame, std::string_view comment = {});
    /// Writes the queued records. After a write error the writer stops writing and error() says why.
    void flush();
    /// Flushes, appends the pcapng statistics block (with `comment`, if any) and closes.
    void close(const LiveStats& stats, const std::string& comment);
    /// Gives the file to this owner (the user sshpath drops to); false with errno on failure.
    bool chown(unsigned uid, unsigned gid);

    const std::string& path() const { return path_; }
    DumpFormat format() const { return format_; }
    std::uint64_t packets() const { return packets_; }   ///< records written or queued
    const std::string& error() const { return error_; }  ///< "" while all went well

private:
    void write_all(const std::string& bytes);
    std::string path_;
    DumpFormat format_;
    posix::Fd fd_;
    std::string pending_;
    std::uint64_t packets_ = 0;
    std::int64_t first_ts_usec_ = -1, last_ts_usec_ = -1;
    std::string error_;
};

}  // namespace sshpath::capture
