#include "sshpath/probe/runner.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <random>

#include "sshpath/capture/link_name.h"
#include "sshpath/capture/live.h"
#include "sshpath/packet/decoder.h"
#include "sshpath/core/error.h"
#include "sshpath/probe/craft.h"
#include "sshpath/probe/match.h"
#include "sshpath/posix/clock.h"
#include "sshpath/posix/fd.h"
#include "sshpath/posix/signals.h"

namespace sshpath::probe {

namespace {

using posix::Fd;
using posix::monotonic_now;
using posix::wall_now;

/// A socket address for an IpAddress and port.
struct SockAddr {
    sockaddr_storage ss{};
    socklen_t len = 0;
    SockAddr(const IpAddress& a, int port) {
        if (a.version == 4) {
            auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
            sin->sin_family = AF_INET;
            sin->sin_port = htons(static_cast<std::uint16_t>(port));
            std::memcpy(&sin->sin_addr, a.bytes.data(), 4);
            len = sizeof(sockaddr_in);
        } else {
            auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
            sin6->sin6_family = AF_INET6;
            sin6->sin6_port = htons(static_cast<std::uint16_t>(port));
            std::memcpy(&sin6->sin6_addr, a.bytes.data(), 16);
            len = sizeof(sockaddr_in6);
        }
    }
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&ss); }
};

IpAddress from_sockaddr(const sockaddr* sa, int* port = nullptr) {
    if (sa->sa_family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
        if (port) *port = ntohs(sin->sin_port);
        return IpAddress::v4(reinterpret_cast<const std::uint8_t*>(&sin->sin_addr));
    }
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (port) *port = ntohs(sin6->sin6_port);
    return IpAddress::v6(reinterpret_cast<const std::uint8_t*>(&sin6->sin6_addr));
}

int family_of(const IpAddress& a) { return a.version == 4 ? AF_INET : AF_INET6; }

/// Our source address towards `dst` and the route's MTU, as the kernel chooses them.
void route_to(const IpAddress& dst, int port, IpAddress& source, int& mtu) {
    Fd s(socket(family_of(dst), SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (s.get() < 0) throw InputError(fmt::format("probe: cannot open a socket: {}", std::strerror(errno)));
    SockAddr sa(dst, port);
    if (connect(s.get(), sa.get(), sa.len) != 0)
        throw InputError(fmt::format("probe: no route to {}: {}", dst.to_string(), std::strerror(errno)));
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    getsockname(s.get(), reinterpret_cast<sockaddr*>(&local), &len);
    source = from_sockaddr(reinterpret_cast<sockaddr*>(&local));
    int value = 0;
    socklen_t vlen = sizeof value;
    mtu = 1500;
    if (dst.version == 4 ? getsockopt(s.get(), IPPROTO_IP, IP_MTU, &value, &vlen) == 0
                         : getsockopt(s.get(), IPPROTO_IPV6, IPV6_MTU, &value, &vlen) == 0)
        mtu = value;
}

/// The interface that holds `source`, "any" when none does.
std::string interface_of(const IpAddress& source) {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return "any";
    std::string name = "any";
    for (ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6)) continue;
        if (from_sockaddr(i->ifa_addr) == source) {
            name = i->ifa_name;
            break;
        }
    }
    freeifaddrs(list);
    return name;
}

/// A TCP socket bound to source:0: the kernel picks a free port, which stays ours while the
/// socket lives (no other connection can take it).
Fd bind_port(const IpAddress& source, int& port) {
    Fd s(socket(family_of(source), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (s.get() < 0) throw InputError(fmt::format("probe: cannot open a socket: {}", std::strerror(errno)));
    SockAddr sa(source, 0);
    if (bind(s.get(), sa.get(), sa.len) != 0)
        throw InputError(fmt::format("probe: cannot bind to {}: {}", source.to_string(), std::strerror(errno)));
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    getsockname(s.get(), reinterpret_cast<sockaddr*>(&local), &len);
    from_sockaddr(reinterpret_cast<sockaddr*>(&local), &port);
    return s;
}

bool printable_line(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c == '\t' || (c >= 0x20 && c < 0x7f); });
}

