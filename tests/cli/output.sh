#!/usr/bin/env bash
# Conventions of the command line and of its output, without root:
#   - `analyze -r FILE` reads FILE as `analyze FILE` does;
#   - a report written to a full disk (/dev/full) or to a closed pipe is one line on stderr and
#     exit status 2, for analyze (text, JSON, Markdown), facts, rules list and --help;
#   - an unknown option points to the command's --help; `run ssh -V` says to put '--' first;
#   - --detail deciding gives the HTML page the summary and one-paragraph attempts;
#   - `analyze -` stopped by SIGINT (sent to its process group, as Ctrl-C does) or SIGTERM reads
#     what is already in the pipe, reports on it and exits 130 or 143.
# Usage: output.sh SSHPATH_BIN
# shellcheck disable=SC2016  # bash -c and python -c bodies expand their own arguments
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cap="$root/captures/edge-silent-drop.pcap"
tmp=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# one_line_error NAME STATUS PATTERN ERR_FILE RC
one_line_error() {
    local lines
    lines=$(grep -c '' "$4")
    if [ "$5" -eq "$2" ] && [ "$lines" -eq 1 ] && grep -Eq -- "$3" "$4"; then pass "$1: $(cat "$4")"; else fail "$1: exit $5, stderr: $(cat "$4")"; fi
}

# -r FILE
"$bin" analyze --format json -r "$cap" >"$tmp/r.json" 2>"$tmp/r.err"
"$bin" analyze --format json "$cap" >"$tmp/plain.json"
if cmp -s "$tmp/r.json" "$tmp/plain.json"; then pass "analyze -r FILE = analyze FILE"; else fail "analyze -r FILE: $(cat "$tmp/r.err")"; fi

# A full disk.
full='^sshpath: error: cannot write to standard output: No space left on device$'
for args in "analyze $cap" "analyze --format json $cap" "analyze --format markdown $cap" "facts" "rules list" "--help"; do
    rc=0
    # shellcheck disable=SC2086  # the words of args are the arguments
    "$bin" $args >/dev/full 2>"$tmp/full.err" || rc=$?
    one_line_error "sshpath $args > /dev/full" 2 "$full" "$tmp/full.err" "$rc"
done

# A pipe whose reader is gone (EPIPE, not a silent death by SIGPIPE).
for args in "analyze $cap" "analyze --format json $cap" "facts"; do
    # shellcheck disable=SC2086  # the words of args are the arguments
    rc=$(python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
with open(sys.argv[2], "wb") as err:
    print(subprocess.run(sys.argv[3:], stdout=w, stderr=err).returncode)' "$bin" "$tmp/pipe.err" "$bin" $args)
    one_line_error "sshpath $args | (closed)" 2 '^sshpath: error: cannot write to standard output: Broken pipe$' "$tmp/pipe.err" "$rc"
done

# Options.
rc=0; "$bin" analyze "$cap" --bogus >/dev/null 2>"$tmp/opt.err" || rc=$?
one_line_error "unknown option" 2 "^sshpath: error: unrecognised option '--bogus' \(see 'sshpath analyze --help'\)$" "$tmp/opt.err" "$rc"
rc=0; "$bin" run ssh -V >/dev/null 2>"$tmp/run.err" || rc=$?
one_line_error "run ssh -V" 2 "^sshpath: error: run: put '--' before the command: 'sshpath run -- ssh -V'$" "$tmp/run.err" "$rc"
rc=0; "$bin" run -p 2222 ssh -l alice vm.example >/dev/null 2>"$tmp/run.err" || rc=$?
one_line_error "run -p 2222 ssh ..." 2 "^sshpath: error: run: put '--' before the command: 'sshpath run -p 2222 -- ssh -l alice vm.example'$" "$tmp/run.err" "$rc"

# in_new_group CMD...: CMD (the same process) in a process group of its own (as a terminal's foreground job), with
# SIGINT at its default: a background job of a script starts with SIGINT ignored, which a
# shell cannot undo.
in_new_group=(python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])')

