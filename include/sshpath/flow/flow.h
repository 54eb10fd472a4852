#pragma once
#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sshpath/core/boxed.h"
#include "sshpath/core/flat_map.h"
#include "sshpath/flow/gaps.h"
#include "sshpath/flow/wire.h"
#include "sshpath/packet/packet.h"
#include "sshpath/ssh/ssh.h"
#include "sshpath/ssh/stream.h"

namespace sshpath::flow {

using packet::IpAddress;

/// Who sent a packet of the flow.
enum class Side : std::uint8_t { kClient, kServer, kIcmp };
std::string_view side_name(Side s);  ///< "client", "server", "icmp"

/// What a notable packet of a connection was: the events of its timeline. The flow stage records
/// them as data; the report words them (report/timeline.h).
enum class EventKind : std::uint8_t {
    kSyn,            ///< the client's first SYN: options, ttl
    kSynRetransmit,  ///< a SYN sent again: count (1st, 2nd, ...), after_s; kAfterSynack
    kSynAck,         ///< options, ttl; kAgain, kNotOurs
    kRst,            ///< ttl, number (sequence number, relative when known); kHasAck, kOutOfWindow
    kHandshakeAck,   ///< the client's ACK of the SYN-ACK
    kDupAck,         ///< count (1st, 2nd, ...)
    kHoleFill,       ///< count bytes at stream offset `number`, filling a gap
    kRetransmit,     ///< count bytes at stream offset `number` sent again; kLastListed
    kFirstData,      ///< count bytes, text (the first line, printable)
    kFin,            ///< ttl
    kIcmp,           ///< an ICMP error quoting the flow: source, ttl, icmp_type, icmp_code, mtu; kIcmpV6, kQuotesClient
};
std::string_view event_name(EventKind k);  ///< "syn", "syn-retransmit", "synack", ...

/// Flags of a timeline event (a bit set).
enum EventFlag : std::uint8_t {
    kAfterSynack = 1,    ///< a SYN retransmitted after a SYN-ACK arrived
    kAgain = 2,          ///< a SYN-ACK that is not the first
    kNotOurs = 4,        ///< a SYN-ACK that does not acknowledge the client's SYN
    kHasAck = 8,         ///< a RST with ACK
    kOutOfWindow = 16,   ///< a server RST whose sequence number is outside the window
    kLastListed = 32,    ///< the last retransmission listed (later ones are not)
    kIcmpV6 = 64,        ///< ICMPv6
    kQuotesClient = 128, ///< the ICMP error quotes a packet the client sent
};

/// What a few events carry besides their packet: a SYN's or SYN-ACK's TCP options, an ICMP
/// error's sender, the first line of data.
struct EventDetail {
    packet::TcpOptions options;
    IpAddress source;  ///< kIcmp: who sent it
    std::string text;  ///< kFirstData: the first line
};

/// A notable packet as the flow table keeps it while the connection is open: TimelineEvent
/// without its detail, which the few events that have one keep in Flow::event_details. A server's
/// capture holds thousands of connections open at once, each with a dozen events.
struct EventRecord {
    static constexpr std::uint16_t kNoDetail = 0xffff;
    std::uint64_t packet = 0;
    double time = 0;     ///< absolute (pcap) time
    Side from = Side::kClient;
    EventKind kind = EventKind::kSyn;
    std::uint8_t flags = 0;          ///< EventFlag bits
    std::uint8_t ttl = 0;
    std::uint8_t icmp_type = 0, icmp_code = 0;
    std::uint16_t detail = kNoDetail;  ///< index in Flow::event_details (the flow table's only)
    std::uint32_t count = 0;         ///< ordinal or byte count (see EventKind)
    std::uint32_t mtu = 0;
    std::int64_t number = 0;         ///< sequence number or stream offset (see EventKind)
    double after_s = 0;
    bool has(EventFlag f) const { return (flags & f) != 0; }
};

/// One notable packet of a connection, for its timeline: the record with its detail.
struct TimelineEvent : EventRecord, EventDetail {};

/// A packet cited by number and time.
struct PacketRef {
    std::uint64_t packet = 0;
    double time = 0;
};

struct SynEvent {
    PacketRef ref;
    std::uint32_t seq = 0;
    std::uint8_t ttl = 0;
    packet::TcpOptions options;
};

struct RstEvent {
    PacketRef ref;
    Side from = Side::kClient;
    std::uint8_t ttl = 0;
    std::uint16_t ip_id = 0;
    std::uint32_t seq = 0, ack = 0;
    bool has_ack = false;
    bool seq_ok = false;       ///< in the receiver's window, or acknowledges the SYN
    bool before_synack = false;
    std::uint64_t server_bytes_before = 0;  ///< server stream bytes seen before it
    std::uint64_t client_bytes_before = 0;
    double after_client_data = -1;          ///< seconds since the client's last data segment
};

struct IcmpEvent {
    PacketRef ref;
    IpAddress source;
    std::uint8_t version = 4;  ///< 4: ICMP, 6: ICMPv6
    std::uint8_t type = 0, code = 0;
    std::uint8_t ttl = 0;
    std::uint32_t mtu = 0;
    bool quotes_client = true; ///< quotes a packet the client sent
};

/// One direction of the connection: sequence tracking and the reassembled stream head.
struct Direction {
    bool isn_known = false;          ///< the SYN (or SYN-ACK) of this direction was seen
    std::uint32_t isn = 0;
    bool base_known = false;         ///< stream offset 0 is known (ISN+1, or the first segment seen)
    std::uint32_t base = 0;          ///< sequence number of stream offset 0
    std::uint64_t contiguous = 0;    ///< bytes received in order from offset 0
    std::uint64_t max_end = 0;       ///< highest stream offset seen + 1
    std::vector<std::uint8_t> stream;   ///< first bytes of the stream, in order (capped)
    std::map<std::uint64_t, std::vector<std::uint8_t>> pending;  ///< out-of-order segments (capped)
    std::vector<std::pair<std::uint64_t, PacketRef>> segments;    ///< stream offset -> packet that carried it (capped)
    std::uint64_t packets = 0;
    std::uint64_t payload_bytes = 0;   ///< each stream byte once
    std::uint64_t retransmits = 0;     ///< segments entirely seen before
    std::uint64_t hole_fills = 0;      ///< segments that filled a gap (their first copy was lost before the capture point)
    std::uint64_t dup_acks = 0;
    std::uint32_t last_ack = 0;
    std::uint16_t last_window = 0;
    bool acked_anything = false;
    std::uint32_t max_segment = 0;
    int first_ttl = -1;
    bool ttl_varies = false;
    std::optional<PacketRef> first_data;
    std::optional<PacketRef> last_data;
    std::optional<PacketRef> fin;
    bool stream_capped = false;
    std::size_t kept = 0;            ///< stream bytes kept (stream is released once the SSH layer is read)
    std::size_t parse_at = 2048;     ///< stream size at which to look again whether the key exchange is over
    bool payload_cut = false;        ///< the snap length cut a segment
    std::uint64_t cut_bytes = 0;     ///< payload bytes the snap length cut away (retransmissions included)
    StreamGaps gaps;                 ///< bytes the receiver acknowledged that the capture never held
    std::optional<PacketRef> gap_ack;  ///< the first acknowledgement that showed such bytes
    /// The stream offset of a sequence number of this direction (negative: before offset 0),
    /// within 2 GiB of `base`.
    std::int64_t offset_of(std::uint32_t seq) const { return static_cast<std::int32_t>(seq - base); }
};

/// What the SSH layer showed for the flow, after any proxy handshake.
struct SshView {
    ssh::ProxyRequest proxy_request;
    ssh::ProxyReply proxy_reply;
    std::optional<PacketRef> proxy_request_ref, proxy_reply_ref;
    ssh::DirectionView client, server;
    std::optional<PacketRef> client_banner_ref, server_banner_ref, client_kexinit_ref, server_kexinit_ref;
    std::optional<PacketRef> disconnect_ref;
    bool disconnect_from_server = false;
    std::optional<ssh::Negotiated> negotiated;
    bool ssh1 = false;               ///< the identification strings lead to protocol 1
};

/// A client segment not yet acknowledged (or resent): a segment sent again and again and never
/// acknowledged is data lost on the way.
struct UnackedSegment {
    std::uint64_t offset = 0;  ///< stream offset of its first byte
    std::uint32_t length = 0;  ///< payload bytes
    std::uint32_t sends = 0;   ///< times sent
};

/// One TCP connection: the client is the side that sent the SYN (or, without a SYN, the side
/// not on the SSH port).
struct Flow {
    IpAddress client, server;
    std::uint16_t client_port = 0, server_port = 0;
    PacketRef first, last;
    Direction c2s, s2c;              ///< c2s: the client's bytes; s2c: the server's
    std::vector<SynEvent> syns;      ///< client SYNs
    std::vector<SynEvent> synacks;   ///< server SYN-ACKs
    std::optional<PacketRef> handshake_ack;  ///< the client's ACK of the SYN-ACK
    std::uint32_t syns_after_synack = 0;
    std::vector<RstEvent> rsts;
    std::vector<IcmpEvent> icmps;
    bool client_acks_unseen = false;
    bool server_acks_unseen = false;
    /// An ACK came before anything of the other direction: unseen data only if that direction
    /// never shows up (a capture started mid-connection sees the ACK of bytes sent before it).
    bool client_acked_early = false;
    bool server_acked_early = false;
    std::uint64_t client_unacked_max = 0;        ///< largest client segment (payload) retransmitted and never acknowledged
    std::uint32_t client_unacked_retransmits = 0;
    std::int64_t client_unacked_offset = -1;     ///< stream offset of that segment
    std::uint32_t client_max_acked_segment = 0;
    /// Bytes of the first gap in the client's stream that later bytes followed and nothing
    /// filled, read when the connection ends (0: none).
    std::uint64_t client_hole_bytes = 0;
    std::vector<EventRecord> timeline;           ///< notable packets (capped)
    std::vector<EventDetail> event_details;      ///< what some of them carry (EventRecord::detail)
    std::uint64_t timeline_omitted = 0;
    bool interesting = false;        ///< on the SSH port, speaks SSH, or asks a proxy for the SSH port
    bool ignored = false;            ///< decided not to be an SSH attempt: no more buffering
    Boxed<SshView> ssh;              ///< filled by FlowTable::finish() (or earlier, see encrypted)
    /// An established session found idle with both directions past NEWKEYS: its SSH view was
    /// read then and its byte buffers released, while the connection stays tracked.
    bool encrypted = false;
    /// Client segments awaiting acknowledgement, by stream start (ascending, each start once).
    std::vector<UnackedSegment> unacked;
    Wire wire;                       ///< link-layer addresses, tunnels, duplicate copies, MPTCP (wire.h)
};

/// Connections counted by server port, the same whatever order they are counted in. A few
/// ports are kept as a short list; past kFew distinct ports, as one count per port (256 KiB):
/// a small capture's analysis allocates and copies next to nothing, a port scan stays bounded.
class PortCounts {
public:
    static constexpr std::size_t kFew = 64;
    void add(std::uint16_t port, std::uint32_t count = 1);
    void add(const PortCounts& other);
    /// The port with the most connections (the lowest such port), or -1; with how many.
    std::pair<int, std::uint64_t> top() const;
    bool operator==(const PortCounts& o) const;

private:
    std::vector<std::pair<std::uint16_t, std::uint32_t>> few_;  ///< (port, count), unordered
    std::vector<std::uint32_t> all_;                          ///< by port, once past kFew ports
};

/// The SYN-ACKs a server's SSH port sent in the capture: the first two client addresses it
/// answered, each with its first SYN-ACK. Two are enough to name, for any one client, another
/// client the port answered.
struct PortAnswers {
    struct Answer {
        IpAddress client;
        PacketRef ref;  ///< the first SYN-ACK to that client
    };
    Answer first[2];
    std::uint8_t count = 0;
    /// A SYN-ACK to `a.client`: kept when it is among the first two clients, in packet order.
    void note(const Answer& a);
    /// The first answer to a client other than `client`, or nullptr.
    const Answer* other_than(const IpAddress& client) const;
};
/// Each server address's SSH port: a node per server, found once per SYN-ACK.
using PortAnswerMap = std::map<IpAddress, PortAnswers>;
/// The first answer of `server`'s SSH port to a client other than `client`, or nullptr.
const PortAnswers::Answer* answered_other(const PortAnswerMap& answers, const IpAddress& server, const IpAddress& client);

/// What the capture holds besides the SSH attempts kept: what an empty verdict reports.
struct OtherTraffic {
    std::uint64_t excluded_by_host = 0;     ///< SSH attempts to another server than --host
    std::string excluded_example;           ///< the first of them (by first packet), as addr:port
    std::uint64_t excluded_by_client = 0;   ///< SSH attempts (to --host, if given) from another client than --from
    std::string excluded_client_example;    ///< the first of them (by first packet): its client's address
    std::uint64_t other_protocol_on_ssh_port = 0;  ///< connections to the SSH port whose client spoke another protocol first
    /// Other TCP connections by server port (so that the busiest port is the same whatever order
    /// connections finish in).
    PortCounts server_ports;
    std::uint64_t packets_off_ssh_port = 0; ///< packets that are not TCP to or from the SSH port (ARP, ICMP, other ports)
    std::uint64_t icmp_packets = 0;         ///< ICMP and ICMPv6 packets, errors or not
    /// The server port of most other connections, or -1; with how many.
    std::pair<int, std::uint64_t> top_port() const { return server_ports.top(); }
};

struct FlowOptions {
    std::uint16_t ssh_port = 22;
    std::optional<IpAddress> host;     ///< only flows to this server address (or proxy target)
    std::string host_name;             ///< the --host text, matched against proxy targets
    std::optional<IpAddress> client;   ///< only flows from this client address (--from)
    std::size_t stream_cap = 64 * 1024;   ///< bytes kept per direction (and out-of-order bytes held)
    std::size_t max_flows = 10000;        ///< connections tracked at once that may be SSH attempts (non-SSH ones are freed); later ones are dropped (flow_cap_hit)
    std::size_t buffer_cap = 256 * 1024 * 1024;  ///< stream bytes buffered over all flows (buffer_cap_hit)
    std::size_t timeline_cap = 60;
    /// A connection with no packet for this long (capture time) is finished: an SSH attempt is
    /// summarised and its buffers released, anything else forgotten. An SSH session past its
    /// key exchange (NEWKEYS both ways) that has not begun to close is never finished by
    /// waiting, only lightened (its buffers released): a reset after a long idle time (a
    /// firewall's idle timeout) must still reach it. 120 s covers the longest gap between SYN
    /// retransmissions (64 s).
    double idle_s = 120;
    /// The same, sooner, for a connection that has closed (a RST, or a FIN each way). Short,
    /// because a server's capture closes hundreds of attempts a second and each one held here
    /// counts against max_flows.
    double closed_idle_s = 5;
    /// TCP packets between looks at the clock for idle connections; they are looked for at most
    /// once per min(1 s, closed_idle_s) of capture time, so that closed ones go soon after
    /// closed_idle_s (a server's capture closes hundreds a second).
    std::uint32_t sweep_every = 4096;
    /// Finished SSH attempts kept in memory; beyond this many, all of them go to a temporary
    /// file (FlowSpill) and come back one at a time (0: from the first one on).
    std::size_t spill_after = 64;
    /// Two identical IP packets this close in time are one packet captured twice (duplicates.h).
    double duplicate_window_s = 0.005;
    /// One capture's connections split over tables (threads) by a hash of their addresses and
    /// ports: this table follows the TCP connections of share `share` of `shares`, though it is
    /// given every packet (each share sees the same clock and duplicates). The neighbour table
    /// and the capture-wide wire counts are learnt by share 0 only, which answers for them. The
    /// shares' counts then add up to one table's (FlowTable::absorb) when split_exact() holds.
    unsigned share = 0, shares = 1;
};

class FlowSpill;

/// Builds flows from decoded packets.
class FlowTable {
public:
    explicit FlowTable(FlowOptions options) : options_(std::move(options)) {}

