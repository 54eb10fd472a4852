# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a web server on the VM's port 22: it answers the client's banner with an HTTP 400 page and closes"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake completes, the client sends its banner, the VM answers \"HTTP/1.1 400 Bad Request\" with an HTML page, then FIN"
SSH_ERROR_RE='kex_exchange_identification: '
EXPECT_CAUSE=not-ssh; EXPECT_COMPONENT=vm
VM_WIRE="the same connection from the VM's side: the client's banner in, the HTTP 400 page out"
PAIR_CAUSE=not-ssh; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { lab_start_listener http; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*length [1-9]" "data from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*length [1-9]" "data leaving the VM"
}
