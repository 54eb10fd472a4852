# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a listener on the VM's port 22 sends \"SSH-2.0-OpenSSH_9.2\", reads the client's identification string, then closes (FIN) without a KEXINIT"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake, both identification strings (the VM's is 21 bytes), then the VM's FIN without a KEXINIT of its own; the client's KEXINIT (already on its way) and its FIN follow, no RST"
SSH_ERROR_RE='Connection closed by .* port 22'
EXPECT_CAUSE=kex-failed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm client)
VM_WIRE="the same connection from the VM's side: both identification strings, the listener's FIN, the client's KEXINIT and FIN"
PAIR_CAUSE=kex-failed; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(vm client); PAIR_SEGMENT=none
scenario_setup() { lab_start_listener banners; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*length 21" "the VM's 21-byte identification string" &&
    want_exactly "$1" 1 "$VM4\.22 > .*length [1-9]" "data packet from the VM" &&
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[F" "FIN from the VM" &&
    want_none "$1" "$VM4\.22 > .*Flags \[R" "RST from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*length 21" "the VM's identification string leaving it"
}
