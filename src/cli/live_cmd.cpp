// `sshpath capture` and `sshpath run`: options and wiring. Root (or CAP_NET_RAW) opens the
// capture; then the process drops to the invoking user (SUDO_UID) or nobody, and `run` starts
// the command as the invoking user. The session itself is engine::LiveSession.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/cloud_options.h"
#include "cli/commands.h"
#include "cli/bundle.h"
#include "cli/common.h"
#include "cli/live_target.h"
#include "cli/manual.h"
#include "sshpath/capture/link_name.h"
#include "sshpath/capture/live.h"
#include "sshpath/client/watch.h"
#include "sshpath/engine/live_session.h"
#include "sshpath/posix/child.h"
#include "sshpath/posix/clock.h"
#include "sshpath/posix/fd.h"
#include "sshpath/posix/privileges.h"
#include "sshpath/posix/signals.h"
#include "sshpath/report/live.h"
#include "sshpath/report/report.h"

namespace po = boost::program_options;

namespace sshpath::cli {

namespace {

using posix::Identity;

// A line on the terminal rewritten in place (the progress line), cleared before anything else
// goes to standard error.
class StatusLine {
public:
    explicit StatusLine(bool enabled) : enabled_(enabled) {}
    bool enabled() const { return enabled_; }
    void show(const std::string& text) {
        if (!enabled_) return;
        posix::write_all(STDERR_FILENO, "\r\033[K" + text);
        shown_ = true;
    }
    void clear() {
        if (!shown_) return;
        posix::write_all(STDERR_FILENO, "\r\033[K");
        shown_ = false;
    }

private:
    bool enabled_;
    bool shown_ = false;
};

// --- the options both commands share ------------------------------------------------------------

struct LiveArgs {
    std::string command;  // "capture" or "run"
    std::optional<std::string> host, interface, write, filter, report;
    std::optional<int> port;
    std::vector<std::string> proxies;  // --proxy HOST:PORT, as given
    double duration = 0;
    bool until_verdict = false;
    double grace = 0.5;
    std::string format = "text";
    bool explain = false, quiet = false;
    po::variables_map vm;
    std::shared_ptr<StatusLine> status;  // the progress line (on a terminal, without --quiet)
    std::shared_ptr<Bundle> bundle;      // --export, --anonymize
};

double parse_seconds(const std::string& text, const char* option, bool allow_zero) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end == nullptr || *end != '\0' || errno != 0 || !std::isfinite(v) || v < 0 || (!allow_zero && v == 0) ||
        v > 31536000)
        throw UsageError(fmt::format("{}: '{}' is not a number of seconds{}", option, text, allow_zero ? "" : " (more than 0)"));
    return v;
}

void add_common_options(po::options_description& desc, bool capture) {
    desc.add_options()
        ("host", po::value<std::string>()->value_name("ADDR"),
         capture ? "the server: an address, or a name resolved once (all its addresses); without it every connection to --port"
                 : "the server (default: what 'ssh -G' says the command connects to)")
        ("port,p", po::value<std::string>()->value_name("PORT"), capture ? "the SSH port (default 22)" : "the SSH port (default: from 'ssh -G', else 22)")
        ("interface,i", po::value<std::string>()->value_name("IFACE"), "capture on IFACE (default: the interface the route to the host leaves by, or 'any')")
        ("proxy", po::value<std::vector<std::string>>()->value_name("HOST:PORT"),
         capture ? "also keep the connections to this HTTP/SOCKS proxy (repeatable)"
                 : "also keep the connections to this proxy; with a ProxyCommand, only those (repeatable)");
    desc.add_options()
        ("duration", po::value<std::string>()->value_name("SECONDS"),
         capture ? "stop after SECONDS" : "stop after SECONDS, ending the command (SIGTERM)")
        ("until-verdict", capture ? "stop once a connection's verdict can no longer change (docs/live.md), after --grace"
                                  : "end the command (SIGTERM) once a connection's verdict can no longer change, and stop after --grace")
        ("grace", po::value<std::string>()->value_name("SECONDS"),
         capture ? "with --until-verdict: keep capturing this long for late packets (default 0.5)"
                 : "keep capturing this long after the command ends, for late packets (default 0.5)")
        ("write,w", po::value<std::string>()->value_name("FILE"), "save the packets to FILE (pcapng if it ends in .pcapng, else pcap)")
        ("report,o", po::value<std::string>()->value_name("FILE"),
         capture ? "write the report to FILE instead of standard output"
                 : "write the report to FILE instead of standard output (which stays the command's)")
        ("filter", po::value<std::string>()->value_name("EXPR"), "use this libpcap filter instead of the one sshpath builds")
        ("format,f", po::value<std::string>()->default_value("text")->value_name("FMT"), "text, json, markdown or html")
        ("rules", po::value<std::string>()->value_name("DIR"), "use the rules in DIR instead of the installed ones")
        ("explain", "list every rule that matched each connection and the facts its condition read")
        ("quiet,q", "no progress lines on standard error (errors and the report still appear)");
    add_color_option(desc);
    add_bundle_options(desc);
    add_cloud_options(desc);
    desc.add_options()("help,h", "this help");
}