# interrupted NAME SIGNAL STATUS CUT: a writer that sends a capture and keeps the pipe open (as
# tcpdump does until it is stopped), `analyze -` reading it, in a process group of their own.
# CUT: "cut" when the writer goes on (the report says it was interrupted), "whole" when the
# signal ends the writer too (the pipe ends: everything was read).
# How many packets the capture holds, read whole.
cap_packets=$("$bin" analyze --format json "$cap" | python3 -c 'import json, sys; print(json.load(sys.stdin)["captures"][0]["packets"])')
# MORE: files given after standard input, which reading stopped before: not read, each named in
# a warning, and the report still written.
interrupted() {
    local name=$1 sig=$2 want=$3 cut=$4 more=("${@:5}") group start
    rm -f "$tmp/$name".*
    "${in_new_group[@]}" bash -c '"$2" analyze --format json - "${@:4}" < <(cat "$1"; exec sleep 30) >"$3.json" 2>"$3.err"; echo $? >"$3.rc"' \
        _ "$cap" "$bin" "$tmp/$name" "${more[@]}" </dev/null &
    group=$!
    pids+=("$group")
    # The signal goes once sshpath has read all the writer sent: the writer is done (its shell is
    # the sleep now) and sshpath waits in a read of the empty pipe (not still loading its rules,
    # which takes longer under the sanitizers and a loaded machine).
    local reader=""
    for _ in $(seq 200); do
        reader=$(pgrep -g "$group" -x sshpath || true)
        if [ -n "$reader" ] && pgrep -g "$group" -x sleep >/dev/null &&
            [[ "$(cat "/proc/$reader/wchan" 2>/dev/null)" == *pipe_read ]]; then
            break
        fi
        sleep 0.05
    done
    start=$SECONDS
    # Ctrl-C reaches the whole group; SIGTERM only sshpath (found in the group: its id).
    if [ "$sig" = INT ]; then kill -INT -- "-$group"; else kill -TERM "$(pgrep -g "$group" -x sshpath)"; fi
    for _ in $(seq 50); do [ -s "$tmp/$name.rc" ] && break; sleep 0.1; done
    if [ "$(cat "$tmp/$name.rc" 2>/dev/null)" != "$want" ]; then
        fail "$name: exit $(cat "$tmp/$name.rc" 2>/dev/null), want $want: $(cat "$tmp/$name.err")"
    elif python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"]["cause"] == "silent-drop" and d["captures"][0]["packets"] == int(sys.argv[3]), d["verdict"]
cut = any(w.startswith("interrupted by SIG") for w in d["warnings"])
assert cut == (sys.argv[2] == "cut"), d["warnings"]
more = sys.argv[4:]
assert len(d["captures"]) == 1, [c["file"] for c in d["captures"]]
for f in more:
    assert f + ": not read: reading had been stopped before it began" in d["warnings"], d["warnings"]' \
            "$tmp/$name.json" "$cut" "$cap_packets" "${more[@]}"; then
        pass "$name: report on the $cap_packets packets read, exit $want, within $((SECONDS - start)) s"
    else
        fail "$name: no report"
    fi
    kill -KILL -- "-$group" 2>/dev/null || true
}
interrupted ctrl-c INT 130 whole
interrupted sigterm TERM 143 cut
interrupted sigterm-before-two-files TERM 143 cut "$root/captures/auth-denied.pcap" "$root/captures/edge-syn-reset.pcap"

# --detail in the HTML page: with 'deciding' the summary's tables and the attempts not shown in
# full one paragraph each (the ok attempt that does not decide); with 'all' neither.
two="$root/captures/duplicate-bridge-any.pcap"
"$bin" analyze --format html --detail deciding "$two" >"$tmp/deciding.html"
"$bin" analyze --format html --detail all "$two" >"$tmp/all.html"
if grep -q '<h2 id="summary">Summary</h2>' "$tmp/deciding.html" && [ "$(grep -c 'class="brief" id="connection-1"' "$tmp/deciding.html")" = 1 ] &&
    grep -q 'id="connection-2"' "$tmp/deciding.html" && [ "$(grep -c 'class="connection"' "$tmp/deciding.html")" = 1 ] &&
    ! grep -q 'id="summary"' "$tmp/all.html" && [ "$(grep -c 'class="connection"' "$tmp/all.html")" = 2 ]; then
    pass "html --detail deciding: summary, 1 in full, 1 brief; --detail all: 2 in full"
else
    fail "html --detail: $(grep -c 'class="brief"' "$tmp/deciding.html") brief, $(grep -c 'class="connection"' "$tmp/all.html") in full with all"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
