# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="as edge-syn-reset (the edge router answers the SYN to tcp/22 with a reset in the VM's name), captured with tcpdump -i any -y LINUX_SLL (Linux cooked capture v1)"
WIRE="Linux cooked v1 frames (the sender's link-layer address, no destination): the client's ARP for its gateway 198.51.100.1 and the gateway's reply, SYN out, RST+ACK in the VM's name with TTL 64 from the gateway's link-layer address"
VM_WIRE="nothing: the SYN never reaches the VM, and the VM sends no RST"
CAPTURE_IFACE=any
CAPTURE_LINKTYPE=LINUX_SLL
LIVE_TEST=lab
SSH_ERROR_RE='connect to host .* port 22: Connection refused'
EXPECT_CAUSE=forged-reset; EXPECT_COMPONENT=edge
PAIR_CAUSE=forged-reset; PAIR_COMPONENT=edge; PAIR_SEGMENT=client-to-vm
VM_CAUSE=no-attempt; VM_COMPONENT=unknown; VM_CANDIDATES=(nsg acl edge proxy client)   # the VM's capture alone (FILE@vm)
scenario_setup() {
    lab_start_sshd
    lab_exec oe iptables -A FORWARD -p tcp --dport 22 --syn -j REJECT --reject-with tcp-reset
}
scenario_check() {
    want_linktype "$1" LINUX_SLL &&
    want_at_least "$1" 1 "ttl 64, .*$VM4\.22 > .*Flags \[R\.\]" "RST+ACK with TTL 64 in the VM's name"
}
scenario_check_vm() {
    want_none "$1" "> $VM4\.22: Flags \[S\]" "SYNs to port 22 at the VM"
}