LiveArgs parse_live_args(const std::string& command, const std::vector<std::string>& args, const po::options_description& desc) {
    LiveArgs a;
    a.command = command;
    if (command == "capture")
        a.vm = parse_command_line(args, desc, "expression");  // trailing words: a libpcap filter, as for tcpdump
    else {
        po::store(po::command_line_parser(args).options(desc).run(), a.vm);
        po::notify(a.vm);
    }
    const auto& vm = a.vm;
    if (vm.count("help")) return a;
    if (vm.count("port")) a.port = parse_port(vm["port"].as<std::string>());
    if (vm.count("host")) a.host = vm["host"].as<std::string>();
    if (vm.count("interface")) a.interface = vm["interface"].as<std::string>();
    if (vm.count("write")) a.write = vm["write"].as<std::string>();
    if (vm.count("report")) a.report = vm["report"].as<std::string>();
    if (a.report && a.report->empty()) throw UsageError("--report: no file name given");
    if (vm.count("filter")) a.filter = vm["filter"].as<std::string>();
    if (vm.count("proxy")) a.proxies = vm["proxy"].as<std::vector<std::string>>();
    if (vm.count("duration")) a.duration = parse_seconds(vm["duration"].as<std::string>(), "--duration", false);
    if (vm.count("grace")) a.grace = parse_seconds(vm["grace"].as<std::string>(), "--grace", true);
    a.until_verdict = vm.count("until-verdict") > 0;
    a.format = check_format(vm["format"].as<std::string>());
    a.explain = vm.count("explain") > 0;
    a.quiet = vm.count("quiet") > 0;
    a.status = std::make_shared<StatusLine>(!a.quiet && isatty(STDERR_FILENO) == 1);
    if (vm.count("expression")) {
        if (a.filter) throw UsageError("capture: give the filter once: as --filter EXPR or as words after the options, not both");
        std::string expression;
        for (const auto& w : vm["expression"].as<std::vector<std::string>>()) expression += (expression.empty() ? "" : " ") + w;
        a.filter = expression;
    }
    if (a.write && a.write->empty()) throw UsageError("--write: no file name given");
    a.bundle = std::make_shared<Bundle>(vm);
    if (a.bundle->exporting() && !a.write)
        throw UsageError("--export: a live capture keeps its packets only in the --write file: give --write FILE too");
    if (a.interface && !capture::interface_exists(*a.interface))
        throw UsageError(fmt::format("--interface: no interface '{}' here (interfaces: {})", *a.interface, [] {
            std::string out;
            for (const auto& n : capture::interface_names()) out += (out.empty() ? "" : ", ") + n;
            return out;
        }()));
    return a;
}

