# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="edge-icmp-reject.pcap and edge-icmp-reject.vm.pcap without ARP and neighbour discovery (cut with the filter of the captures recorded before they were kept: tcp or icmp or (icmp6 and ip6[40] < 128)), as a capture filtered to TCP and ICMP records it"
WIRE="cut from edge-icmp-reject.pcap: SYN out, ICMP 3/13 (admin prohibited) from the edge router's address 198.51.100.1 with TTL 64 (it crossed no router) quoting the SYN; no ARP"
DERIVED_FROM=edge-icmp-reject
DERIVE_VM=1
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=edge
VM_WIRE="cut from edge-icmp-reject.vm.pcap: nothing (an empty capture)"
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_derive() { tcpdump -r "$1" -w "$2" "$LAB_CAPTURE_FILTER_NOARP"; }
scenario_check() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 1 "ttl 64, .*proto ICMP .*$OE4_CL > $CL4: ICMP host $VM4 unreachable - admin prohibited" "admin-prohibited ICMP from the edge"
}
scenario_check_vm() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
