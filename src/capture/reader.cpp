#include "sshpath/capture/reader.h"

#include <fmt/format.h>
#include <pcap/pcap.h>
#include <stdio_ext.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "sshpath/capture/link_name.h"
#include "sshpath/packet/decoder.h"
#include "sshpath/capture/live.h"
#include "sshpath/core/error.h"
#include "sshpath/posix/fd.h"
#include "classic.h"

namespace sshpath::capture {


namespace {

using detail::ClassicHeader;
using detail::display_name;
using detail::kBlock;
using detail::kMaxSnaplen;
using detail::kRecordHeader;
using detail::load32;
using detail::read_some;
using detail::record_time;

// The source FILE's own stdio buffer: small, so that block reads bypass it.
constexpr std::size_t kSourceBuffer = std::size_t{64} << 10;
// The FILE handed to libpcap: large, because libpcap reads record by record.
constexpr std::size_t kLibpcapBuffer = std::size_t{1} << 20;
constexpr std::size_t kFileHeader = 24;

// stdin outlives any Reader, so its buffer must too; it is set up once and never freed. A pipe
// (tcpdump -w - | sshpath analyze -) gets a 1 MiB buffer in the kernel: a block is then one read
// and one wake-up of each side, not sixteen.
void buffer_stdin() {
    static char* buffer = [] {
        auto* b = new char[kSourceBuffer];
        std::setvbuf(stdin, b, _IOFBF, kSourceBuffer);
        posix::widen_pipe(fileno(stdin), 1 << 20);
        return b;
    }();
    (void)buffer;
}

FILE* open_capture(const std::string& path) {
    if (path == "-") {
        buffer_stdin();
        return stdin;
    }
    FILE* fp = std::fopen(path.c_str(), "rb");
    if (fp == nullptr) {
        throw InputError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    }
    struct stat st {};
    if (fstat(fileno(fp), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            std::fclose(fp);
            throw InputError(fmt::format("'{}' is a directory, not a capture file", path));
        }
        // Only a regular file's size means anything: pipes and /dev/fd/N report 0.
        if (S_ISREG(st.st_mode) && st.st_size == 0) {
            std::fclose(fp);
            throw InputError(fmt::format("'{}' is empty, not a capture file", path));
        }
    }
    return fp;
}

bool is_truncation(std::string_view message) {
    return message.find("truncated") != std::string_view::npos;
}


std::uint16_t load16(const std::uint8_t* p, bool swapped) {
    std::uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped ? __builtin_bswap16(v) : v;
}

bool parse_classic_header(const std::uint8_t* h, ClassicHeader& out) {
    std::uint32_t magic;
    std::memcpy(&magic, h, 4);
    switch (magic) {
    case 0xa1b2c3d4: out = {false, false}; break;
    case 0xd4c3b2a1: out = {true, false}; break;
    case 0xa1b23c4d: out = {false, true}; break;
    case 0x4d3cb2a1: out = {true, true}; break;
    default: return false;
    }
    if (load16(h + 4, out.swapped) != 2 || load16(h + 6, out.swapped) != 4) return false;
    const std::uint32_t snaplen = load32(h + 16, out.swapped);
    const std::uint32_t linktype = load32(h + 20, out.swapped);
    switch (linktype) {
    case 101: out.link_type = DLT_RAW; break;  // LINKTYPE_RAW
    case packet::kLinkNull:
    case packet::kLinkEthernet:
    case packet::kLinkLoop:
    case packet::kLinkSll:
    case packet::kLinkSll2:
    case packet::kLinkIpv4:
    case packet::kLinkIpv6: out.link_type = static_cast<int>(linktype); break;
    default: return false;  // includes FCS-length bits in the upper half
    }
    // As libpcap: a snapshot length of 0 or beyond the maximum means the maximum.
    out.snapshot = snaplen == 0 || snaplen > kMaxSnaplen ? kMaxSnaplen : snaplen;
    return true;
}


// A FILE that first returns `prefix` (the bytes already read to recognise the format), then
// the rest of `source`: lets libpcap open a stream that cannot seek back, such as a pipe.
struct Replay {
    std::vector<char> prefix;
    std::size_t pos = 0;
    FILE* source = nullptr;
    const StopReading* stop = nullptr;
    bool* stopped = nullptr;
};

ssize_t replay_read(void* cookie, char* buf, std::size_t size) {
    auto* r = static_cast<Replay*>(cookie);
    if (r->pos < r->prefix.size()) {
        const std::size_t n = std::min(size, r->prefix.size() - r->pos);
        std::memcpy(buf, r->prefix.data() + r->pos, n);
        r->pos += n;
        return static_cast<ssize_t>(n);
    }
    const std::size_t n = read_some(r->source, buf, size, *r->stop, *r->stopped);
    if (n == 0 && std::ferror(r->source)) return -1;
    return static_cast<ssize_t>(n);
}

int replay_close(void* cookie) {
    delete static_cast<Replay*>(cookie);
    return 0;
}

}  // namespace

struct Reader::Impl {
    std::string path;
    FILE* source = nullptr;          ///< the file or stream read; closed here unless stdin
    std::unique_ptr<char[]> source_buffer;
    // libpcap path
    pcap_t* pcap = nullptr;
    std::unique_ptr<char[]> pcap_buffer;
    // classic pcap path
    ClassicHeader header;
    std::unique_ptr<std::uint8_t[]> block;
    std::size_t block_size = kBlock;  ///< a file smaller than kBlock gets a block its size
    const std::uint8_t* base = nullptr;  ///< block, where the bytes read are
    std::size_t pos = 0, end = 0;
    ReadStats stats;
    packet::Packet packet;
    StopReading stop;
    RewriteFrame rewrite;
    std::vector<std::uint8_t> scratch;  ///< the rewritten frame
    int peeked = 0;  ///< libpcap path: what pcap_next_ex returned for the record first_time() read (0: none)
    pcap_pkthdr* peeked_header = nullptr;
    const u_char* peeked_data = nullptr;
    using FrameFn = std::function<void(const packet::Packet&, const RawFrame&)>;

