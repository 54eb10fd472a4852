# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="nothing listens on the VM's port 22 (sshd not running)"
WIRE="SYN out, RST+ACK from the VM's address with TTL 61 (the VM's own hop distance)"
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm edge)
scenario_setup() { :; }
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK from the VM with TTL 61"
}
