#include "sshpath/capture/live.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "sshpath/capture/decoder.h"
#include "sshpath/capture/netlink.h"

namespace sshpath::capture {

void decode_frame(int link_type, const RawFrame& frame, Packet& out, ReadStats& stats) {
    out.number = ++stats.packets;
    out.time = static_cast<double>(frame.ts_sec) + static_cast<double>(frame.ts_usec) / 1e6;
    out.caplen = frame.caplen;
    out.wirelen = frame.wirelen;
    decode(link_type, frame.data, out);
    // The same accounting as Reader::for_each, so live and file analyses report alike.
    const bool cut = frame.caplen < frame.wirelen;
    if (out.payload_truncated && !cut && !out.malformed) {
        out.malformed = true;
        out.problem = "IP length exceeds the frame";
    }
    if (out.malformed) ++stats.malformed;
    if (cut && (out.payload_truncated || out.malformed)) ++stats.snaplen_cut;
}

// --- the live handle ---------------------------------------------------------------------------

struct LiveCapture::Impl {
    pcap_t* pcap = nullptr;
    std::string interface;
    bpf_program program{};
    bool have_program = false;
    ReadStats stats;
    Packet packet;
    const std::function<void(const Packet&, const RawFrame&)>* fn = nullptr;
    std::size_t count = 0;

    ~Impl() {
        if (have_program) pcap_freecode(&program);
        if (pcap != nullptr) pcap_close(pcap);
    }

    static void on_packet(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
        auto* self = reinterpret_cast<Impl*>(user);
        // Frames queued before the kernel filter was attached may not match it: filter again.
        if (self->have_program && pcap_offline_filter(&self->program, h, bytes) == 0) return;
        RawFrame frame;
        frame.ts_sec = h->ts.tv_sec;
        frame.ts_usec = static_cast<std::int32_t>(h->ts.tv_usec);
        frame.caplen = h->caplen;
        frame.wirelen = h->len;
        frame.data = std::span<const std::uint8_t>(bytes, h->caplen);
        decode_frame(self->stats.link_type, frame, self->packet, self->stats);
        ++self->count;
        (*self->fn)(self->packet, frame);
    }
};

namespace {

std::string interface_list() {
    std::string out;
    for (const auto& name : interface_names()) out += (out.empty() ? "" : ", ") + name;
    return out;
}

[[noreturn]] void throw_no_interface(const std::string& name) {
    throw InputError(fmt::format("--interface: no interface '{}' here (interfaces: {})", name, interface_list()));
}

}  // namespace

LiveCapture::LiveCapture(const LiveOptions& options) : impl_(std::make_unique<Impl>()) {
    impl_->interface = options.interface;
    if (!interface_exists(options.interface)) throw_no_interface(options.interface);
    if (!can_capture()) throw PermissionError("capturing needs root or CAP_NET_RAW");
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    impl_->pcap = pcap_create(options.interface.c_str(), errbuf);
    if (impl_->pcap == nullptr) throw InputError(fmt::format("cannot capture on '{}': {}", options.interface, errbuf));
    pcap_t* p = impl_->pcap;
    pcap_set_snaplen(p, options.snaplen);
    pcap_set_promisc(p, options.promiscuous ? 1 : 0);
    // Immediate mode: each packet is delivered at once, so a verdict or a stop is never late.
    pcap_set_immediate_mode(p, 1);
    pcap_set_buffer_size(p, options.buffer_bytes);
    pcap_set_timeout(p, 100);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_MICRO);
    const int rc = pcap_activate(p);
    if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED)
        throw PermissionError(fmt::format("capturing on '{}' needs root or CAP_NET_RAW ({})", options.interface, pcap_geterr(p)));
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE) throw_no_interface(options.interface);
    if (rc == PCAP_ERROR_IFACE_NOT_UP) throw InputError(fmt::format("--interface: '{}' is down", options.interface));
    if (rc < 0) throw InputError(fmt::format("cannot capture on '{}': {}", options.interface, pcap_geterr(p)));
    int link = pcap_datalink(p);
    if (!link_type_supported(link)) {
        // Some interfaces offer several link types: take one the decoder reads.
        int* links = nullptr;
        const int n = pcap_list_datalinks(p, &links);
        for (int i = 0; i < n; ++i)
            if (link_type_supported(links[i]) && pcap_set_datalink(p, links[i]) == 0) {
                link = links[i];
                break;
            }
        if (n > 0) pcap_free_datalinks(links);
        if (!link_type_supported(link))
            throw InputError(fmt::format("'{}' has link type {} ({}), which sshpath cannot decode", options.interface,
                                         link_type_name(link), link));
    }
    impl_->stats.link_type = link;
    impl_->stats.snaplen = pcap_snapshot(p);
    if (pcap_setnonblock(p, 1, errbuf) != 0) throw InputError(fmt::format("cannot capture on '{}': {}", options.interface, errbuf));
    const int fd = pcap_get_selectable_fd(p);
    if (fd >= 0) fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

