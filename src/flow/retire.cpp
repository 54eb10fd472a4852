#include <algorithm>
#include <string>

#include "flow_table.h"
#include "sshpath/core/error.h"
#include "sshpath/flow/spill.h"

namespace sshpath::flow {

using detail::closed;
using detail::closing;
using detail::view_of;

namespace {

void read_ssh(Flow& f) {
    if (!f.encrypted) f.ssh = view_of(f);
    // The first gap of the client's stream, while its out-of-order bytes are still held.
    if (!f.c2s.pending.empty() && f.c2s.pending.begin()->first > f.c2s.contiguous)
        f.client_hole_bytes = f.c2s.pending.begin()->first - f.c2s.contiguous;
    // Client segments retransmitted and never acknowledged.
    for (const UnackedSegment& u : f.unacked) {
        if (u.sends >= 2 && u.length > f.client_unacked_max) {
            f.client_unacked_max = u.length;
            f.client_unacked_retransmits = u.sends - 1;
            f.client_unacked_offset = static_cast<std::int64_t>(u.offset);
        }
    }
}

bool host_matches(const Flow& f, const FlowOptions& o) {
    if (!o.host && o.host_name.empty()) return true;
    if (o.host && f.server == *o.host) return true;
    const auto& req = f.ssh->proxy_request;
    if (req.kind == ssh::ProxyKind::kNone) return false;
    if (!o.host_name.empty() && req.target_host == o.host_name) return true;
    return o.host && req.target_host == o.host->to_string();
}

}  // namespace

bool FlowTable::retire(Entry& e) {
    Flow& f = flow_of(e);
    bool keep = false;
    if (!f.ignored) {
        read_ssh(f);
        bool speaks_ssh = f.ssh->client.banner || f.ssh->server.banner;
        const auto& req = f.ssh->proxy_request;
        bool proxied = req.kind != ssh::ProxyKind::kNone && req.target_port == options_.ssh_port;
        bool attempt = f.server_port == options_.ssh_port || speaks_ssh || proxied;
        keep = attempt && host_matches(f, options_);
        // The example is the earliest of them, whatever the order they finish in.
        if (attempt && !keep && (++other_.excluded_by_host == 1 || f.first.packet < excluded_first_packet_)) {
            excluded_first_packet_ = f.first.packet;
            other_.excluded_example = f.server.version == 6 ? "[" + f.server.to_string() + "]:" + std::to_string(f.server_port)
                                                            : f.server.to_string() + ":" + std::to_string(f.server_port);
        }
        if (keep && options_.client && f.client != *options_.client) {
            keep = false;
            if (++other_.excluded_by_client == 1 || f.first.packet < excluded_client_first_packet_) {
                excluded_client_first_packet_ = f.first.packet;
                other_.excluded_client_example = f.client.to_string();
            }
        }
    }
    e.closing = closing(f);
    release_buffers(f);
    if (keep)
        this->keep(std::move(f));
    else
        count_other(f);
    e.flow.reset();
    e.state = keep ? State::kDone : State::kIgnored;
    --live_;
    return keep;
}

void FlowTable::keep(Flow&& f) {
    if (!spill_ && !spill_failed_ && done_.size() >= options_.spill_after) {
        try {
            spill_ = std::make_shared<FlowSpill>();
        } catch (const Error&) {
            spill_failed_ = true;  // no temporary file: memory it is
        }
        if (spill_) {
            for (const auto& d : done_) spill_->put(d);
            done_.clear();
        }
    }
    if (spill_)
        spill_->put(f);
    else
        done_.push_back(std::move(f));
}

bool FlowTable::keep_as_session(Flow& f) {
    if (f.encrypted) return true;
    if (!f.interesting || closing(f)) return false;
    const SshView reached = view_of(f, false);
    if (!reached.client.newkeys || !reached.server.newkeys) return false;
    // Read now, for good: everything after NEWKEYS is encrypted.
    f.ssh = view_of(f);
    f.encrypted = true;
    f.c2s.stream_capped = f.s2c.stream_capped = true;
    release_buffers(f, true);  // acknowledgements still to come count
    return true;
}

void FlowTable::sweep() {
    next_sweep_ = now_ + std::min(1.0, options_.closed_idle_s);
    due_.clear();
    index_.for_each([&](const Key&, Entry& e) {
        if (e.state != State::kLive) return;
        const double idle = now_ - e.last;
        // Only the entry is read until the connection is idle long enough: a sweep walks them all.
        if (e.closed) {
            if (idle >= options_.closed_idle_s) due_.push_back(&e);
        } else if (idle >= options_.closed_idle_s && idle >= options_.idle_s) {
            // A frozen connection sent no byte: never an encrypted session to keep.
            if (e.frozen || !keep_as_session(*e.flow)) due_.push_back(&e);
        }
    });
    retire_in_order(due_);
    index_.erase_if([&](const Key&, Entry& e) {
        const double idle = now_ - e.last;
        // Retired now: an attempt's entry stays as a tombstone, any other goes.
        if (e.swept) {
            e.swept = false;
            return e.state == State::kIgnored;
        }
        // A tombstone goes once nothing came for idle_s, closed_idle_s once the connection was
        // closing (a closed connection was already quiet that long before it was judged): a
        // capture of millions of attempts must not keep one per attempt to its end, nor a server's
        // capture the last two minutes' hundreds a second.
        if (e.state != State::kLive) return idle >= (e.closing ? options_.closed_idle_s : options_.idle_s);
        if (e.closed || idle < options_.closed_idle_s) return false;
        if (!e.frozen && e.flow->s2c.packets == 0 && e.flow->c2s.max_end == 0) {
            e.frozen = std::make_unique<std::vector<char>>(archive::pack_zeros(archive::to_bytes(*e.flow)));
            e.frozen->shrink_to_fit();
            e.flow.reset();
        }
        return false;
    });
}

void FlowTable::retire_in_order(std::vector<Entry*>& entries) {
    for (Entry* e : entries) flow_of(*e);  // thawed: a frozen one's first packet is in its bytes
    std::sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) { return a->flow->first.packet < b->flow->first.packet; });
    for (Entry* e : entries) {
        retire(*e);
        e->swept = true;
    }
}

