# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as edge-icmp-reject (the edge router rejects tcp/22 with ICMP admin-prohibited), captured with the filter 'tcp port 22': the ICMP error is not in the file"
WIRE="one SYN to 203.0.113.7:22 and nothing else: no ARP, and not the ICMP 3/13 that ended the attempt at once (ssh said \"No route to host\")"
VM_WIRE="nothing: the SYN never reaches the VM"
CAPTURE_FILTER='tcp port 22'
GATEWAY_RESOLVED=0    # the filter keeps no ARP
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: '
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
PAIR_CAUSE=unknown; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 -j REJECT --reject-with icmp-admin-prohibited
}
scenario_check() {
    want_exactly "$1" 1 "." "packet" &&
    want_exactly "$1" 1 "> $VM4\.22: Flags \[S\]" "SYN"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
