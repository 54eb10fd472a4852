# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the VM's guest firewall rejects tcp/22 with a TCP reset (iptables INPUT REJECT --reject-with tcp-reset) and its initial TTL is 128; a control connection to its port 443, which works, comes first"
WIRE="the client's ARP for its gateway 198.51.100.1, a control connection to 203.0.113.7:443 (SYN-ACK with TTL 125) that closes, then the SYN to port 22 answered by a RST+ACK from the VM's address with the same TTL 125"
VM_WIRE="the control connection, the SYN to port 22 arriving (before the guest firewall) and the firewall's RST+ACK (TTL 128) leaving"
LAB_VM_TTL=128
LIVE_TEST=lab
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=vm
PAIR_CAUSE=port-closed; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() {
    lab_start_sshd
    lab_start_listener_on vm 443 "" silent
    lab_exec vm iptables -A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset
}
scenario_before_ssh() { lab_control_connect "$VM4" 443; }
scenario_check() {
    want_at_least "$1" 1 "ttl 125, .*$VM4\.443 > .*Flags \[S\.\]" "SYN-ACK from the VM's port 443 with TTL 125" &&
    want_at_least "$1" 1 "ttl 125, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK from the VM with TTL 125"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 128, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK leaving the VM with TTL 128"
}
