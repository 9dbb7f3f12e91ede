"""The README runs as written: every command of its ```console blocks is run
from a directory that holds the repository's build/, data/ and tests/ (as a
clone does after scripts/setup), and the output shown under it must appear
in what it prints, in order ("..." stands for any lines; times of day are
not compared). A block after <!-- readme-test: skip ... --> is not run.

usage: readme.py REPO_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

repo = sys.argv[1]
text = open(os.path.join(repo, "README.md"), encoding="utf-8").read()
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def blocks():
    skip = False
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("<!-- readme-test: skip"):
            skip = True
        elif line.startswith("```console"):
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            if not skip:
                yield body
            skip = False
        i += 1


def steps(body):
    """(command, expected lines) pairs; continued lines joined."""
    out = []
    i = 0
    while i < len(body):
        if not body[i].startswith("$ "):
            i += 1
            continue
        cmd = body[i][2:]
        # continued: a trailing backslash, or a quote still open
        while i + 1 < len(body) and (cmd.endswith("\\") or cmd.count('"') % 2 or cmd.count("'") % 2):
            i += 1
            cmd = cmd[:-1] + " " + body[i].strip() if cmd.endswith("\\") else cmd + "\n" + body[i]
        i += 1
        want = []
        while i < len(body) and not body[i].startswith("$ "):
            want.append(body[i])
            i += 1
        out.append((cmd, want))
    return out


def matches(want, got):
    """Each wanted line in order among the got lines; '...' skips any."""
    g = 0
    free = True  # the first line may be anywhere after a '...'
    for w in want:
        if w.strip() == "...":
            free = True
            continue
        w = STAMP.sub("T", w.rstrip())
        if w == "" and free:
            continue
        while g < len(got) and STAMP.sub("T", got[g].rstrip()) != w:
            if not free:
                return f"expected {w!r}, got {got[g]!r}"
            g += 1
        if g == len(got):
            return f"expected {w!r}: not in the output"
        g += 1
        free = False
    return None


failed = ran = 0
with tempfile.TemporaryDirectory() as tmp:
    for name in ("build", "data", "tests", "docs", "bindings"):
        os.symlink(os.path.join(repo, name), os.path.join(tmp, name))
    for body in blocks():
        # one shell per block, so that `echo $?` sees the command before it;
        # a marker after each command, keeping its exit status
        todo = steps(body)
        script = "exec 2>&1\n" + "".join(
            f"{cmd}\n__rc=$?; echo '@@@ '$__rc; (exit $__rc)\n" for cmd, _ in todo)
        p = subprocess.run(["bash", "-c", script], cwd=tmp, capture_output=True, text=True)
        parts = re.split(r"^@@@ (\d+)$", p.stdout, flags=re.M)
        for k, (cmd, want) in enumerate(todo):
            ran += 1
            if 2 * k + 2 > len(parts):
                failed += 1
                print(f"FAIL $ {cmd[:100]}\n     did not run")
                continue
            got = parts[2 * k].lstrip("\n").split("\n")
            rc = int(parts[2 * k + 1])
            next_is_status = k + 1 < len(todo) and todo[k + 1][0] == "echo $?"
            why = None
            if rc == 127:
                why = "command not found"
            elif rc != 0 and not next_is_status:
                why = f"exit {rc}"
            why = why or matches(want, got)
            if why:
                failed += 1
                print(f"FAIL $ {cmd[:100]}\n     {why}")
print(f"readme: {ran} commands run")
print(f"{ran - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
