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
# A record claiming more bytes than any snap length: a read error inside the file.
python3 -c 'import struct,sys; b=bytearray(open(sys.argv[1],"rb").read()); struct.pack_into("<I",b,32,0x7fffffff); open(sys.argv[2],"wb").write(b)' "$good" "$tmp/badrecord.pcap"
# pcapng's magic number followed by garbage.
printf '\x0a\x0d\x0d\x0a\xff\xff\xff\xffgarbage-garbage-garbage' > "$tmp/garbage.pcapng"
mkdir "$tmp/norules" "$tmp/yamlrules"
printf 'id: broken.yaml\ntitle: [unclosed\n' > "$tmp/yamlrules/syntax.yaml"
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
expect 2 "cannot read .*badrecord.pcap.*invalid packet capture length" -- analyze "$tmp/badrecord.pcap"
expect 2 "not a pcap or pcapng" -- analyze "$tmp/garbage.pcapng"
expect 2 "standard input is empty" -- analyze - </dev/null
expect 2 "port" -- analyze "$good" --port 0
expect 2 "cannot resolve" -- analyze "$good" --host no-such-host.invalid
expect 2 "--from: 'client.example' is not an IP address" -- analyze "$good" --from client.example
expect 2 "max-connections: 'lots'" -- analyze "$good" --max-connections lots
expect 2 "max-connections: '0'" -- analyze "$good" --max-connections 0
expect 2 "jobs: 'many'" -- analyze "$good" -j many
expect 2 "keep-in-memory: 'all'" -- analyze "$good" --keep-in-memory all
expect 2 "standard input.*only once" -- analyze - - </dev/null
# With several files at once, the first bad one in the order given is the one reported.
expect 2 "cannot open '.*missing-1.pcap'" -- analyze -j 3 "$good" "$tmp/missing-1.pcap" "$good" "$tmp/missing-2.pcap"
# pcapng and classic pcap through a pipe.
if command -v tshark >/dev/null 2>&1; then
    tshark -r "$good" -F pcapng -w "$tmp/good.pcapng" 2>/dev/null
    a=$("$bin" analyze --format json "$good" | grep -c '"cause"')
    b=$(cat "$tmp/good.pcapng" | "$bin" analyze --format json - | grep -c '"cause"')
    c=$(cat "$good" | "$bin" analyze --format json - | grep -c '"cause"')
    if [ "$a" -gt 0 ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL: pcap/pcapng through a pipe: $a $b $c verdicts"; fi
fi
# -j N gives the same report as reading the files one after the other.
set -- "$root"/captures/*.pcap
one=$("$bin" analyze --format json "$@" | md5sum)
two=$("$bin" analyze --format json -j 2 "$@" | md5sum)
if [ "$one" = "$two" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: -j 2 differs from -j 1"; fi
expect 2 "nonexistent:0: " -- analyze "$good" --rules "$tmp/nonexistent"
expect 2 "norules:0: " -- analyze "$good" --rules "$tmp/norules"
expect 2 "syntax.yaml:[0-9]+: .*YAML" -- analyze "$good" --rules "$tmp/yamlrules"
expect 2 "syntax.yaml:[0-9]+:" -- rules check "$tmp/yamlrules"
# The rules are loaded while the capture is read: their error still comes before the capture's...
expect 2 "broken.yaml:9: .*syn_cnt" -- analyze "$tmp/nonexistent.pcap" --rules "$tmp/badrules"
expect 2 "broken.yaml:9: .*syn_cnt" -- analyze "$tmp/text.txt" --rules "$tmp/badrules"
# ...and stops the reading of a stream that never ends once it is known.
err=$({ head -c 24 "$good"; while tail -c +25 "$good"; do :; done; } 2>/dev/null |
    timeout 30 "$bin" analyze - --rules "$tmp/badrules" 2>&1 >/dev/null)
status=$?
if [ "$status" -eq 2 ] && printf '%s' "$err" | grep -Eq "broken.yaml:9: .*syn_cnt" && [ "$(printf '%s' "$err" | grep -c '')" -eq 1 ]; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL: analyze - --rules badrules on an endless stream -> status $status (want 2), stderr: $err"
fi
# The probe loads its rules before it sends anything: a bad rule directory stops it first.
expect 2 "broken.yaml:9: .*syn_cnt" -- probe 203.0.113.7 --no-trace --rules "$tmp/badrules"
expect 2 "nonexistent:0: " -- probe 203.0.113.7 --no-trace --rules "$tmp/nonexistent"
if [ "$(id -u)" -ne 0 ]; then
    expect 2 "Permission denied" -- analyze "$tmp/unreadable.pcap"
elif command -v setpriv >/dev/null && setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$bin" 2>/dev/null; then
    # root reads anything: ask as nobody.
    chmod 755 "$tmp"
    err=$(timeout 30 setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" analyze "$tmp/unreadable.pcap" 2>&1 >/dev/null)
    status=$?
    if [ "$status" -eq 2 ] && printf '%s' "$err" | grep -q "cannot open '.*unreadable.pcap': Permission denied" && [ "$(printf '%s' "$err" | grep -c '')" -eq 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL: unreadable file as nobody -> status $status, stderr: $err"
    fi
fi
# A capture cut inside its first record still analyses what it holds (nothing), exit 0, with the
# warning on stdout and nothing on stderr.
out=$(timeout 30 "$bin" analyze "$tmp/cut.pcap" 2>"$tmp/cut.err"); status=$?
if [ "$status" -eq 0 ] && printf '%s' "$out" | grep -q "ends in the middle of a packet" && [ ! -s "$tmp/cut.err" ]; then
    passed=$((passed + 1))
else
    failed=$((failed + 1)); echo "FAIL: cut capture -> $status: $out $(cat "$tmp/cut.err")"
fi
expect 0 "" -- --version
expect 0 "" -- --help
expect 0 "" -- analyze --help
expect 0 "" -- rules check "$root/rules"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
