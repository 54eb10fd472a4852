#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "sshpath/probe/decide.h"
#include "sshpath/probe/render.h"
#include "sshpath/probe/runner.h"

namespace po = boost::program_options;

namespace sshpath::cli {

namespace {

int int_option(const po::variables_map& vm, const char* name, int lo, int hi) {
    const std::string text = vm[name].as<std::string>();
    bool digits = !text.empty() && text.size() <= 6 && text.find_first_not_of("0123456789") == std::string::npos;
    int v = digits ? std::stoi(text) : -1;
    if (!digits || v < lo || v > hi) throw UsageError(fmt::format("--{}: '{}' is not a number from {} to {}", name, text, lo, hi));
    return v;
}

double seconds_option(const po::variables_map& vm, const char* name, double lo, double hi) {
    const std::string text = vm[name].as<std::string>();
    double v = -1;
    std::size_t used = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || !std::isfinite(v) || v < lo || v > hi)
        throw UsageError(fmt::format("--{}: '{}' is not a number from {} to {}", name, text, lo, hi));
    return v;
}

}  // namespace

int cmd_probe(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sshpath probe HOST [OPTIONS]\n"
        "\n"
        "Probes the path to HOST's SSH port: a TCP connect and the server's identification string\n"
        "(what 'telnet HOST 22' shows), then SYNs with increasing TTL / hop limit to the port and to a\n"
        "control port of the same host (like tcptraceroute), matched to the ICMP errors that quote\n"
        "them. Says where the SYN was last seen, which segment drops or rejects it, and which fields\n"
        "a middlebox changed on the way. The TTL probes need root or CAP_NET_RAW; without them only\n"
        "the connect test runs.\n"
        "\n"
        "Options");
    desc.add_options()
        ("port,p", po::value<std::string>()->default_value("22")->value_name("PORT"), "the SSH port")
        ("control-port", po::value<std::string>()->default_value("443")->value_name("PORT"), "another port of the same host, to tell a port-specific drop from a host-wide one (0: none)")
        ("max-hops", po::value<std::string>()->default_value("30")->value_name("N"), "highest TTL / hop limit probed (1-255)")
        ("probes-per-hop", po::value<std::string>()->default_value("2")->value_name("N"), "SYNs per TTL (1-10)")
        ("rate", po::value<std::string>()->default_value("20")->value_name("N"), "at most N probes per second (1-1000)")
        ("timeout", po::value<std::string>()->default_value("60")->value_name("S"), "time limit for the whole run, in seconds")
        ("wait", po::value<std::string>()->default_value("2")->value_name("S"), "how long to wait for a probe's answer")
        ("gap-limit", po::value<std::string>()->default_value("5")->value_name("N"), "stop a trace after N silent TTLs in a row (1-255)")
        ("connect-timeout", po::value<std::string>()->default_value("5")->value_name("S"), "TCP connect timeout")
        ("banner-timeout", po::value<std::string>()->default_value("5")->value_name("S"), "wait for the identification string")
        ("edge-hop", po::value<std::string>()->value_name("N"), "the hop of the organisation's edge (default: guessed)")
        ("interface,i", po::value<std::string>()->value_name("IFACE"), "capture on IFACE (default: the one holding the source address)")
        ("no-trace", "only the connect and banner test, no TTL probes")
        ("write,w", po::value<std::string>()->value_name("FILE"), "write every probe and answer to FILE (pcap format)")
        ("format,f", po::value<std::string>()->default_value("text")->value_name("FMT"), "text, json or markdown")
        ("rules", po::value<std::string>()->value_name("DIR"), "use the rules in DIR instead of the installed ones")
        ("help,h", "this help");
    po::variables_map vm = parse_command_line(args, desc, "host");
    if (vm.count("help")) {
        show_help(desc,
                  "\nExamples:\n"
                  "  sudo sshpath probe 203.0.113.7\n"
                  "  sudo sshpath probe vm.example --port 2222 --format json --write probe.pcap\n"
                  "  sshpath probe 203.0.113.7            # without root: the connect and banner test only\n");
        return 0;
    }
    if (!vm.count("host")) throw UsageError("probe: no host given (see 'sshpath probe --help')");
    const auto hosts = vm["host"].as<std::vector<std::string>>();
    if (hosts.size() != 1) throw UsageError("probe: give exactly one host");

    probe::ProbeConfig cfg;
    cfg.port = parse_port(vm["port"].as<std::string>());
    const std::string control = vm["control-port"].as<std::string>();
    cfg.control_port = control == "0" ? 0 : parse_port(control, "--control-port");
    cfg.max_hops = int_option(vm, "max-hops", 1, 255);
    cfg.probes_per_hop = int_option(vm, "probes-per-hop", 1, 10);
    cfg.rate = int_option(vm, "rate", 1, 1000);
    cfg.timeout_s = seconds_option(vm, "timeout", 1, 3600);
    cfg.wait_s = seconds_option(vm, "wait", 0.05, 60);
    cfg.gap_limit = int_option(vm, "gap-limit", 1, 255);
    cfg.connect_timeout_s = seconds_option(vm, "connect-timeout", 0.1, 600);
    cfg.banner_timeout_s = seconds_option(vm, "banner-timeout", 0.1, 600);
    if (vm.count("edge-hop")) cfg.edge_hop = int_option(vm, "edge-hop", 1, 255);
    if (vm.count("interface")) cfg.interface = vm["interface"].as<std::string>();
    cfg.trace = vm.count("no-trace") == 0;
    if (vm.count("write")) cfg.write_path = vm["write"].as<std::string>();
    const std::string format = check_format(vm["format"].as<std::string>());
    if (format == "html") throw UsageError("probe: --format html is not available here: use text, json or markdown");
    cfg.target = hosts[0];
    cfg.address = resolve_host(hosts[0], "probe").front();
    const rules::RuleSet rules = load_rules(vm);

    probe::ProbeResult result = probe::run_probe(cfg);
    const probe::PathFacts facts = probe::observe(result);
    result.edge_hop = facts.edge_hop;
    const double t0 = result.packets.empty() ? result.started : std::min(result.started, result.packets.front().time);
    const probe::Decision decision = probe::decide(rules, facts, result.capture_file, t0);
    std::string out = format == "json"       ? probe::render_json(result, decision, SSHPATH_VERSION)
                      : format == "markdown" ? probe::render_markdown(result, decision, SSHPATH_VERSION)
                                             : probe::render_text(result, decision, SSHPATH_VERSION);
    std::cout << out;
    return 0;
}

}  // namespace sshpath::cli
