#!/usr/bin/python3
"""Python against C++: bulk ingest of 10 million transactions of 1 million
customers from numpy arrays (Portfolio.append_transactions, zero-copy),
against the C++ benchmark BM_AppendTransactions run in the same session
(the same shape of data: uniform customers and dates, 1% returns); and the
overhead of one trivial call through ctypes.

Target: Python within 1.5x of C++. Exit status 1 when the ratio is above it.

    /usr/bin/python3 benchmarks/bindings/python_ingest_bench.py [--rows N]
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bindings" / "python"))
os.environ.setdefault("CARTEIRA_LIBRARY", str(REPO / "build" / "release" / "capi" / "libcarteira.so"))

import carteira  # noqa: E402
from carteira import _lib  # noqa: E402


def cpp_median_ms(binary: pathlib.Path, rows: int, repetitions: int) -> float:
    env = dict(os.environ, CARTEIRA_BENCH_ROWS=str(rows))
    out = subprocess.run(
        [str(binary), "--benchmark_filter=^BM_AppendTransactions/", f"--benchmark_repetitions={repetitions}",
         "--benchmark_format=json"], capture_output=True, text=True, env=env, check=True).stdout
    runs = [b["real_time"] for b in json.loads(out)["benchmarks"] if b.get("run_type") == "iteration"]
    return statistics.median(runs)


def python_median_ms(rows: int, repetitions: int) -> float:
    customers = rows // 10
    rng = np.random.default_rng(20261123)
    index = rng.integers(0, customers, rows, dtype=np.uint32)
    start = carteira.date_to_days("2023-11-01")
    days = (start + rng.integers(0, 1096, rows)).astype(np.int32)
    amounts = 100 + rng.integers(0, 500000, rows, dtype=np.int64)
    returns = rng.integers(0, 100, rows) == 0
    amounts[returns] = -amounts[returns] // 4
    ids = [f"C{i}" for i in range(customers)]
    times = []
    for _ in range(repetitions):
        with carteira.Portfolio() as p:
            p.intern_customers(ids)  # not timed, as in the C++ benchmark
            t0 = time.perf_counter()
            p.append_transactions(index, days, amounts)
            times.append((time.perf_counter() - t0) * 1000)
            assert p.counts()["transactions"] == rows
    return statistics.median(times)


def call_overhead_ns(calls: int = 1_000_000) -> float:
    f = _lib.lib.carteira_version_number
    t0 = time.perf_counter()
    for _ in range(calls):
        f()
    return (time.perf_counter() - t0) / calls * 1e9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--cpp-benchmark", type=pathlib.Path,
                        default=REPO / "build" / "release" / "benchmarks" / "carteira_ingest_benchmark")
    args = parser.parse_args()
    cpp = cpp_median_ms(args.cpp_benchmark, args.rows, args.repetitions)
    py = python_median_ms(args.rows, args.repetitions)
    overhead = call_overhead_ns()
    ratio = py / cpp
    print(f"bulk ingest of {args.rows:,} transactions (median of {args.repetitions}):")
    print(f"  C++    BM_AppendTransactions       {cpp:8.1f} ms")
    print(f"  Python append_transactions(numpy)  {py:8.1f} ms   ratio {ratio:.2f} (target <= 1.5)")
    print(f"  one trivial call through ctypes (carteira_version_number): {overhead:.0f} ns")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
