# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as healthy, over IPv6"
WIRE="the client's neighbour solicitation for its gateway 2001:db8:1::1 and the answer, then handshake, both SSH- banners, key exchange, encrypted session, orderly close, over IPv6; the VM's packets arrive with hop limit 61"
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
VM_WIRE="the same connection from the VM's side: the client's packets with hop limit 61, the VM's with 64"
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
TARGET=$VM6
scenario_check() {
    want_at_least "$1" 10 "hlim 61, .*$VM6\.22 > $CL6\.[0-9]+:" "packets from the VM with hop limit 61"
}
scenario_check_vm() {
    want_at_least "$1" 10 "hlim 61, .*$CL6\.[0-9]+ > $VM6\.22:" "packets from the client with hop limit 61"
}
