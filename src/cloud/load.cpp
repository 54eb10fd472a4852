#include "sshpath/cloud/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "json_util.h"
#include "sshpath/core/error.h"

namespace sshpath::cloud {

namespace detail {

void fail(const std::string& file, const std::string& what) { throw InputError(file + ": " + what); }

const json* member(const json& o, std::string_view key) {
    if (!o.is_object()) return nullptr;
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return nullptr;
    return &*it;
}

const json* array_member(const json& o, std::string_view key) {
    const json* m = member(o, key);
    return m && m->is_array() ? m : nullptr;
}

std::string text(const json& o, std::string_view key) {
    const json* m = member(o, key);
    if (!m) return "";
    if (m->is_string()) return m->get<std::string>();
    if (m->is_number_integer()) return std::to_string(m->get<long long>());
    return "";
}

std::vector<std::string> strings(const json& o, std::string_view key) {
    std::vector<std::string> out;
    if (const json* a = array_member(o, key))
        for (const auto& v : *a)
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::string shown(const json& o, std::string_view key) {
    const json* m = member(o, key);
    return m ? m->dump() : "nothing";
}

bool integer(const json& o, std::string_view key, long long& out) {
    const json* m = member(o, key);
    if (!m) return false;
    if (m->is_number_integer()) {
        out = m->get<long long>();
        return true;
    }
    if (m->is_number_float()) {
        const double d = m->get<double>();
        if (d != static_cast<double>(static_cast<long long>(d))) return false;
        out = static_cast<long long>(d);
        return true;
    }
    if (!m->is_string()) return false;
    const std::string s = m->get<std::string>();
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return false;
    out = v;
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string last_segment(std::string_view id) {
    while (!id.empty() && id.back() == '/') id.remove_suffix(1);
    const auto slash = id.rfind('/');
    return std::string(slash == std::string_view::npos ? id : id.substr(slash + 1));
}

std::string id_part(std::string_view id, std::string_view kind) {
    std::size_t pos = 0;
    while (pos < id.size()) {
        const auto next = id.find('/', pos);
        std::string_view seg = id.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
        if (iequals(seg, kind) && next != std::string_view::npos) {
            const auto end = id.find('/', next + 1);
            return std::string(id.substr(next + 1, end == std::string_view::npos ? std::string_view::npos : end - next - 1));
        }
        if (next == std::string_view::npos) break;
        pos = next + 1;
    }
    return "";
}

std::string resource_group_of(std::string_view id) { return id_part(id, "resourceGroups"); }

bool is_template_expression(std::string_view s) { return s.size() >= 2 && s.front() == '[' && s.back() == ']'; }

bool parse_port_range(std::string_view t, PortRange& out) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (t == "*" || iequals(t, "any")) {
        out = PortRange{};
        return true;
    }
    auto number = [](std::string_view s, int& v) {
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        return !s.empty() && ec == std::errc() && ptr == s.data() + s.size() && v >= 0 && v <= 65535;
    };
    const auto dash = t.find('-');
    int lo = 0, hi = 0;
    if (dash == std::string_view::npos) {
        if (!number(t, lo)) return false;
        hi = lo;
    } else if (!number(t.substr(0, dash), lo) || !number(t.substr(dash + 1), hi) || lo > hi) {
        return false;
    }
    out = PortRange{lo, hi};
    return true;
}

bool parse_protocol(std::string_view t, int& out) {
    static const std::pair<std::string_view, int> kNames[] = {
        {"*", kAnyProtocol},  {"all", kAnyProtocol}, {"any", kAnyProtocol}, {"-1", kAnyProtocol},
        {"tcp", 6},           {"udp", 17},           {"icmp", 1},           {"icmpv6", 58},
        {"esp", 50},          {"ah", 51},            {"sctp", 132},         {"ipip", 4}};
    for (const auto& [name, number] : kNames)
        if (iequals(t, name)) {
            out = number;
            return true;
        }
    int v = -1;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || v < 0 || v > 255) return false;
    out = v;
    return true;
}

void sort_rules(RuleTable& t, bool deny_first) {
    std::stable_sort(t.rules.begin(), t.rules.end(), [deny_first](const Rule& a, const Rule& b) {
        if (a.priority != b.priority) return a.priority < b.priority;
        return deny_first && a.access == Access::kDeny && b.access == Access::kAllow;
    });
}

}  // namespace detail

std::string_view expected_inputs() {
    return "the JSON of az network nsg show / nsg list / nsg rule list / nic list-effective-nsg / nic show / "
           "vnet show / resource show, an ARM template with Microsoft.Network/networkSecurityGroups, "
           "azure vm endpoint list --json, aws ec2 describe-security-groups / describe-network-acls, "
           "or gcloud compute firewall-rules list --format=json";
}

namespace {

std::string json_error(std::string_view text, std::size_t byte) {
    // nlohmann counts bytes from 1; the error is at the byte before.
    const std::size_t at = byte == 0 ? 0 : std::min(byte - 1, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    std::size_t end = text.find_last_not_of(" \t\r\n");
    if (end == std::string_view::npos || at > end)
        return fmt::format("not valid JSON: it ends at line {} before the value is complete (is the file cut short?)", line);
    return fmt::format("not valid JSON: syntax error at line {}, column {}", line, column);
}

}  // namespace

void load_text(Policy& policy, std::string_view text, const std::string& file) {
    using detail::json;
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) detail::fail(file, "is empty");
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        detail::fail(file, json_error(text, e.byte));
    }
    policy.files.push_back(file);
    if (j.is_array() && j.empty())
        detail::fail(file, "holds an empty JSON list: no rules, and nothing that says which cloud they belong to");
    try {
        if (detail::load_azure(policy, j, file) || detail::load_classic(policy, j, file) || detail::load_aws(policy, j, file) ||
            detail::load_gcp(policy, j, file)) {
            detail::finish_azure(policy);
            return;
        }
    } catch (const json::exception& e) {
        // A field of an unexpected type the loaders did not foresee: still one clear line.
        detail::fail(file, fmt::format("a field has an unexpected type ({})", e.what()));
    }
    detail::fail(file, fmt::format("not a cloud rule export I know (expected {})", expected_inputs()));
}

Policy load_files(const std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    Policy policy;
    for (const auto& path : paths) {
        std::error_code ec;
        if (path == "-") throw InputError("cloud rules: give files, not standard input ('-')");
        if (!fs::exists(path, ec)) throw InputError(fmt::format("{}: No such file", path));
        if (fs::is_directory(path, ec)) throw InputError(fmt::format("{}: is a directory", path));
        std::ifstream in(path, std::ios::binary);
        if (!in) throw InputError(fmt::format("{}: cannot open (permission denied?)", path));
        std::ostringstream buf;
        buf << in.rdbuf();
        if (!in.good() && !in.eof()) throw InputError(fmt::format("{}: cannot read", path));
        load_text(policy, buf.str(), path);
    }
    return policy;
}

}  // namespace sshpath::cloud
