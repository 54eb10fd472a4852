# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="healthy-ipv6.pcap and healthy-ipv6.vm.pcap without ARP and neighbour discovery (cut with the filter of the captures recorded before they were kept: tcp or icmp or (icmp6 and ip6[40] < 128)), as a capture filtered to TCP and ICMP records it"
WIRE="cut from healthy-ipv6.pcap: the IPv6 session (the VM's packets with hop limit 61) without the neighbour solicitation and advertisement before it"
DERIVED_FROM=healthy-ipv6
DERIVE_VM=1
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
VM_WIRE="cut from healthy-ipv6.vm.pcap: the same connection from the VM's side, no neighbour discovery"
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_derive() { tcpdump -r "$1" -w "$2" "$LAB_CAPTURE_FILTER_NOARP"; }
scenario_check() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 10 "hlim 61, .*$VM6\.22 > $CL6\.[0-9]+:" "packets from the VM with hop limit 61"
}
scenario_check_vm() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 10 "hlim 61, .*$CL6\.[0-9]+ > $VM6\.22:" "packets from the client with hop limit 61"
}
