# shellcheck shell=bash disable=SC2034,SC1091  # variables are for the scripts that source this file
# Shared by the tests/live/ scripts: `sshpath capture` and `sshpath run` end to end, inside the
# failure lab's network namespaces (tests/lab/lib.sh, sourced, never edited here).
#
# A script sources this file with SSHPATH_BIN as $1, then calls live_init NAME [TOOLS...] and
# uses live_lab_begin / live_lab_end around its checks. Everything runs inside namespaces the
# script creates (named sp<PID>-*), with addresses from the lab's documentation ranges; every
# process is stopped by PID and every namespace deleted on exit, failure, Ctrl-C or SIGTERM.

. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../lab" && pwd)/lib.sh"

LIVE_PASSED=0
LIVE_FAILED=0
LIVE_START=$SECONDS
LIVE_WORK=""
LIVE_NAME=""
LIVE_BIN=""

live_pass() { printf 'PASS %s\n' "$*"; LIVE_PASSED=$((LIVE_PASSED + 1)); }
live_fail() { printf 'FAIL %s\n' "$*"; LIVE_FAILED=$((LIVE_FAILED + 1)); }
# live_check NAME CMD...: PASS when CMD succeeds, else FAIL with CMD's output.
live_check() {
    local name=$1 out; shift
    if out=$("$@" 2>&1); then live_pass "$name"; else live_fail "$name: $(tr '\n' ' ' <<<"$out" | head -c 600)"; fi
}

# live_init NAME BIN [TOOL...]: exits 77 (skipped) when not root, when a tool is missing or when
# namespaces cannot be made; makes the work dir and the lab's keys.
live_init() {
    LIVE_NAME=$1
    local bin=$2 tool missing=() probe
    shift 2
    if [ -z "$bin" ]; then
        echo "usage: $LIVE_NAME SSHPATH_BIN" >&2
        exit 2
    fi
    if ! lab_require_root; then
        echo "$LIVE_NAME: skipped: needs root (it creates network namespaces, captures packets and changes users)"
        exit 77
    fi
    for tool in ip ssh ssh-keygen /usr/sbin/sshd tcpdump iptables timeout flock "$LAB_PYTHON" "$@"; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "$LIVE_NAME: skipped: missing tools: ${missing[*]} (scripts/install-deps installs them)"
        exit 77
    fi
    probe="sp$$-probe"
    if ! ip netns add "$probe" 2>/dev/null; then
        echo "$LIVE_NAME: skipped: cannot create network namespaces here"
        exit 77
    fi
    ip netns del "$probe"
    if [ ! -x "$bin" ]; then
        echo "$LIVE_NAME: $bin is not an executable" >&2
        exit 2
    fi
    LIVE_BIN=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
    LIVE_WORK=$(mktemp -d "${TMPDIR:-/tmp}/sshpath-livecap.XXXXXX")
    chmod 755 "$LIVE_WORK"
    LIVE_BIN=$(lab_reachable_bin "$LIVE_BIN" "$LIVE_WORK/install")
    LAB_KEYS="$LIVE_WORK/keys"
    trap live_cleanup EXIT
    trap 'exit 130' INT TERM
    lab_make_keys "$LAB_KEYS"
    lab_privsep_acquire
}

live_cleanup() {
    trap '' INT TERM
    lab_down >/dev/null 2>&1 || true
    lab_privsep_release
    if [ -n "${LIVE_KEEP:-}" ]; then echo "$LIVE_NAME: kept $LIVE_WORK"; else rm -rf "$LIVE_WORK"; fi
}

live_summary() {
    echo "$LIVE_NAME: $((SECONDS - LIVE_START))s"
    echo "$LIVE_PASSED passed, $LIVE_FAILED failed"
    # A run that checked nothing (no scenario ran, its output lost) fails too.
    [ "$LIVE_PASSED" -gt 0 ] || echo "$LIVE_NAME: no check ran"
    [ "$LIVE_FAILED" -eq 0 ] && [ "$LIVE_PASSED" -gt 0 ]
}

# live_lab_begin: the five namespaces of the lab (prefix sp<BASHPID>), in the current shell.
live_lab_begin() {
    LAB_PREFIX="sp${BASHPID}"
    LAB_TMP=$(mktemp -d "$LIVE_WORK/lab.XXXXXX")
    LAB_PIDS=(); LAB_NAMESPACES=()
    lab_up
}
live_lab_end() {
    lab_down >/dev/null 2>&1 || true
}

# The lab's ssh client command line (as lab_ssh runs it), without -vvv: what a user types.
# live_ssh_args TARGET CONNECT_TIMEOUT KEY CMD [EXTRA...] -> LIVE_SSH array
live_ssh_args() {
    local target=$1 ct=$2 key=$3 cmd=$4
    shift 4
    LIVE_SSH=(ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
        -o ConnectTimeout="$ct" -o IdentitiesOnly=yes -i "$key" "$@" "root@$target" "$cmd")
}

# live_bg_capture OUT ERR ARGS...: `sshpath capture ARGS` in the client namespace (LIVE_CAP_NS=vm:
# the VM's), in the background (LIVE_CAP_PID is sshpath's own PID: ip netns exec execs it); returns once it
# says it listens (the filter is set and privileges are dropped), fails after LAB_READY_TIMEOUT.
LIVE_CAP_PID=""
live_bg_capture() {
    local out=$1 err=$2
    shift 2
    : >"$err" # emptied before the start: the wait below must not read an earlier run's line
    env "${LIVE_CAP_ENV[@]}" ip netns exec "$(lab_ns "${LIVE_CAP_NS:-cl}")" "$LIVE_BIN" capture "$@" >"$out" 2>>"$err" </dev/null &
    LIVE_CAP_PID=$!
    LAB_PIDS+=("$LIVE_CAP_PID")
    if ! lab_wait_until "$LAB_READY_TIMEOUT" grep -q 'listening on' "$err"; then
        kill -KILL "$LIVE_CAP_PID" 2>/dev/null || true
        return 1
    fi
}
LIVE_CAP_ENV=(LC_ALL=C)

