#!/usr/bin/env python3
"""Golden test of the cloud rules merged with the packets: `sshpath analyze CAPTURE ARGS...` on
each case of cloud_cases.json must give the verdict it names (rule, cause, component, and the
candidates, confidence, summary and next-step words, and cloud facts when given).
Usage: check_cloud.py SSHPATH_BIN SOURCE_DIR [CASES_JSON]
"""
import json
import os
import subprocess
import sys


def check(binary, root, case):
    out = subprocess.run([binary, "analyze", "--format", "json", os.path.join(root, case["capture"]), *case["args"]],
                         capture_output=True, text=True, timeout=60, cwd=root)
    if out.returncode != 0:
        return [f"exit {out.returncode}: {out.stderr.strip()}"]
    doc = json.loads(out.stdout)
    v, e, problems = doc["verdict"], case["expect"], []
    for key in ("rule", "cause", "component", "confidence"):
        if key in e and v[key] != e[key]:
            problems.append(f"{key} is {v[key]!r}, expected {e[key]!r}")
    if "candidates" in e and v["candidates"] != e["candidates"]:
        problems.append(f"candidates are {v['candidates']}, expected {e['candidates']}")
    for words in e.get("summary", []):
        if words not in v["summary"]:
            problems.append(f"summary lacks {words!r}: {v['summary']!r}")
    steps = "\n".join(v["next_steps"])
    for words in e.get("next_steps", []):
        if words not in steps:
            problems.append(f"next steps lack {words!r}")
    decider = next((f for f in doc["flows"] if f["verdict"] == v), doc["flows"][0] if doc["flows"] else {})
    facts = decider.get("cloud_facts", {})
    for name, want in e.get("cloud_facts", {}).items():
        if facts.get(name) != want:
            problems.append(f"cloud fact {name} is {facts.get(name)!r}, expected {want!r}")
    return problems


def main():
    binary, root = sys.argv[1], os.path.abspath(sys.argv[2])
    cases_file = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "cloud_cases.json")
    with open(cases_file, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    failed = 0
    for case in cases:
        problems = check(binary, root, case)
        print(f"{'FAIL' if problems else 'PASS'} {case['name']}{': ' + '; '.join(problems) if problems else ''}")
        failed += bool(problems)
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
