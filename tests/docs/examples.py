"""What the manual pages' examples are, shared by check_examples.py, lab_examples.py and coverage.py.

An example is a line `$ sshpath ...` (or `$ sudo sshpath ...`) of a fenced block whose info string
starts with `console`; the lines after it, up to the next `$ ` line or the end of the block, are
its expected output. A block `console lab=NAME` needs root and the failure lab: its examples run
in network namespaces, set up as tests/docs/lab/NAME.sh says (lab_examples). Any other block may
show how a command is called, but then with placeholders (`sshpath check HOST [-p PORT]`): a
concrete sshpath command there is an example that no test runs.
"""
import re

# A line that is an sshpath command, with or without a prompt or sudo (a report's own lines,
# "sshpath 0.1.0: ..." and "sshpath: ...", are not).
COMMAND = re.compile(r"^(?:[$#] )?(?:sudo )?sshpath (?:analyze|capture|run|probe|check|cloud-verify|rules|facts|-)")
# What makes a line a synopsis, not an example: an upper-case word (HOST, FILE, ARGS), an optional
# part in brackets, or an ellipsis.
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z0-9_]+\b|\[|\.\.\.")


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


def lab_of(info):
    """The lab fixture of a console block (`console lab=NAME`), "" for an offline one, None when
    the block is not a console block."""
    words = info.split()
    if not words or words[0] != "console":
        return None
    for w in words[1:]:
        if w.startswith("lab="):
            return w[4:]
    return ""


def is_synopsis(line):
    """A command line outside console blocks that shows a usage, not an example."""
    return PLACEHOLDER.search(re.sub(r"\s+#.*$", "", line)) is not None


def unrun_commands(lines):
    """(line index, line) of every concrete sshpath command outside console blocks."""
    for info, start, end in blocks(lines):
        if lab_of(info) is not None:
            continue
        for k in range(start, end):
            if COMMAND.match(lines[k]) and not is_synopsis(lines[k]):
                yield k, lines[k]


def examples(lines, start, end):
    """(line index, command, expected output lines end index) of a console block's examples; a
    line of the block before the first `$ ` is yielded with command None."""
    k = start
    while k < end:
        if not lines[k].startswith("$ "):
            yield k, None, k + 1
            k += 1
            continue
        m = k + 1
        while m < end and not lines[m].startswith("$ "):
            m += 1
        yield k, lines[k][2:], m
        k = m


def matches(expected, output):
    """True when output is expected, each `...` line of expected standing for any lines."""
    if "\n...\n" not in f"\n{expected}\n":
        return output == expected
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in expected.split("\n"))
    return re.fullmatch(pattern, output + "\n") is not None
