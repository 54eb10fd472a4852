#include "sshpath/pair/pair.h"

#include <fmt/format.h>

#include "sshpath/core/error.h"
#include "pair_facts.h"

namespace sshpath::pair {

namespace {

bool far_end(Vantage v) { return v == Vantage::kVm || v == Vantage::kMiddle; }

}  // namespace

std::optional<Places> place(const std::optional<Vantage>& given_a, const VantageFinding& found_a,
                            const std::optional<Vantage>& given_b, const VantageFinding& found_b) {
    Places p;
    if (given_a || given_b) {
        // One place given is enough: the other capture is at the other end.
        Vantage a = given_a.value_or(Vantage::kUnknown), b = given_b.value_or(Vantage::kUnknown);
        if (a == Vantage::kUnknown) a = b == Vantage::kClient ? Vantage::kVm : Vantage::kClient;
        if (b == Vantage::kUnknown) b = a == Vantage::kClient ? Vantage::kVm : Vantage::kClient;
        if (a == b || (a != Vantage::kClient && b != Vantage::kClient))
            throw InputError(fmt::format("a pair of captures needs one taken @client and one @vm or @middle, not @{} and @{}",
                                         vantage_name(a), vantage_name(b)));
        p.swapped = b == Vantage::kClient;
        p.far = p.swapped ? a : b;
        p.found_by = "given";
        p.client_why = p.far_why = "given on the command line";
        return p;
    }
    const Vantage a = found_a.vantage, b = found_b.vantage;
    if (a == Vantage::kClient && b != Vantage::kClient) {
        p.far = b == Vantage::kMiddle ? Vantage::kMiddle : Vantage::kVm;
    } else if (b == Vantage::kClient && a != Vantage::kClient) {
        p.swapped = true;
        p.far = a == Vantage::kMiddle ? Vantage::kMiddle : Vantage::kVm;
    } else if (a == Vantage::kUnknown && far_end(b)) {
        p.far = b;
    } else if (far_end(a) && b == Vantage::kUnknown) {
        p.swapped = true;
        p.far = a;
    } else if (a == Vantage::kUnknown && b == Vantage::kUnknown) {
        p.found_by = "order";
    } else {
        return std::nullopt;
    }
    if (p.found_by.empty()) p.found_by = "packets";
    p.client_why = p.swapped ? found_b.why : found_a.why;
    p.far_why = p.swapped ? found_a.why : found_b.why;
    return p;
}

namespace {

struct SideConnections {
    std::vector<Connection> list;
    std::vector<std::optional<std::size_t>> of_attempt;  // per attempt: its connection
    std::vector<int> attempt_of;                          // per connection: its attempt, -1
};

SideConnections connections_for(const Side& s) {
    SideConnections c;
    c.list = connections_of(*s.log);
    c.attempt_of.assign(c.list.size(), -1);
    for (std::size_t i = 0; i < s.attempts.size(); ++i) {
        std::optional<std::size_t> found;
        const auto& fs = s.attempts[i].facts;
        const std::string client = fs.get(facts::flow::client), server = fs.get(facts::flow::server);
        for (std::size_t k = 0; k < c.list.size() && !found; ++k)
            if (c.list[k].client.text() == client && c.list[k].server.text() == server) found = k;
        c.of_attempt.push_back(found);
        if (found && c.attempt_of[*found] < 0) c.attempt_of[*found] = static_cast<int>(i);
    }
    return c;
}

// The client capture's evidence with the far capture's packet numbers beside it.
void add_peer_numbers(verdict::Verdict& v, const std::string& client_file, const std::string& far_file,
                      const FactInput& in) {
    for (auto& e : v.evidence) {
        if (!e.peer_file.empty() || e.file != client_file || !in.pairs) continue;
        e.peer_file = far_file;
        for (const PacketPair& p : *in.pairs)
            if (p.near && in.near->tcp()[*p.near].packet == e.packet) {
                if (p.far) {
                    e.peer_packet = in.far->tcp()[*p.far].packet;
                    e.peer_time = in.far->tcp()[*p.far].time - in.far->start_time();
                }
                break;
            }
    }
}

}  // namespace

PairAnalysis judge(const Side& client, const Side& far, const Places& places, const rules::RuleSet& rules,
                   const FlowFacts& flow_facts, bool explain) {
    PairAnalysis out;
    out.client_file = client.file;
    out.far_file = far.file;
    out.places = places;
    const SideConnections near_c = connections_for(client), far_c = connections_for(far);

    MatchOptions mo;
    mo.near_attempt.assign(near_c.list.size(), false);
    mo.near_relay.assign(near_c.list.size(), false);
    mo.far_attempt.assign(far_c.list.size(), false);
    for (std::size_t k = 0; k < near_c.list.size(); ++k)
        if (near_c.attempt_of[k] >= 0) {
            mo.near_attempt[k] = true;
            mo.near_relay[k] = client.attempts[near_c.attempt_of[k]].facts.get(facts::flow::via_proxy);
        }
    for (std::size_t k = 0; k < far_c.list.size(); ++k) mo.far_attempt[k] = far_c.attempt_of[k] >= 0;
    const std::vector<ConnectionMatch> matches = match_connections(*client.log, near_c.list, *far.log, far_c.list, mo);

    // The clock offset, from every packet seen at both ends.
    std::vector<std::vector<PacketPair>> pairs(matches.size());
    std::vector<PacketPair> all;
    for (std::size_t m = 0; m < matches.size(); ++m) {
        if (matches[m].by == "relay") continue;
        pairs[m] = pair_packets(*client.log, near_c.list[matches[m].near], *far.log, far_c.list[matches[m].far], matches[m], 0);
        all.insert(all.end(), pairs[m].begin(), pairs[m].end());
    }
    if (const auto offset = clock_offset(*client.log, *far.log, all)) {
        out.clock_offset_s = *offset;
        out.clock_offset_known = true;
        // Packets the far capture could not have seen are told apart with the clock corrected.
        for (std::size_t m = 0; m < matches.size(); ++m)
            if (matches[m].by != "relay")
                pairs[m] = pair_packets(*client.log, near_c.list[matches[m].near], *far.log, far_c.list[matches[m].far],
                                        matches[m], out.clock_offset_s);
    }

    auto judge_one = [&](int attempt) {
        PairedAttempt pa;
        FactInput in;
        in.near = client.log;
        in.far = far.log;
        in.offset_s = out.clock_offset_s;
        in.offset_known = out.clock_offset_known;
        in.places = &out.places;
        in.far_attempts = far.attempts.size();
        in.client_verdict = attempt >= 0 ? &client.attempts[attempt].verdict : &client.capture_verdict;
        const verdict::Attempt* vm_attempt = nullptr;
        if (attempt >= 0) {
            const verdict::Attempt& a = client.attempts[attempt];
            pa.client_attempt = client.attempt_index[attempt];
            pa.client = a.facts.get(facts::flow::client);
            pa.server = a.facts.get(facts::flow::server);
            in.via_proxy = a.facts.get(facts::flow::via_proxy);
            if (const auto k = near_c.of_attempt[attempt]) {
                in.a = &near_c.list[*k];
                for (std::size_t m = 0; m < matches.size(); ++m) {
                    if (matches[m].near != *k) continue;
                    in.b = &far_c.list[matches[m].far];
                    in.match = &matches[m];
                    in.pairs = &pairs[m];
                    pa.client_at_vm = in.b->client.text();
                    pa.server_at_vm = in.b->server.text();
                    if (const int j = far_c.attempt_of[matches[m].far]; j >= 0) {
                        vm_attempt = &far.attempts[j];
                        pa.vm_attempt = far.attempt_index[j];
                        in.vm_verdict = &vm_attempt->verdict;
                    }
                }
            }
        }
        pa.facts = pair_facts(in);
        pa.packets = packet_rows(in, pa.packets_omitted);
        facts::Context ctx(pa.facts);
        std::vector<facts::FactSet> extra;
        if (attempt >= 0) {
            ctx.add(client.attempts[attempt].facts);
            if (flow_facts) extra = flow_facts(client.attempts[attempt].facts);
        }
        for (const auto& set : extra) ctx.add(set);
        pa.verdict = verdict::decide_pair(rules, ctx, *in.client_verdict, client.file, far.file, explain);
        add_peer_numbers(pa.verdict, client.file, far.file, in);
        out.attempts.push_back(std::move(pa));
    };
    for (std::size_t i = 0; i < client.attempts.size(); ++i) judge_one(static_cast<int>(i));
    if (client.attempts.empty()) judge_one(-1);
    out.verdict_attempt = client.deciding >= 0 ? client.deciding : 0;
    return out;
}

}  // namespace sshpath::pair
