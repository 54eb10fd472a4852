# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ssh through tinyproxy on the edge router (HTTP CONNECT, port 22 allowed), which accepts the CONNECT but cannot reach the server: nothing listens on the VM's port 22, the VM answers the proxy's SYN with a reset"
WIRE="the client's ARP for its gateway 198.51.100.1, TCP to the proxy 198.51.100.1:8888, \"CONNECT 203.0.113.7:22\" answered \"HTTP/1.0 500 Unable to connect\" with an HTML page, closed; nothing to port 22 on the client's side"
VM_WIRE="the proxy's own SYN to 203.0.113.7:22 (from the edge's outside address 198.18.2.1, TTL 62) and the VM's RST+ACK"
SSH_ERROR_RE='Proxy error'
SSH_EXTRA=(-o "ProxyCommand=nc -X connect -x $OE4_CL:$PROXY_HTTP_PORT %h %p")
LIVE_TEST=lab
EXPECT_CAUSE=proxy-refused; EXPECT_COMPONENT=unknown; EXPECT_CANDIDATES=(vm edge acl nsg path)
PAIR_CAUSE=port-closed; PAIR_COMPONENT=vm; PAIR_SEGMENT=none
scenario_setup() {
    # The proxy is the client's only way out: it has no default route, just its own LAN.
    ip -n "$(lab_ns cl)" route del default
    ip -n "$(lab_ns cl)" -6 route del default
    lab_start_tinyproxy 22
}
scenario_check() {
    want_text "$1" 1 "HTTP/1.0 500 Unable to connect" "500 answers from the proxy" &&
    want_none "$1" "\.22[: ]" "packets to or from port 22"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$OE4_IN\.[0-9]+ > $VM4\.22: Flags \[S\]" "the proxy's SYN at the VM" &&
    want_at_least "$1" 1 "$VM4\.22 > $OE4_IN\.[0-9]+: Flags \[R\.\]" "the VM's RST+ACK to the proxy"
}
