# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ssh to 203.0.113.99, an address of the VM's subnet that no host holds: the cloud edge router's ARP fails and it answers ICMP host unreachable"
WIRE="the client's ARP for its gateway 198.51.100.1, then SYN retransmitted while the cloud edge resolves the address (about 3 s), then ICMP 3/1 (host unreachable) from the cloud edge router (198.18.3.2, TTL 62) quoting the SYN"
TARGET=203.0.113.99
SSH_ERROR_RE='connect to host .* port 22: No route to host'
EXPECT_CAUSE=icmp-reject; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm path)
VM_WIRE="no SYN (it is for 203.0.113.99, not the VM); the cloud edge's ARP requests for 203.0.113.99, unanswered"
PAIR_CAUSE=icmp-reject; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(vm path); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() { :; }
scenario_check() {
    want_at_least "$1" 1 "> 203\.0\.113\.99\.22: Flags \[S\]" "SYN to 203.0.113.99" &&
    want_at_least "$1" 1 "ttl 62, .*proto ICMP .*> $CL4: ICMP host 203\.0\.113\.99 unreachable" "ICMP host unreachable from the cloud edge (TTL 62)"
}
scenario_check_vm() {
    want_at_least "$1" 1 "Request who-has 203\.0\.113\.99 tell $CE4_VM" "the cloud edge's ARP for 203.0.113.99" &&
    want_none "$1" "Reply 203\.0\.113\.99" "an ARP reply for 203.0.113.99"
}
