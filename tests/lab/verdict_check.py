#!/usr/bin/env python3
"""Compares sshpath's verdict with a scenario's expected verdict.

Usage: verdict_check.py [--pair] EXPECTED_JSON ANALYZE_JSON

EXPECTED_JSON is a captures/<scenario>.expected.json ({"expect": {"cause", "component",
["candidates"]}, ...}); ANALYZE_JSON is the output of `sshpath analyze --format json`.
Checks verdict.cause and verdict.component, and when candidates are expected, that
verdict.candidates[0] is the expected first candidate and that the candidate sets are equal.
An empty expected list ("candidates": []) means the verdict's candidates must be empty (or
absent); no "candidates" key means they are not checked.

With --pair, ANALYZE_JSON is `sshpath analyze --format json CLIENT.pcap VM.pcap` and the
expectation is the file's "pair" section ({"pair": {"expect": {"cause", "component",
["candidates"], "segment"}}}): the same checks, and verdict.segment, the segment where the
packets vanished (none, client, client-to-vm, vm-to-client, between, vm).

Exit status: 0 match, 1 mismatch (or an unreadable analyzer output), 2 usage error.
Prints one line: "got ... expected ..." and, on a mismatch, why.

Golden tests can import it: `compare(expected_doc, analyze_doc)` returns a list of problems.
"""
import json
import sys


def _words(verdict):
    cands = verdict.get("candidates")
    text = f"cause={verdict.get('cause')} component={verdict.get('component')}"
    if cands:
        text += " candidates=" + ",".join(str(c) for c in cands)
    elif cands == [] and verdict.get("component") == "unknown":
        text += " candidates=(none)"
    return text


def compare(expected_doc, analyze_doc):
    """Returns the list of differences between the expected and the analyzer's verdict."""
    expect = expected_doc["expect"]
    verdict = analyze_doc.get("verdict") if isinstance(analyze_doc, dict) else None
    if not isinstance(verdict, dict):
        return ["the analyzer's JSON has no \"verdict\" object"]
    problems = []
    for key in ("cause", "component"):
        if verdict.get(key) != expect[key]:
            problems.append(f"{key} is {verdict.get(key)!r}, expected {expect[key]!r}")
    want = expect.get("candidates")
    if want is not None and not want:
        got = verdict.get("candidates")
        if got:
            problems.append(f"candidates are {got}, expected none")
    elif want:
        got = verdict.get("candidates")
        if not isinstance(got, list) or not got:
            problems.append(f"no candidates, expected {want}")
        else:
            if got[0] != want[0]:
                problems.append(f"first candidate is {got[0]!r}, expected {want[0]!r}")
            if set(got) != set(want):
                problems.append(f"candidates are {sorted(set(got))}, expected {sorted(set(want))}")
    return problems


def compare_pair(expected_doc, analyze_doc):
    """Returns the differences between the pair expectation of an expected.json and the
    analyzer's verdict on the two captures together (the verdict's words and its segment)."""
    pair = expected_doc["pair"]
    problems = compare({"expect": pair["expect"]}, analyze_doc)
    verdict = analyze_doc.get("verdict") if isinstance(analyze_doc, dict) else None
    if isinstance(verdict, dict) and verdict.get("segment") != pair["expect"]["segment"]:
        problems.append(f"segment is {verdict.get('segment')!r}, expected {pair['expect']['segment']!r}")
    return problems


def main(argv):
    pair = len(argv) == 4 and argv[1] == "--pair"
    if pair:
        argv = argv[:1] + argv[2:]
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as f:
            expected = json.load(f)
        if pair:
            expected = {"expect": expected["pair"]["expect"], "pair": expected["pair"]}
            expected["expect"]["segment"]
        expected["expect"]["cause"], expected["expect"]["component"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"verdict_check: bad expected file {argv[1]}: {e}", file=sys.stderr)
        return 2
    want = _words(expected["expect"])
    if pair:
        want += f" segment={expected['expect']['segment']}"
    try:
        with open(argv[2]) as f:
            got_doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"got unreadable analyzer output ({e}); expected {want}")
        return 1
    problems = compare_pair(expected, got_doc) if pair else compare(expected, got_doc)
    verdict = got_doc.get("verdict") if isinstance(got_doc, dict) else None
    got = _words(verdict) if isinstance(verdict, dict) else "no verdict"
    if pair and isinstance(verdict, dict):
        got += f" segment={verdict.get('segment')}"
    if problems:
        print(f"got {got}; expected {want}: " + "; ".join(problems))
        return 1
    print(f"got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
