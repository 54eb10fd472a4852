# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as edge-syn-reset (the edge router answers the SYN to tcp/22 with a forged reset), after a control connection to the VM's port 443, which works"
WIRE="the client's ARP for its gateway 198.51.100.1, then a control connection to 203.0.113.7:443 completes (SYN-ACK with the VM's TTL 61) and closes; then the SYN to port 22 is answered by a RST+ACK in the VM's name with TTL 64: hop distance 0, the edge"
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=edge
VM_WIRE="the control connection to port 443 (the client's packets with TTL 61); no SYN to port 22 arrives, no RST leaves"
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_start_listener_on vm 443 "" silent
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 --syn -j REJECT --reject-with tcp-reset
}
scenario_before_ssh() { lab_control_connect "$VM4" 443; }
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.443 > .*Flags \[S\.\]" "SYN-ACK from the VM's port 443 with TTL 61" &&
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK with TTL 64 in the VM's name"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.443 > .*Flags \[S\.\]" "SYN-ACK of the control connection" &&
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
