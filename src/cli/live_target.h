#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sshpath/packet/packet.h"
#include "sshpath/posix/privileges.h"
#include "sshpath/engine/analyzer.h"

/// Where `capture` and `run` capture: the host, its addresses, the port, the proxies, and what
/// the analysis looks for.
namespace sshpath::cli {

struct Target {
    std::string host;                          ///< as given or derived; "" = any host
    std::vector<packet::IpAddress> addresses;  ///< those in the filter
    std::vector<std::pair<packet::IpAddress, int>> proxies;  ///< --proxy: their connections are kept too
    bool resolved = false;                     ///< host was a name that was resolved
    int filter_port = 22;                      ///< 0: every TCP connection
    engine::AnalyzeOptions analyze;
    std::vector<std::string> notes;            ///< what the filter keeps and why, for the user
};

/// --host for `capture` and `run`: an address, or a name resolved now (all its addresses);
/// UsageError otherwise.
Target explicit_target(const std::string& host, int port);
/// Whether every address of the target is this machine's own: the capture is the server's side.
bool server_is_here(const Target& t);
/// Every host, connections to `port` (0: every TCP connection).
Target any_host_target(int port);
/// `run -- ssh ARGS` without --host: what ssh will connect to, from `ssh -G ARGS` run as `who`
/// (ssh_target.cpp). UsageError when ssh -G cannot tell.
Target ssh_target(const std::string& ssh, const std::vector<std::string>& args, const std::optional<posix::Identity>& who,
                  const std::optional<int>& port_override, bool proxies_given);
/// The analyzer's host options for addresses already enforced by the kernel filter: one
/// address is named (proxy requests naming the host also match); several are left to the
/// filter, as the analyzer takes one address only.
void set_analyzer_host(Target& t, const std::string& host);
/// --proxy HOST:PORT ([ADDR]:PORT for IPv6): every address of HOST, with the port.
std::vector<std::pair<packet::IpAddress, int>> parse_proxies(const std::vector<std::string>& specs);
/// The interface the route to the target leaves by; `any` (with a note saying why) when the
/// addresses leave by several, none has a route, or no address is known.
std::string choose_interface(const Target& t, std::vector<std::string>& notes);
/// "A1, A2".
std::string address_list(const std::vector<packet::IpAddress>& addresses);
/// The addresses as text.
std::vector<std::string> address_texts(const std::vector<packet::IpAddress>& addresses);

}  // namespace sshpath::cli
