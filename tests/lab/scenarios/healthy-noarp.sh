# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="healthy.pcap and healthy.vm.pcap without ARP and neighbour discovery (cut with the filter of the captures recorded before they were kept: tcp or icmp or (icmp6 and ip6[40] < 128)), as a capture filtered to TCP and ICMP records it"
WIRE="cut from healthy.pcap: handshake, both SSH- banners, key exchange, encrypted session, orderly close; the VM's packets arrive with TTL 61; no ARP"
DERIVED_FROM=healthy
DERIVE_VM=1
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
VM_WIRE="cut from healthy.vm.pcap: the same connection from the VM's side, no ARP"
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_derive() { tcpdump -r "$1" -w "$2" "$LAB_CAPTURE_FILTER_NOARP"; }
scenario_check() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
scenario_check_vm() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 10 "ttl 61, .*$CL4\.[0-9]+ > $VM4\.22:" "packets from the client with TTL 61"
}
