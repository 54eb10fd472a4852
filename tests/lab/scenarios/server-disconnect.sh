# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a listener on the VM's port 22 sends its identification string, reads the client's and its KEXINIT, then sends SSH_MSG_DISCONNECT (reason 2, \"bad packet\") in the clear and closes"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake, both identification strings, the client's KEXINIT, then a 32-byte packet from the VM (SSH_MSG_DISCONNECT, protocol error, \"bad packet\") and its FIN; the client's FIN follows"
SSH_ERROR_RE='Received disconnect from .* port 22'
EXPECT_CAUSE=kex-failed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(client vm)
VM_WIRE="the same connection from the VM's side: both identification strings, the client's KEXINIT, the 32-byte DISCONNECT and FIN leaving the VM"
PAIR_CAUSE=kex-failed; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(client vm); PAIR_SEGMENT=none
scenario_setup() { lab_start_listener disconnect; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*length 21" "the VM's identification string" &&
    want_at_least "$1" 1 "$VM4\.22 > .*length 32" "the VM's 32-byte DISCONNECT packet" &&
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[F" "FIN from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*length 32" "the DISCONNECT packet leaving the VM"
}
