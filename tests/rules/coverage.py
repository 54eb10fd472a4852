#!/usr/bin/env python3
"""Every rule in rules/ must decide at least one connection (or capture) of a real capture:
the recorded lab captures in captures/ (those taken on the VM also given as such, FILE@vm) and
Zeek's captures in ../shared/peer-traces/; rules that
read the cloud's facts, on the captures of tests/golden/cloud_cases.json analysed with the
exported cloud rules each case gives.
The fallback (condition `true`) is exempt: it decides only what no other rule explains.
Usage: coverage.py SSHPATH_BIN RULES_DIR CAPTURE_DIR...
"""
import json
import os
import re
import subprocess
import sys


def main():
    binary, rules_dir, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    ids = set()
    for name in os.listdir(rules_dir):
        if name.endswith((".yaml", ".yml")) and name not in ("parameters.yaml", "ssh-errors.yaml"):
            with open(os.path.join(rules_dir, name), encoding="utf-8") as f:
                text = f.read()
            m = re.search(r"^id:\s*(\S+)", text, re.M)
            if re.search(r"^condition:\s*[\"']?true[\"']?\s*$", text, re.M):
                continue
            # Rules that read ssh's own error line decide only under `sshpath run`: no capture
            # file carries it. tests/live/live_capture_test and live_rules_test decide each one.
            cond = re.search(r"^condition:(.*(?:\n[ \t]+.*)*)", text, re.M)
            scope = re.search(r"^scope:\s*(\S+)", text, re.M)
            if m and scope and scope.group(1) not in ("flow", "capture"):
                print(f"SKIP rule {m.group(1)}: scope {scope.group(1)} gives no verdict of a capture; rules/tests decides it")
                continue
            # Rules that read the client check (client.NAME) need `sshpath run`, `capture` or
            # `analyze --client-check`: tests/client/check_test decides each one.
            if m and cond and re.search(r"\bclient\.[a-z_]+", cond.group(1)):
                print(f"SKIP rule {m.group(1)}: reads the client check; tests/client/check_test decides it")
                continue
            if m and cond and re.search(r"\b(client_error|client_error_kind|command_exit_status)\b", cond.group(1)):
                print(f"SKIP rule {m.group(1)}: reads ssh's error line (sshpath run only); tests/live decides it")
                continue
            if m:
                ids.add(m.group(1))
    decided = {}
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for root, _, files in os.walk(d):
            for name in sorted(files):
                if not name.endswith((".pcap", ".pcapng")):
                    continue
                path = os.path.join(root, name)
                # A lab capture taken on the VM is also analysed as such (FILE@vm).
                for arg in [path] + ([path + "@vm"] if name.endswith(".vm.pcap") else []):
                    out = subprocess.run([binary, "analyze", "--format", "json", "--rules", rules_dir, arg],
                                         capture_output=True, text=True, timeout=120)
                    if out.returncode != 0:
                        continue
                    report = json.loads(out.stdout)
                    for v in [report["verdict"]] + [f["verdict"] for f in report["flows"]]:
                        decided.setdefault(v["rule"], arg)
    # The selection rules: a capture analysed with --host naming a server it does not hold, or
    # --from naming a client it does not hold (on the client's side, and on the VM's).
    healthy = os.path.join(dirs[0], "healthy.pcap") if dirs else ""
    if os.path.exists(healthy):
        for args in (["--host", "203.0.113.99", healthy], ["--from", "198.51.100.99", healthy],
                     ["--from", "198.51.100.99", os.path.join(dirs[0], "healthy.vm.pcap") + "@vm"]):
            out = subprocess.run([binary, "analyze", "--format", "json", "--rules", rules_dir, *args],
                                 capture_output=True, text=True, timeout=120)
            if out.returncode == 0:
                decided.setdefault(json.loads(out.stdout)["verdict"]["rule"], " ".join(args))
    # The cloud rules: the captures of tests/golden/cloud_cases.json with the exports each names.
    root = os.path.dirname(os.path.abspath(rules_dir))
    cases = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "cloud_cases.json")
    with open(cases, encoding="utf-8") as f:
        for case in json.load(f)["cases"]:
            out = subprocess.run([binary, "analyze", "--format", "json", "--rules", os.path.abspath(rules_dir), case["capture"], *case["args"]],
                                 capture_output=True, text=True, timeout=120, cwd=root)
            if out.returncode == 0:
                for v in [f["verdict"] for f in json.loads(out.stdout)["flows"]]:
                    decided.setdefault(v["rule"], f"{case['capture']} {' '.join(case['args'])}")
    passed, failed = 0, 0
    for rid in sorted(ids):
        if rid in decided:
            passed += 1
        else:
            failed += 1
            print(f"FAIL rule {rid}: no capture gives it")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
