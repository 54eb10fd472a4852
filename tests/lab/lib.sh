# shellcheck shell=bash
# Failure lab library: builds the five-namespace topology, starts the VM's services, captures
# on the client while it runs ssh, and tears everything down again (by PID, never by name).
#
#   client ── orgedge ── internet ── cloudedge ── vm
#
# Sourced by tests/lab/record and tests/lab/live_test; each scenario file in
# tests/lab/scenarios/ is sourced on top of it, in a subshell of its own.
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
CL4=198.51.100.10;  CL6=2001:db8:1::10
OE4_CL=198.51.100.1; OE6_CL=2001:db8:1::1
OE4_IN=198.18.2.1;   OE6_IN=2001:db8:2::1
IN4_OE=198.18.2.2;   IN6_OE=2001:db8:2::2
IN4_CE=198.18.3.1;   IN6_CE=2001:db8:3::1
CE4_IN=198.18.3.2;   CE6_IN=2001:db8:3::2
CE4_VM=203.0.113.1;  CE6_VM=2001:db8:4::1
VM4=203.0.113.7;     VM6=2001:db8:4::7
PROXY_HTTP_PORT=8888
PROXY_SOCKS_PORT=1080

# The interface the client captures on (inside the client namespace).
LAB_CAPTURE_IFACE=eth0
# Only TCP, ICMP and ICMPv6 errors (types < 128): no ARP, neighbour discovery, MLD or RS noise.
LAB_CAPTURE_FILTER='tcp or icmp or (icmp6 and ip6[40] < 128)'

# Bounds (seconds). Everything waits by polling, within these.
LAB_READY_TIMEOUT=${LAB_READY_TIMEOUT:-20}
LAB_QUIET_SECONDS=${LAB_QUIET_SECONDS:-1}
LAB_QUIET_MAX=${LAB_QUIET_MAX:-6}

LAB_PIDS=()
LAB_NAMESPACES=()
LAB_TMP=""

