# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as sshd-stopped-with-control (nothing listens on the VM's port 22; a control connection to its port 443 comes first), with the VM's initial TTL set to 255"
WIRE="the client's ARP for its gateway 198.51.100.1, a control connection to 203.0.113.7:443 (SYN-ACK with TTL 252) that closes, then the SYN to port 22 answered by a RST+ACK from the VM with the same TTL 252"
VM_WIRE="the control connection, the SYN to port 22 arriving and the VM's RST+ACK (TTL 255) leaving"
LAB_VM_TTL=255
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=vm
PAIR_CAUSE=port-closed; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { lab_start_listener_on vm 443 "" silent; }
scenario_before_ssh() { lab_control_connect "$VM4" 443; }
scenario_check() {
    want_at_least "$1" 1 "ttl 252, .*$VM4\.443 > .*Flags \[S\.\]" "SYN-ACK from the VM's port 443 with TTL 252" &&
    want_at_least "$1" 1 "ttl 252, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK from the VM with TTL 252"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 255, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK leaving the VM with TTL 255"
}
