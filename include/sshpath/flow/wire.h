#pragma once
#include <cstdint>
#include <unordered_map>

#include "sshpath/flow/duplicates.h"
#include "sshpath/flow/neighbours.h"
#include "sshpath/packet/packet.h"

namespace sshpath::flow {

struct Flow;

/// A connection's MPTCP signalling (RFC 8684). An MPTCP connection starts as one TCP
/// connection (MP_CAPABLE on its SYN) and may add subflows: TCP connections whose SYN carries
/// MP_JOIN with the token of the connection they join. A subflow carries the middle of that
/// connection's byte stream, so it holds no SSH identification string of its own.
struct MptcpFlow {
    bool capable = false;           ///< MP_CAPABLE on the client's SYN
    bool accepted = false;          ///< MP_CAPABLE on the server's SYN-ACK too: the connection is MPTCP
    std::uint8_t version = 0;       ///< MP_CAPABLE version (1: RFC 8684)
    bool client_key_known = false, server_key_known = false;
    std::uint64_t client_key = 0, server_key = 0;
    bool join = false;              ///< MP_JOIN on the client's SYN: a subflow of an MPTCP connection
    bool join_token_known = false;
    std::uint32_t join_token = 0;   ///< the token the SYN named
    bool joined_found = false;      ///< the connection joined is in the capture (its keys give the token)
    packet::IpAddress joined_client, joined_server;  ///< that connection
    std::uint16_t joined_client_port = 0, joined_server_port = 0;
    std::uint64_t joined_first_packet = 0;
    std::uint32_t subflows = 0;     ///< subflows seen joining this connection while it was tracked
    bool dss = false;               ///< data sequence signals: the bytes belong to the MPTCP connection's stream
};

/// What a connection's frames showed besides TCP (trivially copyable: spilled as bytes).
struct Wire {
    packet::LinkAddresses client_link;  ///< link-layer addresses of the client's first packet (its SYN)
    packet::LinkAddresses server_link;  ///< of the server's first packet
    packet::TunnelStack tunnel;         ///< the tunnels around the connection's first packet
    bool tunnel_changed = false;        ///< a later packet came through other tunnels, or none
    std::uint32_t duplicates = 0;       ///< copies of its packets dropped (DuplicateFilter)
    std::uint32_t duplicates_ttl_changed = 0;  ///< of which with another TTL
    /// The TTL of a dropped copy of the client's (server's) packets whose TTL differed from the
    /// kept copy's (-1: none): the capture saw them on both sides of a router. The kept copy is
    /// the first one captured, whose TTL the connection's other fields show.
    int client_copy_ttl = -1, server_copy_ttl = -1;
    MptcpFlow mptcp;
};

/// Capture-wide counts of what the link and tunnel layers held.
struct WireStats {
    std::uint64_t arp = 0;          ///< ARP messages
    std::uint64_t nd = 0;           ///< IPv6 neighbour discovery messages
    std::uint64_t tunnelled = 0;    ///< packets decoded inside at least one tunnel
    std::uint64_t mptcp_joins = 0;  ///< SYNs with MP_JOIN
    std::uint64_t mptcp_joins_unmatched = 0;  ///< of which naming a token of no connection in the capture
};

/// The flow table's companion for everything below TCP: drops duplicate frames, keeps the
/// neighbour table, and fills each connection's Wire.
class WireTracker {
public:
    /// capture_wide false: only drops copies and fills connections, without learning the
    /// neighbour table or counting the capture-wide stats (a share of a split capture other than
    /// the first, whose table answers for them: FlowOptions::share).
    explicit WireTracker(double duplicate_window_s, bool capture_wide = true)
        : duplicates_(duplicate_window_s), capture_wide_(capture_wide) {}

    /// Called for every packet first: false for a copy of a packet just seen (not to be
    /// analysed; `copy` says whether its TTL differed); otherwise learns neighbours and counts.
    bool admit(const packet::Packet& p, DuplicateFilter::Result& copy);
    /// Called for each packet of a connection (from_client: sent by its client): fills f.wire.
    /// An MP_JOIN SYN is matched here to the connection whose token it names.
    void observe(Flow& f, const packet::Packet& p, bool from_client);

    const NeighbourTable& neighbours() const { return neighbours_; }
    const DuplicateStats& duplicates() const { return duplicates_.stats(); }
    const WireStats& stats() const { return stats_; }

private:
    void observe_mptcp(Flow& f, const packet::Packet& p, bool from_client);

    DuplicateFilter duplicates_;
    bool capture_wide_;
    NeighbourTable neighbours_;
    WireStats stats_;
    struct Joined {
        packet::IpAddress client, server;
        std::uint16_t client_port = 0, server_port = 0;
        std::uint64_t first_packet = 0;
    };
    std::unordered_map<std::uint32_t, Joined> tokens_;  ///< MPTCP token -> its connection
};

/// The MPTCP token of a key (RFC 8684 section 3.2: the most significant 32 bits of the key's
/// SHA-256).
std::uint32_t mptcp_token(std::uint64_t key);

}  // namespace sshpath::flow
