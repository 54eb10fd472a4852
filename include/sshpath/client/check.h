#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sshpath/client/files.h"
#include "sshpath/client/firewall.h"
#include "sshpath/client/network.h"
#include "sshpath/client/ssh_config.h"
#include "sshpath/client/system.h"
#include "sshpath/facts/facts.h"
#include "sshpath/ssh/host_key.h"

/// `sshpath check HOST`: the client computer examined, as the guide's first source asks (its
/// firewall, proxy, ssh configuration and key files), for one host and port.
namespace sshpath::client {

/// A host key a server sent in a capture.
struct SeenKey {
    IpAddress server;      ///< the address the connection went to
    int port = 0;
    ssh::HostKey key;
};

struct CheckOptions {
    std::string host;
    std::optional<int> port;                  ///< -p; default: what ssh -G says
    /// ssh's own arguments (`sshpath run -- ssh ARGS`): `ssh -G ARGS` instead of `ssh -G [-p PORT] HOST`.
    std::vector<std::string> ssh_args;
    std::string capture_file;                 ///< --capture, "" when none
    std::vector<SeenKey> capture_keys;        ///< the host keys servers sent in that capture
    std::string version;                      ///< sshpath's version, for the JSON
};

/// A check that could not run, and why.
struct Skipped {
    std::string check;
    std::string why;
};

/// A sentence for the report: problem (ssh fails or misbehaves because of it), warning (not
/// what the guide recommends, or may matter), info.
struct Finding {
    std::string level;   ///< problem | warning | info
    std::string area;    ///< ssh-config | name | route | files | known-hosts | firewall | divert
    std::string text;
    std::string fix;     ///< a command, "" when none
};

/// The host key seen in the capture against known_hosts.
struct HostKeyCompare {
    std::string server;   ///< ADDRESS port PORT it came from
    std::string type, fingerprint;
    std::string status;   ///< match | changed | revoked | other-type-known | not-known
};

struct KnownHostsFile {
    std::string path;
    FileCheck check;
    std::vector<KnownKey> keys;    ///< the lines for the host
    std::string error;             ///< ssh-keygen's failure
};

/// What one ruleset source gave.
struct FirewallSource {
    std::string name;      ///< nftables, iptables-nft (IPv4), ip6tables-legacy (IPv6), ...
    std::string command;   ///< what ran
    bool read = false;
    std::string error;
    int tables = 0;
};

struct CheckResult {
    std::string host;
    int port = 22;
    bool port_given = false;
    Invoker user;
    bool root = false;                       ///< the process ran as root (firewall readable)
    std::string machine;                     ///< this computer's host name
    std::string time;                        ///< UTC, ISO 8601
    std::string version;

    // What ssh will do.
    bool ssh_ran = false;
    std::string ssh_version;                 ///< `ssh -V`
    std::string ssh_error;                   ///< ssh -G's message when it failed
    std::vector<std::string> ssh_command;    ///< the ssh -G command line
    SshSettings ssh;
    std::vector<SettingOrigin> origins;
    std::vector<ProxyVariable> proxy_env;
    std::string proxy_env_from;

    // Name and route.
    Resolution resolution;
    std::vector<Route> routes;               ///< one per address ssh may try, in its order
    std::vector<PolicyRule> policy_rules;    ///< besides the three default ones
    std::vector<std::string> rules_for_host; ///< `ip rule` lines that select the first address

    // Keys and files.
    std::vector<FileCheck> files;            ///< ~/.ssh, config, each identity and its .pub
    std::vector<KnownHostsFile> known_hosts;
    std::string known_hosts_name;            ///< the name looked up ([host]:port)
    std::string capture_file;
    std::vector<HostKeyCompare> host_keys;

    // The firewall.
    std::vector<FirewallSource> firewall_sources;
    bool firewall_read = false;
    fw::Ruleset ruleset;
    std::vector<fw::PathResult> paths;       ///< for the first address
    std::vector<fw::Hit> tproxy;
    std::vector<std::string> managers;       ///< ufw, firewalld: installed

    /// `sshpath run`: packets the deciding rules counted while the command ran; -1 when not measured.
    std::int64_t out_rule_packets_during = -1;
    std::int64_t reply_rule_packets_during = -1;

    std::vector<Skipped> skipped;
    std::vector<Finding> findings;
};

/// Runs every check it can: ssh -G and the key files as the user, name and route, the
/// firewall as root. A check that cannot run is listed in `skipped`, never an error.
CheckResult run_check(const CheckOptions& options);

/// The sentences of the report, from the result (fills result.findings).
void add_findings(CheckResult& result);

/// Reads the firewall again (as root) and evaluates the paths again: the counters now.
void recheck_firewall(CheckResult& result);

/// The packet counter of the rule that decided `path` (out-syn, in-reply) in `now`, when it is
/// the same rule (same source, table, chain and text) as in `before`; nullopt otherwise.
std::optional<std::uint64_t> same_rule_packets(const CheckResult& before, const CheckResult& now, const std::string& path);

/// The check's findings of level problem and warning, one line each, for another report.
std::vector<std::string> finding_lines(const CheckResult& result);

/// A check saved with `--format json`, read back (analyze --client-check).
struct SavedCheck {
    facts::FactSet facts{facts::Scope::kClient};
    std::string host, machine, time;
    std::vector<std::string> notes;   ///< its findings of level problem and warning
};
/// Reads it; InputError when it is not a check of this schema or a fact has the wrong type.
/// Facts this version does not know (a newer sshpath wrote them) are left out.
SavedCheck read_saved_check(std::string_view json, const std::string& file);

/// The facts of the `client` scope (include/sshpath/facts/client.def) for this result, with
/// the deciding firewall rules as observations (packet 0: not from a capture).
facts::FactSet client_fact_set(const CheckResult& result);

/// The result as JSON: {"format": "sshpath-client-check", "schema_version": 1, ...}; `verdict`,
/// when given, is written as is under "verdict" (the contract's shape, made by the caller).
std::string to_json(const CheckResult& result, const std::string& verdict_json = "");
/// The result as text for a terminal.
std::string to_text(const CheckResult& result);

}  // namespace sshpath::client
