#!/usr/bin/env python3
"""Compares sshpath's verdicts with the generator's truth.

    check_counts.py REPORT.json TRUTH.json [MANIFEST.tsv]

REPORT.json is `sshpath analyze --format json` output; TRUTH.json is `gen --truth` ({cause: count});
MANIFEST.tsv is `gen --manifest` (one line per attempt). Prints the per-cause table; with the
manifest, lists every attempt whose verdict differs from the cause it was generated for (and
flows sshpath reported that the generator did not make). Exit status 0 when the per-cause counts
are equal, 1 otherwise.
"""
import collections
import json
import sys


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        report = json.load(f)
    with open(sys.argv[2]) as f:
        truth = json.load(f)
    flows = report.get("flows", [])
    got = collections.Counter(fl["verdict"]["cause"] for fl in flows)
    causes = sorted(set(truth) | set(got))
    ok = all(truth.get(c, 0) == got.get(c, 0) for c in causes)
    print(f"{'cause':<22} {'generated':>9} {'sshpath':>9}")
    for c in causes:
        mark = "" if truth.get(c, 0) == got.get(c, 0) else "   <-- differs"
        print(f"{c:<22} {truth.get(c, 0):>9} {got.get(c, 0):>9}{mark}")
    print(f"{'total':<22} {sum(truth.values()):>9} {sum(got.values()):>9}")
    for w in report.get("warnings", []):
        print(f"warning: {w}")

    if len(sys.argv) == 4:
        expected = {}
        with open(sys.argv[3]) as f:
            next(f)
            for line in f:
                kind, cause, client, server, start = line.rstrip("\n").split("\t")
                expected[(client, server)] = (kind, cause, start)
        seen = set()
        wrong = collections.Counter()
        lines = []
        for fl in flows:
            key = (fl["client"], fl["server"])
            v = fl["verdict"]
            if key not in expected:
                lines.append(f"  unexpected flow {key[0]} -> {key[1]}: {v['cause']} ({v['rule']})")
                continue
            seen.add(key)
            kind, cause, start = expected[key]
            if v["cause"] != cause:
                wrong[(kind, cause, v["cause"], v["rule"])] += 1
                if wrong[(kind, cause, v["cause"], v["rule"])] <= 3:
                    lines.append(f"  {kind}: {key[0]} -> {key[1]} at {float(start):.3f} s (packet {fl['first_packet']}): "
                                 f"expected {cause}, sshpath says {v['cause']} ({v['rule']})")
        for key, (kind, cause, start) in expected.items():
            if key not in seen:
                wrong[(kind, cause, "(no flow)", "")] += 1
                if wrong[(kind, cause, "(no flow)", "")] <= 3:
                    lines.append(f"  {kind}: {key[0]} -> {key[1]} at {float(start):.3f} s: expected {cause}, sshpath reports no flow")
        if wrong or lines:
            ok = False
            print("attempts whose verdict differs (first 3 of each kind shown):")
            for line in lines:
                print(line)
            print("summary: kind, expected, got, rule, count")
            for (kind, cause, gotc, rule), n in sorted(wrong.items()):
                print(f"  {kind:<30} {cause:<22} {gotc:<22} {rule:<40} {n}")
        else:
            print(f"every one of the {len(expected)} attempts got the verdict it was generated for")
    print("correctness: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
