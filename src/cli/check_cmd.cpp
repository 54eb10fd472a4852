// `sshpath check HOST`: the client computer examined. Options and wiring only; the checks are
// in the client stage.
#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <limits>

#include <unistd.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "sshpath/capture/reader.h"
#include "sshpath/client/check.h"
#include "sshpath/core/terminal.h"
#include "sshpath/facts/facts.h"
#include "sshpath/flow/flow.h"
#include "sshpath/report/json.h"
#include "sshpath/verdict/verdict.h"

namespace po = boost::program_options;

namespace sshpath::cli {

namespace {

// The host keys servers sent in a capture: every connection that reached key exchange.
std::vector<client::SeenKey> capture_host_keys(const std::string& file, int port) {
    flow::FlowOptions fo;
    fo.ssh_port = static_cast<std::uint16_t>(port);
    fo.spill_after = std::numeric_limits<std::size_t>::max();
    flow::FlowTable table(fo);
    capture::Reader reader(file);
    reader.for_each([&](const packet::Packet& p) { table.add(p); });
    std::vector<client::SeenKey> keys;
    for (const auto& f : table.finish())
        if (f.ssh->server.host_key) keys.push_back({f.server, f.server_port, *f.ssh->server.host_key});
    return keys;
}

// The verdict first, as the other commands print it, wrapped to `width`.
std::string verdict_text(const verdict::Verdict& v, bool explain, std::size_t width) {
    std::string out;
    auto line = [&](const std::string& text) { out += terminal::wrap(text, width, 12); };
    line(fmt::format("VERDICT     {} (confidence {})", contract::name(v.cause), contract::name(v.confidence)));
    std::string who(contract::name(v.component));
    if (v.component == contract::Component::kUnknown) {
        who = "unknown - candidates:";
        for (std::size_t i = 0; i < v.candidates.size(); ++i) who += fmt::format("{} {}", i ? "," : "", contract::name(v.candidates[i]));
    }
    line(fmt::format("component   {}", who));
    line(fmt::format("summary     {}", v.summary));
    line(fmt::format("rule        {}", v.rule.empty() ? "(none)" : v.rule));
    for (const auto& e : v.evidence) line(fmt::format("evidence    {}", e.what));
    for (const auto& step : v.next_steps) line(fmt::format("next step   {}", step));
    if (explain)
        for (const auto& m : v.matched) line(fmt::format("matched     {} (priority {}): {}", m.rule, m.priority, m.condition));
    return out + "\n";
}

}  // namespace

int cmd_check(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sshpath check HOST [OPTIONS]\n"
        "\n"
        "Examines this computer, the SSH client's side: what ssh will really do for HOST (ssh -G,\n"
        "run as the invoking user), the name and the route to it, the modes of ~/.ssh and the key\n"
        "files against what OpenSSH refuses, known_hosts, and, as root, every nftables and\n"
        "iptables rule that would drop, reject or divert the connection, with its counters.\n"
        "A check that cannot run here (no root, a tool not installed) is listed as skipped.\n"
        "\n"
        "Options");
    desc.add_options()
        ("port,p", po::value<std::string>()->value_name("PORT"), "the SSH port (default: what ssh -G says, usually 22)")
        ("capture", po::value<std::string>()->value_name("FILE"), "a capture of the connection: compare the host key the server sent with known_hosts")
        ("format,f", po::value<std::string>()->default_value("text")->value_name("FMT"), "text or json")
        ("rules", po::value<std::string>()->value_name("DIR"), "use the rules in DIR instead of the installed ones")
        ("explain", "list every rule that matched and the facts its condition read")
        ("facts", "list the facts of the client scope (name, type, unset value, meaning) and exit")
        ("help,h", "this help");
    po::variables_map vm = parse_command_line(args, desc, "host");
    if (vm.count("help")) {
        show_help(desc,
                  "\nExamples:\n"
                  "  sshpath check vm.example.com                 # as the user: ssh config, keys, name, route\n"
                  "  sudo sshpath check vm.example.com -p 2222    # root also reads the firewall rules\n"
                  "  sshpath check vm.example.com --format json > client-check.json\n"
                  "  sshpath check vm.example.com --capture failing.pcap\n"
                  "\nExit status: 0 the checks ran (whatever they found); 2 bad usage.\n");
        return 0;
    }
    if (vm.count("facts")) {
        std::cout << fmt::format("{:<30} {:<7} {:<6} {}\n", "fact", "type", "unset", "meaning");
        for (const auto& f : facts::facts_of(facts::Scope::kClient))
            std::cout << fmt::format("{:<30} {:<7} {:<6} {}\n", f.name, facts::type_name(f.type), f.unset, f.description);
        return 0;
    }
    const auto hosts = vm.count("host") ? vm["host"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (hosts.size() != 1) throw UsageError(hosts.empty() ? "check: no host given (see 'sshpath check --help')" : "check: give one host");
    const std::string& host = hosts[0];
    if (host.empty() || host[0] == '-' || host.size() > 255 || host.find_first_of(" \t\n\r") != std::string::npos)
        throw UsageError(fmt::format("check: '{}' is not a host", host));
    const std::string format = vm["format"].as<std::string>();
    if (format != "text" && format != "json") throw UsageError(fmt::format("--format: '{}' is not one of text, json", format));
    client::CheckOptions options;
    options.host = host;
    options.version = SSHPATH_VERSION;
    if (vm.count("port")) options.port = parse_port(vm["port"].as<std::string>());
    if (vm.count("capture")) {
        options.capture_file = vm["capture"].as<std::string>();
        options.capture_keys = capture_host_keys(options.capture_file, options.port.value_or(22));
    }
    const rules::RuleSet rules = load_rules(vm);
    const client::CheckResult result = client::run_check(options);
    // The rules of the client scope decide, as they do for a capture.
    const facts::FactSet facts = client::client_fact_set(result);
    const verdict::Verdict v = verdict::decide(rules, facts::Context(facts), facts::Scope::kClient, "", vm.count("explain") > 0);
    report::ReportOptions layout;
    set_text_layout(layout, vm, STDOUT_FILENO);
    const std::string out = format == "json" ? client::to_json(result, report::verdict_to_json(v, vm.count("explain") > 0).dump())
                                             : verdict_text(v, vm.count("explain") > 0, layout.width) +
                                                   client::to_text(result, layout.width);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return 0;
}

}  // namespace sshpath::cli
