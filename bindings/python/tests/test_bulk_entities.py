"""Bulk appends of reps, contracts, interactions, survey answers and assignments."""

import ctypes
import datetime

import numpy as np
import pytest

import carteira
from carteira import _lib

D = np.datetime64


def _counts_except(portfolio, *changed):
    c = portfolio.counts()
    return {k: v for k, v in c.items() if k not in changed}


@pytest.fixture
def filled(portfolio):
    """Three customers and two reps."""
    portfolio.append_customers(["C0", "C1", "C2"])
    portfolio.append_reps(["R0", "R1"])
    return portfolio


# ---- reps ---------------------------------------------------------------------------


def test_append_reps_counts_and_finds_them(portfolio):
    portfolio.append_reps(
        ["R0", "R1", "Joã"],
        name=["Ana", None, "João"],
        region=["Sul", "Norte", None],
        segments=[["varejo", "atacado"], "indústria|serviços", None],
        capacity=np.array([10, 0, 3], dtype=np.int32),
        active=[True, False, True],
        team=["A", "B", "A"],
    )
    c = portfolio.counts()
    assert c["reps"] == 3
    assert c["customers"] == 0
    assert [portfolio.find_rep(r) for r in ("R0", "R1", "Joã")] == [0, 1, 2]


def test_segments_cross_as_one_bar_joined_string_per_rep(portfolio, monkeypatch):
    real = _lib.lib.carteira_portfolio_append_reps
    seen = []

    def spy(handle, columns_p):
        columns = columns_p._obj
        seen.append([columns.segments[i] for i in range(columns.count)])
        return real(handle, columns_p)

    monkeypatch.setattr(_lib.lib, "carteira_portfolio_append_reps", spy)
    portfolio.append_reps(["A", "B", "C", "E"],
                          segments=[["x", "y"], "p|q", None, []])
    assert seen == [[b"x|y", b"p|q", None, b""]]
    assert portfolio.counts()["reps"] == 4


def test_a_segment_containing_the_separator_is_refused(portfolio):
    with pytest.raises(ValueError, match=r"segments\[1\]"):
        portfolio.append_reps(["A", "B"], segments=[["x"], ["y|z"]])
    with pytest.raises(TypeError):
        portfolio.append_reps(["A"], segments="x|y")  # one str for all reps: ambiguous
    assert portfolio.counts()["reps"] == 0


def test_duplicate_rep_ids_raise_already_exists_and_add_nothing(portfolio):
    portfolio.append_reps(["R0"])
    with pytest.raises(carteira.AlreadyExistsError, match="duplicate rep 'R0'") as err:
        portfolio.append_reps(["R1", "R0"])
    assert err.value.code == 6
    assert portfolio.counts()["reps"] == 1
    with pytest.raises(carteira.AlreadyExistsError, match="row 1"):
        portfolio.append_reps(["R5", "R5"])  # a duplicate within one call, too
    assert portfolio.counts()["reps"] == 1
    with pytest.raises(carteira.NotFoundError, match="R1"):
        portfolio.find_rep("R1")


def test_a_negative_capacity_is_rejected_naming_the_row(portfolio):
    with pytest.raises(carteira.InvalidArgumentError, match="row 1, field capacity"):
        portfolio.append_reps(["A", "B"], capacity=[1, -1])
    assert portfolio.counts()["reps"] == 0


def test_intern_reps_reuses_known_ids_and_creates_new_ones(portfolio):
    portfolio.append_reps(["R0", "R1"])
    index = portfolio.intern_reps(["R1", "NEW", "R0", "NEW"])
    assert index.dtype == np.int32
    assert index.tolist() == [1, 2, 0, 2]
    assert portfolio.counts()["reps"] == 3
    assert portfolio.find_rep("NEW") == 2
    assert portfolio.intern_reps([]).tolist() == []
    with pytest.raises(carteira.InvalidArgumentError, match="row 1, field rep_id"):
        portfolio.intern_reps(["R0", ""])
    assert portfolio.counts()["reps"] == 3


