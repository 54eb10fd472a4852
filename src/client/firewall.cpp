#include "sshpath/client/firewall.h"

#include <fmt/format.h>

#include <algorithm>

namespace sshpath::client::fw {

namespace {

constexpr int kMaxDepth = 64;  // netfilter refuses loops; this only guards against a damaged ruleset

Tri flip(Tri t, bool negate) {
    if (!negate || t == Tri::kMaybe) return t;
    return t == Tri::kYes ? Tri::kNo : Tri::kYes;
}

Tri tri(bool b) { return b ? Tri::kYes : Tri::kNo; }

bool contains(const std::vector<Range>& set, std::uint64_t v) {
    return std::any_of(set.begin(), set.end(), [&](const Range& r) { return r.lo <= v && v <= r.hi; });
}

bool prefix_contains(const Prefix& p, const IpAddress& a) {
    if (p.address.version != a.version) return false;
    const int total = a.version == 4 ? 32 : 128;
    const int len = std::clamp(p.length, 0, total);
    for (int bit = 0; bit < len; ++bit) {
        const auto byte = static_cast<std::size_t>(bit / 8);
        const int mask = 0x80 >> (bit % 8);
        if ((p.address.bytes[byte] & mask) != (a.bytes[byte] & mask)) return false;
    }
    return true;
}

// A port or a range of ports (an ephemeral port not yet chosen) against a set of ranges.
Tri range_tri(const Range& packet, const std::vector<Range>& set) {
    bool overlaps = false;
    for (const auto& r : set) {
        if (r.lo <= packet.lo && packet.hi <= r.hi) return Tri::kYes;
        if (r.lo <= packet.hi && packet.lo <= r.hi) overlaps = true;
    }
    return overlaps ? Tri::kMaybe : Tri::kNo;
}

bool name_matches(const std::string& pattern, const std::string& name) {
    if (!pattern.empty() && (pattern.back() == '*' || pattern.back() == '+'))
        return name.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
    return pattern == name;
}

Tri address_tri(const Cond& c, const IpAddress& a, int family) {
    const bool same_family = std::any_of(c.prefixes.begin(), c.prefixes.end(), [&](const Prefix& p) { return p.address.version == family; });
    if (!same_family) return Tri::kNo;  // `ip saddr` never matches an IPv6 packet, even negated
    if (a.version == 0) return Tri::kMaybe;
    return tri(std::any_of(c.prefixes.begin(), c.prefixes.end(), [&](const Prefix& p) { return prefix_contains(p, a); }));
}

Tri interface_tri(const Cond& c, const Interface& i) {
    if (!i.known) return Tri::kMaybe;
    if (i.name.empty()) return Tri::kNo;
    return tri(std::any_of(c.names.begin(), c.names.end(), [&](const std::string& n) { return name_matches(n, i.name); }));
}

bool blocks(Verdict v) { return v == Verdict::kDrop || v == Verdict::kReject || v == Verdict::kQueue; }
bool final_verdict(Verdict v) { return v == Verdict::kAccept || blocks(v); }
bool diverts(Verdict v) { return v == Verdict::kDnat || v == Verdict::kRedirect || v == Verdict::kTproxy; }

bool family_applies(const Table& t, int family) {
    if (t.family == "inet" || t.family == "netdev") return true;
    return (t.family == "ip" && family == 4) || (t.family == "ip6" && family == 6);
}

std::vector<const char*> hooks_of(Direction d) {
    switch (d) {
        case Direction::kOut: return {"output", "postrouting", "egress"};
        case Direction::kIn: return {"ingress", "prerouting", "input"};
        case Direction::kForward: return {"ingress", "prerouting", "forward", "postrouting", "egress"};
    }
    return {};
}

class Walker {
public:
    Walker(Packet packet, PathResult& out) : packet_(std::move(packet)), out_(out) {}

    enum class End : std::uint8_t { kFell, kReturned, kDecided };
    struct Outcome {
        End end = End::kFell;
        Verdict verdict = Verdict::kNone;
        std::optional<Hit> by;
    };

