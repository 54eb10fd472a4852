#include "cli/common.h"

#include <fmt/format.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/manual.h"
#include "sshpath/posix/resolve.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sshpath::cli {

namespace {

// Narrower than this, wrapping would leave a word or two per row: the report is wrapped at
// this width and the terminal folds it.
constexpr long kNarrowest = 40;

// Never throws: a directory that cannot be read (a build tree in another user's 0700 directory,
// once privileges are dropped) is one that is not there.
bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}
bool path_exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

}  // namespace

fs::path default_rules_dir() {
    if (const char* env = std::getenv("SSHPATH_RULES"); env && *env) {
        if (!is_dir(env))
            throw Error(fmt::format("SSHPATH_RULES: '{}' is not a directory (point it at a rules directory, or unset it)", env));
        return env;
    }
    std::vector<fs::path> looked;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path dir = exe.parent_path();
        // The build tree: CMake links build/rules to the sources' rules/ (the binary holds no
        // source path, so a copy of it never reads the build machine's files).
        if (path_exists(dir / "CMakeCache.txt")) {
            looked.push_back(dir / "rules");
            if (is_dir(looked.back())) return looked.back();
        }
        looked.push_back((dir.parent_path() / "share" / "sshpath" / "rules").lexically_normal());
        if (is_dir(looked.back())) return looked.back();
    }
    looked.emplace_back(SSHPATH_RULES_INSTALL_DIR);
    if (is_dir(looked.back())) return looked.back();
    std::string places;
    for (const auto& p : looked) places += (places.empty() ? "" : ", ") + p.string();
    throw Error(fmt::format("no rules directory: looked in {}; install sshpath (cmake --install, or the .deb), or set "
                            "SSHPATH_RULES=DIR or give --rules DIR (the rules/ directory of the sources)",
                            places));
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

void parse_from(const std::string& text, engine::AnalyzeOptions& o) {
    packet::IpAddress address;
    if (!packet::IpAddress::parse(text, address))
        throw UsageError(fmt::format("--from: '{}' is not an IP address (the client's, as the capture shows it)", text));
    o.from = text;
    o.from_address = address;
}

std::string check_format(const std::string& format, bool jsonl) {
    if (format != "text" && format != "json" && format != "markdown" && format != "html" && !(jsonl && format == "jsonl"))
        throw UsageError(fmt::format("--format: '{}' is not one of text, json, {}markdown, html", format, jsonl ? "jsonl, " : ""));
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
    note_positional(positional);
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

void add_color_option(po::options_description& desc) {
    auto check = [](const std::string& when) {
        if (when != "auto" && when != "always" && when != "never")
            throw UsageError(fmt::format("--color: '{}' is not one of auto, always, never", when));
    };
    desc.add_options()("color", po::value<std::string>()->default_value("auto")->value_name("WHEN")->notifier(check),
                       "colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never");
}

void set_text_layout(report::ReportOptions& ro, const po::variables_map& vm, int fd) {
    const std::string when = vm.count("color") ? vm["color"].as<std::string>() : "auto";
    const bool terminal = isatty(fd) == 1;
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    ro.colour = when == "always" ||
                (when == "auto" && terminal && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb"));
    ro.width = 80;
    if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
        char* end = nullptr;
        const long n = std::strtol(columns, &end, 10);
        if (*end == '\0' && n > 0) {
            ro.width = static_cast<std::size_t>(std::max(n, kNarrowest));
            return;
        }
    }
    winsize ws{};
    if (terminal && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        ro.width = std::max<std::size_t>(ws.ws_col, kNarrowest);
}

void print_report(const engine::Analysis& analysis, const std::string& format, const po::variables_map& vm) {
    report::ReportOptions ro;
    ro.explain = vm.count("explain") > 0;
    ro.version = SSHPATH_VERSION;
    set_text_layout(ro, vm, STDOUT_FILENO);
    ro.detail = vm.count("detail") ? parse_detail(vm["detail"].as<std::string>()) : report::Detail::kAuto;
    if (format == "json")
        report::write_json(std::cout, analysis, ro);
    else if (format == "jsonl")
        report::write_jsonl(std::cout, analysis, ro);
    else if (format == "markdown")
        report::write_markdown(std::cout, analysis, ro);
    else if (format == "text")
        report::write_text(std::cout, analysis, ro);
    else
        std::cout << report::render(analysis, ro, format);
    std::cout.flush();
}

}  // namespace sshpath::cli
