"""The CDNOW sample reproduces its published calibration summary (Fader & Hardie).

Data: the C++ tests' copy in tests/data/cdnow (see its README).
"""

import numpy as np
import pandas as pd
import pytest

import carteira

TOLERANCE = 0.005 + 1e-9  # the reference is rounded to 2 decimals


@pytest.fixture(scope="module")
def cdnow(cdnow_dir):
    sample = cdnow_dir / "CDNOW_sample.txt"
    reference = cdnow_dir / "cdnow_customers_summary_with_transactions.csv"
    if not sample.is_file() or not reference.is_file():
        pytest.fail(f"CDNOW data missing from {cdnow_dir}")
    with carteira.Portfolio() as p:
        # Whitespace-separated, no header: master id, sample id, YYYYMMDD, CDs, dollars.
        report = p.import_file(
            "transactions", sample, has_header=False,
            column_mapping={"customer_id": 2, "date": 3, "amount": 5})
        summary = p.summary("1997-09-30", unit="weeks")
    return report, summary, pd.read_csv(reference)


def test_cdnow_sample_imports_every_row(cdnow, cdnow_dir):
    report, _, _ = cdnow
    with open(cdnow_dir / "CDNOW_sample.txt") as f:
        rows = sum(1 for line in f if line.strip())
    assert report.counts("transactions") == {"rows_read": rows, "rows_added": rows, "rows_rejected": 0}


def test_cdnow_summary_matches_the_reference_to_two_decimals(cdnow):
    _, summary, reference = cdnow
    ours = summary.assign(ID=summary.customer_id.astype(int)).set_index("ID").sort_index()
    ref = reference.set_index("ID").sort_index()
    assert len(ref) == 2357
    assert ours.index.tolist() == ref.index.tolist()
    for column in ("x", "t_x", "T", "zbar"):
        diff = np.abs(ours[column].to_numpy(dtype=float) - ref[column].to_numpy(dtype=float))
        worst = int(np.argmax(diff))
        assert diff[worst] <= TOLERANCE, (
            f"{column}: customer {ref.index[worst]} has {ours[column].iloc[worst]}, "
            f"reference {ref[column].iloc[worst]}")
    assert (ours.x == ref.x).all()  # counts are exact
