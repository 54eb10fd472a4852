# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="FORWARD REJECT of tcp/22 with icmp-admin-prohibited on the organisation's edge router"
WIRE="the client's ARP for its gateway 198.51.100.1, then SYN out, ICMP 3/13 (communication administratively prohibited) from the edge router's address 198.51.100.1 (TTL 64) quoting the SYN"
SSH_ERROR_RE='connect to host .* port 22: '
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=edge
VM_WIRE="nothing: the SYN never reaches the VM"
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 -j REJECT --reject-with icmp-admin-prohibited
}
scenario_check() {
    want_at_least "$1" 1 "ttl 64, .*proto ICMP .*$OE4_CL > $CL4: ICMP host $VM4 unreachable - admin prohibited" "admin-prohibited ICMP from the edge" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
