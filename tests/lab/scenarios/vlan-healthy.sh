# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as healthy, with the client's link tagged 802.1Q VLAN 100 on both its ends (the client's eth0 and the edge's), captured on the client's eth0"
WIRE="every frame tagged VLAN 100: the client's ARP for its gateway 198.51.100.1, handshake, both SSH- banners, key exchange, encrypted session, orderly close; the VM's packets with TTL 61"
VM_WIRE="the same connection from the VM's side (untagged)"
LAB_CLIENT_VLAN=100
CAPTURE_FILTER='arp or tcp or icmp or icmp6 or (vlan and (arp or tcp or icmp or icmp6))'
LIVE_TEST=none
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_check() {
    want_vlan_tagged "$1" 100 &&
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
scenario_check_vm() {
    want_at_least "$1" 10 "ttl 61, .*$CL4\.[0-9]+ > $VM4\.22:" "packets from the client with TTL 61"
}
