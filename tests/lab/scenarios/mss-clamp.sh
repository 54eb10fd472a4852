# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the internet router rewrites the MSS option of every SYN and SYN-ACK it forwards to 1200 (iptables -t mangle FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1200); ssh succeeds"
WIRE="the client's ARP for its gateway 198.51.100.1, SYN out with MSS 1460, SYN-ACK in with MSS 1200, then a healthy session (the client's segments at most 1200 bytes of payload)"
VM_WIRE="the same connection from the VM's side: the SYN arrives with MSS 1200, the VM's SYN-ACK leaves with MSS 1460"
LIVE_TEST=none
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
PAIR_TRUTH=(mss_client_sent=1460 mss_vm_received=1200 mss_vm_sent=1460 mss_client_received=1200)
scenario_setup() {
    lab_start_sshd
    lab_exec in iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1200
}
scenario_check() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: Flags \[S\], .*mss 1460" "SYN with MSS 1460" &&
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[S\.\], .*mss 1200" "SYN-ACK with MSS 1200"
}
scenario_check_vm() {
    want_at_least "$1" 1 "> $VM4\.22: Flags \[S\], .*mss 1200" "SYN with MSS 1200 at the VM" &&
    want_at_least "$1" 1 "$VM4\.22 > .*Flags \[S\.\], .*mss 1460" "SYN-ACK with MSS 1460 leaving the VM"
}
