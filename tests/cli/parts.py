#!/usr/bin/env python3
"""A capture split into files one after the other (a ring buffer's parts) is read as one capture.

A bundled capture is cut into parts named as ring-buffer tools name them (dumpcap -b and editcap -c:
PREFIX_NNNNN_TIME.pcap; tcpdump -C: NAME, NAME1, NAME2), each part a valid pcap file of its own.
Given together, the parts must give the report of the whole capture: one capture that names its
parts, the same attempts with the same verdicts and packet numbers, the same overall verdict; read
apart (one at a time), a part sees half a connection and judges it otherwise, which is what the
joining is for. Files that are not parts of one capture stay apart: both ends of one attempt (the
same time), parts renamed otherwise, two parts given out of order, parts of a capture cut short; more than
two parts are taken in the order of their numbers, whatever the order given (a glob puts dump10
before dump2).

Usage: parts.py SSHPATH_BIN CAPTURES_DIR
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

BIN, CAPTURES = sys.argv[1], sys.argv[2]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def records(path):
    """The file header and each record (header and data) of a classic pcap file."""
    data = open(path, "rb").read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out, at = [], 24
    while at + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
        out.append(data[at:at + 16 + caplen])
        at += 16 + caplen
    return data[:24], out


def write_parts(path, cuts, names):
    """Cuts the capture before the records numbered in `cuts` (0-based) into files named `names`."""
    header, recs = records(path)
    bounds = [0] + cuts + [len(recs)]
    for name, lo, hi in zip(names, bounds, bounds[1:]):
        with open(name, "wb") as f:
            f.write(header + b"".join(recs[lo:hi]))
    return len(recs)


def analyze(*args):
    run = subprocess.run([BIN, "analyze", "--format", "json", *args], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"sshpath analyze {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()}")
    return json.loads(run.stdout)


def attempts(report):
    """What must not depend on how the capture was split: each attempt but its file name."""
    return [{k: v for k, v in f.items() if k != "file"} for f in report["flows"]]


with tempfile.TemporaryDirectory() as tmp:
    whole = os.path.join(CAPTURES, "auth-denied.pcap")
    want = analyze(whole)
    _, recs = records(whole)
    check(len(recs) > 12 and want["flows"], "auth-denied.pcap has an attempt and enough packets to cut")

    # dumpcap -b / editcap -c names, cut in the middle of the SSH session
    ring = [os.path.join(tmp, f"ring_{i:05d}_20261203122446.pcap") for i in range(3)]
    write_parts(whole, [5, 12], ring)
    got = analyze(*ring)
    check(len(got["captures"]) == 1, "three parts named alike are one capture")
    cap = got["captures"][0]
    check(cap["file"] == ring[0] and cap.get("parts") == ring, "the capture is named by its first part and lists every part")
    check(cap["packets"] == want["captures"][0]["packets"] == len(recs), "its packets are all the parts' packets")
    check(attempts(got) == attempts(want), "its attempts, verdicts and packet numbers are those of the whole capture")
    check(got["verdict"] == want["verdict"], "its verdict is that of the whole capture")
    check(all(f["file"] == ring[0] for f in got["flows"]), "each attempt names the capture's first part")
    apart = [analyze(p) for p in ring]
    check([f["verdict"]["cause"] for r in apart for f in r["flows"]] != [f["verdict"]["cause"] for f in want["flows"]],
          "read one at a time the parts would be judged otherwise")
    check(analyze("-j", "2", *ring) == got, "-j 2 reads them as one capture too")

    wide = dict(os.environ, COLUMNS="300")
    text = subprocess.run([BIN, "analyze", *ring], capture_output=True, text=True, env=wide).stdout
    check(f"{ring[0]} and 2 more parts to {ring[2]} (" in text.splitlines()[0], "the text report names the parts")
    md = subprocess.run([BIN, "analyze", "--format", "markdown", *ring], capture_output=True, text=True).stdout
    check(f"and 2 more parts to `{ring[2]}`:" in md, "the Markdown report names the parts")

    # tcpdump -C names the first file without a number, the others unpadded: a shell's glob puts
    # dump10 and dump11 before dump2
    dump = [os.path.join(tmp, "dump" + (str(i) if i else "")) for i in range(12)]
    write_parts(whole, list(range(2, 24, 2)), dump)
    got = analyze(*sorted(dump))
    check(len(got["captures"]) == 1 and got["captures"][0]["parts"] == dump and attempts(got) == attempts(want),
          "twelve tcpdump -C parts (dump, dump1 ... dump11) given as a glob sorts them are one capture, in their numbers' order")

    # not parts of one capture
    other = [os.path.join(tmp, n) for n in ("first.pcap", "second.pcap")]
    write_parts(whole, [12], other)
    check(len(analyze(*other)["captures"]) == 2, "files named otherwise stay two captures")
    got = analyze(*reversed(ring))
    check(len(got["captures"]) == 1 and got["captures"][0]["parts"] == ring, "parts given in the reverse order are taken in their numbers' order")
    two = analyze(ring[1], ring[0])
    check(len(two["captures"]) == 2, "two parts given in the reverse order (which may be both ends) stay apart")
    pair = analyze(whole, os.path.join(CAPTURES, "auth-denied.vm.pcap"))
    check(len(pair["captures"]) == 2, "both ends of one attempt stay two captures")
    # named alike, but of the same time: two captures, still paired
    ends = [os.path.join(tmp, n) for n in ("end1.pcap", "end2.pcap")]
    shutil.copy(whole, ends[0])
    shutil.copy(os.path.join(CAPTURES, "auth-denied.vm.pcap"), ends[1])
    alike = analyze(*ends)
    check(len(alike["captures"]) == 2 and ("pair" in alike) == ("pair" in pair),
          "both ends named alike stay two captures and are paired as they are named otherwise")
    cut = [os.path.join(tmp, f"cut_{i:05d}.pcap") for i in range(2)]
    write_parts(whole, [12], cut)
    with open(cut[0], "r+b") as f:
        f.truncate(os.path.getsize(cut[0]) - 5)
    check(len(analyze(*cut)["captures"]) == 2, "a part cut short ends its capture")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
