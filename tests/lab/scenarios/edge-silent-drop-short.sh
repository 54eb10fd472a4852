# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="FORWARD DROP of tcp/22 on the organisation's edge router; ssh is killed after 0.8 s (one SYN), while the client pings the edge router every 0.5 s for 4 s"
WIRE="the client's ARP for its gateway 198.51.100.1, then one SYN to 203.0.113.7:22 and nothing back; ICMP echo requests to 198.51.100.1 and their replies (TTL 64) every 0.5 s, starting just after the SYN, go on for about 4 s after it"
SSH_TIMEOUT=0.8
SSH_ERROR_RE='Connecting to .* port 22'
SSH_ERROR_TEXT='(none: timeout 0.8 kills ssh while it connects)'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
VM_WIRE="nothing: the SYN never reaches the VM (the pings stay on the client's link)"
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 -j DROP
}
scenario_before_ssh() { lab_pinger_start "$OE4_CL" 0.5 9; }
scenario_after_ssh() { lab_pinger_wait; }
scenario_check() {
    want_exactly "$1" 1 "> $VM4\.22: Flags \[S\]" "SYN" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM" &&
    want_at_least "$1" 5 "$OE4_CL > $CL4: ICMP echo reply" "echo replies from the edge router" &&
    want_seconds_after "$1" "> $VM4\.22: Flags \[S\]" 3 "the SYN"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
