# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="DPI on the organisation's edge router: client-to-VM packets carrying \"SSH-\" are rejected with a TCP reset forged in the VM's name"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake completes (VM's packets TTL 61), the client's banner goes out, a RST claiming to come from the VM arrives with TTL 64 (hop distance 0, the edge)"
SSH_ERROR_RE='Connection reset'
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=edge
VM_WIRE="the handshake and the VM's banner leaving it; the client's banner never arrives (the edge dropped it and answered in the VM's name); the VM sends no RST; the client's RST (answering the VM's banner) arrives"
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=forged-reset; VM_COMPONENT=unknown; VM_CANDIDATES=(edge path)   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -s "$CL4" -d "$VM4" -p tcp --dport 22 \
        -m string --algo bm --string SSH- -j REJECT --reject-with tcp-reset
}
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*Flags \[S\.\]" "SYN-ACK from the VM with TTL 61" &&
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R" "RST with TTL 64 in the VM's name"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[S\.\]" "SYN-ACK leaving the VM" &&
    want_none "$1" "$CL4\.[0-9]+ > $VM4\.22: .*SSH-" "the client's banner at the VM" &&
    want_none "$1" "$VM4\.22 > .*Flags \[R" "RST leaving the VM"
}