// A progress line on standard error (not with --quiet).
void note(const LiveArgs& a, const std::string& text) {
    if (a.quiet) return;
    a.status->clear();
    posix::write_all(STDERR_FILENO, "sshpath: " + text + "\n");
}

std::string privilege_message(const std::string& command) {
    return fmt::format("{} needs root or CAP_NET_RAW: run 'sudo sshpath {} ...'", command, command);
}

// --- opening everything that needs privileges ---------------------------------------------------

struct Prepared {
    Target target;
    std::string interface, filter;
    std::string shown_filter;  // the filter without its VLAN repetitions, for people
    std::unique_ptr<capture::LiveCapture> cap;
    std::unique_ptr<capture::DumpWriter> writer;
    rules::RuleSet rules;
    posix::Fd report;  // --report FILE, opened before the privileges go
    std::unique_ptr<client::FirewallWatch> client;  // the client check, made as root (sshpath check)
};

// As root, before the capture: the client computer examined as `sshpath check` does (ssh -G
// with the command's own arguments, run as the user); a helper keeps root to read the firewall
// counters again when the capture ends.
std::unique_ptr<client::FirewallWatch> watch_client(const Target& t, const std::vector<std::string>& ssh_args) {
    if (!posix::is_root() || t.host.empty()) return nullptr;
    client::CheckOptions o;
    o.host = t.host;
    o.port = t.analyze.ssh_port;
    o.ssh_args = ssh_args;
    o.version = SSHPATH_VERSION;
    return std::make_unique<client::FirewallWatch>(o);
}

// The filter sshpath builds for the target: its connections, and the ICMP errors.
void build_filter(Prepared& p) {
    capture::FilterSpec spec;
    spec.hosts = p.target.addresses;
    // With a host, every port: a control connection to another port of it (the rules'
    // next steps suggest one) gives the analysis the server's own hop distance.
    spec.port = p.target.addresses.empty() ? p.target.filter_port : 0;
    spec.proxies = p.target.proxies;
    spec.vlan = p.cap->link_type() == packet::kLinkEthernet;
    p.filter = capture::build_filter(spec);
    const bool vlan = spec.vlan;
    spec.vlan = false;
    p.shown_filter = capture::build_filter(spec) + (vlan ? " (also behind one or two VLAN tags)" : "");
}

// Opens the capture (root), sets the filter and opens the --write and --report files:
// everything that needs privileges. Nothing here starts reading packets.
Prepared prepare(const LiveArgs& a, Target target, const std::optional<Identity>& file_owner) {
    Prepared p{std::move(target), "", "", "", nullptr, nullptr, load_rules(a.vm), posix::Fd(), nullptr};
    wire_cloud_rules(a.vm, p.target.analyze);
    p.target.proxies = parse_proxies(a.proxies);
    if (!p.target.proxies.empty() && p.target.filter_port == 0) p.target.filter_port = p.target.analyze.ssh_port;
    p.interface = a.interface ? *a.interface : choose_interface(p.target, p.target.notes);
    capture::LiveOptions lo;
    lo.interface = p.interface;
    try {
        p.cap = std::make_unique<capture::LiveCapture>(lo);
    } catch (const capture::PermissionError&) {
        throw UsageError(privilege_message(a.command));
    }
    if (a.filter)
        p.filter = p.shown_filter = *a.filter;
    else
        build_filter(p);
    try {
        p.cap->set_filter(p.filter);
    } catch (const InputError& e) {
        const bool words = a.vm.count("expression") > 0;
        throw UsageError(!a.filter ? std::string(e.what())
                         : words   ? fmt::format("capture: {} (the words after the options are a libpcap filter, as for tcpdump)", e.what())
                                   : fmt::format("--filter: {}", e.what()));
    }
    if (a.write) {
        p.writer = std::make_unique<capture::DumpWriter>(*a.write, capture::dump_format_for(*a.write), p.cap->link_type(),
                                                         p.cap->snaplen(), p.interface, p.filter,
                                                         fmt::format("sshpath {}", SSHPATH_VERSION));
        if (file_owner && !p.writer->chown(file_owner->uid, file_owner->gid))
            throw UsageError(fmt::format("--write: cannot give '{}' to {}: {}", *a.write, posix::describe(*file_owner), std::strerror(errno)));
    }
    if (a.bundle->exporting()) {
        // Created now, while sshpath may still create files where the user may not, and given to
        // the user, as --write and --report are; written once the report is out.
        const std::string& path = a.bundle->export_path();
        posix::Fd& fd = a.bundle->opened_export();
        fd.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!fd.valid()) throw UsageError(fmt::format("--export: cannot create '{}': {}", path, std::strerror(errno)));
        if (file_owner && fchown(fd.get(), file_owner->uid, file_owner->gid) != 0)
            throw UsageError(fmt::format("--export: cannot give '{}' to {}: {}", path, posix::describe(*file_owner), std::strerror(errno)));
    }
    if (a.report) {
        p.report.reset(::open(a.report->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!p.report.valid()) throw UsageError(fmt::format("--report: cannot create '{}': {}", *a.report, std::strerror(errno)));
        if (file_owner && fchown(p.report.get(), file_owner->uid, file_owner->gid) != 0)
            throw UsageError(fmt::format("--report: cannot give '{}' to {}: {}", *a.report, posix::describe(*file_owner), std::strerror(errno)));
    }
    return p;
}

