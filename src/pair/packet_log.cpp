#include "sshpath/pair/packet_log.h"

#include <algorithm>

#include "sshpath/evidence/extract.h"

namespace sshpath::pair {

std::string Endpoint::text() const { return evidence::endpoint(address, port); }

namespace {

// FNV-1a: enough to tell the same bytes from other bytes between two captures.
std::uint64_t hash_bytes(std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) return 0;
    std::uint64_t h = 14695981039346656037ull;
    for (std::uint8_t b : bytes) h = (h ^ b) * 1099511628211ull;
    return h ? h : 1;
}

}  // namespace

void PacketLog::add(const packet::Packet& p) {
    if (packets_ == 0) start_ = end_ = p.time;
    ++packets_;
    start_ = std::min(start_, p.time);
    end_ = std::max(end_, p.time);
    if (p.arp.op != 0 && std::find(arp_senders_.begin(), arp_senders_.end(), p.arp.sender_ip) == arp_senders_.end() &&
        arp_senders_.size() < 64)
        arp_senders_.push_back(p.arp.sender_ip);
    if (p.ip_version == 0 || p.fragment) return;
    if (p.transport == packet::Transport::kTcp) {
        if (tcp_.size() >= limit_) {
            ++dropped_;
            return;
        }
        TcpRecord r;
        r.packet = p.number;
        r.time = p.time;
        r.src = {p.src, p.tcp.sport};
        r.dst = {p.dst, p.tcp.dport};
        r.ip_version = p.ip_version;
        r.ttl = p.ttl;
        r.ip_id = p.ip_id;
        r.flags = p.tcp.flags;
        r.window = p.tcp.window;
        r.seq = p.tcp.seq;
        r.ack = p.tcp.ack;
        r.options = p.tcp.options;
        r.payload_len = p.payload_wire_len;
        r.payload_hash = hash_bytes(p.payload);
        tcp_.push_back(r);
    } else if (p.transport == packet::Transport::kIcmp && p.icmp.is_error && p.icmp.quote.valid &&
               p.icmp.quote.protocol == 6 && icmp_.size() < limit_) {
        icmp_.push_back(IcmpRecord{p.number, p.time, p.src, p.dst, p.ttl, p.icmp.type, p.icmp.code, p.ip_version == 6,
                                   p.icmp.quote});
    }
}

}  // namespace sshpath::pair
