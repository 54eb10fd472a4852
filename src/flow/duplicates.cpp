#include "sshpath/flow/duplicates.h"

#include <algorithm>
#include <cmath>

namespace sshpath::flow {
namespace {

constexpr std::size_t kSlots = 4096;  // a power of two
constexpr std::size_t kWays = 4;      // slots looked at per packet
// The TCP header with its options and the first payload bytes: enough to tell any two
// different segments apart, little enough to hash on every packet.
constexpr std::size_t kHashedBytes = 96;

struct Hasher {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
    void bytes(const std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    template <typename T>
    void value(T v) {
        for (std::size_t i = 0; i < sizeof v; ++i) h = (h ^ static_cast<std::uint8_t>(v >> (8 * i))) * 0x100000001b3ULL;
    }
};

// Everything a copy keeps and a retransmission changes; not the TTL, the link layer or the
// tunnels, which differ between two points of capture.
std::uint64_t key_of(const packet::Packet& p) {
    Hasher h;
    h.value(p.ip_version);
    h.bytes(p.src.bytes.data(), p.src.bytes.size());
    h.bytes(p.dst.bytes.data(), p.dst.bytes.size());
    h.value(p.ip_id);
    h.value(p.ip_total_len);
    h.value(static_cast<std::uint8_t>(p.transport));
    h.value(p.payload_wire_len);
    h.value(static_cast<std::uint64_t>(p.transport_bytes.size()));
    h.bytes(p.transport_bytes.data(), std::min(p.transport_bytes.size(), kHashedBytes));
    return h.h | 1;  // never 0
}

}  // namespace

DuplicateFilter::DuplicateFilter(double window_s) : window_s_(window_s), slots_(kSlots) {}

DuplicateFilter::Result DuplicateFilter::check(const packet::Packet& p) {
    Result r;
    if (p.ip_version == 0 || p.fragment || p.transport_bytes.empty() || window_s_ <= 0) return r;
    const std::uint64_t key = key_of(p);
    const bool identity = p.ip_version == 4 && p.ip_id != 0;
    if (!identity) ++anonymous_seen_;
    const std::size_t base = static_cast<std::size_t>(key >> 20) & (kSlots - kWays);
    Slot* oldest = &slots_[base];
    for (std::size_t i = 0; i < kWays; ++i) {
        Slot& s = slots_[base + i];
        // Time stamps of frames from several interfaces (-i any) are not always in order.
        if (s.used && s.key == key && std::fabs(p.time - s.time) <= window_s_) {
            if (identity) {
                stats_.capture_duplicates = true;
            } else {
                ++anonymous_twins_;
                if (p.ip_version == 6 && anonymous_twins_ >= 2 && 3 * anonymous_twins_ >= anonymous_seen_)
                    stats_.capture_duplicates = true;
                if (!stats_.capture_duplicates) {
                    ++stats_.identical_kept;
                    return r;
                }
            }
            r.duplicate = true;
            r.ttl_changed = s.ttl != p.ttl;
            ++stats_.frames;
            if (r.ttl_changed) ++stats_.ttl_changed;
            return r;
        }
        if (oldest->used && (!s.used || s.time < oldest->time)) oldest = &s;
    }
    *oldest = Slot{key, p.time, p.ttl, true};
    return r;
}

}  // namespace sshpath::flow
