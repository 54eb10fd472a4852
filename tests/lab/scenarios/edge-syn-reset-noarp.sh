# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="edge-syn-reset.pcap and edge-syn-reset.vm.pcap without ARP and neighbour discovery (cut with the filter of the captures recorded before they were kept: tcp or icmp or (icmp6 and ip6[40] < 128)), as a capture filtered to TCP and ICMP records it"
WIRE="cut from edge-syn-reset.pcap: SYN out, RST+ACK in the VM's name with TTL 64 (it crossed no router) from the gateway's MAC address; no ARP to prove the server off-link, only the address plan"
DERIVED_FROM=edge-syn-reset
DERIVE_VM=1
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=edge
VM_WIRE="cut from edge-syn-reset.vm.pcap: nothing (an empty capture)"
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_derive() { tcpdump -r "$1" -w "$2" "$LAB_CAPTURE_FILTER_NOARP"; }
scenario_check() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK with TTL 64 in the VM's name"
}
scenario_check_vm() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