// --- the capture and the report -----------------------------------------------------------------

report::LiveTrailer make_trailer(const LiveArgs& a, const Prepared& p, const engine::LiveOutcome& o, const std::string& started,
                                 const std::string& user) {
    report::LiveTrailer t;
    t.command = a.command;
    t.interface = p.interface;
    t.filter = p.filter;
    t.shown_filter = p.shown_filter;
    t.host = p.target.host;
    t.addresses = address_texts(p.target.addresses);
    t.resolved = p.target.resolved;
    t.port = p.target.analyze.ssh_port;
    t.notes = p.target.notes;
    t.started = started;
    t.duration_s = o.duration;
    t.stopped_by = o.stopped_by;
    t.grace_s = a.grace;
    t.packets = o.packets;
    t.kernel_drops = o.kernel.dropped;
    t.interface_drops = o.kernel.if_dropped;
    t.privileges = user;
    if (p.writer)
        t.capture_file = report::LiveCaptureFile{p.writer->path(), p.writer->format(), p.writer->packets(), p.writer->error()};
    if (o.command)
        t.run = report::LiveRun{o.command->argv, o.command->exit_status, o.command->client_error.line, o.command->client_error.kind};
    return t;
}

void print_live_report(const engine::Analysis& analysis, const LiveArgs& a, const report::LiveTrailer& trailer, int report_fd) {
    report::ReportOptions ro;
    ro.explain = a.explain;
    ro.version = SSHPATH_VERSION;
    ro.live = &trailer;
    set_text_layout(ro, a.vm, report_fd >= 0 ? report_fd : STDOUT_FILENO);
    const std::string out = a.bundle->anonymize_report(report::render(analysis, ro, a.format));
    if (report_fd >= 0) {
        if (const int e = posix::write_all(report_fd, out))
            throw Error(fmt::format("--report: cannot write '{}': {}", *a.report, std::strerror(e)));
        return;
    }
    std::cout << out;
    std::cout.flush();
}

// The progress line: `capture` shows it all along, `run` only once nothing has answered the
// command for 2 s, and never after an answer (ssh then writes to the terminal: a prompt).
void show_progress(const LiveArgs& a, const engine::LiveProgress& p, bool run) {
    if (run && (p.answered || p.elapsed_s < 2)) {
        a.status->clear();
        return;
    }
    a.status->show(fmt::format("sshpath: {} packets seen, {} SYNs unanswered, {:.0f} s", p.packets, p.syns_unanswered, p.elapsed_s));
}