    void add(const packet::Packet& p);
    /// Reads the SSH layer of every flow, keeps the SSH attempts (filtered by host), returns them
    /// in order of their first packet. A deque: taking them from the front frees each in turn.
    /// When the attempts went to a temporary file (spill_after), the deque is empty and spill()
    /// holds them, in the same order.
    std::deque<Flow> finish();
    /// The temporary file holding the finished attempts, or nullptr while they fit in memory.
    std::shared_ptr<FlowSpill> spill() const { return spill_; }

    const FlowOptions& options() const { return options_; }
    std::uint64_t other_tcp_flows() const { return other_tcp_flows_; }
    const OtherTraffic& other_traffic() const { return other_; }
    /// TTL of the first SYN-ACK each server address sent, over every TCP connection of the
    /// capture (SSH or not): the reference for that server's hop distance.
    const std::map<IpAddress, std::uint8_t>& synack_ttls() const { return synack_ttls_; }
    /// The clients each server's SSH port (FlowOptions::ssh_port) answered with a SYN-ACK, by
    /// server address.
    const PortAnswerMap& port_answers() const { return port_answers_; }
    bool flow_cap_hit() const { return flow_cap_hit_; }
    /// Bytes were left unbuffered because the flows together reached buffer_cap.
    bool buffer_cap_hit() const { return buffer_cap_hit_; }
    /// ARP, neighbour discovery and router advertisements of the capture (first_hop() reads
    /// them); empty in a share other than the first (FlowOptions::share), as are wire_stats().
    const NeighbourTable& neighbours() const { return wire_.neighbours(); }
    /// Frames the capture held twice, dropped before they reached a connection.
    const DuplicateStats& duplicates() const { return wire_.duplicates(); }
    /// ARP, ND, tunnelled packets and MPTCP joins of the whole capture.
    const WireStats& wire_stats() const { return wire_.stats(); }

