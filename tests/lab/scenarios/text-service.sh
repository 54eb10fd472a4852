# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a mail server on the VM's port 22: it greets with \"220 mail.example.net ESMTP ready\" and then waits; ssh ConnectTimeout=5"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake completes, the client sends its banner and the VM the 34-byte line \"220 mail.example.net ESMTP ready\\r\\n\" (no SSH- banner); nothing more from the VM, after 5 s the client sends FIN and the VM's FIN follows"
CONNECT_TIMEOUT=5
SSH_ERROR_RE='Connection timed out during banner exchange'
EXPECT_CAUSE=not-ssh; EXPECT_COMPONENT=vm
VM_WIRE="the same connection from the VM's side: the client's banner in, the 34-byte greeting out, the FINs"
PAIR_CAUSE=not-ssh; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { lab_start_listener greet '220 mail.example.net ESMTP ready\r\n'; }
scenario_check() {
    want_exactly "$1" 1 "$VM4\.22 > .*length [1-9]" "data packet from the VM" &&
    want_at_least "$1" 1 "$VM4\.22 > .*length 34" "the 34-byte greeting from the VM" &&
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[F" "FIN from the client"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*length 34" "the greeting leaving the VM"
}
