#!/usr/bin/env bash
# sshpath cloud-verify on every fixture (exit 0, an answer in text and JSON), and bad input:
# one clear line on stderr and exit status 2.
# Usage: cloud.sh SSHPATH_BIN
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
fx=$(cd "$here/../fixtures/cloud" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect STATUS PATTERN -- ARGS...: runs sshpath, checks the exit status and, for 2, one stderr
# line matching PATTERN; for 0, stdout matching PATTERN and nothing on stderr.
expect() {
    local want=$1 pattern=$2
    shift 3
    local out err status lines
    out=$(timeout 30 "$bin" "$@" 2>"$tmp/stderr")
    status=$?
    err=$(cat "$tmp/stderr")
    lines=$(printf '%s' "$err" | grep -c '' || true)
    local ok=0
    if [ "$want" -eq 2 ]; then
        [ "$status" -eq 2 ] && [ "$lines" -eq 1 ] && printf '%s' "$err" | grep -Eq -- "$pattern" && ok=1
    else
        [ "$status" -eq 0 ] && [ -z "$err" ] && printf '%s' "$out" | grep -Eq -- "$pattern" && ok=1
    fi
    if [ "$ok" -eq 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: sshpath $* -> status $status (want $want), stderr: $err"
        [ "$want" -eq 0 ] && printf '%s\n' "$out" | head -5
    fi
}

# Bad input files.
printf '{"name": "left-pad", "version": "1.3.0", "dependencies": {}}\n' > "$tmp/package.json"
head -c 700 "$fx/azure-nsg-show.json" > "$tmp/truncated.json"
sed 's/"priority": 110/"priority": 70000/' "$fx/azure-rule-list.json" > "$tmp/priority.json"
sed 's/"priority": 120/"priority": 110/' "$fx/azure-rule-list.json" > "$tmp/twice.json"
sed 's/"198.51.100.7"/"198.51.100.700"/' "$fx/azure-rule-list.json" > "$tmp/address.json"
sed 's/"RuleNumber": 90/"RuleNumber": 0/' "$fx/aws-network-acls.json" > "$tmp/rulenumber.json"
printf 'this is not json\n' > "$tmp/text.json"
: > "$tmp/empty.json"
printf '[]\n' > "$tmp/list.json"
mkdir "$tmp/dir"
ok=(--from 198.51.100.10 --to 198.18.1.4:22)

expect 2 "package.json: not a cloud rule export I know \(expected .*az network nsg show" -- cloud-verify "$tmp/package.json" "${ok[@]}"
expect 2 "truncated.json: not valid JSON: it ends at line [0-9]+ before the value is complete \(is the file cut short\?\)" -- cloud-verify "$tmp/truncated.json" "${ok[@]}"
expect 2 "priority.json: rule 'AllowMgmtRange' of NSG 'nsg-legacy': priority 70000 is impossible \(Azure takes 100-4096" -- cloud-verify "$tmp/priority.json" "${ok[@]}"
expect 2 "twice.json: NSG 'nsg-legacy' has two inbound rules with priority 110" -- cloud-verify "$tmp/twice.json" "${ok[@]}"
expect 2 "address.json: .*address '198.51.100.700' is not an address" -- cloud-verify "$tmp/address.json" "${ok[@]}"
expect 2 "rulenumber.json: network ACL acl-0123456789abcdef0 rule 0: rule number 0 is impossible" -- cloud-verify "$tmp/rulenumber.json" "${ok[@]}"
expect 2 "2 network ACLs given .*a subnet has exactly one" -- cloud-verify "$fx/bad/two-acls.json" "${ok[@]}"
expect 2 "text.json: not valid JSON: syntax error at line 1, column [0-9]+" -- cloud-verify "$tmp/text.json" "${ok[@]}"
expect 2 "empty.json: is empty" -- cloud-verify "$tmp/empty.json" "${ok[@]}"
expect 2 "list.json: holds an empty JSON list" -- cloud-verify "$tmp/list.json" "${ok[@]}"
expect 2 "missing.json: No such file" -- cloud-verify "$tmp/missing.json" "${ok[@]}"
expect 2 "dir: is a directory" -- cloud-verify "$tmp/dir" "${ok[@]}"
expect 2 "give files, not standard input" -- cloud-verify - "${ok[@]}"
expect 2 "two clouds|2 clouds" -- cloud-verify "$fx/azure-nsg-show.json" "$fx/aws-security-groups.json" "${ok[@]}"
# Bad command lines.
expect 2 "no rule file given" -- cloud-verify "${ok[@]}"
expect 2 "--from ADDR\[:PORT\] is required" -- cloud-verify "$fx/azure-nsg-show.json" --to 198.18.1.4:22
expect 2 "--to ADDR:PORT is required" -- cloud-verify "$fx/azure-nsg-show.json" --from 198.51.100.10
expect 2 "--to: give the destination port" -- cloud-verify "$fx/azure-nsg-show.json" --from 198.51.100.10 --to 198.18.1.4
expect 2 "--from: 'vm.example' is not ADDRESS or ADDRESS:PORT" -- cloud-verify "$fx/azure-nsg-show.json" --from vm.example --to 198.18.1.4:22
expect 2 "--to: '198.18.1.4:99999' is not ADDRESS" -- cloud-verify "$fx/azure-nsg-show.json" --from 198.51.100.10 --to 198.18.1.4:99999
expect 2 "not of the same address family" -- cloud-verify "$fx/azure-nsg-show.json" --from 2001:db8::1 --to 198.18.1.4:22
expect 2 "--format: 'xml' is not one of text, json" -- cloud-verify "$fx/azure-nsg-show.json" "${ok[@]}" --format xml
expect 2 "--direction: 'sideways'" -- cloud-verify "$fx/azure-nsg-show.json" "${ok[@]}" --direction sideways
expect 2 "--protocol: 'tpc'" -- cloud-verify "$fx/azure-nsg-show.json" "${ok[@]}" --protocol tpc
expect 2 "--asg: 'asg-admins' is not NAME=ADDRESS" -- cloud-verify "$fx/azure-nsg-show.json" "${ok[@]}" --asg asg-admins
expect 2 "--vnet: '198.18.0.0/40' is not a CIDR prefix" -- cloud-verify "$fx/azure-nsg-show.json" "${ok[@]}" --vnet 198.18.0.0/40
expect 2 "--sshd-port: '0' is not a port" -- cloud-verify "$fx/classic-endpoints.json" "${ok[@]}" --sshd-port 0
expect 2 "unrecognised option|unrecognized option" -- cloud-verify "$fx/azure-nsg-show.json" "${ok[@]}" --bogus

# analyze, capture and run with --cloud-rules: the same load errors, and the options that need it.
cap="$here/../../captures/cloudedge-nsg-deny.pcap"
expect 2 "package.json: not a cloud rule export I know" -- analyze "$cap" --cloud-rules "$tmp/package.json"
expect 2 "truncated.json: not valid JSON" -- analyze "$cap" --cloud-rules "$fx/azure-nsg-show.json" --cloud-rules "$tmp/truncated.json"
expect 2 "missing.json: No such file" -- analyze "$cap" --cloud-rules "$tmp/missing.json"
expect 2 "2 network ACLs given .*a subnet has exactly one" -- analyze "$cap" --cloud-rules "$fx/bad/two-acls.json"
expect 2 "two clouds|2 clouds" -- analyze "$cap" --cloud-rules "$fx/azure-nsg-show.json" --cloud-rules "$fx/aws-security-groups.json"
expect 2 "--cloud-vm says what the cloud rules cannot; give them with --cloud-rules FILE" -- analyze "$cap" --cloud-vm 198.18.1.4
expect 2 "--vnet says what the cloud rules cannot" -- analyze "$cap" --vnet 198.18.0.0/16
expect 2 "--cloud-from: 'vm.example' is not ADDRESS" -- analyze "$cap" --cloud-rules "$fx/azure-nsg-show.json" --cloud-from vm.example
expect 2 "--cloud-vm: '198.18.1' is not an address" -- analyze "$cap" --cloud-rules "$fx/azure-nsg-show.json" --cloud-vm 198.18.1
expect 2 "--asg: 'x' is not NAME=ADDRESS" -- analyze "$cap" --cloud-rules "$fx/azure-nsg-show.json" --asg x
expect 0 "rule +silent-drop.cloud-nsg-deny" -- analyze "$cap" --cloud-rules "$here/../../captures/cloudedge-nsg-deny.nsg.json" --vnet 203.0.113.0/24
expect 0 "rule +silent-drop.syn-unanswered" -- analyze "$cap"
for c in analyze capture run; do
    for o in "--cloud-rules FILE" "--cloud-from ADDR\[:PORT\]" "--cloud-vm ADDR" "--vnet CIDR" "--sshd-port PORT"; do
        expect 0 "$o" -- "$c" --help
    done
done
expect 0 "^decided_by +cloud +string" -- cloud-verify --facts
expect 0 "^needs +cloud +string" -- facts

# Every fixture answers, in text and in JSON (exit 0 whatever the decision).
for f in "$fx"/*.json; do
    case $(basename "$f") in
        azure-nic.json | azure-vnet.json) want="^Access: No rule" ;;
        *) want="^Access: (Allow|Deny)" ;;
    esac
    to=198.18.1.4:22
    case $(basename "$f") in classic-*) to=203.0.113.50:22 ;; esac
    expect 0 "$want" -- cloud-verify "$f" --from 198.51.100.10 --to "$to"
    timeout 30 "$bin" cloud-verify "$f" --from 198.51.100.10 --to "$to" --format json > "$tmp/out-$(basename "$f")"
    # At 60 columns no row is wider, but a command to copy (under "To let it through:") or one
    # word that alone is wider.
    COLUMNS=60 timeout 30 "$bin" cloud-verify "$f" --from 198.51.100.10 --to "$to" > "$tmp/narrow.txt"
    wide=$(awk '/^To let it through:/ { cmds = 1; next } !cmds && length($0) > 60 && NF > 1 { print }' "$tmp/narrow.txt")
    if [ -z "$wide" ] && [ -s "$tmp/narrow.txt" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $(basename "$f") at 60 columns: $wide"; fi
done
# One interpreter for every JSON answer (starting Python is the slow part of this test).
if python3 - "$tmp"/out-*.json <<'PY'
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    assert d["access"] in ("allow", "deny", "no-rule"), path
    assert "access" in d["facts"], path
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: JSON answers"; fi
expect 0 "Usage: sshpath cloud-verify" -- cloud-verify --help
expect 0 "cloud-verify FILE" -- --help

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
