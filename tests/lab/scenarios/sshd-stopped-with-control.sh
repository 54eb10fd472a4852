# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="nothing listens on the VM's port 22 (sshd not running); a control connection to the VM's port 443, which works, comes first"
WIRE="the client's ARP for its gateway 198.51.100.1, then a control connection to 203.0.113.7:443 completes (SYN-ACK with TTL 61) and closes; then the SYN to port 22 is answered by a RST+ACK from the VM with the same TTL 61"
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=vm
VM_WIRE="the control connection to port 443, then the SYN to port 22 arriving and the VM's RST+ACK (TTL 64) leaving"
PAIR_CAUSE=port-closed; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { lab_start_listener_on vm 443 "" silent; }
scenario_before_ssh() { lab_control_connect "$VM4" 443; }
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.443 > .*Flags \[S\.\]" "SYN-ACK from the VM's port 443 with TTL 61" &&
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK from the VM with TTL 61"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK leaving the VM"
}
