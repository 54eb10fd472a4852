#!/usr/bin/env bash
# Bad input gets one clear line on stderr and exit status 2, never a crash or a hang.
# Usage: errors.sh SSHPATH_BIN
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
good=$(ls "$root"/captures/*.pcap 2>/dev/null | head -1)
passed=0 failed=0

# expect STATUS PATTERN -- ARGS...: runs sshpath, checks exit status, one-line stderr matching PATTERN.
expect() {
    local want=$1 pattern=$2
    shift 3
    local err status
    err=$(timeout 30 "$bin" "$@" 2>&1 >/dev/null)
    status=$?
    local lines
    lines=$(printf '%s' "$err" | grep -c '' || true)
    if [ "$status" -eq "$want" ] && { [ "$want" -eq 0 ] || { printf '%s' "$err" | grep -Eq -- "$pattern" && [ "$lines" -eq 1 ]; }; }; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: sshpath $* -> status $status (want $want), stderr: $err"
    fi
}

mkdir "$tmp/dir"
printf 'hello, this is not a capture\n' > "$tmp/text.txt"
: > "$tmp/empty.pcap"
cp "$good" "$tmp/unreadable.pcap" && chmod 000 "$tmp/unreadable.pcap"
head -c 30 "$good" > "$tmp/cut.pcap"
# A pcap header with link type 147 (USER0), which sshpath cannot decode.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x93\x00\x00\x00' > "$tmp/user0.pcap"
mkdir "$tmp/badrules"
printf 'id: broken.rule\ntitle: x\nstatus: stable\ndescription: x\npriority: 1\ncause: silent-drop\ncomponent: edge\nconfidence: high\ncondition: syn_cnt > 1\nsummary: x\n' > "$tmp/badrules/broken.yaml"

expect 2 "No such file" -- analyze "$tmp/missing.pcap"
expect 2 "is a directory" -- analyze "$tmp/dir"
expect 2 "is empty" -- analyze "$tmp/empty.pcap"
expect 2 "not a pcap or pcapng" -- analyze "$tmp/text.txt"
expect 2 "link type" -- analyze "$tmp/user0.pcap"
expect 2 "port" -- analyze "$good" --port 70000
expect 2 "port" -- analyze "$good" --port ssh
expect 2 "format" -- analyze "$good" --format xml
expect 2 "host" -- analyze "$good" --host 'not a host!'
expect 2 "broken.yaml:9: .*syn_cnt" -- analyze "$good" --rules "$tmp/badrules"
expect 2 "broken.yaml:9:" -- rules check "$tmp/badrules"
expect 2 "unknown command" -- frobnicate
expect 2 "no capture file" -- analyze
expect 2 "unrecognised option|unrecognized option" -- analyze "$good" --bogus
if [ "$(id -u)" -ne 0 ]; then
    expect 2 "Permission denied" -- analyze "$tmp/unreadable.pcap"
fi
# A capture cut inside its first record still analyses what it holds, with a warning on stdout.
out=$(timeout 30 "$bin" analyze "$tmp/cut.pcap" 2>&1); status=$?
if [ "$status" -eq 0 ] || [ "$status" -eq 2 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: cut capture -> $status: $out"; fi
expect 0 "" -- --version
expect 0 "" -- --help
expect 0 "" -- analyze --help
expect 0 "" -- rules check "$root/rules"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