    /// Whether the shares of one capture (FlowOptions::shares), each given every packet and
    /// finished, followed their connections exactly as one table would have: no table limit
    /// could have been reached by their connections together (max_flows, buffer_cap), and no
    /// MPTCP connection (whose subflows may fall in another share) was seen. When not, the
    /// capture is to be read again by one table.
    static bool split_exact(std::span<const FlowTable* const> shares);
    /// Adds another share's counts to this one's (after both finished, split_exact()): the
    /// other connections, the first SYN-ACK of each server by packet number, the limits hit.
    /// What every share counts alike (duplicates, neighbours, packets) stays this table's.
    void absorb(const FlowTable& other);

private:
    struct Key {
        IpAddress a, b;
        std::uint16_t pa = 0, pb = 0;
        bool operator==(const Key& o) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    /// What the index holds for a connection: a live flow, or a tombstone that makes later
    /// packets of a connection already judged cost one look-up.
    enum class State : std::uint8_t {
        kLive,     ///< flow holds the connection
        kIgnored,  ///< not an SSH attempt: forgotten; removed once idle for idle_s (closed_idle_s once closing)
        kDone,     ///< an SSH attempt already summarised (in done_): removed as kIgnored
    };
    struct Entry {
        std::unique_ptr<Flow> flow;
        /// A live connection that sent only SYNs and has been quiet for closed_idle_s (a
        /// scanner's probe, a SYN awaiting its retransmission), kept as its bytes in the
        /// temporary-file format, runs of zeros squeezed (archive::pack_zeros), instead of a
        /// whole Flow until a packet or its end comes.
        std::unique_ptr<std::vector<char>> frozen;
        double last = 0;         ///< capture time of the connection's last packet
        State state = State::kLive;
        bool closing = false;    ///< a tombstone whose connection sent a FIN or RST: it goes sooner
        bool closed = false;     ///< a live connection closed (a RST, or a FIN each way): finished sooner
        bool swept = false;      ///< retired by the sweep under way
    };
    Key key_of(const IpAddress& s, std::uint16_t sp, const IpAddress& d, std::uint16_t dp) const;
    void add_tcp(const packet::Packet& p);
    // The functions declared inline below are defined in the one source that calls them
    // (flow_table.cpp, tcp_segment.cpp), on the path of every TCP packet.

