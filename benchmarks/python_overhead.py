"""What the Python bindings add to the C library, side by side in one run.

usage: /usr/bin/python3 benchmarks/python_overhead.py [STAFF] [YEARS]

Generates the CSV (build/parity-gen; 50,000 staff over 21 snapshots: about
1.1M rows), then times, best of five each: the CSV load and the
representation by grade through C (build/parity-bench, the public API in
one process) and through Python (parity.load; the call alone, and the call
with its DataFrame). Prints the ratios.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
import parity  # noqa: E402
from parity import _lib  # noqa: E402


def best(f, n=5):
    t = []
    for _ in range(n):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return min(t)


def main():
    staff = sys.argv[1] if len(sys.argv) > 1 else "50000"
    years = sys.argv[2] if len(sys.argv) > 2 else "20"
    out = os.path.join(ROOT, "benchmarks", "out")
    os.makedirs(out, exist_ok=True)
    csv = os.path.join(out, f"py_{staff}.csv")
    if not os.path.exists(csv):
        subprocess.run([os.path.join(ROOT, "build", "parity-gen"), "--staff", staff, "--years", years,
                        "-o", csv], check=True)
    c = {}
    for _ in range(5):
        lines = subprocess.run([os.path.join(ROOT, "build", "parity-bench"), csv], check=True,
                               capture_output=True, text=True).stdout.splitlines()
        for line in lines:
            f = line.split("\t")
            c[f[1]] = min(c.get(f[1], 1e9), float(f[2]))
    rows = None

    def load():
        nonlocal rows
        with parity.load(csv) as t:
            rows = len(t)

    py_load = best(load)
    with parity.load(csv) as t:
        import ctypes
        h = t._handle()

        def call():  # the C call through the binding, no DataFrame
            out_ = ctypes.c_void_p()
            _lib.lib.parity_representation(h, b"grade", None, ctypes.byref(out_))
            _lib.lib.parity_result_free(out_)

        py_call = best(call, 20)
        py_frame = best(lambda: t.representation(by="grade"), 20)
    print(f"rows\t{rows}")
    print(f"load_csv\tC {c['load_csv']:.4f} s\tPython {py_load:.4f} s\t{100 * (py_load / c["load_csv"] - 1):+.1f}%")
    print(f"representation\tC {c['representation'] * 1e3:.3f} ms\tPython call {py_call * 1e3:.3f} ms"
          f"\twith its DataFrame {py_frame * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
