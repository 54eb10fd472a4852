#include "cli/common.h"

#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <cstdlib>

#include "sshpath/posix/resolve.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sshpath::cli {

fs::path default_rules_dir() {
    if (const char* env = std::getenv("SSHPATH_RULES"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // Run from the build tree: use the rules next to the sources.
        if (fs::exists(exe.parent_path() / "CMakeCache.txt") && fs::is_directory(SSHPATH_RULES_SOURCE_DIR))
            return SSHPATH_RULES_SOURCE_DIR;
        fs::path installed = exe.parent_path().parent_path() / "share" / "sshpath" / "rules";
        if (fs::is_directory(installed)) return installed;
    }
    if (fs::is_directory(SSHPATH_RULES_INSTALL_DIR)) return SSHPATH_RULES_INSTALL_DIR;
    return SSHPATH_RULES_SOURCE_DIR;
}

rules::RuleSet load_rules(const po::variables_map& vm) {
    fs::path dir = vm.count("rules") ? fs::path(vm["rules"].as<std::string>()) : default_rules_dir();
    return rules::RuleSet::load(dir);
}

int parse_port(const std::string& text, const char* option) {
    bool digits = !text.empty() && text.size() <= 5 && text.find_first_not_of("0123456789") == std::string::npos;
    int port = digits ? std::stoi(text) : 0;
    if (port < 1 || port > 65535) throw UsageError(fmt::format("{}: '{}' is not a port number (1-65535)", option, text));
    return port;
}

std::size_t parse_count(const std::string& text, const char* option, const char* what, std::size_t min, std::size_t max) {
    const bool digits = !text.empty() && text.size() <= 9 && text.find_first_not_of("0123456789") == std::string::npos;
    const std::size_t n = digits ? std::stoul(text) : 0;
    if (!digits || n < min || n > max)
        throw UsageError(fmt::format("{}: '{}' is not a number of {} ({}-{})", option, text, what, min, max));
    return n;
}

std::vector<packet::IpAddress> resolve_addresses(const std::string& name, int family, std::string& why) {
    packet::IpAddress literal;
    if (packet::IpAddress::parse(name, literal)) return {literal};
    const posix::Resolved r = posix::resolve(name, family);
    std::vector<packet::IpAddress> out;
    for (const auto& text : r.addresses)
        if (packet::IpAddress a; packet::IpAddress::parse(text, a)) out.push_back(a);
    if (out.empty()) why = r.error.empty() ? "no address" : r.error;
    return out;
}

std::vector<packet::IpAddress> resolve_host(const std::string& text, const std::string& what) {
    packet::IpAddress literal;
    if (packet::IpAddress::parse(text, literal)) return {literal};
    if (!posix::plausible_host_name(text)) throw UsageError(fmt::format("{}: '{}' is neither an IP address nor a host name", what, text));
    std::string why;
    auto addresses = resolve_addresses(text, 0, why);
    if (addresses.empty()) throw UsageError(fmt::format("{}: cannot resolve '{}' (give its address instead)", what, text));
    return addresses;
}

void parse_host(const std::string& text, engine::AnalyzeOptions& o) {
    o.host = text;
    o.host_address = resolve_host(text, "--host").front();
}

std::string check_format(const std::string& format, bool jsonl) {
    if (format != "text" && format != "json" && format != "markdown" && !(jsonl && format == "jsonl"))
        throw UsageError(fmt::format("--format: '{}' is not one of text, json, {}markdown", format, jsonl ? "jsonl, " : ""));
    return format;
}

report::Detail parse_detail(const std::string& text) {
    if (text == "auto") return report::Detail::kAuto;
    if (text == "all") return report::Detail::kAll;
    if (text == "deciding") return report::Detail::kDeciding;
    throw UsageError(fmt::format("--detail: '{}' is not one of auto, all, deciding", text));
}

po::variables_map parse_command_line(const std::vector<std::string>& args, const po::options_description& desc,
                                    const char* positional) {
    po::options_description hidden;
    hidden.add_options()(positional, po::value<std::vector<std::string>>(), "");
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add(positional, -1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
    return vm;
}

void print_report(const engine::Analysis& analysis, const std::string& format, bool explain, report::Detail detail) {
    report::ReportOptions ro;
    ro.explain = explain;
    ro.version = SSHPATH_VERSION;
    ro.detail = detail;
    if (format == "json")
        report::write_json(std::cout, analysis, ro);
    else if (format == "jsonl")
        report::write_jsonl(std::cout, analysis, ro);
    else if (format == "markdown")
        report::write_markdown(std::cout, analysis, ro);
    else
        report::write_text(std::cout, analysis, ro);
    std::cout.flush();
}

}  // namespace sshpath::cli
