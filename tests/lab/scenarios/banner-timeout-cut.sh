# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="banner-timeout.pcap cut right after the client's identification string and the VM's ACK of it, as a capture stopped too early"
WIRE="cut from banner-timeout.pcap: handshake, the client's banner, the VM's ACK of it, and nothing more (well under a second after the handshake)"
DERIVED_FROM=banner-timeout
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm)
# The first packets up to the VM's first ACK after the client's first data packet.
scenario_derive() {
    local n
    n=$(lab_wire "$1" | awk -v c="$CL4" -v v="$VM4" '
        index($0, c ".") && index($0, "> " v ".22:") && /Flags .* length [1-9]/ { data = 1 }
        { n++ }
        data && index($0, v ".22 > ") && /Flags .* length 0$/ { print n; exit }')
    [ -n "$n" ] || { echo "no ACK of the client's banner in $1"; return 1; }
    tcpdump -r "$1" -c "$n" -w "$2"
}
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[S\.\]" "SYN-ACK from the VM" &&
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: .*length [1-9]" "the client's banner" &&
    want_none "$1" "$VM4\.22 > .*length [1-9]" "data from the VM" &&
    want_none "$1" "Flags \[[^]]*[FR]" "FIN or RST" &&
    want_last "$1" "$VM4\.22 > .*Flags \[\.\].* length 0" "the VM's ACK"
}
