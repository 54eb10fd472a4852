# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="edge-silent-drop.pcap cut after its first packet (the first SYN), as a capture stopped too early"
WIRE="cut from edge-silent-drop.pcap: one SYN to 203.0.113.7:22 and nothing after it"
DERIVED_FROM=edge-silent-drop
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
scenario_derive() { tcpdump -r "$1" -c 1 -w "$2"; }
scenario_check() {
    want_exactly "$1" 1 "." "packet" &&
    want_exactly "$1" 1 "> $VM4\.22: Flags \[S\]" "SYN"
}
