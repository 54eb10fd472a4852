#pragma once
#include <optional>

#include "sshpath/cloud/address.h"
#include "sshpath/cloud/evaluate.h"
#include "sshpath/cloud/policy.h"
#include "sshpath/facts/facts.h"

/// The exported rules evaluated for a connection that a capture saw. The capture shows the
/// addresses on its own wire; the cloud may see others: the client's public address after the
/// organisation's NAT, the VM's private address after Azure translated the public one. What
/// neither the capture nor the options say is never guessed: the facts say what is missing.
namespace sshpath::cloud {

/// A connection as the capture saw it (inbound: from the client to the VM).
struct SeenConnection {
    Address client;
    int client_port = -1;
    Address server;
    int server_port = -1;
    bool via_proxy = false;  ///< the capture shows the connection to a proxy, not to the VM
};

/// What the command line says about the addresses the cloud sees. Each applies to connections
/// of its address family only.
struct Vantage {
    std::optional<Address> client;  ///< --cloud-from: the client's address as the cloud sees it
    int client_port = -1;           ///< its port, when given
    std::optional<Address> vm;      ///< --cloud-vm: the VM's private address
};

/// The `cloud` facts of one connection. The source is --cloud-from, else the capture's client
/// address when it is public; the VM is --cloud-vm, else the exported NIC's private address, else
/// the capture's server address when it is private, inside the virtual network's space, or when
/// no rule of the exports looks at the destination (classic endpoints, AWS). Otherwise the rules
/// are not evaluated and the fact `needs` names the option that would let them be.
facts::FactSet connection_facts(const Policy& policy, const Context& context, const Vantage& vantage,
                                const SeenConnection& seen);

}  // namespace sshpath::cloud
