"""Sales opportunities: the small basket of tests/opportunities (figures
proved there), no categories, errors, and the sample's holdout."""

import math

import numpy as np
import pandas as pd
import pytest

import carteira
from carteira import opportunities


def basket(portfolio, with_categories=True):
    """c1-c3 buy A, B, C (c1 on days 0, 10, 20); c4 A, B; c5 A, D; c6 D."""
    customer = portfolio.intern_customers(["c1"] * 3 + ["c2"] * 3 + ["c3"] * 3 + ["c4"] * 2 + ["c5"] * 2 + ["c6"])
    offsets = [0, 10, 20] + [0] * 11
    days = carteira.to_days(["2025-01-01"] * 14) + np.array(offsets, dtype=np.int32)
    category = ["A", "B", "C"] * 3 + ["A", "B", "A", "D", "D"]
    portfolio.append_transactions(customer, days, np.full(14, 1000),
                                  category=category if with_categories else None)
    return portfolio


def test_cross_sell_suggests_what_similar_customers_buy(portfolio):
    s = opportunities.cross_sell(basket(portfolio), "2025-01-31", min_pair_customers=1)
    assert isinstance(s, pd.DataFrame)
    assert list(s.columns) == ["customer_id", "rank", "category", "score", "basis", "because", "together",
                               "confidence", "lift", "reason"]
    listing = s.groupby("customer_id", sort=False)["category"].apply(",".join).to_dict()
    assert listing == {"c1": "D", "c2": "D", "c3": "D", "c4": "C,D", "c5": "B,C", "c6": "A"}
    row = s[(s.customer_id == "c4") & (s["rank"] == 1)].iloc[0]
    assert row.score == pytest.approx((3 / math.sqrt(15) + 3 / math.sqrt(12)) / 2, abs=1e-6)  # summed as float
    assert (row.because, row.together, row.confidence, row.lift) == ("B", 3, 0.75, 1.5)
    assert row.reason == "75% of customers who buy B also buy C (lift 1.5; 3 customers)"
    assert s.attrs["note"] == ""
    # Rare pairs are no evidence by default: only c4 and c5 keep suggestions.
    assert set(opportunities.cross_sell(portfolio, "2025-01-31").customer_id) == {"c4", "c5"}


def test_next_purchase_windows_and_the_week(portfolio):
    n = opportunities.next_purchase(basket(portfolio), "2025-01-31")
    c1 = n.iloc[0]
    assert (c1.customer_id, c1.basis) == ("c1", "rhythm")
    assert (c1.expected, c1["from"], c1.to) == (
        pd.Timestamp("2025-01-31"), pd.Timestamp("2025-01-29"), pd.Timestamp("2025-02-02"))
    assert n.iloc[1].basis == "one_purchase" and pd.isna(n.iloc[1].expected)
    assert opportunities.entering_window(portfolio, "2025-01-31", "2025-01-27") == ["c1"]
    assert opportunities.entering_window(portfolio, "2025-01-31", "2025-01-30") == []


def test_no_category_keeps_the_windows_and_says_why(portfolio):
    basket(portfolio, with_categories=False)
    s = opportunities.cross_sell(portfolio, "2025-01-31")
    assert len(s) == 0
    assert "no transaction has a product category" in s.attrs["note"]
    assert opportunities.next_purchase(portfolio, "2025-01-31").basis.iloc[0] == "rhythm"
    with pytest.raises(carteira.FailedPreconditionError, match="mix: no transaction has a product category"):
        opportunities.mix(portfolio, "2025-01-01", "2025-01-31")


def test_mix_and_icp(portfolio):
    m = opportunities.mix(basket(portfolio), "2025-01-01", "2025-01-31")
    overall = m[m.group.isna()].set_index("category")
    assert list(overall.index) == ["A", "B", "C", "D"]
    assert list(overall.category_buyers) == [5, 4, 3, 2]
    assert overall.loc["A", "share"] == pytest.approx(5 / 6)
    assert overall.loc["A", "average_breadth"] == pytest.approx(14 / 6)
    assert list(m.attrs["breadth"]) == [3, 3, 3, 2, 2, 1]
    with pytest.raises(ValueError):
        opportunities.mix(portfolio, "2025-01-01", "2025-01-31", by="region")
    with pytest.raises(carteira.InvalidArgumentError):
        opportunities.mix(portfolio, "2025-01-31", "2025-01-01")
    icp = opportunities.icp(portfolio, "2025-01-31", best_share=0.34)
    assert icp.info["best"] == 3 and icp.info["base_rate"] == 0.5
    assert list(icp.profile.columns) == ["attribute", "value", "customers", "best", "share_of_best",
                                         "probability", "lift"]
    c = icp.customers.set_index("customer_id")
    assert c.loc["c1", "best"] and not c.loc["c6", "best"]
    assert c.loc["c1", "score"] > c.loc["c6", "score"]
    assert "(lift " in c.loc["c1", "drivers"]
    with pytest.raises(carteira.InvalidArgumentError, match="best_share"):
        opportunities.icp(portfolio, "2025-01-31", best_share=1.5)


def test_the_model_beats_most_popular_on_the_sample_holdout(sample_dir):
    with carteira.Portfolio() as p:
        p.import_directory(sample_dir)
        e = opportunities.evaluate_cross_sell(p, "2026-04-30", "2026-10-31", k=2)
        assert e.customers > 500
        assert e.model_hit_rate - e.baseline_hit_rate > 0.05
        s = opportunities.cross_sell(p, "2026-10-31", as_frame=False)
        assert set(s) >= {"customer_id", "reason", "customer_index", "attrs"}
        assert len(s["reason"]) > 4000
