"""Portfolio lifetime, bulk appends through numpy, ids <-> indices, and the summary."""

import datetime
import gc
import math

import numpy as np
import pandas as pd
import pytest

import carteira
from carteira._arrays import integer_array

D = np.datetime64


# ---- lifetime ----------------------------------------------------------------------


def test_closing_twice_is_safe():
    p = carteira.Portfolio()
    p.close()
    p.close()
    assert p.closed


def test_the_context_manager_closes_the_handle():
    with carteira.Portfolio() as p:
        assert not p.closed
        assert p.counts()["customers"] == 0
    assert p.closed
    p.__exit__(None, None, None)  # and again: still harmless


@pytest.mark.parametrize("call", [
    lambda p: p.counts(),
    lambda p: p.summary("2024-01-01"),
    lambda p: p.append_customers(["A"]),
    lambda p: p.append_transactions([0], [0], [100]),
    lambda p: p.intern_customers(["A"]),
    lambda p: p.find_customer("A"),
    lambda p: p.customer_ids([0]),
    lambda p: p.rep_ids([0]),
    lambda p: p.import_text("transactions", "customer_id;date;amount\n"),
    lambda p: p.import_directory("/nonexistent"),
    lambda p: p.__enter__(),
])
def test_a_closed_portfolio_raises_a_python_error(call):
    p = carteira.Portfolio()
    p.close()
    with pytest.raises(ValueError, match="closed"):
        call(p)


def test_collecting_an_open_portfolio_frees_it():
    for _ in range(100):
        p = carteira.Portfolio()
        p.append_customers(["A"])
        del p
    gc.collect()


# ---- appends and ids ----------------------------------------------------------------


def test_append_customers_takes_optional_columns_and_counts_them(portfolio):
    portfolio.append_customers(
        ["C1", "C2", "Ação-3"],
        name=["Ana", None, "José"],
        city=["Santa Maria", "Belém", "Recife"],
        created_at=[datetime.date(2020, 1, 1), None, np.datetime64("2021-05-06")],
        key_account=[True, False, False],
        delinquent=np.array([0, 1, 0], dtype=np.uint8),
    )
    assert portfolio.counts()["customers"] == 3
    assert portfolio.find_customer("Ação-3") == 2
    assert portfolio.customer_ids([2, 0, 2]) == ["Ação-3", "C1", "Ação-3"]


def test_a_duplicate_customer_fails_the_whole_append(portfolio):
    portfolio.append_customers(["C1"])
    with pytest.raises(carteira.Error, match="duplicate customer 'C1'"):
        portfolio.append_customers(["C2", "C1"])
    assert portfolio.counts()["customers"] == 1
    with pytest.raises(carteira.NotFoundError, match="C2"):
        portfolio.find_customer("C2")


def test_append_customers_checks_column_lengths_in_python(portfolio):
    with pytest.raises(ValueError, match="name"):
        portfolio.append_customers(["A", "B"], name=["only one"])
    with pytest.raises(TypeError):
        portfolio.append_customers("ABC")  # a str is not a sequence of ids
    assert portfolio.counts()["customers"] == 0


def test_intern_customers_reuses_known_ids_and_creates_new_ones(portfolio):
    portfolio.append_customers(["A", "B"])
    index = portfolio.intern_customers(["B", "Z", "A", "Z"])
    assert index.dtype == np.uint32
    assert index.tolist() == [1, 2, 0, 2]
    assert portfolio.counts()["customers"] == 3
    assert portfolio.customer_ids(index) == ["B", "Z", "A", "Z"]
    assert portfolio.customer_ids([]) == []


def test_customer_ids_out_of_range_raises_out_of_range(portfolio):
    portfolio.append_customers(["A"])
    with pytest.raises(carteira.OutOfRangeError, match="index 5"):
        portfolio.customer_ids([0, 5])


