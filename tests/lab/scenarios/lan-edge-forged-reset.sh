# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a LAN router between the client and the organisation's edge; DPI on the edge (hop 2): client-to-VM packets carrying \"SSH-\" are rejected with a TCP reset forged in the VM's name"
WIRE="the client's ARP for its gateway 198.51.100.1 (the LAN router), handshake (the VM's packets with TTL 60: four routers), the client's banner, then a RST in the VM's name with TTL 63 (one router crossed: made by hop 2); the VM's own banner (TTL 60) follows and the client answers it with RST"
VM_WIRE="the handshake and the VM's banner leaving it; the client's banner never arrives; no RST leaves the VM; the client's RST arrives"
LAB_LAN_ROUTER=1
LIVE_TEST=lab
SSH_ERROR_RE='Connection reset'
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge path)
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge path); PAIR_SEGMENT=client-to-vm
VM_CAUSE=forged-reset; VM_COMPONENT=unknown; VM_CANDIDATES=(edge path)   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -s "$CL4" -d "$VM4" -p tcp --dport 22 \
        -m string --algo bm --string SSH- -j REJECT --reject-with tcp-reset
}
scenario_check() {
    want_at_least "$1" 1 "ttl 60, .*$VM4\.22 > .*Flags \[S\.\]" "SYN-ACK from the VM with TTL 60" &&
    want_at_least "$1" 1 "ttl 63, .*$VM4\.22 > .*Flags \[R" "RST with TTL 63 in the VM's name"
}
scenario_check_vm() {
    want_none "$1" "$CL4\.[0-9]+ > $VM4\.22: .*SSH-" "the client's banner at the VM" &&
    want_none "$1" "$VM4\.22 > .*Flags \[R" "RST leaving the VM"
}
