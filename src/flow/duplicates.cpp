#include "sshpath/flow/duplicates.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "sshpath/core/hash.h"

namespace sshpath::flow {
namespace {

// 32 KiB: the table stays in the first-level cache. 2048 packets within the window (400,000
// packets a second) before a copy can be missed.
constexpr std::size_t kSlots = 2048;  // a power of two
constexpr std::size_t kWays = 4;      // slots looked at per packet
// The first 32 bytes of the transport header: TCP ports, sequence and acknowledgement numbers,
// flags, window, the checksum (which covers the payload) and the timestamps option where Linux
// puts it; the ICMP header and the start of its quote. Enough to tell two different segments
// apart, little enough to hash on every packet.
constexpr std::size_t kHashedBytes = 32;

std::uint64_t word(const std::uint8_t* p, std::size_t n) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    return v;
}

// Everything a copy keeps and a retransmission changes; not the TTL, the link layer or the
// tunnels, which differ between two points of capture. Eight bytes at a time: this runs on
// every TCP and ICMP packet.
std::uint64_t key_of(const packet::Packet& p) {
    std::uint64_t h = hash::mix(0, std::uint64_t{p.ip_version} << 56 | std::uint64_t{p.ip_id} << 40 |
                                 std::uint64_t{p.ip_total_len} << 24 | static_cast<std::uint64_t>(p.transport) << 16);
    h = hash::mix(h, std::uint64_t{p.payload_wire_len} << 32 | p.transport_bytes.size());
    if (p.ip_version == 4) {
        h = hash::mix(h, word(p.src.bytes.data(), 4) << 32 | word(p.dst.bytes.data(), 4));
    } else {
        h = hash::mix(h, word(p.src.bytes.data(), 8));
        h = hash::mix(h, word(p.src.bytes.data() + 8, 8));
        h = hash::mix(h, word(p.dst.bytes.data(), 8));
        h = hash::mix(h, word(p.dst.bytes.data() + 8, 8));
    }
    const std::size_t n = std::min(p.transport_bytes.size(), kHashedBytes);
    const std::uint8_t* bytes = p.transport_bytes.data();
    // Whole words read as words: a copy of a variable length goes byte by byte through the
    // stack, and reading the word back from there waits for every byte store (a fifth of the
    // filter's time).
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) h = hash::mix(h, word(bytes + i, 8));
    if (i < n) h = hash::mix(h, word(bytes + i, n - i));
    return h | 0x100;  // never 0 in the top 56 bits
}

// Microseconds modulo 2^32, defined for any time stamp a file can hold (far future, negative, NaN).
std::uint32_t usec_mod32(double t) {
    if (!std::isfinite(t)) return 0;
    const double us = t * 1e6;
    // Any time stamp of this millennium: whole microseconds fit an int64_t exactly, and its low
    // 32 bits are the remainder (fmod costs more than the rest of the filter).
    if (std::fabs(us) < 0x1p53) return static_cast<std::uint32_t>(static_cast<std::int64_t>(std::floor(us)));
    double m = std::fmod(us, 4294967296.0);
    if (m < 0) m += 4294967296.0;
    if (!(m < 4294967296.0)) m = 0;
    return static_cast<std::uint32_t>(m);
}

}  // namespace

DuplicateFilter::DuplicateFilter(double window_s) : window_s_(window_s), slots_(kSlots) {}

DuplicateFilter::Result DuplicateFilter::check(const packet::Packet& p) {
    Result r;
    // Only what connections see: TCP segments and ICMP errors.
    if (p.fragment || (p.transport != packet::Transport::kTcp && p.transport != packet::Transport::kIcmp) ||
        window_s_ <= 0)
        return r;
    // The key's top 56 bits (never 0), the TTL in the low 8; time in microseconds, modulo 2^32
    // (a copy is compared within milliseconds).
    const std::uint64_t key = key_of(p) & ~std::uint64_t{0xff};
    const std::uint32_t usec = usec_mod32(p.time);
    const auto window = static_cast<std::int64_t>(window_s_ * 1e6);
    const bool identity = p.ip_version == 4 && p.ip_id != 0;
    if (!identity) ++anonymous_seen_;
    const std::size_t base = static_cast<std::size_t>(key >> 20) & (kSlots - kWays);
    Slot* oldest = &slots_[base];
    for (std::size_t i = 0; i < kWays; ++i) {
        Slot& s = slots_[base + i];
        // Time stamps of frames from several interfaces (-i any) are not always in order.
        const std::int64_t apart = static_cast<std::int32_t>(usec - s.usec);
        if ((s.key_ttl & ~std::uint64_t{0xff}) == key && apart <= window && apart >= -window) {
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
            r.ttl_changed = static_cast<std::uint8_t>(s.key_ttl) != p.ttl;
            ++stats_.frames;
            if (r.ttl_changed) ++stats_.ttl_changed;
            return r;
        }
        if (oldest->key_ttl != 0 && (s.key_ttl == 0 || static_cast<std::int32_t>(s.usec - oldest->usec) < 0)) oldest = &s;
    }
    *oldest = Slot{key | p.ttl, usec};
    return r;
}

}  // namespace sshpath::flow
