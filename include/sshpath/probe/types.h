#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sshpath/packet/packet.h"

/// Active probing: what was sent, what came back. The runner (runner.h) fills these structures
/// from the wire; observe() and decide() (decide.h) turn them into a verdict; render.h prints it.
/// Nothing here judges: these are observations.
namespace sshpath::probe {

using packet::IpAddress;

/// What answered one probe.
enum class ReplyKind : std::uint8_t {
    kNone,          ///< nothing within the wait
    kTimeExceeded,  ///< ICMP time exceeded (type 11) / ICMPv6 (type 3): a router on the way
    kUnreachable,   ///< ICMP destination unreachable (type 3) / ICMPv6 (type 1)
    kOtherIcmp,     ///< another ICMP error quoting the probe (parameter problem, too big)
    kSynAck,        ///< a SYN-ACK: something accepts the connection
    kRst,           ///< a RST: something refuses it
};

/// "none", "time-exceeded", "unreachable", "icmp", "syn-ack", "rst".
std::string_view reply_kind_name(ReplyKind kind);

/// True for answers that end a path (everything but time exceeded and silence).
inline bool is_terminal(ReplyKind k) { return k != ReplyKind::kNone && k != ReplyKind::kTimeExceeded; }

/// A header field that differs between the probe as sent and the probe as a router quoted it
/// in its ICMP error: a middlebox on the way changed it.
struct FieldChange {
    std::string field;   ///< mss, wscale, sack-permitted, timestamps, options, window, seq, ack, tcp-flags, ttl, ...
    std::string sent;    ///< value as sent, as text
    std::string quoted;  ///< value as quoted
    bool operator==(const FieldChange&) const = default;
};

/// The answer to one probe.
struct Reply {
    ReplyKind kind = ReplyKind::kNone;
    IpAddress from;                ///< who sent it
    int ttl = -1;                  ///< TTL / hop limit it arrived with
    int hops = -1;                 ///< its sender's hop distance: guessed initial TTL (64, 128, 255) minus ttl
    double time = 0;               ///< seconds since the epoch (capture clock)
    int icmp_type = -1, icmp_code = -1;
    std::string icmp_kind;         ///< for unreachable: admin-prohibited, port-unreachable, ... (see icmp_kind_name)
    std::size_t packet = 0;        ///< packet number in the probe's capture (1-based), 0 if not captured
    std::size_t quote_bytes = 0;   ///< bytes of the probe the ICMP error quoted
    bool quote_full = false;       ///< the quote holds the whole TCP header with its options
    std::vector<FieldChange> changes;  ///< what the quote shows a middlebox changed
    int duplicates = 0;            ///< further answers to the same probe (ignored)
};

/// One probe: a SYN sent with a given TTL / hop limit.
struct Probe {
    int ttl = 0;
    int index = 0;                 ///< 0-based within its hop
    std::uint32_t seq = 0;         ///< TCP sequence number (tells probes apart; the flow stays fixed)
    std::uint16_t ip_id = 0;       ///< IPv4 identification (also unique per probe)
    double sent = 0;               ///< seconds since the epoch: capture time when captured, else send time
    std::size_t packet = 0;        ///< its packet number in the capture, 0 if not captured
    std::vector<std::uint8_t> bytes;  ///< the packet as sent, from the IP header on
    Reply reply;
    /// Milliseconds from probe to reply, -1 without a reply.
    double rtt_ms() const { return reply.kind == ReplyKind::kNone ? -1 : (reply.time - sent) * 1000.0; }
};

/// The probes of one TTL.
struct Hop {
    int ttl = 0;
    std::vector<Probe> probes;
};

/// Which trace: the SSH port, the control port of the same host, or a SYN to the last hop that
/// answered (sent with a normal TTL, to see whether that router itself answers on the port).
enum class TraceRole : std::uint8_t { kPort, kControl, kLastHop };
std::string_view trace_role_name(TraceRole role);  ///< "port", "control", "last-hop"

/// Why a trace stopped.
enum class TraceStop : std::uint8_t { kNotStopped, kAnswered, kGapLimit, kMaxHops, kTimeLimit, kInterrupted };
/// "", "answered", "gap limit", "max hops", "time limit", "interrupted".
std::string_view trace_stop_name(TraceStop stop);

/// Probes to one destination port with increasing TTL (Paris traceroute: addresses and ports
/// stay fixed for every probe, only the sequence number and IP ID change).
struct Trace {
    TraceRole role = TraceRole::kPort;
    IpAddress destination;
    int dport = 0;
    int sport = 0;
    std::vector<Hop> hops;
    TraceStop stop_reason = TraceStop::kNotStopped;
    bool ran() const { return !hops.empty(); }
};

/// How the connect test's TCP connect ended.
enum class ConnectResult : std::uint8_t { kNotRun, kConnected, kRefused, kTimeout, kUnreachable, kError };
/// "not-run", "connected", "refused", "timeout", "unreachable", "error".
std::string_view connect_result_name(ConnectResult result);

/// What the server sent after the connect, until its identification string.
enum class BannerOutcome : std::uint8_t { kNone, kSsh, kClosed, kReset, kTimeout, kNotSsh };
/// "" (not connected), "ssh", "closed", "reset", "timeout", "not-ssh".
std::string_view banner_outcome_name(BannerOutcome outcome);

/// What came in the second after the server's identification string.
enum class AfterBanner : std::uint8_t { kNone, kData, kNothing, kClosed, kReset };
/// "" (no identification string), "data" (the key exchange), "nothing", "closed", "reset".
std::string_view after_banner_name(AfterBanner after);

/// What the server's first bytes look like.
enum class FirstBytes : std::uint8_t { kNone, kSsh, kHttp, kTls, kText, kBinary };
/// "" (none), "ssh", "http", "tls", "text", "binary".
std::string_view first_bytes_name(FirstBytes kind);

/// The TCP connect and SSH identification test (what `telnet host 22` shows, done like ssh does:
/// our identification string goes out right after the connect).
struct ConnectTest {
    bool ran = false;
    ConnectResult result = ConnectResult::kNotRun;
    std::string error;             ///< the system's words when not connected (strerror)
    double connect_ms = -1;        ///< milliseconds until connected or failed
    int sport = 0;                 ///< its local port
    BannerOutcome banner_outcome = BannerOutcome::kNone;
    std::string banner;            ///< the server's identification string, without CR LF
    std::vector<std::string> pre_banner_lines;  ///< lines before it (at most 20 kept, printable)
    int pre_banner_count = 0;      ///< all lines before it
    FirstBytes first_bytes = FirstBytes::kNone;
    double banner_ms = -1;         ///< milliseconds from connect to the identification string
    AfterBanner after_banner = AfterBanner::kNone;
    // From the capture (root only): hop distances that tell a forged reset from the server's own.
    int synack_ttl = -1, synack_hops = -1;
    std::size_t synack_packet = 0;
    double synack_time = 0;
    int rst_ttl = -1, rst_hops = -1;
    std::size_t rst_packet = 0;
    double rst_time = 0;
};

/// A packet kept for the capture file: every probe, every answer, the connect test's packets.
struct CapturedPacket {
    double time = 0;
    std::uint32_t wirelen = 0;
    std::vector<std::uint8_t> data;  ///< the frame as captured (link header on)
};

/// Everything one `sshpath probe` run observed.
struct ProbeResult {
    std::string target;            ///< as given (name or address)
    IpAddress address;             ///< the address probed
    IpAddress source;              ///< our address towards it
    std::string interface;         ///< interface captured on ("" without capture)
    int port = 22;
    int control_port = 443;        ///< 0: none
    int mss = 1460;                ///< MSS option the probes carry (route MTU minus headers)
    int max_hops = 30, probes_per_hop = 2;
    double rate = 20;
    bool raw = false;              ///< the TTL probes ran (root or CAP_NET_RAW)
    std::string raw_note;          ///< why they did not, when not
    int edge_hop = 0;              ///< the organisation's edge: --edge-hop, else 0 until observe() guessed it (decide.h)
    bool edge_hop_given = false;
    ConnectTest connect;
    std::vector<Trace> traces;     ///< port first, then control and last-hop when they ran
    int link_type = -1;            ///< of the capture, -1 without one
    std::vector<CapturedPacket> packets;  ///< packet numbers are 1-based indices into this
    std::string capture_file;      ///< --write FILE, "" when none was written
    double started = 0, finished = 0;
    bool interrupted = false;
    std::vector<std::string> warnings;

    const Trace* trace(TraceRole role) const {
        for (const auto& t : traces)
            if (t.role == role) return &t;
        return nullptr;
    }
};

/// Hop distance from a TTL: the next common initial TTL (64, 128, 255) minus it; -1 for ttl < 0.
int hops_from_ttl(int ttl);
/// ICMP/ICMPv6 destination-unreachable code in words (admin-prohibited, port-unreachable, ...).
std::string icmp_kind_name(int ip_version, int type, int code);
/// RFC 1918, RFC 6598 (shared), link-local, loopback and IPv6 ULA / link-local addresses.
bool is_private(const IpAddress& a);

}  // namespace sshpath::probe
