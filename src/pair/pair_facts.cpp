#include "pair_facts.h"

#include <fmt/format.h>

#include "sshpath/evidence/position.h"

namespace sshpath::pair {

namespace F = facts::pair;
using packet::kAck;
using packet::kFin;
using packet::kRst;
using packet::kSyn;

std::string segment_label(const TcpRecord& r) {
    std::string s;
    if (r.has(kSyn)) s = r.has(kAck) ? "SYN-ACK" : "SYN";
    else if (r.has(kRst)) s = r.has(kAck) ? "RST+ACK" : "RST";
    else if (r.has(kFin)) s = "FIN+ACK";
    else if (r.payload_len == 0) s = "ACK";
    if (r.payload_len > 0) s += fmt::format("{}data {} bytes", s.empty() ? "" : " + ", r.payload_len);
    return s;
}

namespace {

// Options the sender's copy has and the receiver's lacks.
std::string removed(const packet::TcpOptions& sent, const packet::TcpOptions& got) {
    std::vector<std::string_view> v;
    if (sent.mss >= 0 && got.mss < 0) v.push_back("mss");
    if (sent.sack_permitted && !got.sack_permitted) v.push_back("sack");
    if (sent.timestamps && !got.timestamps) v.push_back("ts");
    if (sent.wscale >= 0 && got.wscale < 0) v.push_back("wscale");
    return fmt::format("{}", fmt::join(v, ","));
}

// What changed between the sender's copy and the receiver's, the TTL aside.
std::string change_of(const TcpRecord& sent, const TcpRecord& got) {
    std::vector<std::string> v;
    if (sent.options.mss != got.options.mss) v.push_back(fmt::format("MSS {} -> {}", sent.options.mss, got.options.mss));
    if (const std::string r = removed(sent.options, got.options); !r.empty()) v.push_back("options removed: " + r);
    if (sent.options.wscale >= 0 && got.options.wscale >= 0 && sent.options.wscale != got.options.wscale)
        v.push_back(fmt::format("window scale {} -> {}", sent.options.wscale, got.options.wscale));
    return fmt::format("{}", fmt::join(v, "; "));
}

struct Cite {
    std::uint64_t near = 0, far = 0;
    double near_t = 0, far_t = 0;
};

Cite cite_of(const FactInput& in, const PacketPair& p) {
    Cite c;
    if (p.near) c.near = in.near->tcp()[*p.near].packet, c.near_t = in.near->tcp()[*p.near].time - in.near->start_time();
    if (p.far) c.far = in.far->tcp()[*p.far].packet, c.far_t = in.far->tcp()[*p.far].time - in.far->start_time();
    if (!p.near && p.far) c.near_t = in.far->tcp()[*p.far].time - in.offset_s - in.near->start_time();
    if (p.near && !p.far) c.far_t = in.near->tcp()[*p.near].time + in.offset_s - in.far->start_time();
    return c;
}

// Facts of a relayed attempt: the far connection is the proxy's, not the client's.
void relay_facts(const FactInput& in, facts::FactSet& fs) {
    const Connection& b = *in.b;
    std::int64_t syns = 0, synacks = 0, rsts = 0;
    bool rst_to_syn = false;
    for (std::size_t i : b.segments) {
        const TcpRecord& r = in.far->tcp()[i];
        const double t = r.time - in.far->start_time();
        if (b.from_client(r)) {
            if (r.has(kSyn) && !r.has(kAck)) {
                ++syns;
                fs.observe_pair(F::syns_arrived, 0, 0, r.packet, t, fmt::format("the proxy's SYN reached the VM from {}", b.client.text()));
            }
            continue;
        }
        if (r.has(kSyn) && r.has(kAck)) ++synacks;
        if (r.has(kRst)) {
            ++rsts;
            if (synacks == 0) rst_to_syn = true;
            fs.observe_pair(F::vm_rsts_sent, 0, 0, r.packet, t, fmt::format("the VM answered the proxy's SYN with {} (TTL {})", segment_label(r), r.ttl));
        }
    }
    fs.set(F::syns_arrived, syns);
    fs.set(F::synacks_sent, synacks);
    fs.set(F::vm_rsts_sent, rsts);
    fs.set(F::vm_rst_to_syn, rst_to_syn);
}

void icmp_facts(const FactInput& in, facts::FactSet& fs) {
    std::int64_t n = 0;
    for (std::size_t i : in.b->icmp) {
        const IcmpRecord& e = in.far->icmp()[i];
        if (!(e.src == in.b->server.address)) continue;
        ++n;
        fs.observe_pair(F::vm_icmp_sent, 0, 0, e.packet, e.time - in.far->start_time(),
                        fmt::format("the VM sent an ICMP{} error (type {}, code {}) about the attempt", e.v6 ? "v6" : "", e.type, e.code));
    }
    fs.set(F::vm_icmp_sent, n);
}

// Counts of a paired attempt's packets by fate and kind, gathered packet by packet and then
// written as facts; each packet's observations are made as it is seen.
class PacketTally {
public:
    PacketTally(const FactInput& in, facts::FactSet& fs) : in_(in), fs_(fs) {}

