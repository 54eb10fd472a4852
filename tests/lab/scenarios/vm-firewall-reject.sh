# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="iptables INPUT REJECT of tcp/22 on the VM itself (default icmp-port-unreachable)"
WIRE="the client's ARP for its gateway 198.51.100.1, then SYN out, ICMP 3/3 port unreachable from the VM's own address with the VM's TTL (61), quoting the SYN"
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=vm
VM_WIRE="the SYN arriving (TTL 61) and the VM's ICMP port unreachable (TTL 64) leaving"
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() {
    lab_start_sshd
    lab_exec vm iptables -A INPUT -p tcp --dport 22 -j REJECT
}
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*proto ICMP .*$VM4 > $CL4: ICMP $VM4 tcp port 22 unreachable" "port-unreachable from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 64, .*$VM4 > $CL4: ICMP $VM4 tcp port 22 unreachable" "port unreachable leaving the VM"
}
