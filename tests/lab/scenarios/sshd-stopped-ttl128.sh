# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as sshd-stopped (nothing listens on the VM's port 22), with the VM's initial TTL set to 128"
WIRE="the client's ARP for its gateway 198.51.100.1, SYN out, RST+ACK from the VM's address with TTL 125; nothing else from the VM to compare with"
VM_WIRE="the SYN arriving (TTL 61) and the VM's own RST+ACK (TTL 128) leaving"
LAB_VM_TTL=128
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm edge path)
PAIR_CAUSE=port-closed; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { :; }
scenario_check() {
    want_at_least "$1" 1 "ttl 125, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK from the VM with TTL 125"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 128, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK leaving the VM with TTL 128"
}
