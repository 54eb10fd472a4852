# shellcheck shell=bash disable=SC2034
# Sourced by lib.sh (lab_run_scenario) on top of lab_scenario_defaults.
DESCRIPTION="the organisation's edge drops 12% of forwarded TCP packets at random, both directions, behind a LAN router; ssh uploads 300 kB (full-size client segments) and succeeds"
WIRE="the client's ARP for the LAN router, handshake (possibly after SYN retransmissions), full SSH session; the 300 kB upload shows full-size client segments retransmitted, duplicate ACKs and SACKs from the server, but completes"
SSH_CMD='wc -c'
CONNECT_TIMEOUT=20   # SYNs at 0, 1, 3, 7 and 15 s: a 12% loss each way rarely defeats them all
SSH_TIMEOUT=90
ATTEMPTS=3
LIVE_TEST=lab        # the live capture tests run ssh without standard input: no upload there
LAB_LAN_ROUTER=1
EXPECT_CAUSE=lossy-path; EXPECT_COMPONENT=path
VM_WIRE="the same session from the VM's side, with its own gaps: what the edge dropped in either direction is missing at one end"
PAIR_CAUSE=lossy-path; PAIR_COMPONENT=path; PAIR_SEGMENT=between
scenario_setup() {
    lab_start_sshd
    SSH_STDIN="$LAB_TMP/upload"
    head -c 300000 /dev/urandom >"$SSH_STDIN"
    lab_exec oe iptables -A FORWARD -p tcp -m statistic --mode random --probability 0.12 -j DROP
}
scenario_check() {
    local got; got=$(tr -d ' \n' <"$SSH_OUT")
    [ "$got" = 300000 ] || { echo "the VM counted '$got' bytes, expected 300000"; return 1; }
    # Full-size client segments sent again.
    local retrans; retrans=$(lab_resent_segments "$1" "tcp and src host $CL4" 1000)
    [ "$retrans" -ge 3 ] || { echo "expected at least 3 full-size client segments sent again, saw $retrans"; return 1; }
}
