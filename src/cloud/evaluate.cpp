#include "sshpath/cloud/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "fix.h"
#include "match.h"
#include "sshpath/core/error.h"

namespace sshpath::cloud {

namespace {

using detail::Match;
using detail::Matcher;

constexpr std::size_t kMaxNext = 5;

std::string table_words(const RuleTable& t) {
    std::string out = fmt::format("{} {}", table_kind_words(t.kind), t.name);
    if (t.level != Level::kUnknown) out += fmt::format(" ({} level)", t.level == Level::kNic ? "NIC" : "subnet");
    return out;
}

RuleRef ref(const RuleTable& t, const Rule& r) {
    RuleRef x;
    x.name = r.name;
    x.priority = r.priority;
    x.access = std::string(access_name(r.access));
    x.direction = std::string(direction_name(r.direction));
    x.is_default = r.is_default;
    x.text = r.text();
    x.table = t.name;
    x.table_kind = std::string(table_kind_words(t.kind));
    x.component = std::string(table_component(t.kind));
    x.level = std::string(level_name(t.level));
    x.file = t.file;
    x.format = t.format;
    x.resource_group = t.resource_group;
    if (t.kind == TableKind::kSecurityGroup) x.priority = -1;  // security group rules have no order
    return x;
}

RuleRef implicit(const RuleTable& t, const std::string& name, const std::string& text, Access a, Direction d) {
    RuleRef x = ref(t, Rule{});
    x.name = name;
    x.priority = -1;
    x.access = std::string(access_name(a));
    x.direction = std::string(direction_name(d));
    x.is_default = true;
    x.text = text;
    return x;
}

std::string flow_text(const Flow& f) {
    auto side = [](const Address& a, int port) {
        const std::string p = port < 0 ? "*" : std::to_string(port);
        return a.family == 6 ? fmt::format("[{}]:{}", a.str(), p) : fmt::format("{}:{}", a.str(), p);
    };
    return fmt::format("{} {} -> {} {}", protocol_name(f.protocol), side(f.source, f.source_port),
                       side(f.destination, f.destination_port), direction_name(f.direction));
}

// One layer's answer, with what is needed to write the command that would change it.
struct Step {
    Layer layer;
    const RuleTable* table = nullptr;
    const Rule* rule = nullptr;  // nullptr: implicit
    Flow flow;
    bool decided = false;
    std::string fix;  // the command that changes it, when not derived from table and rule
};

Step first_match(const RuleTable& t, const Flow& f, const Matcher& m) {
    Step s;
    s.table = &t;
    s.flow = f;
    s.layer.what = table_words(t);
    s.layer.component = std::string(table_component(t.kind));
    for (const auto& r : t.rules) {
        if (r.direction != f.direction) continue;
        std::string why;
        const Match x = m.rule(r, f, why);
        if (x == Match::kNo) continue;
        if (!s.decided) {
            if (x == Match::kMaybe) {
                s.layer.maybe.push_back(fmt::format("{} '{}' (priority {}) may match: {}", table_words(t), r.name, r.priority, why));
                continue;
            }
            s.decided = true;
            s.rule = &r;
            s.layer.rule = ref(t, r);
            s.layer.access = s.layer.rule.access;
        } else if (x == Match::kYes && s.layer.next.size() < kMaxNext) {
            s.layer.next.push_back(ref(t, r));
        }
    }
    return s;
}

class Evaluation {
public:
    Evaluation(const Policy& p, const Flow& f, const Context& c) : policy_(p), flow_(f), context_(c), matcher_(p, c) {}

    Decision run();

private:
    void azure();
    bool classic(Flow& f);
    void aws();
    void gcp();
    void nacl_return(const RuleTable& nacl);
    void add(Step s) { steps_.push_back(std::move(s)); }
    void finish();

