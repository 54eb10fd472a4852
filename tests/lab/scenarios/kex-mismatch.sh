# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the client insists on KexAlgorithms=diffie-hellman-group1-sha1, which the VM's sshd does not offer"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake, both banners, both KEXINITs (the client's offers only diffie-hellman-group1-sha1), then the client sends FIN without a disconnect message"
SSH_EXTRA=(-o KexAlgorithms=diffie-hellman-group1-sha1)
SSH_ERROR_RE='no matching key exchange method found'
EXPECT_CAUSE=kex-failed; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(client vm)
VM_WIRE="the same connection from the VM's side: both banners, both KEXINITs, the client's FIN"
PAIR_CAUSE=kex-failed; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(client vm); PAIR_SEGMENT=none
scenario_check() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[F" "FIN from the client"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[F" "FIN from the client at the VM"
}
