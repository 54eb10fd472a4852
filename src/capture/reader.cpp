#include "sshpath/capture/reader.h"

#include <fmt/format.h>
#include <pcap/pcap.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <string_view>

#include "sshpath/capture/decoder.h"
#include "sshpath/core/error.h"

namespace sshpath::capture {
namespace {

// libpcap reads through stdio; its default 4 KiB buffer makes reading several times slower.
constexpr std::size_t kStdioBuffer = std::size_t{1} << 20;

std::string display_name(const std::string& path) {
    return path == "-" ? std::string("standard input") : "'" + path + "'";
}

// stdin outlives any Reader, so its buffer must too; it is set up once and never freed.
char* stdin_buffer() {
    static char* buffer = [] {
        auto* b = new char[kStdioBuffer];
        std::setvbuf(stdin, b, _IOFBF, kStdioBuffer);
        return b;
    }();
    return buffer;
}

FILE* open_capture(const std::string& path) {
    if (path == "-") {
        stdin_buffer();
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

}  // namespace

struct Reader::Impl {
    std::string path;
    std::unique_ptr<char[]> buffer;
    pcap_t* pcap = nullptr;
    ReadStats stats;
    Packet packet;

    ~Impl() {
        // Closing flushes and releases the FILE before the buffer it uses is freed.
        if (pcap != nullptr) pcap_close(pcap);
    }
};

Reader::Reader(const std::string& path) : Reader(open_capture(path), path) {}

Reader::Reader(std::FILE* fp, const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    if (fp != stdin) {
        impl_->buffer.reset(new char[kStdioBuffer]);  // not make_unique: no need to zero 1 MiB
        std::setvbuf(fp, impl_->buffer.get(), _IOFBF, kStdioBuffer);
    }
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    impl_->pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (impl_->pcap == nullptr) {
        // On failure libpcap leaves the FILE to us.
        if (fp != stdin) std::fclose(fp);
        const std::string_view reason = errbuf;
        if (path == "-" && reason.find("only got 0") != std::string_view::npos) {
            throw InputError("standard input is empty, not a capture file");
        }
        throw InputError(fmt::format("{} is not a pcap or pcapng capture file ({})",
                                     display_name(path), reason));
    }
    const int link_type = pcap_datalink(impl_->pcap);
    if (!link_type_supported(link_type)) {
        throw InputError(fmt::format(
            "{} has link type {} ({}), which sshpath cannot decode (supported: Ethernet, Linux "
            "cooked v1/v2, raw IP, BSD loopback)",
            display_name(path), link_type_name(link_type), link_type));
    }
    impl_->stats.link_type = link_type;
    impl_->stats.snaplen = pcap_snapshot(impl_->pcap);
}

Reader::~Reader() = default;

int Reader::link_type() const { return impl_->stats.link_type; }

const ReadStats& Reader::stats() const { return impl_->stats; }

void Reader::for_each(const std::function<void(const Packet&)>& fn) {
    ReadStats& stats = impl_->stats;
    Packet& packet = impl_->packet;
    const int link_type = stats.link_type;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    for (;;) {
        const int rc = pcap_next_ex(impl_->pcap, &header, &data);
        if (rc == 1) {
            packet.number = ++stats.packets;
            packet.time = static_cast<double>(header->ts.tv_sec) +
                          static_cast<double>(header->ts.tv_usec) / 1e6;
            packet.caplen = header->caplen;
            packet.wirelen = header->len;
            decode(link_type, std::span<const std::uint8_t>(data, header->caplen), packet);
            const bool cut = header->caplen < header->len;
            // With the whole frame captured, an IP length reaching past it is a lie, not a cut.
            if (packet.payload_truncated && !cut && !packet.malformed) {
                packet.malformed = true;
                packet.problem = "IP length exceeds the frame";
            }
            if (packet.malformed) ++stats.malformed;
            if (cut && (packet.payload_truncated || packet.malformed)) ++stats.snaplen_cut;
            fn(packet);
        } else if (rc == PCAP_ERROR_BREAK) {
            return;
        } else if (rc == 0) {
            continue;  // a live-capture timeout; files never return it
        } else {
            const std::string message = pcap_geterr(impl_->pcap);
            if (is_truncation(message)) {
                stats.truncated = true;
                stats.truncation_message = message;
                return;
            }
            throw InputError(fmt::format("cannot read {}: {}", display_name(impl_->path), message));
        }
    }
}

}  // namespace sshpath::capture
