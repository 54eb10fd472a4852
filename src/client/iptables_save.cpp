// `iptables-save -c` / `ip6tables-save -c` (legacy and nf_tables backends print the same format).
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "sshpath/client/ruleset_parse.h"
#include "sshpath/core/error.h"

namespace sshpath::client::fw {

namespace {

struct BuiltinChain {
    const char* table;
    const char* chain;
    const char* hook;
    int priority;
};

// The hooks and priorities of the tables' built-in chains (linux/netfilter_ipv4.h).
constexpr BuiltinChain kBuiltins[] = {
    {"raw", "PREROUTING", "prerouting", -300},        {"raw", "OUTPUT", "output", -300},
    {"mangle", "PREROUTING", "prerouting", -150},     {"mangle", "INPUT", "input", -150},
    {"mangle", "FORWARD", "forward", -150},           {"mangle", "OUTPUT", "output", -150},
    {"mangle", "POSTROUTING", "postrouting", -150},   {"nat", "PREROUTING", "prerouting", -100},
    {"nat", "OUTPUT", "output", -100},                {"nat", "INPUT", "input", 100},
    {"nat", "POSTROUTING", "postrouting", 100},       {"filter", "INPUT", "input", 0},
    {"filter", "FORWARD", "forward", 0},              {"filter", "OUTPUT", "output", 0},
    {"security", "INPUT", "input", 50},               {"security", "FORWARD", "forward", 50},
    {"security", "OUTPUT", "output", 50},
};

// Words of a rule line; "double quoted" words keep their spaces (iptables-save quotes comments).
std::vector<std::string> tokens(std::string_view line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        if (i >= line.size()) break;
        std::string w;
        if (line[i] == '"') {
            ++i;
            while (i < line.size() && line[i] != '"') {
                if (line[i] == '\\' && i + 1 < line.size()) ++i;
                w += line[i++];
            }
            ++i;
        } else {
            while (i < line.size() && line[i] != ' ') w += line[i++];
        }
        out.push_back(std::move(w));
    }
    return out;
}

bool is_option(const std::string& t) { return t.size() > 1 && t[0] == '-' && !(t[1] >= '0' && t[1] <= '9'); }

std::optional<std::uint64_t> number(const std::string& s) {
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoull(s);
}

// "22", "1000:2000", "ssh" (iptables-save prints numbers).
std::optional<Range> port_range(const std::string& s) {
    const auto colon = s.find(':');
    auto lo = number(s.substr(0, colon));
    auto hi = colon == std::string::npos ? lo : number(s.substr(colon + 1));
    if (colon != std::string::npos && s.substr(colon + 1).empty()) hi = 65535;
    if (colon == 0) lo = 0;
    if (!lo || !hi) return std::nullopt;
    return Range{*lo, *hi};
}

std::optional<Prefix> prefix(const std::string& s, int family) {
    Prefix p;
    const auto slash = s.find('/');
    if (!IpAddress::parse(s.substr(0, slash), p.address) || p.address.version != family) return std::nullopt;
    const int total = family == 4 ? 32 : 128;
    p.length = total;
    if (slash == std::string::npos) return p;
    const std::string mask = s.substr(slash + 1);
    if (auto n = number(mask); n && *n <= static_cast<std::uint64_t>(total)) {
        p.length = static_cast<int>(*n);
        return p;
    }
    IpAddress m;
    if (!IpAddress::parse(mask, m) || m.version != family) return std::nullopt;
    int len = 0;  // a dotted mask: only contiguous ones are understood
    bool ended = false;
    for (int bit = 0; bit < total; ++bit) {
        const bool set = (m.bytes[static_cast<std::size_t>(bit / 8)] & (0x80 >> (bit % 8))) != 0;
        if (set && ended) return std::nullopt;
        if (set) ++len;
        else ended = true;
    }
    p.length = len;
    return p;
}

std::uint32_t tcp_flag_list(const std::string& s) {
    std::uint32_t bits = 0;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        const std::string f = s.substr(start, comma - start);
        if (f == "FIN") bits |= 0x01;
        if (f == "SYN") bits |= 0x02;
        if (f == "RST") bits |= 0x04;
        if (f == "PSH") bits |= 0x08;
        if (f == "ACK") bits |= 0x10;
        if (f == "URG") bits |= 0x20;
        if (f == "ALL") bits |= 0x3f;
        start = comma + 1;
    }
    return bits;
}

