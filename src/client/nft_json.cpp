// `nft -j list ruleset` into the firewall model (libnftables JSON schema 1, nft 0.9 to 1.x).
#include <fmt/format.h>
#include <pwd.h>
#include <grp.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <nlohmann/json.hpp>

#include "sshpath/client/ruleset_parse.h"
#include "sshpath/core/error.h"

namespace sshpath::client::fw {

namespace {

using nlohmann::json;

struct NamedSet {
    std::vector<json> elements;
    bool verdict_map = false;
};
using Sets = std::map<std::string, NamedSet>;  // "family table name"

// The one key of an object such as {"payload": {...}} and its value.
std::pair<std::string, const json&> only_item(const json& o) {
    auto it = o.begin();
    return {it.key(), it.value()};
}

std::string left_text(const json& left) {
    if (!left.is_object() || left.empty()) return "?";
    const auto [kind, body] = only_item(left);
    if (kind == "payload" && body.is_object()) return fmt::format("{} {}", body.value("protocol", "?"), body.value("field", "?"));
    if ((kind == "meta" || kind == "ct" || kind == "rt" || kind == "socket") && body.is_object()) return fmt::format("{} {}", kind, body.value("key", "?"));
    if (kind == "&" && body.is_array() && !body.empty()) return left_text(body[0]);
    return kind;
}

Cond unknown(std::string text) {
    Cond c;
    c.field = Field::kUnknown;
    c.text = std::move(text);
    return c;
}

// The right-hand side as a flat list: a set's elements, a flag list, a named set's elements.
bool atoms_of(const json& right, const Sets& sets, const std::string& scope, std::vector<json>& out) {
    if (right.is_string() && !right.get<std::string>().empty() && right.get<std::string>()[0] == '@') {
        auto it = sets.find(scope + " " + right.get<std::string>().substr(1));
        if (it == sets.end()) return false;
        out.insert(out.end(), it->second.elements.begin(), it->second.elements.end());
        return true;
    }
    if (right.is_object() && right.contains("set")) {
        const json& s = right["set"];
        if (s.is_array()) out.insert(out.end(), s.begin(), s.end());
        else out.push_back(s);
        return true;
    }
    if (right.is_array()) {
        out.insert(out.end(), right.begin(), right.end());
        return true;
    }
    out.push_back(right);
    return true;
}

std::optional<std::uint64_t> number_of(const json& v, Field f) {
    if (v.is_number_unsigned() || v.is_number_integer()) return v.get<std::uint64_t>();
    if (!v.is_string()) return std::nullopt;
    const std::string s = v.get<std::string>();
    if (f == Field::kL4Proto) {
        static const std::map<std::string, std::uint64_t> protos = {{"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"ipv6-icmp", 58},
                                                                    {"icmpv6", 58}, {"sctp", 132}, {"udplite", 136}, {"gre", 47}, {"esp", 50}};
        auto it = protos.find(s);
        if (it != protos.end()) return it->second;
    }
    if (f == Field::kNfProto) {
        if (s == "ipv4" || s == "ip") return 4;
        if (s == "ipv6" || s == "ip6") return 6;
    }
    if (f == Field::kCtDirection) {
        if (s == "original") return 0;
        if (s == "reply") return 1;
    }
    if (f == Field::kSkuid)
        if (const passwd* pw = getpwnam(s.c_str())) return pw->pw_uid;
    if (f == Field::kSkgid)
        if (const group* gr = getgrnam(s.c_str())) return gr->gr_gid;
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 10) return std::stoull(s);
    if (f == Field::kSport || f == Field::kDport) {
        static const std::map<std::string, std::uint64_t> services = {{"ssh", 22}, {"http", 80}, {"https", 443}, {"domain", 53}};
        auto it = services.find(s);
        if (it != services.end()) return it->second;
    }
    return std::nullopt;
}

std::optional<std::uint32_t> flag_bits(const json& v, Field f) {
    if (v.is_number()) return v.get<std::uint32_t>();
    if (!v.is_string()) return std::nullopt;
    const std::string s = v.get<std::string>();
    static const std::map<std::string, std::uint32_t> ct = {
        {"invalid", kCtInvalid}, {"established", kCtEstablished}, {"related", kCtRelated}, {"new", kCtNew}, {"untracked", kCtUntracked}};
    static const std::map<std::string, std::uint32_t> tcp = {{"fin", 0x01}, {"syn", 0x02}, {"rst", 0x04}, {"psh", 0x08},
                                                             {"ack", 0x10}, {"urg", 0x20}, {"ecn", 0x40}, {"cwr", 0x80}};
    const auto& table = f == Field::kCtState ? ct : tcp;
    auto it = table.find(s);
    if (it == table.end()) return std::nullopt;
    return it->second;
}

// A left-hand expression: the field it reads, and the protocol it implies (tcp dport: TCP).
Field field_of(const json& left, int& implied_proto) {
    implied_proto = -1;
    if (!left.is_object() || left.empty()) return Field::kUnknown;
    const auto [kind, body] = only_item(left);
    if (kind == "payload" && body.is_object()) {
        const std::string proto = body.value("protocol", ""), field = body.value("field", "");
        if ((proto == "ip" || proto == "ip6") && field == "saddr") return Field::kSaddr;
        if ((proto == "ip" || proto == "ip6") && field == "daddr") return Field::kDaddr;
        if ((proto == "ip" && field == "protocol") || (proto == "ip6" && field == "nexthdr")) return Field::kL4Proto;
        if (proto == "tcp") implied_proto = 6;
        if (proto == "udp") implied_proto = 17;
        if (proto == "udplite") implied_proto = 136;
        if (proto == "sctp") implied_proto = 132;
        if (proto == "tcp" || proto == "udp" || proto == "th" || proto == "sctp" || proto == "udplite") {
            if (field == "dport") return Field::kDport;
            if (field == "sport") return Field::kSport;
            if (proto == "tcp" && field == "flags") return Field::kTcpFlags;
        }
        if (proto == "icmp" || proto == "icmpv6") implied_proto = proto == "icmp" ? 1 : 58;
        return Field::kUnknown;
    }
    if (kind == "meta" && body.is_object()) {
        const std::string key = body.value("key", "");
        if (key == "l4proto") return Field::kL4Proto;
        if (key == "nfproto" || key == "protocol") return Field::kNfProto;
        if (key == "iifname" || key == "iif") return Field::kIifname;
        if (key == "oifname" || key == "oif") return Field::kOifname;
        if (key == "skuid") return Field::kSkuid;
        if (key == "skgid") return Field::kSkgid;
        return Field::kUnknown;
    }
    if (kind == "ct" && body.is_object()) {
        const std::string key = body.value("key", "");
        if (key == "state") return Field::kCtState;
        if (key == "direction") return Field::kCtDirection;
        return Field::kUnknown;
    }
    if (kind == "&" && body.is_array() && body.size() == 2) {
        int ignored = -1;
        if (field_of(body[0], ignored) == Field::kTcpFlags) {
            implied_proto = 6;
            return Field::kTcpFlags;
        }
    }
    return Field::kUnknown;
}

// One `match` expression into conditions (an implied protocol first, then the match itself).
std::vector<Cond> conds_of_match(const json& m, const Sets& sets, const std::string& scope) {
    const std::string op = m.value("op", "==");
    const json& left = m.contains("left") ? m["left"] : json();
    const json& right = m.contains("right") ? m["right"] : json();
    int implied = -1;
    Cond c;
    c.field = field_of(left, implied);
    c.text = left_text(left);
    std::vector<Cond> out;
    if (implied >= 0) {
        Cond p;
        p.field = Field::kL4Proto;
        p.numbers = {{static_cast<std::uint64_t>(implied), static_cast<std::uint64_t>(implied)}};
        p.text = "l4proto";
        out.push_back(p);
    }
    if (c.field == Field::kUnknown) {
        out.push_back(unknown(c.text));
        return out;
    }
    std::vector<json> atoms;
    if (!atoms_of(right, sets, scope, atoms)) {
        out.push_back(unknown(fmt::format("{} in a set not listed", c.text)));
        return out;
    }
    c.negate = op == "!=";
    bool ok = true;
    for (const auto& a : atoms) {
        if (c.field == Field::kSaddr || c.field == Field::kDaddr) {
            Prefix p;
            if (a.is_string() && IpAddress::parse(a.get<std::string>(), p.address)) {
                p.length = p.address.version == 4 ? 32 : 128;
            } else if (a.is_object() && a.contains("prefix") && a["prefix"].is_object() &&
                       IpAddress::parse(a["prefix"].value("addr", ""), p.address)) {
                p.length = a["prefix"].value("len", 0);
            } else {
                ok = false;
                break;
            }
            c.prefixes.push_back(p);
        } else if (c.field == Field::kIifname || c.field == Field::kOifname) {
            if (!a.is_string()) {
                ok = false;
                break;
            }
            c.names.push_back(a.get<std::string>());
        } else if (c.field == Field::kCtState || c.field == Field::kTcpFlags) {
            auto b = flag_bits(a, c.field);
            if (!b) {
                ok = false;
                break;
            }
            c.value |= *b;
        } else if (a.is_object() && a.contains("range") && a["range"].is_array() && a["range"].size() == 2) {
            auto lo = number_of(a["range"][0], c.field), hi = number_of(a["range"][1], c.field);
            if (!lo || !hi) {
                ok = false;
                break;
            }
            c.numbers.push_back({*lo, *hi});
        } else {
            auto n = number_of(a, c.field);
            if (!n) {
                ok = false;
                break;
            }
            c.numbers.push_back({*n, *n});
        }
    }
    if (!ok) {
        out.push_back(unknown(c.text));
        return out;
    }
    if (c.field == Field::kCtState) {
        c.bits = c.value;  // the packet has one state: any of the listed ones
    } else if (c.field == Field::kTcpFlags) {
        if (left.contains("&")) {
            std::vector<json> mask;
            atoms_of(left["&"][1], sets, scope, mask);
            for (const auto& a : mask)
                if (auto b = flag_bits(a, Field::kTcpFlags)) c.bits |= *b;
        } else if (op == "in") {
            c.bits = c.value;
            c.any_bit = true;
        } else {
            c.bits = 0xff;
        }
    } else if ((op == "<" || op == "<=" || op == ">" || op == ">=") && c.numbers.size() == 1) {
        const std::uint64_t n = c.numbers[0].lo;
        if (op == "<") c.numbers[0] = {0, n == 0 ? 0 : n - 1};
        if (op == "<=") c.numbers[0] = {0, n};
        if (op == ">") c.numbers[0] = {n + 1, UINT64_MAX};
        if (op == ">=") c.numbers[0] = {n, UINT64_MAX};
        if (op == "<" && n == 0) c.negate = true, c.numbers[0] = {0, UINT64_MAX};
    }
    out.push_back(std::move(c));
    return out;
}

std::optional<Action> action_of(const std::string& key, const json& body) {
    Action a;
    if (key == "accept") a.verdict = Verdict::kAccept;
    else if (key == "drop") a.verdict = Verdict::kDrop;
    else if (key == "return") a.verdict = Verdict::kReturn;
    else if (key == "continue") a.verdict = Verdict::kNone;
    else if (key == "queue") a.verdict = Verdict::kQueue;
    else if (key == "jump" || key == "goto") {
        a.verdict = key == "jump" ? Verdict::kJump : Verdict::kGoto;
        a.target = body.is_object() ? body.value("target", "") : "";
    } else if (key == "reject") {
        a.verdict = Verdict::kReject;
        std::string type = body.is_object() ? body.value("type", "") : "";
        std::string expr = body.is_object() && body.contains("expr") && body["expr"].is_string() ? body["expr"].get<std::string>() : "";
        if (type == "tcp reset") a.detail = "tcp-reset";
        else if (!type.empty()) a.detail = type + " " + (expr.empty() ? "port-unreachable" : expr);
        else a.detail = "icmp port-unreachable";
    } else if (key == "dnat" || key == "redirect" || key == "tproxy") {
        a.verdict = key == "dnat" ? Verdict::kDnat : key == "redirect" ? Verdict::kRedirect : Verdict::kTproxy;
        if (body.is_object()) {
            IpAddress addr;
            if (body.contains("addr") && body["addr"].is_string() && IpAddress::parse(body["addr"].get<std::string>(), addr)) a.to_address = addr;
            if (body.contains("port") && body["port"].is_number()) a.to_port = body["port"].get<int>();
        }
        a.detail = fmt::format("{}{}", a.to_address ? a.to_address->to_string() : "", a.to_port ? fmt::format(" port {}", a.to_port) : "");
    } else if (key == "snat") {
        a.verdict = Verdict::kSnat;
    } else if (key == "masquerade") {
        a.verdict = Verdict::kMasquerade;
    } else {
        return std::nullopt;
    }
    return a;
}

// Statements that never stop a rule from going on (or that only act on what matched).
bool passive_statement(const std::string& key) {
    static const char* keys[] = {"counter", "log", "mangle", "notrack", "ct helper", "ct timeout", "ct expectation", "set",
                                 "map", "flow", "dup", "fwd", "numgen", "secmark", "synproxy", "last", "xt"};
    for (const char* k : keys)
        if (key == k) return true;
    return false;
}

Rule rule_of(const json& r, const Sets& sets, const std::map<std::string, std::string>& texts) {
    Rule rule;
    const std::string family = r.value("family", ""), table = r.value("table", ""), chain = r.value("chain", "");
    const std::string scope = family + " " + table;
    const long long handle = r.value("handle", -1LL);
    rule.id = fmt::format("handle {}", handle);
    auto t = texts.find(fmt::format("{} {} {} {}", family, table, chain, handle));
    rule.text = t != texts.end() ? t->second : fmt::format("(rule handle {})", handle);
    rule.remove_command = fmt::format("nft delete rule {} {} {} handle {}", family, table, chain, handle);
    if (!r.contains("expr") || !r["expr"].is_array()) return rule;
    for (const auto& e : r["expr"]) {
        if (!e.is_object() || e.empty()) continue;
        const auto [key, body] = only_item(e);
        if (key == "match" && body.is_object()) {
            for (auto& c : conds_of_match(body, sets, scope)) rule.conds.push_back(std::move(c));
        } else if (key == "counter" && body.is_object()) {
            rule.packets = body.value("packets", std::uint64_t{0});
            rule.bytes = body.value("bytes", std::uint64_t{0});
        } else if (key == "vmap" && body.is_object()) {
            int implied = -1;
            const json& k = body.contains("key") ? body["key"] : json();
            Cond proto;
            const Field f = field_of(k, implied);
            std::vector<json> entries;
            if (body.contains("data")) atoms_of(body["data"], sets, scope, entries);
            for (const auto& entry : entries) {
                if (!entry.is_array() || entry.size() != 2 || !entry[1].is_object() || entry[1].empty()) continue;
                json m = {{"op", "=="}, {"left", k}, {"right", entry[0]}};
                auto conds = conds_of_match(m, sets, scope);
                const auto [vk, vb] = only_item(entry[1]);
                auto a = action_of(vk, vb);
                if (!a || conds.empty()) continue;
                if (implied >= 0 && rule.vmap.empty()) rule.conds.push_back(conds.front());
                rule.vmap.push_back({conds.back(), *a});
            }
            if (f == Field::kUnknown && rule.vmap.empty()) rule.action.verdict = Verdict::kUnknown;
        } else if (key == "xt" && body.is_object()) {
            // A match or target nft could not translate (an iptables-nft rule).
            const std::string name = body.value("name", "?");
            if (body.value("type", "") == "target") {
                if (name == "REJECT") rule.action = {Verdict::kReject, "", "(type not shown by nft)", {}, 0};
                else if (name == "TPROXY") rule.action.verdict = Verdict::kTproxy;
                else if (name == "REDIRECT") rule.action.verdict = Verdict::kRedirect;
                else if (name == "DNAT") rule.action.verdict = Verdict::kDnat;
                else if (name != "LOG" && name != "MARK" && name != "CONNMARK" && name != "CT") rule.action = {Verdict::kUnknown, "", name, {}, 0};
            } else if (name != "comment") {
                rule.conds.push_back(unknown("xt match " + name));
            }
        } else if (auto a = action_of(key, body)) {
            // tproxy is followed by accept in nftables: keep the diversion as the rule's action.
            if (rule.action.verdict != Verdict::kTproxy) rule.action = *a;
        } else if (key == "limit" || key == "quota" || key == "meter" || key == "connlimit") {
            rule.conds.push_back(unknown(key));
        } else if (!passive_statement(key)) {
            rule.conds.push_back(unknown(key));
        }
    }
    return rule;
}

}  // namespace

std::map<std::string, std::string> parse_nft_listing(std::string_view listing) {
    std::map<std::string, std::string> out;
    std::string family, table, chain;
    std::size_t start = 0;
    while (start < listing.size()) {
        std::size_t nl = listing.find('\n', start);
        if (nl == std::string_view::npos) nl = listing.size();
        std::string line(listing.substr(start, nl - start));
        start = nl + 1;
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos) continue;
        line = line.substr(first);
        if (line.rfind("table ", 0) == 0) {
            char f[32] = {}, t[256] = {};
            if (std::sscanf(line.c_str(), "table %31s %255s", f, t) == 2) family = f, table = t;
            chain.clear();
            continue;
        }
        if (line.rfind("chain ", 0) == 0) {
            char c[256] = {};
            if (std::sscanf(line.c_str(), "chain %255s", c) == 1) chain = c;
            continue;
        }
        if (line == "}") continue;
        const auto mark = line.rfind(" # handle ");
        if (chain.empty() || mark == std::string::npos) continue;
        // The counter's numbers are reported apart: the text stays the same as they move.
        static const std::regex numbers(" counter packets [0-9]+ bytes [0-9]+");
        out[fmt::format("{} {} {} {}", family, table, chain, line.substr(mark + 10))] =
            std::regex_replace(line.substr(0, mark), numbers, " counter");
    }
    return out;
}

