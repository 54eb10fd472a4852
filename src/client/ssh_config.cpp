#include "sshpath/client/ssh_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace sshpath::client {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// Calls fn(line) for each line of the text, without its end of line.
template <typename Fn>
void for_each_line(std::string_view text, Fn fn) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        fn(line);
        start = nl + 1;
    }
}

// A configuration line's keyword and the rest ("Key value", "Key=value", "Key = value").
std::pair<std::string, std::string_view> keyword_and_rest(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    std::size_t j = i;
    while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j])) && line[j] != '=') ++j;
    std::string key = lower(line.substr(i, j - i));
    while (j < line.size() && (std::isspace(static_cast<unsigned char>(line[j])) || line[j] == '=')) ++j;
    return {key, line.substr(j)};
}

}  // namespace

std::string SshSettings::get(const std::string& key) const {
    auto it = all.find(key);
    if (it == all.end()) return "";
    std::string out;
    for (const auto& v : it->second) out += (out.empty() ? "" : " ") + v;
    return out;
}

SshSettings parse_ssh_g(std::string_view text) {
    SshSettings s;
    for_each_line(text, [&](std::string_view line) {
        const std::size_t sp = line.find(' ');
        if (sp == std::string_view::npos || sp == 0) return;
        std::string key = lower(line.substr(0, sp));
        std::string value(line.substr(sp + 1));
        s.all[key].push_back(value);
        if (key == "hostname") s.hostname = value;
        else if (key == "port") s.port = std::atoi(value.c_str());
        else if (key == "user") s.user = value;
        else if (key == "identityfile") s.identity_files.push_back(value);
        else if (key == "proxycommand" && value != "none") s.proxy_command = value;
        else if (key == "proxyjump" && value != "none") s.proxy_jump = value;
        else if (key == "connecttimeout") s.connect_timeout = value == "none" ? -1 : std::atoi(value.c_str());
        else if (key == "addressfamily") s.address_family = value;
        else if (key == "stricthostkeychecking") s.strict_host_key_checking = value;
        else if (key == "hostkeyalias" && value != "none") s.host_key_alias = value;
        else if (key == "userknownhostsfile") s.user_known_hosts_files = words(value);
        else if (key == "globalknownhostsfile") s.global_known_hosts_files = words(value);
    });
    if (s.port < 1 || s.port > 65535) s.port = 22;
    return s;
}

std::string keyword_of(const std::string& key) {
    static const std::map<std::string, std::string> names = {
        {"hostname", "HostName"},         {"port", "Port"},
        {"user", "User"},                 {"identityfile", "IdentityFile"},
        {"proxycommand", "ProxyCommand"}, {"proxyjump", "ProxyJump"},
        {"connecttimeout", "ConnectTimeout"}, {"addressfamily", "AddressFamily"},
        {"stricthostkeychecking", "StrictHostKeyChecking"}, {"userknownhostsfile", "UserKnownHostsFile"},
        {"hostkeyalias", "HostKeyAlias"}};
    auto it = names.find(key);
    return it == names.end() ? key : it->second;
}

bool sets_keyword(std::string_view config_text, std::string_view keyword) {
    const std::string want = lower(keyword);
    bool found = false;
    for_each_line(config_text, [&](std::string_view line) {
        if (!found && keyword_and_rest(line).first == want) found = true;
    });
    return found;
}

std::vector<std::string> include_patterns(std::string_view config_text) {
    std::vector<std::string> out;
    for_each_line(config_text, [&](std::string_view line) {
        auto [key, rest] = keyword_and_rest(line);
        if (key != "include") return;
        for (auto& w : words(rest)) {
            if (w.size() >= 2 && w.front() == '"' && w.back() == '"') w = w.substr(1, w.size() - 2);
            out.push_back(w);
        }
    });
    return out;
}

std::vector<SettingOrigin> setting_origins(const SshSettings& full, const SshSettings& defaults, const SshSettings* user_only,
                                           const SshSettings* system_only, const std::vector<std::string>& command_line,
                                           const std::vector<ConfigFile>& user_files, const std::vector<ConfigFile>& system_files) {
    std::vector<SettingOrigin> out;
    for (const char* k : kTracedSettings) {
        const std::string key = k;
        SettingOrigin o;
        o.key = key;
        o.value = full.get(key);
        const bool on_command_line = std::find(command_line.begin(), command_line.end(), key) != command_line.end();
        // Each file alone gives the value only if it sets it (-F X reads X and nothing else).
        const bool by_user = user_only != nullptr && user_only->get(key) == o.value && o.value != defaults.get(key);
        const bool by_system = system_only != nullptr && system_only->get(key) == o.value && o.value != defaults.get(key);
        const std::vector<ConfigFile>* files = nullptr;
        if (on_command_line) {
            o.origin = "command-line";
        } else if (o.value == defaults.get(key)) {
            o.origin = "default";
        } else if (by_user) {
            // The user's file is read first, and the first value obtained wins.
            o.origin = "user-config";
            files = &user_files;
        } else if (by_system) {
            o.origin = "system-config";
            files = &system_files;
        } else {
            o.origin = "unknown";
        }
        if (files != nullptr)
            for (const auto& f : *files)
                if (sets_keyword(f.text, keyword_of(key))) o.files.push_back(f.path);
        out.push_back(std::move(o));
    }
    return out;
}

std::vector<ProxyVariable> proxy_variables(const std::vector<std::string>& environment, const std::string& proxy_command) {
    std::vector<ProxyVariable> out;
    for (const auto& entry : environment) {
        const std::size_t eq = entry.find('=');
        if (eq == std::string::npos) continue;
        const std::string name = entry.substr(0, eq);
        const std::string l = lower(name);
        if (l != "http_proxy" && l != "https_proxy" && l != "all_proxy" && l != "no_proxy") continue;
        ProxyVariable v{name, entry.substr(eq + 1), false};
        v.used_by_ssh = proxy_command.find("$" + name) != std::string::npos || proxy_command.find("${" + name + "}") != std::string::npos;
        out.push_back(std::move(v));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

}  // namespace sshpath::client