def test_rep_ids_by_index_and_out_of_range(portfolio):
    index = portfolio.intern_reps(["R2", "Ação", "R2"])
    assert portfolio.rep_ids(index) == ["R2", "Ação", "R2"]
    assert portfolio.rep_ids([]) == []
    with pytest.raises(carteira.OutOfRangeError, match="index -1"):
        portfolio.rep_ids([0, -1])


def test_right_typed_arrays_reach_the_library_without_a_copy(portfolio, monkeypatch):
    import carteira.portfolio as module

    passed = []
    real_pointer = module.pointer

    def spy(arr, ctype):
        passed.append(arr)
        return real_pointer(arr, ctype)

    monkeypatch.setattr(module, "pointer", spy)
    customers = portfolio.intern_customers(["A", "B", "A"])
    days = np.array([19000, 19001, 19002], dtype=np.int32)
    amounts = np.array([100, 200, -50], dtype=np.int64)
    portfolio.append_transactions(customers, days, amounts)
    assert len(passed) >= 3
    for original in (customers, days, amounts):
        assert any(a is original or np.shares_memory(a, original) for a in passed)
    assert portfolio.counts()["transactions"] == 3


def test_other_arrays_are_converted_once():
    exact = np.arange(5, dtype=np.int64)
    assert np.shares_memory(integer_array(exact, np.int64, "amount"), exact)
    converted = integer_array(np.arange(5, dtype=np.int64), np.uint32, "customer_index")
    assert converted.dtype == np.uint32 and converted.tolist() == [0, 1, 2, 3, 4]
    strided = np.arange(10, dtype=np.int64)[::2]
    out = integer_array(strided, np.int64, "amount")
    assert out.flags.c_contiguous and out.tolist() == [0, 2, 4, 6, 8]


def test_integer_columns_refuse_floats_and_out_of_range_values():
    with pytest.raises(TypeError, match="amount"):
        integer_array(np.array([1.5]), np.int64, "amount")
    with pytest.raises(OverflowError, match="customer_index"):
        integer_array(np.array([-1]), np.uint32, "customer_index")


def test_bad_transactions_append_nothing(portfolio):
    portfolio.append_customers(["A"])
    with pytest.raises(carteira.InvalidArgumentError, match="index 7"):
        portfolio.append_transactions(np.array([0, 7], dtype=np.uint32),
                                      np.array([19000, 19001], dtype=np.int32),
                                      np.array([100, 200], dtype=np.int64))
    with pytest.raises(ValueError, match="lengths differ"):
        portfolio.append_transactions([0, 0], [19000], [1, 2])
    assert portfolio.counts()["transactions"] == 0


# ---- the summary, checked by hand -----------------------------------------------------

AS_OF = datetime.date(2024, 3, 1)


@pytest.fixture
def small(portfolio):
    """Six customers whose figures are worked out by hand in the tests below."""
    portfolio.append_customers(["A", "B", "C", "D", "E", "F"])
    rows = [  # customer, date, amount (minor units)
        ("A", "2024-01-10", 10000), ("A", "2024-01-10", 5000),  # d1: two purchases, one day
        ("A", "2024-01-20", 3000),                              # d2
        ("A", "2024-02-09", 2000),                              # d3
        ("A", "2024-02-15", -1000),                             # a return: not a purchase day
        ("A", "2024-03-05", 9999),                              # after as_of: ignored
        ("B", "2024-01-20", 2500), ("B", "2024-01-20", 2051),   # one purchase-day
        ("C", "2024-03-02", 700),                               # starts after as_of: no row
        ("E", "2024-02-01", -300),                              # only a return: no row
        ("F", "2024-02-01", 1), ("F", "2024-02-03", 4),         # average 2.5 -> 3
    ]                                                           # D: no transactions
    customers = portfolio.intern_customers([r[0] for r in rows])
    dates = np.array([r[1] for r in rows], dtype="datetime64[D]")
    amounts = np.array([r[2] for r in rows], dtype=np.int64)
    portfolio.append_transactions(customers, dates, amounts,
                                  order_id=[f"P{i}" for i in range(len(rows))])
    return portfolio