    void add(const PacketPair& p) {
        const TcpRecord* x = p.near ? &in_.near->tcp()[*p.near] : nullptr;
        const TcpRecord* y = p.far ? &in_.far->tcp()[*p.far] : nullptr;
        const TcpRecord& r = x ? *x : *y;
        const Seen s{p, x, y, r, cite_of(in_, p), segment_label(r), r.has(kSyn) && !r.has(kAck), r.has(kSyn) && r.has(kAck)};
        if (p.fate == Fate::kBoth) at_both_ends(s);
        if (p.from_client)
            from_client(s);
        else
            from_vm(s);
    }

    void write() {
        fs_.set(F::packets_both, both_);
        fs_.set(F::client_lost, client_lost_);
        fs_.set(F::client_data_lost, client_data_lost_);
        fs_.set(F::vm_lost, vm_lost_);
        fs_.set(F::vm_data_lost, vm_data_lost_);
        fs_.set(F::syns_arrived, syns_arrived_);
        fs_.set(F::synacks_sent, synacks_sent_);
        fs_.set(F::synacks_arrived, synacks_arrived_);
        fs_.set(F::vm_rsts_sent, rsts_sent_);
        fs_.set(F::vm_rst_to_syn, rst_to_syn_);
        fs_.set(F::vm_rsts_arrived, rsts_arrived_);
        fs_.set(F::forged_rsts_at_client, forged_client_);
        fs_.set(F::forged_rsts_at_vm, forged_vm_);
        fs_.set(F::forged_rst_side, forged_client_ && forged_vm_ ? "both" : forged_client_ ? "client" : forged_vm_ ? "vm" : "");
        fs_.set(F::forged_rst_hops, std::int64_t(forged_hops_));
        fs_.set(F::injected_other, injected_);
        fs_.set(F::hops_between, std::int64_t(hops_));
        fs_.set(F::hops_between_back, std::int64_t(hops_back_));
        fs_.set(F::mss_rewritten, fs_.get(F::client_mss_sent) != fs_.get(F::client_mss_received) ||
                                      fs_.get(F::vm_mss_sent) != fs_.get(F::vm_mss_received));
        fs_.set(F::options_removed, options_removed_);
        fs_.set(F::changed_in_transit, changed_);
    }

private:
    // One packet of the attempt: x as the client's capture has it, y as the VM's (either may be
    // missing), r whichever exists.
    struct Seen {
        const PacketPair& p;
        const TcpRecord* x;
        const TcpRecord* y;
        const TcpRecord& r;
        Cite c;
        std::string label;
        bool syn = false, synack = false;
    };

    template <class... A>
    void observe(auto id, const Cite& c, bool near, bool far, fmt::format_string<A...> f, A&&... args) {
        fs_.observe_pair(id, near ? c.near : 0, c.near_t, far ? c.far : 0, c.far_t, fmt::format(f, std::forward<A>(args)...));
    }

    void at_both_ends(const Seen& s) {
        ++both_;
        const TcpRecord &sent = s.p.from_client ? *s.x : *s.y, &got = s.p.from_client ? *s.y : *s.x;
        (s.p.from_client ? hops_ : hops_back_) = int(sent.ttl) - int(got.ttl);
        const std::string change = change_of(sent, got);
        if (!change.empty()) {
            ++changed_;
            observe(F::changed_in_transit, s.c, true, true, "{} changed on the way: {}", s.label, change);
        }
        if (s.syn && fs_.get(F::client_mss_sent) < 0) {
            handshake(s, *s.x, *s.y, F::client_mss_sent, F::client_mss_received, "the client's SYN", "the VM");
            observe(F::client_address_at_vm, s.c, true, true, "the SYN from {} to {} reached the VM from {} to {}", s.x->src.text(),
                    s.x->dst.text(), s.y->src.text(), s.y->dst.text());
        }
        if (s.synack && fs_.get(F::vm_mss_sent) < 0)
            handshake(s, *s.y, *s.x, F::vm_mss_sent, F::vm_mss_received, "the VM's SYN-ACK", "the client");
    }

