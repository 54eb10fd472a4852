# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="ssh through an HTTP proxy on the edge router (198.51.100.1:8888) that reads the CONNECT request and closes without any reply"
WIRE="the client's ARP for its gateway 198.51.100.1, then TCP to the proxy 198.51.100.1:8888, \"CONNECT 203.0.113.7:22 HTTP/1.0\" and the empty line sent and ACKed, the proxy sends FIN without a byte of reply, the client's FIN follows; nothing to port 22"
SSH_ERROR_RE='nc: proxy read'
EXPECT_CAUSE=proxy-refused; EXPECT_COMPONENT=proxy
VM_WIRE="nothing: the proxy never connects to the VM"
PAIR_CAUSE=proxy-refused; PAIR_COMPONENT=proxy; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
SSH_EXTRA=(-o "ProxyCommand=nc -X connect -x $OE4_CL:$PROXY_HTTP_PORT %h %p")
scenario_setup() {
    lab_start_sshd
    # The proxy is the client's only way out: it has no default route, just its own LAN.
    ip -n "$(lab_ns cl)" route del default
    ip -n "$(lab_ns cl)" -6 route del default
    lab_start_listener_on oe "$PROXY_HTTP_PORT" "$OE4_CL" proxy-close
}
scenario_check() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $OE4_CL\.$PROXY_HTTP_PORT: .*length [1-9]" "the CONNECT request" &&
    want_none "$1" "$OE4_CL\.$PROXY_HTTP_PORT > .*length [1-9]" "data from the proxy" &&
    want_at_least "$1" 1 "$OE4_CL\.$PROXY_HTTP_PORT > .*Flags \[F" "FIN from the proxy" &&
    want_none "$1" "\.22[: ]" "packets to or from port 22"
}
scenario_check_vm() {
    want_none "$1" "\.22: Flags" "packets to port 22"
}
