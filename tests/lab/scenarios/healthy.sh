# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="sshd runs on the VM and accepts the client's key; ssh runs true"
WIRE="the client's ARP for its gateway 198.51.100.1, handshake, both SSH- banners, key exchange, encrypted session, orderly close; the VM's packets arrive with TTL 61"
VM_WIRE="the same connection from the VM's side: cloudedge's ARP for the VM, the client's packets arriving with TTL 61, the VM's with TTL 64"
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_check() {
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
scenario_check_vm() {
    want_at_least "$1" 10 "ttl 61, .*$CL4\.[0-9]+ > $VM4\.22:" "packets from the client with TTL 61" &&
    want_at_least "$1" 10 "ttl 64, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 64"
}
