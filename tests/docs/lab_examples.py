#!/usr/bin/env python3
"""The lab examples of manual pages (blocks `console lab=NAME`, tests/docs/examples.py): lists them
for tests/docs/lab_examples, which runs them in the failure lab, then compares what they printed
with the pages.

Output is compared as the reader sees it, with what varies from run to run masked on both sides:
durations and times of day (`3.622 s`, `5002 ms`, `2026-12-03T18:11:02Z`), the client's ephemeral ports
(5-digit ports after an address), the uid of the user a fixture makes, and the line breaks of wrapped text (runs of white space are one
space, so a duration one digit longer may wrap elsewhere). A line `...` stands for any text. An
example whose expected output starts with `sshpath: error:` must exit with status 2; `sshpath run`
exits with the command's status; any other with 0.

Usage: lab_examples.py list PAGE...                  one line per example: fixture, id, argv (tabs)
       lab_examples.py compare OUTDIR PAGE... [--update]
  OUTDIR holds ID.out (stdout and stderr) and ID.rc of each example; --update rewrites the expected
  outputs that differ with what was printed (review the diff, abridge with `...` again).
"""
import os
import re
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from examples import blocks, examples, lab_of  # noqa: E402

MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?"), "<time>"),
    (re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])"), "<n.n>"),
    (re.compile(r"(?<![\d.])\d+(?= ms\b)"), "<n>"),
    (re.compile(r"(?<=\buid )\d+"), "<uid>"),
    (re.compile(r"(?<=[\d\]][:.])[1-6]\d{4}\b"), "<port>"),
]


def lab_examples(page):
    """(id, fixture, line index, end index, command) of each lab example of PAGE."""
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    slug = re.sub(r"[^\w]+", "-", os.path.basename(page)[:-3])
    out = []
    for info, start, end in blocks(lines):
        fixture = lab_of(info)
        if not fixture:
            continue
        for k, command, m in examples(lines, start, end):
            if command is not None:
                out.append((f"{slug}-{k + 1}", fixture, k, m, command))
    return lines, out


def normalised(text):
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return " ".join(text.split())


def matches(expected, output):
    parts = re.split(r"(?:^|\n)\.\.\.(?:\n|$)", expected)
    pattern = r".*?".join(re.escape(normalised(p)) for p in parts)
    return re.fullmatch(r"\s*" + pattern + r"\s*", normalised(output), re.S) is not None


def list_examples(pages):
    for page in pages:
        for ident, fixture, _, _, command in lab_examples(page)[1]:
            print("\t".join([fixture, ident] + shlex.split(command)))


def compare(outdir, pages, update):
    failures, ran = [], 0
    for page in pages:
        lines, found = lab_examples(page)
        replacements = []
        for ident, _, k, m, command in found:
            expected = "\n".join(lines[k + 1:m]).rstrip("\n")
            try:
                with open(os.path.join(outdir, ident + ".out"), encoding="utf-8", errors="replace") as f:
                    output = f.read().rstrip("\n")
                with open(os.path.join(outdir, ident + ".rc"), encoding="utf-8") as f:
                    status = int(f.read().strip())
            except OSError:
                failures.append(f"{page}:{k + 1}: `{command}` did not run")
                continue
            ran += 1
            args = shlex.split(command)
            if args[0] == "sudo":
                args = args[1:]
            want = 2 if expected.startswith("sshpath: error:") else None if args[1] == "run" else 0
            if not matches(expected, output) or (want is not None and status != want):
                if update:
                    replacements.append((k + 1, m, output.split("\n") if output else []))
                failures.append(f"{page}:{k + 1}: `{command}` (exit {status}, want {want}) printed:\n{output}\n"
                                f"--- the page says:\n{expected}")
        if update and replacements:
            for s, e, new in sorted(replacements, reverse=True):
                lines[s:e] = new
            with open(page, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
    for f in failures:
        print("FAIL:", f)
    print(f"{ran} lab examples compared, {len(failures)} failures")
    return 1 if failures or ran == 0 else 0


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("list", "compare"):
        print(__doc__)
        return 2
    if sys.argv[1] == "list":
        list_examples(sys.argv[2:])
        return 0
    args = [a for a in sys.argv[3:] if a != "--update"]
    return compare(sys.argv[2], args, "--update" in sys.argv[3:])


if __name__ == "__main__":
    sys.exit(main())
