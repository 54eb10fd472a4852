#include "sshpath/capture/live.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "sshpath/capture/link_name.h"
#include "sshpath/capture/netlink.h"
#include "sshpath/packet/decoder.h"
#include "sshpath/posix/clock.h"
#include "sshpath/posix/privileges.h"

namespace sshpath::capture {

void decode_frame(int link_type, const RawFrame& frame, packet::Packet& out, ReadStats& stats) {
    out.number = ++stats.packets;
    out.time = frame.time();
    out.caplen = frame.caplen;
    out.wirelen = frame.wirelen;
    packet::decode(link_type, frame.data, out);
    // The same accounting as Reader::for_each, so live and file analyses report alike.
    const bool cut = frame.caplen < frame.wirelen;
    if (out.payload_truncated && !cut && !out.malformed) {
        out.malformed = true;
        out.problem = "IP length exceeds the frame";
    }
    if (out.malformed) ++stats.malformed;
    if (cut && (out.payload_truncated || out.malformed)) ++stats.snaplen_cut;
    if (cut) stats.cut_caplen = std::max(stats.cut_caplen, frame.caplen);
}

// --- the live handle ---------------------------------------------------------------------------

struct LiveCapture::Impl {
    pcap_t* pcap = nullptr;
    std::string interface;
    bpf_program program{};
    bool have_program = false;
    ReadStats stats;
    packet::Packet packet;
    const std::function<void(const packet::Packet&, const RawFrame&)>* fn = nullptr;
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
    if (!packet::link_type_supported(link)) {
        // Some interfaces offer several link types: take one the decoder reads.
        int* links = nullptr;
        const int n = pcap_list_datalinks(p, &links);
        for (int i = 0; i < n; ++i)
            if (packet::link_type_supported(links[i]) && pcap_set_datalink(p, links[i]) == 0) {
                link = links[i];
                break;
            }
        if (n > 0) pcap_free_datalinks(links);
        if (!packet::link_type_supported(link))
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

std::size_t LiveCapture::dispatch(const std::function<void(const packet::Packet&, const RawFrame&)>& fn) {
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

bool can_capture() { return posix::has_capability(CAP_NET_RAW); }

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

std::optional<std::string> route_interface(const packet::IpAddress& address) {
    const Route r = parse_route_answer(query_route(address, false));
    if (!r.found || r.interface.empty()) return std::nullopt;
    return r.interface;
}

bool is_local_address(const packet::IpAddress& address) {
    const Route r = parse_route_answer(query_route(address, false));
    return r.found && r.type == "local";
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

const char* dump_format_name(DumpFormat format) { return format == DumpFormat::kPcapng ? "pcapng" : "pcap"; }

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

namespace {

posix::Fd create_dump(const std::string& path) {
    posix::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid()) throw InputError(fmt::format("--write: cannot create '{}': {}", path, std::strerror(errno)));
    return fd;
}

}  // namespace

DumpWriter::DumpWriter(const std::string& path, DumpFormat format, int link_type, int snaplen, const std::string& interface,
                       const std::string& filter, const std::string& application)
    : DumpWriter(create_dump(path), path, format, link_type, snaplen, interface, filter, application) {}

DumpWriter::DumpWriter(posix::Fd fd, const std::string& path, DumpFormat format, int link_type, int snaplen,
                       const std::string& interface, const std::string& filter, const std::string& application)
    : path_(path), format_(format), fd_(std::move(fd)) {
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
    if (fd_.valid()) flush();
}

void DumpWriter::add(const RawFrame& frame, std::string_view comment) {
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
    if (!comment.empty()) {
        put_option(epb, 1, comment.substr(0, 65000));  // opt_comment
        put_option(epb, 0, "");
    }
    pending_ += block(kEpb, epb);
}

void DumpWriter::write_all(const std::string& bytes) {
    if (!error_.empty() || !fd_.valid()) return;
    if (const int e = posix::write_all(fd_.get(), bytes)) error_ = std::strerror(e);
}

void DumpWriter::flush() {
    if (pending_.empty()) return;
    write_all(pending_);
    pending_.clear();
}

void DumpWriter::close(const LiveStats& stats, const std::string& comment) {
    if (!fd_.valid()) return;
    flush();
    if (format_ == DumpFormat::kPcapng) {
        const auto now_usec = static_cast<std::int64_t>(posix::wall_now() * 1e6);
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
    // The last chance to learn that the data did not reach the disk (NFS, quotas).
    if (::close(fd_.release()) != 0 && error_.empty()) error_ = std::strerror(errno);
}

bool DumpWriter::chown(unsigned uid, unsigned gid) { return fd_.valid() && ::fchown(fd_.get(), uid, gid) == 0; }

}  // namespace sshpath::capture
