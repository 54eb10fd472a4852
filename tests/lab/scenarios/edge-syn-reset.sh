# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the organisation's edge router rejects the SYN to tcp/22 with a TCP reset (iptables REJECT --reject-with tcp-reset) in the VM's name"
WIRE="the client's ARP for its gateway 198.51.100.1, then SYN out, RST+ACK from the VM's address with TTL 64 (made by the edge); nothing else from the VM to compare its hop distance with"
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=edge
VM_WIRE="nothing: the SYN never reaches the VM, and the VM sends no RST"
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 --syn -j REJECT --reject-with tcp-reset
}
scenario_check() {
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK with TTL 64 in the VM's name" &&
    want_none "$1" "ttl 61, " "packets with the VM's TTL"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
