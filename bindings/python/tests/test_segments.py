"""Segments and KPIs: the small "kp" portfolio of tests/cli/cli_test.sh (the
values the CLI prints), the sample directory, segment maps, errors, and every
function of the header section."""

import math
import re

import numpy as np
import pandas as pd
import pytest

import carteira
from carteira import _lib


def kp(portfolio):
    """The "kp" directory of tests/cli/cli_test.sh, through the bindings."""
    portfolio.append_customers(["A", "B", "C", "D"], name=["Ana", "Bia", "Caio", "Duda"],
                               region=["Sul", "Sul", "Norte", "Norte"],
                               segment=["varejo", "varejo", "atacado", "atacado"])
    portfolio.append_reps(["R1", "R2", "R3"], name=["Rita", "Rui", "Ruth"])
    portfolio.append_assignments(portfolio.intern_customers(["A", "B", "C", "C"]),
                                 portfolio.intern_reps(["R1", "R1", "R2", "R1"]),
                                 carteira.to_days(["2024-01-01"] * 3 + ["2025-02-15"]))
    portfolio.append_transactions(
        portfolio.intern_customers(["A", "A", "B", "B", "C", "D"]),
        carteira.to_days(["2024-12-20", "2025-03-20", "2024-06-01", "2025-02-01", "2025-01-10",
                          "2025-03-25"]),
        np.array([1000, 2000, 500, 700, 10000, 100]))
    return portfolio


def test_segments_of_the_small_portfolio_are_the_clis(portfolio):
    s = kp(portfolio).segments("2025-03-31").set_index("customer_id")
    assert list(s.columns) == ["r", "f", "m", "rfm", "segment", "abc", "recency_days", "frequency",
                               "monetary", "abc_revenue"]
    # cli_test.sh: A,3,3,3,333,need_attention,A,11,2,30.00 and D,4,1,1,411,promising,C,6,1,1.00
    assert tuple(s.loc["A", ["r", "f", "m", "rfm", "segment", "abc", "recency_days", "frequency",
                             "monetary"]]) == (3, 3, 3, "333", "need_attention", "A", 11, 2, 3000)
    assert tuple(s.loc["D", ["rfm", "segment", "abc", "recency_days", "monetary"]]) == (
        "411", "promising", "C", 6, 100)
    assert s.attrs["abc"] == {"A": 2, "B": 1, "C": 1, "none": 0}
    assert sum(s.attrs["segments"].values()) == 4 and len(s.attrs["segments"]) == 11
    plain = portfolio.segments("2025-03-31", as_frame=False, abc=(0.5, 0.3), abc_from="2025-01-01")
    assert list(plain["customer_index"]) == [0, 1, 2, 3]
    assert list(plain["abc_revenue"]) == [2000, 700, 10000, 100]
    assert plain["attrs"]["abc_revenue"]["total"] == 12800


def test_custom_map_check_and_errors(portfolio, tmp_path):
    m = carteira.SegmentMap.from_json(
        '{"segments": [{"name": "top", "r": [4, 5]}, {"name": "recent", "r": 5}]}')
    check = m.check()
    assert not check.ok and check.shadowed == [(1, [0])] and len(check.uncovered) == 15
    assert check.uncovered[0] == (1, 1, 0) and "recent" in check.description
    assert [r.name for r in m.rules] == ["top", "recent"] and m.rules[0].r == (4, 5)
    path = tmp_path / "map.json"
    path.write_text(m.to_json())
    again = carteira.SegmentMap.from_file(path)
    assert again.rules == m.rules
    s = kp(portfolio).segments("2025-03-31", segment_map=again)
    assert set(s["segment"]) <= {"top", "unclassified"}
    default = carteira.SegmentMap.default()
    assert default.check().ok and len(default.rules) == 11
    with pytest.raises(carteira.InvalidArgumentError, match=r"segments\[0\]\.r"):
        carteira.SegmentMap.from_json('{"segments": [{"name": "x", "r": 9}]}')
    with pytest.raises(carteira.InvalidArgumentError, match="abc_from"):
        portfolio.segments("2025-03-31", abc_from="2025-04-01")
    with pytest.raises(carteira.InvalidArgumentError, match="as_of is required"):
        portfolio.segments(carteira.NO_DAY)
    with pytest.raises(carteira.InvalidArgumentError):
        portfolio.segments("2025-03-31", abc=(1.5, 0))


