"""carteira.partitions without Dask: the per-partition functions and merges
as another engine (Spark's applyInPandas, a process pool) would drive them,
equal to the engine on the whole portfolio (docs/dask.md)."""

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

pd = pytest.importorskip("pandas", reason="carteira.partitions needs pandas")

import carteira  # noqa: E402
from carteira import partitions as cp  # noqa: E402

PYTHON_DIR = pathlib.Path(__file__).resolve().parents[1]
AS_OF = carteira.date_to_days("2025-12-31")


def _frames(customers=400, seed=9):
    rng = np.random.default_rng(seed)
    ids = np.array([f"K{i:04d}" for i in range(customers)], dtype=object)
    rows = []
    for cid in ids:
        first = int(rng.integers(0, 900))
        for _ in range(int(rng.integers(1, 12))):
            amount = int(rng.integers(100, 50000))
            rows.append((cid, AS_OF - 1000 + first + int(rng.integers(0, 1000 - first)),
                         -amount // 5 if rng.random() < 0.05 else amount))
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx["date"] = tx["date"].astype(np.int32)
    surveys = pd.DataFrame({"customer_id": rng.choice(ids, 150), "date": np.int32(AS_OF - 100),
                            "score": rng.integers(0, 11, 150)})
    return {"transactions": tx, "surveys": surveys}


def _split(frames, n):
    """The frames cut into n groups of whole customers, as a groupBy on a key would."""
    parts = []
    for i in range(n):
        parts.append({k: v[cp.customer_partition(v["customer_id"].to_numpy(), n) == i] for k, v in frames.items()})
    return parts


def test_partitions_does_not_import_dask():
    code = "import sys, carteira.partitions; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(PYTHON_DIR)})
    assert out.stdout.strip() == "False"


def test_kpis_merged_from_groups_equal_the_whole_portfolios():
    frames = _frames()
    frm = AS_OF - 364
    tallies, hists = [], []
    for i, part in enumerate(_split(frames, 3)):
        t, revenues = cp.run_partition(lambda p: cp.kpi_tallies(p, frm, AS_OF, 180), part, None, f"group {i}")
        tallies.append(t)
        hists.append(cp.histogram(revenues))
    merged = cp.kpis_from_tallies(tallies, cp.concentration(cp.merge_histograms(hists)), frm, AS_OF)
    with cp.build_portfolio(frames) as whole:
        expected = whole.kpi_report(frm, AS_OF).overall
    assert merged == expected
    assert merged["gini"] is not None and merged["nps"] is not None


def test_a_fit_from_merged_group_rows_is_the_fit_of_the_whole_portfolios_rows():
    frames = _frames()
    rows = cp.merge_sufficient_rows([
        cp.run_partition(lambda p: cp.sufficient_rows_frame(p, AS_OF, "weeks"), part, None, "group")
        for part in _split(frames, 4)])
    with cp.build_portfolio(frames) as whole:
        same = cp.merge_sufficient_rows([cp.sufficient_rows_frame(whole, AS_OF, "weeks")])
        pd.testing.assert_frame_equal(rows, same, check_exact=True)
        with cp.fit_sufficient_rows("bgnbd", rows, "weeks") as a, cp.fit_sufficient_rows("bgnbd", same, "weeks") as b:
            assert a.params == b.params and a.log_likelihood == b.log_likelihood
    with pytest.raises(ValueError, match="gammagamma needs every customer's zbar"):
        cp.check_fittable("gammagamma")


def test_merge_histograms_adds_counts_of_equal_values():
    a = cp.histogram(np.array([5, 1, 5, 9], dtype=np.int64))
    b = cp.histogram(np.array([5, 2], dtype=np.int64))
    values, counts = cp.merge_histograms([a, b, cp.histogram(np.empty(0, dtype=np.int64))])
    assert values.tolist() == [1, 2, 5, 9] and counts.tolist() == [1, 1, 3, 1]
    n, total, ranked, top = cp.concentration((values, counts))
    desc = [9, 5, 5, 5, 2, 1]
    assert (n, total, ranked, top) == (6, sum(desc), sum(j * v for j, v in enumerate(desc)), 9 + 5)