std::deque<Flow> FlowTable::finish() {
    due_.clear();
    index_.for_each([&](const Key&, Entry& e) {
        if (e.state == State::kLive) due_.push_back(&e);
    });
    retire_in_order(due_);
    index_.clear();
    std::vector<Entry*>().swap(due_);
    std::deque<Flow> out = std::move(done_);
    done_.clear();
    if (spill_) spill_->sort();
    std::sort(out.begin(), out.end(), [](const Flow& a, const Flow& b) { return a.first.packet < b.first.packet; });
    return out;
}

void FlowTable::read_encrypted(Flow& flow) {
    if (flow.encrypted) return;
    flow.ssh = view_of(flow);
    flow.encrypted = true;
    for (Direction* d : {&flow.c2s, &flow.s2c}) {
        // The bytes only: segments and acknowledgements still count retransmissions.
        d->stream_capped = true;
        buffered_ -= std::min(buffered_, d->stream.size());
        d->kept = d->stream.size();
        std::vector<std::uint8_t>().swap(d->stream);
    }
}

void FlowTable::settle(Entry& e) {
    Flow& f = *e.flow;
    if (!e.closed && closed(f)) {
        e.closed = true;
        // A session that closes soon after its key exchange may not have crossed the next size
        // at which NEWKEYS is looked for: looked for now, before it waits closed_idle_s.
        if (f.interesting && !f.encrypted && !f.ignored) {
            const SshView reached = view_of(f, false);
            if (reached.client.newkeys && reached.server.newkeys) read_encrypted(f);
        }
        // It waits closed_idle_s for late packets: without the room its vectors grew into.
        for (Direction* d : {&f.c2s, &f.s2c}) {
            d->stream.shrink_to_fit();
            d->segments.shrink_to_fit();
        }
        f.timeline.shrink_to_fit();
        f.event_details.shrink_to_fit();
    }
    // A connection that closed without a byte of payload, not on the SSH port, can never be an
    // SSH attempt (a port probe, a health check): forgotten now rather than when idle.
    if (!f.ignored && !f.interesting && closed(f) && f.c2s.max_end == 0 && f.s2c.max_end == 0) f.ignored = true;
    if (f.ignored) forget(e);
}

void FlowTable::release_buffers(Flow& f, bool keep_acks) {
    for (Direction* d : {&f.c2s, &f.s2c}) {
        std::size_t held = d->stream.size();
        for (const auto& e : d->pending) held += e.second.size();
        buffered_ -= std::min(buffered_, held);
        d->kept = d->stream.size();
        std::vector<std::uint8_t>().swap(d->stream);
        decltype(d->pending)().swap(d->pending);
        decltype(d->segments)().swap(d->segments);
    }
    if (!keep_acks) decltype(f.unacked)().swap(f.unacked);
}

void FlowTable::forget(Entry& e) {
    // A connection that cannot be an SSH attempt: its key stays known so its later packets are
    // skipped, and it no longer counts against max_flows.
    e.closing = closing(*e.flow);
    release_buffers(*e.flow);
    count_other(*e.flow);
    e.flow.reset();
    e.state = State::kIgnored;
    --live_;
}

void FlowTable::count_other(const Flow& f) {
    ++other_tcp_flows_;
    other_.server_ports.add(f.server_port);
}

void PortCounts::add(std::uint16_t port, std::uint32_t count) {
    if (!all_.empty()) {
        all_[port] += count;
        return;
    }
    for (auto& [p, n] : few_)
        if (p == port) {
            n += count;
            return;
        }
    if (few_.size() < kFew) {
        few_.emplace_back(port, count);
        return;
    }
    all_.assign(65536, 0);
    for (const auto& [p, n] : few_) all_[p] = n;
    few_.clear();
    few_.shrink_to_fit();
    all_[port] += count;
}

void PortCounts::add(const PortCounts& other) {
    for (const auto& [p, n] : other.few_) add(p, n);
    for (std::size_t port = 0; port < other.all_.size(); ++port)
        if (other.all_[port] != 0) add(static_cast<std::uint16_t>(port), other.all_[port]);
}

std::pair<int, std::uint64_t> PortCounts::top() const {
    std::pair<int, std::uint64_t> best{-1, 0};
    for (const auto& [p, n] : few_)
        if (n > best.second || (n == best.second && n != 0 && p < best.first)) best = {p, n};
    for (std::size_t port = 0; port < all_.size(); ++port)
        if (all_[port] > best.second) best = {static_cast<int>(port), all_[port]};
    return best;
}

bool PortCounts::operator==(const PortCounts& o) const {
    auto dense = [](const PortCounts& c) {
        std::vector<std::uint32_t> v = c.all_;
        if (v.empty()) v.assign(65536, 0);
        for (const auto& [p, n] : c.few_) v[p] += n;
        return v;
    };
    return dense(*this) == dense(o);
}

}  // namespace sshpath::flow
