# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="tls-client-on-ssh-port.pcap cut before ssh's own connection: only the TLS client's connection to port 22 is left"
WIRE="cut from tls-client-on-ssh-port.pcap: the client's ARP for its gateway, then one connection to port 22 whose client opens with a TLS ClientHello, answered by sshd's banner and closed"
DERIVED_FROM=tls-client-on-ssh-port
EXPECT_CAUSE=no-attempt; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(client)
# The packets before the second SYN to port 22 (ssh's own connection).
scenario_derive() {
    local n
    n=$(lab_wire "$1" | awk -v v="$VM4" 'index($0, "> " v ".22: Flags [S]") { if (++syn == 2) { print n; exit } } { n++ }')
    [ -n "$n" ] || { echo "no second SYN in $1"; return 1; }
    tcpdump -r "$1" -c "$n" -w "$2"
}
scenario_check() {
    want_exactly "$1" 1 "> $VM4\.22: Flags \[S\]" "one SYN to port 22"
}