// `run`: a failure named while the command still waits for its own timeout.
void tell_verdict(const LiveArgs& a, const engine::ConclusiveVerdict& c, bool running) {
    if (!running || c.cause == "ok") return;
    note(a, fmt::format("{} -> {}: {} (rule {}), {:.1f} s after its first packet: {}", c.client, c.server, c.cause, c.rule,
                        c.after_first_packet_s, c.summary));
    note(a, "the command is still waiting (until its own timeout); Ctrl-C ends it and prints the report");
}

// Everything after the capture is open and privileges are dropped: the session, then the report.
int capture_and_report(const LiveArgs& a, Prepared& p, posix::SignalPipe& signals, posix::ChildProcess* child,
                       const std::vector<std::string>& argv, const std::string& user) {
    engine::LiveSettings settings;
    settings.name = fmt::format("live capture on {}", p.interface);
    settings.duration = a.duration;
    settings.until_verdict = a.until_verdict;
    settings.announce_verdict = child != nullptr && !a.until_verdict;
    settings.grace = a.grace;
    settings.filter_records_icmp = !a.filter;
    // `capture --host` with this machine's own address runs on the server: its side (FILE@vm).
    if (a.command == "capture" && server_is_here(p.target)) settings.place = "vm";
    engine::LiveHooks hooks;
    hooks.note = [&a](const std::string& text) { note(a, text); };
    hooks.command_output = [&a](std::string_view text) {
        a.status->clear();
        posix::write_all(STDERR_FILENO, text);
    };
    if (a.status->enabled()) hooks.progress = [&a, run = child != nullptr](const engine::LiveProgress& p) { show_progress(a, p, run); };
    hooks.conclusive = [&a](const engine::ConclusiveVerdict& c, bool running) { tell_verdict(a, c, running); };
    if (p.client) hooks.context_at_end = [&p] { return std::vector<facts::FactSet>{p.client->finish()}; };
    const std::string started = posix::utc_timestamp(posix::wall_now());
    engine::LiveSession session(*p.cap, p.rules, p.target.analyze, p.writer.get(), signals, settings, std::move(hooks));
    engine::LiveOutcome o = session.run(child, argv);
    a.status->clear();
    note(a, fmt::format("stopped by {} after {:.1f} s: {} packets, {} dropped by the kernel",
                        report::stopped_by_words(o.stopped_by, child != nullptr, a.grace), o.duration, o.packets, o.kernel.dropped));
    if (p.writer) {
        std::string comment = fmt::format("sshpath {}: {} packets on {}, filter: {}", a.command, o.packets, p.interface, p.shown_filter);
        if (o.command)
            comment += fmt::format("; command: {}; exit status {}; error: {} [{}]", report::shell_join(o.command->argv),
                                   o.command->exit_status, o.command->client_error.line, o.command->client_error.kind);
        p.writer->close(o.kernel, comment);
        if (!p.writer->error().empty())
            o.analysis.warnings.push_back(fmt::format("could not write all of '{}': {}; the file holds the packets before the error",
                                                      p.writer->path(), p.writer->error()));
    }
    if (p.client) {
        o.analysis.client_check = "sshpath check, as root before the capture; counters read again after it";
        o.analysis.client_findings = client::finding_lines(p.client->result());
    }
    print_live_report(o.analysis, a, make_trailer(a, p, o, started, user), p.report.get());
    if (a.bundle->exporting()) {
        std::vector<std::pair<std::string, std::string>> sources;
        for (const auto& c : o.analysis.captures) sources.emplace_back(c.file, *a.write);
        a.bundle->write_export(o.analysis, sources);
    }
    // `run` ends as its command did, as time(1) and strace do.
    return o.command ? o.command->exit_status : 0;
}

