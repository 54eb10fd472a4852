# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ip6tables INPUT REJECT of tcp/22 on the VM itself (default icmp6-port-unreachable), ssh over IPv6"
WIRE="the client's neighbour solicitation for its gateway 2001:db8:1::1 and the answer, then SYN out, ICMPv6 1/4 (port unreachable) from the VM's own address with the VM's hop limit (61), quoting the SYN; the SYN is retransmitted once (1 s later) and gets the same answer, then ssh gives up"
TARGET=$VM6
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=vm
VM_WIRE="the SYNs arriving (hop limit 61) and the VM's ICMPv6 port unreachable (hop limit 64) leaving"
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() {
    lab_start_sshd
    lab_exec vm ip6tables -A INPUT -p tcp --dport 22 -j REJECT
}
scenario_check() {
    want_at_least "$1" 1 "hlim 61, .*$VM6 > $CL6: .*ICMP6, destination unreachable, unreachable port" "ICMPv6 port unreachable from the VM (hop limit 61)"
}
scenario_check_vm() {
    want_at_least "$1" 1 "hlim 64, .*$VM6 > $CL6: .*unreachable port" "ICMPv6 port unreachable leaving the VM"
}
