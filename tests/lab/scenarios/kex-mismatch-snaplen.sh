# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as kex-mismatch (the client insists on KexAlgorithms=diffie-hellman-group1-sha1, which the VM's sshd does not offer), captured with a snap length of 60 bytes (tcpdump -s 60): every packet is cut inside its TCP options, before any payload byte"
WIRE="the client's ARP for its gateway 198.51.100.1, handshake, then both sides' data segments (the banners and KEXINITs) with none of their bytes captured, the client's FIN; the IP lengths still show how much each sent"
SNAPLEN=60
LAB_VM_CAPTURE=0      # the VM's capture would be cut the same way: the client's alone makes the point
LIVE_TEST=lab          # sshpath run captures whole packets: only the lab's own tcpdump -s 60 cuts them
SSH_EXTRA=(-o KexAlgorithms=diffie-hellman-group1-sha1)
SSH_ERROR_RE='no matching key exchange method found'
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm client edge path)
scenario_check() {
    want_at_least "$1" 2 "$VM4\.22 > .*Flags \[P\.\], seq [0-9]+:[0-9]+, .*\[\|tcp\]" "data packets from the VM, cut" &&
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[F" "FIN from the client" &&
    want_none "$1" "SSH-2" "identification string (the snap length cuts it)"
}