# live_wait_exit PID SECONDS: waits for PID (a child of this shell) to end by itself; its exit
# status in LIVE_RC. Returns 1 (after SIGINT, then SIGKILL) when it did not end in time.
LIVE_RC=0
live_wait_exit() {
    local pid=$1 bound=$2 deadline
    deadline=$((SECONDS + bound))
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            kill -INT "$pid" 2>/dev/null || true
            lab_wait_until 5 eval "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            LIVE_RC=124
            return 1
        fi
        sleep 0.05
    done
    LIVE_RC=0
    wait "$pid" || LIVE_RC=$?
    return 0
}

# live_wait_exit_named PID SECONDS FILE PATTERN: live_wait_exit, noting in LIVE_NAMED_AT the
# time (seconds since the epoch) when an ERE PATTERN first showed in FILE ("" if it never did).
LIVE_NAMED_AT=""
live_wait_exit_named() {
    local pid=$1 bound=$2 file=$3 pattern=$4 deadline
    deadline=$((SECONDS + bound))
    LIVE_NAMED_AT=""
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
        if [ -z "$LIVE_NAMED_AT" ] && grep -Eq -- "$pattern" "$file" 2>/dev/null; then LIVE_NAMED_AT=$(date +%s.%N); fi
        sleep 0.05
    done
    live_wait_exit "$pid" 1
}

# live_json FILE EXPR: evaluates a Python expression on the JSON document `d` of FILE.
live_json() {
    "$LAB_PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# live_expect_file NAME CAUSE COMPONENT [CANDIDATE...]: an expected.json for verdict_check.py.
live_expect_file() {
    local file=$1 cause=$2 component=$3
    shift 3
    "$LAB_PYTHON" - "$file" "$cause" "$component" "$@" <<'EOF'
import json, sys
file, cause, component, cands = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
expect = {"cause": cause, "component": component}
if component == "unknown":
    expect["candidates"] = cands
json.dump({"scenario": "live", "expect": expect}, open(file, "w"))
EOF
}

# live_verdict EXPECTED_JSON REPORT_JSON [RULE]: verdict_check.py, and the deciding rule.
live_verdict() {
    local out rc=0
    out=$("$LAB_PYTHON" "$LAB_DIR/verdict_check.py" "$1" "$2" 2>&1) || rc=$?
    if [ "$rc" -eq 0 ] && [ -n "${3:-}" ]; then
        local rule
        rule=$(live_json "$2" 'd["verdict"]["rule"]' 2>&1)
        if [ "$rule" != "$3" ]; then out="$out; rule is $rule, expected $3"; rc=1; fi
    fi
    echo "$out"
    return "$rc"
}

# live_saved_ok FILE REPORT_JSON: the saved capture reads to its end with `sshpath analyze` and
# `tcpdump -r`, and holds as many packets as the live report counted.
live_saved_ok() {
    local file=$1 report=$2 want got err
    [ -s "$file" ] || { echo "$file is missing or empty"; return 1; }
    want=$(live_json "$report" 'd["live"]["packets"]')
    "$LIVE_BIN" analyze --format json "$file" >"$file.json" 2>"$file.err" || { echo "analyze failed: $(cat "$file.err")"; return 1; }
    got=$(live_json "$file.json" 'd["captures"][0]["packets"]')
    [ "$got" = "$want" ] || { echo "analyze reads $got packets, the live report counted $want"; return 1; }
    [ "$(live_json "$file.json" 'd["captures"][0]["truncated"]')" = "False" ] || { echo "analyze says the file is cut short"; return 1; }
    err=$(tcpdump -n -r "$file" 2>&1 >"$file.txt") || { echo "tcpdump -r failed: $err"; return 1; }
    got=$(grep -c '' "$file.txt" || true)
    [ "$got" = "$want" ] || { echo "tcpdump reads $got packets, expected $want ($err)"; return 1; }
    if grep -qi 'truncated' <<<"$err"; then echo "tcpdump: $err"; return 1; fi
}

# live_wait_quiet FILE: returns once FILE has not grown for 0.5 s (at most 5 s): the last
# packets of a finished connection are in.
live_wait_quiet() {
    local file=$1 last=-1 size stable=0 deadline=$((SECONDS + 5))
    while [ "$SECONDS" -lt "$deadline" ]; do
        size=$(stat -c %s "$file" 2>/dev/null || echo 0)
        if [ "$size" = "$last" ]; then
            stable=$((stable + 1))
            [ "$stable" -lt 5 ] || return 0
        else
            stable=0
            last=$size
        fi
        sleep 0.1
    done
}

# live_first_packet FILE: the time stamp (seconds since the epoch) of FILE's first packet.
live_first_packet() { tcpdump -tt -n -r "$1" -c 1 2>/dev/null | awk 'NR == 1 { print $1 }'; }

# live_within FILE TIME BOUND: TIME (seconds since the epoch) is at most BOUND seconds after the
# first packet of FILE (the first SYN of a silent drop); says how long it was.
live_within() {
    local first
    first=$(live_first_packet "$1")
    [ -n "$first" ] || { echo "no packet in $1"; return 1; }
    awk -v a="$first" -v b="$2" -v bound="$3" 'BEGIN { d = b - a; printf "%.1f s after the first SYN\n", d; exit !(d >= 0 && d <= bound) }'
}
