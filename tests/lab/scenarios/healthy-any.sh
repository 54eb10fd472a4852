# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as healthy, captured with tcpdump -i any (Linux cooked capture, tcpdump's default link type for \"any\": LINUX_SLL2)"
WIRE="Linux cooked v2 frames (no Ethernet header; each says which interface and which direction): the client's ARP for its gateway 198.51.100.1, handshake, both SSH- banners, key exchange, encrypted session, orderly close; the VM's packets with TTL 61"
VM_WIRE="the same connection from the VM's side (Ethernet, the VM's eth0)"
CAPTURE_IFACE=any
LIVE_TEST=lab
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_check() {
    want_linktype "$1" LINUX_SLL2 &&
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
scenario_check_vm() {
    want_at_least "$1" 10 "ttl 61, .*$CL4\.[0-9]+ > $VM4\.22:" "packets from the client with TTL 61"
}
