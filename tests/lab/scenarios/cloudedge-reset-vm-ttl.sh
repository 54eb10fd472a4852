# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a device one hop before the VM (the cloud edge router) answers the SYN to tcp/22 with a reset in the VM's name whose TTL makes it arrive exactly as the VM's own would (REJECT --reject-with tcp-reset, then the mangle table sets the reset's TTL to 63): from the client's side it looks like a closed port"
WIRE="the client's ARP for its gateway 198.51.100.1, SYN out, RST+ACK in the VM's name with TTL 61, as the VM's own packets arrive; nothing tells it apart from sshd-stopped"
VM_WIRE="nothing: the SYN never reaches the VM, and the VM sends no RST"
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm edge path)
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge path); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec ce iptables -A FORWARD -p tcp --dport 22 --syn -j REJECT --reject-with tcp-reset
    lab_exec ce iptables -t mangle -A OUTPUT -s "$VM4" -p tcp --tcp-flags RST RST -j TTL --ttl-set 63
}
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK with TTL 61 in the VM's name"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM" &&
    want_none "$1" "$VM4\.22 > .*Flags \[R" "RST leaving the VM"
}
