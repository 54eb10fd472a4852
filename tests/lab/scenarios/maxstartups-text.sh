# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a listener on the VM's port 22 sends \"Exceeded MaxStartups\" and closes, as sshd does when MaxStartups is exceeded"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake completes, the VM sends the 22-byte line \"Exceeded MaxStartups\\r\\n\" (no SSH- banner), then closes: RST when the client's banner was still unread, FIN when the close won the race"
SSH_ERROR_RE='kex_exchange_identification: '
EXPECT_CAUSE=closed-before-banner; EXPECT_COMPONENT=vm
VM_WIRE="the handshake, the 22-byte \"Exceeded MaxStartups\" line and the close leaving the VM"
PAIR_CAUSE=closed-before-banner; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { lab_start_listener text 'Exceeded MaxStartups\r\n'; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*length 22" "the 22-byte MaxStartups line from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*length 22" "the MaxStartups line leaving the VM"
}
