#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <unistd.h>
#include <iostream>

#include "cli/cloud_options.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/manual.h"
#include "sshpath/cloud/evaluate.h"
#include "sshpath/cloud/load.h"
#include "sshpath/cloud/render.h"

namespace po = boost::program_options;

namespace sshpath::cli {

namespace {

cloud::Address endpoint(const std::string& text, const char* option, int& port) {
    cloud::Address a;
    if (!cloud::parse_endpoint(text, a, port))
        throw UsageError(fmt::format("{}: '{}' is not ADDRESS or ADDRESS:PORT ([ADDRESS]:PORT for IPv6)", option, text));
    return a;
}

}  // namespace

int cmd_cloud_verify(const std::vector<std::string>& args) {
    po::options_description desc(
        "Usage: sshpath cloud-verify FILE... --from ADDR[:PORT] --to ADDR:PORT [OPTIONS]\n"
        "\n"
        "Evaluates exported cloud rules for one connection, offline, the way Azure's IP flow verify\n"
        "does: which rule of which NSG, endpoint ACL, security group, network ACL or GCP firewall\n"
        "allows or denies it. FILE is the JSON of the cloud's own CLI (az network nsg show, az network\n"
        "nic list-effective-nsg, azure vm endpoint list --json, aws ec2 describe-security-groups,\n"
        "aws ec2 describe-network-acls, gcloud compute firewall-rules list --format=json, ...);\n"
        "several files are evaluated together (a subnet's NSG and a NIC's NSG both apply).\n"
        "\n"
        "Options");
    desc.add_options()
        ("from", po::value<std::string>()->value_name("ADDR[:PORT]"), "the connection's source: inbound, the client's address as the cloud sees it (after NAT)")
        ("to", po::value<std::string>()->value_name("ADDR:PORT"), "the destination: inbound, the VM's private address and port (classic endpoints: the public port)")
        ("protocol", po::value<std::string>()->default_value("tcp")->value_name("PROTO"), "tcp, udp, icmp, icmpv6 or a protocol number")
        ("direction", po::value<std::string>()->default_value("inbound")->value_name("DIR"), "inbound (to the VM) or outbound (from the VM)");
    add_cloud_context_options(desc);
    desc.add_options()
        ("format,f", po::value<std::string>()->default_value("text")->value_name("FMT"), "text or json")
        ("facts", "list the facts of the `cloud` scope (flow rules read them as cloud.NAME), and exit")
        ("help,h", "this help");
    po::variables_map vm = parse_command_line(args, desc, "file");
    if (vm.count("help")) {
        show_help(desc,
                  "\nExamples:\n"
                  "  az network nic list-effective-nsg -g GROUP -n NIC -o json > effective.json\n"
                  "  sshpath cloud-verify effective.json --from 198.51.100.2 --to 10.0.0.4:22\n"
                  "  sshpath cloud-verify subnet-nsg.json nic-nsg.json --from 198.51.100.2 --to 10.0.0.4:22 --vnet 10.0.0.0/16\n"
                  "  sshpath cloud-verify sg.json nacl.json --from 198.51.100.2:51000 --to 10.1.0.5:22 --format json\n");
        return 0;
    }
    if (vm.count("facts")) {
        std::cout << fmt::format("{:<30} {:<6} {:<7} {:<6} {}\n", "fact", "scope", "type", "unset", "meaning");
        for (const auto& f : facts::facts_of(facts::Scope::kCloud))
            std::cout << fmt::format("{:<30} {:<6} {:<7} {:<6} {}\n", f.name, "cloud", facts::type_name(f.type), f.unset, f.description);
        return 0;
    }
    if (!vm.count("file")) throw UsageError("cloud-verify: no rule file given (see 'sshpath cloud-verify --help')");
    if (!vm.count("from")) throw UsageError("cloud-verify: --from ADDR[:PORT] is required");
    if (!vm.count("to")) throw UsageError("cloud-verify: --to ADDR:PORT is required");
    const std::string format = vm["format"].as<std::string>();
    if (format != "text" && format != "json") throw UsageError(fmt::format("--format: '{}' is not one of text, json", format));

    cloud::Flow flow;
    flow.source = endpoint(vm["from"].as<std::string>(), "--from", flow.source_port);
    flow.destination = endpoint(vm["to"].as<std::string>(), "--to", flow.destination_port);
    const std::string proto = vm["protocol"].as<std::string>();
    const std::pair<const char*, int> protocols[] = {{"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}};
    flow.protocol = -2;
    for (const auto& [name, number] : protocols)
        if (proto == name) flow.protocol = number;
    if (flow.protocol == -2) flow.protocol = static_cast<int>(parse_count(proto, "--protocol", "a protocol (tcp, udp, icmp, icmpv6)", 0, 255));
    const bool ports = flow.protocol == 6 || flow.protocol == 17 || flow.protocol == 132;
    if (ports && flow.destination_port < 1) throw UsageError("--to: give the destination port (ADDR:PORT, or [ADDR]:PORT for IPv6)");
    if (flow.source_port == 0) throw UsageError("--from: port 0 is not a port (1-65535)");
    const std::string dir = vm["direction"].as<std::string>();
    if (dir != "inbound" && dir != "outbound") throw UsageError(fmt::format("--direction: '{}' is neither inbound nor outbound", dir));
    flow.direction = dir == "inbound" ? cloud::Direction::kInbound : cloud::Direction::kOutbound;

    const cloud::Context context = cloud_context(vm);
    const cloud::Policy policy = cloud::load_files(vm["file"].as<std::vector<std::string>>());
    const cloud::Decision decision = cloud::evaluate(policy, flow, context);
    report::ReportOptions layout;
    set_text_layout(layout, vm, STDOUT_FILENO);
    const std::string out = format == "json" ? cloud::render_json(decision, SSHPATH_VERSION) : cloud::render_text(decision, layout.width);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return 0;
}

}  // namespace sshpath::cli
