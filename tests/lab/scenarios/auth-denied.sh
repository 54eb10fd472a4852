# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the client offers a key that the VM's authorized_keys does not hold"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake, banners, key exchange, a few encrypted authentication packets, then the client sends FIN: the network is fine"
SSH_KEY=id_stranger
SSH_ERROR_RE='Permission denied \(publickey\)'
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
VM_WIRE="the same connection from the VM's side (the client's packets with TTL 61)"
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_check() {
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
scenario_check_vm() {
    want_at_least "$1" 10 "ttl 61, .*$CL4\.[0-9]+ > $VM4\.22:" "packets from the client with TTL 61"
}
