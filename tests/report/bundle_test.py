#!/usr/bin/env python3
"""The support bundle on every bundled capture (captures/*.pcap, the *.vm.pcap server-side copies
left out): `--export` writes a pcapng that analyses to the same verdict; with `--anonymize` the
report and the export hold none of the capture's real addresses, the export analyses to the same
verdict as the original and as the anonymised report, and every exported IPv4/TCP/UDP/ICMP
checksum is right (tshark, when installed, checks them).

Usage: bundle_test.py SSHPATH_BIN CAPTURES_DIR
"""
import concurrent.futures
import glob
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile

KEYS = ("cause", "component", "candidates", "confidence", "rule")


def analyze(binary, *args):
    p = subprocess.run([binary, "analyze", "--format", "json", *args], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError(f"analyze {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout), p.stdout, p.stderr


def verdict(j):
    return {k: j["verdict"].get(k) for k in KEYS}


def addresses(j):
    out = set()
    for f in j["flows"]:
        for key in ("client", "server"):
            host = f[key].rsplit(":", 1)[0].strip("[]")
            out.add(host)
    return out


def bad_checksums(path):
    if not shutil.which("tshark"):
        return 0
    p = subprocess.run(["tshark", "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                        "-o", "udp.check_checksum:TRUE", "-o", "icmp.check_checksum:TRUE", "-Y",
                        "ip.checksum.status == 2 or tcp.checksum.status == 2 or udp.checksum.status == 2 or icmp.checksum.status == 2",
                        "-T", "fields", "-e", "frame.number"], capture_output=True, text=True, timeout=60)
    return len([l for l in p.stdout.split() if l.strip()])


def main():
    binary, captures = sys.argv[1], sys.argv[2]
    files = sorted(f for f in glob.glob(os.path.join(captures, "*.pcap")) if not f.endswith(".vm.pcap"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        failures = [f for part in pool.map(lambda cap: check(binary, cap), files) for f in part]
    for f in failures:
        print("FAIL:", f)
    failed = len({f.split(':')[0] for f in failures})
    print(f"{len(files)} captures: {len(files) - failed} passed, {failed} failed")
    return 1 if failures or not files else 0


def check(binary, cap):
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        name = os.path.basename(cap)
        try:
            plain = os.path.join(tmp, "plain.pcapng")
            original, _, _ = analyze(binary, cap, "--export", plain)
            exported, _, _ = analyze(binary, plain)
            if verdict(exported) != verdict(original):
                failures.append(f"{name}: the export analyses to {verdict(exported)}, the capture to {verdict(original)}")
            anon = os.path.join(tmp, "anon.pcapng")
            report, text, _ = analyze(binary, cap, "--anonymize", "--anonymize-key", "test", "--export", anon)
            again, _, _ = analyze(binary, anon)
            if verdict(report) != verdict(original):
                failures.append(f"{name}: the anonymised report says {verdict(report)}, the capture {verdict(original)}")
            if verdict(again) != verdict(original):
                failures.append(f"{name}: the anonymised export analyses to {verdict(again)}, the capture to {verdict(original)}")
            with open(anon, "rb") as f:
                raw = f.read()
            for a in addresses(original):
                if a and a in text:
                    failures.append(f"{name}: the anonymised report still shows {a}")
                if a and ipaddress.ip_address(a).packed in raw:
                    failures.append(f"{name}: the anonymised export still holds {a}")
            bad = bad_checksums(anon)
            if bad:
                failures.append(f"{name}: {bad} packets of the anonymised export have a wrong checksum")
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            failures.append(f"{name}: {e}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
