#!/usr/bin/python3
"""carteira.dask end to end on a LocalCluster: a synthetic portfolio generated
in partitions inside the workers (never whole in one process), then the
customer summary, a BG/NBD fit, the status with the P(alive) rule of that
model, and the KPIs of the last year; per stage the wall time and the
throughput per worker, for each worker count asked (scaling).

Opt-in, not part of the test suite. The full size of issue 11:

    /usr/bin/python3 benchmarks/bindings/dask_bench.py --customers 20000000 --per-customer 10 \\
        --partitions 40 --workers 1,2

A scaled run (what fits a shared 2-core machine in minutes):

    /usr/bin/python3 benchmarks/bindings/dask_bench.py --customers 2000000 --partitions 8 --workers 1,2

Data (fixed seed per partition): customer ids are int64 (kept as their
decimal text by the engine); each customer has a first purchase in the
three years before the as-of date and buys at its own Poisson rate until it
stops, with 1% returns; about --per-customer transactions a customer on
average. Partition i holds customers i*K .. (i+1)*K-1 (the layout of a
dataset already written by customer; no shuffle is timed). Memory: ~21
bytes a transaction in pandas, persisted on the workers.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bindings" / "python"))
os.environ.setdefault("CARTEIRA_LIBRARY", str(REPO / "build" / "release" / "capi" / "libcarteira.so"))
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(REPO / "bindings" / "python")] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

import dask  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, LocalCluster, wait  # noqa: E402

import carteira  # noqa: E402
from carteira import dask as cd  # noqa: E402
from carteira import partitions as cp  # noqa: E402

AS_OF = carteira.date_to_days("2026-10-31")
DAYS = 3 * 365


def generate_transactions(part: int, customers: int, per_customer: float, seed: int) -> pd.DataFrame:
    """The transactions of customers part*customers .. (part+1)*customers - 1."""
    rng = np.random.default_rng([seed, part])
    first = rng.integers(0, DAYS, customers)
    life = rng.exponential(DAYS * 0.6, customers)
    span = np.minimum(DAYS - first, life)
    # A rate that gives ~per_customer transactions on average over the span.
    rate = rng.gamma(2.0, per_customer / 2.0 / np.maximum(span.mean(), 1), customers)
    count = 1 + rng.poisson(rate * span)
    n = int(count.sum())
    cust = np.repeat(np.arange(customers, dtype=np.int64), count)
    offset = (rng.random(n) * np.repeat(span, count)).astype(np.int64)
    starts = np.r_[0, np.cumsum(count)[:-1]]
    offset[starts] = 0  # the first purchase on the first day
    date = (AS_OF - DAYS + np.repeat(first, count) + offset).astype(np.int32)
    amount = rng.integers(500, 200_000, n, dtype=np.int64)
    returns = rng.random(n) < 0.01
    amount[returns] = -amount[returns] // 4
    return pd.DataFrame({"customer_id": cust + part * customers, "date": date, "amount": amount})


def _count(frame) -> int:
    return len(frame)


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def run(workers: int, args) -> dict:
    per_part = args.customers // args.partitions
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           memory_limit=args.memory_limit, silence_logs=40)
    out = {"workers": workers}
    with Client(cluster) as client:
        t0 = time.perf_counter()
        meta = generate_transactions(0, 1, 1, args.seed).iloc[:0]
        parts = [dask.delayed(generate_transactions)(i, per_part, args.per_customer, args.seed)
                 for i in range(args.partitions)]
        transactions = dd.from_delayed(parts, meta=meta, verify_meta=False).persist()
        wait(transactions)
        rows = int(sum(client.compute([dask.delayed(_count)(p) for p in transactions.to_delayed()], sync=True)))
        out["generate_s"] = time.perf_counter() - t0
        out["transactions"] = rows
        out["customers"] = per_part * args.partitions
        portfolio = cd.CustomerPartitions(transactions, partitioned=True)

        def cpu_seconds() -> float:
            # The workers' processes' CPU time (user + system): on a machine
            # shared with other jobs, wall time also measures them.
            return sum(client.run(_cpu_seconds).values())

        def stage(name, func):
            c, t = cpu_seconds(), time.perf_counter()
            result = func()
            out[name + "_s"] = time.perf_counter() - t
            out[name + "_cpu_s"] = cpu_seconds() - c
            print(f"  {workers} worker(s) {name}: {out[name + '_s']:.1f} s, workers' CPU {out[name + '_cpu_s']:.1f} s",
                  flush=True)
            return result

        summary = stage("summary", lambda: portfolio.summary(AS_OF, "weeks")[["revenue", "x"]].sum().compute())
        out["revenue"] = int(summary["revenue"])
        rows = stage("fit_rows", lambda: portfolio.sufficient_rows(AS_OF, "weeks"))
        out["distinct_rows"] = len(rows)
        model = stage("fit_model", lambda: cp.fit_sufficient_rows("bgnbd", rows, "weeks"))
        out["fit_s"] = out["fit_rows_s"] + out["fit_model_s"]
        out["params"] = model.params
        out["fit_converged"] = model.converged
        counts = stage("status", lambda: portfolio.status(AS_OF, p_alive_model=model)["status"]
                       .astype(str).value_counts().compute())
        out["status_counts"] = {k: int(v) for k, v in counts.items()}
        kpi = stage("kpi", lambda: portfolio.kpi(AS_OF - 364, AS_OF))
        out["kpi"] = {k: kpi[k] for k in ("customers", "active", "buyers", "revenue", "gini", "top20_share")}
        out["total_s"] = sum(out[k + "_s"] for k in ("summary", "fit", "status", "kpi"))
        out["total_cpu_s"] = sum(out[k + "_cpu_s"] for k in ("summary", "fit_rows", "status", "kpi"))
        model.close()
    cluster.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2_000_000)
    parser.add_argument("--per-customer", type=float, default=10.0)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument("--memory-limit", default="10GiB", help="per worker")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures here")
    args = parser.parse_args()
    results = []
    for workers in [int(w) for w in args.workers.split(",")]:
        print(f"{workers} worker(s): {args.customers:,} customers in {args.partitions} partitions", flush=True)
        results.append(run(workers, args))
    print()
    print(f"{'workers':>7} {'transactions':>13} {'generate':>9} {'summary':>8} {'fit':>7} {'status':>8} "
          f"{'kpi':>7} {'total':>8} {'M tx/s/worker':>14} {'workers CPU':>12} {'M tx/CPU-s':>11}")
    for r in results:
        # End to end: the transactions through all four stages, per second
        # and worker (wall), and per second of the workers' CPU.
        per_worker = r["transactions"] / r["total_s"] / r["workers"] / 1e6
        per_cpu = r["transactions"] / r["total_cpu_s"] / 1e6
        print(f"{r['workers']:>7} {r['transactions']:>13,} {r['generate_s']:>8.1f}s {r['summary_s']:>7.1f}s "
              f"{r['fit_s']:>6.1f}s {r['status_s']:>7.1f}s {r['kpi_s']:>6.1f}s {r['total_s']:>7.1f}s "
              f"{per_worker:>14.2f} {r['total_cpu_s']:>11.1f}s {per_cpu:>11.2f}")
    if len(results) > 1:
        base = results[0]
        for r in results[1:]:
            print(f"speed-up {base['workers']} -> {r['workers']} workers: {base['total_s'] / r['total_s']:.2f}x "
                  f"(ideal {r['workers'] / base['workers']:.0f}x); the workers had "
                  f"{r['total_cpu_s'] / r['total_s']:.2f} of {r['workers']} cores on average "
                  f"({base['total_cpu_s'] / base['total_s']:.2f} of {base['workers']} before)")
    same = all(r["params"] == results[0]["params"] and r["kpi"] == results[0]["kpi"]
               and r["status_counts"] == results[0]["status_counts"] for r in results)
    print("every worker count gave the same fit, statuses and KPIs:", same)
    print("BG/NBD:", json.dumps(results[0]["params"]), "converged:", results[0]["fit_converged"],
          f"(from {results[0]['distinct_rows']:,} distinct (x, t_x, T) rows of {results[0]['customers']:,} "
          "customers)")
    print("KPIs:", json.dumps(results[0]["kpi"]))
    print("status:", json.dumps(results[0]["status_counts"]))
    if args.json:
        args.json.write_text(json.dumps({"args": vars(args) | {"json": str(args.json)}, "results": results},
                                        indent=2, default=str))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
