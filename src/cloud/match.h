#pragma once
#include <string>
#include <vector>

#include "sshpath/cloud/evaluate.h"
#include "sshpath/cloud/policy.h"

// Does one rule match one flow? Three answers: a rule whose match depends on something the
// exports do not say (a group's members, a service tag's ranges, an unknown source port, the
// VM's network tags) "may" match, and the evaluator reports it instead of guessing.
namespace sshpath::cloud::detail {

enum class Match { kNo, kYes, kMaybe };

class Matcher {
public:
    Matcher(const Policy& policy, const Context& context);

    /// The rule's direction is not checked here (the evaluator picks rules of one direction).
    /// `why` receives the reason of a kMaybe.
    Match rule(const Rule& r, const Flow& f, std::string& why) const;
    /// `vm`: the VM's own address (in the virtual network whatever the exports say), or nullptr.
    Match addresses(const std::vector<AddressTerm>& terms, const Address& a, std::string& why, const Address* vm = nullptr) const;
    bool vnet_known() const { return !vnet_.empty(); }
    /// Inside the virtual network's address space (the exports' and --vnet's).
    bool in_vnet(const Address& a) const;

private:
    Match address(const AddressTerm& t, const Address& a, std::string& why, const Address* vm) const;
    Match group(const std::string& name, const Address& a, std::string& why) const;

    const Policy& policy_;
    const Context& context_;
    std::vector<Prefix> vnet_;
};

/// Ports only mean something for these.
inline bool has_ports(int protocol) { return protocol == 6 || protocol == 17 || protocol == 132; }

}  // namespace sshpath::cloud::detail
