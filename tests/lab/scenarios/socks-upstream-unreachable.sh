# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ssh through a SOCKS5 proxy (dante) on the edge router that allows port 22, to 203.0.113.99, an address of the VM's subnet that no host holds: the cloud edge's ARP fails and it answers the proxy's SYN with ICMP host unreachable"
WIRE="the client's ARP for its gateway 198.51.100.1, TCP to the proxy 198.51.100.1:1080, SOCKS5 greeting accepted, CONNECT 203.0.113.99:22 answered about 3 s later with reply 4 (host unreachable), closed; nothing to port 22 on the client's side"
VM_WIRE="the cloud edge's ARP requests for 203.0.113.99, unanswered; no SYN for the VM"
TARGET=203.0.113.99
SSH_ERROR_RE='nc: connection failed, SOCKSv5 error: Host unreachable'
SSH_EXTRA=(-o "ProxyCommand=nc -X 5 -x $OE4_CL:$PROXY_SOCKS_PORT %h %p")
LIVE_TEST=none
EXPECT_CAUSE=proxy-refused; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm path edge)
PAIR_CAUSE=proxy-refused; PAIR_COMPONENT=unknown; PAIR_CANDIDATES=(vm path edge); PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    ip -n "$(lab_ns cl)" route del default
    ip -n "$(lab_ns cl)" -6 route del default
    lab_start_danted allow-22
}
scenario_check() {
    want_at_least "$1" 3 "$OE4_CL\.$PROXY_SOCKS_PORT" "packets with the proxy" &&
    want_none "$1" "\.22[: ]" "packets to or from port 22"
}
scenario_check_vm() {
    want_at_least "$1" 1 "Request who-has 203\.0\.113\.99 tell $CE4_VM" "the cloud edge's ARP for 203.0.113.99" &&
    want_none "$1" "> 203\.0\.113\.99\.22:" "SYNs to 203.0.113.99"
}