std::optional<std::uint32_t> ct_states(const std::string& s) {
    std::uint32_t bits = 0;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        const std::string f = s.substr(start, comma - start);
        if (f == "NEW") bits |= kCtNew;
        else if (f == "ESTABLISHED") bits |= kCtEstablished;
        else if (f == "RELATED") bits |= kCtRelated;
        else if (f == "INVALID") bits |= kCtInvalid;
        else if (f == "UNTRACKED") bits |= kCtUntracked;
        else return std::nullopt;  // SNAT, DNAT: depends on what nat did
        start = comma + 1;
    }
    return bits;
}

std::optional<Range> owner_range(const std::string& s, bool user) {
    const auto dash = s.find('-');
    if (dash != std::string::npos) {
        auto lo = number(s.substr(0, dash)), hi = number(s.substr(dash + 1));
        if (lo && hi) return Range{*lo, *hi};
        return std::nullopt;
    }
    if (auto n = number(s)) return Range{*n, *n};
    if (user) {
        if (const passwd* pw = getpwnam(s.c_str())) return Range{pw->pw_uid, pw->pw_uid};
    } else if (const group* gr = getgrnam(s.c_str())) {
        return Range{gr->gr_gid, gr->gr_gid};
    }
    return std::nullopt;
}

Cond make(Field f, bool negate) {
    Cond c;
    c.field = f;
    c.negate = negate;
    return c;
}

Cond unknown(std::string text, bool negate) {
    Cond c = make(Field::kUnknown, negate);
    c.text = std::move(text);
    return c;
}

struct RuleParser {
    RuleParser(const std::vector<std::string>& words, int fam, const std::set<std::string>& declared)
        : t(words), family(fam), chains(declared) {}
    const std::vector<std::string>& t;
    int family;
    const std::set<std::string>& chains;  // declared in this table: -j NAME is a jump
    std::size_t i = 0;
    std::string module;
    Rule rule;

    // The values of an option: the words up to the next option or '!'.
    std::vector<std::string> values() {
        std::vector<std::string> out;
        while (i < t.size() && !is_option(t[i]) && t[i] != "!") out.push_back(t[i++]);
        return out;
    }

