# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as healthy, with the VM's initial TTL set to 255 (sysctl net.ipv4.ip_default_ttl and net.ipv6.conf.*.hop_limit in the VM's namespace), as on a Windows (255 = 128) or network-appliance (255 = 255) server"
WIRE="the client's ARP for its gateway 198.51.100.1, handshake, both SSH- banners, key exchange, encrypted session, orderly close; the VM's packets arrive with TTL 252 (initial 255, three routers)"
VM_WIRE="the same connection from the VM's side: the client's packets with TTL 61, the VM's with TTL 255"
LAB_VM_TTL=255
LIVE_TEST=lab
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_check() {
    want_at_least "$1" 10 "ttl 252, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 252"
}
scenario_check_vm() {
    want_at_least "$1" 10 "ttl 255, .*$VM4\.22 > $CL4\.[0-9]+:" "packets leaving the VM with TTL 255"
}