void parse_nft_json(std::string_view text, std::string_view listing, Ruleset& out, const std::vector<std::string>& skip) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {
        throw InputError(fmt::format("nft -j list ruleset: not JSON: {}", e.what()));
    }
    if (!doc.is_object() || !doc.contains("nftables") || !doc["nftables"].is_array())
        throw InputError("nft -j list ruleset: no \"nftables\" array");
    const auto texts = parse_nft_listing(listing);
    Sets sets;
    const std::size_t first_table = out.tables.size();
    auto skipped = [&](const json& o) {
        const std::string key = o.value("family", "") + " " + o.value(o.contains("table") ? "table" : "name", "");
        return std::find(skip.begin(), skip.end(), key) != skip.end();
    };
    auto table_of = [&](const json& o) -> Table* {
        for (std::size_t i = first_table; i < out.tables.size(); ++i)
            if (out.tables[i].family == o.value("family", "") && out.tables[i].name == o.value("table", "")) return &out.tables[i];
        return nullptr;
    };
    for (const auto& item : doc["nftables"]) {
        if (!item.is_object() || item.empty()) continue;
        const auto [kind, o] = only_item(item);
        if (!o.is_object()) continue;
        if (kind == "table") {
            if (skipped(o)) continue;
            Table t;
            t.source = "nftables";
            t.family = o.value("family", "");
            t.name = o.value("name", "");
            t.program = "nft";
            out.tables.push_back(std::move(t));
        } else if ((kind == "set" || kind == "map") && !skipped(o)) {
            NamedSet s;
            if (o.contains("elem") && o["elem"].is_array())
                for (const auto& e : o["elem"]) s.elements.push_back(e.is_object() && e.contains("elem") ? e["elem"].value("val", json()) : e);
            s.verdict_map = kind == "map";
            sets[o.value("family", "") + " " + o.value("table", "") + " " + o.value("name", "")] = std::move(s);
        } else if (kind == "chain" && !skipped(o)) {
            Table* t = table_of(o);
            if (t == nullptr) continue;
            Chain c;
            c.name = o.value("name", "");
            if (o.contains("hook")) {
                c.base = true;
                c.hook = o.value("hook", "");
                c.type = o.value("type", "filter");
                c.priority = o.contains("prio") && o["prio"].is_number() ? o["prio"].get<int>() : 0;
                c.policy = o.value("policy", "accept");
                c.device = o.value("dev", "");
            }
            t->chains.push_back(std::move(c));
        } else if (kind == "rule" && !skipped(o)) {
            Table* t = table_of(o);
            if (t == nullptr) continue;
            for (auto& c : t->chains)
                if (c.name == o.value("chain", "")) c.rules.push_back(rule_of(o, sets, texts));
        }
    }
}

}  // namespace sshpath::client::fw