    void protocol(const std::string& p, bool neg) {
        static const std::map<std::string, std::uint64_t> protos = {{"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"ipv6-icmp", 58},
                                                                    {"icmpv6", 58}, {"sctp", 132}, {"udplite", 136}, {"gre", 47}, {"esp", 50}};
        if (p == "all" || p == "0") {
            if (neg) rule.conds.push_back(make(Field::kNfProto, false));  // "! -p all": nothing
            return;
        }
        Cond c = make(Field::kL4Proto, neg);
        auto it = protos.find(p);
        auto n = number(p);
        if (it == protos.end() && !n) {
            rule.conds.push_back(unknown("-p " + p, neg));
            return;
        }
        const std::uint64_t v = it != protos.end() ? it->second : *n;
        c.numbers = {{v, v}};
        rule.conds.push_back(c);
    }

    void ports(Field f, const std::vector<std::string>& vals, bool neg, const std::string& text) {
        Cond c = make(f, neg);
        for (const auto& v : vals) {
            std::size_t start = 0;
            while (start <= v.size()) {
                std::size_t comma = v.find(',', start);
                if (comma == std::string::npos) comma = v.size();
                auto r = port_range(v.substr(start, comma - start));
                if (!r) {
                    rule.conds.push_back(unknown(text, neg));
                    return;
                }
                c.numbers.push_back(*r);
                start = comma + 1;
            }
        }
        rule.conds.push_back(c);
    }

    void module_option(const std::string& opt, bool neg) {
        const auto vals = values();
        std::string text = "-m " + module + " " + opt;
        for (const auto& v : vals) text += " " + v;
        const std::string m = module;
        if ((m == "tcp" || m == "udp" || m == "sctp") && (opt == "--dport" || opt == "--destination-port")) return ports(Field::kDport, vals, neg, text);
        if ((m == "tcp" || m == "udp" || m == "sctp") && (opt == "--sport" || opt == "--source-port")) return ports(Field::kSport, vals, neg, text);
        if (m == "multiport" && (opt == "--dports" || opt == "--destination-ports")) return ports(Field::kDport, vals, neg, text);
        if (m == "multiport" && (opt == "--sports" || opt == "--source-ports")) return ports(Field::kSport, vals, neg, text);
        if (m == "tcp" && opt == "--syn") {
            Cond c = make(Field::kTcpFlags, neg);
            c.bits = 0x17;  // FIN,SYN,RST,ACK
            c.value = 0x02;
            rule.conds.push_back(c);
            return;
        }
        if (m == "tcp" && opt == "--tcp-flags" && vals.size() == 2) {
            Cond c = make(Field::kTcpFlags, neg);
            c.bits = tcp_flag_list(vals[0]);
            c.value = tcp_flag_list(vals[1]) & c.bits;
            rule.conds.push_back(c);
            return;
        }
        if ((m == "conntrack" && opt == "--ctstate") || (m == "state" && opt == "--state")) {
            auto bits = vals.size() == 1 ? ct_states(vals[0]) : std::nullopt;
            if (!bits) return rule.conds.push_back(unknown(text, neg));
            Cond c = make(Field::kCtState, neg);
            c.bits = *bits;
            rule.conds.push_back(c);
            return;
        }
        if (m == "conntrack" && opt == "--ctdir" && vals.size() == 1) {
            Cond c = make(Field::kCtDirection, neg);
            const std::uint64_t d = vals[0] == "REPLY" ? 1 : 0;
            c.numbers = {{d, d}};
            rule.conds.push_back(c);
            return;
        }
        if (m == "comment") return;
        if (m == "owner" && (opt == "--uid-owner" || opt == "--gid-owner") && vals.size() == 1) {
            auto r = owner_range(vals[0], opt == "--uid-owner");
            if (!r) return rule.conds.push_back(unknown(text, neg));
            Cond c = make(opt == "--uid-owner" ? Field::kSkuid : Field::kSkgid, neg);
            c.numbers = {*r};
            rule.conds.push_back(c);
            return;
        }
        rule.conds.push_back(unknown(text, neg));
    }

    void target(const std::string& name, bool go) {
        const auto opts = std::vector<std::string>(t.begin() + static_cast<std::ptrdiff_t>(i), t.end());
        auto opt = [&](const char* o) -> std::string {
            for (std::size_t k = 0; k + 1 < opts.size(); ++k)
                if (opts[k] == o) return opts[k + 1];
            return "";
        };
        i = t.size();
        Action& a = rule.action;
        if (go) {
            a.verdict = Verdict::kGoto;
            a.target = name;
        } else if (name == "ACCEPT") {
            a.verdict = Verdict::kAccept;
        } else if (name == "DROP") {
            a.verdict = Verdict::kDrop;
        } else if (name == "RETURN") {
            a.verdict = Verdict::kReturn;
        } else if (name == "REJECT") {
            a.verdict = Verdict::kReject;
            a.detail = opt("--reject-with");
            if (a.detail.empty()) a.detail = family == 4 ? "icmp-port-unreachable" : "icmp6-port-unreachable";
        } else if (name == "QUEUE" || name == "NFQUEUE") {
            a.verdict = Verdict::kQueue;
            a.detail = opt("--queue-num");
        } else if (name == "DNAT" || name == "REDIRECT" || name == "TPROXY") {
            a.verdict = name == "DNAT" ? Verdict::kDnat : name == "REDIRECT" ? Verdict::kRedirect : Verdict::kTproxy;
            std::string to = name == "DNAT" ? opt("--to-destination") : name == "REDIRECT" ? opt("--to-ports") : opt("--on-port");
            if (name == "TPROXY" && !opt("--on-ip").empty()) to = opt("--on-ip") + ":" + to;
            a.detail = to;
            // ADDR, ADDR:PORT, [V6ADDR]:PORT, PORT, PORT-PORT
            std::string addr = to, port;
            if (name == "REDIRECT" || (name == "TPROXY" && opt("--on-ip").empty())) {
                addr.clear();
                port = to;
            } else if (!to.empty() && to.front() == '[') {
                addr = to.substr(1, to.find(']') - 1);
                if (to.find("]:") != std::string::npos) port = to.substr(to.find("]:") + 2);
            } else if (std::count(to.begin(), to.end(), ':') == 1) {
                addr = to.substr(0, to.find(':'));
                port = to.substr(to.find(':') + 1);
            }
            IpAddress ip;
            if (!addr.empty() && IpAddress::parse(addr.substr(0, addr.find('-')), ip)) a.to_address = ip;
            a.to_port = std::atoi(port.substr(0, port.find('-')).c_str());
        } else if (name == "SNAT" || name == "NETMAP") {
            a.verdict = Verdict::kSnat;
        } else if (name == "MASQUERADE") {
            a.verdict = Verdict::kMasquerade;
        } else if (chains.count(name)) {
            a.verdict = Verdict::kJump;
            a.target = name;
        } else {
            static const char* passive[] = {"LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CT", "NOTRACK", "TRACE", "CLASSIFY", "TCPMSS",
                                            "DSCP", "TOS", "TTL", "HL", "SET", "AUDIT", "CHECKSUM", "CONNSECMARK", "SECMARK",
                                            "IDLETIMER", "LED", "RATEEST", "TEE", "HMARK", "ECN", "TCPOPTSTRIP"};
            const bool known_passive = std::any_of(std::begin(passive), std::end(passive), [&](const char* p) { return name == p; });
            if (!known_passive) a = Action{Verdict::kUnknown, "", name, {}, 0};
        }
    }

    void parse() {
        bool neg = false;
        while (i < t.size()) {
            const std::string w = t[i++];
            if (w == "!") {
                neg = true;
                continue;
            }
            auto value = [&]() -> std::string {
                if (i < t.size() && t[i] == "!") neg = !neg, ++i;
                return i < t.size() ? t[i++] : "";
            };
            if (w == "-p" || w == "--protocol") {
                const std::string p = value();
                protocol(p, neg);
                module.clear();
            } else if (w == "-s" || w == "--source" || w == "-d" || w == "--destination") {
                const std::string v = value();
                Cond c = make(w == "-s" || w == "--source" ? Field::kSaddr : Field::kDaddr, neg);
                std::size_t start = 0;
                bool ok = true;
                while (start <= v.size()) {
                    std::size_t comma = v.find(',', start);
                    if (comma == std::string::npos) comma = v.size();
                    auto p = prefix(v.substr(start, comma - start), family);
                    if (!p) ok = false;
                    else c.prefixes.push_back(*p);
                    start = comma + 1;
                }
                rule.conds.push_back(ok ? c : unknown(w + " " + v, neg));
            } else if (w == "-i" || w == "--in-interface" || w == "-o" || w == "--out-interface") {
                Cond c = make(w == "-i" || w == "--in-interface" ? Field::kIifname : Field::kOifname, neg);
                c.names = {value()};
                rule.conds.push_back(c);
            } else if (w == "-f" || w == "--fragment") {
                // Only second and later fragments: never a TCP segment's header.
                Cond c = make(Field::kNfProto, neg);
                c.text = "-f";
                rule.conds.push_back(c);
            } else if (w == "-m" || w == "--match") {
                module = value();
            } else if (w == "-j" || w == "--jump" || w == "-g" || w == "--goto") {
                const std::string name = value();
                target(name, w == "-g" || w == "--goto");
            } else if (w == "-c" || w == "--set-counters") {
                value();
                value();
            } else if (is_option(w) && !module.empty()) {
                if (i < t.size() && t[i] == "!") neg = !neg, ++i;
                module_option(w, neg);
            } else {
                rule.conds.push_back(unknown(w, neg));
            }
            neg = false;
        }
    }
};

}  // namespace