FirstBytes first_bytes_kind(const std::string& b) {
    if (b.empty()) return FirstBytes::kNone;
    if (b.rfind("SSH-", 0) == 0) return FirstBytes::kSsh;
    if (b.rfind("HTTP/", 0) == 0 || b.rfind("<", 0) == 0) return FirstBytes::kHttp;
    if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x16 && static_cast<unsigned char>(b[1]) == 0x03) return FirstBytes::kTls;
    const std::size_t n = std::min<std::size_t>(b.size(), 64);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(b[i]);
        if (c != '\r' && c != '\n' && c != '\t' && (c < 0x20 || c >= 0x7f)) return FirstBytes::kBinary;
    }
    return FirstBytes::kText;
}

class Runner {
public:
    Runner(const ProbeConfig& cfg, ProbeResult& res, posix::SignalPipe& signals)
        : cfg_(cfg), res_(res), signals_(signals), matcher_({}, 0) {}
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    void run();

private:
    void open_capture();
    /// Connects the test socket and reads what the server sends first, as ssh would.
    void run_connect();
    /// Connects `fd` to the target within the connect timeout; 0 or the errno of the failure.
    int connect_socket(int fd, double t0);
    /// Reads until the server's identification string, another protocol, or the end; true when
    /// bytes after the identification line arrived with it.
    bool read_banner(int fd, double t0);
    /// Watches briefly for what follows the identification string: data, a close or a reset.
    void read_after_banner(int fd, bool data_waiting);
    void run_trace(TraceRole role, const IpAddress& dst, int dport, int first_ttl, int max_ttl);
    void send_probe(std::size_t ti, int ttl, int index);
    Probe& probe_at(const ProbeRef& r) { return res_.traces[r.trace].hops[r.hop].probes[r.probe]; }
    /// Waits up to `seconds` for captured packets (or until `fd` is ready for `events`), handling them.
    bool pump(double seconds, int fd = -1, short events = 0);
    void handle(const packet::Packet& decoded, const capture::RawFrame& frame);
    double remaining() const { return deadline_ - monotonic_now(); }
    bool interrupted() const { return signals_.stop_count() > 0; }
    bool stopping() const { return interrupted() || remaining() <= 0; }
    void write_capture();

    const ProbeConfig& cfg_;
    ProbeResult& res_;
    posix::SignalPipe& signals_;
    Matcher matcher_;
    std::optional<capture::LiveCapture> cap_;
    std::optional<capture::DumpWriter> writer_;
    Fd raw_;
    Fd sport_holder_;
    Fd connect_sock_;
    int sport_ = 0, connect_port_ = 0;
    double deadline_ = 0;
    double next_send_ = 0;
    std::uint32_t seq_base_ = 0;
    std::uint16_t id_base_ = 0;
    std::uint32_t counter_ = 0;
    std::vector<std::pair<ProbeRef, double>> pending_;  ///< probes and their monotonic send times
    bool send_error_reported_ = false;
};

