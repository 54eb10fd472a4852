# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as edge-silent-drop (FORWARD DROP of tcp/22 on the organisation's edge router), captured with the filter 'tcp port 22': a capture that could not have held an ICMP error"
WIRE="the SYN retransmitted about once a second at first, then backing off, for 8 s, and nothing else: no ARP, no ICMP (the filter keeps none), nothing from the VM"
VM_WIRE="nothing: no SYN reaches the VM"
CAPTURE_FILTER='tcp port 22'
GATEWAY_RESOLVED=0    # the filter keeps no ARP
LIVE_TEST=lab
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 -j DROP
}
scenario_check() {
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM" &&
    want_none "$1" "ARP|ICMP" "ARP or ICMP"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
