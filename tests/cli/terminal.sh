#!/usr/bin/env bash
# The text report on a terminal and elsewhere (docs/terminal.md):
#   - into a pipe or a file: 80 columns, no colour (some bundled captures);
#   - COLUMNS sets the width; on a terminal (a pseudo-terminal from script(1)) its width is used;
#   - no row is wider than the width but a quote of a packet ("..."), for every bundled capture;
#   - colour on a terminal (verdict, confidence, evidence packet numbers), none with NO_COLOR or
#     --color never, always with --color always (also into a pipe); --color other is refused.
# Usage: terminal.sh SSHPATH_BIN
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
unset COLUMNS NO_COLOR
export SSHPATH_RULES="$root/rules"
esc=$(printf '\033')

# fits WIDTH FILE...: every row of every file fits in WIDTH columns, or is a quote of a packet
# ("...") or one word alone (a file name) wider than the row; prints the widest row's width.
fits() {
    python3 - "$@" <<'PY'
import re, sys
width, widest, bad = int(sys.argv[1]), 0, []
for name in sys.argv[2:]:
    for row in open(name, encoding="utf-8", errors="replace").read().replace("\r", "").split("\n"):
        row = re.sub(r"\x1b\[[0-9;]*m", "", row)
        widest = max(widest, len(row))
        if len(row) > width and '"' not in row and " " in row.strip():
            bad.append(f"{name}: {row}")
print(widest)
if bad: print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

# Every bundled capture with COLUMNS=60; some into a pipe (80 columns).
mkdir -p "$tmp/80" "$tmp/60"
for f in "$root"/captures/*.pcap "$root"/captures/*.pcapng; do
    [ -f "$f" ] || continue
    COLUMNS=60 "$bin" analyze "$f" >"$tmp/60/$(basename "$f")"
done
for f in "$root"/captures/*-with-control.pcap "$root"/captures/edge-silent-drop.pcap "$root"/captures/banner-timeout.pcap; do
    [ -f "$f" ] && "$bin" analyze "$f" >"$tmp/80/$(basename "$f")"
done
count=$(ls "$tmp/80" | wc -l)
if widest=$(fits 80 "$tmp"/80/*) && ! grep -q "$esc" "$tmp"/80/*; then pass "$count captures into a pipe: 80 columns (widest $widest), no colour"; else fail "into a pipe: widest $widest, or colour"; fi
count=$(ls "$tmp/60" | wc -l)
if widest=$(fits 60 "$tmp"/60/*) && [ "$widest" -gt 50 ]; then pass "$count captures, COLUMNS=60: widest row $widest"; else fail "COLUMNS=60: widest $widest"; fi

# A terminal 70 columns wide (script(1) gives the command a pseudo-terminal).
on_terminal() {  # ENV... -- ARGS: the report as a terminal shows it
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env "${envs[@]}" script -qec "stty cols 70; $(printf '%q ' "$bin" "$@")" /dev/null | tr -d '\r'
}
cap="$root/captures/edge-silent-drop.pcap"
on_terminal TERM=xterm -- analyze "$cap" >"$tmp/tty.txt"
if widest=$(fits 70 "$tmp/tty.txt") && [ "$widest" -gt 60 ]; then pass "terminal of 70 columns: widest $widest"; else fail "terminal of 70 columns: widest $widest"; fi
if grep -qF "${esc}[1mVERDICT${esc}[0m     ${esc}[1;31msilent-drop${esc}[0m (confidence ${esc}[33mmedium${esc}[0m)" "$tmp/tty.txt" &&
    grep -qF "  ${esc}[36m#3${esc}[0m " "$tmp/tty.txt"; then
    pass "terminal: verdict, confidence and evidence packet numbers in colour"
else
    fail "terminal: no colour: $(head -5 "$tmp/tty.txt" | cat -v)"
fi
on_terminal TERM=xterm NO_COLOR=1 -- analyze "$cap" >"$tmp/nocolor.txt"
if ! grep -q "$esc" "$tmp/nocolor.txt" && grep -q '^VERDICT     silent-drop' "$tmp/nocolor.txt"; then pass "terminal, NO_COLOR: no colour"; else fail "terminal, NO_COLOR: colour"; fi
on_terminal TERM=xterm -- analyze "$cap" --color never >"$tmp/never.txt"
if ! grep -q "$esc" "$tmp/never.txt"; then pass "terminal, --color never: no colour"; else fail "terminal, --color never: colour"; fi
on_terminal TERM=xterm NO_COLOR=1 -- analyze "$cap" --color=always >"$tmp/always.txt"
if grep -q "$esc" "$tmp/always.txt"; then pass "terminal, NO_COLOR and --color=always: colour"; else fail "--color=always under NO_COLOR: no colour"; fi
on_terminal TERM=dumb -- analyze "$cap" >"$tmp/dumb.txt"
if ! grep -q "$esc" "$tmp/dumb.txt"; then pass "terminal, TERM=dumb: no colour"; else fail "TERM=dumb: colour"; fi
"$bin" analyze "$cap" --color always | grep -q "$esc" && pass "pipe, --color always: colour" || fail "pipe, --color always: no colour"
"$bin" analyze "$cap" --format json --color always | grep -q "$esc" && fail "JSON with --color always holds escapes" || pass "JSON: never colour"
"$bin" analyze "$cap" --color sometimes >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "^sshpath: error: --color: 'sometimes' is not one of auto, always, never" "$tmp/err"; then pass "--color sometimes: $(cat "$tmp/err")"; else fail "--color sometimes: exit $rc, $(cat "$tmp/err")"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