    ~Impl() {
        // Closing the pcap_t closes the replaying FILE, which frees its cookie, before the
        // buffer it uses is freed and before the source it reads from is closed.
        if (pcap != nullptr) pcap_close(pcap);
        if (source != nullptr && source != stdin) std::fclose(source);
    }

    // Reads more of the file behind the bytes not yet used. Returns the number of bytes added.
    std::size_t refill() {
        if (pos > 0) {
            std::memmove(block.get(), base + pos, end - pos);
            end -= pos;
            pos = 0;
        } else if (end == block_size && block_size < kBlock) {
            // The file grew after it was opened (a capture still being written): a whole block.
            auto bigger = std::make_unique_for_overwrite<std::uint8_t[]>(kBlock);
            std::memcpy(bigger.get(), block.get(), end);
            block = std::move(bigger);
            base = block.get();
            block_size = kBlock;
        }
        const std::size_t n = read_some(source, block.get() + end, block_size - end, stop, stats.stopped);
        if (n == 0 && std::ferror(source)) {
            throw InputError(detail::read_error_message(path));
        }
        end += n;
        return n;
    }

    // Makes `want` bytes available at pos, unless the file ends first. Returns the bytes available.
    std::size_t need(std::size_t want) {
        while (end - pos < want && refill() > 0) {
        }
        return end - pos;
    }

    void open_with_libpcap(std::vector<char> prefix) {
        auto* replay = new Replay{std::move(prefix), 0, source, &stop, &stats.stopped};
        FILE* fp = fopencookie(replay, "rb", cookie_io_functions_t{replay_read, nullptr, nullptr, replay_close});
        if (fp == nullptr) {
            delete replay;
            throw InputError(fmt::format("cannot read {}: {}", display_name(path), std::strerror(errno)));
        }
        // libpcap reads each block with two freads; only this thread uses the FILE, so they need
        // not take its lock (a third of fread's cost once the process has a second thread).
        __fsetlocking(fp, FSETLOCKING_BYCALLER);
        pcap_buffer.reset(new char[kLibpcapBuffer]);  // not make_unique: no need to zero 1 MiB
        std::setvbuf(fp, pcap_buffer.get(), _IOFBF, kLibpcapBuffer);
        char errbuf[PCAP_ERRBUF_SIZE] = {};
        pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
        if (pcap == nullptr) {
            std::fclose(fp);  // on failure libpcap leaves the FILE to us
            const std::string_view reason = errbuf;
            if (path == "-" && reason.find("only got 0") != std::string_view::npos) {
                throw InputError("standard input is empty, not a capture file");
            }
            throw InputError(fmt::format("{} is not a pcap or pcapng capture file ({})", display_name(path), reason));
        }
        stats.link_type = pcap_datalink(pcap);
        stats.snaplen = pcap_snapshot(pcap);
    }