    /// The live connection a TCP segment belongs to: the entry's, or a new one (a first segment,
    /// or a new connection on the same ports); nullptr when the segment is not followed (its
    /// connection was already judged, or max_flows is reached).
    inline Flow* connection_of(Entry& e, const Key& key, bool inserted, const packet::Packet& p);
    /// Starts a connection in its entry, unless max_flows connections are live (then nullptr).
    inline Flow* open_flow(Entry& e, const Key& key, const packet::Packet& p, bool syn_only);

    // One segment of a live connection through the TCP state machine (tcp_segment.cpp).
    struct Segment;
    void add_segment(Entry& e, Flow& f, const packet::Packet& p);
    /// What every segment counts: packets, TTLs, the wire, bytes the snap length cut.
    inline void count_segment(const Segment& s);
    inline void on_syn(const Segment& s);
    inline void on_synack(const Segment& s);
    inline void on_rst(const Segment& s);
    /// The acknowledgement of a segment: the handshake's, bytes the capture missed, duplicates.
    inline void on_ack(const Segment& s);
    /// What an acknowledgement up to stream offset `acked` says of the other direction.
    inline void note_acked(const Segment& s, std::int64_t acked);
    inline void on_data(const Segment& s);
    /// Payload at stream offset `off` and on: retransmissions, the first bytes, reassembly.
    inline void stream_bytes(const Segment& s, std::uint64_t off, std::uint32_t len);
    /// Counts a segment sent again, or one that filled a hole the capture missed.
    inline void count_resent(const Segment& s, std::uint64_t off, std::uint32_t len);
    /// Whether the connection may be an SSH attempt, from the first bytes of a direction.
    inline void judge_first_bytes(const Segment& s, std::uint64_t off);
    /// A segment that continues the bytes received in order (`buffer`: its bytes are kept).
    inline void append_in_order(const Segment& s, std::uint64_t off, bool buffer);
    /// Out-of-order segments that now continue the bytes in order.
    inline void merge_pending(Direction& dir, bool buffer);
    /// A segment beyond a hole: held until the hole is filled.
    inline void hold_out_of_order(const Segment& s, std::uint64_t off);
    /// Whether the sender's direction is past its key exchange, as its kept bytes grow.
    inline void look_for_newkeys(const Segment& s);
    inline void first_data_event(const Segment& s, std::uint32_t len);
    inline void on_fin(const Segment& s);

