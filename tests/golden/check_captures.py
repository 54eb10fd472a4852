#!/usr/bin/env python3
"""Golden test: `sshpath analyze` on every recorded capture in captures/ must give the verdict
its <scenario>.expected.json names (cause, component, and the candidates when component is
unknown); and where the scenario recorded the VM's side too (<scenario>.vm.pcap, the file's
"pair" section), `sshpath analyze` on both captures together must give the pair's verdict and
name the segment where the packets vanished (tests/lab/verdict_check.py, compare_pair); and where
the file names the verdict on the VM's capture alone ("pair"."vm_alone"), `sshpath analyze` on
that capture, given as taken on the VM (FILE@vm) and with the options "vm_alone_args" names (e.g.
--from), must give it.
Every verdict's sentences (summary, explanation, next steps: the capture's, each connection's and
each pair's) must not show a fact the packets did not give: no unset value (-1, empty
parentheses or quotes) and no raw fact token where words belong ("(syn)", "(neighbour)").
The expected file's "rule" pins the id of the rule that decides the client's capture (so a new
rule cannot silently take a verdict over); `--update-rules` writes the rules that decide now.
Needs no root.
Usage: check_captures.py SSHPATH_BIN CAPTURES_DIR [--no-pairs | --pairs-only] [--update-rules] [SCENARIO...]
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab"))
from verdict_check import compare, compare_pair  # noqa: E402


# What a sentence shows when a rule's text printed a fact that was unset or a raw fact token
# (rules/*.yaml put those words in optional parts, docs/rules.md "Texts").
SENTINEL = re.compile(r"\(-1\b|\s-1 (?:ms|s|hops?|routers?)\b|(?:TTL|hop|port) -1\b|\(\s*\)|''|\"\"|"
                      r"\((?:syn|handshake|banner|data|neighbour|server-ttl|address-plan)\)|\S  \S")


def sentinel_problems(doc):
    """Sentences of the report's verdicts that show an unset fact."""
    verdicts = [("verdict", doc["verdict"])] + [(f"flow {i}", f["verdict"]) for i, f in enumerate(doc.get("flows", []))]
    verdicts += [(f"pair attempt {i}", a["verdict"]) for i, a in enumerate(doc.get("pair", {}).get("attempts", []))]
    problems = []
    for where, v in verdicts:
        for text in [v.get("summary", ""), v.get("explanation", "")] + v.get("next_steps", []):
            m = SENTINEL.search(text or "")
            if m:
                problems.append(f"{where} ({v.get('rule')}) shows {m.group(0)!r}: ...{text[max(0, m.start() - 60):m.end() + 20]}...")
    return problems


def kept_problems(doc):
    """A pair rule that keeps the client's verdict adds its sentence after the client's summary,
    as a sentence of its own."""
    problems = []
    for i, a in enumerate(doc.get("pair", {}).get("attempts", [])):
        v = a["verdict"]
        if not v.get("rule", "").startswith("pair.kept.") or a.get("client_flow", -1) < 0:
            continue
        client = doc["flows"][a["client_flow"]]["verdict"]["summary"]
        if not v["summary"].startswith(client):
            problems.append(f"pair attempt {i} ({v['rule']}) does not start with the client's summary: {v['summary']!r}")
            continue
        rest = v["summary"][len(client):]
        if rest and not (rest.startswith(". ") or (client.endswith((".", ":")) and rest.startswith(" "))):
            problems.append(f"pair attempt {i} ({v['rule']}) runs its sentence on from the client's: ...{v['summary'][max(0, len(client) - 30):len(client) + 30]}...")
    return problems


def analyze(binary, files):
    """The analyzer's JSON on FILES, or (None, why) when it failed."""
    out = subprocess.run([binary, "analyze", "--format", "json", *files], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        return None, f"exit {out.returncode}: {out.stderr.strip()}"
    try:
        return json.loads(out.stdout), ""
    except ValueError as e:
        return None, f"unreadable JSON: {e}"


def main():
    binary, captures = sys.argv[1], sys.argv[2]
    flags = {a for a in sys.argv[3:] if a.startswith("--")}
    only = {a for a in sys.argv[3:] if not a.startswith("--")}
    singles, pairs, update = "--pairs-only" not in flags, "--no-pairs" not in flags, "--update-rules" in flags
    expected_files = sorted(f for f in os.listdir(captures) if f.endswith(".expected.json"))
    passed, failed = 0, 0

    def report(name, problems):
        nonlocal passed, failed
        if problems:
            print(f"FAIL {name}: {'; '.join(problems)}")
            failed += 1
        else:
            print(f"PASS {name}")
            passed += 1

    for name in expected_files:
        scenario = name[: -len(".expected.json")]
        if only and scenario not in only:
            continue
        with open(os.path.join(captures, name), encoding="utf-8") as f:
            expected = json.load(f)
        if singles:
            doc, why = analyze(binary, [os.path.join(captures, scenario + ".pcap")])
            problems = [why] if doc is None else compare(expected, doc) + sentinel_problems(doc)
            if doc is not None and update and not problems:
                expected["rule"] = doc["verdict"]["rule"]
                with open(os.path.join(captures, name), "w", encoding="utf-8") as f:
                    f.write(json.dumps(expected, ensure_ascii=False, indent=1) + "\n")
            if doc is not None and "rule" in expected and doc["verdict"]["rule"] != expected["rule"]:
                problems.append(f"decided by rule {doc['verdict']['rule']}, expected {expected['rule']}")
            report(scenario, problems)
        if pairs and "pair" in expected:
            files = [os.path.join(captures, scenario + ".pcap"), os.path.join(captures, expected["pair"]["vm_capture"])]
            doc, why = analyze(binary, files)
            report(scenario + " (pair)", [why] if doc is None else compare_pair(expected, doc) + sentinel_problems(doc) + kept_problems(doc))
            if "vm_alone" in expected["pair"]:
                doc, why = analyze(binary, [files[1] + "@vm", *expected["pair"].get("vm_alone_args", [])])
                alone = {"expect": expected["pair"]["vm_alone"]}
                report(scenario + " (VM's capture alone)", [why] if doc is None else compare(alone, doc) + sentinel_problems(doc))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not expected_files else 0


if __name__ == "__main__":
    sys.exit(main())
