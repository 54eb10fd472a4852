#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/packet/packet.h"

/// The client's own firewall: nftables and iptables rules read into one model, and evaluated in
/// order for the packets of one TCP connection (the SSH client's SYN, the server's replies).
/// A match the model does not understand is "may match", never guessed.
namespace sshpath::client::fw {

using packet::IpAddress;

/// A three-valued answer: a rule matches, does not, or may (it depends on what cannot be known
/// here: an unknown match, a set of addresses kept elsewhere, a rate limit, a mark).
enum class Tri : std::uint8_t { kNo, kMaybe, kYes };
std::string_view tri_name(Tri t);  ///< "no", "may", "yes"

/// What a condition looks at.
enum class Field : std::uint8_t {
    kL4Proto,      ///< IP protocol number (6 for TCP)
    kNfProto,      ///< 4 or 6
    kSaddr,
    kDaddr,
    kSport,
    kDport,
    kIifname,
    kOifname,
    kCtState,      ///< conntrack state bits (kCt* below)
    kCtDirection,  ///< 0 original, 1 reply
    kTcpFlags,
    kSkuid,        ///< the sending socket's user (output only)
    kSkgid,
    kUnknown,      ///< anything else: may match
};

/// Conntrack state bits, as nftables numbers them.
inline constexpr std::uint32_t kCtInvalid = 1, kCtEstablished = 2, kCtRelated = 4, kCtNew = 8, kCtUntracked = 64;

struct Range {
    std::uint64_t lo = 0, hi = 0;
};
struct Prefix {
    IpAddress address;
    int length = 0;  ///< bits
};

/// One condition of a rule; a rule matches when all of them do.
struct Cond {
    Field field = Field::kUnknown;
    bool negate = false;
    std::vector<Range> numbers;         ///< protocol, port, uid, direction values (any of them)
    std::vector<Prefix> prefixes;       ///< addresses (any of them)
    std::vector<std::string> names;     ///< interface names; a trailing '*' or '+' is a wildcard
    std::uint32_t bits = 0;             ///< kCtState: the states; kTcpFlags: the mask
    std::uint32_t value = 0;            ///< kTcpFlags: (flags & bits) == value
    bool any_bit = false;               ///< kTcpFlags: (flags & bits) != 0 instead
    std::string text;                   ///< kUnknown: what it is, for the report
};

/// What a rule does when it matches.
enum class Verdict : std::uint8_t {
    kNone,       ///< nothing final (a counter, a log, a mark): the next rule follows
    kAccept,
    kDrop,
    kReject,
    kJump,
    kGoto,
    kReturn,
    kQueue,      ///< handed to a program in user space, which decides
    kDnat,       ///< destination changed (nat)
    kRedirect,   ///< destination changed to this machine (nat): a local proxy
    kTproxy,     ///< handed to a local transparent proxy
    kSnat,
    kMasquerade,
    kUnknown,    ///< a target the model does not know: it may decide
};
std::string_view verdict_name(Verdict v);  ///< "accept", "drop", "reject", "jump", ...

struct Action {
    Verdict verdict = Verdict::kNone;
    std::string target;   ///< jump/goto: the chain
    std::string detail;   ///< reject: its type ("tcp-reset", "icmp-port-unreachable"); dnat/redirect/tproxy: where to
    std::optional<IpAddress> to_address;  ///< dnat/tproxy
    int to_port = 0;                      ///< dnat/redirect/tproxy; 0: unchanged
};

/// One entry of a verdict map (nftables `vmap`): when `match` holds, `action`.
struct VmapEntry {
    Cond match;
    Action action;
};

struct Rule {
    std::vector<Cond> conds;
    Action action;
    std::vector<VmapEntry> vmap;          ///< non-empty: the action comes from the first entry that matches
    std::string text;                     ///< as the tool prints it
    std::string id;                       ///< "handle 7" (nftables) or "rule 3" (iptables, 1-based in its chain)
    std::optional<std::uint64_t> packets, bytes;  ///< its counters, when it has one
    std::string remove_command;           ///< the command that deletes it
};

struct Chain {
    std::string name;
    std::vector<Rule> rules;
    bool base = false;             ///< attached to a hook
    std::string hook;              ///< prerouting, input, forward, output, postrouting, ingress, egress
    std::string type = "filter";   ///< filter, nat, route
    int priority = 0;
    std::string policy = "accept"; ///< base chains: accept or drop
    std::optional<std::uint64_t> policy_packets, policy_bytes;  ///< iptables counts the packets the policy decided
    std::string device;            ///< netdev chains
};

struct Table {
    std::string source;    ///< nftables, iptables-nft, iptables-legacy
    std::string family;    ///< ip, ip6, inet, netdev, bridge, arp
    std::string name;
    std::string program;   ///< the command that changes it: nft, iptables, ip6tables-legacy, ...
    std::vector<Chain> chains;
    const Chain* find(const std::string& chain) const;
};

/// Every table read, from every source.
struct Ruleset {
    std::vector<Table> tables;
    std::vector<std::string> notes;   ///< what was left out and why
};

/// The program that manages a rule, from its table and chain names: "ufw", "firewalld" or "".
std::string manager_of(const Table& table, const Chain& chain);
/// How to change a rule of that manager (a command line and what to do), "" for none.
std::string manager_command(const std::string& manager);

/// An interface at a hook: known by name, none (no interface at that hook), or unknown.
struct Interface {
    bool known = true;
    std::string name;   ///< "" with known: no interface here
};

/// The packet evaluated.
struct Packet {
    int family = 4;
    IpAddress saddr, daddr;   ///< version 0: unknown
    Range sport, dport;       ///< one port (lo == hi) or the ephemeral range it is taken from
    Interface iif, oif;
    std::uint8_t tcp_flags = packet::kSyn;
    std::uint32_t ct_state = kCtNew;
    int ct_direction = 0;     ///< 0 original, 1 reply
    std::optional<std::uint32_t> uid, gid;   ///< the socket's owner (output)
};

/// Does the condition hold for the packet?
Tri evaluate(const Cond& cond, const Packet& p);

/// A rule met while evaluating a path, as the report shows it.
struct Hit {
    std::string source, family, table, chain;
    std::string rule_text, rule_id;
    Tri match = Tri::kNo;
    bool reached = true;      ///< false: inside a chain that is only maybe jumped to
    Action action;
    std::optional<std::uint64_t> packets, bytes;
    std::string remove_command, manager, manager_command;
    bool policy = false;      ///< a chain policy, not a rule
    bool decided = false;     ///< this is what decided the packet's fate
    std::string unknown;      ///< the conditions that made the match uncertain
};

/// One packet's way through the hooks (e.g. output then postrouting).
struct PathResult {
    std::string name;          ///< out-syn, in-reply, out-established, in-established, fwd-syn, fwd-reply
    std::string description;   ///< "the client's SYN to the server (a new connection)"
    Packet packet;
    std::string verdict = "accept";   ///< accept | drop | reject | queue
    std::string reject_type;
    bool certain = true;       ///< no rule that may match could decide otherwise
    std::optional<Hit> decided_by;    ///< the rule or policy; none when every chain accepted
    std::vector<Hit> hits;     ///< every rule that matched or may match, in evaluation order
    std::vector<Hit> diversions;      ///< dnat/redirect/tproxy rules that matched or may match
    std::vector<std::string> notes;
};

/// The hooks a path crosses, in order: out (output, postrouting), in (prerouting, input),
/// fwd (prerouting, forward, postrouting).
enum class Direction : std::uint8_t { kOut, kIn, kForward };

/// Evaluates the packet through every base chain of the hooks of `direction`, in priority
/// order: a drop, reject or queue ends it; an accept ends only its own base chain.
PathResult evaluate_path(const Ruleset& rules, Direction direction, const Packet& packet, std::string name,
                         std::string description);

/// Rules anywhere in the ruleset that would hand TCP to `port` to a transparent proxy
/// (TPROXY): they act in prerouting, so they are listed whatever the path.
std::vector<Hit> tproxy_rules(const Ruleset& rules, const Packet& packet);

}  // namespace sshpath::client::fw