def test_rules_with_conditions_on_fields_and_figures(portfolio):
    m = carteira.SegmentMap.from_json("""{"fallback": "other", "segments": [
        {"name": "sul_buyers", "where": [{"field": "region", "op": "=", "value": "Sul"},
                                         {"field": "monetary", "op": ">=", "value": 20}]},
        {"name": "big", "where": [{"field": "monetary", "op": ">", "value": 50.00}]},
        {"name": "rest", "r": [1, 5]}]}""")
    assert m.rules[0].where == 'region = "Sul" and monetary >= 20.00'
    assert m.rules[2].where == "" and m.rules[2].r == (1, 5)
    assert m.check().ok
    again = carteira.SegmentMap.from_json(m.to_json())
    assert again.rules == m.rules
    # A: Sul, 30.00; B: Sul, 12.00; C: Norte, 100.00; D: Norte, 1.00.
    s = kp(portfolio).segments("2025-03-31", segment_map=m).set_index("customer_id")
    assert list(s["segment"]) == ["sul_buyers", "rest", "big", "rest"]
    with pytest.raises(carteira.InvalidArgumentError,
                       match=r"segments\[0\] 'x': where\[0\] 'region': '<' compares numbers"):
        carteira.SegmentMap.from_json(
            '{"segments": [{"name": "x", "where": [{"field": "region", "op": "<", "value": "Sul"}]}]}')
    with pytest.raises(carteira.InvalidArgumentError, match=r"unknown field 'regoin'"):
        carteira.SegmentMap.from_json(
            '{"segments": [{"name": "x", "where": [{"field": "regoin", "op": "=", "value": "Sul"}]}]}')
    lacking = carteira.SegmentMap.from_json(
        '{"segments": [{"name": "x", "where": [{"field": "attribute:canal", "op": "=", "value": "a"}]}]}')
    with pytest.raises(carteira.InvalidArgumentError, match="no attribute 'canal'"):
        portfolio.segments("2025-03-31", segment_map=lacking)


def test_plain_figures():
    assert list(carteira.quintile_scores([10, 20, 20, 30, 40])) == [1, 2, 2, 4, 5]
    assert list(carteira.quintile_scores([10, 20, 20, 30, 40], higher_is_better=False)) == [5, 3, 3, 2, 1]
    assert list(carteira.abc_classify([850, 120, 30, 0, -10])) == ["A", "B", "C", None, None]
    assert carteira.segments.abc_class_name(2) == "B" and carteira.segments.abc_class_name(0) is None


