"""Randomly corrupted stores: a store of the bundled sample, copied N times
with damage -- bit flips, a zeroed page, a truncated file -- and each copy
read by `representation --by grade` and `flows` (built with ASan and UBSan,
as tests/fuzz/run builds it). Every outcome is one of: the same answer as
the undamaged store (the damage was in what those commands do not read);
refused (exit 1, 2 or 3, with a message); or a failure -- a crash, a
sanitizer report, another exit code, or a different answer with exit 0
(a wrong number). Prints the counts; exits 1 on any failure.

usage: corrupt_stores.py PARITY_BINARY SAMPLE_CSV [N] [SEED]
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

binary, sample = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 250
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:abort_on_error=0",
           UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
commands = [["representation", "--by", "grade", "--format", "json"],
            ["flows", "--by", "grade", "--format", "json"]]


def run(db, args):
    p = subprocess.run([binary] + args + ["--db", db], capture_output=True, env=env, timeout=120)
    out = p.stdout
    if p.returncode == 0:
        doc = json.loads(out)
        doc["inputs"]["store"] = None  # the copy's own name
        out = json.dumps(doc, sort_keys=True).encode()
    return p.returncode, out, p.stderr


with tempfile.TemporaryDirectory() as tmp:
    base = os.path.join(tmp, "base.db")
    subprocess.run([binary, "import", sample, "--db", base], check=True, capture_output=True, env=env)
    want = [run(base, c)[1] for c in commands]
    data = open(base, "rb").read()
    page = 4096
    outcome = {"same": 0, "refused": 0, "crash": 0, "sanitizer": 0, "wrong": 0, "exit": 0}
    for i in range(n):
        kind = ("flip", "zero", "truncate")[i % 3]
        b = bytearray(data)
        if kind == "flip":
            for _ in range(rng.randint(1, 8)):
                pos = rng.randrange(len(b))
                b[pos] ^= 1 << rng.randrange(8)
        elif kind == "zero":
            p = rng.randrange(len(b) // page) * page
            b[p:p + page] = bytes(page)
        else:
            b = b[:rng.randrange(len(b))]
        db = os.path.join(tmp, "c.db")
        for side in ("", "-wal", "-shm"):
            if os.path.exists(db + side):
                os.remove(db + side)
        open(db, "wb").write(bytes(b))
        os.chmod(db, 0o600)
        worst = "same"
        for c, w in zip(commands, want):
            rc, out, err = run(db, c)
            if b"Sanitizer" in err or b"runtime error" in err:
                got = "sanitizer"
            elif rc < 0:
                got = "crash"
            elif rc == 0:
                got = "same" if out == w else "wrong"
            elif rc in (1, 2, 3) and err.startswith(b"parity: "):
                got = "refused"
            else:
                got = "exit"
            order = ["same", "refused", "exit", "wrong", "crash", "sanitizer"]
            if order.index(got) > order.index(worst):
                worst = got
            if got not in ("same", "refused"):
                print(f"copy {i} ({kind}) {' '.join(c[:1])}: {got} rc={rc}: {err.decode(errors='replace')[:300]}")
                shutil.copy(db, f"corrupt-failed-{i}.db")  # kept, in the working directory
        outcome[worst] += 1
    print(f"{n} corrupted stores: " + ", ".join(f"{k} {v}" for k, v in outcome.items()))
    bad = outcome["crash"] + outcome["sanitizer"] + outcome["wrong"] + outcome["exit"]
    print(f"{n - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)
