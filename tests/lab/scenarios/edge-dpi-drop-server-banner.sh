# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="DPI on the organisation's edge router that drops (not resets) VM-to-client packets carrying \"SSH-\" (ip6tables FORWARD -m string --string SSH- --algo bm -j DROP), over IPv6"
WIRE="the client's neighbour solicitation for its gateway, handshake over IPv6 (the VM's packets with hop limit 61), the client's banner ACKed; the VM's KEXINIT arrives and is SACKed, its banner never does; ssh gives up with a FIN"
VM_WIRE="the handshake, the client's banner arriving, the VM's banner leaving it again and again with back-off, its KEXINIT once"
TARGET=$VM6
SSH_ERROR_RE='Connection timed out during banner exchange'
EXPECT_CAUSE=banner-timeout; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge path vm)
PAIR_CAUSE=banner-timeout; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge path); PAIR_SEGMENT=vm-to-client
VM_CAUSE=banner-timeout; VM_COMPONENT=unknown; VM_CANDIDATES=(edge path client)   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    lab_exec oe ip6tables -A FORWARD -s "$VM6" -d "$CL6" -p tcp --sport 22 \
        -m string --algo bm --string SSH- -j DROP
}
scenario_check() {
    want_at_least "$1" 1 "$VM6\.22 > .*Flags \[S\.\]" "SYN-ACK from the VM" &&
    want_at_least "$1" 1 "$VM6\.22 > $CL6\.[0-9]+: .*length [1-9]" "data from the VM" &&
    want_none "$1" "$VM6\.22 > .*SSH-" "the VM's banner" &&
    want_none "$1" "Flags \[[^]]*R" "RST"
}
scenario_check_vm() {
    want_at_least "$1" 2 "$VM6\.22 > .*SSH-" "the VM's banner, sent and sent again"
}
