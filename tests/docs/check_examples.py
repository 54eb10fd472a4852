#!/usr/bin/env python3
"""Runs every example of a manual page and compares its output with the page.

Examples are fenced blocks whose info string is `console`: each line starting with `$ sshpath `
is run from the source tree's root (stdout and stderr together), and the lines after it, up to
the next `$ ` line or the end of the block, are its expected output. A command whose expected
output starts with `sshpath: error:` must exit with status 2, any other with 0. A line that is an
sshpath command (`sshpath analyze ...`, `sshpath --help`) in a block that is not `console` is
refused: every example is run. In an expected output, a line that is exactly `...` stands for
any number of lines (an abridged report); every other line must be printed as shown. Commands
that need root and a live failure (`sudo sshpath run ...`) are shown in blocks that are not
`console`, starting with `$ sudo `; they are not run.

Usage: check_examples.py SSHPATH_BIN PAGE.md [--update]
  --update rewrites the expected outputs in PAGE.md with what the commands print (review the diff).
"""
import os
import re
import shlex
import subprocess
import sys

# A line that is an sshpath command (a report's own lines, "sshpath 0.1.0: ..." and "sshpath: ...",
# are not).
COMMAND = re.compile(r"^sshpath (analyze|capture|run|probe|check|cloud-verify|rules|facts|-)")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def blocks(lines):
    """Yields (info, first line index, last line index exclusive) of each fenced block."""
    i = 0
    while i < len(lines):
        if lines[i].startswith("```"):
            info = lines[i][3:].strip()
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            yield info, i + 1, j
            i = j + 1
        else:
            i += 1


def run(binary, command):
    args = shlex.split(command)
    assert args[0] == "sshpath"
    p = subprocess.run([binary] + args[1:], cwd=ROOT, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "SSHPATH_RULES": os.path.join(ROOT, "rules"), "COLUMNS": "80"})
    return p.returncode, p.stdout + p.stderr


def matches(expected, output):
    """True when output is expected, each `...` line of expected standing for any lines."""
    if "\n...\n" not in f"\n{expected}\n":
        return output == expected
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in expected.split("\n"))
    return re.fullmatch(pattern, output + "\n") is not None


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
    for info, start, end in blocks(lines):
        if info != "console":
            for k in range(start, end):
                if COMMAND.match(lines[k]):
                    failures.append(f"{page}:{k + 1}: an sshpath example outside a console block is never run")
            continue
        k = start
        while k < end:
            if not lines[k].startswith("$ "):
                failures.append(f"{page}:{k + 1}: console block line without a command before it")
                k += 1
                continue
            command = lines[k][2:]
            m = k + 1
            while m < end and not lines[m].startswith("$ "):
                m += 1
            expected = "\n".join(lines[k + 1:m]).rstrip("\n")
            if not command.startswith("sshpath "):
                failures.append(f"{page}:{k + 1}: only sshpath commands can be run: {command}")
                k = m
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
            k = m
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
