#include "cli/app.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <iostream>
#include <thread>

#include "cli/bundle.h"
#include "cli/cloud_options.h"
#include "cli/commands.h"
#include "sshpath/client/check.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "sshpath/core/error.h"
#include "sshpath/core/parallel.h"
#include "sshpath/facts/facts.h"
#include "sshpath/posix/clock.h"
#include "sshpath/posix/fd.h"
#include "sshpath/posix/signals.h"
#include "sshpath/report/report.h"
#include "sshpath/rules/fixtures.h"
#include "sshpath/rules/rule_set.h"
#include "sshpath/rules/rules_ref.h"
#include "sshpath/engine/analyzer.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sshpath::cli {

namespace {

// What `sshpath --help` says, and the manual page's overview.
const Overview& overview() {
    static const Overview o{
        "Explains, from packets, why an SSH connection fails: which component dropped or reset it, how sure the packets "
        "make us, the packets that prove it, and what to do next.",
        {
            {"analyze FILE...", "analyse pcap/pcapng captures ('-' reads standard input)"},
            {"capture", "capture live while ssh fails elsewhere, then explain (root)"},
            {"run -- COMMAND...", "run a command (ssh ...) while capturing, then explain (root)"},
            {"probe HOST", "probe the path to HOST's SSH port: connect, banner, TTL-limited SYNs"},
            {"check HOST", "examine this computer for HOST: ssh config, keys, route, firewall (root)"},
            {"cloud-verify FILE...",
             "evaluate exported cloud rules (NSG, endpoint ACL, security groups, network ACLs, GCP firewall) for one "
             "connection, offline"},
            {"rules list", "list the rules in use"},
            {"rules check DIR", "load and validate the rules in DIR"},
            {"rules test [DIR]", "run the rules' test fixtures"},
            {"facts", "list the evidence facts rules can use"},
        },
        {
            {"-h, --help", "this help; 'sshpath COMMAND --help' for a command's options"},
            {"-V, --version", "print the version"},
        },
        {
            {"SSHPATH_RULES", "the rules directory when --rules is not given (default: BINDIR/../share/sshpath/rules)"},
            {"NO_COLOR", "set and not empty: no colour in the text report, unless --color always"},
            {"COLUMNS", "the text report's width (default: the terminal's, else 80)"},
        },
        "0 the command ran (whatever it found); 2 usage, input or rule errors, or the report could not be written; "
        "'run' exits as its command did; 'analyze' stopped by SIGINT or SIGTERM reports on what it read, then exits "
        "130 or 143.",
    };
    return o;
}

// After SIGINT or SIGTERM, `analyze` goes on reading this long for what is already on its way
// (the writer of a pipe got the same Ctrl-C and is flushing its last packets), then reports.
constexpr double kDrainSeconds = 1.0;

// The options of `sshpath analyze` and the text of its --help.
po::options_description analyze_description() {
    po::options_description desc(
        "Usage: sshpath analyze FILE... [OPTIONS]\n"
        "\n"
        "Reads pcap/pcapng captures ('-' for standard input), reconstructs every TCP connection\n"
        "to the SSH port (and connections on other ports that speak SSH, and connections through\n"
        "an HTTP CONNECT or SOCKS proxy asking for the port), and explains how each one ended.\n"
        "Several files are analysed together as one case. A ring buffer's parts (files named\n"
        "alike but for their digits, each starting where the one before ended) are read as one\n"
        "capture. Two captures of one attempt, one on the client and one on the VM (or in the\n"
        "middle), are matched packet by packet and say where the packets vanished; name a\n"
        "capture's place as FILE@client, FILE@vm or FILE@middle when its packets cannot tell\n"
        "(docs/pair.md).\n"
        "\n"
        "Options");
    desc.add_options()
        ("read,r", po::value<std::vector<std::string>>()->value_name("FILE"), "read FILE, as 'tcpdump -r' does (the same as giving FILE)")
        ("host", po::value<std::string>()->value_name("ADDR"), "only connections to this server address (or proxy requests for it)")
        ("from", po::value<std::string>()->value_name("ADDR"), "only connections from this client address, as the capture shows it (on a VM behind NAT: the address the VM sees)")
        ("port,p", po::value<std::string>()->default_value("22")->value_name("PORT"), "the SSH port")
        ("format,f", po::value<std::string>()->default_value("text")->value_name("FMT"), "text, json, jsonl (one JSON object per attempt per line, then a summary object), markdown or html")
        ("detail", po::value<std::string>()->default_value("auto")->value_name("WHICH"), "attempts shown in full: auto (all of them up to 10, else as for deciding), all or deciding (a summary, the attempts that answer for each cause in full, the others one line each)")
        ("rules", po::value<std::string>()->value_name("DIR"), "use the rules in DIR instead of the installed ones")
        ("explain", "list every rule that matched each connection and the facts its condition read")
        ("max-connections", po::value<std::string>()->value_name("N"), "connections that may be SSH attempts tracked at once per capture (default 10000)")
        ("jobs,j", po::value<std::string>()->value_name("N"), "threads: up to N capture files read at once, or one capture's connections (a file or standard input) split over N (default 1; 0: one per CPU)")
        ("keep-in-memory", po::value<std::string>()->value_name("N"), "finished SSH attempts per capture held in memory; beyond N all go to a temporary file in /tmp (default 64; 0: all of them)")
        ("client-check", po::value<std::string>()->value_name("FILE"), "a client check saved with 'sshpath check HOST --format json': its facts join the evidence (docs/check.md)");
    add_color_option(desc);
    add_cloud_options(desc);
    add_bundle_options(desc);
    desc.add_options()("help,h", "this help");
    return desc;
}

void show_analyze_help(const po::options_description& desc) {
    show_help(desc,
              "\nExamples:\n"
              "  sshpath analyze failing.pcap\n"
              "  sshpath analyze failing.pcapng --host 203.0.113.7 --port 2222 --format json\n"
              "  sshpath analyze a.pcap b.pcap --format markdown > case-1234.md\n"
              "  sshpath analyze failing.pcap --cloud-rules effective.json --cloud-from 198.51.100.2\n"
              "  sshpath analyze client.pcap vm.pcap@vm           (one capture on each end)\n"
              "  sshpath analyze vm.pcap@vm --from 198.51.100.10  (the VM's side alone, one client's attempts)\n"
              "  tcpdump -i any -w - 'tcp port 22 or icmp or icmp6' | sshpath analyze -\n"
              "\nCtrl-C or SIGTERM stops reading (within a second) and reports on what was read; the exit status is\n"
              "then 130 or 143.\n");
}

// The capture files named by --read and as words, in that order.
std::vector<std::string> analyze_files(const po::variables_map& vm) {
    std::vector<std::string> files = vm.count("read") ? vm["read"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (vm.count("file"))
        for (const auto& f : vm["file"].as<std::vector<std::string>>()) files.push_back(f);
    if (files.empty()) throw UsageError("analyze: no capture file given (see 'sshpath analyze --help')");
    return files;
}

// The reading options: port, host, and the limits on connections, memory and threads.
engine::AnalyzeOptions analyze_options(const po::variables_map& vm) {
    engine::AnalyzeOptions options;
    options.ssh_port = parse_port(vm["port"].as<std::string>());
    if (vm.count("host")) parse_host(vm["host"].as<std::string>(), options);
    if (vm.count("from")) parse_from(vm["from"].as<std::string>(), options);
    if (vm.count("max-connections"))
        options.max_connections = parse_count(vm["max-connections"].as<std::string>(), "--max-connections", "connections", 1, 999999999);
    if (vm.count("keep-in-memory"))
        options.keep_in_memory = parse_count(vm["keep-in-memory"].as<std::string>(), "--keep-in-memory", "attempts", 0, 999999999);
    if (vm.count("jobs")) {
        options.jobs = thread_count(static_cast<unsigned>(parse_count(vm["jobs"].as<std::string>(), "--jobs", "files to read at once", 0, 999)));
    }
    return options;
}

// A signal stops the reading, not the process: what was read is still reported. The first
// SIGINT or SIGTERM leaves kDrainSeconds for what is already on its way; a second stops at once.
class ReadingStop {
public:
    explicit ReadingStop(posix::SignalPipe& signals) : signals_(signals) {}
    bool should_stop() {
        const int n = signals_.stop_count();
        if (n == 0) return false;
        if (n == 1) {
            std::call_once(armed_, [&] {
                deadline_ = posix::monotonic_now() + kDrainSeconds;
                signals_.wake_after(kDrainSeconds);
            });
            if (posix::monotonic_now() < deadline_) return false;
        }
        stopped_ = true;
        return true;
    }
    bool stopped() const { return stopped_; }

private:
    posix::SignalPipe& signals_;
    std::once_flag armed_;
    std::atomic<double> deadline_{0};
    std::atomic<bool> stopped_{false};
};

// The client check saved by `sshpath check --format json` that --client-check names, if any.
std::optional<client::SavedCheck> read_client_check(const po::variables_map& vm) {
    if (!vm.count("client-check")) return std::nullopt;
    const std::string file = vm["client-check"].as<std::string>();
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(fmt::format("--client-check: cannot open '{}'", file));
    std::stringstream text;
    text << in.rdbuf();
    return client::read_saved_check(text.str(), file);
}

// `analyze` once its options are read and its rules are on their way.
int analyze_with(const po::variables_map& vm, std::vector<std::string>& files, engine::AnalyzeOptions& options,
                 const std::string& format, const rules::RulesLoading& rules) {
    if (std::count(files.begin(), files.end(), "-") > 1)
        throw UsageError("analyze: '-' (standard input) can be given only once");
    Bundle bundle(vm);
    bundle.prepare_files(files, options);
    posix::SignalPipe signals;
    ReadingStop stop(signals);
    options.stop_reading = [&stop, &rules] { return stop.should_stop() || rules.failed(); };
    options.explain = vm.count("explain") > 0;
    const std::optional<client::SavedCheck> saved = read_client_check(vm);
    if (saved) options.context.push_back(saved->facts);
    wire_cloud_rules(vm, options);
    engine::Analysis analysis = engine::analyze(files, options, rules);
    if (stop.stopped())
        analysis.warnings.push_back(fmt::format("interrupted by {}: the report covers the packets read until then",
                                                posix::signal_name(signals.first_stop_signal())));
    if (saved) {
        analysis.client_check =
            fmt::format("{}: check of {} on {} at {}", vm["client-check"].as<std::string>(), saved->host, saved->machine, saved->time);
        analysis.client_findings = saved->notes;
    }
    print_report(analysis, format, vm);
    std::vector<std::pair<std::string, std::string>> sources;
    for (const auto& f : files) sources.emplace_back(f, f);
    bundle.write_export(analysis, sources);
    if (const int sig = signals.first_stop_signal()) return posix::exit_status_for_signal(sig);
    return 0;
}

int cmd_analyze(const std::vector<std::string>& args) {
    const po::options_description desc = analyze_description();
    po::variables_map vm = parse_command_line(args, desc, "file");
    if (vm.count("help")) {
        show_analyze_help(desc);
        return 0;
    }
    std::vector<std::string> files = analyze_files(vm);
    engine::AnalyzeOptions options = analyze_options(vm);
    const std::string format = check_format(vm["format"].as<std::string>(), true);
    const report::Detail detail = parse_detail(vm["detail"].as<std::string>());
    // A report of many attempts shows most of them in one line: only that is stored of those
    // (not for two captures, which may be paired attempt by attempt).
    if (files.size() != 2 && detail != report::Detail::kAll)
        options.brief_after = detail == report::Detail::kDeciding ? 0 : report::kAllInFullMax;
    // The rules are loaded on a thread of their own while the captures are read: they are first
    // needed when a capture ends. A problem in them is still the error reported before any that
    // comes after this point, as when they were loaded first, and stops the reading once known.
    const rules::RulesLoading rules([&vm] { return load_rules(vm); });
    try {
        return analyze_with(vm, files, options, format, rules);
    } catch (...) {
        rules.get();
        throw;
    }
}

// What a rule decides, for `rules list`: its cause, its rank, or whether it stops.
std::string rule_decides(const rules::Rule& r) {
    switch (rules::yields(r.scope)) {
    case rules::Yields::kVerdict: return std::string(contract::name(r.cause));
    case rules::Yields::kRank: return fmt::format("rank={}", r.rank);
    case rules::Yields::kStop: return r.stop ? "stop" : "continue";
    }
    return {};
}

int cmd_rules(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sshpath rules list [--rules DIR]\n"
        "       sshpath rules check DIR\n"
        "       sshpath rules test [DIR]\n"
        "\n"
        "'list' prints the rules in use, best first when several match (priority, then specificity).\n"
        "'check' loads DIR as 'analyze --rules DIR' would and reports the first problem as\n"
        "file:line: problem (exit status 2), or how many rules and parameters it holds.\n"
        "'test' loads DIR (default: the rules in use) and runs the fixtures of DIR/tests: each\n"
        "rule must decide its 'decides' fixtures and not match its 'rejects' fixtures; exit\n"
        "status 1 when one fails or a rule has none.\n"
        "\n"
        "Options");
    desc.add_options()("rules", po::value<std::string>()->value_name("DIR"), "rules directory for 'list'")("help,h", "this help");
    po::variables_map vm = parse_command_line(args, desc, "words");
    std::vector<std::string> words = vm.count("words") ? vm["words"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (vm.count("help") || words.empty()) {
        show_help(desc);
        return words.empty() && !vm.count("help") ? 2 : 0;
    }
    if (words[0] == "list" && words.size() == 1) {
        rules::RuleSet rs = load_rules(vm);
        std::vector<const rules::Rule*> sorted;
        for (const auto& r : rs.rules()) sorted.push_back(&r);
        std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
            if (a->priority != b->priority) return a->priority > b->priority;
            return a->id < b->id;
        });
        std::cout << fmt::format("rules from {}\n", rs.directory().string());
        std::cout << fmt::format("{:<40} {:>4}  {:<8} {:<20} {:<9} {}\n", "id", "prio", "scope", "decides", "component", "title");
        for (const auto* r : sorted)
            std::cout << fmt::format("{:<40} {:>4}  {:<8} {:<20} {:<9} {}{}\n", r->id, r->priority, facts::scope_name(r->scope),
                                     rule_decides(*r), rules::yields(r->scope) == rules::Yields::kVerdict ? contract::name(r->component) : "-",
                                     r->title, r->enabled() ? "" : " [disabled]");
        return 0;
    }
    if (words[0] == "check" && words.size() == 2) {
        rules::RuleSet rs = rules::RuleSet::load(words[1]);
        std::cout << fmt::format("{}: {} rules, {} parameters: OK\n", words[1], rs.rules().size(), rs.parameters().size());
        return 0;
    }
    if (words[0] == "test" && words.size() <= 2) {
        const rules::RuleSet rs = words.size() == 2 ? rules::RuleSet::load(words[1]) : load_rules(vm);
        const rules::FixtureReport report = rules::test_rules(rs, rs.directory() / "tests");
        std::size_t failed = 0;
        for (const auto& r : report.results) {
            if (r.passed) continue;
            ++failed;
            std::cout << fmt::format("FAIL {} ({} {}:{}): {}: {}\n", r.rule, r.decides ? "decides" : "rejects", r.file, r.line,
                                     r.name, r.problem);
        }
        for (const auto& u : report.uncovered) std::cout << fmt::format("FAIL {}\n", u);
        std::cout << fmt::format("{} fixtures of {} rules: {} passed, {} failed; {} rules without fixtures\n",
                                 report.results.size(), rs.rules().size(), report.results.size() - failed, failed,
                                 report.uncovered.size());
        return report.passed() ? 0 : 1;
    }
    throw UsageError("rules: expected 'rules list', 'rules check DIR' or 'rules test [DIR]'");
}

