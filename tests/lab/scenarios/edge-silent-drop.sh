# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="FORWARD DROP of tcp/22 on the organisation's edge router"
WIRE="the client's ARP for its gateway 198.51.100.1, then SYN retransmitted about once a second at first (Linux 6.5+ linear SYN timeouts), then backing off, for 8 s; nothing comes back"
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
VM_WIRE="nothing: no SYN reaches the VM"
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 -j DROP
}
scenario_check() {
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM" &&
    want_none "$1" "ICMP" "ICMP"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
