"""Redistribution plans on the sample portfolio as of 2026-10-31: the giro,
plugin policies written in Python, JSON out and back, apply (stale plans
refused) and the inverse, errors, and every function of the header section."""

import datetime
import gc
import re

import numpy as np
import pytest

import carteira
from carteira import _lib, redistribution
from carteira.redistribution import Plan, PlanPipeline

AS_OF = datetime.date(2026, 10, 31)
GIRO = {"policies": [{"policy": "assign_unowned", "method": "round_robin"},
                     {"policy": "rotate_at_risk", "max_moves_per_rep": 2}]}


@pytest.fixture
def sample(portfolio, sample_dir):
    portfolio.import_directory(sample_dir)
    return portfolio


@pytest.fixture
def table(sample):
    with carteira.StatusEngine(sample) as engine:
        t = engine.classify(AS_OF)
    yield t
    t.close()


def first_of(state, rep):
    """The first customer of `rep` (an index) a policy may move."""
    for c in range(state.customer_count):
        info = state.customer(c)
        if info.holder == rep and not info.locked and not info.moved:
            return c
    raise LookupError(f"rep {rep} has no movable customer")


def test_the_giro_is_deterministic(sample, table):
    with PlanPipeline.from_json(GIRO) as giro:
        first = Plan.build(sample, table, giro)
        second = sample.plan(table, giro)
    with first, second:
        assert first.to_json() == second.to_json()
        assert first.id == second.id and re.fullmatch(r"plan-[0-9a-f]{16}", first.id)
        assert first.as_of == AS_OF
        assert first.round_robin_cursor and first.round_robin_cursor.startswith("R")
        moves = first.moves()
        assert list(moves.columns) == list(redistribution.MOVE_COLUMNS)
        assert len(moves) == len(first) > 0
        assert set(moves["policy"]) == {"assign_unowned", "rotate_at_risk"}
        # The frame says what the JSON says, ids and dates included.
        doc = first.to_dict()
        assert moves["customer_id"].tolist() == [m["customer_id"] for m in doc["moves"]]
        assert moves["from"].tolist() == [m["from"] for m in doc["moves"]]
        assert moves["to"].tolist() == [m["to"] for m in doc["moves"]]
        assert moves["explanation"].tolist() == [m["explanation"] for m in doc["moves"]]
        assert (moves["effective"] == np.datetime64("2026-10-31")).all() and moves["until"].isna().all()
        unplaced = first.unplaced()
        assert list(unplaced.columns) == list(redistribution.UNPLACED_COLUMNS)
        assert unplaced["customer_id"].tolist() == [u["customer_id"] for u in doc["unassigned"]]
        assert unplaced["stays_with"].tolist() == [u["stays_with"] for u in doc["unassigned"]]
        assert set(unplaced["constraint"]) <= {"locked", "territory", "segment", "cooldown", "move_limit",
                                               "capacity", "no_rep"}
        assert first.infeasible() == doc["infeasible"]
        assert [line.split(":")[0] for line in doc["infeasible"]] == ["region Sudeste"]  # its reps are full
        before, after = first.rep_figures(after=False), first.rep_figures(after=True)
        assert list(before.columns) == list(redistribution.REP_FIGURES_COLUMNS)
        assert before.index.name == "rep_id" and sorted(before.index) == sorted(doc["before"])
        assert before["customers"].sum() == after["customers"].sum()
        for rep_id, figures in doc["after"].items():
            assert after.loc[rep_id, "customers"] == figures["customers"]
            assert after.loc[rep_id, "at_risk_value"] == round(figures["at_risk_value"] * 100)  # minor units
        fair = first.fairness(after=False)
        assert fair == carteira.Fairness(reps=23, min_load=doc["fairness"]["before"]["min_load"],
                                         max_load=doc["fairness"]["before"]["max_load"],
                                         max_min_ratio=fair.max_min_ratio, gini=fair.gini)
        assert fair.max_min_ratio == pytest.approx(doc["fairness"]["before"]["max_min_ratio"], abs=1e-6)
        assert 0 < first.fairness(after=True).gini < 1


