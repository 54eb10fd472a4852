# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the internet router drops 20% of forwarded TCP packets at random, both directions; ssh transfers 200 kB and succeeds"
WIRE="the client's ARP for its gateway 198.51.100.1, then handshake (possibly after SYN retransmissions), full SSH session, the 200 kB download shows retransmissions, duplicate ACKs and SACKs, but completes"
SSH_CMD='head -c 200000 /dev/zero'
CONNECT_TIMEOUT=20   # SYNs at 0, 1, 3, 7 and 15 s: a 20% loss each way rarely defeats them all
SSH_TIMEOUT=90
ATTEMPTS=3
EXPECT_CAUSE=lossy-path; EXPECT_COMPONENT=path
VM_WIRE="the same session from the VM's side, with its own gaps: what the internet router dropped in either direction is missing at one end"
PAIR_CAUSE=lossy-path; PAIR_COMPONENT=path; PAIR_SEGMENT=between
scenario_setup() {
    lab_start_sshd
    lab_exec in iptables -A FORWARD -p tcp -m statistic --mode random --probability 0.2 -j DROP
}
scenario_check() {
    local got; got=$(stat -c %s "$SSH_OUT")
    [ "$got" -eq 200000 ] || { echo "ssh printed $got bytes, expected 200000"; return 1; }
    local retrans; retrans=$(lab_resent_segments "$1" tcp 1)
    [ "$retrans" -ge 5 ] || { echo "expected at least 5 retransmitted segments, saw $retrans"; return 1; }
}
