#!/usr/bin/env bash
# Attempts written to the temporary file and read back (--keep-in-memory 0) give exactly the
# report of attempts kept in memory: every capture of captures/, alone and all together, in the
# formats, with --explain. All together they are many: a report that shows most of them in one
# line, for which the temporary file keeps only that line of those.
# Usage: spill.sh SSHPATH_BIN
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
passed=0 failed=0
check() {
    local a b
    a=$("$bin" analyze "$@" 2>&1 | md5sum)
    b=$("$bin" analyze --keep-in-memory 0 "$@" 2>&1 | md5sum)
    if [ "$a" = "$b" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: differs when spilled: $*"; fi
}
for f in "$root"/captures/*.pcap; do check --format json --explain "$f"; done
for fmt in json text markdown; do check --format "$fmt" --explain "$root"/captures/*.pcap; done
check --format json -j 2 "$root"/captures/*.pcap
check --format jsonl --detail deciding "$root"/captures/*.pcap
check --format html "$root"/captures/*.pcap
echo "$passed passed, $failed failed"
[ "$passed" -gt 30 ] && [ "$failed" -eq 0 ]
