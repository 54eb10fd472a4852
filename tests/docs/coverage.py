#!/usr/bin/env python3
"""Every example command of README.md and docs/*.md is run by a test.

Lists every example (tests/docs/examples.py: a `$ sshpath ...` or `$ sudo sshpath ...` line of a
`console` block) with the test that runs it, and fails on:
- an example of a page that no docs test runs (tests/CMakeLists.txt registers check_examples.py
  for the page's offline examples and lab_examples for its `console lab=NAME` blocks);
- a `console lab=NAME` block whose fixture tests/docs/lab/NAME.sh does not exist;
- an offline example run with sudo (it needs the lab: `console lab=NAME`);
- a concrete sshpath command outside console blocks, with or without a prompt (a synopsis has
  placeholders: `sshpath check HOST`).

Usage: coverage.py SOURCE_DIR
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from examples import blocks, examples, lab_of, unrun_commands  # noqa: E402


def registered(source):
    """{page: test name} for check_examples.py and for lab_examples, from tests/CMakeLists.txt."""
    with open(os.path.join(source, "tests", "CMakeLists.txt"), encoding="utf-8") as f:
        text = f.read()
    offline, lab = {}, {}
    for m in re.finditer(r"add_test\(NAME (\S+) COMMAND ([^)]*)\)", text):
        name, command = m.group(1), m.group(2)
        pages = re.findall(r"\$\{PROJECT_SOURCE_DIR\}/((?:docs/)?[\w-]+\.md)", command)
        target = offline if "check_examples.py" in command else lab if "lab_examples" in command else None
        if target is not None:
            for page in pages:
                target[page] = name
    return offline, lab


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    source = sys.argv[1]
    offline, lab = registered(source)
    pages = ["README.md"] + sorted(os.path.relpath(p, source) for p in glob.glob(os.path.join(source, "docs", "*.md")))
    failures, count = [], 0
    for page in pages:
        with open(os.path.join(source, page), encoding="utf-8") as f:
            lines = f.read().split("\n")
        for k, line in unrun_commands(lines):
            failures.append(f"{page}:{k + 1}: a command outside a console block, so no test runs it "
                            f"(make it an example, or a synopsis with placeholders): {line}")
        for info, start, end in blocks(lines):
            fixture = lab_of(info)
            if fixture is None:
                continue
            for k, command, _ in examples(lines, start, end):
                if command is None or not re.match(r"(sudo )?sshpath ", command):
                    continue
                count += 1
                where = f"{page}:{k + 1}"
                if fixture:
                    test = lab.get(page)
                    if not os.path.exists(os.path.join(source, "tests", "docs", "lab", fixture + ".sh")):
                        failures.append(f"{where}: lab fixture tests/docs/lab/{fixture}.sh does not exist")
                elif command.startswith("sudo "):
                    test = None
                    failures.append(f"{where}: an example with sudo in an offline console block (it needs `console lab=NAME`)")
                    continue
                else:
                    test = offline.get(page)
                if test is None:
                    failures.append(f"{where}: no docs test runs the {'lab' if fixture else 'offline'} examples of {page}: {command}")
                else:
                    print(f"{where}: {test}{' (lab ' + fixture + ')' if fixture else ''}: {command}")
    for f in failures:
        print("FAIL:", f)
    print(f"{count} examples in {len(pages)} pages, {len(failures)} failures")
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
