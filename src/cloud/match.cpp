#include "match.h"

#include <fmt/format.h>

#include <algorithm>

#include "json_util.h"

namespace sshpath::cloud::detail {

namespace {

Match combine(Match a, Match b) {
    if (a == Match::kNo || b == Match::kNo) return Match::kNo;
    if (a == Match::kMaybe || b == Match::kMaybe) return Match::kMaybe;
    return Match::kYes;
}

Address load_balancer() {
    Address a;
    Address::parse("168.63.129.16", a);
    return a;
}

Match ports(const std::vector<PortRange>& ranges, int port, const char* side, std::string& why) {
    if (ranges.empty()) return Match::kYes;
    if (port < 0) {
        why = fmt::format("it allows or denies only some {} ports and the {} port is unknown", side, side);
        return Match::kMaybe;
    }
    return std::any_of(ranges.begin(), ranges.end(), [port](const PortRange& r) { return r.contains(port); }) ? Match::kYes
                                                                                                              : Match::kNo;
}

}  // namespace

Matcher::Matcher(const Policy& policy, const Context& context) : policy_(policy), context_(context) {
    vnet_ = context.vnet;
    for (const auto& p : policy.vnet)
        if (std::find(vnet_.begin(), vnet_.end(), p) == vnet_.end()) vnet_.push_back(p);
}

bool Matcher::in_vnet(const Address& a) const {
    return std::any_of(vnet_.begin(), vnet_.end(), [&](const Prefix& p) { return p.contains(a); });
}

Match Matcher::group(const std::string& name, const Address& a, std::string& why) const {
    bool known = false, member = false;
    for (const auto& [group, address] : context_.members)
        if (iequals(group, name)) {
            known = true;
            member = member || address == a;
        }
    for (auto it = policy_.members.begin(); it != policy_.members.end(); ++it)
        if (iequals(it->first, name)) {
            known = true;
            member = member || it->second == a;
        }
    if (known) return member ? Match::kYes : Match::kNo;
    // Groups hold machines of the cloud network; a public address is never one of them.
    if (!is_private(a)) return Match::kNo;
    why = fmt::format("who belongs to {} is unknown (give --asg {}={})", name, name, a.str());
    return Match::kMaybe;
}

Match Matcher::address(const AddressTerm& t, const Address& a, std::string& why, const Address* vm) const {
    switch (t.kind) {
    case AddressTerm::Kind::kAny: return Match::kYes;
    case AddressTerm::Kind::kPrefix: return t.prefix.contains(a) ? Match::kYes : Match::kNo;
    case AddressTerm::Kind::kGroup: return group(t.name, a, why);
    case AddressTerm::Kind::kServiceTag: break;
    }
    if (t.name == "AzureLoadBalancer") return a == load_balancer() ? Match::kYes : Match::kNo;
    if (t.name == "VirtualNetwork") {
        if (a == load_balancer() || (vm && a == *vm)) return Match::kYes;
        if (!vnet_.empty()) return in_vnet(a) ? Match::kYes : Match::kNo;
        if (!is_private(a)) return Match::kNo;
        why = "the virtual network's address space is unknown (give --vnet CIDR or the VNet's export)";
        return Match::kMaybe;
    }
    if (t.name == "Internet") return !is_private(a) && !in_vnet(a) && !(a == load_balancer()) ? Match::kYes : Match::kNo;
    why = fmt::format("the address ranges of service tag {} are not in the export (az network nic list-effective-nsg expands them)",
                      t.name);
    return Match::kMaybe;
}

Match Matcher::addresses(const std::vector<AddressTerm>& terms, const Address& a, std::string& why, const Address* vm) const {
    if (terms.empty()) return Match::kYes;
    Match best = Match::kNo;
    for (const auto& t : terms) {
        std::string w;
        const Match m = address(t, a, w, vm);
        if (m == Match::kYes) return Match::kYes;
        if (m == Match::kMaybe && best == Match::kNo) {
            best = Match::kMaybe;
            why = w;
        }
    }
    return best;
}

Match Matcher::rule(const Rule& r, const Flow& f, std::string& why) const {
    if (r.protocol != kAnyProtocol && r.protocol != f.protocol && !(r.protocol == 1 && f.protocol == 58)) return Match::kNo;
    Match m = Match::kYes;
    std::string w;
    auto step = [&](Match next) {
        if (next == Match::kMaybe && m == Match::kYes) why = w;
        m = combine(m, next);
    };
    // The VM's private address belongs to its virtual network.
    const Address& vm = f.direction == Direction::kInbound ? f.destination : f.source;
    const Address* own = is_private(vm) ? &vm : nullptr;
    step(addresses(r.sources, f.source, w, f.direction == Direction::kOutbound ? own : nullptr));
    if (m == Match::kNo) return m;
    step(addresses(r.destinations, f.destination, w, f.direction == Direction::kInbound ? own : nullptr));
    if (m == Match::kNo) return m;
    if (has_ports(f.protocol)) {
        step(ports(r.destination_ports, f.destination_port, "destination", w));
        if (m == Match::kNo) return m;
        step(ports(r.source_ports, f.source_port, "source", w));
        if (m == Match::kNo) return m;
    }
    if (!r.target_tags.empty() || !r.target_service_accounts.empty()) {
        if (context_.tags.empty() && context_.service_accounts.empty()) {
            w = "it applies only to instances with certain network tags or service accounts (give --tag or --service-account)";
            step(Match::kMaybe);
        } else {
            auto has = [](const std::vector<std::string>& want, const std::vector<std::string>& have) {
                return std::any_of(want.begin(), want.end(),
                                   [&](const std::string& x) { return std::find(have.begin(), have.end(), x) != have.end(); });
            };
            step(has(r.target_tags, context_.tags) || has(r.target_service_accounts, context_.service_accounts) ? Match::kYes
                                                                                                              : Match::kNo);
        }
    }
    return m;
}

}  // namespace sshpath::cloud::detail
