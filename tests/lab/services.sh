# shellcheck shell=bash
# Failure lab: the services on the VM and the edge, and the ssh client (sourced by lib.sh).

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

# lab_start_tinyproxy [PORT]: HTTP proxy on orgedge that allows CONNECT to PORT only (443 unless
# told: with 22 it accepts the client's CONNECT and tries to reach the server).
lab_start_tinyproxy() {
    local conf="$LAB_TMP/tinyproxy.conf" port=${1:-443}
    cat >"$conf" <<EOF
Port $PROXY_HTTP_PORT
Listen $OE4_CL
Timeout 30
LogLevel Info
MaxClients 10
Allow 198.51.100.0/24
ConnectPort $port
EOF
    lab_bg oe "$LAB_TMP/tinyproxy.log" /usr/bin/tinyproxy -d -c "$conf"
    lab_wait_listening oe "$PROXY_HTTP_PORT" tinyproxy
}

# lab_start_danted [allow-22]: SOCKS5 proxy on orgedge whose rules block port 22 (with
# "allow-22", they pass it: the proxy accepts the client's CONNECT and tries to reach the server).
lab_start_danted() {
    local conf="$LAB_TMP/danted.conf" block="socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 port = 22 log: connect error }"
    [ "${1:-}" != allow-22 ] || block="# port 22 allowed"
    cat >"$conf" <<EOF
logoutput: stderr
internal: $OE4_CL port = $PROXY_SOCKS_PORT
external: $OE4_IN
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 198.51.100.0/24 to: 0.0.0.0/0 log: connect error }
$block
socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 log: connect error }
EOF
    lab_bg oe "$LAB_TMP/danted.log" /usr/sbin/danted -f "$conf" -p "$LAB_TMP/danted.pid"
    lab_wait_listening oe "$PROXY_SOCKS_PORT" danted
}

# --- ssh -------------------------------------------------------------------------------------
# lab_ssh OUT ERR TARGET CONNECT_TIMEOUT OVERALL_TIMEOUT KEY CMD [EXTRA OPTIONS...]
# Runs the real ssh client in the client namespace, its standard input SSH_STDIN (a file; default
# /dev/null); returns its exit status.
lab_ssh() {
    local out=$1 err=$2 target=$3 ct=$4 overall=$5 key=$6 cmd=$7
    shift 7
    local rc=0
    env -u SSH_AUTH_SOCK ip netns exec "$(lab_ns cl)" \
        timeout --foreground -k 2 "$overall" ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o ConnectTimeout="$ct" -o IdentitiesOnly=yes \
        -i "$key" -vvv "$@" "root@$target" "$cmd" >"$out" 2>"$err" <"${SSH_STDIN:-/dev/null}" || rc=$?
    return "$rc"
}

# lab_other_client_session ADDRESS: a whole ssh session to TARGET from another address of the
# client (bound with -b), which must work: the scenarios where a block singles out one client.
lab_other_client_session() {
    lab_ssh "$LAB_TMP/other.out" "$LAB_TMP/other.err" "$TARGET" "$CONNECT_TIMEOUT" "$SSH_TIMEOUT" \
        "$LAB_KEYS/$SSH_KEY" true -b "$1" \
        || { echo "the session from $1 failed: $(grep -v '^debug' "$LAB_TMP/other.err" | tail -n 2 | tr '\n' ' ')" >&2; return 1; }
}

