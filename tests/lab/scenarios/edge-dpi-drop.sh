# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="DPI on the organisation's edge router that drops (not resets) client-to-VM packets carrying \"SSH-\" (FORWARD -m string --string SSH- --algo bm -j DROP)"
WIRE="the client's ARP for its gateway 198.51.100.1, handshake (the VM's packets with TTL 61), the VM's banner arrives and is ACKed; the client's banner (its first data segment) is retransmitted with back-off and never ACKed, while the VM SACKs the client's KEXINIT sent after it; no ICMP, no RST"
VM_WIRE="the handshake, the VM's banner leaving it, the client's KEXINIT arriving out of order (SACKed); the client's banner never arrives"
SSH_TIMEOUT=10    # ssh waits for the server's KEXINIT for ever: sshd never read the client's banner
SSH_ERROR_RE='SSH2_MSG_KEXINIT sent'
SSH_ERROR_TEXT='(none: ssh hangs after "debug1: SSH2_MSG_KEXINIT sent" until timeout 10 kills it)'
LIVE_TEST=lab
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge path vm)
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge path); PAIR_SEGMENT=client-to-vm
VM_CAUSE=silent-drop; VM_COMPONENT=unknown; VM_CANDIDATES=(edge path client)   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -s "$CL4" -d "$VM4" -p tcp --dport 22 \
        -m string --algo bm --string SSH- -j DROP
}
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*Flags \[S\.\]" "SYN-ACK from the VM with TTL 61" &&
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*SSH-" "the VM's banner" &&
    want_at_least "$1" 3 "$CL4\.[0-9]+ > $VM4\.22: .*SSH-" "the client's banner, sent and retransmitted" &&
    want_none "$1" "Flags \[[^]]*R" "RST" &&
    want_none "$1" "ICMP" "ICMP"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*SSH-" "the VM's banner leaving it" &&
    want_none "$1" "$CL4\.[0-9]+ > $VM4\.22: .*SSH-" "the client's banner at the VM"
}