def test_kpi_by_rep_of_the_small_portfolio_are_the_clis(portfolio):
    k = kp(portfolio).kpi("2025-01-01", "2025-03-31", by="rep")
    assert k.index.name == "rep" and list(k.index) == ["R1", "R2", "R3", None]
    assert tuple(k.columns) == carteira.KPI_COLUMNS
    for key in ("active", "retention_rate", "churn_rate", "reactivation_rate", "average_ticket",
                "purchase_frequency", "nps", "promoters", "passives", "detractors", "positivacao",
                "giro", "top20_share", "gini"):
        assert key in k.columns
    overall = k.attrs["overall"]
    # cli_test.sh: "overall": {"customers": 4, "active_start": 1, "active": 4, "new": 2,
    # "new_active": 2, ... "retention_rate": 2, ... "book_at_start": 3, "moved": 1, "giro": 0.333...
    assert (overall["customers"], overall["active_start"], overall["active"], overall["new"],
            overall["new_active"]) == (4, 1, 4, 2, 2)
    assert overall["retention_rate"] == 2 and overall["nps"] is None and overall["answers"] == 0
    assert (overall["book_at_start"], overall["moved"]) == (3, 1) and overall["giro"] == 1 / 3
    assert overall["average_ticket"] == 3200 and overall["revenue"] == 12800
    assert k.at["R3", "customers"] == 0
    assert math.isnan(k.at["R3", "positivacao"]) and math.isnan(k.at["R3", "giro"])
    assert k.at["R3", "average_ticket"] is pd.NA and k.at["R1", "average_ticket"] == 4233  # 127.00 / 3
    assert k.loc[[None]].iloc[0]["customers"] == 1
    alone = portfolio.kpi("2025-01-01", "2025-03-31")
    assert list(alone.index) == ["overall"] and alone.loc["overall", "customers"] == 4
    plain = portfolio.kpi("2025-01-01", "2025-03-31", by="region", as_frame=False)
    assert list(plain["region"]) == ["Norte", "Sul"] and list(plain["customers"]) == [2, 2]
    by_status = portfolio.kpi_report("2025-01-01", "2025-03-31", by="segment", active_by_status=True,
                                     policy=carteira.StatusPolicy.default())
    assert list(by_status.groups.index) == ["atacado", "varejo"]


def test_kpi_errors(portfolio):
    kp(portfolio)
    with pytest.raises(carteira.InvalidArgumentError, match="ends before it starts"):
        portfolio.kpi("2025-03-31", "2025-01-01")
    with pytest.raises(ValueError, match="by"):
        portfolio.kpi("2025-01-01", "2025-03-31", by="team")
    with pytest.raises(carteira.InvalidArgumentError, match="active_by_status"):
        portfolio.kpi("2025-01-01", "2025-03-31", policy=carteira.StatusPolicy.default())
    with pytest.raises(carteira.InvalidArgumentError, match="negative"):
        portfolio.kpi("2025-01-01", "2025-03-31", active_window=-1)
    with pytest.raises(ValueError, match="64 months"):
        portfolio.cohorts("2017-01-01", "2025-03-31")
    assert portfolio.kpi_report("2017-01-01", "2025-03-31").cohorts is None


def test_cohorts_and_lifetime(portfolio):
    c = kp(portfolio).cohorts("2025-01-01", "2025-03-31")
    assert list(c["size"]) == [1, 0, 1]
    assert list(c.columns) == ["size", "+0", "+1", "+2"]
    assert c.iloc[0]["+0"] == 1.0 and c.iloc[0]["+1"] == 0.0 and math.isnan(c.iloc[1]["+0"])
    assert math.isnan(c.iloc[2]["+1"])
    report = portfolio.kpi_report("2025-01-01", "2025-03-31")
    assert report.cohort_buyers.tolist() == [[1, 0, 0], [0, 0, -1], [1, -1, -1]]
    model = carteira.Model.from_params("paretonbd", [0.5, 10.0, 3.0, 20.0], unit="weeks")
    assert carteira.expected_lifetime_days(model) == pytest.approx(70.0)
    k = portfolio.kpi("2025-01-01", "2025-03-31", lifetime_model=model)
    assert k.loc["overall", "lifetime_model_days"] == pytest.approx(70.0)
    heavy = carteira.Model.from_params("paretonbd", [0.5, 10.0, 0.5, 20.0], unit="weeks")
    assert carteira.expected_lifetime_days(heavy) == math.inf
    assert portfolio.kpi("2025-01-01", "2025-03-31", lifetime_model=heavy).attrs["overall"][
        "lifetime_model_days"] is None
    spend = carteira.Model.from_params("gammagamma", [6.0, 4.0, 15.0], unit="weeks")
    with pytest.raises(carteira.InvalidArgumentError):
        carteira.expected_lifetime_days(spend)