def test_summary_follows_the_definitions(small):
    df = small.summary(AS_OF)
    assert isinstance(df, pd.DataFrame)
    assert tuple(df.columns) == carteira.SUMMARY_COLUMNS
    assert df.customer_id.tolist() == ["A", "B", "F"]
    assert df.index.tolist() == [0, 1, 5] and df.index.name == "customer_index"

    a = df.set_index("customer_id").loc["A"]
    assert a.first_purchase == pd.Timestamp("2024-01-10")
    assert a.last_purchase == pd.Timestamp("2024-02-09")  # the return on 02-15 is no purchase
    assert a.purchase_days == 3 and a.x == 2
    assert a.t_x == 30.0 and a["T"] == 51.0
    assert a.revenue == 10000 + 5000 + 3000 + 2000 - 1000
    assert a.average_ticket == 6333  # 19000 / 3, rounded
    assert a.zbar == pytest.approx((30.00 + 20.00) / 2)  # repeat days only, major units
    assert a.median_gap_days == 15.0  # gaps of 10 and 20 days
    assert a.days_since_last == 21

    b = df.set_index("customer_id").loc["B"]
    assert (b.purchase_days, b.x, b.t_x, b.revenue, b.average_ticket, b.zbar) == (1, 0, 0.0, 4551, 4551, 0.0)
    assert math.isnan(b.median_gap_days)

    f = df.set_index("customer_id").loc["F"]
    assert f.average_ticket == 3  # 2.5 rounds half away from zero


def test_summary_in_weeks_scales_t_x_and_T_only(small):
    days = small.summary("01/03/2024", unit="days")
    weeks = small.summary(np.datetime64("2024-03-01"), unit="weeks")
    np.testing.assert_allclose(weeks.t_x, days.t_x / 7)
    np.testing.assert_allclose(weeks["T"], days["T"] / 7)  # .T would transpose
    assert (weeks.x == days.x).all() and (weeks.revenue == days.revenue).all()


def test_summary_without_pandas_is_a_dict_of_numpy_arrays(small):
    out = small.summary(AS_OF, as_frame=False)
    assert set(out) == set(carteira.SUMMARY_COLUMNS) | {"customer_index"}
    assert out["first_purchase"].dtype == np.dtype("datetime64[D]")
    assert out["first_purchase"][0] == D("2024-01-10")
    assert out["revenue"].dtype == np.int64 and out["t_x"].dtype == np.float64
    assert out["customer_index"].dtype == np.uint32
    assert out["customer_index"].tolist() == [0, 1, 5]


def test_transactions_take_int_days_as_well_as_datetime64(portfolio):
    idx = portfolio.intern_customers(["A", "A"])
    days = carteira.to_days(np.array(["2024-01-01", "2024-01-08"], dtype="datetime64[D]"))
    portfolio.append_transactions(idx, days, np.array([100, 200]))
    df = portfolio.summary(datetime.date(2024, 1, 15))
    assert df.t_x.tolist() == [7.0] and df.days_since_last.tolist() == [7]


def test_summary_of_an_empty_portfolio_has_the_columns_and_no_rows(portfolio):
    df = portfolio.summary(AS_OF)
    assert len(df) == 0 and tuple(df.columns) == carteira.SUMMARY_COLUMNS


def test_summary_rejects_a_bad_unit(small):
    with pytest.raises(ValueError, match="unit"):
        small.summary(AS_OF, unit="fortnights")


def test_summary_in_months_is_the_summary_in_days_rescaled(small):
    days = small.summary(AS_OF, unit="days")
    months = small.summary(AS_OF, unit="months")
    np.testing.assert_allclose(months["T"], days["T"] / (365.25 / 12), rtol=1e-12)
    np.testing.assert_allclose(months.t_x, days.t_x / (365.25 / 12), rtol=1e-12)
