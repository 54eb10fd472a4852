#include "cli/cloud_options.h"

#include <fmt/format.h>

#include <memory>

#include "cli/common.h"
#include "sshpath/cloud/connection.h"
#include "sshpath/cloud/load.h"

namespace po = boost::program_options;

namespace sshpath::cli {

namespace {

std::vector<std::string> list(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::vector<std::string>>() : std::vector<std::string>{};
}

// The connection as the capture saw it, from its flow facts.
cloud::SeenConnection seen_connection(const facts::FactSet& flow) {
    namespace F = facts::flow;
    cloud::SeenConnection seen;
    if (!cloud::parse_endpoint(flow.get(F::client), seen.client, seen.client_port)) seen.client = {};
    if (!cloud::Address::parse(flow.get(F::server_address), seen.server)) seen.server = {};
    seen.server_port = static_cast<int>(flow.get(F::server_port));
    seen.via_proxy = flow.get(F::via_proxy);
    return seen;
}

}  // namespace

void add_cloud_context_options(po::options_description& desc) {
    desc.add_options()
        ("vnet", po::value<std::vector<std::string>>()->composing()->value_name("CIDR"), "the virtual network's address space (Azure's VirtualNetwork tag); repeatable")
        ("asg", po::value<std::vector<std::string>>()->composing()->value_name("NAME=ADDR"), "ADDR belongs to the group NAME: Azure application security group, AWS security group a rule refers to, GCP source tag or service account; repeatable")
        ("tag", po::value<std::vector<std::string>>()->composing()->value_name("TAG"), "GCP: a network tag of the VM; repeatable")
        ("service-account", po::value<std::vector<std::string>>()->composing()->value_name("EMAIL"), "GCP: a service account of the VM; repeatable")
        ("sshd-port", po::value<std::string>()->value_name("PORT"), "the port sshd listens on (default 22; a classic endpoint forwarding elsewhere is reported)");
}

cloud::Context cloud_context(const po::variables_map& vm) {
    cloud::Context context;
    for (const auto& v : list(vm, "vnet")) {
        cloud::Prefix p;
        if (!cloud::Prefix::parse(v, p)) throw UsageError(fmt::format("--vnet: '{}' is not a CIDR prefix", v));
        context.vnet.push_back(p);
    }
    for (const auto& m : list(vm, "asg")) {
        const auto eq = m.find('=');
        cloud::Address a;
        if (eq == std::string::npos || eq == 0 || !cloud::Address::parse(m.substr(eq + 1), a))
            throw UsageError(fmt::format("--asg: '{}' is not NAME=ADDRESS", m));
        context.members.emplace_back(m.substr(0, eq), a);
    }
    context.tags = list(vm, "tag");
    context.service_accounts = list(vm, "service-account");
    if (vm.count("sshd-port")) context.sshd_port = parse_port(vm["sshd-port"].as<std::string>(), "--sshd-port");
    return context;
}

void add_cloud_options(po::options_description& desc) {
    desc.add_options()
        ("cloud-rules", po::value<std::vector<std::string>>()->composing()->value_name("FILE"), "exported cloud rules (az network nsg show / nic list-effective-nsg -o json, aws ec2 describe-security-groups, ...: see 'sshpath cloud-verify --help') evaluated for each connection; repeatable")
        ("cloud-from", po::value<std::string>()->value_name("ADDR[:PORT]"), "with --cloud-rules: the client's address as the cloud sees it (after the organisation's NAT), when the capture shows a private one")
        ("cloud-vm", po::value<std::string>()->value_name("ADDR"), "with --cloud-rules: the VM's private address, when the capture shows its public one");
    add_cloud_context_options(desc);
}

void wire_cloud_rules(const po::variables_map& vm, engine::AnalyzeOptions& options) {
    if (!vm.count("cloud-rules")) {
        for (const char* o : {"cloud-from", "cloud-vm", "vnet", "asg", "tag", "service-account", "sshd-port"})
            if (vm.count(o)) throw UsageError(fmt::format("--{} says what the cloud rules cannot; give them with --cloud-rules FILE", o));
        return;
    }
    cloud::Vantage vantage;
    if (vm.count("cloud-from")) {
        cloud::Address a;
        const std::string text = vm["cloud-from"].as<std::string>();
        if (!cloud::parse_endpoint(text, a, vantage.client_port) || vantage.client_port == 0)
            throw UsageError(fmt::format("--cloud-from: '{}' is not ADDRESS or ADDRESS:PORT ([ADDRESS]:PORT for IPv6)", text));
        vantage.client = a;
    }
    if (vm.count("cloud-vm")) {
        cloud::Address a;
        const std::string text = vm["cloud-vm"].as<std::string>();
        if (!cloud::Address::parse(text, a)) throw UsageError(fmt::format("--cloud-vm: '{}' is not an address", text));
        vantage.vm = a;
    }
    const cloud::Context context = cloud_context(vm);
    auto policy = std::make_shared<const cloud::Policy>(cloud::load_files(vm["cloud-rules"].as<std::vector<std::string>>()));
    cloud::check(*policy);
    options.flow_facts = [policy, context, vantage](const facts::FactSet& flow) {
        return std::vector<facts::FactSet>{cloud::connection_facts(*policy, context, vantage, seen_connection(flow))};
    };
}

}  // namespace sshpath::cli