def test_find_rep_of_an_unknown_id_raises_not_found(portfolio):
    with pytest.raises(carteira.NotFoundError, match="nobody"):
        portfolio.find_rep("nobody")


# ---- contracts ----------------------------------------------------------------------


def test_append_contracts_counts_them(filled):
    before = _counts_except(filled, "contracts")
    filled.append_contracts(
        [0, 2],
        start=[datetime.date(2024, 1, 1), "2024-06-01"],
        end=np.array(["2024-12-31", "2025-05-31"], dtype="datetime64[D]"),
        contract_id=["K1", None],
        value=np.array([1_200_00, 99_90], dtype=np.int64),
        auto_renew=[True, False],
    )
    assert filled.counts()["contracts"] == 2
    assert _counts_except(filled, "contracts") == before


def test_a_contract_ending_before_it_starts_fails_the_whole_append(filled):
    filled.append_contracts([0], [D("2024-01-01")], [D("2024-12-31")])
    before = filled.counts()
    with pytest.raises(carteira.InvalidArgumentError) as err:
        filled.append_contracts(
            [1, 2, 0],
            start=np.array(["2024-01-01", "2024-06-01", "2024-01-01"], dtype="datetime64[D]"),
            end=np.array(["2024-12-31", "2024-05-31", "2024-12-31"], dtype="datetime64[D]"),
        )
    assert "row 1, field end" in str(err.value)
    assert err.value.code == 3
    assert filled.counts() == before


def test_a_contract_for_an_unknown_customer_index_is_rejected(filled):
    with pytest.raises(carteira.InvalidArgumentError, match="row 0, field customer"):
        filled.append_contracts([3], [0], [1])
    assert filled.counts()["contracts"] == 0


def test_contract_columns_are_checked_for_length_in_python(filled):
    with pytest.raises(ValueError, match="end"):
        filled.append_contracts([0, 1], [0, 0], [1])
    with pytest.raises(ValueError, match="value"):
        filled.append_contracts([0], [0], [1], value=[1, 2])
    with pytest.raises(TypeError, match="value"):
        filled.append_contracts([0], [0], [1], value=[1.5])  # money is integer minor units
    assert filled.counts()["contracts"] == 0


# ---- interactions -------------------------------------------------------------------


def test_append_interactions_counts_them(filled):
    before = _counts_except(filled, "interactions")
    filled.append_interactions(
        np.array([0, 1, 2], dtype=np.uint32),
        np.array(["2024-03-01", "2024-03-02", "2024-03-03"], dtype="datetime64[D]"),
        rep_index=np.array([0, -1, 1], dtype=np.int32),
        channel=["visit", "call", None],
        outcome=["sale", None, "no answer"],
    )
    filled.append_interactions([1], [19_800])  # int days, no rep, no text
    assert filled.counts()["interactions"] == 4
    assert _counts_except(filled, "interactions") == before


def test_an_interaction_naming_an_unknown_rep_is_rejected(filled):
    with pytest.raises(carteira.InvalidArgumentError, match="row 1, field rep"):
        filled.append_interactions([0, 1], [19_800, 19_801], rep_index=[1, 2])
    assert filled.counts()["interactions"] == 0


# ---- surveys ------------------------------------------------------------------------


def test_append_surveys_counts_them(filled):
    filled.append_surveys([0, 1, 2], [D("2024-01-10"), D("2024-01-11"), D("2024-01-12")],
                          [0, 10, 7])
    assert filled.counts()["surveys"] == 3


def test_a_survey_score_of_11_is_rejected_and_nothing_added(filled):
    filled.append_surveys([0], [19_800], [9])
    with pytest.raises(carteira.InvalidArgumentError, match="row 2, field score"):
        filled.append_surveys([0, 1, 2], [19_800] * 3, [10, 0, 11])
    with pytest.raises(carteira.InvalidArgumentError, match="row 0, field score"):
        filled.append_surveys([0], [19_800], [-1])
    assert filled.counts()["surveys"] == 1


