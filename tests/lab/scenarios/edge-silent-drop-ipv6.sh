# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ip6tables FORWARD DROP of tcp/22 on the organisation's edge router, ssh over IPv6"
WIRE="the client's neighbour solicitation for its gateway 2001:db8:1::1 and the answer, then as edge-silent-drop over IPv6: SYN retransmitted (linearly at first, then backing off), nothing comes back"
TARGET=$VM6
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
VM_WIRE="nothing: no SYN reaches the VM"
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe ip6tables -A FORWARD -p tcp --dport 22 -j DROP
}
scenario_check() {
    want_at_least "$1" 4 "> $VM6\.22: Flags \[S\]" "SYNs" &&
    want_none "$1" "$VM6\.22 >" "packets from the VM" &&
    want_none "$1" "ICMP6, (destination unreachable|packet too big|time exceeded)" "ICMPv6 errors"
}
scenario_check_vm() {
    want_none "$1" "> $VM6\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
