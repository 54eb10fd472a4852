# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="fail2ban has banned one client address on the VM (198.51.100.10): its iptables-multiport action's chain f2b-sshd, jumped to from INPUT for tcp/22, rejects the address with icmp-port-unreachable; a session from another address of the client's network (198.51.100.11) works just before"
WIRE="a session from 198.51.100.11 to the VM (it reaches key exchange and ends), then from 198.51.100.10 the SYN, answered by an ICMP port unreachable from the VM's own address (TTL 61) quoting it; ssh gives up at once"
VM_WIRE="both clients' SYNs arriving (TTL 61); the session with 198.51.100.11, and the ICMP port unreachable to 198.51.100.10 leaving (TTL 64)"
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=vm
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
VM_CAUSE=icmp-reject; VM_COMPONENT=vm   # the VM's capture alone (FILE@vm)
LIVE_TEST=lab
OTHER4=198.51.100.11
scenario_setup() {
    lab_start_sshd
    lab_addr cl eth0 "$OTHER4/24"
    # What fail2ban's iptables-multiport action makes for jail sshd, then a ban of $CL4.
    lab_exec vm iptables -N f2b-sshd
    lab_exec vm iptables -A f2b-sshd -j RETURN
    lab_exec vm iptables -I INPUT -p tcp -m multiport --dports 22 -j f2b-sshd
    lab_exec vm iptables -I f2b-sshd 1 -s "$CL4" -j REJECT --reject-with icmp-port-unreachable
}
# The other client: a whole session from the second address, before the failing one.
scenario_before_ssh() { lab_other_client_session "$OTHER4"; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > $OTHER4\.[0-9]+: Flags \[S\.\]" "the SYN-ACK to $OTHER4" &&
    want_at_least "$1" 1 "ttl 61, .*$VM4 > $CL4: ICMP $VM4 tcp port 22 unreachable" "ICMP port unreachable from the VM to $CL4"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4 > $CL4: ICMP $VM4 tcp port 22 unreachable" "ICMP port unreachable leaving the VM"
}