void Runner::run() {
    const double start = monotonic_now();
    deadline_ = start + cfg_.timeout_s;
    res_.started = wall_now();
    res_.target = cfg_.target;
    res_.address = cfg_.address;
    res_.port = cfg_.port;
    res_.control_port = cfg_.control_port;
    res_.max_hops = cfg_.max_hops;
    res_.probes_per_hop = cfg_.probes_per_hop;
    res_.rate = cfg_.rate;
    res_.edge_hop = cfg_.edge_hop;
    res_.edge_hop_given = cfg_.edge_hop > 0;

    int mtu = 1500;
    route_to(cfg_.address, cfg_.port, res_.source, mtu);
    res_.mss = std::max(536, mtu - (cfg_.address.version == 4 ? 40 : 60));
    sport_holder_ = bind_port(res_.source, sport_);
    connect_sock_ = bind_port(res_.source, connect_port_);
    matcher_ = Matcher(res_.source, static_cast<std::uint16_t>(sport_));
    matcher_.set_connect_port(static_cast<std::uint16_t>(connect_port_));
    std::random_device rd;
    seq_base_ = rd();
    id_base_ = static_cast<std::uint16_t>(rd());

    raw_ = Fd(socket(family_of(cfg_.address), SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW));
    if (raw_.get() < 0) {
        res_.raw_note = fmt::format("TTL probes skipped: raw sockets need root or CAP_NET_RAW ({}); run 'sudo sshpath "
                                    "probe ...' for the hop-by-hop path. The connect and banner test ran.",
                                    std::strerror(errno));
    } else {
        open_capture();
    }
    if (!cfg_.write_path.empty() && !cap_)
        res_.warnings.push_back(fmt::format("no capture written to {}: capturing needs root or CAP_NET_RAW", cfg_.write_path));

    run_connect();
    if (cap_ && cfg_.trace && !stopping()) {
        res_.raw = true;
        run_trace(TraceRole::kPort, cfg_.address, cfg_.port, 1, cfg_.max_hops);
        const Trace& port = res_.traces.front();
        bool syn_ack = false;
        int last_seen = 0;
        IpAddress last_addr;
        bool terminal = false;
        for (const auto& h : port.hops)
            for (const auto& p : h.probes) {
                if (p.reply.kind == ReplyKind::kSynAck && p.reply.from == cfg_.address) syn_ack = true;
                if (is_terminal(p.reply.kind)) terminal = true;
                if (p.reply.kind == ReplyKind::kTimeExceeded && p.ttl > last_seen) {
                    last_seen = p.ttl;
                    last_addr = p.reply.from;
                }
            }
        // The control trace separates "this port" from "this host" and measures how far the
        // host is; a SYN-ACK on the port needs neither.
        if (!syn_ack && cfg_.control_port > 0 && cfg_.control_port != cfg_.port && !stopping())
            run_trace(TraceRole::kControl, cfg_.address, cfg_.control_port, 1, cfg_.max_hops);
        // Does the last router that saw the SYN answer on the port itself?
        if (!terminal && last_seen > 0 && last_addr != cfg_.address && !stopping())
            run_trace(TraceRole::kLastHop, last_addr, cfg_.port, 64, 64);
        pump(0.2);
    } else if (!cfg_.trace) {
        res_.raw_note = "TTL probes skipped (--no-trace).";
    }
    res_.interrupted = interrupted();
    if (res_.interrupted) res_.warnings.push_back("interrupted: the report shows what was seen until then");
    else if (remaining() <= 0) res_.warnings.push_back(fmt::format("the time limit ({} s) ended the probes early", cfg_.timeout_s));
    res_.finished = wall_now();
    write_capture();
}

void Runner::open_capture() {
    res_.interface = cfg_.interface.empty() ? interface_of(res_.source) : cfg_.interface;
    const std::string filter = fmt::format("(tcp and (port {} or port {})) or icmp or icmp6", sport_, connect_port_);
    capture::LiveOptions options;
    options.interface = res_.interface;
    try {
        cap_.emplace(options);
        cap_->set_filter(filter);
    } catch (const InputError& e) {
        res_.raw_note = fmt::format("TTL probes skipped: {} (they need root or CAP_NET_RAW to see the answers)", e.what());
        res_.interface.clear();
        cap_.reset();
        return;
    }
    res_.link_type = cap_->link_type();
    if (!cfg_.write_path.empty())
        writer_.emplace(cfg_.write_path, capture::DumpFormat::kPcap, cap_->link_type(), cap_->snaplen(), res_.interface, filter,
                        "sshpath probe");
}

bool Runner::pump(double seconds, int fd, short events) {
    pollfd fds[3];
    nfds_t n = 0;
    fds[n++] = {signals_.fd(), POLLIN, 0};
    if (cap_) fds[n++] = {cap_->selectable_fd(), POLLIN, 0};
    const nfds_t mine = n;
    if (fd >= 0) fds[n++] = {fd, events, 0};
    const int ms = static_cast<int>(std::clamp(seconds, 0.0, 1.0) * 1000.0 + 0.999);
    const int rc = poll(fds, n, ms);
    signals_.take();  // counted by the pipe: stopping() sees them
    if (cap_) {
        try {
            while (cap_->dispatch([this](const packet::Packet& p, const capture::RawFrame& f) { handle(p, f); }) > 0) {
            }
            if (writer_) writer_->flush();
        } catch (const InputError& e) {
            res_.warnings.push_back(fmt::format("the capture stopped: {}", e.what()));
            cap_.reset();
        }
    }
    return rc > 0 && fd >= 0 && (fds[mine].revents != 0);
}