// `run` without `--`: a command among the options (`sshpath run ssh -V`) is refused with the
// line to type instead.
void require_dashes(const std::vector<std::string>& args, const po::options_description& desc) {
    po::options_description all;
    all.add(desc);
    all.add_options()("command-word", po::value<std::vector<std::string>>(), "");
    po::positional_options_description pos;
    pos.add("command-word", -1);
    std::vector<po::option> parsed;
    try {
        parsed = po::command_line_parser(args).options(all).positional(pos).allow_unregistered().run().options;
    } catch (const po::error&) {
        return;  // the normal parse reports it
    }
    std::size_t consumed = 0;
    for (const auto& o : parsed) {
        if (o.position_key >= 0 || o.unregistered) {
            const std::vector<std::string> own(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(consumed));
            const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(consumed), args.end());
            throw UsageError(fmt::format("run: put '--' before the command: 'sshpath run {}-- {}'",
                                         own.empty() ? "" : report::shell_join(own) + " ", report::shell_join(rest)));
        }
        consumed += o.original_tokens.size();
    }
}

void print_help(const po::options_description& desc, const char* examples) { show_help(desc, std::string("\nExamples:\n") + examples); }

// The progress lines both commands print once the capture is open.
void announce(const LiveArgs& a, const Prepared& p) {
    if (p.target.resolved) note(a, fmt::format("{} is {}", p.target.host, address_list(p.target.addresses)));
    for (const auto& n : p.target.notes) note(a, n);
    note(a, fmt::format("listening on {} ({}), filter: {}", p.interface, capture::link_type_name(p.cap->link_type()), p.shown_filter));
}

}  // namespace

int cmd_capture(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sudo sshpath capture [--host ADDR] [OPTIONS]\n"
        "\n"
        "Captures the connections to the SSH port of a host live (while you run ssh elsewhere) and\n"
        "explains them as 'analyze' does. The kernel filter keeps only those connections and the\n"
        "ICMP/ICMPv6 errors that can quote them. Stops on Ctrl-C, SIGTERM, --duration, or\n"
        "--until-verdict. Opens the capture as root, then drops to the invoking user (SUDO_UID) or\n"
        "nobody.\n"
        "\n"
        "Options");
    add_common_options(desc, true);
    LiveArgs a = parse_live_args("capture", args, desc);
    if (a.vm.count("help")) {
        print_help(desc,
                   "  sudo sshpath capture --host 203.0.113.7\n"
                   "  sudo sshpath capture --host vm.example --port 2222 --duration 30 --write case.pcapng\n"
                   "  sudo sshpath capture --host 203.0.113.7 --until-verdict --duration 60 --format json\n");
        return 0;
    }
    if (a.vm.count("grace") && !a.until_verdict) throw UsageError("--grace: only with --until-verdict (capture) or for 'run'");
    if (!capture::can_capture()) throw UsageError(privilege_message("capture"));
    const int port = a.port.value_or(22);
    Target target = a.host ? explicit_target(*a.host, port) : any_host_target(port);
    const std::optional<Identity> sudo = posix::sudo_user();
    const bool root = posix::is_root();
    auto client_watch = watch_client(target, {});
    Prepared p = prepare(a, std::move(target), sudo);
    p.client = std::move(client_watch);
    const Identity drop_to = !root ? posix::current_user() : sudo ? *sudo : posix::nobody();
    if (const auto why = posix::become(drop_to, false, false)) throw Error(fmt::format("cannot drop privileges: {}", *why));
    const std::string user = root ? fmt::format("root only to open the capture, then {}", posix::describe(drop_to))
                                  : fmt::format("{} (capabilities dropped after opening the capture)", posix::describe(drop_to));
    posix::SignalPipe signals;
    announce(a, p);
    if (a.filter && !a.port)
        note(a, "the filter is yours: the analysis looks for SSH on port 22 (and SSH on any port); --port N names another");
    note(a, fmt::format("running as {}; Ctrl-C stops{}{}", posix::describe(drop_to),
                        a.duration > 0 ? fmt::format(", or {} s", a.duration) : "", a.until_verdict ? ", or a conclusive verdict" : ""));
    return capture_and_report(a, p, signals, nullptr, {}, user);
}

