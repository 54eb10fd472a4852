#!/usr/bin/env bash
# `sshpath check` without namespaces: usage errors (exit 2, one line), the facts table of
# docs/check.md against `check --facts`, the JSON's frame, and the host key read from a lab
# capture against the fingerprint ssh printed when it was recorded. When run as root, the
# checks run as nobody (this test must not read the host's own firewall).
# Usage: check.sh SSHPATH_BIN
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
as_user=()
if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi

# expect_usage PATTERN ARGS...: exit 2 and one line on stderr matching PATTERN.
expect_usage() {
    local pattern=$1 err status
    shift
    err=$("${as_user[@]}" "$bin" check "$@" 2>&1 >/dev/null)
    status=$?
    if [ "$status" -eq 2 ] && [ "$(printf '%s\n' "$err" | grep -c '')" -eq 1 ] && grep -Eq -- "$pattern" <<<"$err"; then pass; else fail "check $* -> $status: $err"; fi
}
expect_usage 'no host given' 
expect_usage 'give one host' a b
expect_usage "'xml' is not one of text, json" x --format xml
expect_usage "'0' is not a port number" x -p 0
expect_usage "not a host" -- -x
expect_usage "no-such.pcap" 203.0.113.7 --capture /nonexistent/no-such.pcap

# analyze --client-check: a file that is not a saved check is bad input.
echo '{"format": "something-else"}' >"/tmp/sshpath-check-$$.json"
err=$("$bin" analyze "$root/captures/auth-denied.pcap" --client-check "/tmp/sshpath-check-$$.json" 2>&1 >/dev/null); status=$?
rm -f "/tmp/sshpath-check-$$.json"
if [ "$status" -eq 2 ] && grep -q "not a client check" <<<"$err"; then pass; else fail "analyze --client-check of another file -> $status: $err"; fi

# The facts table of docs/check.md is what --facts prints.
want=$("$bin" check --facts | tail -n +2 | awk '{ printf "%s %s\n", $1, $2 }')
got=$(sed -n '/<!-- facts -->/,/<!-- \/facts -->/p' "$root/docs/check.md" | grep '^| `' | sed -E 's/^\| `([^`]*)` \| ([a-z]+) \|.*/\1 \2/')
if [ "$want" = "$got" ]; then pass; else fail "docs/check.md facts table differs from 'check --facts': $(diff <(echo "$want") <(echo "$got") | head -5)"; fi
descriptions=$("$bin" check --facts | tail -n +2 | wc -l)
[ "$descriptions" -ge 60 ] && pass || fail "only $descriptions facts"

# The JSON frame, and the host key of a lab capture: what ssh printed when it was recorded.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$root/captures/auth-denied.pcap" "$tmp/" && chmod 644 "$tmp/auth-denied.pcap" && chmod 755 "$tmp"
# The rules as the user can read them (the checkout may sit in root's private directory).
cp -r "$root/rules" "$tmp/rules" && chmod -R a+rX "$tmp/rules"
if "${as_user[@]}" "$bin" check 203.0.113.7 --capture "$tmp/auth-denied.pcap" --rules "$tmp/rules" --format json >"$tmp/out.json" 2>"$tmp/err"; then pass; else fail "check --capture exited $?: $(cat "$tmp/err")"; fi
[ -s "$tmp/err" ] && fail "stderr: $(cat "$tmp/err")" || pass
printed=$(sed -n 's/^debug1: Server host key: ssh-ed25519 //p' "$root/captures/auth-denied.ssh.txt" | tr -d '\r')
python3 - "$tmp/out.json" "$printed" <<'PY' && pass || fail "JSON: see above"
import json, sys
d = json.load(open(sys.argv[1]))
problems = []
if d.get("format") != "sshpath-client-check" or d.get("schema_version") != 1:
    problems.append(f"frame: {d.get('format')} {d.get('schema_version')}")
facts = {f["name"]: f for f in d["facts"]}
for f in d["facts"]:
    if set(f) != {"name", "type", "value", "description"} or f["type"] not in ("bool", "int", "real", "string"):
        problems.append(f"fact {f}")
keys = d["capture"]["host_keys"]
if len(keys) != 1 or keys[0]["fingerprint"] != sys.argv[2] or keys[0]["server"] != "203.0.113.7 port 22":
    problems.append(f"host keys {keys}, ssh printed {sys.argv[2]}")
if facts["capture_host_key"]["value"] != sys.argv[2]:
    problems.append(f"capture_host_key {facts['capture_host_key']['value']}")
if facts["name_is_address"]["value"] is not True or facts["first_address"]["value"] != "203.0.113.7":
    problems.append("resolution")
if any(s["check"] == "firewall" for s in d["skipped"]) != (facts["firewall_read"]["value"] is False):
    problems.append("firewall skipped and firewall_read disagree")
v = d.get("verdict", {})
if not {"cause", "component", "candidates", "confidence", "summary", "evidence", "next_steps", "rule"} <= set(v):
    problems.append(f"verdict {v}")
if problems:
    print("\n".join(problems))
sys.exit(1 if problems else 0)
PY

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
