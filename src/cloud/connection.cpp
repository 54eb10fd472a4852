#include "sshpath/cloud/connection.h"

#include <fmt/format.h>

#include <algorithm>

#include "match.h"

namespace sshpath::cloud {

namespace {

bool same_family(const std::optional<Address>& given, const Address& seen) { return given && given->family == seen.family; }

// Whether an inbound rule of the exported tables looks at the destination address. Azure NSGs
// always do (their default rule AllowVnetInBound); classic endpoint ACLs, AWS security groups and
// network ACLs never do: the public address the capture shows is as good as the private one.
bool rules_see_destination(const Policy& policy) {
    for (const auto& t : policy.tables)
        for (const auto& r : t.rules)
            if (r.direction == Direction::kInbound &&
                std::any_of(r.destinations.begin(), r.destinations.end(),
                            [](const AddressTerm& a) { return a.kind != AddressTerm::Kind::kAny; }))
                return true;
    return false;
}

// The VM's address as the rules see it, and where it comes from ("" when unknown).
std::pair<Address, std::string> vm_address(const Policy& policy, const Context& context, const Vantage& vantage,
                                           const SeenConnection& seen) {
    if (same_family(vantage.vm, seen.server)) return {*vantage.vm, "option"};
    std::vector<Address> nics;
    for (const auto& a : policy.nic_addresses)
        if (a.family == seen.server.family && std::find(nics.begin(), nics.end(), a) == nics.end()) nics.push_back(a);
    if (std::find(nics.begin(), nics.end(), seen.server) != nics.end()) return {seen.server, "capture"};
    if (nics.size() == 1) return {nics.front(), "nic-export"};
    if (is_private(seen.server) || detail::Matcher(policy, context).in_vnet(seen.server) || !rules_see_destination(policy))
        return {seen.server, "capture"};
    return {seen.server, ""};
}

}  // namespace

facts::FactSet connection_facts(const Policy& policy, const Context& context, const Vantage& vantage,
                                const SeenConnection& seen) {
    namespace C = facts::cloud;
    facts::FactSet unevaluated(facts::Scope::kCloud);
    unevaluated.set(C::rules_loaded, true);
    unevaluated.set(C::provider, std::string(cloud_name(policy.cloud())));
    if (seen.via_proxy || !seen.client.valid() || !seen.server.valid()) return unevaluated;

    Flow flow;
    AddressOrigin origin;
    flow.protocol = 6;
    flow.direction = Direction::kInbound;
    flow.destination_port = seen.server_port;
    std::vector<std::string> needs;
    if (same_family(vantage.client, seen.client)) {
        flow.source = *vantage.client;
        flow.source_port = vantage.client_port;
    } else if (!is_private(seen.client)) {
        flow.source = seen.client;
        flow.source_port = seen.client_port;
        origin.client = "capture";
    } else {
        needs.push_back(fmt::format("--cloud-from ADDR: the client's address as the cloud sees it (the capture shows {}, a "
                                    "private address behind NAT; 'curl -s https://ifconfig.me' from the client's network prints "
                                    "the public one)",
                                    seen.client.str()));
    }
    const auto [vm, vm_from] = vm_address(policy, context, vantage, seen);
    flow.destination = vm;
    origin.vm = vm_from;
    if (vm_from.empty())
        needs.push_back(fmt::format("--cloud-vm ADDR: the VM's private address (NSGs see it, not the public {} the capture "
                                    "shows: 'az vm list-ip-addresses -g GROUP -n VM -o table'), or the NIC's export "
                                    "(az network nic show), or the virtual network's space (--vnet CIDR)",
                                    seen.server.str()));
    if (!needs.empty()) {
        std::string text = needs.front();
        if (needs.size() > 1) text += "; and " + needs.back();
        unevaluated.set(C::needs, text);
        if (flow.source.valid()) {
            unevaluated.set(C::client_address, flow.source.str());
            unevaluated.set(C::client_address_from, origin.client);
        }
        if (!vm_from.empty()) {
            unevaluated.set(C::vm_address, vm.str());
            unevaluated.set(C::vm_address_from, vm_from);
        }
        return unevaluated;
    }
    return facts(evaluate(policy, flow, context), origin);
}

}  // namespace sshpath::cloud
