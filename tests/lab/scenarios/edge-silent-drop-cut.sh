# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="edge-silent-drop.pcap cut right after its first SYN, as a capture stopped too early"
WIRE="cut from edge-silent-drop.pcap: the client's ARP for its gateway 198.51.100.1 and the reply, then one SYN to 203.0.113.7:22 and nothing after it"
DERIVED_FROM=edge-silent-drop
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
# The packets up to the first SYN (the ARP exchange before it stays).
scenario_derive() {
    local n
    n=$(lab_wire "$1" | awk -v v="$VM4" '{ n++ } index($0, "> " v ".22: Flags [S]") { print n; exit }')
    [ -n "$n" ] || { echo "no SYN in $1"; return 1; }
    tcpdump -r "$1" -c "$n" -w "$2"
}
scenario_check() {
    want_exactly "$1" 1 "> $VM4\.22: Flags \[S\]" "SYN" &&
    want_last "$1" "> $VM4\.22: Flags \[S\]" "the SYN"
}