def test_a_survey_date_outside_the_accepted_years_is_rejected(filled):
    with pytest.raises(carteira.InvalidArgumentError, match="row 0, field date"):
        filled.append_surveys([0], [D("1800-01-01")], [5])
    with pytest.raises(carteira.InvalidArgumentError, match="row 0, field date"):
        filled.append_surveys([0], [None], [5])  # a missing date becomes NO_DAY: refused
    assert filled.counts()["surveys"] == 0


# ---- assignments --------------------------------------------------------------------


def test_append_assignments_counts_them(filled):
    reps = filled.intern_reps(["R1", "R0", "R1"])
    filled.append_assignments([0, 1, 2], reps,
                              np.array(["2023-01-01", "2023-02-01", "2023-03-01"],
                                       dtype="datetime64[D]"),
                              reason=["new", None, "moved"])
    assert filled.counts()["assignments"] == 3
    assert filled.counts()["reps"] == 2  # intern_reps found them all


def test_an_assignment_needs_a_rep(filled):
    with pytest.raises(carteira.InvalidArgumentError, match="row 0, field rep"):
        filled.append_assignments([0], [-1], [19_800])  # -1 is not a rep here
    assert filled.counts()["assignments"] == 0


# ---- across the board ---------------------------------------------------------------


def test_empty_appends_change_nothing(filled):
    before = filled.counts()
    filled.append_reps([])
    filled.append_contracts([], [], [])
    filled.append_interactions([], [])
    filled.append_surveys([], [], [])
    filled.append_assignments([], [], [])
    assert filled.counts() == before


def test_right_typed_arrays_reach_the_library_without_a_copy(filled, monkeypatch):
    import carteira.portfolio as module

    passed = []
    real_pointer = module.pointer

    def spy(arr, ctype):
        passed.append(arr)
        return real_pointer(arr, ctype)

    monkeypatch.setattr(module, "pointer", spy)
    customers = np.array([0, 1], dtype=np.uint32)
    days = np.array([19_800, 19_801], dtype=np.int32)
    scores = np.array([3, 9], dtype=np.int32)
    reps = np.array([1, 0], dtype=np.int32)
    filled.append_surveys(customers, days, scores)
    filled.append_assignments(customers, reps, days)
    for arr in (customers, days, scores, reps):
        assert any(p is arr for p in passed), arr
    assert filled.counts()["surveys"] == 2
    assert filled.counts()["assignments"] == 2


@pytest.mark.parametrize("call", [
    lambda p: p.append_reps(["R"]),
    lambda p: p.intern_reps(["R"]),
    lambda p: p.find_rep("R"),
    lambda p: p.append_contracts([0], [0], [1]),
    lambda p: p.append_interactions([0], [0]),
    lambda p: p.append_surveys([0], [0], [5]),
    lambda p: p.append_assignments([0], [0], [0]),
])
def test_a_closed_portfolio_raises_a_python_error(call):
    p = carteira.Portfolio()
    p.close()
    with pytest.raises(ValueError, match="closed"):
        call(p)


@pytest.mark.parametrize("struct, init", [
    (_lib.RepColumns, "carteira_rep_columns_init"),
    (_lib.ContractColumns, "carteira_contract_columns_init"),
    (_lib.InteractionColumns, "carteira_interaction_columns_init"),
    (_lib.SurveyColumns, "carteira_survey_columns_init"),
    (_lib.AssignmentColumns, "carteira_assignment_columns_init"),
])
def test_new_column_structs_default_like_their_init_function(struct, init):
    ours = struct()
    native = struct()
    ctypes.memset(ctypes.byref(native), 0xAB, ctypes.sizeof(native))
    getattr(_lib.lib, init)(ctypes.byref(native), ctypes.sizeof(native))
    assert native.struct_size == ctypes.sizeof(native)
    assert bytes(native) == bytes(ours)
