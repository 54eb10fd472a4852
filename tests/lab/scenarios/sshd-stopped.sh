# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="nothing listens on the VM's port 22 (sshd not running)"
WIRE="the client's ARP for its gateway 198.51.100.1, then SYN out, RST+ACK from the VM's address with TTL 61 (the VM's own hop distance)"
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm edge path)
VM_WIRE="the SYN arriving (TTL 61) and the VM's own RST+ACK (TTL 64) leaving"
PAIR_CAUSE=port-closed; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { :; }
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK from the VM with TTL 61"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 61, .*> $VM4\.22: Flags \[S\]" "the SYN at the VM" &&
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK leaving the VM"
}
