#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

/// What ssh will really do for a host: its configuration as `ssh -G` prints it, where each
/// setting came from, and the proxy environment variables.
namespace sshpath::client {

/// The settings of `ssh -G HOST` (keys are printed in lower case, one `key value` per line;
/// a key given several times, such as identityfile, appears on several lines).
struct SshSettings {
    std::string hostname;                     ///< HostName: where ssh connects ("" when not printed)
    int port = 22;
    std::string user;
    std::vector<std::string> identity_files;  ///< as printed, `~` not expanded
    std::string proxy_command;                ///< "" when none
    std::string proxy_jump;                   ///< "" when none
    int connect_timeout = -1;                 ///< seconds; -1: none (the system's TCP timeout)
    std::string address_family = "any";      ///< any | inet | inet6
    std::string strict_host_key_checking;     ///< as printed: ask, true, false, accept-new
    std::string host_key_alias;               ///< "" when none
    std::vector<std::string> user_known_hosts_files, global_known_hosts_files;
    std::map<std::string, std::vector<std::string>> all;  ///< every key and its values, in order
    /// The value of a key as printed ("" when absent; several values joined with spaces).
    std::string get(const std::string& key) const;
};

/// Parses the standard output of `ssh -G`. Unknown keys are kept in `all` only.
SshSettings parse_ssh_g(std::string_view text);

/// The settings whose origin is reported, by `ssh -G` key.
inline constexpr const char* kTracedSettings[] = {"hostname", "port", "user", "identityfile", "proxycommand", "proxyjump",
                                                  "connecttimeout", "addressfamily", "stricthostkeychecking"};

/// Where a setting came from, told apart by running `ssh -G` again with `-F /dev/null`
/// (OpenSSH's defaults and the command line), `-F USER_CONFIG` alone and `-F SYSTEM_CONFIG`
/// alone.
struct SettingOrigin {
    std::string key;
    std::string value;                ///< the effective value
    std::string origin;               ///< default | user-config | system-config | user-and-system-config | command-line | unknown
    std::vector<std::string> files;   ///< the files (the config and its Includes) with a line for this keyword
};

/// A configuration file read: its path and text.
struct ConfigFile {
    std::string path;
    std::string text;
};

/// `full`: plain `ssh -G`; `defaults`: with -F /dev/null; `user_only`/`system_only`: with -F
/// of that file alone (nullptr when the file does not exist). `command_line` keys were given
/// on ssh's command line (e.g. "port" for -p). `user_files`/`system_files`: each configuration
/// file and the files it includes, to name those with a line for the keyword.
std::vector<SettingOrigin> setting_origins(const SshSettings& full, const SshSettings& defaults, const SshSettings* user_only,
                                           const SshSettings* system_only, const std::vector<std::string>& command_line,
                                           const std::vector<ConfigFile>& user_files, const std::vector<ConfigFile>& system_files);

/// The patterns of the `Include` lines of a configuration file's text, in order.
std::vector<std::string> include_patterns(std::string_view config_text);

/// True when a line of the configuration text sets `keyword` (case-insensitive, `Key value`
/// or `Key=value`).
bool sets_keyword(std::string_view config_text, std::string_view keyword);

/// The configuration keyword for an `ssh -G` key ("proxycommand" -> "ProxyCommand").
std::string keyword_of(const std::string& key);

/// A proxy environment variable that is set.
struct ProxyVariable {
    std::string name;    ///< as set: http_proxy, HTTPS_PROXY, ...
    std::string value;
    bool used_by_ssh = false;  ///< the ProxyCommand names it ($name or ${name})
};

/// The proxy variables (http_proxy, https_proxy, all_proxy, no_proxy, any case) among
/// `environment` (NAME=VALUE strings). ssh itself never reads them: only a ProxyCommand that
/// names one uses it.
std::vector<ProxyVariable> proxy_variables(const std::vector<std::string>& environment, const std::string& proxy_command);

}  // namespace sshpath::client
