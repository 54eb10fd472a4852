# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="an NSG-like rule on the cloud edge drops tcp/22 from one client address only (198.51.100.10; iptables FORWARD -s 198.51.100.10 --dport 22 DROP): a session from another address of the client's network (198.51.100.11) works just before"
WIRE="a session from 198.51.100.11 to the VM (it reaches key exchange and ends), then from 198.51.100.10 the SYN retransmitted, nothing comes back"
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
VM_WIRE="the session from 198.51.100.11; no SYN from 198.51.100.10"
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(edge acl nsg); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm --from)
VM_ARGS=(--from "$CL4")
LIVE_TEST=lab
OTHER4=198.51.100.11
scenario_setup() {
    lab_start_sshd
    lab_addr cl eth0 "$OTHER4/24"
    lab_exec ce iptables -A FORWARD -p tcp -s "$CL4" --dport 22 -j DROP
}
# The other client: a whole session from the second address, before the failing one.
scenario_before_ssh() { lab_other_client_session "$OTHER4"; }
scenario_check() {
    want_at_least "$1" 1 "$VM4\.22 > $OTHER4\.[0-9]+: Flags \[S\.\]" "the SYN-ACK to $OTHER4" &&
    want_at_least "$1" 4 "$CL4\.[0-9]+ > $VM4\.22: Flags \[S\]" "SYNs from $CL4" &&
    want_none "$1" "$VM4\.22 > $CL4\." "packets from the VM to $CL4"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$OTHER4\.[0-9]+ > $VM4\.22: Flags \[S\]" "the SYN from $OTHER4 at the VM" &&
    want_none "$1" "$CL4\.[0-9]+ > $VM4\.22" "packets from $CL4 at the VM"
}
