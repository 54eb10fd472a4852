# shellcheck shell=bash
# Failure lab library: builds the namespace topology, starts the VM's services, captures on the
# client (and on the VM) while it runs ssh, and tears everything down again (by PID, never by
# name).
#
#   client ── orgedge ── internet ── cloudedge ── vm
#   client ── lanrouter ── orgedge ── ...            (LAB_LAN_ROUTER=1)
#
# Sourced by tests/lab/record, tests/lab/live_test, tests/live/ and tests/probe/; each scenario
# file in tests/lab/scenarios/ is sourced on top of it, in a subshell of its own. The parts:
# topology.sh (namespaces, links, addresses, routes), services.sh (sshd, fake services, proxies,
# ssh), capture.sh (tcpdump on both ends, wire checks), scenario.sh (running a scenario).
#
# Addresses come only from 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034  # used by record and live_test
LAB_REPO=$(cd "$LAB_DIR/../.." && pwd)
LAB_SCENARIOS="$LAB_DIR/scenarios"
LAB_PYTHON=$(command -v python3)

# --- addresses -------------------------------------------------------------------------------
# link 1  client    eth0 ── eth0 orgedge     198.51.100.0/24   2001:db8:1::/64  (the org's LAN)
# link 2  orgedge   eth1 ── eth0 internet    198.18.2.0/24     2001:db8:2::/64
# link 3  internet  eth1 ── eth0 cloudedge   198.18.3.0/24     2001:db8:3::/64
# link 4  cloudedge eth1 ── eth0 vm          203.0.113.0/24    2001:db8:4::/64  (the VM's subnet)
# With a LAN router (LAB_LAN_ROUTER=1) link 1 is split in two:
# link 1a client    eth0 ── eth0 lanrouter   198.51.100.0/26   2001:db8:1::/64  (the client's LAN)
# link 1b lanrouter eth1 ── eth0 orgedge     198.51.100.64/26  2001:db8:5::/64  (the org's core)
CL4=198.51.100.10;  CL6=2001:db8:1::10
OE4_CL=198.51.100.1; OE6_CL=2001:db8:1::1
OE4_IN=198.18.2.1;   OE6_IN=2001:db8:2::1
IN4_OE=198.18.2.2;   IN6_OE=2001:db8:2::2
IN4_CE=198.18.3.1;   IN6_CE=2001:db8:3::1
CE4_IN=198.18.3.2;   CE6_IN=2001:db8:3::2
CE4_VM=203.0.113.1;  CE6_VM=2001:db8:4::1
VM4=203.0.113.7;     VM6=2001:db8:4::7
# The LAN router and the edge's inside address when there is one (LAB_LAN_ROUTER=1): the
# client's gateway is then LR4_CL (the same address as OE4_CL on the standard topology).
LR4_CL=198.51.100.1;  LR6_CL=2001:db8:1::1
LR4_OE=198.51.100.65; LR6_OE=2001:db8:5::1
OE4_LR=198.51.100.66; OE6_LR=2001:db8:5::2
PROXY_HTTP_PORT=8888
PROXY_SOCKS_PORT=1080

# What the captures keep: TCP, ICMP, ARP and ICMPv6 (errors, echo, neighbour and router
# discovery). MLD reports stay out: they carry a hop-by-hop header, so `icmp6` does not match
# them. A scenario may capture on another interface or with another filter (CAPTURE_IFACE,
# CAPTURE_FILTER, CAPTURE_LINKTYPE).
LAB_CAPTURE_FILTER='arp or tcp or icmp or icmp6'
# The interface the client captures on (inside the client namespace).
LAB_CAPTURE_IFACE=eth0
# The filter of the captures recorded before ARP and neighbour discovery were kept (TCP, ICMP and
# ICMPv6 errors only): the -noarp scenarios are cut from their source's capture with it.
# shellcheck disable=SC2034  # read by the -noarp scenarios
LAB_CAPTURE_FILTER_NOARP='tcp or icmp or (icmp6 and ip6[40] < 128)'

# Bounds (seconds). Everything waits by polling, within these.
LAB_READY_TIMEOUT=${LAB_READY_TIMEOUT:-20}
LAB_QUIET_SECONDS=${LAB_QUIET_SECONDS:-1}
LAB_QUIET_MAX=${LAB_QUIET_MAX:-6}

LAB_PIDS=()
LAB_NAMESPACES=()
LAB_TMP=""

lab_log() { printf '[lab] %s\n' "$*" >&2; }
lab_die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

# lab_reachable_bin BIN DIR: prints a path to BIN that an unprivileged user (nobody) can run.
# A checkout in root's private directory (mktemp -d is 0700) is not: the binary, with the
# rules beside it where it looks for them (../share/sshpath/rules), is then copied into DIR.
lab_reachable_bin() {
    local bin=$1 dir=$2 src
    if setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$bin" 2>/dev/null; then
        echo "$bin"
        return
    fi
    src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    mkdir -p "$dir/bin" "$dir/share/sshpath"
    cp "$bin" "$dir/bin/sshpath"
    cp -r "$src/rules" "$dir/share/sshpath/rules"
    chmod -R a+rX "$dir"
    chmod 755 "$dir/bin/sshpath"
    echo "$dir/bin/sshpath"
}