int cmd_run(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sudo sshpath run [OPTIONS] -- COMMAND [ARGS...]\n"
        "\n"
        "Starts a live capture, then runs COMMAND (normally ssh) as the invoking user, with the\n"
        "terminal passed through and a copy of its standard error kept; when it ends (plus --grace\n"
        "for late packets) explains the connection from the packets and ssh's own error line.\n"
        "For ssh, the host, port and proxies come from 'ssh -G'. Opens the capture as root, then\n"
        "drops to the invoking user (SUDO_UID) or nobody.\n"
        "\n"
        "Options");
    add_common_options(desc, false);
    const auto dashes = std::find(args.begin(), args.end(), "--");
    if (dashes == args.end()) require_dashes(args, desc);
    std::vector<std::string> own(args.begin(), dashes);
    std::vector<std::string> command(dashes == args.end() ? dashes : dashes + 1, args.end());
    LiveArgs a = parse_live_args("run", own, desc);
    if (a.vm.count("help")) {
        print_help(desc,
                   "  sudo sshpath run -- ssh -p 2222 alice@vm.example\n"
                   "  sudo sshpath run --write case.pcapng -- ssh alice@203.0.113.7\n"
                   "  sudo sshpath run --host 203.0.113.7 -- scp file alice@203.0.113.7:\n");
        return 0;
    }
    if (command.empty())
        throw UsageError(dashes == args.end() ? "run: no command given: put it after '--', e.g. 'sudo sshpath run -- ssh user@host'"
                                              : "run: no command given after '--'");
    const std::optional<std::string> program = posix::find_program(command.front());
    if (!program) throw UsageError(fmt::format("run: command not found: '{}'", command.front()));
    if (!capture::can_capture()) throw UsageError(privilege_message("run"));

    // Who runs the command, and who sshpath becomes once the capture is open.
    const std::optional<Identity> sudo = posix::sudo_user();
    const bool root = posix::is_root();
    const Identity self = posix::current_user();
    const Identity child_id = sudo ? *sudo : self;
    const Identity drop_to = !root ? self : sudo ? *sudo : posix::nobody();
    const bool keep_kill = root && drop_to.uid != child_id.uid;
    // As root for another user: that user's identity; otherwise this process's own.
    const std::optional<Identity> run_as = root && child_id.uid != 0 ? std::optional<Identity>(child_id) : std::nullopt;

    const std::string base = command.front().substr(command.front().rfind('/') + 1);
    Target target;
    if (a.host)
        target = explicit_target(*a.host, a.port.value_or(22));
    else if (base == "ssh")
        target = ssh_target(*program, std::vector<std::string>(command.begin() + 1, command.end()), run_as, a.port, !a.proxies.empty());
    else
        target = any_host_target(a.port.value_or(22));
    auto client_watch = watch_client(target, !a.host && base == "ssh" ? std::vector<std::string>(command.begin() + 1, command.end())
                                                                      : std::vector<std::string>{});
    Prepared p = prepare(a, std::move(target), sudo);
    p.client = std::move(client_watch);

    posix::SignalPipe signals;
    announce(a, p);
    note(a, fmt::format("running {} as {}", report::shell_join(command), posix::describe(child_id)));

    posix::ChildProcess child = posix::ChildProcess::spawn(posix::CommandSpec{*program, command, run_as});
    if (const auto why = posix::become(drop_to, keep_kill, false)) throw Error(fmt::format("cannot drop privileges: {}", *why));
    const std::string user = drop_to.uid != 0 && root
                                 ? fmt::format("root only to open the capture, then {}{}; the command ran as {}", posix::describe(drop_to),
                                               keep_kill ? " keeping CAP_KILL alone (to stop the command)" : "", posix::describe(child_id))
                                 : fmt::format("{} (capabilities dropped); the command ran as {}", posix::describe(drop_to),
                                               posix::describe(child_id));
    if (const int e = child.start()) throw UsageError(fmt::format("run: cannot run '{}': {}", command.front(), std::strerror(e)));
    return capture_and_report(a, p, signals, &child, command, user);
}

}  // namespace sshpath::cli
