# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="edge-silent-drop.pcap and edge-silent-drop.vm.pcap without ARP and neighbour discovery (cut with the filter of the captures recorded before they were kept: tcp or icmp or (icmp6 and ip6[40] < 128)), as a capture filtered to TCP and ICMP records it"
WIRE="cut from edge-silent-drop.pcap: only the SYN and its retransmissions (about once a second at first, then backing off, for 8 s); nothing comes back"
DERIVED_FROM=edge-silent-drop
DERIVE_VM=1
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
VM_WIRE="cut from edge-silent-drop.vm.pcap: nothing (an empty capture)"
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_derive() { tcpdump -r "$1" -w "$2" "$LAB_CAPTURE_FILTER_NOARP"; }
scenario_check() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs" && want_none "$1" "$VM4\.22 >" "packets from the VM"
}
scenario_check_vm() {
    want_none "$1" "ARP|neighbor (solicitation|advertisement)|router (solicitation|advertisement)" "ARP or neighbour discovery" &&
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
