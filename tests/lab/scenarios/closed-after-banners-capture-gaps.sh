# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="closed-after-banners.pcap without the VM's identification string and the client's first full-size segment (editcap -d of the two packets), as a capture that dropped packets records it"
WIRE="cut from closed-after-banners.pcap: handshake, the client's identification string, the VM's FIN; the client acknowledges the VM's 21 bytes, the VM the client's 1448, that the capture does not hold"
DERIVED_FROM=closed-after-banners
EXPECT_CAUSE=unknown; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm client edge path)
# The VM's only data packet (its identification string) and the client's first full-size one.
scenario_derive() {
    local drop
    drop=$(lab_wire "$1" | awk -v c="$CL4" -v v="$VM4" '
        { n++ }
        / length [1-9][0-9]*(:|$)/ && index($0, v ".22 > ") && !server { server = n }
        / length 1448(:|$)/ && index($0, c ".") && index($0, "> " v ".22:") && !client { client = n }
        END { if (client && server) print server, client }')
    [ -n "$drop" ] || { echo "no identification string from the VM or no full-size client segment in $1"; return 1; }
    # shellcheck disable=SC2086  # two packet numbers
    editcap -F pcap "$1" "$2" $drop
}
scenario_check() {
    want_none "$1" "$VM4\.22 > .*length [1-9]" "data packets from the VM" &&
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: .*length 41" "the client's identification string" &&
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[F" "FIN from the VM"
}
