# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="a TLS client (openssl s_client, as to a port that sslh shares with HTTPS) opens a connection to the VM's port 22 just before ssh; sshd answers it with its banner and it gives up; then ssh connects and succeeds"
WIRE="the client's ARP for its gateway 198.51.100.1, a connection to port 22 whose client opens with a TLS ClientHello (not an SSH attempt), then a healthy SSH session"
VM_WIRE="the same two connections from the VM's side"
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
LIVE_TEST=none
scenario_before_ssh() {
    lab_exec cl timeout 5 openssl s_client -connect "$VM4:22" -servername vm.example </dev/null >/dev/null 2>&1 || true
}
scenario_check() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[P\.\].*length [1-9]" "data from the client" &&
    want_at_least "$1" 2 "$CL4\.[0-9]+ > $VM4\.22: Flags \[S\]" "two connections to port 22"
}
