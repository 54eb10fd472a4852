# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="sshd runs on the VM and accepts the client's key; ssh runs true"
WIRE="handshake, both SSH- banners, key exchange, encrypted session, orderly close; the VM's packets arrive with TTL 61"
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
scenario_check() {
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
