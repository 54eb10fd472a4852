# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as kex-mismatch (the client insists on KexAlgorithms=diffie-hellman-group1-sha1, which the VM's sshd does not offer), captured with a snap length of 128 bytes (tcpdump -s 128): the identification strings fit, the KEXINITs are cut"
WIRE="the client's ARP for its gateway 198.51.100.1, handshake, both identification strings whole, both KEXINITs cut after their first 62 bytes, the client's FIN"
SNAPLEN=128
LAB_VM_CAPTURE=0      # the VM's capture would be cut the same way: the client's alone makes the point
LIVE_TEST=lab          # sshpath run captures whole packets: only the lab's own tcpdump -s 128 cuts them
SSH_EXTRA=(-o KexAlgorithms=diffie-hellman-group1-sha1)
SSH_ERROR_RE='no matching key exchange method found'
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm client edge path)
scenario_check() {
    want_at_least "$1" 2 "SSH: SSH-2\.0-" "identification strings" &&
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[F" "FIN from the client"
}