    void add_icmp(const packet::Packet& p);
    std::unique_ptr<Flow> new_flow(const packet::Packet& p, bool from_a_is_client);
    /// Forgets a live connection that cannot be an SSH attempt; its entry becomes a tombstone.
    void forget(Entry& e);
    /// After a packet: forgets the connection if it turned out not to be an SSH attempt.
    void settle(Entry& e);
    /// Takes a finished connection out of its entry: an SSH attempt is read and kept in done_
    /// with its buffers released (the entry becomes kDone), anything else is forgotten. Returns
    /// whether the entry should stay (as a tombstone).
    bool retire(Entry& e);
    /// An idle connection that is an SSH session past its key exchange: lightened, kept.
    bool keep_as_session(Flow& f);
    /// Both directions are past NEWKEYS: reads the SSH view for good and frees the bytes.
    void read_encrypted(Flow& flow);
    /// Retires idle connections, freezes quiet ones that only sent SYNs, drops idle tombstones.
    void sweep();
    /// Retires the connections of these entries in order of their first packet, the order they
    /// are read back in: the temporary file is then read mostly front to back, a block at a time.
    void retire_in_order(std::vector<Entry*>& entries);
    std::vector<Entry*> due_;  ///< the entries a sweep retires (the room kept)
    /// The live connection of an entry (thawed first if it was frozen).
    Flow& flow_of(Entry& e);
    inline std::size_t room(std::size_t held, std::size_t want);
    void add_buffered(std::size_t n) { peak_buffered_ = std::max(peak_buffered_, buffered_ += n); }
    /// Frees a connection's byte streams and maps (keep_acks: not the unacknowledged segments).
    void release_buffers(Flow& f, bool keep_acks = false);

