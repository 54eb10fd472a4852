# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the organisation's edge translates the client's address and port (iptables -t nat POSTROUTING -o eth1 -j MASQUERADE --random): the VM sees the edge's outside address 198.18.2.1 and a random source port, and the VM's guest firewall drops tcp/22 (iptables INPUT DROP)"
WIRE="the client's ARP for its gateway 198.51.100.1, then the SYN (from 198.51.100.10) retransmitted for 8 s; nothing comes back"
VM_WIRE="every SYN arrives from 198.18.2.1 and another source port (TTL 61); the VM sends nothing back"
LIVE_TEST=none
SSH_ERROR_RE='connect to host .* port 22: Connection timed out'
EXPECT_CAUSE=silent-drop; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(edge acl nsg vm)
PAIR_CAUSE=silent-drop; PAIR_COMPONENT=vm; PAIR_SEGMENT=vm
VM_CAUSE=silent-drop; VM_COMPONENT=vm   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE --random
    lab_exec vm iptables -A INPUT -p tcp --dport 22 -j DROP
}
scenario_check() {
    want_at_least "$1" 4 "> $VM4\.22: Flags \[S\]" "SYNs" &&
    want_none "$1" "$VM4\.22 >" "packets from the VM"
}
scenario_check_vm() {
    want_none "$1" "$CL4" "the client's own address at the VM" &&
    want_at_least "$1" 4 "ttl 61, .*$OE4_IN\.[0-9]+ > $VM4\.22: Flags \[S\]" "SYNs from 198.18.2.1 at the VM" &&
    want_none "$1" "$VM4\.22 >" "packets leaving the VM's port 22"
}
# What the pair proves about the translation: the client's port, and the address and port the
# VM sees for the same SYN.
scenario_truth() {
    local c v
    c=$(lab_first_match "$1" "> $VM4\.22: Flags \[S\]" | sed -n "s/.*$CL4\.\([0-9]*\) > .*/\1/p")
    v=$(lab_first_match "$2" "> $VM4\.22: Flags \[S\]" | sed -n "s/.*$OE4_IN\.\([0-9]*\) > .*/\1/p")
    if [ -z "$c" ] || [ -z "$v" ]; then echo "no SYN in one of the captures"; return 1; fi
    [ "$c" != "$v" ] || { echo "the source port was not rewritten ($c)"; return 1; }
    printf '%s\n' "client_address=$CL4" "client_port=$c" "client_address_at_vm=$OE4_IN" "client_port_at_vm=$v"
}