    Outcome walk(const Table& t, const Chain& c, bool reached, int depth) {
        if (depth > kMaxDepth) {
            out_.notes.push_back(fmt::format("chain {} nests deeper than {} jumps: not followed", c.name, kMaxDepth));
            return {};
        }
        for (const auto& rule : c.rules) {
            std::string unknown;
            Tri m = Tri::kYes;
            for (const auto& cond : rule.conds) {
                const Tri r = evaluate(cond, packet_);
                if (r == Tri::kNo) {
                    m = Tri::kNo;
                    break;
                }
                if (r == Tri::kMaybe) {
                    m = Tri::kMaybe;
                    if (!cond.text.empty()) unknown += (unknown.empty() ? "" : ", ") + cond.text;
                }
            }
            if (m == Tri::kNo) continue;
            Action action = rule.action;
            if (!rule.vmap.empty()) {
                action = Action{};
                for (const auto& e : rule.vmap) {
                    const Tri r = evaluate(e.match, packet_);
                    if (r == Tri::kNo) continue;
                    if (r == Tri::kMaybe) {
                        // An entry that may apply: recorded as a possible outcome only.
                        Hit alt = hit(t, c, rule, Tri::kMaybe, reached, e.action, "verdict map key");
                        out_.hits.push_back(alt);
                        if (final_verdict(e.action.verdict)) alternatives_.push_back(alt);
                        continue;
                    }
                    action = e.action;
                    break;
                }
            }
            const bool sure = reached && m == Tri::kYes;
            Hit h = hit(t, c, rule, m, reached, action, unknown);
            const Verdict v = action.verdict;
            if (diverts(v)) {
                out_.diversions.push_back(h);
                out_.hits.push_back(h);
                if (sure && v != Verdict::kTproxy) {
                    divert(action, h);
                    return {End::kDecided, Verdict::kAccept, h};
                }
                continue;
            }
            if (final_verdict(v) || v == Verdict::kUnknown) {
                if (sure && v != Verdict::kUnknown) {
                    h.decided = true;
                    out_.hits.push_back(h);
                    return {End::kDecided, v, h};
                }
                out_.hits.push_back(h);
                alternatives_.push_back(h);
                continue;
            }
            out_.hits.push_back(h);
            if (v == Verdict::kReturn) {
                if (sure) return {End::kReturned, Verdict::kNone, {}};
                continue;
            }
            if (v == Verdict::kJump || v == Verdict::kGoto) {
                const Chain* target = t.find(action.target);
                if (target == nullptr) {
                    out_.notes.push_back(fmt::format("{} {}: jump to chain '{}', which is not in the ruleset", t.name, c.name, action.target));
                    continue;
                }
                Outcome o = walk(t, *target, sure, depth + 1);
                if (!sure) continue;
                if (o.end == End::kDecided) return o;
                if (v == Verdict::kGoto) return {End::kReturned, Verdict::kNone, {}};
            }
        }
        return {};
    }

    const Packet& packet() const { return packet_; }
    const std::vector<Hit>& alternatives() const { return alternatives_; }

    static Hit hit(const Table& t, const Chain& c, const Rule& r, Tri m, bool reached, const Action& a, std::string unknown) {
        Hit h;
        h.source = t.source;
        h.family = t.family;
        h.table = t.name;
        h.chain = c.name;
        h.rule_text = r.text;
        h.rule_id = r.id;
        h.match = m;
        h.reached = reached;
        h.action = a;
        h.packets = r.packets;
        h.bytes = r.bytes;
        h.remove_command = r.remove_command;
        h.manager = manager_of(t, c);
        h.manager_command = manager_command(h.manager);
        h.unknown = std::move(unknown);
        return h;
    }

private:
    // A certain dnat or redirect: later chains see the new destination.
    void divert(const Action& a, const Hit& h) {
        if (a.verdict == Verdict::kRedirect) {
            IpAddress local;
            IpAddress::parse(packet_.family == 4 ? "127.0.0.1" : "::1", local);
            packet_.daddr = local;
            packet_.oif = Interface{true, "lo"};
        } else if (a.to_address) {
            packet_.daddr = *a.to_address;
        }
        if (a.to_port > 0) packet_.dport = Range{static_cast<std::uint64_t>(a.to_port), static_cast<std::uint64_t>(a.to_port)};
        out_.notes.push_back(fmt::format("{} {} {} diverts the connection: from there on it goes to {} port {}", h.source, h.table, h.chain,
                                         packet_.daddr.version ? packet_.daddr.to_string() : "?", packet_.dport.lo));
    }

