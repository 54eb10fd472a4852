# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as vm-firewall-reject (iptables INPUT REJECT of tcp/22 on the VM, ICMP port unreachable), with the VM's initial TTL set to 128"
WIRE="the client's ARP for its gateway 198.51.100.1, SYN out, ICMP 3/3 port unreachable from the VM's own address with TTL 125, quoting the SYN"
VM_WIRE="the SYN arriving (TTL 61) and the VM's ICMP port unreachable (TTL 128) leaving"
LAB_VM_TTL=128
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=vm
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() {
    lab_start_sshd
    lab_exec vm iptables -A INPUT -p tcp --dport 22 -j REJECT
}
scenario_check() {
    want_at_least "$1" 1 "ttl 125, .*proto ICMP .*$VM4 > $CL4: ICMP $VM4 tcp port 22 unreachable" "port unreachable from the VM with TTL 125"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 128, .*$VM4 > $CL4: ICMP $VM4 tcp port 22 unreachable" "port unreachable leaving the VM with TTL 128"
}