lab_require_root() {
    [ "$(id -u)" -eq 0 ]
}

# lab_wait_until TIMEOUT CMD...: poll CMD until it succeeds; fails after TIMEOUT seconds.
lab_wait_until() {
    local timeout=$1; shift
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            return 1
        fi
        sleep 0.05
    done
}

# --- privilege-separation directory for sshd, shared between concurrent lab runs ------------
# Every change to the shared state is made under one lock, a flock on /run itself: a lock file
# of our own could be deleted by the last run leaving while the next one opens it, and a run
# could then find the state half gone.
LAB_PRIVSEP_STATE=${LAB_PRIVSEP_STATE:-/run/sshpath-lab}
LAB_PRIVSEP_DIR=${LAB_PRIVSEP_DIR:-/run/sshd}  # where sshd looks for it; elsewhere in a test of these two
lab_privsep_acquire() {
    (
        flock 9
        mkdir -p "$LAB_PRIVSEP_STATE/users"
        if [ ! -d "$LAB_PRIVSEP_DIR" ]; then
            mkdir -m 0755 "$LAB_PRIVSEP_DIR"
            touch "$LAB_PRIVSEP_STATE/created-run-sshd"
        fi
        : >"$LAB_PRIVSEP_STATE/users/$$"
    ) 9</run
}
lab_privsep_release() {
    (
        flock 9
        [ -d "$LAB_PRIVSEP_STATE/users" ] || exit 0
        rm -f "$LAB_PRIVSEP_STATE/users/$$"
        local f others=0
        for f in "$LAB_PRIVSEP_STATE"/users/*; do
            [ -e "$f" ] || continue
            if kill -0 "$(basename "$f")" 2>/dev/null; then others=1; else rm -f "$f"; fi
        done
        [ "$others" -eq 0 ] || exit 0
        if [ -e "$LAB_PRIVSEP_STATE/created-run-sshd" ]; then
            rmdir "$LAB_PRIVSEP_DIR" 2>/dev/null || true
            rm -f "$LAB_PRIVSEP_STATE/created-run-sshd"
        fi
        rmdir "$LAB_PRIVSEP_STATE/users" 2>/dev/null || true
        rm -f "$LAB_PRIVSEP_STATE/lock"  # the lock file of earlier versions
        rmdir "$LAB_PRIVSEP_STATE" 2>/dev/null || true
    ) 9</run
}

# --- keys, made once per run -----------------------------------------------------------------
# lab_make_keys DIR: host key for the VM, a client key it accepts, and one it does not.
lab_make_keys() {
    local dir=$1
    mkdir -p "$dir"
    ssh-keygen -q -t ed25519 -N '' -C lab-host -f "$dir/ssh_host_ed25519_key"
    ssh-keygen -q -t ed25519 -N '' -C lab-client -f "$dir/id_lab"
    ssh-keygen -q -t ed25519 -N '' -C lab-stranger -f "$dir/id_stranger"
    cp "$dir/id_lab.pub" "$dir/authorized_keys"
}

# --- teardown --------------------------------------------------------------------------------
lab_kill_pids() { # SIGNAL PID...
    local sig=$1 pid; shift
    for pid in "$@"; do kill "-$sig" "$pid" 2>/dev/null || true; done
}

# lab_down: stops every process this run started (its own PIDs, and any process still inside
# its namespaces, e.g. sshd's per-connection children), then deletes the namespaces (which
# deletes their veths). Safe to call twice.
lab_down() {
    local ns pids=() deadline alive pid
    for ns in "${LAB_NAMESPACES[@]}"; do
        if [ -e "/run/netns/$ns" ]; then
            while read -r pid; do [ -n "$pid" ] && pids+=("$pid"); done < <(ip netns pids "$ns" 2>/dev/null)
        fi
    done
    pids+=("${LAB_PIDS[@]}")
    if [ "${#pids[@]}" -gt 0 ]; then
        lab_kill_pids TERM "${pids[@]}"
        deadline=$((SECONDS + 5))
        while :; do
            alive=()
            for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
            [ "${#alive[@]}" -eq 0 ] && break
            if [ "$SECONDS" -ge "$deadline" ]; then lab_kill_pids KILL "${alive[@]}"; break; fi
            sleep 0.05
        done
        for pid in "${LAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    fi
    LAB_PIDS=()
    for ns in "${LAB_NAMESPACES[@]}"; do
        if [ -e "/run/netns/$ns" ]; then ip netns del "$ns" 2>/dev/null || true; fi
    done
    LAB_NAMESPACES=()
}

# The parts of the library.
# shellcheck source=tests/lab/topology.sh
. "$LAB_DIR/topology.sh"
# shellcheck source=tests/lab/services.sh
. "$LAB_DIR/services.sh"
# shellcheck source=tests/lab/capture.sh
. "$LAB_DIR/capture.sh"
# shellcheck source=tests/lab/scenario.sh
. "$LAB_DIR/scenario.sh"
