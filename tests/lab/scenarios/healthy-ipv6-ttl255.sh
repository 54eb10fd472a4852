# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as healthy-ipv6, with the VM's hop limit set to 255 (sysctl net.ipv6.conf.*.hop_limit in the VM's namespace)"
WIRE="the client's neighbour solicitation for its gateway 2001:db8:1::1 and the answer, then handshake, both SSH- banners, key exchange, encrypted session, orderly close, over IPv6; the VM's packets arrive with hop limit 252"
VM_WIRE="the same connection from the VM's side: the client's packets with hop limit 61, the VM's with 255"
TARGET=$VM6
LAB_VM_TTL=255
LIVE_TEST=none
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_check() {
    want_at_least "$1" 10 "hlim 252, .*$VM6\.22 > $CL6\.[0-9]+:" "packets from the VM with hop limit 252"
}
scenario_check_vm() {
    want_at_least "$1" 10 "hlim 255, .*$VM6\.22 > $CL6\.[0-9]+:" "packets leaving the VM with hop limit 255"
}