def test_results_without_pandas_are_numpy_arrays(sample, table):
    with sample.plan(table, GIRO) as plan:
        moves = plan.moves(as_frame=False)
        assert list(moves) == list(redistribution.MOVE_COLUMNS)
        assert moves["effective"].dtype == np.dtype("datetime64[D]")
        figures = plan.rep_figures(as_frame=False)
        assert figures["at_risk_value"].dtype == np.int64 and len(figures["rep_id"]) == 25
        assert list(plan.unplaced(as_frame=False)) == list(redistribution.UNPLACED_COLUMNS)


def test_a_python_policy_moves_a_customer_under_its_name(sample, table):
    seen = {}

    def move_one(state):
        r01 = sample.find_rep("R01")
        c = first_of(state, r01)
        seen["customer"] = state.customer_id(c)
        seen["as_of"] = state.as_of
        seen["holder"] = state.rep_id(state.customer(c).holder)
        seen["r02"] = state.rep("R02")
        seen["info"] = state.customer(seen["customer"])  # by id
        state.move(seen["customer"], "R02", "plugin_rule", "moved by the Python plugin")
        with pytest.raises(carteira.FailedPreconditionError, match="already moved"):
            state.move(c, r01, "again")  # a customer moves once per plan
        seen["moved"] = state.customer(c).moved
        state.unplace(c + 1, "plugin_limit", "one a run")
        seen["state"] = state

    with PlanPipeline.from_json({"policies": [{"policy": "rotate_at_risk", "max_moves_per_rep": 2}]}) as pipeline:
        assert pipeline.add_policy("move_one", move_one) is pipeline
        assert pipeline.plugins == ("move_one",)
        plan = sample.plan(table, pipeline)
    with plan:
        assert seen["as_of"] == AS_OF and seen["holder"] == "R01" and seen["moved"]
        assert seen["r02"].available and seen["r02"].customers > 0
        info = seen["info"]
        assert info.holder == sample.find_rep("R01") and not info.locked and info.value >= 0 and info.weight == 1
        assert isinstance(info.status, carteira.Lifecycle)
        with pytest.raises(ValueError, match="only during"):
            seen["state"].as_of  # the state dies with the run
        moves = plan.moves()
        mine = moves[moves["policy"] == "move_one"]
        assert mine[["customer_id", "from", "to", "reason"]].values.tolist() == [
            [seen["customer"], "R01", "R02", "plugin_rule"]]
        assert set(moves["policy"]) == {"rotate_at_risk", "move_one"}
        last = plan.unplaced().iloc[-1]
        assert (last["policy"], last["constraint"], last["explanation"]) == ("move_one", "plugin_limit", "one a run")
        before, after = plan.rep_figures(False), plan.rep_figures(True)
        delta = (moves["to"] == "R02").sum() - (moves["from"] == "R02").sum()
        assert after.loc["R02", "customers"] == before.loc["R02", "customers"] + delta
        assert '"policy": "move_one"' in plan.to_json()


def test_a_python_exception_in_a_policy_is_raised_to_the_caller(sample, table):
    calls = []

    def broken(state):
        calls.append(1)
        raise ValueError("no capacity data")

    with PlanPipeline() as pipeline:
        pipeline.add_policy("broken", broken)
        with pytest.raises(carteira.InternalError, match="policy broken: ValueError: no capacity data") as info:
            sample.plan(table, pipeline)
        assert isinstance(info.value.__cause__, ValueError)
        with pytest.raises(carteira.InternalError):  # again: nothing left over from the first failure
            sample.plan(table, pipeline)
    assert calls == [1, 1]

    class Stop(BaseException):
        pass

    def interrupted(state):
        raise Stop()

    with PlanPipeline().add_policy("interrupted", interrupted) as pipeline:
        with pytest.raises(Stop):  # not an Exception: re-raised itself
            sample.plan(table, pipeline)

    def refused(state):
        c = first_of(state, sample.find_rep("R01"))
        state.move(c, "R01")  # its own rep: refused, and not caught

    with PlanPipeline().add_policy("refused", refused) as pipeline:
        with pytest.raises(carteira.FailedPreconditionError, match="policy refused") as info:
            sample.plan(table, pipeline)
        assert isinstance(info.value.__cause__, carteira.FailedPreconditionError)
    # The library and the portfolio are fine afterwards.
    with sample.plan(table, GIRO) as plan:
        assert len(plan) > 0