    // Hands one record to the decoder (with the same accounting as a live capture) and the callback.
    void deliver(const std::uint8_t* data, std::uint32_t caplen, std::uint32_t wirelen, std::int64_t sec,
                 std::int32_t usec, const FrameFn& fn) {
        std::span<const std::uint8_t> bytes(data, caplen);
        if (rewrite) {
            scratch.assign(data, data + caplen);
            rewrite(stats.link_type, std::span<std::uint8_t>(scratch));
            bytes = scratch;
        }
        const RawFrame raw{sec, usec, caplen, wirelen, bytes};
        decode_frame(stats.link_type, raw, packet, stats);
        fn(packet, raw);
    }

    void truncated(std::string message) {
        stats.truncated = true;
        stats.truncation_message = std::move(message);
    }

    void read_classic(const FrameFn& fn) {
        const bool sw = header.swapped;
        const std::uint32_t snapshot = header.snapshot;
        for (;;) {
            if (end - pos < kRecordHeader) {
                const std::size_t have = need(kRecordHeader);
                if (have == 0 || (have < kRecordHeader && stats.stopped)) return;  // the end, between records, or told to stop
                if (have < kRecordHeader) {
                    return truncated(detail::header_cut_message(have));
                }
            }
            const std::uint8_t* h = base + pos;
            const RawFrame stamp = record_time(h, header);
            std::uint32_t caplen = load32(h + 8, sw);
            const std::uint32_t wirelen = load32(h + 12, sw);
            // libpcap's checks and words, so that both paths judge a damaged file alike.
            if (caplen > kMaxSnaplen) {
                throw InputError(detail::bad_caplen_message(path, caplen, snapshot));
            }
            const std::size_t record = kRecordHeader + caplen;
            if (end - pos < record) {
                const std::size_t have = need(record) - kRecordHeader;
                if (have < caplen && stats.stopped) return;
                if (have < caplen) return truncated(detail::record_cut_message(caplen, snapshot, have));
                h = base + pos;
            }
            // A record longer than the file's snapshot length is cut to it, as libpcap does.
            if (caplen > snapshot) caplen = snapshot;
            pos += record;
            deliver(h + kRecordHeader, caplen, wirelen, stamp.ts_sec, stamp.ts_usec, fn);
        }
    }

    void read_libpcap(const FrameFn& fn) {
        pcap_pkthdr* hdr = peeked_header;
        const u_char* data = peeked_data;
        for (;;) {
            const int rc = peeked != 0 ? std::exchange(peeked, 0) : pcap_next_ex(pcap, &hdr, &data);
            if (rc == 1) {
                deliver(data, hdr->caplen, hdr->len, hdr->ts.tv_sec, static_cast<std::int32_t>(hdr->ts.tv_usec), fn);
            } else if (rc == PCAP_ERROR_BREAK) {
                return;
            } else if (rc == 0) {
                continue;  // a live-capture timeout; files never return it
            } else {
                const std::string message = pcap_geterr(pcap);
                if (stats.stopped) return;
                if (is_truncation(message)) return truncated(message);
                throw InputError(fmt::format("cannot read {}: {}", display_name(path), message));
            }
        }
    }
};

namespace detail {

std::string display_name(const std::string& path) {
    return path == "-" ? std::string("standard input") : "'" + path + "'";
}

std::uint32_t load32(const std::uint8_t* p, bool swapped) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped ? __builtin_bswap32(v) : v;
}

RawFrame record_time(const std::uint8_t* h, const ClassicHeader& header) {
    RawFrame t;
    t.ts_sec = static_cast<std::int32_t>(load32(h, header.swapped));
    t.ts_usec = static_cast<std::int32_t>(load32(h + 4, header.swapped));
    if (header.nano) t.ts_usec /= 1000;
    return t;
}

std::size_t read_some(std::FILE* fp, void* buf, std::size_t size, const StopReading& stop, bool& stopped) {
    auto* out = static_cast<char*>(buf);
    std::size_t done = 0;
    while (done < size) {
        if (stopped || (stop && stop())) {
            stopped = true;
            break;
        }
        done += std::fread(out + done, 1, size - done, fp);
        if (done == size || std::feof(fp) || !std::ferror(fp) || errno != EINTR) break;
        std::clearerr(fp);
    }
    return done;
}

std::string header_cut_message(std::size_t have) {
    return fmt::format("truncated dump file; tried to read {} header bytes, only got {}", kRecordHeader, have);
}

std::string record_cut_message(std::uint32_t caplen, std::uint32_t snapshot, std::size_t have) {
    const std::uint32_t tried = caplen > snapshot ? snapshot : caplen;
    return fmt::format("truncated dump file; tried to read {} captured bytes, only got {}", have < snapshot ? tried : caplen, have);
}

std::string bad_caplen_message(const std::string& path, std::uint32_t caplen, std::uint32_t snapshot) {
    return fmt::format("cannot read {}: invalid packet capture length {}, bigger than {} of {}", display_name(path), caplen,
                       caplen > snapshot ? "snaplen" : "maximum", caplen > snapshot ? snapshot : kMaxSnaplen);
}

std::string read_error_message(const std::string& path) {
    return fmt::format("cannot read {}: error reading dump file: {}", display_name(path), std::strerror(errno));
}

ReaderSource source_of(const Reader& reader) {
    const auto& m = *reader.impl_;
    return ReaderSource{m.source, &m.stop, m.header, m.path, std::span<const std::uint8_t>(m.base + m.pos, m.end - m.pos)};
}

}  // namespace detail