    // A handshake packet's MSS as it left and as it arrived; a rewrite is observed.
    void handshake(const Seen& s, const TcpRecord& out, const TcpRecord& in, auto sent_id, auto received_id, const char* what,
                   const char* to) {
        fs_.set(sent_id, std::int64_t(out.options.mss));
        fs_.set(received_id, std::int64_t(in.options.mss));
        if (out.options.mss != in.options.mss)
            observe(F::mss_rewritten, s.c, true, true, "{} left with MSS {} and reached {} with MSS {}", what, out.options.mss, to,
                    in.options.mss);
        if (options_removed_.empty()) options_removed_ = removed(out.options, in.options);
    }

    void forged(const Seen& s) {
        if (forged_hops_ < 0) forged_hops_ = evidence::hop_distance(s.r.ttl);
    }

    void from_client(const Seen& s) {
        const PacketPair& p = s.p;
        if (s.syn && p.near) {
            if (p.far)
                observe(F::syns_sent, s.c, true, true, "SYN left the client and reached the VM (TTL {} -> {})", s.x->ttl, s.y->ttl);
            else
                observe(F::syns_sent, s.c, true, true, "SYN left the client (TTL {}) and {}", s.x->ttl,
                        p.fate == Fate::kLost ? "never reached the VM" : "the VM's capture had ended");
            if (p.far) ++syns_arrived_, observe(F::syns_arrived, s.c, true, true, "SYN seen at both ends");
        }
        if (p.fate == Fate::kLost) {
            ++client_lost_;
            if (s.r.payload_len) ++client_data_lost_;
            observe(s.r.payload_len ? F::client_data_lost : F::client_lost, s.c, true, false, "{} left the client and never reached the VM",
                    s.label);
        } else if (p.fate == Fate::kNeverSent && s.r.has(kRst)) {
            ++forged_vm_;
            forged(s);
            observe(F::forged_rsts_at_vm, s.c, false, true, "{} reached the VM in the client's name (TTL {}); the client never sent it",
                    s.label, s.r.ttl);
        } else if (p.fate == Fate::kNeverSent) {
            ++injected_;
            observe(F::injected_other, s.c, false, true, "{} reached the VM; the client never sent it", s.label);
        }
    }

    void from_vm(const Seen& s) {
        const PacketPair& p = s.p;
        if (s.synack && p.far) {
            ++synacks_sent_;
            observe(F::synacks_sent, s.c, true, true, "{}",
                    p.near ? "SYN-ACK left the VM and reached the client"
                           : (p.fate == Fate::kLost ? "SYN-ACK left the VM and never reached the client"
                                                    : "SYN-ACK left the VM after the client's capture ended"));
            if (p.near) ++synacks_arrived_;
        }
        if (s.r.has(kRst) && p.far) {
            ++rsts_sent_;
            if (synacks_sent_ == 0) rst_to_syn_ = true;
            if (p.near) ++rsts_arrived_;
            observe(F::vm_rsts_sent, s.c, true, true, "{} left the VM (TTL {}){}", s.label, s.y->ttl, p.near ? " and reached the client" : "");
        }
        if (p.fate == Fate::kLost) {
            ++vm_lost_;
            if (s.r.payload_len) ++vm_data_lost_;
            observe(s.r.payload_len ? F::vm_data_lost : F::vm_lost, s.c, false, true, "{} left the VM and never reached the client", s.label);
        } else if (p.fate == Fate::kNeverSent && s.r.has(kRst)) {
            ++forged_client_;
            forged(s);
            observe(F::forged_rsts_at_client, s.c, true, false,
                    "{} reached the client in the server's name (TTL {}, {} hops away); the VM never sent it", s.label, s.r.ttl,
                    evidence::hop_distance(s.r.ttl));
        } else if (p.fate == Fate::kNeverSent) {
            ++injected_;
            observe(F::injected_other, s.c, true, false, "{} reached the client; the VM never sent it", s.label);
        }
    }