LiveCapture::~LiveCapture() = default;

void LiveCapture::set_filter(const std::string& expression) {
    bpf_program program{};
    if (pcap_compile(impl_->pcap, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        throw InputError(fmt::format("libpcap rejects the filter '{}': {}", expression, pcap_geterr(impl_->pcap)));
    if (pcap_setfilter(impl_->pcap, &program) != 0) {
        const std::string why = pcap_geterr(impl_->pcap);
        pcap_freecode(&program);
        throw InputError(fmt::format("cannot set the filter '{}': {}", expression, why));
    }
    if (impl_->have_program) pcap_freecode(&impl_->program);
    impl_->program = program;
    impl_->have_program = true;
}

int LiveCapture::link_type() const { return impl_->stats.link_type; }
int LiveCapture::snaplen() const { return impl_->stats.snaplen; }
const std::string& LiveCapture::interface() const { return impl_->interface; }
int LiveCapture::selectable_fd() const { return pcap_get_selectable_fd(impl_->pcap); }
const ReadStats& LiveCapture::read_stats() const { return impl_->stats; }

std::size_t LiveCapture::dispatch(const std::function<void(const Packet&, const RawFrame&)>& fn) {
    impl_->fn = &fn;
    impl_->count = 0;
    const int rc = pcap_dispatch(impl_->pcap, -1, &Impl::on_packet, reinterpret_cast<u_char*>(impl_.get()));
    impl_->fn = nullptr;
    if (rc == PCAP_ERROR)
        throw InputError(fmt::format("capture on '{}' failed: {}", impl_->interface, pcap_geterr(impl_->pcap)));
    return impl_->count;
}

LiveStats LiveCapture::kernel_stats() const {
    LiveStats out;
    pcap_stat st{};
    if (pcap_stats(impl_->pcap, &st) == 0) {
        out.received = st.ps_recv;
        out.dropped = st.ps_drop;
        out.if_dropped = st.ps_ifdrop;
    }
    return out;
}

bool can_capture() {
    if (geteuid() == 0) return true;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0) return false;
    return (data[CAP_NET_RAW / 32].effective & (1u << (CAP_NET_RAW % 32))) != 0;
}

std::vector<std::string> interface_names() {
    std::vector<std::string> names;
    pcap_if_t* all = nullptr;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    if (pcap_findalldevs(&all, errbuf) == 0) {
        // Only network interfaces (libpcap also lists dbus, bluetooth-monitor, nflog ...).
        for (pcap_if_t* d = all; d != nullptr; d = d->next)
            if (if_nametoindex(d->name) != 0) names.emplace_back(d->name);
        pcap_freealldevs(all);
    }
    if (std::find(names.begin(), names.end(), "any") == names.end()) names.emplace_back("any");
    std::sort(names.begin(), names.end());
    return names;
}

bool interface_exists(const std::string& name) {
    return name == "any" || (!name.empty() && name.size() < IF_NAMESIZE && if_nametoindex(name.c_str()) != 0);
}

std::optional<std::string> route_interface(const IpAddress& address) {
    const Route r = parse_route_answer(query_route(address, false));
    if (!r.found || r.interface.empty()) return std::nullopt;
    return r.interface;
}

// --- the filter --------------------------------------------------------------------------------

std::string build_filter(const FilterSpec& spec) {
    std::string tcp = "tcp";
    if (!spec.hosts.empty()) {
        std::string hosts;
        for (const auto& h : spec.hosts) hosts += (hosts.empty() ? "host " : " or host ") + h.to_string();
        tcp += " and (" + hosts + ")";
    }
    if (spec.port > 0) tcp += fmt::format(" and port {}", spec.port);
    for (const auto& [address, port] : spec.proxies) tcp += fmt::format(") or (tcp and host {} and port {}", address.to_string(), port);
    // ICMP errors quote the packet that caused them: unreachable 3, source quench 4, time
    // exceeded 11, parameter problem 12; ICMPv6 unreachable 1, too big 2, time exceeded 3,
    // parameter problem 4. They are rare, so all of them are kept and matched to the connection
    // by the quoted header later.
    const std::string base = "(" + tcp +
                             ") or (icmp and (icmp[0] == 3 or icmp[0] == 4 or icmp[0] == 11 or icmp[0] == 12))"
                             " or (icmp6 and (icmp6[0] == 1 or icmp6[0] == 2 or icmp6[0] == 3 or icmp6[0] == 4))";
    if (!spec.vlan) return base;
    // Linux usually strips the outer tag into metadata (the plain expression then matches);
    // tags left in the frame (QinQ, some drivers) need the vlan forms. Nested, because each
    // `vlan` moves the offsets for the rest of the expression, not just its own branch.
    return "(" + base + ") or (vlan and ((" + base + ") or (vlan and (" + base + "))))";
}

std::string check_filter(const std::string& expression, int link_type, int snaplen) {
    pcap_t* dead = pcap_open_dead(link_type, snaplen);
    if (dead == nullptr) return "cannot compile a filter";
    bpf_program program{};
    std::string error;
    if (pcap_compile(dead, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        error = pcap_geterr(dead);
    else
        pcap_freecode(&program);
    pcap_close(dead);
    return error;
}

// --- the writer --------------------------------------------------------------------------------

DumpFormat dump_format_for(const std::string& path) {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string ext = ".pcapng";
    return lower.size() >= ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0 ? DumpFormat::kPcapng
                                                                                                        : DumpFormat::kPcap;
}

namespace {

template <typename T>
void put(std::string& out, T value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void pad4(std::string& out) {
    while (out.size() % 4 != 0) out.push_back('\0');
}

// A pcapng option: code, length, value padded to 32 bits.
void put_option(std::string& out, std::uint16_t code, std::string_view value) {
    put<std::uint16_t>(out, code);
    put<std::uint16_t>(out, static_cast<std::uint16_t>(value.size()));
    out.append(value);
    pad4(out);
}

template <typename T>
void put_option_value(std::string& out, std::uint16_t code, T value) {
    put_option(out, code, std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
}

// Wraps a block body: type, total length, body, total length (the body is already padded).
std::string block(std::uint32_t type, const std::string& body) {
    std::string out;
    const auto total = static_cast<std::uint32_t>(body.size() + 12);
    put(out, type);
    put(out, total);
    out += body;
    put(out, total);
    return out;
}

void put_timestamp(std::string& out, std::int64_t usec) {
    const auto t = static_cast<std::uint64_t>(usec);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(t >> 32));
    put<std::uint32_t>(out, static_cast<std::uint32_t>(t & 0xffffffffu));
}

constexpr std::uint32_t kShb = 0x0A0D0D0A, kIdb = 1, kIsb = 5, kEpb = 6;

}  // namespace

DumpWriter::DumpWriter(const std::string& path, DumpFormat format, int link_type, int snaplen, const std::string& interface,
                       const std::string& filter, const std::string& application)
    : path_(path), format_(format) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw InputError(fmt::format("--write: cannot create '{}': {}", path, std::strerror(errno)));
    std::string header;
    if (format == DumpFormat::kPcap) {
        put<std::uint32_t>(header, 0xa1b2c3d4);  // microsecond timestamps, this machine's byte order
        put<std::uint16_t>(header, 2);
        put<std::uint16_t>(header, 4);
        put<std::int32_t>(header, 0);
        put<std::uint32_t>(header, 0);
        put<std::uint32_t>(header, static_cast<std::uint32_t>(snaplen));
        put<std::uint32_t>(header, static_cast<std::uint32_t>(link_type));
    } else {
        std::string shb;
        put<std::uint32_t>(shb, 0x1A2B3C4D);
        put<std::uint16_t>(shb, 1);
        put<std::uint16_t>(shb, 0);
        put<std::int64_t>(shb, -1);  // section length not given
        put_option(shb, 4, application);  // shb_userappl
        put_option(shb, 0, "");
        header += block(kShb, shb);
        std::string idb;
        put<std::uint16_t>(idb, static_cast<std::uint16_t>(link_type));
        put<std::uint16_t>(idb, 0);
        put<std::uint32_t>(idb, static_cast<std::uint32_t>(snaplen));
        put_option(idb, 2, interface);                   // if_name
        put_option(idb, 9, std::string_view("\x06", 1));  // if_tsresol: microseconds
        if (!filter.empty()) put_option(idb, 11, std::string(1, '\0') + filter);  // if_filter: a libpcap string
        put_option(idb, 0, "");
        header += block(kIdb, idb);
    }
    write_all(header);
    if (!error_.empty()) throw InputError(fmt::format("--write: cannot write '{}': {}", path, error_));
}

DumpWriter::~DumpWriter() {
    if (fd_ >= 0) {
        flush();
        ::close(fd_);
    }
}

void DumpWriter::add(const RawFrame& frame) {
    ++packets_;
    const std::int64_t usec = frame.ts_sec * 1000000 + frame.ts_usec;
    if (first_ts_usec_ < 0) first_ts_usec_ = usec;
    last_ts_usec_ = std::max(last_ts_usec_, usec);
    if (format_ == DumpFormat::kPcap) {
        put<std::uint32_t>(pending_, static_cast<std::uint32_t>(frame.ts_sec));
        put<std::uint32_t>(pending_, static_cast<std::uint32_t>(frame.ts_usec));
        put<std::uint32_t>(pending_, frame.caplen);
        put<std::uint32_t>(pending_, frame.wirelen);
        pending_.append(reinterpret_cast<const char*>(frame.data.data()), frame.data.size());
        return;
    }
    std::string epb;
    put<std::uint32_t>(epb, 0);  // interface 0
    put_timestamp(epb, usec);
    put<std::uint32_t>(epb, frame.caplen);
    put<std::uint32_t>(epb, frame.wirelen);
    epb.append(reinterpret_cast<const char*>(frame.data.data()), frame.data.size());
    pad4(epb);
    pending_ += block(kEpb, epb);
}

void DumpWriter::write_all(const std::string& bytes) {
    if (!error_.empty() || fd_ < 0) return;
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error_ = n < 0 ? std::strerror(errno) : "nothing written";
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

void DumpWriter::flush() {
    if (pending_.empty()) return;
    write_all(pending_);
    pending_.clear();
}

void DumpWriter::close(const LiveStats& stats, const std::string& comment) {
    if (fd_ < 0) return;
    flush();
    if (format_ == DumpFormat::kPcapng) {
        timeval now{};
        gettimeofday(&now, nullptr);
        const std::int64_t now_usec = static_cast<std::int64_t>(now.tv_sec) * 1000000 + now.tv_usec;
        std::string isb;
        put<std::uint32_t>(isb, 0);
        put_timestamp(isb, now_usec);
        if (!comment.empty()) put_option(isb, 1, comment);  // opt_comment
        if (first_ts_usec_ >= 0) {
            std::string t;
            put_timestamp(t, first_ts_usec_);
            put_option(isb, 2, t);  // isb_starttime
            t.clear();
            put_timestamp(t, last_ts_usec_);
            put_option(isb, 3, t);  // isb_endtime
        }
        put_option_value<std::uint64_t>(isb, 5, stats.if_dropped);  // isb_ifdrop
        put_option_value<std::uint64_t>(isb, 6, stats.received);    // isb_filteraccept
        put_option_value<std::uint64_t>(isb, 7, stats.dropped);     // isb_osdrop
        put_option(isb, 0, "");
        write_all(block(kIsb, isb));
    }
    if (::close(fd_) != 0 && error_.empty()) error_ = std::strerror(errno);
    fd_ = -1;
}

bool DumpWriter::chown(unsigned uid, unsigned gid) { return fd_ >= 0 && ::fchown(fd_, uid, gid) == 0; }

// --- what the ssh client said --------------------------------------------------------------------

namespace {

bool contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }
bool starts_with(std::string_view text, std::string_view what) { return text.substr(0, what.size()) == what; }
bool ends_with(std::string_view text, std::string_view what) {
    return text.size() >= what.size() && text.substr(text.size() - what.size()) == what;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

bool is_debug(std::string_view line) { return starts_with(line, "debug1: ") || starts_with(line, "debug2: ") || starts_with(line, "debug3: "); }

// Lines a client prints on the way that are not about a failure.
bool is_chatter(std::string_view line) {
    return starts_with(line, "Warning: ") || starts_with(line, "Pseudo-terminal ") || starts_with(line, "Transferred: ") ||
           starts_with(line, "Bytes per second") || starts_with(line, "OpenSSH_") || starts_with(line, "Authenticated to ") ||
           (starts_with(line, "Connection to ") && ends_with(line, " closed.")) || starts_with(line, "@@@") ||
           starts_with(line, "Permanently added ");
}

}  // namespace

std::string_view classify_ssh_error_line(std::string_view raw) {
    std::string_view line = trim(raw);
    if (is_debug(line)) line = trim(line.substr(8));
    if (line.empty()) return "";
    if (contains(line, "Connection timed out during banner exchange")) return "banner-timeout";
    if (contains(line, "Could not resolve hostname") || contains(line, "Name or service not known") ||
        contains(line, "Temporary failure in name resolution") || contains(line, "nodename nor servname provided"))
        return "resolve";
    if (contains(line, "Host key verification failed") || contains(line, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
        (contains(line, "host key for ") && contains(line, " has changed")) || contains(line, "host key is known for"))
        return "host-key";
    if (contains(line, "Unable to negotiate with") || (contains(line, "no matching ") && contains(line, " found")))
        return "kex-mismatch";
    // A ProxyCommand's own complaint (nc, ncat, socat) or a jump host that cannot reach the target.
    if (starts_with(line, "nc: ") || starts_with(line, "ncat: ") || starts_with(line, "Ncat: ") || starts_with(line, "socat[") ||
        contains(line, "Proxy error") || contains(line, "SOCKSv") || contains(line, "SOCKS error") ||
        (starts_with(line, "channel ") && contains(line, ": open failed: ")) || contains(line, "stdio forwarding failed"))
        return "proxy";
    if (contains(line, "Permission denied (") || contains(line, "Too many authentication failures")) return "auth-denied";
    if (contains(line, "Operation not permitted") || ends_with(line, ": Permission denied")) return "not-permitted";
    if (contains(line, "Connection timed out")) return "timed-out";
    if (contains(line, "Connection refused")) return "refused";
    if (contains(line, "No route to host")) return "no-route";
    if (contains(line, "Network is unreachable")) return "net-unreachable";
    if (contains(line, "Connection reset")) return "reset";
    if (contains(line, "exchange_identification: Connection closed") ||
        contains(line, "exchange_identification: read: Connection closed"))
        return "closed-before-banner";
    if (contains(line, "banner line contains invalid characters") || contains(line, "Invalid SSH identification string") ||
        contains(line, "Bad remote protocol version identification") || contains(line, "Protocol major versions differ"))
        return "bad-banner";
    if (contains(line, "Connection closed by ") || contains(line, "Received disconnect from ")) return "closed";
    return "";
}

ClientError find_client_error(std::string_view text, int exit_status) {
    ClientError out;
    out.kind = "none";
    if (exit_status == 0) return out;
    std::string_view first_debug, first_debug_kind, last_other;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.empty()) continue;
        const std::string_view kind = classify_ssh_error_line(line);
        if (is_debug(line)) {
            if (!kind.empty() && first_debug.empty()) first_debug = line, first_debug_kind = kind;
            continue;
        }
        if (!kind.empty()) {
            out.line = line;
            out.kind = kind;
            return out;
        }
        if (!is_chatter(line)) last_other = line;
    }
    if (!first_debug.empty()) {
        out.line = first_debug;
        out.kind = first_debug_kind;
    } else if (!last_other.empty()) {
        out.line = last_other;
        out.kind = "other";
    }
    return out;
}

}  // namespace sshpath::capture
