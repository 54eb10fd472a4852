# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a listener on the VM's port 22 accepts and closes at once, before any banner (as sshd refusing through TCP wrappers or fail2ban)"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake completes, the client sends its banner, the VM ACKs it and closes without a byte of its own (RST, as the banner was unread; FIN if the close wins the race)"
SSH_ERROR_RE='kex_exchange_identification: '
EXPECT_CAUSE=closed-before-banner; EXPECT_COMPONENT=vm
VM_WIRE="the handshake, the client's banner arriving, the listener's close (RST or FIN) leaving the VM"
PAIR_CAUSE=closed-before-banner; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() { lab_start_listener close; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[(F|R)" "FIN or RST from the VM" &&
    want_none "$1" "$VM4\.22 > .*length [1-9]" "data from the VM"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[(F|R)" "FIN or RST leaving the VM"
}
