# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="iptables OUTPUT DROP of tcp/22 in the client's own namespace"
WIRE="nothing at all: the SYN is dropped before it reaches the interface (the kernel keeps retrying it inside; connect() does not fail with EPERM here, ssh times out)"
SSH_ERROR_RE='connect to host .* port 22: '
EXPECT_CAUSE=no-attempt; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(client)
VM_WIRE="nothing: no SYN reaches the VM"
PAIR_CAUSE=no-attempt; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(client); PAIR_SEGMENT=client
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
GATEWAY_RESOLVED=0    # nothing leaves the client: it resolves no next hop
scenario_setup() {
    lab_start_sshd
    lab_exec cl iptables -A OUTPUT -p tcp --dport 22 -j DROP
}
scenario_check() {
    want_none "$1" "\.22: Flags" "packets to port 22"
}
scenario_check_vm() {
    want_none "$1" "\.22: Flags" "packets to port 22"
}
