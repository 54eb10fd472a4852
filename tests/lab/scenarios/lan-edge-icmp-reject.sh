# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a LAN router between the client and the organisation's edge; the edge (hop 2) rejects tcp/22 with ICMP admin-prohibited (FORWARD REJECT --reject-with icmp-admin-prohibited)"
WIRE="the client's ARP for its gateway 198.51.100.1 (the LAN router), SYN out, ICMP 3/13 (communication administratively prohibited) quoting the SYN from the edge's inside address 198.51.100.66 with TTL 63: one router (the LAN router) between the client and the sender"
VM_WIRE="nothing: the SYN never reaches the VM"
LAB_LAN_ROUTER=1
LIVE_TEST=lab
SSH_ERROR_RE='connect to host .* port 22: '
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge path)
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge path); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 -j REJECT --reject-with icmp-admin-prohibited
}
scenario_check() {
    want_at_least "$1" 1 "ttl 63, .*proto ICMP .*$OE4_LR > $CL4: ICMP host $VM4 unreachable - admin prohibited" "admin-prohibited ICMP from the edge (TTL 63)" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
