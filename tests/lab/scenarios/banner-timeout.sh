# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a listener on the VM's port 22 accepts and never sends anything (a hung sshd); ssh ConnectTimeout=6"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake completes, the client sends its banner, the VM only ACKs it; after 6 s the client sends FIN and the VM's FIN follows"
CONNECT_TIMEOUT=6
SSH_ERROR_RE='Connection timed out during banner exchange'
EXPECT_CAUSE=banner-timeout; EXPECT_COMPONENT=vm
VM_WIRE="the handshake, the client's banner arriving and ACKed, nothing sent by the VM's listener; the FINs"
PAIR_CAUSE=banner-timeout; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { lab_start_listener silent; }
scenario_check() {
    want_at_least "$1" 1 "ttl 61, .*$VM4\.22 > .*Flags \[S\.\]" "SYN-ACK from the VM" &&
    want_none "$1" "$VM4\.22 > .*length [1-9]" "data from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: .*length [1-9]" "the client's banner at the VM" &&
    want_none "$1" "$VM4\.22 > .*length [1-9]" "data from the VM"
}
