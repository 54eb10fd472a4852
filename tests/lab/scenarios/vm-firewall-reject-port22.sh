# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as vm-firewall-reject (the VM's guest firewall rejects tcp/22 with ICMP port unreachable), the client's capture taken with the filter 'tcp port 22': the ICMP error is not in it"
WIRE="one SYN to 203.0.113.7:22 and nothing else: no ARP, and not the ICMP port unreachable that ended the attempt at once (ssh said \"Connection refused\")"
VM_WIRE="the SYN arriving (TTL 61) and the VM's ICMP port unreachable (TTL 64) leaving: the VM's capture, with the lab's usual filter, holds what the client's left out"
CAPTURE_FILTER='tcp port 22'
GATEWAY_RESOLVED=0    # the filter keeps no ARP
LIVE_TEST=lab
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() {
    lab_start_sshd
    lab_exec vm iptables -A INPUT -p tcp --dport 22 -j REJECT
}
scenario_check() {
    want_exactly "$1" 1 "." "packet" &&
    want_exactly "$1" 1 "> $VM4\.22: Flags \[S\]" "SYN"
}
scenario_check_vm() {
    want_at_least "$1" 1 "> $VM4\.22: Flags \[S\]" "the SYN at the VM" &&
    want_at_least "$1" 1 "ttl 64, .*$VM4 > $CL4: ICMP $VM4 tcp port 22 unreachable" "port unreachable leaving the VM"
}
