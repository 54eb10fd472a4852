#!/usr/bin/env python3
"""Runs the examples of a manual page in docs/ and checks their output.

Usage: examples.py SSHPATH_BIN DOC.md

An example is a ```console block: lines starting with "$ " are commands (run from the
repository's top directory, "sshpath" standing for SSHPATH_BIN), the lines after each command
are output that must appear in its standard output, in that order (other lines may come between
them; a line "..." is only a reminder of that). Each command must exit 0. Exit status 1 when an
example fails, 2 on a usage error.
"""
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def examples(text):
    """[(command, [expected lines])] of every console block."""
    out, block, current = [], False, None
    for line in text.splitlines():
        if line.startswith("```"):
            block = line.strip() == "```console"
            current = None
            continue
        if not block:
            continue
        if line.startswith("$ "):
            current = (line[2:], [])
            out.append(current)
        elif current is not None and line.strip() and line.strip() != "...":
            current[1].append(line.rstrip())
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary, doc = sys.argv[1], sys.argv[2]
    with open(doc, encoding="utf-8") as f:
        found = examples(f.read())
    failed = 0
    for command, expected in found:
        argv = shlex.split(command)
        if argv[0] == "sshpath":
            argv[0] = binary
        run = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=60)
        lines = [line.rstrip() for line in run.stdout.splitlines()]
        at, missing = 0, None
        for want in expected:
            while at < len(lines) and lines[at] != want:
                at += 1
            if at == len(lines):
                missing = want
                break
            at += 1
        if run.returncode != 0 or missing is not None:
            failed += 1
            why = f"exit {run.returncode}" if run.returncode != 0 else f"no line {missing!r} (in that order)"
            print(f"FAIL {command}: {why}")
        else:
            print(f"PASS {command}")
    print(f"{len(found) - failed} passed, {failed} failed")
    return 1 if failed or not found else 0


if __name__ == "__main__":
    sys.exit(main())
