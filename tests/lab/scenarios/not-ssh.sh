# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a web server on the VM's port 22: it answers the client's banner with an HTTP 400 page and closes"
WIRE="handshake completes, the client sends its banner, the VM answers \"HTTP/1.1 400 Bad Request\" with an HTML page, then FIN"
SSH_ERROR_RE='kex_exchange_identification: '
EXPECT_CAUSE=not-ssh; EXPECT_COMPONENT=vm
scenario_setup() { lab_start_listener http; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*length [1-9]" "data from the VM"
}
