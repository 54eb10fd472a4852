#!/usr/bin/env bash
# Where sshpath finds its rules (docs/install.md "Where the rules are found"):
#   - from the build tree: BUILD/rules, CMake's link to the sources' rules/;
#   - installed: BINDIR/../share/sshpath/rules, wherever the tree was copied;
#   - a binary copied alone never reads the build machine's source tree: it names the places
#     it looked at and how to fix it, in one line, exit 2 (or uses an installed prefix);
#   - SSHPATH_RULES wins over all of them; a wrong SSHPATH_RULES is one line naming it.
# Usage: rules_lookup.sh SSHPATH_BIN
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cap="$root/captures/edge-silent-drop.pcap"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
unset SSHPATH_RULES

# The build tree.
first=$("$bin" rules list | head -1)
if [ "$first" = "rules from $(dirname "$bin")/rules" ]; then pass "build tree: $first"; else fail "build tree: $first"; fi

# The binary holds no path of the sources' rules.
if grep -qaF "$root/rules" "$bin"; then fail "the binary holds '$root/rules'"; else pass "the binary holds no source path of the rules"; fi

# Copied alone.
mkdir -p "$tmp/alone" && cp "$bin" "$tmp/alone/sshpath"
"$tmp/alone/sshpath" analyze "$cap" >"$tmp/alone.out" 2>"$tmp/alone.err"
rc=$?
if [ $rc -eq 2 ] && [ "$(grep -c '' "$tmp/alone.err")" -eq 1 ] && grep -qF "looked in $tmp/share/sshpath/rules" "$tmp/alone.err" &&
    grep -q "SSHPATH_RULES=DIR" "$tmp/alone.err" && grep -q -- "--rules DIR" "$tmp/alone.err"; then
    pass "copied alone: $(cat "$tmp/alone.err")"
elif [ $rc -eq 0 ] && "$tmp/alone/sshpath" rules list | head -1 | grep -q "^rules from /usr/\(local/\)\?share/sshpath/rules$"; then
    pass "copied alone: uses the rules installed in the configured prefix ($("$tmp/alone/sshpath" rules list | head -1))"
else
    fail "copied alone: exit $rc, $(cat "$tmp/alone.err")"
fi
if SSHPATH_RULES="$root/rules" "$tmp/alone/sshpath" analyze "$cap" | grep -q '^VERDICT     silent-drop'; then
    pass "copied alone, SSHPATH_RULES set: the verdict"
else
    fail "copied alone, SSHPATH_RULES set"
fi
SSHPATH_RULES="$tmp/nowhere" "$tmp/alone/sshpath" analyze "$cap" >/dev/null 2>"$tmp/env.err"
rc=$?
if [ $rc -eq 2 ] && grep -qF "SSHPATH_RULES: '$tmp/nowhere' is not a directory" "$tmp/env.err"; then pass "wrong SSHPATH_RULES: $(cat "$tmp/env.err")"; else fail "wrong SSHPATH_RULES: exit $rc, $(cat "$tmp/env.err")"; fi

# An installed tree, moved: PREFIX/bin/sshpath reads PREFIX/share/sshpath/rules.
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/share/sshpath"
cp "$bin" "$tmp/prefix/bin/sshpath" && cp -r "$root/rules" "$tmp/prefix/share/sshpath/rules"
first=$("$tmp/prefix/bin/sshpath" rules list | head -1)
if [ "$first" = "rules from $tmp/prefix/share/sshpath/rules" ]; then pass "installed tree: $first"; else fail "installed tree: $first"; fi
first=$(SSHPATH_RULES="$root/rules" "$tmp/prefix/bin/sshpath" rules list | head -1)
if [ "$first" = "rules from $root/rules" ]; then pass "SSHPATH_RULES before the installed tree"; else fail "SSHPATH_RULES: $first"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
