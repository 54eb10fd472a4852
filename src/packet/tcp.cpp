#include <algorithm>

#include "layers.h"

namespace sshpath::packet::detail {
namespace {

constexpr std::size_t kTcpHeader = 20;
constexpr std::uint8_t kOptMss = 2, kOptWscale = 3, kOptSackPermitted = 4, kOptTimestamps = 8, kOptMptcp = 30;

// RFC 8684 section 3: the subtype is the high nibble of the first byte after kind and length.
void decode_mptcp(Bytes v, MptcpOption& m) {
    if (v.empty()) return;
    const unsigned subtype = v[0] >> 4;
    if (subtype < 16) m.subtypes = static_cast<std::uint16_t>(m.subtypes | 1u << subtype);
    switch (static_cast<MptcpSubtype>(subtype)) {
    case MptcpSubtype::kCapable:
        // version | flags | sender's key (8) | receiver's key (8) | data-level length, checksum
        m.version = v[0] & 0x0f;
        if (v.size() >= 10) {
            m.keys = 1;
            m.sender_key = be64(v.data() + 2);
        }
        if (v.size() >= 18) {
            m.keys = 2;
            m.receiver_key = be64(v.data() + 10);
        }
        break;
    case MptcpSubtype::kJoin:
        // SYN: flags (B) | address id | receiver's token (4) | sender's random number (4): 10 bytes
        // SYN-ACK: 14 bytes, flags and address id too; third ACK: 22 bytes, no address id.
        if (v.size() != 10 && v.size() != 14) break;
        m.backup = (v[0] & 1) != 0;
        m.address_id = v[1];
        if (v.size() == 10) {
            m.has_token = true;
            m.token = be32(v.data() + 2);
        }
        break;
    default: break;
    }
}

bool known_option_length_ok(std::uint8_t kind, std::size_t data_len) {
    switch (kind) {
    case kOptMss: return data_len == 2;
    case kOptWscale: return data_len == 1;
    case kOptSackPermitted: return data_len == 0;
    case kOptTimestamps: return data_len == 8;
    default: return true;
    }
}

// The timestamps option's 8 bytes: TSval, TSecr.
void read_timestamps(const std::uint8_t* v, TcpOptions& opts) {
    opts.timestamps = true;
    opts.ts_val = be32(v);
    opts.ts_ecr = be32(v + 4);
}

void decode_tcp_options(Bytes captured, std::size_t header_len, Packet& out) {
    TcpOptions& opts = out.tcp.options;
    // The options of nearly every segment after the handshake (Linux, the BSDs, macOS): NOP,
    // NOP, timestamps, and nothing else. Read at once, as the walk below would read them.
    constexpr std::uint32_t kNopNopTimestamps = 0x0101080a;
    if (header_len == 12 && captured.size() == 12 && be32(captured.data()) == kNopNopTimestamps) {
        read_timestamps(captured.data() + 4, opts);
        ++opts.count;
        return;
    }
    TcpOptionReader reader(captured, header_len);
    std::uint8_t kind = 0;
    Bytes v;
    while (reader.next(kind, v)) {
        if (kind == 0 || kind == 1) continue;
        if (!known_option_length_ok(kind, v.size())) return fail(out, "bad TCP option length");
        switch (kind) {
        case kOptMss: opts.mss = be16(v.data()); break;
        case kOptWscale: opts.wscale = v[0]; break;
        case kOptSackPermitted: opts.sack_permitted = true; break;
        case kOptTimestamps: read_timestamps(v.data(), opts); break;
        case kOptMptcp: decode_mptcp(v, opts.mptcp); break;
        default: break;
        }
        ++opts.count;
    }
    if (reader.malformed()) fail(out, "bad TCP option length");
}

}  // namespace

void decode_tcp(Bytes l4, std::size_t wire_len, Packet& out) {
    if (l4.size() < kTcpHeader) {
        return fail(out, wire_len < kTcpHeader ? "IP payload too short for a TCP header" : "truncated TCP header");
    }
    const TcpFields h = read_tcp_header(l4);
    out.transport = Transport::kTcp;
    TcpHeader& tcp = out.tcp;
    tcp.sport = h.sport;
    tcp.dport = h.dport;
    tcp.seq = h.seq;
    tcp.ack = h.ack;
    tcp.flags = static_cast<std::uint8_t>(h.flags);
    tcp.window = h.window;
    const std::size_t doff = std::size_t{h.data_offset} * 4;
    if (doff < kTcpHeader) return fail(out, "bad TCP data offset");
    if (doff > wire_len) return fail(out, "TCP data offset beyond IP payload");
    decode_tcp_options(h.options, doff - kTcpHeader, out);
    if (doff > l4.size()) {
        // The header itself is sound, only the snap length cut its options: keep the packet
        // usable (a SYN under `-s 68` still shows a connection attempt) and flag the cut.
        out.payload = {};
        out.payload_wire_len = static_cast<std::uint32_t>(wire_len - doff);
        out.payload_truncated = true;
        return;
    }
    set_payload(out, l4.subspan(doff), wire_len - doff);
}

}  // namespace sshpath::packet::detail