def test_policies_are_released_with_their_pipeline():
    before = len(redistribution._POLICIES)
    pipeline = PlanPipeline()
    pipeline.add_policy("a", lambda state: None)
    pipeline.add_policy("b", lambda state: None)
    assert len(redistribution._POLICIES) == before + 2
    pipeline.close()
    assert len(redistribution._POLICIES) == before
    with pytest.raises(carteira.InvalidArgumentError, match="name is empty"):
        PlanPipeline().add_policy("", lambda state: None)
    gc.collect()
    assert len(redistribution._POLICIES) == before  # released on the failed add too
    with pytest.raises(TypeError):
        PlanPipeline().add_policy("x", 42)


def test_apply_then_apply_again_is_stale_and_the_inverse_restores(sample, table):
    books = sample.rep_dashboard(AS_OF)[["rep_id", "book"]]
    with sample.plan(table, GIRO) as plan:
        moved = plan.moves()
        plan.apply()
        assert sample.counts()["assignments"] == 5500 + len(moved)
        after = sample.rep_dashboard(AS_OF).set_index("rep_id")["book"]
        figures = plan.rep_figures(after=True)["customers"]
        assert (after.loc[figures.index] == figures).all()
        with pytest.raises(carteira.FailedPreconditionError, match="stale"):
            plan.apply(sample)
        with plan.inverse(AS_OF + datetime.timedelta(days=1)) as undo:
            back = undo.moves()
            assert (back["effective"] == np.datetime64("2026-11-01")).all()
            had_rep = moved[moved["from"].notna()]
            assert sorted(zip(back["customer_id"], back["to"])) == sorted(zip(had_rep["customer_id"],
                                                                           had_rep["from"]))
            assert len(undo.unplaced()) == len(moved) - len(had_rep)
            undo.apply()
    restored = sample.rep_dashboard(AS_OF + datetime.timedelta(days=1))[["rep_id", "book"]]
    assert restored.values.tolist() == books.values.tolist()


def test_apply_refuses_another_portfolio(sample, table, sample_dir):
    with sample.plan(table, GIRO) as plan, carteira.Portfolio() as other:
        other.import_directory(sample_dir)
        with pytest.raises(carteira.FailedPreconditionError, match="another portfolio"):
            plan.apply(other)
        with carteira.StatusEngine(other) as engine, engine.classify(AS_OF) as other_table:
            with pytest.raises(carteira.FailedPreconditionError, match="status table"):
                sample.plan(other_table, GIRO)


def test_a_plan_goes_to_json_and_back(sample, table):
    with sample.plan(table, GIRO) as plan:
        text = plan.to_json()
        with Plan.from_json(sample, text) as read, Plan.from_json(sample, plan.to_dict()) as from_dict:
            assert (read.id, read.as_of, len(read)) == (plan.id, plan.as_of, len(plan))
            assert read.moves().equals(plan.moves()) and from_dict.moves().equals(plan.moves())
            assert read.rep_figures().empty  # a plan read back has its moves, not the figures
            assert read.round_robin_cursor is None and read.unplaced().empty
    with pytest.raises(carteira.InvalidArgumentError, match=r"moves\[0\]\.to: rep R99 is not in the portfolio"):
        Plan.from_json(sample, '{"moves": [{"customer_id": "C00001", "to": "R99", "policy": "x"}]}')
    with pytest.raises(carteira.InvalidArgumentError, match="not valid JSON"):
        Plan.from_json(sample, "{")
    with pytest.raises(TypeError):
        Plan()


