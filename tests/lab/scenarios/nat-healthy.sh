# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the organisation's edge translates the client's address and port (iptables -t nat POSTROUTING -o eth1 -j MASQUERADE --random): the VM sees the edge's outside address 198.18.2.1 and a random source port; ssh succeeds"
WIRE="the client's ARP for its gateway 198.51.100.1, then a healthy session from 198.51.100.10 (the VM's packets with TTL 61)"
VM_WIRE="the same session from 198.18.2.1 and another source port; the client's packets arrive with TTL 61"
LIVE_TEST=none
EXPECT_CAUSE=ok; EXPECT_COMPONENT=none
PAIR_CAUSE=ok; PAIR_COMPONENT=none; PAIR_SEGMENT=none
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE --random

}
scenario_check() {
    want_at_least "$1" 10 "ttl 61, .*$VM4\.22 > $CL4\.[0-9]+:" "packets from the VM with TTL 61"
}
scenario_check_vm() {
    want_none "$1" "$CL4" "the client's own address at the VM" &&
    want_at_least "$1" 10 "ttl 61, .*$OE4_IN\.[0-9]+ > $VM4\.22:" "packets from 198.18.2.1 with TTL 61"
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