int cmd_facts(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sshpath facts\n\nLists every evidence fact rules can use: scope, type, value when unobserved, meaning.\n\nOptions");
    desc.add_options()("help,h", "this help");
    const po::variables_map vm = parse_command_line(args, desc, "words");
    if (vm.count("help")) {
        show_help(desc);
        return 0;
    }
    if (vm.count("words")) throw UsageError("facts: takes no arguments");
    std::cout << fmt::format("{:<32} {:<8} {:<7} {:<6} {}\n", "fact", "scope", "type", "unset", "meaning");
    for (const auto& f : facts::catalogue())
        std::cout << fmt::format("{:<32} {:<8} {:<7} {:<6} {}\n", f.name, facts::scope_name(f.scope), facts::type_name(f.type),
                                 f.unset, f.description);
    return 0;
}

}  // namespace

namespace {

using Command = int (*)(const std::vector<std::string>&);

// The commands, in the order of the overview.
const std::vector<std::pair<std::string_view, Command>>& commands() {
    static const std::vector<std::pair<std::string_view, Command>> c = {
        {"analyze", cmd_analyze}, {"capture", cmd_capture}, {"run", cmd_run},     {"probe", cmd_probe},
        {"check", cmd_check},     {"cloud-verify", cmd_cloud_verify}, {"rules", cmd_rules}, {"facts", cmd_facts},
    };
    return c;
}

bool is_command(std::string_view name) {
    return std::any_of(commands().begin(), commands().end(), [&](const auto& c) { return c.first == name; });
}

// Every command's --help, recorded rather than printed.
std::vector<HelpPage> help_pages() {
    HelpCollector collector;
    for (const auto& [name, run] : commands()) {
        collector.start(std::string(name));
        run({"--help"});
    }
    return collector.pages;
}

int dispatch(const std::string& cmd, const std::vector<std::string>& rest) {
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        std::cout << render_usage(overview());
        return 0;
    }
    if (cmd == "-V" || cmd == "--version") {
        std::cout << "sshpath " << SSHPATH_VERSION << "\n";
        return 0;
    }
    // Generated at build time: the manual page and the bash completion (docs/install.md).
    if (cmd == "--help-man") {
        std::cout << render_man(overview(), help_pages(), SSHPATH_VERSION);
        return 0;
    }
    if (cmd == "--help-bash") {
        std::cout << render_bash(overview(), help_pages());
        return 0;
    }
    for (const auto& [name, run] : commands())
        if (name == cmd) return run(rest);
    throw UsageError(fmt::format("unknown command '{}' (see 'sshpath --help')", cmd));
}

