#pragma once
#include <cstdint>

namespace sshpath::packet {

/// TCP flag bits as on the wire.
enum TcpFlag : std::uint8_t {
    kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kUrg = 0x20, kEce = 0x40, kCwr = 0x80
};

/// MPTCP option subtypes (RFC 8684, section 3).
enum class MptcpSubtype : std::uint8_t {
    kCapable = 0, kJoin = 1, kDss = 2, kAddAddr = 3, kRemoveAddr = 4, kPrio = 5, kFail = 6, kFastClose = 7,
    kTcpRst = 8,
};

/// What the MPTCP options (TCP option kind 30) of one segment carried.
struct MptcpOption {
    std::uint16_t subtypes = 0;       ///< bit (1 << subtype) for each subtype seen; 0: no MPTCP option
    std::uint8_t version = 0;         ///< MP_CAPABLE: protocol version (0: RFC 6824, 1: RFC 8684)
    std::uint8_t keys = 0;            ///< MP_CAPABLE: keys carried (0, 1 or 2)
    std::uint64_t sender_key = 0;     ///< MP_CAPABLE: the sender's key (when keys >= 1)
    std::uint64_t receiver_key = 0;   ///< MP_CAPABLE: the receiver's key (third ACK, keys == 2)
    bool has_token = false;           ///< MP_JOIN on a SYN: carries the receiver's token
    std::uint32_t token = 0;          ///< MP_JOIN SYN: token of the connection joined
    std::uint8_t address_id = 0;      ///< MP_JOIN: the sender's address id
    bool backup = false;              ///< MP_JOIN: the subflow is a backup path
    bool has(MptcpSubtype s) const { return (subtypes & (1u << static_cast<unsigned>(s))) != 0; }
};

/// TCP options of interest (present only when the option was seen).
struct TcpOptions {
    int mss = -1;            ///< -1: absent
    int wscale = -1;         ///< -1: absent
    bool sack_permitted = false;
    bool timestamps = false;
    std::uint32_t ts_val = 0;
    std::uint32_t ts_ecr = 0;
    std::uint8_t count = 0;  ///< number of options parsed (NOP/EOL excluded)
    MptcpOption mptcp;
};

struct TcpHeader {
    std::uint16_t sport = 0, dport = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    TcpOptions options;
    bool has(TcpFlag f) const { return (flags & f) != 0; }
};

}  // namespace sshpath::packet