Reader::Reader(const std::string& path, StopReading stop) : Reader(open_capture(path), path, std::move(stop)) {}

Reader::Reader(std::FILE* fp, const std::string& path, StopReading stop) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.path = path;
    m.source = fp;
    m.stop = std::move(stop);
    if (fp != stdin) {
        m.source_buffer.reset(new char[kSourceBuffer]);
        std::setvbuf(fp, m.source_buffer.get(), _IOFBF, kSourceBuffer);
    }
    std::uint8_t head[kFileHeader];
    const std::size_t got = read_some(fp, head, sizeof head, m.stop, m.stats.stopped);
    if (m.stats.stopped && got < sizeof head)
        throw InputError(fmt::format("{}: interrupted before the capture's header arrived", display_name(path)));
    if (got == sizeof head && parse_classic_header(head, m.header)) {
        // A small file (a test's, a support case's) gets a block its size, not a whole block.
        struct stat st {};
        const off_t at = ftello(fp);
        if (at >= 0 && fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
            m.block_size = static_cast<std::size_t>(std::clamp<off_t>(st.st_size - at, 1, static_cast<off_t>(kBlock)));
        m.block = std::make_unique_for_overwrite<std::uint8_t[]>(m.block_size);  // not zeroed
        m.base = m.block.get();
        m.stats.link_type = m.header.link_type;
        m.stats.snaplen = static_cast<int>(m.header.snapshot);
    } else {
        m.open_with_libpcap(std::vector<char>(head, head + got));
    }
    const int link_type = m.stats.link_type;
    if (!packet::link_type_supported(link_type)) {
        throw InputError(fmt::format(
            "{} has link type {} ({}), which sshpath cannot decode (supported: Ethernet, Linux "
            "cooked v1/v2, raw IP, BSD loopback)",
            display_name(path), link_type_name(link_type), link_type));
    }
}

Reader::~Reader() = default;

int Reader::link_type() const { return impl_->stats.link_type; }

const ReadStats& Reader::stats() const { return impl_->stats; }

void Reader::set_rewrite(RewriteFrame rewrite) { impl_->rewrite = std::move(rewrite); }

void Reader::continue_numbering(std::uint64_t packets_before) { impl_->stats.packets = packets_before; }

std::optional<double> Reader::first_time() {
    Impl& m = *impl_;
    if (m.pcap != nullptr) {
        // The record is read now and handed on first by for_each (its bytes stay libpcap's until
        // the next read); an error or the end is met again there.
        if (m.peeked == 0) m.peeked = pcap_next_ex(m.pcap, &m.peeked_header, &m.peeked_data);
        if (m.peeked != 1) return std::nullopt;
        RawFrame stamp;
        stamp.ts_sec = m.peeked_header->ts.tv_sec;
        stamp.ts_usec = static_cast<std::int32_t>(m.peeked_header->ts.tv_usec);
        return stamp.time();
    }
    // The classic path: the record header is read into the block, where for_each finds it.
    if (m.need(kRecordHeader) < kRecordHeader) return std::nullopt;
    return record_time(m.base + m.pos, m.header).time();
}

bool Reader::shareable() const { return impl_->pcap == nullptr && !impl_->rewrite; }

void Reader::for_each(const std::function<void(const packet::Packet&)>& fn) {
    for_each_frame([&fn](const packet::Packet& p, const RawFrame&) { fn(p); });
}

void Reader::for_each_frame(const std::function<void(const packet::Packet&, const RawFrame&)>& fn) {
    if (impl_->pcap != nullptr)
        impl_->read_libpcap(fn);
    else
        impl_->read_classic(fn);
}

}  // namespace sshpath::capture