def test_rep_dashboard_of_the_small_portfolio(portfolio):
    d = kp(portfolio).rep_dashboard("2025-03-31")
    assert list(d.index) == [0, 1, 2, -1] and list(d["rep_id"]) == ["R1", "R2", "R3", None]
    # cli_test.sh: R3,Ruth,0,0,0,0,0,0,0,0,0.00,0,,,0,0,0,0,,,0.00
    r3 = d.loc[2]
    assert r3["name"] == "Ruth" and r3["book"] == 0 and r3["revenue"] == 0
    assert math.isnan(r3["positivacao"]) and math.isnan(r3["nps"]) and pd.isna(r3["last_contact"])
    assert math.isnan(r3["days_since_last_contact"]) and r3["at_risk_value"] == 0
    r1 = d.loc[0]
    assert r1["book"] == 3 and r1["revenue"] == 14200 and r1["positivacao"] == 1.0
    statuses = ["prospect", "new", "active", "at_risk", "inactive", "lost", "reactivated"]
    assert d[statuses].sum(axis=1).tolist() == d["book"].tolist()
    with pytest.raises(carteira.InvalidArgumentError, match="ends before it starts"):
        portfolio.rep_dashboard("2025-03-31", from_="2025-04-01")


def test_sample_is_what_the_cli_prints(sample_dir):
    with carteira.Portfolio() as p:
        p.import_directory(sample_dir)
        s = p.segments("2024-12-31")
        # carteira segments --as-of 2024-12-31 --format json
        assert len(s) == 3957 and s.attrs["abc"] == {"A": 575, "B": 665, "C": 2673, "none": 1087}
        assert s.attrs["segments"]["at_risk"] == 767 and s.attrs["segments"]["champions"] == 430
        assert (s["segment"].value_counts().to_dict() ==
                {k: v for k, v in s.attrs["segments"].items() if v})
        k = p.kpi("2024-01-01", "2024-12-31", by="rep")
        overall = k.attrs["overall"]
        # carteira kpi --from 2024-01-01 --to 2024-12-31 --format json
        assert (overall["customers"], overall["active"], overall["churned"]) == (4033, 3653, 110)
        assert overall["revenue"] == 28713636082 and overall["average_ticket"] == 474708
        assert overall["churn_rate"] == 110 / 3136 and overall["reactivation_rate"] is None
        assert k["customers"].sum() == 4033


def test_every_segments_function_of_the_header_is_declared_and_called(repo, portfolio, monkeypatch,
                                                                      tmp_path):
    header = (repo / "capi" / "include" / "carteira" / "carteira.h").read_text()
    section = header.split("---- Segments and KPIs")[1].split("/* ---- ")[0]
    wanted = set(re.findall(r"CARTEIRA_API[^;(]*?\b(carteira_\w+)\s*\(", section))
    assert len(wanted) == 33  # 32 + carteira_segment_map_rule_conditions (called by SegmentMap.rules)
    called = set()
    real = _lib.lib

    class Recorder:
        def __getattr__(self, name):
            called.add(name)
            return getattr(real, name)

    monkeypatch.setattr(_lib, "lib", Recorder())
    kp(portfolio)
    carteira.quintile_scores([1, 2]), carteira.abc_classify([1, 2]), carteira.segments.abc_class_name(1)
    m = carteira.SegmentMap.from_json('{"segments": [{"name": "top", "r": [4, 5]}, {"name": "recent", "r": 5}]}')
    m.check(), m.rules
    path = tmp_path / "map.json"
    path.write_text(m.to_json())
    carteira.SegmentMap.from_file(path).close()
    carteira.SegmentMap().close()
    portfolio.segments("2025-03-31", segment_map=m)
    portfolio.kpi("2025-01-01", "2025-03-31", by="rep")
    carteira.expected_lifetime_days(carteira.Model.from_params("paretonbd", [0.5, 10.0, 3.0, 20.0], unit="weeks"))
    portfolio.rep_dashboard("2025-03-31")
    m.close()
    assert wanted - called == set()