void Runner::handle(const packet::Packet& decoded, const capture::RawFrame& frame) {
    const Classified c = matcher_.classify(decoded);
    if (c.role == PacketRole::kIgnore) return;
    res_.packets.push_back({decoded.time, frame.wirelen, std::vector<std::uint8_t>(frame.data.begin(), frame.data.end())});
    if (writer_) writer_->add(frame);
    // Packet numbers count the packets kept (those of the capture file), not all captured.
    packet::Packet p = decoded;
    p.number = res_.packets.size();
    switch (c.role) {
    case PacketRole::kProbe: {
        Probe& probe = probe_at(*c.ref);
        probe.sent = p.time;
        probe.packet = p.number;
        break;
    }
    case PacketRole::kReply: record_reply(probe_at(*c.ref), p, p.number); break;
    case PacketRole::kConnect: {
        ConnectTest& ct = res_.connect;
        if (p.transport != packet::Transport::kTcp || p.src != cfg_.address) break;
        if (p.tcp.has(packet::kSyn) && p.tcp.has(packet::kAck) && ct.synack_packet == 0) {
            ct.synack_ttl = p.ttl;
            ct.synack_hops = hops_from_ttl(p.ttl);
            ct.synack_packet = p.number;
            ct.synack_time = p.time;
        } else if (p.tcp.has(packet::kRst) && ct.rst_packet == 0) {
            ct.rst_ttl = p.ttl;
            ct.rst_hops = hops_from_ttl(p.ttl);
            ct.rst_packet = p.number;
            ct.rst_time = p.time;
        }
        break;
    }
    default: break;
    }
}

ConnectResult connect_result_of(int err) {
    switch (err) {
    case 0: return ConnectResult::kConnected;
    case ETIMEDOUT: return ConnectResult::kTimeout;
    case ECONNREFUSED: return ConnectResult::kRefused;
    case EHOSTUNREACH:
    case ENETUNREACH: return ConnectResult::kUnreachable;
    default: return ConnectResult::kError;
    }
}

// Reads the complete lines of `all` from `line_start` on, until the server's identification
// string: the lines before it are counted and kept (the first 20), as ssh would skip them.
void take_banner_lines(ConnectTest& ct, const std::string& all, std::size_t& line_start, double t0) {
    std::size_t nl;
    while ((nl = all.find('\n', line_start)) != std::string::npos) {
        std::string line = all.substr(line_start, nl - line_start);
        line_start = nl + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.rfind("SSH-", 0) == 0) {
            ct.banner = line.substr(0, 255);
            ct.banner_outcome = BannerOutcome::kSsh;
            ct.banner_ms = (monotonic_now() - t0) * 1000.0 - ct.connect_ms;
            return;
        }
        ++ct.pre_banner_count;
        if (ct.pre_banner_lines.size() < 20)
            ct.pre_banner_lines.push_back(printable_line(line) ? line.substr(0, 120) : "(unprintable)");
    }
}

int Runner::connect_socket(int fd, double t0) {
    SockAddr sa(cfg_.address, cfg_.port);
    int err = 0;
    if (connect(fd, sa.get(), sa.len) != 0) err = errno;
    if (err == EINPROGRESS) {
        const double until = t0 + std::min(cfg_.connect_timeout_s, std::max(0.0, remaining()));
        err = ETIMEDOUT;
        while (!interrupted() && monotonic_now() < until) {
            if (pump(until - monotonic_now(), fd, POLLOUT)) {
                socklen_t len = sizeof err;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                break;
            }
        }
    }
    return err;
}

