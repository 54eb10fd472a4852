#!/usr/bin/env python3
"""Runs every offline example of a manual page and compares its output with the page.

Examples are the `$ sshpath ...` lines of fenced blocks whose info string is `console`
(tests/docs/examples.py says what they are): each runs from the source tree's root (stdout and
stderr together) and must print the lines after it, up to the next `$ ` line or the end of the
block. A command whose expected output starts with `sshpath: error:` must exit with status 2, any
other with 0. A concrete sshpath command (`sshpath analyze captures/x.pcap`) in a block that is
not `console` is refused: every example is run; a synopsis with placeholders
(`sshpath check HOST [-p PORT]`) is not an example. In an expected output, a line that is exactly
`...` stands for any number of lines (an abridged report); every other line must be printed as
shown. Blocks `console lab=NAME` need root and the failure lab: lab_examples runs them, not this.

Usage: check_examples.py SSHPATH_BIN PAGE.md [--update]
  --update rewrites the expected outputs in PAGE.md with what the commands print (review the diff).
"""
import os
import shlex
import subprocess
import sys

from examples import blocks, examples, lab_of, matches, unrun_commands

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(binary, command):
    args = shlex.split(command)
    assert args[0] == "sshpath"
    p = subprocess.run([binary] + args[1:], cwd=ROOT, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "SSHPATH_RULES": os.path.join(ROOT, "rules"), "COLUMNS": "80"})
    return p.returncode, p.stdout + p.stderr


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    binary, page = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    failures, ran = [], 0
    out_lines = list(lines)
    replacements = []  # (start, end, new lines), applied from the end
    for k, line in unrun_commands(lines):
        failures.append(f"{page}:{k + 1}: an sshpath example outside a console block is never run: {line}")
    for info, start, end in blocks(lines):
        if lab_of(info) != "":
            continue  # not a console block, or one for the lab (lab_examples runs it)
        for k, command, m in examples(lines, start, end):
            if command is None:
                failures.append(f"{page}:{k + 1}: console block line without a command before it")
                continue
            expected = "\n".join(lines[k + 1:m]).rstrip("\n")
            if not command.startswith("sshpath "):
                failures.append(f"{page}:{k + 1}: only sshpath commands can be run: {command}")
                continue
            status, output = run(binary, command)
            ran += 1
            output = output.rstrip("\n")
            want_status = 2 if expected.startswith("sshpath: error:") else 0
            if update:
                if not matches(expected, output):
                    replacements.append((k + 1, m, output.split("\n") if output else []))
            elif not matches(expected, output) or status != want_status:
                failures.append(f"{page}:{k + 1}: `{command}` (exit {status}, want {want_status}) printed:\n{output}\n"
                                f"--- the page says:\n{expected}")
    if update:
        for s, e, new in sorted(replacements, reverse=True):
            out_lines[s:e] = new
        with open(page, "w", encoding="utf-8") as f:
            f.write("\n".join(out_lines))
        print(f"{page}: {ran} examples rewritten")
        return 0
    for f in failures:
        print("FAIL:", f)
    print(f"{page}: {ran} examples run, {len(failures)} failures")
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
