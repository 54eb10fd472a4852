#!/usr/bin/env bash
# Where a capture was taken changes what a reset that crossed no router means. On the client, a
# reset "from" a server in another network with an initial TTL was made by the client's own
# network (forged-reset). On the VM, whose capture sees the client's packets after routers, the
# same reset is the VM's: the address plan must not place it at the client's gateway. The VM's
# capture of a real guest-firewall reset, filtered as `tcpdump -i eth0 tcp port 22` on the VM
# would write it (no ARP, no other connection to show the server's distance); its hop is counted
# from the client, the routers before the capture included.
# Usage: vantage.sh SSHPATH_BIN
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
expect() {  # expect NAME CAPTURE PYTHON-CONDITION (on the first attempt `f`)
    local name=$1 cap=$2 cond=$3
    if "$bin" analyze --format json "$cap" | python3 -c "
import json, sys
f = json.load(sys.stdin)['flows'][0]
ok = $cond
if not ok:
    print(f['verdict']['rule'], {k: f['facts'].get(k) for k in ('client_ttl', 'server_rst_ttl', 'server_link', 'server_link_evidence', 'server_rst_position')})
sys.exit(0 if ok else 1)"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name"
    fi
}
command -v tcpdump >/dev/null || { echo "tcpdump is needed (scripts/install-deps)"; exit 1; }
tcpdump -r "$root/captures/vm-firewall-reset-ttl128-with-control.vm.pcap" -w "$tmp/vm-port22.pcap" 'tcp port 22' 2>/dev/null
expect "the VM's own reset, seen on the VM, is not forged by the client's network" "$tmp/vm-port22.pcap" \
    "f['verdict']['cause'] == 'port-closed' and f['facts']['client_ttl'] < 64 and f['facts']['server_link_evidence'] == '' and f['facts']['server_rst_position'] == '' and f['facts']['server_rst_hop'] == 64 - f['facts']['client_ttl'] + 1"
expect "on the client, a reset with an initial TTL from another network is the client's network's" \
    "$root/captures/edge-syn-reset-noarp.pcap" \
    "f['verdict']['cause'] == 'forged-reset' and f['verdict']['component'] == 'edge' and f['facts']['server_link_evidence'] == 'address-plan'"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq 2 ]