bool Runner::read_banner(int fd, double t0) {
    ConnectTest& ct = res_.connect;
    const double until = monotonic_now() + std::min(cfg_.banner_timeout_s, std::max(0.0, remaining()));
    std::string all;
    std::size_t line_start = 0;
    while (ct.banner_outcome == BannerOutcome::kNone) {
        if (interrupted() || monotonic_now() >= until) {
            ct.banner_outcome = all.empty() ? BannerOutcome::kTimeout : BannerOutcome::kNotSsh;
            break;
        }
        if (!pump(until - monotonic_now(), fd, POLLIN)) continue;
        char chunk[4096];
        const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            ct.banner_outcome = errno == ECONNRESET ? BannerOutcome::kReset : BannerOutcome::kClosed;
            break;
        }
        if (n == 0) {
            ct.banner_outcome = BannerOutcome::kClosed;
            break;
        }
        all.append(chunk, static_cast<std::size_t>(n));
        if (ct.first_bytes == FirstBytes::kNone) ct.first_bytes = first_bytes_kind(all);
        if (ct.first_bytes == FirstBytes::kHttp || ct.first_bytes == FirstBytes::kTls || ct.first_bytes == FirstBytes::kBinary) {
            ct.banner_outcome = BannerOutcome::kNotSsh;
            std::string first = all.substr(0, all.find('\n'));
            if (!first.empty() && first.back() == '\r') first.pop_back();
            if (printable_line(first)) ct.pre_banner_lines.push_back(first.substr(0, 120));
            break;
        }
        take_banner_lines(ct, all, line_start, t0);
        // OpenSSH gives up after 1024 lines or an overlong line: so do we.
        if (ct.banner_outcome == BannerOutcome::kNone && (ct.pre_banner_count > 1024 || all.size() - line_start > 8192))
            ct.banner_outcome = BannerOutcome::kNotSsh;
    }
    return all.size() > line_start;
}

void Runner::read_after_banner(int fd, bool data_waiting) {
    // The server's KEXINIT follows at once; a reset instead (e.g. an IPS that saw our
    // identification string) shows here.
    ConnectTest& ct = res_.connect;
    ct.after_banner = data_waiting ? AfterBanner::kData : AfterBanner::kNothing;
    const double grace = monotonic_now() + std::min(1.0, std::max(0.0, remaining()));
    while (ct.after_banner == AfterBanner::kNothing && !interrupted() && monotonic_now() < grace) {
        if (!pump(grace - monotonic_now(), fd, POLLIN)) continue;
        char chunk[4096];
        const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n > 0) ct.after_banner = AfterBanner::kData;
        else if (n == 0) ct.after_banner = AfterBanner::kClosed;
        else if (errno != EAGAIN && errno != EINTR) ct.after_banner = errno == ECONNRESET ? AfterBanner::kReset : AfterBanner::kClosed;
    }
}

void Runner::run_connect() {
    ConnectTest& ct = res_.connect;
    ct.ran = true;
    ct.sport = connect_port_;
    const int fd = connect_sock_.get();
    const double t0 = monotonic_now();
    const int err = connect_socket(fd, t0);
    ct.connect_ms = (monotonic_now() - t0) * 1000.0;
    ct.result = connect_result_of(err);
    if (err != 0) {
        ct.error = err == ETIMEDOUT ? fmt::format("no answer within {} s", cfg_.connect_timeout_s) : std::strerror(err);
        connect_sock_.reset();
        return;
    }
    // Like ssh: our identification string goes out at once, then we read the server's lines.
    static constexpr char kHello[] = "SSH-2.0-sshpath_probe\r\n";
    if (send(fd, kHello, sizeof kHello - 1, MSG_NOSIGNAL) < 0) {
        ct.banner_outcome = errno == ECONNRESET ? BannerOutcome::kReset : BannerOutcome::kClosed;
        connect_sock_.reset();
        return;
    }
    const bool data_waiting = read_banner(fd, t0);
    if (ct.banner_outcome == BannerOutcome::kSsh) read_after_banner(fd, data_waiting);
    connect_sock_.reset();
}

