"""Repeated summaries recompute one native summary in place; results must be
those of a fresh computation every time."""

import datetime

import numpy as np

import carteira


def _portfolio():
    p = carteira.Portfolio()
    idx = p.intern_customers(["A", "B", "C"])
    p.append_transactions(
        customer_index=np.array([idx[0], idx[0], idx[1], idx[2]], dtype=np.uint32),
        date=np.array(["2024-01-01", "2024-01-15", "2024-02-01", "2024-03-01"],
                      dtype="datetime64[D]"),
        amount=np.array([1000, 2000, 500, 700], dtype=np.int64),
    )
    return p


def test_second_summary_with_an_earlier_date_drops_later_customers():
    with _portfolio() as p:
        late = p.summary(datetime.date(2024, 12, 31), as_frame=False)
        early = p.summary(datetime.date(2024, 1, 31), unit="weeks", as_frame=False)
        assert list(late["customer_id"]) == ["A", "B", "C"]
        assert list(early["customer_id"]) == ["A"]
        assert early["x"].tolist() == [1]
        assert early["T"].tolist() == [30 / 7]
        # The earlier result was copied out: recomputing did not change it.
        assert late["revenue"].tolist() == [3000, 500, 700]


def test_reused_summary_equals_a_fresh_one():
    with _portfolio() as p, _portfolio() as fresh:
        p.summary("2024-12-31")
        again = p.summary("2024-02-10")
        expected = fresh.summary("2024-02-10")
        assert again.equals(expected)
