# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="MTU 1200 on the internet-cloudedge link and both routers there drop the ICMP fragmentation-needed they generate; the client keeps MSS 1460"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake and both banners pass, the client's 1500-byte segment (its KEXINIT) is retransmitted with back-off and never ACKed, no ICMP arrives; the VM SACKs the small segment behind it"
LAB_CORE_MTU=1200
SSH_TIMEOUT=15    # ConnectTimeout does not cover key exchange: ssh would hang forever
SSH_ERROR_RE='expecting SSH2_MSG_KEX_ECDH_REPLY'
SSH_ERROR_TEXT='(none: ssh hangs after "debug1: expecting SSH2_MSG_KEX_ECDH_REPLY" until timeout 15 kills it)'
EXPECT_CAUSE=pmtu-blackhole; EXPECT_COMPONENT=path
VM_WIRE="the handshake, both banners and the client's small segments; the client's 1500-byte segments never arrive (the VM SACKs what follows them)"
PAIR_CAUSE=pmtu-blackhole; PAIR_COMPONENT=path; PAIR_SEGMENT=client-to-vm
VM_CAUSE=pmtu-blackhole; VM_COMPONENT=path   # the VM's capture alone
scenario_setup() {
    lab_start_sshd
    local r
    for r in in ce; do
        lab_exec "$r" iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
        lab_exec "$r" ip6tables -A OUTPUT -p icmpv6 --icmpv6-type packet-too-big -j DROP
    done
}
scenario_check() {
    want_at_least "$1" 3 "length 1500\\).*$CL4\.[0-9]+ > $VM4\.22: .*length 1448" "full-size segments from the client" &&
    want_none "$1" "ICMP" "ICMP"
}
scenario_check_vm() {
    want_at_least "$1" 1 "$CL4\.[0-9]+ > $VM4\.22: .*length [1-9]" "client data at the VM" &&
    want_none "$1" "length 1500\\).*$CL4\.[0-9]+ > $VM4\.22" "full-size segments from the client at the VM"
}
