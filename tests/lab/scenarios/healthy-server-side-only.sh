# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="healthy.pcap cut to the VM's direction (tcpdump 'src host 203.0.113.7'), as a mirror port that copies one direction records it"
WIRE="cut from healthy.pcap: only the VM's packets: SYN-ACK (TTL 61), ACKs of the client's (unseen) data, its banner, key exchange, encrypted data, FIN; nothing from the client"
DERIVED_FROM=healthy
EXPECT_CAUSE=one-sided-capture; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=()
scenario_derive() { tcpdump -r "$1" -w "$2" "src host $VM4"; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[S\.\]" "SYN-ACK from the VM" &&
    want_at_least "$1" 5 "$VM4\.22 > .*length [1-9]" "data packets from the VM" &&
    want_none "$1" "$CL4\.[0-9]+ >" "packets from the client"
}