    Packet packet_;
    PathResult& out_;
    std::vector<Hit> alternatives_;
};

}  // namespace

std::string_view tri_name(Tri t) {
    switch (t) {
        case Tri::kNo: return "no";
        case Tri::kMaybe: return "may";
        case Tri::kYes: return "yes";
    }
    return "?";
}

std::string_view verdict_name(Verdict v) {
    switch (v) {
        case Verdict::kNone: return "continue";
        case Verdict::kAccept: return "accept";
        case Verdict::kDrop: return "drop";
        case Verdict::kReject: return "reject";
        case Verdict::kJump: return "jump";
        case Verdict::kGoto: return "goto";
        case Verdict::kReturn: return "return";
        case Verdict::kQueue: return "queue";
        case Verdict::kDnat: return "dnat";
        case Verdict::kRedirect: return "redirect";
        case Verdict::kTproxy: return "tproxy";
        case Verdict::kSnat: return "snat";
        case Verdict::kMasquerade: return "masquerade";
        case Verdict::kUnknown: return "unknown";
    }
    return "?";
}

const Chain* Table::find(const std::string& chain) const {
    for (const auto& c : chains)
        if (c.name == chain) return &c;
    return nullptr;
}

std::string manager_of(const Table& table, const Chain& chain) {
    const std::string& n = chain.name;
    if (n.rfind("ufw-", 0) == 0 || n.rfind("ufw6-", 0) == 0) return "ufw";
    if (table.name == "firewalld") return "firewalld";
    for (const char* prefix : {"IN_", "OUT_", "FWDI_", "FWDO_", "FWD_", "filter_IN_", "filter_OUT_", "filter_FWD"})
        if (n.rfind(prefix, 0) == 0) return "firewalld";
    if (n.size() > 7 && n.compare(n.size() - 7, 7, "_direct") == 0) return "firewalld";
    return "";
}

std::string manager_command(const std::string& manager) {
    if (manager == "ufw") return "sudo ufw status numbered, then sudo ufw delete NUMBER (ufw rewrites its chains: do not edit them with iptables)";
    if (manager == "firewalld")
        return "sudo firewall-cmd --list-all (and --direct --get-all-rules), then sudo firewall-cmd --permanent --remove-... "
               "and sudo firewall-cmd --reload (firewalld rewrites its rules: do not edit them with nft or iptables)";
    return "";
}

Tri evaluate(const Cond& c, const Packet& p) {
    Tri t = Tri::kMaybe;
    switch (c.field) {
        case Field::kL4Proto: t = tri(contains(c.numbers, 6)); break;
        case Field::kNfProto: t = tri(contains(c.numbers, static_cast<std::uint64_t>(p.family))); break;
        case Field::kSaddr: t = address_tri(c, p.saddr, p.family); break;
        case Field::kDaddr: t = address_tri(c, p.daddr, p.family); break;
        case Field::kSport: t = range_tri(p.sport, c.numbers); break;
        case Field::kDport: t = range_tri(p.dport, c.numbers); break;
        case Field::kIifname: t = interface_tri(c, p.iif); break;
        case Field::kOifname: t = interface_tri(c, p.oif); break;
        case Field::kCtState: t = tri((p.ct_state & c.bits) != 0); break;
        case Field::kCtDirection: t = tri(contains(c.numbers, static_cast<std::uint64_t>(p.ct_direction))); break;
        case Field::kTcpFlags: t = tri(c.any_bit ? (p.tcp_flags & c.bits) != 0 : (p.tcp_flags & c.bits) == c.value); break;
        case Field::kSkuid: t = p.uid ? tri(contains(c.numbers, *p.uid)) : Tri::kMaybe; break;
        case Field::kSkgid: t = p.gid ? tri(contains(c.numbers, *p.gid)) : Tri::kMaybe; break;
        case Field::kUnknown: t = Tri::kMaybe; break;
    }
    // A wrong address family stays a mismatch when negated (`ip saddr != X` needs an IPv4 packet).
    if ((c.field == Field::kSaddr || c.field == Field::kDaddr) && t == Tri::kNo &&
        std::none_of(c.prefixes.begin(), c.prefixes.end(), [&](const Prefix& x) { return x.address.version == p.family; }))
        return Tri::kNo;
    return flip(t, c.negate);
}

PathResult evaluate_path(const Ruleset& rules, Direction direction, const Packet& packet, std::string name, std::string description) {
    PathResult out;
    out.name = std::move(name);
    out.description = std::move(description);
    out.packet = packet;
    Walker walker(packet, out);
    bool done = false;
    for (const char* hook : hooks_of(direction)) {
        struct Base {
            const Table* table;
            const Chain* chain;
        };
        std::vector<Base> bases;
        for (const auto& t : rules.tables) {
            if (!family_applies(t, packet.family)) continue;
            for (const auto& c : t.chains) {
                if (!c.base || c.hook != hook) continue;
                if (!c.device.empty()) {
                    const Interface& i = c.hook == "egress" ? walker.packet().oif : walker.packet().iif;
                    if (i.known && i.name != c.device) continue;
                }
                // nat chains see only the first packet of a connection.
                if (c.type == "nat" && (walker.packet().ct_state & kCtNew) == 0) continue;
                bases.push_back({&t, &c});
            }
        }
        std::stable_sort(bases.begin(), bases.end(), [](const Base& a, const Base& b) { return a.chain->priority < b.chain->priority; });
        for (const auto& b : bases) {
            Walker::Outcome o = walker.walk(*b.table, *b.chain, true, 0);
            Verdict v = o.end == Walker::End::kDecided ? o.verdict : Verdict::kNone;
            std::optional<Hit> by = o.by;
            if (v == Verdict::kNone) {
                v = b.chain->policy == "drop" ? Verdict::kDrop : Verdict::kAccept;
                if (v == Verdict::kDrop) {
                    Rule policy;
                    policy.text = fmt::format("policy drop of chain {}", b.chain->name);
                    policy.packets = b.chain->policy_packets;
                    policy.bytes = b.chain->policy_bytes;
                    Hit h = Walker::hit(*b.table, *b.chain, policy, Tri::kYes, true, Action{Verdict::kDrop, "", "", {}, 0}, "");
                    h.policy = true;
                    h.decided = true;
                    h.remove_command = b.table->source == "nftables"
                                           ? fmt::format("nft add chain {} {} {} '{{ type {} hook {} priority {}; policy accept; }}'", b.table->family,
                                                         b.table->name, b.chain->name, b.chain->type, b.chain->hook, b.chain->priority)
                                           : fmt::format("{} -t {} -P {} ACCEPT", b.table->program, b.table->name, b.chain->name);
                    out.hits.push_back(h);
                    by = h;
                }
            }
            if (blocks(v)) {
                out.verdict = std::string(verdict_name(v));
                if (v == Verdict::kReject && by) out.reject_type = by->action.detail;
                out.decided_by = by;
                done = true;
                break;
            }
        }
        if (done) break;
    }
    for (const auto& alt : walker.alternatives()) {
        const std::string v = alt.action.verdict == Verdict::kUnknown ? "unknown" : std::string(verdict_name(alt.action.verdict));
        if (v != out.verdict) out.certain = false;
    }
    return out;
}

std::vector<Hit> tproxy_rules(const Ruleset& rules, const Packet& packet) {
    std::vector<Hit> out;
    Packet p = packet;
    p.iif = Interface{false, ""};
    for (const auto& t : rules.tables) {
        if (!family_applies(t, p.family)) continue;
        for (const auto& c : t.chains)
            for (const auto& r : c.rules) {
                if (r.action.verdict != Verdict::kTproxy) continue;
                Tri m = Tri::kYes;
                for (const auto& cond : r.conds) {
                    const Tri x = evaluate(cond, p);
                    if (x == Tri::kNo) m = Tri::kNo;
                    if (x == Tri::kMaybe && m == Tri::kYes) m = Tri::kMaybe;
                }
                if (m != Tri::kNo) out.push_back(Walker::hit(t, c, r, m, true, r.action, ""));
            }
    }
    return out;
}

}  // namespace sshpath::client::fw
