# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="healthy.pcap without the last data packet of each direction (editcap -d of the two packets), as a capture that dropped packets (tcpdump's buffer full, a mirror port losing frames) records it"
WIRE="cut from healthy.pcap: the whole session but the client's last data packet and the VM's last data packet before the FINs; each side acknowledges the other's missing bytes"
DERIVED_FROM=healthy
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
# The packet numbers of the last data packet from the client and from the VM.
scenario_derive() {
    local drop
    drop=$(lab_wire "$1" | awk -v c="$CL4" -v v="$VM4" '
        { n++ }
        / length [1-9][0-9]*(:|$)/ && index($0, c ".") && index($0, "> " v ".22:") { client = n }
        / length [1-9][0-9]*(:|$)/ && index($0, v ".22 > ") { server = n }
        END { if (client && server) print client, server }')
    [ -n "$drop" ] || { echo "no data packet of each direction in $1"; return 1; }
    # shellcheck disable=SC2086  # two packet numbers
    editcap -F pcap "$1" "$2" $drop
}
scenario_check() {
    want_at_least "$1" 5 "$VM4\.22 > .*length [1-9]" "data packets from the VM" &&
    want_at_least "$1" 5 "$CL4\.[0-9]+ > $VM4\.22: .*length [1-9]" "data packets from the client" &&
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[F" "FIN from the VM"
}
