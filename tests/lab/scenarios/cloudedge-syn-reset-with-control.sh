# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as cloudedge-syn-reset (a cloud-side firewall appliance one hop before the VM answers the SYN to tcp/22 with a reset in the VM's name), after a control connection to the VM's port 443, which works"
WIRE="the client's ARP for its gateway 198.51.100.1, a control connection to 203.0.113.7:443 (SYN-ACK with the VM's TTL 61) that closes, then the SYN to port 22 answered by a RST+ACK in the VM's name with TTL 62: one router fewer than the VM, the device just before it"
VM_WIRE="the control connection to port 443; no SYN to port 22 arrives, no RST leaves"
LIVE_TEST=lab
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(path edge)
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(path edge); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_start_listener_on vm 443 "" silent
    lab_exec ce iptables -A FORWARD -p tcp --dport 22 --syn -j REJECT --reject-with tcp-reset
}
scenario_before_ssh() { lab_control_connect "$VM4" 443; }
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.443 > .*Flags \[S\.\]" "SYN-ACK from the VM's port 443 with TTL 61" &&
    want_at_least "$1" 1 "ttl 62, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK with TTL 62 in the VM's name"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.443 > .*Flags \[S\.\]" "SYN-ACK of the control connection" &&
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