void Runner::send_probe(std::size_t ti, int ttl, int index) {
    Trace& t = res_.traces[ti];
    if (t.hops.empty() || t.hops.back().ttl != ttl) t.hops.push_back(Hop{ttl, {}});
    Hop& hop = t.hops.back();
    Probe probe;
    probe.ttl = ttl;
    probe.index = index;
    probe.seq = seq_base_ + counter_ * 1000u;
    probe.ip_id = static_cast<std::uint16_t>(id_base_ + counter_);
    ++counter_;
    SynSpec spec;
    spec.src = res_.source;
    spec.dst = t.destination;
    spec.sport = static_cast<std::uint16_t>(sport_);
    spec.dport = static_cast<std::uint16_t>(t.dport);
    spec.ttl = static_cast<std::uint8_t>(ttl);
    spec.seq = probe.seq;
    spec.ip_id = probe.ip_id;
    spec.mss = static_cast<std::uint16_t>(res_.mss);
    spec.ts_val = static_cast<std::uint32_t>(wall_now() * 1000.0);
    probe.bytes = build_syn(spec);
    probe.sent = wall_now();
    hop.probes.push_back(std::move(probe));
    const ProbeRef ref{ti, t.hops.size() - 1, hop.probes.size() - 1};
    matcher_.add(ref, hop.probes.back(), t.destination, static_cast<std::uint16_t>(t.dport));
    SockAddr sa(t.destination, 0);
    const auto& bytes = hop.probes.back().bytes;
    if (sendto(raw_.get(), bytes.data(), bytes.size(), 0, sa.get(), sa.len) < 0 && !send_error_reported_) {
        send_error_reported_ = true;
        res_.warnings.push_back(fmt::format("sending a probe failed: {} (a local firewall?)", std::strerror(errno)));
    }
    pending_.emplace_back(ref, monotonic_now());
}

void Runner::run_trace(TraceRole role, const IpAddress& dst, int dport, int first_ttl, int max_ttl) {
    const std::size_t ti = res_.traces.size();
    Trace t;
    t.role = role;
    t.destination = dst;
    t.dport = dport;
    t.sport = sport_;
    res_.traces.push_back(std::move(t));
    pending_.clear();
    int next_ttl = first_ttl, sent_in_hop = 0;
    const double min_gap = 1.0 / cfg_.rate;
    while (true) {
        if (interrupted()) {
            res_.traces[ti].stop_reason = TraceStop::kInterrupted;
            break;
        }
        if (remaining() <= 0) {
            res_.traces[ti].stop_reason = TraceStop::kTimeLimit;
            break;
        }
        int last_answered = first_ttl - 1, terminal_ttl = INT_MAX;
        for (const auto& h : res_.traces[ti].hops)
            for (const auto& p : h.probes) {
                if (p.reply.kind != ReplyKind::kNone) last_answered = std::max(last_answered, p.ttl);
                if (is_terminal(p.reply.kind)) terminal_ttl = std::min(terminal_ttl, p.ttl);
            }
        const bool more = next_ttl <= max_ttl && next_ttl < terminal_ttl && next_ttl <= last_answered + cfg_.gap_limit;
        const double now = monotonic_now();
        if (more && now >= next_send_) {
            send_probe(ti, next_ttl, sent_in_hop);
            next_send_ = now + min_gap;
            if (++sent_in_hop == cfg_.probes_per_hop) {
                ++next_ttl;
                sent_in_hop = 0;
            }
            pump(0);
            continue;
        }
        double wake = more ? next_send_ : now + 1.0;
        bool outstanding = false;
        for (const auto& [ref, sent] : pending_)
            if (probe_at(ref).reply.kind == ReplyKind::kNone && sent + cfg_.wait_s > now) {
                outstanding = true;
                wake = std::min(wake, sent + cfg_.wait_s);
            }
        if (!more && !outstanding) {
            res_.traces[ti].stop_reason = terminal_ttl != INT_MAX ? TraceStop::kAnswered
                                          : next_ttl > max_ttl    ? TraceStop::kMaxHops
                                                                  : TraceStop::kGapLimit;
            break;
        }
        pump(std::min(wake, deadline_) - now);
    }
}

void Runner::write_capture() {
    if (!writer_) return;
    writer_->close(cap_ ? cap_->kernel_stats() : capture::LiveStats{}, "");
    if (!writer_->error().empty())
        res_.warnings.push_back(fmt::format("could not write all of '{}': {}", cfg_.write_path, writer_->error()));
    res_.capture_file = cfg_.write_path;
}

}  // namespace

ProbeResult run_probe(const ProbeConfig& config) {
    posix::SignalPipe signals;
    ProbeResult result;
    Runner runner(config, result, signals);
    runner.run();
    return result;
}

}  // namespace sshpath::probe