void parse_iptables_save(std::string_view text, int family, const std::string& source, const std::string& program, Ruleset& out) {
    Table* table = nullptr;
    std::set<std::string> declared;
    std::map<std::string, int> counts;
    int line_no = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        std::string line(text.substr(start, nl - start));
        start = nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto bad = [&](const std::string& what) {
            return InputError(fmt::format("{}-save output, line {}: {}: {}", program, line_no, what, line.substr(0, 120)));
        };
        if (line[0] == '*') {
            Table t;
            t.source = source;
            t.family = family == 4 ? "ip" : "ip6";
            t.name = line.substr(1);
            t.program = program;
            out.tables.push_back(std::move(t));
            table = &out.tables.back();
            declared.clear();
            counts.clear();
            continue;
        }
        if (line == "COMMIT") {
            table = nullptr;
            continue;
        }
        if (table == nullptr) throw bad("outside a table");
        std::optional<std::uint64_t> packets, bytes;
        if (line[0] == '[' || line[0] == ':') {
            // ":CHAIN POLICY [p:b]" or "[p:b] -A CHAIN ..."
            const auto open = line.find('['), close = line.find(']');
            if (open != std::string::npos && close != std::string::npos && close > open) {
                const std::string c = line.substr(open + 1, close - open - 1);
                const auto colon = c.find(':');
                packets = number(c.substr(0, colon));
                if (colon != std::string::npos) bytes = number(c.substr(colon + 1));
            }
        }
        if (line[0] == ':') {
            const auto words = tokens(line.substr(1));
            if (words.empty()) throw bad("a chain without a name");
            Chain c;
            c.name = words[0];
            for (const auto& b : kBuiltins)
                if (table->name == b.table && c.name == b.chain) {
                    c.base = true;
                    c.hook = b.hook;
                    c.priority = b.priority;
                    c.type = table->name == "nat" ? "nat" : "filter";
                    c.policy = words.size() > 1 && words[1] == "DROP" ? "drop" : "accept";
                    c.policy_packets = packets;
                    c.policy_bytes = bytes;
                }
            declared.insert(c.name);
            table->chains.push_back(std::move(c));
            continue;
        }
        std::string rule_text = line;
        if (line[0] == '[') rule_text = line.substr(line.find(']') + 1);
        rule_text = rule_text.substr(std::min(rule_text.size(), rule_text.find_first_not_of(' ')));
        const auto words = tokens(rule_text);
        if (words.size() < 2 || (words[0] != "-A" && words[0] != "--append")) throw bad("not a rule");
        Chain* chain = nullptr;
        for (auto& c : table->chains)
            if (c.name == words[1]) chain = &c;
        if (chain == nullptr) throw bad("a rule of an undeclared chain");
        RuleParser p(words, family, declared);
        p.i = 2;
        p.parse();
        Rule r = std::move(p.rule);
        r.text = rule_text;
        r.id = fmt::format("rule {}", ++counts[chain->name]);
        r.packets = packets;
        r.bytes = bytes;
        r.remove_command = fmt::format("{} -t {} -D{}", program, table->name, rule_text.substr(rule_text.find(' ')));
        chain->rules.push_back(std::move(r));
    }
}

}  // namespace sshpath::client::fw