// Everything a command writes to standard output goes through std::cout into this buffer,
// which knows whether it all arrived (a full disk, a closed pipe).
class StandardOutput {
public:
    StandardOutput() : old_(std::cout.rdbuf(&buffer_)) {}
    ~StandardOutput() {
        std::cout.flush();
        std::cout.rdbuf(old_);
    }
    StandardOutput(const StandardOutput&) = delete;
    StandardOutput& operator=(const StandardOutput&) = delete;
    /// What went wrong, after flushing; nullopt when everything was written.
    std::optional<std::string> problem() {
        std::cout.flush();
        if (buffer_.error() == 0) return std::nullopt;
        return std::strerror(buffer_.error());
    }

private:
    posix::FdStreamBuf buffer_{STDOUT_FILENO};
    std::streambuf* old_;
};

}  // namespace

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const std::string cmd = args.empty() ? "" : args[0];
    StandardOutput output;
    try {
        if (args.empty()) {
            std::cerr << render_usage(overview());
            return 2;
        }
        const int status = dispatch(cmd, std::vector<std::string>(args.begin() + 1, args.end()));
        if (const auto problem = output.problem()) {
            std::cerr << "sshpath: error: cannot write to standard output: " << *problem << "\n";
            return 2;
        }
        return status;
    } catch (const po::error& e) {
        const bool known = is_command(cmd) && cmd != "facts";
        std::cerr << "sshpath: error: " << e.what() << " (see 'sshpath " << (known ? cmd + " " : "") << "--help')\n";
        return 2;
    } catch (const Error& e) {
        std::cerr << "sshpath: error: " << e.what() << "\n";
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "sshpath: error: out of memory\n";
        return 2;
    }
}

}  // namespace sshpath::cli
