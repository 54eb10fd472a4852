# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the client offers a key that the VM's authorized_keys does not hold"
WIRE="handshake, banners, key exchange, a few encrypted authentication packets, then the client sends FIN: the network is fine"
SSH_KEY=id_stranger
SSH_ERROR_RE='Permission denied \(publickey\)'
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
scenario_check() {
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