lab_log() { printf '[lab] %s\n' "$*" >&2; }
lab_die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

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
LAB_PRIVSEP_STATE=/run/sshpath-lab
lab_privsep_acquire() {
    mkdir -p "$LAB_PRIVSEP_STATE/users"
    (
        flock 9
        if [ ! -d /run/sshd ]; then
            mkdir -m 0755 /run/sshd
            touch "$LAB_PRIVSEP_STATE/created-run-sshd"
        fi
        : >"$LAB_PRIVSEP_STATE/users/$$"
    ) 9>"$LAB_PRIVSEP_STATE/lock"
}
lab_privsep_release() {
    [ -d "$LAB_PRIVSEP_STATE/users" ] || return 0
    (
        flock 9
        rm -f "$LAB_PRIVSEP_STATE/users/$$"
        local f others=0
        for f in "$LAB_PRIVSEP_STATE"/users/*; do
            [ -e "$f" ] || continue
            if kill -0 "$(basename "$f")" 2>/dev/null; then others=1; else rm -f "$f"; fi
        done
        if [ "$others" -eq 0 ]; then
            if [ -e "$LAB_PRIVSEP_STATE/created-run-sshd" ]; then
                rmdir /run/sshd 2>/dev/null || true
                rm -f "$LAB_PRIVSEP_STATE/created-run-sshd"
            fi
        fi
    ) 9>"$LAB_PRIVSEP_STATE/lock"
    if rmdir "$LAB_PRIVSEP_STATE/users" 2>/dev/null; then
        rm -f "$LAB_PRIVSEP_STATE/lock"
        rmdir "$LAB_PRIVSEP_STATE" 2>/dev/null || true
    fi
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

# --- topology --------------------------------------------------------------------------------
# lab_ns ROLE: the namespace name of a role (cl oe in ce vm) in this run.
lab_ns() { printf '%s-%s' "$LAB_PREFIX" "$1"; }
lab_exec() { local ns; ns=$(lab_ns "$1"); shift; ip netns exec "$ns" "$@"; }

# lab_veth ROLE_A IF_A ROLE_B IF_B [MTU]: a veth pair created straight inside the two namespaces.
# gso_max_segs 1 makes TCP hand the device single segments, so the capture shows packets as
# they are on a real wire instead of 64 KB TSO super-packets.
lab_veth() {
    local a b mtu=${5:-1500}
    a=$(lab_ns "$1"); b=$(lab_ns "$3")
    ip link add "$2" netns "$a" mtu "$mtu" gso_max_segs 1 type veth \
        peer name "$4" netns "$b" mtu "$mtu" gso_max_segs 1
    lab_no_offload "$a" "$2"
    lab_no_offload "$b" "$4"
    ip -n "$a" link set "$2" up
    ip -n "$b" link set "$4" up
}

# lab_no_offload NS IFACE: checksums computed in software, no TSO/GSO, so the capture holds
# correct checksums and MTU-sized packets as a physical wire would (needs ethtool).
LAB_ETHTOOL=$(command -v ethtool || true)
lab_no_offload() {
    if [ -n "$LAB_ETHTOOL" ]; then
        ip netns exec "$1" "$LAB_ETHTOOL" -K "$2" tx off tso off gso off >/dev/null 2>&1 || true
    elif [ -z "${LAB_WARNED_ETHTOOL:-}" ]; then
        LAB_WARNED_ETHTOOL=1
        lab_log "ethtool not found: captures will show TCP checksums as incorrect (offload)"
    fi
}

lab_addr() { # ROLE IFACE ADDR/LEN
    local ns; ns=$(lab_ns "$1")
    case $3 in
        *:*) ip -n "$ns" -6 addr add "$3" dev "$2" nodad ;;
        *) ip -n "$ns" addr add "$3" dev "$2" ;;
    esac
}

# lab_up: creates the five namespaces, links, addresses and static routes. LAB_PREFIX and
# LAB_TMP must be set.
lab_up() {
    local role ns
    for role in cl oe in ce vm; do
        ns=$(lab_ns "$role")
        ip netns add "$ns"
        LAB_NAMESPACES+=("$ns")
        ip -n "$ns" link set lo up
        # No duplicate address detection: otherwise the veths' link-local addresses stay
        # tentative for about 2 s and the first IPv6 packets wait in neighbour discovery (the
        # client's SYN would be retransmitted before anything answers).
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.default.accept_dad=0
    done
    for role in oe in ce; do
        lab_exec "$role" sysctl -qw net.ipv4.ip_forward=1
        lab_exec "$role" sysctl -qw net.ipv6.conf.all.forwarding=1
    done

    lab_veth cl eth0 oe eth0
    lab_veth oe eth1 in eth0
    lab_veth in eth1 ce eth0 "${LAB_CORE_MTU:-1500}"
    lab_veth ce eth1 vm eth0

    lab_addr cl eth0 "$CL4/24";    lab_addr cl eth0 "$CL6/64"
    lab_addr oe eth0 "$OE4_CL/24"; lab_addr oe eth0 "$OE6_CL/64"
    lab_addr oe eth1 "$OE4_IN/24"; lab_addr oe eth1 "$OE6_IN/64"
    lab_addr in eth0 "$IN4_OE/24"; lab_addr in eth0 "$IN6_OE/64"
    lab_addr in eth1 "$IN4_CE/24"
    lab_addr ce eth0 "$CE4_IN/24"
    # IPv6 needs an MTU of at least 1280: a thinner core link carries IPv4 only.
    local core_v6=1
    [ "${LAB_CORE_MTU:-1500}" -ge 1280 ] || core_v6=0
    if [ "$core_v6" -eq 1 ]; then
        lab_addr in eth1 "$IN6_CE/64"
        lab_addr ce eth0 "$CE6_IN/64"
    fi
    lab_addr ce eth1 "$CE4_VM/24"; lab_addr ce eth1 "$CE6_VM/64"
    lab_addr vm eth0 "$VM4/24";    lab_addr vm eth0 "$VM6/64"

    ip -n "$(lab_ns cl)" route add default via "$OE4_CL"
    ip -n "$(lab_ns cl)" -6 route add default via "$OE6_CL"
    ip -n "$(lab_ns oe)" route add default via "$IN4_OE"
    ip -n "$(lab_ns oe)" -6 route add default via "$IN6_OE"
    ip -n "$(lab_ns in)" route add 198.51.100.0/24 via "$OE4_IN"
    ip -n "$(lab_ns in)" -6 route add 2001:db8:1::/64 via "$OE6_IN"
    ip -n "$(lab_ns in)" route add 203.0.113.0/24 via "$CE4_IN"
    ip -n "$(lab_ns ce)" route add default via "$IN4_CE"
    if [ "$core_v6" -eq 1 ]; then
        ip -n "$(lab_ns in)" -6 route add 2001:db8:4::/64 via "$CE6_IN"
        ip -n "$(lab_ns ce)" -6 route add default via "$IN6_CE"
    fi
    ip -n "$(lab_ns vm)" route add default via "$CE4_VM"
    ip -n "$(lab_ns vm)" -6 route add default via "$CE6_VM"
}

# lab_bg ROLE LOG CMD...: starts CMD in ROLE's namespace in the background, remembers its PID.
# `ip netns exec` execs CMD, so the PID is CMD's own.
LAB_LAST_PID=""
lab_bg() {
    local ns log=$2
    ns=$(lab_ns "$1"); shift 2
    ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
    LAB_LAST_PID=$!
    LAB_PIDS+=("$LAB_LAST_PID")
}

# lab_listening ROLE PORT: true when something listens on TCP PORT in ROLE's namespace.
lab_listening() {
    lab_exec "$1" ss -Hltn "sport = :$2" | grep -q .
}
lab_listening_both() { # ROLE PORT: listening on IPv4 and IPv6
    local out
    out=$(lab_exec "$1" ss -Hltn "sport = :$2")
    grep -q '\[' <<<"$out" && grep -qv '\[' <<<"$out"
}

lab_wait_listening() { # ROLE PORT WHAT [both]
    local check=lab_listening
    [ "${4:-}" = both ] && check=lab_listening_both
    lab_wait_until "$LAB_READY_TIMEOUT" "$check" "$1" "$2" \
        || lab_die "$3 did not start listening on port $2 within ${LAB_READY_TIMEOUT}s"
}

# --- services on the VM and the edge ---------------------------------------------------------
# lab_start_sshd [EXTRA CONFIG LINES...]: the real OpenSSH server on vm:22 (v4 and v6).
# shellcheck disable=SC2120  # scenarios may pass extra sshd_config lines
lab_start_sshd() {
    local conf="$LAB_TMP/sshd_config" line
    {
        echo "Port 22"
        echo "ListenAddress 0.0.0.0"
        echo "ListenAddress ::"
        echo "HostKey $LAB_KEYS/ssh_host_ed25519_key"
        echo "PidFile $LAB_TMP/sshd.pid"
        echo "AuthorizedKeysFile $LAB_KEYS/authorized_keys"
        echo "UsePAM no"
        echo "StrictModes no"
        echo "PermitRootLogin prohibit-password"
        echo "PasswordAuthentication no"
        echo "KbdInteractiveAuthentication no"
        echo "PrintMotd no"
        echo "LogLevel VERBOSE"
        for line in "$@"; do echo "$line"; done
    } >"$conf"
    lab_bg vm "$LAB_TMP/sshd.log" /usr/sbin/sshd -D -e -f "$conf"
    lab_wait_listening vm 22 sshd both
}

# lab_start_listener MODE [TEXT]: the fake services of tests/lab/listener.py on vm:22.
lab_start_listener() {
    lab_bg vm "$LAB_TMP/listener.log" "$LAB_PYTHON" "$LAB_DIR/listener.py" --port 22 "$@"
    lab_wait_listening vm 22 "listener ($1)" both
}

# lab_start_listener_on ROLE PORT BIND MODE [TEXT]: a listener.py service on another port or
# host. BIND "" listens on every IPv4 and IPv6 address of ROLE; otherwise on BIND only.
lab_start_listener_on() {
    local role=$1 port=$2 bind=$3; shift 3
    local args=(--port "$port") both=both
    if [ -n "$bind" ]; then args+=(--bind "$bind"); both=""; fi
    lab_bg "$role" "$LAB_TMP/listener-$role-$port.log" "$LAB_PYTHON" "$LAB_DIR/listener.py" \
        "${args[@]}" "$@"
    lab_wait_listening "$role" "$port" "listener ($1) on $role" $both
}

# lab_control_connect ADDRESS PORT: from the client, a TCP connection that opens and closes at
# once (nc -z), e.g. to another port of the VM before ssh runs, so that the capture holds the
# server's own packets (its hop distance) from a port that answers.
lab_control_connect() {
    lab_exec cl nc -z -w 3 "$1" "$2" \
        || { echo "the control connection to $1 port $2 failed" >&2; return 1; }
}

# lab_pinger_start ADDRESS INTERVAL COUNT: ICMP echo requests from the client in the background
# (tests/lab/pinger.py); LAB_PINGER_PID is its PID, lab_pinger_wait waits for it to finish.
LAB_PINGER_PID=""
lab_pinger_start() {
    lab_bg cl "$LAB_TMP/pinger.log" "$LAB_PYTHON" "$LAB_DIR/pinger.py" "$1" "$2" "$3"
    LAB_PINGER_PID=$LAB_LAST_PID
}
lab_pinger_wait() {
    [ -n "$LAB_PINGER_PID" ] || return 0
    local rc=0
    wait "$LAB_PINGER_PID" || rc=$?
    LAB_PINGER_PID=""
    [ "$rc" -eq 0 ] || { echo "the pinger failed: $(cat "$LAB_TMP/pinger.log")" >&2; return 1; }
}

# lab_start_tinyproxy: HTTP proxy on orgedge that allows CONNECT to port 443 only.
lab_start_tinyproxy() {
    local conf="$LAB_TMP/tinyproxy.conf"
    cat >"$conf" <<EOF
Port $PROXY_HTTP_PORT
Listen $OE4_CL
Timeout 30
LogLevel Info
MaxClients 10
Allow 198.51.100.0/24
ConnectPort 443
EOF
    lab_bg oe "$LAB_TMP/tinyproxy.log" /usr/bin/tinyproxy -d -c "$conf"
    lab_wait_listening oe "$PROXY_HTTP_PORT" tinyproxy
}

# lab_start_danted: SOCKS5 proxy on orgedge whose rules block port 22.
lab_start_danted() {
    local conf="$LAB_TMP/danted.conf"
    cat >"$conf" <<EOF
logoutput: stderr
internal: $OE4_CL port = $PROXY_SOCKS_PORT
external: $OE4_IN
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 198.51.100.0/24 to: 0.0.0.0/0 log: connect error }
socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 port = 22 log: connect error }
socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 log: connect error }
EOF
    lab_bg oe "$LAB_TMP/danted.log" /usr/sbin/danted -f "$conf" -p "$LAB_TMP/danted.pid"
    lab_wait_listening oe "$PROXY_SOCKS_PORT" danted
}

# --- capture ---------------------------------------------------------------------------------
LAB_TCPDUMP_PID=""
lab_capture_start() { # PCAP [SNAPLEN]
    local pcap=$1 snaplen=${2:-0} err="$LAB_TMP/tcpdump.err"
    lab_bg cl "$err" tcpdump -n -i "$LAB_CAPTURE_IFACE" -w "$pcap" -U -s "$snaplen" -Z root \
        "$LAB_CAPTURE_FILTER"
    LAB_TCPDUMP_PID=$LAB_LAST_PID
    lab_wait_until "$LAB_READY_TIMEOUT" grep -q 'listening on' "$err" \
        || lab_die "tcpdump did not start: $(cat "$err")"
}

# lab_capture_stop PCAP: waits until no packet arrived for LAB_QUIET_SECONDS (at most
# LAB_QUIET_MAX seconds), then stops tcpdump with SIGINT.
lab_capture_stop() {
    local pcap=$1 last size quiet_since deadline
    deadline=$((SECONDS + LAB_QUIET_MAX))
    last=$(stat -c %s "$pcap" 2>/dev/null || echo 0)
    quiet_since=$(date +%s.%N)
    while [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.1
        size=$(stat -c %s "$pcap" 2>/dev/null || echo 0)
        if [ "$size" != "$last" ]; then
            last=$size
            quiet_since=$(date +%s.%N)
        elif awk -v a="$quiet_since" -v b="$(date +%s.%N)" -v q="$LAB_QUIET_SECONDS" \
                'BEGIN { exit !(b - a >= q) }'; then
            break
        fi
    done
    if [ -n "$LAB_TCPDUMP_PID" ]; then
        kill -INT "$LAB_TCPDUMP_PID" 2>/dev/null || true
        wait "$LAB_TCPDUMP_PID" 2>/dev/null || true
        LAB_TCPDUMP_PID=""
    fi
}

# lab_wire PCAP: one line per packet (tcpdump -v, continuation lines joined), for checks.
lab_wire() {
    tcpdump -n -v -r "$1" 2>/dev/null | awk '
        /^[ \t]/ { line = line " " $0; next }
        { if (line != "") print line; line = $0 }
        END { if (line != "") print line }'
}
# lab_wire_count PCAP ERE: how many packets match.
lab_wire_count() {
    lab_wire "$1" | grep -cE "$2" || true
}
# lab_wire_tt PCAP: as lab_wire, each line starting with the packet's epoch time (tcpdump -tt).
lab_wire_tt() {
    tcpdump -n -tt -v -r "$1" 2>/dev/null | awk '
        /^[ \t]/ { line = line " " $0; next }
        { if (line != "") print line; line = $0 }
        END { if (line != "") print line }'
}
# lab_seconds_after PCAP ERE: seconds from the first packet matching ERE to the capture's last
# packet (prints nothing when no packet matches).
lab_seconds_after() {
    lab_wire_tt "$1" | LAB_RE=$2 awk 'BEGIN { re = ENVIRON["LAB_RE"] }
        first == "" && $0 ~ re { first = $1 }
        { last = $1 }
        END { if (first != "") printf "%.3f\n", last - first }'
}
# lab_wire_last PCAP: the capture's last packet (one line, as lab_wire).
lab_wire_last() {
    lab_wire "$1" | tail -n 1
}

# --- ssh -------------------------------------------------------------------------------------
# lab_ssh OUT ERR TARGET CONNECT_TIMEOUT OVERALL_TIMEOUT KEY CMD [EXTRA OPTIONS...]
# Runs the real ssh client in the client namespace; returns its exit status.
lab_ssh() {
    local out=$1 err=$2 target=$3 ct=$4 overall=$5 key=$6 cmd=$7
    shift 7
    local rc=0
    env -u SSH_AUTH_SOCK ip netns exec "$(lab_ns cl)" \
        timeout --foreground -k 2 "$overall" ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o ConnectTimeout="$ct" -o IdentitiesOnly=yes \
        -i "$key" -vvv "$@" "root@$target" "$cmd" >"$out" 2>"$err" </dev/null || rc=$?
    return "$rc"
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

# --- scenarios -------------------------------------------------------------------------------
lab_scenario_names() {
    local f
    for f in "$LAB_SCENARIOS"/*.sh; do basename "$f" .sh; done
}

# Defaults a scenario file may override.
lab_scenario_defaults() {
    DESCRIPTION=""; WIRE=""
    SSH_ERROR_RE=""       # ERE: a line of ssh's stderr that must appear ("" = ssh must succeed)
    SSH_ERROR_MESSAGE=""  # set by the run: the first stderr line that matched
    SSH_ERROR_TEXT=""     # overrides ssh_error in expected.json when ssh prints no error line
    EXPECT_CAUSE=""; EXPECT_COMPONENT=""; EXPECT_CANDIDATES=()
    TARGET=$VM4
    CONNECT_TIMEOUT=8     # SYN at 0, 1, 3 and 7 s before ssh gives up
    SSH_TIMEOUT=30        # overall bound for ssh (ConnectTimeout does not cover key exchange)
    SSH_KEY=id_lab
    SSH_CMD=true
    SSH_EXTRA=()
    SNAPLEN=0
    ATTEMPTS=1            # scenarios with randomness may retry from fresh namespaces
    LAB_CORE_MTU=1500
    DERIVED_FROM=""       # a derived capture: cut by scenario_derive from this scenario's fresh one
    # shellcheck disable=SC2119
    scenario_setup() { lab_start_sshd; }
    scenario_before_ssh() { :; }   # runs once the capture is on, just before ssh
    scenario_after_ssh() { :; }    # runs once ssh has exited, before the capture is stopped
    scenario_check() { :; }
    scenario_derive() { echo "scenario_derive is not defined" >&2; return 1; }  # IN_PCAP OUT_PCAP
}

# lab_scenario_source NAME: the scenario a derived scenario is cut from ("" for a recorded one).
lab_scenario_source() {
    (
        lab_scenario_defaults
        # shellcheck source=/dev/null
        . "$LAB_SCENARIOS/$1.sh"
        printf '%s\n' "$DERIVED_FROM"
    )
}

# lab_with_sources NAME...: the names in order, each derived scenario preceded by the scenario
# it is cut from (added when not in the list, moved before it when listed after it), no name
# twice. One name per line.
lab_with_sources() {
    local n src seen=" "
    for n in "$@"; do
        src=$(lab_scenario_source "$n")
        if [ -n "$src" ] && [[ $seen != *" $src "* ]]; then
            printf '%s\n' "$src"; seen+="$src "
        fi
        if [[ $seen != *" $n "* ]]; then
            printf '%s\n' "$n"; seen+="$n "
        fi
    done
}

# lab_write_expected NAME FILE: the scenario's expected.json.
lab_write_expected() {
    local name=$1 file=$2
    LAB_J_NAME=$name LAB_J_DESC=$DESCRIPTION LAB_J_WIRE=$WIRE LAB_J_ERR=$SSH_ERROR_MESSAGE \
    LAB_J_CAUSE=$EXPECT_CAUSE LAB_J_COMP=$EXPECT_COMPONENT \
    LAB_J_CANDS="${EXPECT_CANDIDATES[*]}" LAB_J_CUT_FROM="${DERIVED_FROM:-}" \
    "$LAB_PYTHON" - "$file" <<'EOF'
import json, os, sys
e = os.environ
expect = {"cause": e["LAB_J_CAUSE"], "component": e["LAB_J_COMP"]}
if e["LAB_J_COMP"] == "unknown":
    expect["candidates"] = e["LAB_J_CANDS"].split()
doc = {"scenario": e["LAB_J_NAME"], "description": e["LAB_J_DESC"], "wire": e["LAB_J_WIRE"],
       "ssh_error": e["LAB_J_ERR"], "expect": expect}
if e.get("LAB_J_CUT_FROM"):
    doc["cut_from"] = e["LAB_J_CUT_FROM"] + ".pcap"
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, ensure_ascii=False)
    f.write("\n")
EOF
}

# lab_run_scenario NAME OUTDIR [SRCDIR]: in a subshell of its own (send its stderr to a file, not a pipe), builds fresh namespaces, sets the
# scenario up, captures while ssh runs, checks ssh's error and the wire, and writes
# OUTDIR/NAME.pcap, NAME.ssh.txt and NAME.expected.json. Needs LAB_KEYS. Returns non-zero
# when the scenario did not behave as it should (the files are then not trustworthy).
# A derived scenario (DERIVED_FROM) builds nothing: it cuts SRCDIR/SOURCE.pcap (default
# SRCDIR: OUTDIR), which the caller must have recorded just before (see lab_with_sources).
lab_run_scenario() {
    local name=$1 outdir=$2 srcdir=${3:-$2} file="$LAB_SCENARIOS/$1.sh"
    [ -f "$file" ] || { lab_log "no such scenario: $name"; return 2; }
    (
        set -euo pipefail
        lab_scenario_defaults
        # shellcheck source=/dev/null
        . "$file"
        if [ -n "$DERIVED_FROM" ]; then
            lab_derive "$name" "$outdir" "$srcdir"
            exit 0
        fi
        local attempt=1 why="" rc errfile
        errfile=$(mktemp "${TMPDIR:-/tmp}/sshpath-lab-err.XXXXXX")
        trap 'rm -f "$errfile"' EXIT
        trap 'exit 130' INT TERM
        while :; do
            # Never call a subshell that relies on set -e from a condition (bash then ignores
            # set -e inside it): switch errexit off around the call instead.
            set +e
            lab_attempt "$name" "$outdir" 2>"$errfile" >/dev/null
            rc=$?
            set -e
            why=$(cat "$errfile")
            [ "$rc" -eq 0 ] && break
            [ "$rc" -eq 130 ] && exit 130
            if [ "$attempt" -ge "$ATTEMPTS" ]; then
                printf '%s\n' "$why" >&2
                exit 1
            fi
            lab_log "$name: attempt $attempt did not behave ($why); retrying"
            attempt=$((attempt + 1))
        done
    )
}

# One attempt, in its own subshell with its own namespaces and temp dir; cleans up on any exit.
# Prints the reason on stderr and fails when the scenario misbehaved.
lab_attempt() {
    local name=$1 outdir=$2
    (
        set -euo pipefail
        LAB_PREFIX="sp${BASHPID}"
        LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sshpath-lab.XXXXXX")
        LAB_PIDS=(); LAB_NAMESPACES=()
        # Cleanup must survive the signal that triggered it. (Callers send this subshell's
        # stderr to a file, not a pipe: bash reports a child killed by a signal on stderr, and a
        # pipe whose reader is gone would kill the subshell with SIGPIPE before it cleaned up.)
        trap 'trap "" INT TERM; lab_down >/dev/null 2>&1; rm -rf "$LAB_TMP"' EXIT
        trap 'exit 130' INT TERM

        lab_up
        scenario_setup

        local pcap="$LAB_TMP/capture.pcap" rc=0
        lab_capture_start "$pcap" "$SNAPLEN"
        scenario_before_ssh
        lab_ssh "$LAB_TMP/ssh.out" "$LAB_TMP/ssh.err" "$TARGET" "$CONNECT_TIMEOUT" \
            "$SSH_TIMEOUT" "$LAB_KEYS/$SSH_KEY" "$SSH_CMD" "${SSH_EXTRA[@]}" || rc=$?
        scenario_after_ssh
        lab_capture_stop "$pcap"
        # shellcheck disable=SC2034  # for scenario_check
        SSH_OUT="$LAB_TMP/ssh.out"

        # Did ssh fail (or succeed) the way the scenario says?
        if [ -z "$SSH_ERROR_RE" ]; then
            [ "$rc" -eq 0 ] || { echo "ssh exited $rc, expected success: $(grep -v '^debug' "$LAB_TMP/ssh.err" | tail -n 3 | tr '\n' ' ')" >&2; exit 1; }
        else
            [ "$rc" -ne 0 ] || { echo "ssh succeeded, expected a failure matching /$SSH_ERROR_RE/" >&2; exit 1; }
            # The first matching line that ssh prints without -v; a debug line only when no other.
            SSH_ERROR_MESSAGE=$(LAB_RE=$SSH_ERROR_RE awk 'BEGIN { re = ENVIRON["LAB_RE"] }
                { sub(/\r$/, "") }
                $0 ~ re && !/^debug/ { print; found = 1; exit }
                $0 ~ re && first == "" { first = $0 }
                END { if (!found && first != "") print first }' "$LAB_TMP/ssh.err")
            SSH_ERROR_MESSAGE=${SSH_ERROR_MESSAGE//$'\r'/}
            [ -n "$SSH_ERROR_MESSAGE" ] || { echo "ssh (exit $rc) printed no line matching /$SSH_ERROR_RE/: $(grep -v '^debug' "$LAB_TMP/ssh.err" | tail -n 3 | tr '\n' ' ')" >&2; exit 1; }
        fi
        # Does the wire show what the scenario says?
        local problem
        problem=$(scenario_check "$pcap" 2>&1) || { echo "wire check: $problem" >&2; exit 1; }

        mkdir -p "$outdir"
        cp "$pcap" "$outdir/$name.pcap"
        sed -e "s#$LAB_TMP#/tmp/sshpath-lab#g" -e "s#$LAB_KEYS#/tmp/sshpath-lab/keys#g" \
            "$LAB_TMP/ssh.err" >"$outdir/$name.ssh.txt"
        [ -z "${SSH_ERROR_TEXT:-}" ] || SSH_ERROR_MESSAGE=$SSH_ERROR_TEXT
        lab_write_expected "$name" "$outdir/$name.expected.json"
    )
}

# lab_derive NAME OUTDIR SRCDIR: a derived scenario (its file already sourced): cuts
# SRCDIR/DERIVED_FROM.pcap with scenario_derive, checks the result with scenario_check and
# writes OUTDIR/NAME.pcap, NAME.ssh.txt (the source's: the same ssh run) and NAME.expected.json
# (with "cut_from"). Prints the reason on stderr and fails when the cut does not show what the
# scenario says.
lab_derive() {
    local name=$1 outdir=$2 srcdir=$3
    (
        set -euo pipefail
        local src=$DERIVED_FROM tmp problem
        if [ ! -f "$srcdir/$src.pcap" ] || [ ! -f "$srcdir/$src.expected.json" ]; then
            echo "no fresh recording of $src (the scenario it is cut from) in $srcdir" >&2
            exit 1
        fi
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/sshpath-lab.XXXXXX")
        trap 'rm -rf "$tmp"' EXIT
        scenario_derive "$srcdir/$src.pcap" "$tmp/capture.pcap" >"$tmp/derive.err" 2>&1 \
            || { echo "cutting $src.pcap failed: $(tr '\n' ' ' <"$tmp/derive.err")" >&2; exit 1; }
        problem=$(scenario_check "$tmp/capture.pcap" 2>&1) \
            || { echo "wire check (cut from $src.pcap): $problem" >&2; exit 1; }
        SSH_ERROR_MESSAGE=$("$LAB_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["ssh_error"])' \
            "$srcdir/$src.expected.json")
        mkdir -p "$outdir"
        cp "$tmp/capture.pcap" "$outdir/$name.pcap"
        if [ "$srcdir/$src.ssh.txt" != "$outdir/$name.ssh.txt" ]; then
            cp "$srcdir/$src.ssh.txt" "$outdir/$name.ssh.txt"
        fi
        lab_write_expected "$name" "$outdir/$name.expected.json"
    )
}

# Wire-check helpers for scenario_check (each prints what is wrong and fails).
want_at_least() { # PCAP N ERE WHAT
    local n; n=$(lab_wire_count "$1" "$3")
    [ "$n" -ge "$2" ] || { echo "expected at least $2 $4, saw $n"; return 1; }
}
want_none() { # PCAP ERE WHAT
    local n; n=$(lab_wire_count "$1" "$2")
    [ "$n" -eq 0 ] || { echo "expected no $3, saw $n"; return 1; }
}
want_exactly() { # PCAP N ERE WHAT
    local n; n=$(lab_wire_count "$1" "$3")
    [ "$n" -eq "$2" ] || { echo "expected exactly $2 $4, saw $n"; return 1; }
}
want_last() { # PCAP ERE WHAT: the capture's last packet matches
    lab_wire_last "$1" | grep -qE "$2" || { echo "expected the last packet to be $3, it is: $(lab_wire_last "$1")"; return 1; }
}
want_seconds_after() { # PCAP ERE MIN WHAT: the capture goes on at least MIN s after the first match
    local s; s=$(lab_seconds_after "$1" "$2")
    [ -n "$s" ] || { echo "expected $4, saw none"; return 1; }
    awk -v s="$s" -v m="$3" 'BEGIN { exit !(s >= m) }' \
        || { echo "expected the capture to go on at least $3 s after $4, it ends $s s after it"; return 1; }
}
