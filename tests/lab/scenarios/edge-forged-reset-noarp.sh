# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="edge-forged-reset.pcap and edge-forged-reset.vm.pcap without ARP and neighbour discovery (cut with the filter of the captures recorded before they were kept: tcp or icmp or (icmp6 and ip6[40] < 128)), as a capture filtered to TCP and ICMP records it"
WIRE="cut from edge-forged-reset.pcap: handshake (the VM's packets with TTL 61), the client's banner, a RST in the VM's name with TTL 64 (it crossed no router); no ARP"
DERIVED_FROM=edge-forged-reset
DERIVE_VM=1
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=edge
VM_WIRE="cut from edge-forged-reset.vm.pcap: the handshake and the VM's banner; the client's banner never arrives; no RST leaves the VM"
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=forged-reset; VM_COMPONENT=unknown; VM_CANDIDATES=(edge path)   # the VM's capture alone
scenario_derive() { tcpdump -r "$1" -w "$2" "$LAB_CAPTURE_FILTER_NOARP"; }
scenario_check() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R" "RST with TTL 64 in the VM's name"
}
scenario_check_vm() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_none "$1" "$VM4\.22 > .*Flags \[R" "RST leaving the VM"
}