    const FactInput& in_;
    facts::FactSet& fs_;
    std::int64_t both_ = 0, client_lost_ = 0, client_data_lost_ = 0, vm_lost_ = 0, vm_data_lost_ = 0, syns_arrived_ = 0;
    std::int64_t synacks_sent_ = 0, synacks_arrived_ = 0, rsts_sent_ = 0, rsts_arrived_ = 0, forged_client_ = 0, forged_vm_ = 0;
    std::int64_t injected_ = 0, changed_ = 0;
    bool rst_to_syn_ = false;
    int forged_hops_ = -1, hops_ = -1, hops_back_ = -1;
    std::string options_removed_;
};

void packet_facts(const FactInput& in, facts::FactSet& fs) {
    PacketTally tally(in, fs);
    for (const PacketPair& p : *in.pairs) tally.add(p);
    tally.write();
}

}  // namespace

facts::FactSet pair_facts(const FactInput& in) {
    facts::FactSet fs(facts::Scope::kPair);
    fs.set(F::far_vantage, std::string(vantage_name(in.places->far)));
    fs.set(F::vantage_found_by, in.places->found_by);
    fs.set(F::vm_capture_packets, std::int64_t(in.far->packets()));
    fs.set(F::vm_attempts, std::int64_t(in.far_attempts));
    fs.set(F::client_cause, std::string(contract::name(in.client_verdict->cause)));
    fs.set(F::client_component, std::string(contract::name(in.client_verdict->component)));
    fs.set(F::vm_cause, in.vm_verdict ? std::string(contract::name(in.vm_verdict->cause)) : std::string());
    fs.set(F::clock_offset_s, in.offset_s);
    fs.set(F::clock_offset_known, in.offset_known);
    if (!in.a) return fs;
    std::int64_t syns = 0;
    for (std::size_t i : in.a->segments) {
        const TcpRecord& r = in.near->tcp()[i];
        if (r.has(kSyn) && !r.has(kAck) && in.a->from_client(r)) ++syns;
    }
    fs.set(F::syns_sent, syns);
    fs.set(F::vm_covers_attempt, in.far->packets() == 0 || in.a->first_time + in.offset_s <= in.far->end_time());
    if (!in.b) {
        // Nothing of it is in the far capture, taken as running all along (a pair's premise; its
        // last packet may well come before the attempt): every SYN it sent never arrived, and
        // what came back in the server's name (not a proxy's) the VM never sent.
        std::int64_t forged = 0, injected = 0, hops = -1;
        const bool judge_answers = !in.via_proxy;
        for (std::size_t i : in.a->segments) {
            const TcpRecord& r = in.near->tcp()[i];
            const double t = r.time - in.near->start_time();
            if (r.has(kSyn) && !r.has(kAck) && in.a->from_client(r))
                fs.observe_pair(F::syns_sent, r.packet, t, 0, 0,
                                fmt::format("SYN left the client (TTL {}); the VM's capture has no trace of it", r.ttl));
            if (in.a->from_client(r) || !judge_answers) continue;
            if (r.has(kRst)) {
                ++forged;
                if (hops < 0) hops = evidence::hop_distance(r.ttl);
                fs.observe_pair(F::forged_rsts_at_client, r.packet, t, 0, 0,
                                fmt::format("{} reached the client in the server's name (TTL {}, {} hops away); the VM never sent it",
                                            segment_label(r), r.ttl, evidence::hop_distance(r.ttl)));
            } else {
                ++injected;
            }
        }
        fs.set(F::forged_rsts_at_client, forged);
        fs.set(F::forged_rst_side, forged ? "client" : "");
        fs.set(F::forged_rst_hops, hops);
        fs.set(F::injected_other, injected);
        return fs;
    }
    fs.set(F::matched, true);
    fs.set(F::matched_by, in.match->by);
    fs.set(F::isn_rewritten, in.match->isn_rewritten);
    fs.set(F::timestamps_rewritten, in.match->ts_rewritten);
    fs.set(F::client_address_at_vm, in.b->client.address.to_string());
    fs.set(F::client_port_at_vm, std::int64_t(in.b->client.port));
    fs.set(F::server_at_vm, in.b->server.text());
    fs.set(F::translated, in.match->by != "relay" && !(in.a->client == in.b->client));
    if (in.match->by == "relay") {
        relay_facts(in, fs);
    } else {
        packet_facts(in, fs);
    }
    icmp_facts(in, fs);
    fs.set(F::vm_answered, fs.get(F::synacks_sent) > 0 || fs.get(F::vm_rsts_sent) > 0 || fs.get(F::vm_icmp_sent) > 0);
    return fs;
}

std::vector<PacketRow> packet_rows(const FactInput& in, std::uint64_t& omitted) {
    constexpr std::size_t kMaxRows = 200;
    std::vector<PacketRow> rows;
    omitted = 0;
    if (!in.pairs) return rows;
    for (const PacketPair& p : *in.pairs) {
        if (rows.size() >= kMaxRows) {
            ++omitted;
            continue;
        }
        const TcpRecord* x = p.near ? &in.near->tcp()[*p.near] : nullptr;
        const TcpRecord* y = p.far ? &in.far->tcp()[*p.far] : nullptr;
        const Cite c = cite_of(in, p);
        PacketRow row;
        row.from_client = p.from_client;
        row.client_packet = c.near, row.client_time = c.near_t;
        row.vm_packet = c.far, row.vm_time = c.far_t;
        row.what = segment_label(x ? *x : *y);
        row.fate = p.fate;
        if (x && y) {
            const TcpRecord &sent = p.from_client ? *x : *y, &got = p.from_client ? *y : *x;
            row.ttl_drop = int(sent.ttl) - int(got.ttl);
            row.change = change_of(sent, got);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace sshpath::pair
