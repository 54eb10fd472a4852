# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ssh through a SOCKS5 proxy (dante) on the edge router whose rules block port 22"
WIRE="the client's ARP for its gateway 198.51.100.1, then TCP to the proxy 198.51.100.1:1080, SOCKS5 greeting accepted (no auth), CONNECT 203.0.113.7:22 answered with reply 2 (not allowed by ruleset), closed; nothing to port 22"
SSH_ERROR_RE='nc: '
EXPECT_CAUSE=proxy-refused; EXPECT_COMPONENT=proxy
VM_WIRE="nothing: the proxy never connects to the VM"
PAIR_CAUSE=proxy-refused; PAIR_COMPONENT=proxy; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
SSH_EXTRA=(-o "ProxyCommand=nc -X 5 -x $OE4_CL:$PROXY_SOCKS_PORT %h %p")
scenario_setup() {
    lab_start_sshd
    # The proxy is the client's only way out: it has no default route, just its own LAN.
    ip -n "$(lab_ns cl)" route del default
    ip -n "$(lab_ns cl)" -6 route del default
    lab_start_danted
}
scenario_check() {
    want_at_least "$1" 3 "$OE4_CL\.$PROXY_SOCKS_PORT" "packets with the proxy" &&
    want_none "$1" "\.22[: ]" "packets to or from port 22"
}
scenario_check_vm() {
    want_none "$1" "\.22: Flags" "packets to port 22"
}
