# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ssh to 203.0.113.99, an address of the VM's subnet that no host holds: the cloud edge router's ARP fails and it answers ICMP host unreachable"
WIRE="SYN retransmitted while the cloud edge resolves the address (about 3 s), then ICMP 3/1 (host unreachable) from the cloud edge router (198.18.3.2, TTL 62) quoting the SYN"
TARGET=203.0.113.99
SSH_ERROR_RE='connect to host .* port 22: No route to host'
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm path)
scenario_setup() { :; }
scenario_check() {
    want_at_least "$1" 1 "> 203\.0\.113\.99\.22: Flags \[S\]" "SYN to 203.0.113.99" &&
    want_at_least "$1" 1 "ttl 62, .*proto ICMP .*> $CL4: ICMP host 203\.0\.113\.99 unreachable" "ICMP host unreachable from the cloud edge (TTL 62)"
}