    FlowOptions options_;
    FlatMap<Key, Entry, KeyHash> index_;
    std::deque<Flow> done_;          ///< finished SSH attempts, in no particular order
    std::shared_ptr<FlowSpill> spill_;  ///< where they go beyond spill_after
    bool spill_failed_ = false;      ///< no temporary file could be created: all stay in memory
    void keep(Flow&& f);
    std::size_t live_ = 0;           ///< entries holding a flow (counted against max_flows)
    std::uint32_t until_sweep_ = 0;  ///< TCP packets left before the next look for idle connections
    void advance_clock(double t);
    double now_ = 0;                 ///< latest capture time seen (see advance_clock)
    double jump_to_ = 0;             ///< earliest time of the packets far ahead of now_
    std::uint32_t packets_ahead_ = 0;
    bool clock_started_ = false;
    double next_sweep_ = 0;
    std::uint64_t other_tcp_flows_ = 0;
    OtherTraffic other_;
    std::uint64_t excluded_first_packet_ = 0;  ///< first packet of other_.excluded_example
    std::uint64_t excluded_client_first_packet_ = 0;  ///< first packet of other_.excluded_client_example
    /// Counts a connection that is not kept as an SSH attempt.
    void count_other(const Flow& f);
    std::map<IpAddress, std::uint8_t> synack_ttls_;
    /// With shares: the packet number of each server's first SYN-ACK (to merge synack_ttls_).
    std::map<IpAddress, std::uint64_t> synack_packets_;
    PortAnswerMap port_answers_;
    bool flow_cap_hit_ = false;
    // With shares: what split_exact() reads.
    std::size_t peak_live_ = 0;      ///< the most connections live at once
    std::size_t peak_buffered_ = 0;  ///< the most bytes buffered at once
    bool mptcp_seen_ = false;        ///< a TCP packet of any share carried an MPTCP option
    std::size_t buffered_ = 0;       ///< bytes in streams and out-of-order segments, over all flows
    bool buffer_cap_hit_ = false;
    WireTracker wire_{options_.duplicate_window_s, options_.share == 0};
    void count_duplicate(const packet::Packet& p, bool ttl_changed);
    void observe_wire(Flow& f, const packet::Packet& p, bool from_client);
};


// Field lists for temporary files (sshpath/core/archive.h).
using archive::field;
using archive::fields;

template <typename Ar>
void field(Ar& ar, EventRecord& v) {
    fields(ar, v.packet, v.time, v.from, v.kind, v.flags, v.ttl, v.icmp_type, v.icmp_code, v.detail, v.count, v.mtu,
           v.number, v.after_s);
}

template <typename Ar>
void field(Ar& ar, EventDetail& v) {
    fields(ar, v.options, v.source, v.text);
}

template <typename Ar>
void field(Ar& ar, TimelineEvent& v) {
    fields(ar, static_cast<EventRecord&>(v), static_cast<EventDetail&>(v));
}

template <typename Ar>
void field(Ar& ar, Direction& v) {
    fields(ar, v.isn_known, v.isn, v.base_known, v.base, v.contiguous, v.max_end, v.stream, v.pending, v.segments,
           v.packets, v.payload_bytes, v.retransmits, v.hole_fills, v.dup_acks, v.last_ack, v.last_window,
           v.acked_anything, v.max_segment, v.first_ttl, v.ttl_varies, v.first_data, v.last_data, v.fin,
           v.stream_capped, v.kept, v.parse_at, v.payload_cut, v.cut_bytes, v.gaps, v.gap_ack);
}

template <typename Ar>
void field(Ar& ar, SshView& v) {
    fields(ar, v.proxy_request, v.proxy_reply, v.proxy_request_ref, v.proxy_reply_ref, v.client, v.server,
           v.client_banner_ref, v.server_banner_ref, v.client_kexinit_ref, v.server_kexinit_ref, v.disconnect_ref,
           v.disconnect_from_server, v.negotiated, v.ssh1);
}

template <typename Ar>
void field(Ar& ar, Flow& v) {
    fields(ar, v.client, v.server, v.client_port, v.server_port, v.first, v.last, v.c2s, v.s2c, v.syns, v.synacks,
           v.handshake_ack, v.syns_after_synack, v.rsts, v.icmps, v.client_acks_unseen, v.server_acks_unseen, v.client_acked_early, v.server_acked_early,
           v.client_unacked_max, v.client_unacked_retransmits, v.client_unacked_offset, v.client_max_acked_segment, v.client_hole_bytes, v.timeline,
           v.event_details, v.timeline_omitted, v.interesting, v.ignored, v.ssh, v.encrypted, v.unacked, v.wire);
}

}  // namespace sshpath::flow
