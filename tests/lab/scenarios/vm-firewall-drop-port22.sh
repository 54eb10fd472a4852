# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="vm-firewall-drop.pcap and vm-firewall-drop.vm.pcap cut with the filter 'tcp port 22', as 'tcpdump -i eth0 tcp port 22' on the client and on the VM records them: no ARP, nothing but the SYNs"
WIRE="cut from vm-firewall-drop.pcap: only the SYN and its retransmissions (about once a second at first, then backing off, for 8 s); nothing comes back"
DERIVED_FROM=vm-firewall-drop
DERIVE_VM=1
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
VM_WIRE="cut from vm-firewall-drop.vm.pcap: every SYN arriving (TTL 61), nothing leaving, no ARP"
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=vm; PAIR_SEGMENT=vm
VM_CAUSE=silent-drop; VM_COMPONENT=vm   # the VM's capture alone (FILE@vm)
scenario_derive() { tcpdump -r "$1" -w "$2" 'tcp port 22'; }
scenario_check() {
    want_none "$1" "ARP|ICMP" "ARP or ICMP" &&
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs" && want_none "$1" "$VM4\.22 >" "packets from the VM"
}
scenario_check_vm() {
    want_none "$1" "ARP|ICMP" "ARP or ICMP" &&
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs at the VM" && want_none "$1" "$VM4\.22 >" "packets from the VM"
}
