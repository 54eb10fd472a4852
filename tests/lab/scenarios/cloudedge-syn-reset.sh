# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a cloud-side firewall appliance one hop before the VM (the cloud edge router) rejects the SYN to tcp/22 with a TCP reset in the VM's name (FORWARD --syn REJECT --reject-with tcp-reset)"
WIRE="the client's ARP for its gateway 198.51.100.1, SYN out, RST+ACK in the VM's name with TTL 62 (two routers crossed); nothing else from the VM to compare its hop distance with"
VM_WIRE="nothing: the SYN never reaches the VM, and the VM sends no RST"
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm edge path)
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge path); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec ce iptables -A FORWARD -p tcp --dport 22 --syn -j REJECT --reject-with tcp-reset
}
scenario_check() {
    want_at_least "$1" 1 "ttl 62, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK with TTL 62 in the VM's name"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM" &&
    want_none "$1" "$VM4\.22 > .*Flags \[R" "RST leaving the VM"
}
