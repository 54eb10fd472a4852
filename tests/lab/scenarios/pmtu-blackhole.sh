# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="MTU 1200 on the internet-cloudedge link and both routers there drop the ICMP fragmentation-needed they generate; the client keeps MSS 1460"
WIRE="handshake and both banners pass, the client's 1500-byte segment (its KEXINIT) is retransmitted with back-off and never ACKed, no ICMP arrives; the VM SACKs the small segment behind it"
LAB_CORE_MTU=1200
SSH_TIMEOUT=15    # ConnectTimeout does not cover key exchange: ssh would hang forever
SSH_ERROR_RE='expecting SSH2_MSG_KEX_ECDH_REPLY'
SSH_ERROR_TEXT='(none: ssh hangs after "debug1: expecting SSH2_MSG_KEX_ECDH_REPLY" until timeout 15 kills it)'
EXPECT_CAUSE=pmtu-blackhole; EXPECT_COMPONENT=path
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