    const Policy& policy_;
    const Flow& flow_;
    const Context& context_;
    Matcher matcher_;
    std::vector<Step> steps_;
    std::string return_fix_;
    Decision d_;
};

bool Evaluation::classic(Flow& f) {
    const Endpoint* ep = nullptr;
    for (const auto& e : policy_.endpoints)
        if (e.protocol == f.protocol && e.public_port == f.destination_port && !ep) ep = &e;
    if (!ep)
        for (const auto& e : policy_.endpoints)
            if (e.protocol == f.protocol && e.private_port == f.destination_port && !ep) {
                ep = &e;
                d_.notes.push_back(fmt::format("port {} is the private port of endpoint {}; its public port is {}",
                                               f.destination_port, e.name, e.public_port));
                f.destination_port = e.public_port;
            }
    const RuleTable* acl = ep ? &ep->acl : (policy_.loose_acls.empty() ? nullptr : &policy_.loose_acls.front());
    if (!ep && !policy_.endpoints.empty()) {
        std::string list;
        for (const auto& e : policy_.endpoints)
            list += fmt::format("{}{} {} {}->{}", list.empty() ? "" : ", ", e.name, protocol_name(e.protocol), e.public_port,
                                e.private_port);
        Step s;
        s.table = &policy_.endpoints.front().acl;
        s.flow = f;
        s.decided = true;
        s.layer.what = "cloud service endpoints";
        s.layer.component = "acl";
        s.layer.access = "deny";
        s.layer.rule = implicit(*s.table, "(no endpoint)",
                                fmt::format("no endpoint forwards {} port {} (endpoints: {})", protocol_name(f.protocol),
                                            f.destination_port, list),
                                Access::kDeny, Direction::kInbound);
        s.layer.rule.table = "";
        s.layer.rule.table_kind = "cloud service";
        s.fix = detail::fix_no_endpoint(f, context_.sshd_port);
        add(std::move(s));
        return false;
    }
    if (ep) {
        EndpointUse use{ep->name, ep->public_port, ep->private_port, context_.sshd_port, ep->private_port != context_.sshd_port,
                        ep->vm, ep->file, ""};
        if (use.mismatch)
            d_.notes.push_back(fmt::format("endpoint {} forwards public port {} to private port {}, but sshd listens on {}: "
                                           "connections reach a port nothing listens on",
                                           ep->name, ep->public_port, ep->private_port, context_.sshd_port));
        d_.endpoint = use;
    }
    if (!acl) return true;
    Step s = first_match(*acl, f, matcher_);
    s.layer.what = fmt::format("endpoint ACL of {}", acl->name);
    if (!s.decided) {
        const bool permits = std::any_of(acl->rules.begin(), acl->rules.end(), [](const Rule& r) { return r.access == Access::kAllow; });
        s.decided = true;
        const Access a = acl->rules.empty() || !permits ? Access::kAllow : Access::kDeny;
        s.layer.access = std::string(access_name(a));
        s.layer.rule = implicit(*acl,
                                acl->rules.empty() ? "(no ACL rules)" : (permits ? "(implicit deny)" : "(implicit permit)"),
                                acl->rules.empty() ? "an endpoint without ACL rules permits everything"
                                : permits          ? "an ACL with permit rules denies every other subnet"
                                                   : "an ACL with only deny rules permits every other subnet",
                                a, Direction::kInbound);
    }
    if (ep) f.destination_port = ep->private_port;  // what follows sees the VM's port
    const bool allowed = s.layer.access == "allow";
    add(std::move(s));
    return allowed;
}

void Evaluation::azure() {
    Flow f = flow_;
    const bool in = f.direction == Direction::kInbound;
    if (in && (!policy_.endpoints.empty() || !policy_.loose_acls.empty())) classic(f);
    std::vector<const RuleTable*> nsgs;
    for (const auto& t : policy_.tables)
        if (t.kind == TableKind::kNsg) nsgs.push_back(&t);
    // Inbound: subnet, then NIC; outbound: NIC, then subnet. Unknown levels keep the order given.
    auto rank = [in](const RuleTable* t) {
        const int r = t->level == Level::kSubnet ? 0 : t->level == Level::kUnknown ? 1 : 2;
        return in ? r : 2 - r;
    };
    std::stable_sort(nsgs.begin(), nsgs.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
    for (const auto* t : nsgs) add(first_match(*t, f, matcher_));
    if (!nsgs.empty() && in && !is_private(f.destination) && !matcher_.in_vnet(f.destination))
        d_.notes.push_back(fmt::format("{} is a public address: NSGs see the VM's private address (Azure translates the public "
                                       "one first); give --to PRIVATE-ADDRESS:PORT",
                                       f.destination.str()));
    if (!nsgs.empty() && in && !policy_.nic_addresses.empty() &&
        std::find(policy_.nic_addresses.begin(), policy_.nic_addresses.end(), f.destination) == policy_.nic_addresses.end())
        d_.notes.push_back(fmt::format("{} is not the private address of the exported NIC ({})", f.destination.str(),
                                       policy_.nic_addresses.front().str()));
}

void Evaluation::aws() {
    std::vector<const RuleTable*> nacls, groups;
    for (const auto& t : policy_.tables) (t.kind == TableKind::kNetworkAcl ? nacls : groups).push_back(&t);
    const bool in = flow_.direction == Direction::kInbound;
    auto groups_step = [&] {
        Step s;
        s.table = groups.front();
        s.flow = flow_;
        s.decided = true;
        std::string names;
        for (const auto* g : groups) names += (names.empty() ? "" : ", ") + g->name;
        s.layer.what = fmt::format("security group{} {}", groups.size() > 1 ? "s" : "", names);
        s.layer.component = "nsg";
        for (const auto* g : groups)
            for (const auto& r : g->rules) {
                if (r.direction != flow_.direction) continue;
                std::string why;
                const Match x = matcher_.rule(r, flow_, why);
                if (x == Match::kMaybe && !s.rule) s.layer.maybe.push_back(fmt::format("security group {} {} may match: {}", g->name, r.name, why));
                if (x != Match::kYes) continue;
                if (!s.rule) {
                    s.rule = &r;
                    s.table = g;
                    s.layer.rule = ref(*g, r);
                } else if (s.layer.next.size() < kMaxNext) {
                    s.layer.next.push_back(ref(*g, r));
                }
            }
        if (!s.rule) {
            s.layer.rule = implicit(*groups.front(), "(no rule allows it)",
                                    "security groups allow only what one of their rules allows; they have no deny rules",
                                    Access::kDeny, flow_.direction);
            s.layer.rule.table = names;
        }
        s.layer.access = s.layer.rule.access;
        add(std::move(s));
    };
    if (in) {
        if (!nacls.empty()) add(first_match(*nacls.front(), flow_, matcher_));
        if (!groups.empty()) groups_step();
    } else {
        if (!groups.empty()) groups_step();
        if (!nacls.empty()) add(first_match(*nacls.front(), flow_, matcher_));
    }
    if (!nacls.empty()) nacl_return(*nacls.front());
}

// Network ACLs are stateless: the reply crosses the ACL again, to the client's ephemeral port.
void Evaluation::nacl_return(const RuleTable& nacl) {
    Flow reply;
    reply.source = flow_.destination;
    reply.source_port = flow_.destination_port;
    reply.destination = flow_.source;
    reply.destination_port = flow_.source_port;
    reply.protocol = flow_.protocol;
    reply.direction = flow_.direction == Direction::kInbound ? Direction::kOutbound : Direction::kInbound;
    const PortRange checked = flow_.source_port >= 0 ? PortRange{flow_.source_port, flow_.source_port} : context_.ephemeral;
    std::vector<int> cuts{checked.lo};
    if (detail::has_ports(reply.protocol))
        for (const auto& r : nacl.rules)
            for (const auto& p : r.destination_ports)
                for (int c : {p.lo, p.hi + 1})
                    if (c > checked.lo && c <= checked.hi) cuts.push_back(c);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    ReturnPath rp;
    rp.ports = PortRange{checked.lo, checked.hi}.text();
    if (checked.lo == 0 && checked.hi == 65535) rp.ports = "0-65535";
    const Rule* first_deny = nullptr;
    std::optional<PortRange> first_denied;
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        const PortRange seg{cuts[i], i + 1 < cuts.size() ? cuts[i + 1] - 1 : checked.hi};
        reply.destination_port = seg.lo;
        Step s = first_match(nacl, reply, matcher_);
        const bool allow = s.decided && s.rule->access == Access::kAllow;
        std::string& list = allow ? rp.allowed_ports : rp.denied_ports;
        list += (list.empty() ? "" : ",") + (seg.lo == seg.hi ? std::to_string(seg.lo) : fmt::format("{}-{}", seg.lo, seg.hi));
        if (i == 0 || (!allow && !first_deny)) rp.rule = s.decided ? s.layer.rule : RuleRef{};
        if (!allow && !first_deny) {
            first_deny = s.rule;
            first_denied = seg;
        }
    }
    rp.access = rp.denied_ports.empty() ? "allow" : rp.allowed_ports.empty() ? "deny" : "partial";
    if (first_denied) {
        // The widest run of denied ports, as the command opens the whole range checked.
        reply.destination_port = first_denied->lo;
        return_fix_ = detail::fix_return(nacl, first_deny, reply, checked);
        d_.notes.push_back(fmt::format("network ACL {} drops the replies to {} port{} {} ({} rule {}): network ACLs are stateless",
                                       nacl.name, flow_.source.str(), rp.denied_ports.find_first_of("-,") == std::string::npos ? "" : "s",
                                       rp.denied_ports, direction_name(reply.direction), rp.rule.name));
    }
    d_.return_path = rp;
}

void Evaluation::gcp() {
    std::vector<const RuleTable*> nets;
    for (const auto& t : policy_.tables)
        if (t.kind == TableKind::kGcpFirewall) nets.push_back(&t);
    add(first_match(*nets.front(), flow_, matcher_));
}

void Evaluation::finish() {
    const Step* decider = nullptr;
    for (const auto& s : steps_)
        if (s.layer.access == "deny") {
            decider = &s;
            break;
        }
    if (!decider && !steps_.empty()) decider = &steps_.back();
    bool before = true;
    for (const auto& s : steps_) {
        if (before)
            for (const auto& m : s.layer.maybe) {
                if (!d_.uncertain) d_.uncertain_why = m;
                d_.uncertain = true;
                d_.notes.push_back(m);
            }
        if (&s == decider) before = false;
        d_.layers.push_back(s.layer);
        if (s.layer.access != "deny") continue;
        std::string c = !s.fix.empty() ? s.fix : s.table ? detail::fix_command(*s.table, s.rule, s.flow, context_) : "";
        if (!c.empty()) d_.change_commands.push_back(c);
    }
    if (!return_fix_.empty()) {
        d_.change_commands.push_back(return_fix_);
        d_.return_path->command = return_fix_;
    }
    if (!decider) {
        d_.access = "no-rule";
        d_.notes.push_back("no rule in the files applies to this flow");
        return;
    }
    d_.access = decider->layer.access;
    d_.component = decider->layer.component;
    d_.rule = decider->layer.rule;
    d_.next = decider->layer.next;
    if (d_.endpoint && d_.endpoint->mismatch) {
        for (const auto& e : policy_.endpoints)
            if (e.name == d_.endpoint->name) {
                d_.endpoint->command = detail::fix_endpoint_port(e, context_.sshd_port);
                d_.change_commands.push_back(d_.endpoint->command);
            }
    }
}

Decision Evaluation::run() {
    if (flow_.source.family != flow_.destination.family)
        throw InputError(fmt::format("--from {} and --to {} are not of the same address family", flow_.source.str(), flow_.destination.str()));
    check(policy_);
    d_.flow = flow_text(flow_);
    d_.direction = std::string(direction_name(flow_.direction));
    d_.protocol = protocol_name(flow_.protocol);
    d_.source = flow_.source.str();
    d_.destination = flow_.destination.str();
    d_.source_port = flow_.source_port;
    d_.destination_port = flow_.destination_port;
    d_.notes = policy_.notes;
    const Cloud cloud = policy_.cloud();
    d_.cloud = std::string(cloud_name(cloud));
    if (cloud == Cloud::kAws) aws();
    else if (cloud == Cloud::kGcp) gcp();
    else azure();
    finish();
    return d_;
}

}  // namespace

void check(const Policy& policy) {
    std::set<std::string> clouds;
    std::vector<const RuleTable*> nacls, nets;
    for (const auto& t : policy.tables) {
        clouds.insert(std::string(cloud_name(t.cloud == Cloud::kAzureClassic ? Cloud::kAzure : t.cloud)));
        if (t.kind == TableKind::kNetworkAcl) nacls.push_back(&t);
        if (t.kind == TableKind::kGcpFirewall) nets.push_back(&t);
    }
    if (!policy.endpoints.empty() || !policy.loose_acls.empty()) clouds.insert("azure");
    if (clouds.size() > 1)
        throw InputError(fmt::format("the files describe rules of {} clouds ({}, {}): give one cloud's files at a time", clouds.size(),
                                     *clouds.begin(), *std::next(clouds.begin())));
    if (nacls.size() > 1)
        throw InputError(fmt::format("{} network ACLs given ({}, {}, ...): a subnet has exactly one; export the subnet's with "
                                     "aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=SUBNET-ID",
                                     nacls.size(), nacls[0]->name, nacls[1]->name));
    if (nets.size() > 1)
        throw InputError(fmt::format("firewall rules of {} networks given ({}, {}, ...): export the VM's network only "
                                     "(gcloud compute firewall-rules list --filter=network:NAME --format=json)",
                                     nets.size(), nets[0]->name, nets[1]->name));
}

Decision evaluate(const Policy& policy, const Flow& flow, const Context& context) {
    return Evaluation(policy, flow, context).run();
}

}  // namespace sshpath::cloud