def test_bad_policy_json_names_the_place(tmp_path):
    with pytest.raises(carteira.InvalidArgumentError,
                       match=re.escape("policies[0] (rebalance).tolerancia: is not a known key")):
        PlanPipeline.from_json('{"policies": [{"policy": "rebalance", "tolerancia": 0.1}]}')
    with pytest.raises(carteira.InvalidArgumentError, match=re.escape("policies[1]: unknown policy 'giro'")):
        PlanPipeline.from_json({"policies": [{"policy": "rotate_at_risk"}, {"policy": "giro"}]})
    path = tmp_path / "policy.json"
    path.write_text('{"policies": [{"policy": "rotate_at_risk", "no_contact_days": -3}]}')
    with pytest.raises(carteira.InvalidArgumentError, match=r"policy\.json.*policies\[0\] \(rotate_at_risk\)"):
        PlanPipeline.from_file(path)
    with pytest.raises(carteira.NotFoundError):
        PlanPipeline.from_file(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="NUL"):
        PlanPipeline.from_json("{\0}")


def test_a_plan_outlives_its_pipeline_but_not_its_portfolio(sample_dir):
    p = carteira.Portfolio()
    p.import_directory(sample_dir)
    with carteira.StatusEngine(p) as engine, engine.classify(AS_OF) as t:
        pipeline = PlanPipeline.from_json(GIRO)
        plan = p.plan(t, pipeline)
    pipeline.close()
    assert len(plan.moves()) == len(plan)
    p.close()
    with pytest.raises(ValueError, match="portfolio of this carteira.Plan was closed"):
        plan.moves()
    plan.close()
    with pytest.raises(ValueError, match="closed"):
        plan.id
    assert repr(plan) == "<carteira.Plan closed>"


def test_every_redistribution_function_of_the_header_is_called(repo, sample, table, tmp_path, monkeypatch):
    header = (repo / "capi" / "include" / "carteira" / "carteira.h").read_text()
    section = header.split("---- Redistribution plans")[1].split("/* ---- ")[0]
    # carteira_store_apply_plan lives here for its types; test_store.py covers it.
    wanted = {f for f in re.findall(r"CARTEIRA_API[^;(]*?\b(carteira_\w+)\s*\(", section)
              if not f.startswith("carteira_store_")}
    assert len(wanted) == 23
    called = set()
    real = _lib.lib

    class Recorder:
        def __getattr__(self, name):
            called.add(name)
            return getattr(real, name)

    monkeypatch.setattr(_lib, "lib", Recorder())
    path = tmp_path / "policy.json"
    path.write_text('{"policies": [{"policy": "rotate_at_risk"}]}')

    def plugin(state):
        state.as_of, state.rep(0)
        c = first_of(state, 0)
        state.move(c, 1, "r", "e")
        state.unplace(c + 1, "c", "e")

    def failing(state):
        raise RuntimeError("stop")  # reported through carteira_plan_state_set_error

    with PlanPipeline.from_file(path) as pipeline, PlanPipeline() as bad:
        pipeline.add_policy("plugin", plugin)
        bad.add_policy("failing", failing)
        with pytest.raises(carteira.InternalError, match="RuntimeError: stop"):
            sample.plan(table, bad)
        with sample.plan(table, pipeline) as plan:
            plan.id, plan.moves(), plan.unplaced(), plan.infeasible(), plan.rep_figures(), plan.fairness()
            with Plan.from_json(sample, plan.to_json()) as read:
                read.apply()
                with read.inverse("2026-11-01") as undo:
                    undo.apply()
    PlanPipeline.from_json(GIRO).close()
    with sample.plan(table, {"policies": [{"policy": "rebalance", "tolerance": 0.01}]}) as plan:
        plan.infeasible()
    assert wanted - called == set()
