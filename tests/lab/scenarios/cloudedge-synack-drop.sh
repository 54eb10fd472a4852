# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the cloud edge router drops the VM's SYN-ACKs on their way back (FORWARD DROP of tcp source port 22 from the VM): the client's capture is the same as for any silent drop; the VM's shows each SYN arriving and answered"
WIRE="the client's ARP for its gateway 198.51.100.1, then the SYN retransmitted (about once a second at first, then backing off) for 8 s; nothing comes back"
VM_WIRE="every SYN arrives (TTL 61) and is answered by a SYN-ACK that leaves the VM (with SYN-ACK retransmissions of its own)"
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=vm-to-client
VM_CAUSE=silent-drop; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge client)   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    lab_exec ce iptables -A FORWARD -s "$VM4" -p tcp --sport 22 -j DROP
}
scenario_check() {
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 4 "ttl 61, .*> $VM4\.22: Flags \[S\]" "SYNs at the VM" &&
    want_at_least "$1" 4 "$VM4\.22 > .*Flags \[S\.\]" "SYN-ACKs leaving the VM"
}
