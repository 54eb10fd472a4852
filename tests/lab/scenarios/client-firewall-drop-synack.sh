# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="iptables INPUT DROP of tcp source port 22 in the client's namespace: the SYN-ACK is dropped after the capture saw it"
WIRE="the client's ARP for its gateway 198.51.100.1, then SYN out, SYN-ACK in from the VM (TTL 61), never ACKed; the client retransmits its SYN (about once a second, then backing off) and each is answered by another SYN-ACK"
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=local-firewall; EXPECT_COMPONENT=client
VM_WIRE="every SYN arrives (TTL 61) and is answered by a SYN-ACK that leaves the VM; no ACK ever arrives"
PAIR_CAUSE=local-firewall; PAIR_COMPONENT=client; PAIR_SEGMENT=client
VM_CAUSE=silent-drop; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge client)   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    lab_exec cl iptables -A INPUT -p tcp --sport 22 -j DROP
}
scenario_check() {
    want_at_least "$1" 3 "> $VM4\.22: Flags \[S\]" "SYNs" &&
    want_at_least "$1" 2 "ttl 61, .*$VM4\.22 > .*Flags \[S\.\]" "SYN-ACKs from the VM" &&
    want_none "$1" "> $VM4\.22: Flags \[\.\]" "ACKs from the client"
}
scenario_check_vm() {
    want_at_least "$1" 3 "ttl 61, .*> $VM4\.22: Flags \[S\]" "SYNs at the VM" &&
    want_at_least "$1" 2 "$VM4\.22 > .*Flags \[S\.\]" "SYN-ACKs leaving the VM"
}
