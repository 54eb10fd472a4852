#include "sshpath/pair/match.h"

#include <algorithm>
#include <cmath>

namespace sshpath::pair {

namespace {

using packet::kAck;
using packet::kSyn;

// The client's SYN timestamp values in one capture.
std::vector<std::uint32_t> syn_tsvals(const PacketLog& log, const Connection& c) {
    std::vector<std::uint32_t> out;
    for (std::size_t i : c.segments) {
        const TcpRecord& r = log.tcp()[i];
        if (r.has(kSyn) && !r.has(kAck) && c.from_client(r) && r.options.timestamps) out.push_back(r.options.ts_val);
    }
    return out;
}

bool same_payload(const PacketLog& near, std::optional<std::size_t> a, const PacketLog& far, std::optional<std::size_t> b) {
    if (!a || !b) return false;
    const TcpRecord &x = near.tcp()[*a], &y = far.tcp()[*b];
    return x.payload_len == y.payload_len && x.payload_hash == y.payload_hash;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Sequence and timestamp deltas of a match, and whether a middlebox rewrote them.
void fill_deltas(const PacketLog& near, const Connection& a, const PacketLog& far, const Connection& b, ConnectionMatch& m) {
    const auto sa = a.first_syn(near), sb = b.first_syn(far);
    if (sa && sb) {
        const TcpRecord &x = near.tcp()[*sa], &y = far.tcp()[*sb];
        m.client_seq_delta = y.seq - x.seq;
        m.isn_rewritten = m.client_seq_delta != 0;
        if (x.options.timestamps && y.options.timestamps) {
            const auto tb = syn_tsvals(far, b);
            // The far capture's first SYN may be a retransmission: compare with every SYN seen there.
            const bool same = std::find(tb.begin(), tb.end(), x.options.ts_val) != tb.end();
            m.client_ts_delta = same ? 0 : y.options.ts_val - x.options.ts_val;
            m.ts_rewritten = !same && m.by != "timestamps";
        }
    }
    const auto ka = a.first_synack(near), kb = b.first_synack(far);
    if (ka && kb) {
        const TcpRecord &x = near.tcp()[*ka], &y = far.tcp()[*kb];
        m.server_seq_delta = y.seq - x.seq;
        if (x.options.timestamps && y.options.timestamps) m.server_ts_delta = y.options.ts_val - x.options.ts_val;
    } else {
        m.server_seq_delta = 0;
    }
}

}  // namespace

std::vector<ConnectionMatch> match_connections(const PacketLog& near, const std::vector<Connection>& near_conns,
                                               const PacketLog& far, const std::vector<Connection>& far_conns,
                                               const MatchOptions& options) {
    std::vector<ConnectionMatch> out;
    std::vector<bool> near_used(near_conns.size()), far_used(far_conns.size());
    auto take = [&](std::size_t i, std::size_t j, std::string by) {
        ConnectionMatch m;
        m.near = i, m.far = j, m.by = std::move(by);
        near_used[i] = far_used[j] = true;
        if (m.by != "relay") fill_deltas(near, near_conns[i], far, far_conns[j], m);
        out.push_back(std::move(m));
    };
    // 1. What a NAT leaves alone: the client's ISN, then its SYN timestamp values.
    for (std::size_t i = 0; i < near_conns.size(); ++i) {
        const auto sa = near_conns[i].first_syn(near);
        if (!sa) continue;
        const TcpRecord& x = near.tcp()[*sa];
        const auto ta = syn_tsvals(near, near_conns[i]);
        std::optional<std::size_t> by_ts;
        for (std::size_t j = 0; j < far_conns.size() && !near_used[i]; ++j) {
            if (far_used[j]) continue;
            const auto sb = far_conns[j].first_syn(far);
            if (!sb) continue;
            if (far.tcp()[*sb].seq == x.seq) {
                take(i, j, "isn");
                break;
            }
            if (!by_ts && !ta.empty()) {
                const auto tb = syn_tsvals(far, far_conns[j]);
                for (auto v : tb)
                    if (std::find(ta.begin(), ta.end(), v) != ta.end()) by_ts = j;
            }
        }
        if (!near_used[i] && by_ts) take(i, *by_ts, "timestamps");
    }
    std::vector<double> shifts;
    for (const auto& m : out) shifts.push_back(far_conns[m.far].first_time - near_conns[m.near].first_time);
    const double offset = shifts.empty() ? 0 : median(shifts);
    auto close = [&](std::size_t i, std::size_t j) {
        return std::fabs(far_conns[j].first_time - near_conns[i].first_time - offset) <= options.window_s;
    };
    // 2. The same bytes at about the same time (sequence numbers and timestamps rewritten).
    for (std::size_t i = 0; i < near_conns.size(); ++i) {
        if (near_used[i]) continue;
        const Connection& a = near_conns[i];
        std::optional<std::size_t> best;
        double best_gap = 0;
        for (std::size_t j = 0; j < far_conns.size(); ++j) {
            if (far_used[j] || !close(i, j)) continue;
            const Connection& b = far_conns[j];
            if (!same_payload(near, a.first_data(near, true), far, b.first_data(far, true)) &&
                !same_payload(near, a.first_data(near, false), far, b.first_data(far, false)))
                continue;
            const double gap = std::fabs(b.first_time - a.first_time - offset);
            if (!best || gap < best_gap) best = j, best_gap = gap;
        }
        if (best) take(i, *best, "payload");
    }
    // 3. The one attempt left on each side, at about the same time.
    auto attempt = [](const std::vector<bool>& v, std::size_t i) { return i < v.size() && v[i]; };
    std::vector<std::size_t> near_left, far_left;
    for (std::size_t i = 0; i < near_conns.size(); ++i)
        if (!near_used[i] && attempt(options.near_attempt, i) && !attempt(options.near_relay, i)) near_left.push_back(i);
    for (std::size_t j = 0; j < far_conns.size(); ++j)
        if (!far_used[j] && attempt(options.far_attempt, j)) far_left.push_back(j);
    if (near_left.size() == 1 && far_left.size() == 1 && close(near_left[0], far_left[0]))
        take(near_left[0], far_left[0], "time");
    // 4. A proxy's own connection to the server, started while the client's through it lasted.
    for (std::size_t i = 0; i < near_conns.size(); ++i) {
        if (near_used[i] || !attempt(options.near_relay, i)) continue;
        for (std::size_t j = 0; j < far_conns.size(); ++j) {
            if (far_used[j] || !attempt(options.far_attempt, j)) continue;
            const double t = far_conns[j].first_time - offset;
            if (t >= near_conns[i].first_time - 0.5 && t <= near_conns[i].last_time + options.window_s) {
                take(i, j, "relay");
                break;
            }
        }
    }
    return out;
}

std::string_view fate_name(Fate f) {
    constexpr std::string_view kNames[] = {"both", "lost", "never-sent", "uncovered"};
    return kNames[static_cast<std::size_t>(f)];
}

namespace {

// Whether two records are the same segment, seen on each side of a NAT.
bool same_segment(const TcpRecord& x, const TcpRecord& y, bool from_client, const ConnectionMatch& m) {
    const std::uint32_t own = from_client ? m.client_seq_delta : m.server_seq_delta;
    const std::uint32_t other = from_client ? m.server_seq_delta : m.client_seq_delta;
    if (x.flags != y.flags || x.payload_len != y.payload_len) return false;
    if (y.seq != x.seq + own) return false;
    // A reset's acknowledgement number is the one thing a forged reset often gets right; the
    // sequence number and the timestamp tell it from the real one.
    if (x.has(kAck) && y.ack != x.ack + other && !(x.has(kSyn) && !x.has(kAck))) return false;
    if (x.options.timestamps && y.options.timestamps) {
        const std::uint32_t ts = from_client ? m.client_ts_delta : m.server_ts_delta;
        if (y.options.ts_val != x.options.ts_val + ts) return false;
    }
    if (x.payload_hash && y.payload_hash && x.payload_hash != y.payload_hash) return false;
    return true;
}

}  // namespace

std::vector<PacketPair> pair_packets(const PacketLog& near, const Connection& a, const PacketLog& far, const Connection& b,
                                     const ConnectionMatch& m, double offset_s) {
    std::vector<PacketPair> out;
    std::vector<bool> far_used(b.segments.size());
    // Segments are mostly in the same order at both ends: look ahead a little for each.
    constexpr std::size_t kLookAhead = 256;
    std::size_t start[2] = {0, 0};  // first far segment not yet used, per direction
    for (std::size_t i : a.segments) {
        const TcpRecord& x = near.tcp()[i];
        const bool from_client = a.from_client(x);
        PacketPair p{from_client, i, std::nullopt, Fate::kBoth};
        std::size_t& s = start[from_client ? 0 : 1];
        while (s < b.segments.size() && (far_used[s] || b.from_client(far.tcp()[b.segments[s]]) != from_client)) ++s;
        for (std::size_t k = s, seen = 0; k < b.segments.size() && seen < kLookAhead; ++k) {
            const TcpRecord& y = far.tcp()[b.segments[k]];
            if (far_used[k] || b.from_client(y) != from_client) continue;
            ++seen;
            if (same_segment(x, y, from_client, m)) {
                far_used[k] = true;
                p.far = b.segments[k];
                break;
            }
        }
        if (!p.far) {
            // Its sender is the client: it left and never arrived (if the far capture was still
            // running); its sender is the far end: the far end never sent it.
            const bool covered = far.packets() == 0 || x.time + offset_s <= far.end_time();
            p.fate = from_client ? (covered ? Fate::kLost : Fate::kUncovered) : Fate::kNeverSent;
        }
        out.push_back(p);
    }
    for (std::size_t k = 0; k < b.segments.size(); ++k) {
        if (far_used[k]) continue;
        const TcpRecord& y = far.tcp()[b.segments[k]];
        const bool from_client = b.from_client(y);
        const bool covered = near.packets() == 0 || y.time - offset_s <= near.end_time();
        PacketPair p{from_client, std::nullopt, b.segments[k], from_client ? Fate::kNeverSent : (covered ? Fate::kLost : Fate::kUncovered)};
        out.push_back(p);
    }
    auto when = [&](const PacketPair& p) { return p.near ? near.tcp()[*p.near].time : far.tcp()[*p.far].time - offset_s; };
    std::stable_sort(out.begin(), out.end(), [&](const PacketPair& x, const PacketPair& y) { return when(x) < when(y); });
    return out;
}

std::optional<double> clock_offset(const PacketLog& near, const PacketLog& far, const std::vector<PacketPair>& pairs) {
    std::vector<double> there, back;
    for (const auto& p : pairs) {
        if (!p.near || !p.far) continue;
        const double d = far.tcp()[*p.far].time - near.tcp()[*p.near].time;
        (p.from_client ? there : back).push_back(d);
    }
    if (there.empty() && back.empty()) return std::nullopt;
    if (there.empty()) return median(back);
    if (back.empty()) return median(there);
    // there = offset + delay, back = offset - delay.
    return (median(there) + median(back)) / 2;
}

}  // namespace sshpath::pair
