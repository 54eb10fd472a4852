# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="healthy.pcap cut to the client's direction (tcpdump 'src host 198.51.100.10'), as a mirror port that copies one direction records it"
WIRE="cut from healthy.pcap: only the client's packets: its ARP request for the gateway, SYN, ACKs of the VM's (unseen) data, its banner, key exchange, encrypted data, FIN; nothing from the VM"
DERIVED_FROM=healthy
EXPECT_CAUSE=one-sided-capture; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=()
scenario_derive() { tcpdump -r "$1" -w "$2" "src host $CL4"; }
scenario_check() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[S\]" "SYN from the client" &&
    want_at_least "$1" 5 "$CL4\.[0-9]+ > $VM4\.22: .*length [1-9]" "data packets from the client" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM"
}
