#!/usr/bin/env python3
"""Golden test: `sshpath analyze` on every recorded capture in captures/ must give the verdict
its <scenario>.expected.json names (cause, component, and the candidates when component is
unknown). Needs no root.
Usage: check_captures.py SSHPATH_BIN CAPTURES_DIR
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab"))
from verdict_check import compare  # noqa: E402


def main():
    binary, captures = sys.argv[1], sys.argv[2]
    expected_files = sorted(f for f in os.listdir(captures) if f.endswith(".expected.json"))
    passed, failed = 0, 0
    for name in expected_files:
        scenario = name[: -len(".expected.json")]
        pcap = os.path.join(captures, scenario + ".pcap")
        with open(os.path.join(captures, name), encoding="utf-8") as f:
            expected = json.load(f)
        out = subprocess.run([binary, "analyze", "--format", "json", pcap], capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            print(f"FAIL {scenario}: exit {out.returncode}: {out.stderr.strip()}")
            failed += 1
            continue
        problems = compare(expected, json.loads(out.stdout))
        if problems:
            print(f"FAIL {scenario}: {'; '.join(problems)}")
            failed += 1
        else:
            print(f"PASS {scenario}")
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not expected_files else 0


if __name__ == "__main__":
    sys.exit(main())
