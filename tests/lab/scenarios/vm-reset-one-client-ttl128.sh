# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the VM's guest firewall rejects one client address (198.51.100.10) with a TCP reset (nftables 'ip saddr 198.51.100.10 tcp dport 22 reject with tcp reset') and its initial TTL is 128; a session from another address of the client's network (198.51.100.11) works just before"
WIRE="a session from 198.51.100.11 to the VM (SYN-ACK with TTL 125; it reaches key exchange and ends), then the SYN from 198.51.100.10 answered by a RST+ACK from the VM's address with the same TTL 125"
VM_WIRE="both clients' SYNs arriving; the session with 198.51.100.11, and the firewall's RST+ACK to 198.51.100.10 leaving (TTL 128)"
LAB_VM_TTL=128
LIVE_TEST=lab
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=port-closed; EXPECT_COMPONENT=vm
PAIR_CAUSE=port-closed; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
VM_CAUSE=port-closed; VM_COMPONENT=vm   # the VM's capture alone (FILE@vm)
OTHER4=198.51.100.11
scenario_setup() {
    lab_start_sshd
    lab_addr cl eth0 "$OTHER4/24"
    lab_exec vm nft -f - <<NFT
table inet guest {
    chain input { type filter hook input priority filter; policy accept; ip saddr $CL4 tcp dport 22 reject with tcp reset; }
}
NFT
}
# The other client: a whole session from the second address, before the failing one.
scenario_before_ssh() { lab_other_client_session "$OTHER4"; }
scenario_check() {
    want_at_least "$1" 1 "ttl 125, .*$VM4\.22 > $OTHER4\.[0-9]+: Flags \[S\.\]" "the SYN-ACK to $OTHER4 with TTL 125" &&
    want_at_least "$1" 1 "ttl 125, .*$VM4\.22 > $CL4\.[0-9]+: Flags \[R\.\]" "RST+ACK from the VM to $CL4 with TTL 125"
}
scenario_check_vm() {
    want_at_least "$1" 1 "ttl 128, .*$VM4\.22 > $CL4\.[0-9]+: Flags \[R\.\]" "RST+ACK leaving the VM with TTL 128"
}
