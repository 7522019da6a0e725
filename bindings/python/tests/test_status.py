"""Lifecycle status: statuses and flags, policies, the engine, Python plugin
rules (with their vtable's destroy), tables, history and transitions."""

import ctypes
import datetime
import gc
import math
import re
import weakref

import numpy as np
import pandas as pd
import pytest

import carteira
from carteira import Lifecycle, StatusFlag, StatusPolicy, StatusEngine, _lib
from carteira import status as status_module

D0 = datetime.date(2024, 1, 1)
MONTH_ENDS = [datetime.date(2026, 8, 31), datetime.date(2026, 9, 30), datetime.date(2026, 10, 31)]
SAMPLE_AS_OF = MONTH_ENDS[-1]


def day(offset: int) -> datetime.date:
    return D0 + datetime.timedelta(days=offset)


@pytest.fixture(scope="module")
def sample(sample_dir):
    with carteira.Portfolio() as p:
        p.import_directory(sample_dir)
        yield p


@pytest.fixture(scope="module")
def sample_engine(sample):
    with StatusEngine(sample) as engine:
        yield engine


@pytest.fixture(scope="module")
def sample_table(sample_engine):
    with sample_engine.classify(SAMPLE_AS_OF) as table:
        yield table


def tiny_portfolio():
    """A: one purchase on D0. P: none (prospect). K: a key account, delinquent,
    bought on D0, with a contract ending on D0 + 70."""
    p = carteira.Portfolio()
    p.append_customers(["A", "P", "K"], segment=["varejo", "varejo", "atacado"],
                       key_account=[False, False, True], delinquent=[False, False, True])
    p.append_transactions([0, 2], [D0, D0], [10_000, 25_000])
    p.append_contracts([2], [datetime.date(2023, 1, 1)], [day(70)], contract_id=["K1"])
    return p


# ---- statuses and flags ------------------------------------------------------------


def test_lifecycle_values_and_names_are_the_librarys():
    assert [m.name for m in Lifecycle] == [
        "prospect", "new", "active", "at_risk", "inactive", "lost", "reactivated"]
    for member in Lifecycle:
        assert carteira.lifecycle_name(member) == member.name
        assert carteira.lifecycle_name(int(member)) == member.name
        parsed = carteira.parse_lifecycle(member.name)
        assert parsed is member and isinstance(parsed, Lifecycle)


@pytest.mark.parametrize("value", [7, -1, 2**31 - 1])
def test_lifecycle_name_of_an_unknown_value_raises(value):
    with pytest.raises(ValueError, match="not a carteira lifecycle status"):
        carteira.lifecycle_name(value)


def test_parse_lifecycle_refuses_an_unknown_name_with_the_librarys_message():
    with pytest.raises(carteira.InvalidArgumentError,
                       match=r"unknown status 'inativo' \(prospect, new"):
        carteira.parse_lifecycle("inativo")
    with pytest.raises(TypeError):
        carteira.parse_lifecycle(4)


def test_flags_are_the_header_bits():
    assert (StatusFlag.renewal_due, StatusFlag.delinquent, StatusFlag.key_account) == (1, 2, 4)
    assert carteira.flag_names(0) == ""
    both = StatusFlag.renewal_due | StatusFlag.key_account
    assert carteira.flag_names(both) == "renewal_due,key_account"
    assert list(carteira.flag_names(np.array([7, 2]))) == [
        "renewal_due,delinquent,key_account", "delinquent"]


# ---- policies ------------------------------------------------------------------------


def test_default_policy_has_the_documented_thresholds():
    with StatusPolicy.default() as policy:
        rules = policy.to_dict()
    assert rules["recency"] == {"at_risk_after": 90, "inactive_after": 180, "lost_after": 365}
    assert rules["cadence"]["enabled"] is True
    assert StatusPolicy().to_json() == StatusPolicy.default().to_json()


def test_fixed_policy_has_three_thresholds_and_no_other_rule():
    rules = StatusPolicy.fixed(30, 60, 90).to_dict()
    assert rules["recency"] == {"at_risk_after": 30, "inactive_after": 60, "lost_after": 90}
    assert rules["cadence"]["enabled"] is False
    assert rules["lifecycle"]["new_and_reactivated"] is False
    with pytest.raises(carteira.InvalidArgumentError,
                       match="at_risk_after: 100 must not exceed inactive_after"):
        StatusPolicy.fixed(100, 50, 200)
    with pytest.raises(OverflowError):
        StatusPolicy.fixed(2**31, 1, 2)


def test_policy_json_round_trips_through_text_dict_and_file(tmp_path):
    text = json_text = StatusPolicy.fixed(10, 20, 30).to_json()
    assert StatusPolicy.from_json(text).to_json() == json_text
    override = {"segments": {"varejo": {"recency": {"inactive_after": 200, "lost_after": 400}}}}
    from_dict = StatusPolicy.from_json(override).to_dict()
    assert from_dict["segments"]["varejo"]["recency"] == {
        "at_risk_after": 90, "inactive_after": 200, "lost_after": 400}
    path = tmp_path / "policy.json"
    path.write_text(json_text)
    assert StatusPolicy.from_file(path).to_json() == json_text
    assert StatusPolicy.from_file(str(path)).to_json() == json_text


@pytest.mark.parametrize("text, message", [
    ('{"segments": {"varejo": {"recency": {"inactive_after": -1}}}}',
     "policy: segments.varejo.recency.inactive_after: must not be negative, got -1"),
    ('{"recency": {"foo": 1}}', "policy: recency.foo: unknown key"),
    ('{"lifecycle": {"key_account_never": ["perdido"]}}',
     'policy: lifecycle.key_account_never[0]: unknown status "perdido"'),
    ('{"recency": ', "policy: not valid JSON"),
])
def test_policy_errors_name_the_key(text, message):
    with pytest.raises(carteira.InvalidArgumentError) as info:
        StatusPolicy.from_json(text)
    assert str(info.value).startswith(message)


def test_policy_file_errors_name_the_file(tmp_path):
    with pytest.raises(carteira.NotFoundError, match="missing.json"):
        StatusPolicy.from_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"recency": {"lost_after": "um ano"}}')
    with pytest.raises(carteira.InvalidArgumentError,
                       match=r"bad\.json: recency\.lost_after: expected a whole number"):
        StatusPolicy.from_file(bad)


def test_a_closed_policy_raises_and_closing_twice_is_harmless():
    policy = StatusPolicy.default()
    policy.close()
    policy.close()
    with pytest.raises(ValueError, match="closed"):
        policy.to_json()


def test_the_engine_copies_its_policy(sample):
    policy = StatusPolicy.fixed(30, 60, 90)
    engine = StatusEngine(sample, policy)
    policy.close()
    assert sum(engine.classify(SAMPLE_AS_OF).counts().values()) == 5000
    engine.close()


def test_an_unknown_segment_in_the_policy_fails_the_engine(sample):
    policy = StatusPolicy.from_json(
        {"segments": {"nao_existe": {"recency": {"at_risk_after": 10}}}})
    with pytest.raises(carteira.InvalidArgumentError,
                       match=r"segments\.nao_existe: no customer has this segment \(the customers' "
                             r"segments: atacado, industria, servicos, varejo\)"):
        StatusEngine(sample, policy)


def test_a_segment_override_applies_to_that_segments_customers(sample):
    policy = StatusPolicy.from_json({"segments": {"varejo": {"recency": {"at_risk_after": 10}}}})
    segments = {}

    def record(facts, decision):
        segments[facts.customer_index] = facts.segment

    with StatusEngine(sample, policy) as engine:
        engine.add_rule("record_segment", record)
        table = engine.classify(SAMPLE_AS_OF)
    varejo = np.array([segments[i] == "varejo" for i in range(len(table))])
    assert varejo.any() and not varejo.all()
    assert (table.scope[varejo] == 0).all() and (table.scope[~varejo] == -1).all()
    row = int(np.flatnonzero(varejo & (table.rule == 2))[0])  # a varejo customer decided by recency
    assert table.reason(row).endswith("(segment varejo)")


# ---- classification ------------------------------------------------------------------


def test_fixed_thresholds_are_inclusive_at_the_boundary():
    with tiny_portfolio() as p, StatusEngine(p, StatusPolicy.fixed(30, 60, 90)) as engine:
        expected = {0: "active", 30: "active", 31: "at_risk", 60: "at_risk", 61: "inactive",
                    90: "inactive", 91: "lost", 400: "lost"}
        for offset, name in expected.items():
            table = engine.classify(day(offset))
            assert table.as_of == day(offset)
            assert Lifecycle(table.status[0]).name == name, offset
            assert table.status[1] == Lifecycle.prospect
            assert table.days_since_last[0] == offset
        at_30, at_31 = engine.classify(day(30)), engine.classify(day(31))
        assert at_30.rule_name(0) == at_31.rule_name(0) == "recency"
        assert at_30.threshold_days[0] == 30.0 and at_31.threshold_days[0] == 30.0
        assert at_30.reason(0) == "30 days without purchase <= 30 (default)"
        assert at_31.reason(0) == "31 days without purchase > 30 (default)"
        # The prospect: no purchase, no figures.
        assert at_31.rule_name(1) == "no_purchase"
        assert (at_31.days_since_last[1], at_31.purchase_days[1], at_31.last_purchase[1]) == (
            -1, 0, carteira.NO_DAY)
        assert math.isnan(at_31.median_gap_days[1]) and math.isnan(at_31.threshold_days[1])
        # Flags come from the customer record and the contract in force.
        assert StatusFlag(int(at_31.flags[2])) == (
            StatusFlag.renewal_due | StatusFlag.delinquent | StatusFlag.key_account)
        assert at_31.flags[0] == 0
        assert at_31.renewal_contract[2] == 0 and at_31.renewal_contract[0] == -1
        assert "renewal_due: contract K1" in at_31.reason(2)


def test_table_columns_counts_and_names(sample_table):
    t = sample_table
    assert len(t) == 5000
    assert t.as_of == SAMPLE_AS_OF
    counts = t.counts()
    assert list(counts) == [m.name for m in Lifecycle]
    assert counts == dict(zip(counts, np.bincount(t.status, minlength=7).tolist()))
    for name in carteira.STATUS_COLUMNS:
        column = t.column(name)
        assert column is getattr(t, name)  # cached
        assert column.shape == (5000,) and not column.flags.writeable
        real = name in ("median_gap_days", "threshold_days")
        assert column.dtype == (np.float64 if real else np.int64)
    with pytest.raises(KeyError, match="unknown status column"):
        t.column("nope")
    # Built-in rule ids and names agree with BUILTIN_RULES.
    names = t.rule_names()
    for rule_id in np.unique(t.rule):
        assert set(names[t.rule == rule_id]) == {carteira.BUILTIN_RULES[rule_id]}
    assert t.rule_name(-1) == t.rule_name(4999)
    assert t.reason(-1) == t.reason(4999)
    with pytest.raises(carteira.OutOfRangeError, match="status row 5000 of 5000"):
        t.reason(5000)
    with pytest.raises(carteira.OutOfRangeError):
        t.rule_name(5000)


def test_the_sample_has_every_status_but_perhaps_prospect(sample_table):
    counts = sample_table.counts()
    assert all(counts[m.name] > 0 for m in Lifecycle if m is not Lifecycle.prospect), counts
    assert sum(counts.values()) == 5000


def test_to_pandas_gives_ids_names_and_dates(sample, sample_table):
    df = sample_table.to_pandas()
    assert list(df.columns[:5]) == ["customer_id", "status", "flags", "rule", "reason"]
    assert df.index.name == "customer_index" and len(df) == 5000
    assert df["customer_id"].iloc[41] == "C00042" == sample.customer_ids([41])[0]
    assert df["status"].value_counts().to_dict() == sample_table.counts()
    assert set(df["flags"]) <= set(carteira.flag_names(np.arange(8)))
    assert (df["days_since_last"].to_numpy() == sample_table.days_since_last).all()
    buyers = sample_table.purchase_days > 0
    assert df["last_purchase"][~buyers].isna().all()
    assert (df["last_purchase"][buyers] + pd.to_timedelta(df["days_since_last"][buyers], unit="D")
            == pd.Timestamp(SAMPLE_AS_OF)).all()
    assert df["reason"].iloc[41] == sample_table.reason(41)
    plain = sample_table.to_dict()
    assert "reason" not in plain and plain["last_purchase"].dtype == np.dtype("datetime64[D]")


def test_classify_summary_equals_classify(sample, sample_engine, sample_table):
    fast = sample_engine.classify_summary(SAMPLE_AS_OF)
    assert fast.as_of == SAMPLE_AS_OF
    for name in carteira.STATUS_COLUMNS:
        np.testing.assert_array_equal(fast.column(name), sample_table.column(name), err_msg=name)
    rows = range(0, 5000, 97)
    assert [fast.reason(r) for r in rows] == [sample_table.reason(r) for r in rows]
    # Without a date: the summary of the last Portfolio.summary() call.
    sample.summary(MONTH_ENDS[0])
    reused = sample_engine.classify_summary()
    assert reused.as_of == MONTH_ENDS[0]
    np.testing.assert_array_equal(reused.status, sample_engine.classify(MONTH_ENDS[0]).status)


def test_classify_summary_needs_a_summary_of_the_same_portfolio():
    with tiny_portfolio() as p, StatusEngine(p) as engine:
        with pytest.raises(ValueError, match="no summary"):
            engine.classify_summary()
        p.append_transactions([0], [day(5)], [100])  # A buys again after the snapshot
        with pytest.raises(carteira.InvalidArgumentError,
                           match=r"the summary does not match the engine's portfolio "
                                 r"\(customer 'A' has 1"):
            engine.classify_summary(day(10))
        p.append_transactions(p.intern_customers(["LATE"]), [D0], [100])
        # history refuses too (the library would size by the grown portfolio).
        with pytest.raises(ValueError, match="create a new engine"):
            engine.history([day(10)])
        assert len(engine.classify(day(10))) == 3  # the engine's snapshot


def test_dates_are_validated_by_the_library(sample_engine):
    with pytest.raises(carteira.InvalidArgumentError, match="as_of is not a date between 1900"):
        sample_engine.classify(carteira.NO_DAY)
    with pytest.raises(carteira.InvalidArgumentError, match="the end is before the start"):
        sample_engine.transitions(MONTH_ENDS[2], MONTH_ENDS[0])


# ---- history and transitions -----------------------------------------------------------


def test_history_equals_classify_at_each_date(sample_engine):
    statuses, flags = sample_engine.history(MONTH_ENDS, flags=True)
    assert statuses.shape == flags.shape == (3, 5000) and statuses.dtype == np.uint8
    for i, date in enumerate(MONTH_ENDS):
        table = sample_engine.classify(date)
        np.testing.assert_array_equal(statuses[i], table.status)
        np.testing.assert_array_equal(flags[i], table.flags)
    as_datetime64 = np.array(MONTH_ENDS, dtype="datetime64[D]")
    np.testing.assert_array_equal(sample_engine.history(as_datetime64), statuses)
    assert sample_engine.history([]).shape == (0, 5000)


def test_history_dates_must_be_strictly_ascending(sample_engine):
    with pytest.raises(carteira.InvalidArgumentError, match="strictly ascending"):
        sample_engine.history([MONTH_ENDS[1], MONTH_ENDS[0]])
    with pytest.raises(carteira.InvalidArgumentError, match="strictly ascending"):
        sample_engine.history([MONTH_ENDS[1], MONTH_ENDS[1]])


def test_transitions_link_the_statuses_at_both_ends(sample_engine):
    start, end = MONTH_ENDS[1], MONTH_ENDS[2]
    tr = sample_engine.transitions(start, end)
    assert len(tr) > 0
    assert list(tr.columns) == ["customer_index", "customer_id", "from", "to", "date", "rule"]
    names = {m.name for m in Lifecycle}
    assert set(tr["from"]) <= names and set(tr["to"]) <= names
    assert (tr["from"] != tr["to"]).all()
    assert ((tr["date"] > pd.Timestamp(start)) & (tr["date"] <= pd.Timestamp(end))).all()
    assert set(tr["rule"]) <= set(carteira.BUILTIN_RULES)
    # Chained per customer: the first change starts from the status at
    # `start`, each starts where the previous ended, the last ends at `end`.
    before = sample_engine.classify(start).status_names()
    after = sample_engine.classify(end).status_names()
    changed = set()
    for index, group in tr.groupby("customer_index", sort=False):
        changed.add(index)
        assert group["date"].is_monotonic_increasing
        assert group["from"].iloc[0] == before[index]
        assert list(group["from"].iloc[1:]) == list(group["to"].iloc[:-1])
        assert group["to"].iloc[-1] == after[index]
    unchanged = np.setdiff1d(np.arange(5000), np.fromiter(changed, dtype=np.int64))
    assert (before[unchanged] == after[unchanged]).all()
    plain = sample_engine.transitions(start, end, as_frame=False)
    assert plain["customer_index"].dtype == np.uint32 and len(plain["from"]) == len(tr)


# ---- Python plugin rules ---------------------------------------------------------------


def test_plugins_override_veto_and_add_reasons():
    seen = {}

    def key_accounts_stay_active(facts, decision):
        if facts.flags & StatusFlag.key_account and facts.status != Lifecycle.active:
            decision.override(Lifecycle.active, "conta-chave")

    def grace(facts, decision):
        seen[facts.customer_id] = facts
        decision.veto("lost", "grace period")
        seen[facts.customer_id + ":after"] = decision.status

    def note(facts, decision):
        if facts.customer_id == "A":
            decision.add_reason("checked by hand")

    with tiny_portfolio() as p, StatusEngine(p, StatusPolicy.fixed(30, 60, 90)) as engine:
        engine.add_rule("key_accounts", key_accounts_stay_active)
        engine.add_rule("grace", grace)
        engine.add_rule("note", note)
        assert engine.rules == ("key_accounts", "grace", "note")
        table = engine.classify(day(91))
        # A: lost by recency, vetoed one step milder by "grace".
        assert table.status[0] == Lifecycle.inactive
        assert table.rule_name(0) == "grace"
        assert table.rule[0] == carteira.status.FIRST_PLUGIN_RULE + 1
        assert "grace: grace period" in table.reason(0)
        assert "note: checked by hand" in table.reason(0)
        # K: lost by recency, overridden to active.
        assert table.status[2] == Lifecycle.active
        assert table.rule_name(2) == "key_accounts" and "conta-chave" in table.reason(2)
        # P: nothing to refuse, still a prospect decided by the built-in rule.
        assert (table.status[1], table.rule_name(1)) == (Lifecycle.prospect, "no_purchase")
        # What the rule saw: the facts as the built-ins and earlier plugins left them.
        a = seen["A"]
        assert (a.customer_index, a.customer_id, a.segment, a.as_of) == (0, "A", "varejo", day(91))
        assert list(a.purchase_days) == [np.datetime64(D0)] and not a.purchase_days.flags.writeable
        assert (a.days_since_last, a.status, a.flags) == (91, Lifecycle.lost, StatusFlag(0))
        assert math.isnan(a.median_gap_days)
        assert seen["A:after"] == Lifecycle.inactive
        assert seen["K"].status == Lifecycle.active  # key_accounts ran first
        assert seen["K"].flags == StatusFlag.delinquent | StatusFlag.key_account
        assert seen["P"].days_since_last == -1 and len(seen["P"].purchase_days) == 0
        # The rules run in history too.
        np.testing.assert_array_equal(engine.history([day(91)])[0], table.status)


def test_transitions_name_plugin_rules():
    def inactive_means_lost(facts, decision):
        if facts.status == Lifecycle.inactive:
            decision.override("lost", "no comeback expected")

    with tiny_portfolio() as p, StatusEngine(p, StatusPolicy.fixed(30, 60, 90)) as engine:
        engine.add_rule("churn_model", inactive_means_lost)
        tr = engine.transitions(D0, day(120))
        a = tr[tr["customer_id"] == "A"]
        assert list(zip(a["from"], a["to"], a["date"].dt.date, a["rule"])) == [
            ("active", "at_risk", day(31), "recency"),
            ("at_risk", "lost", day(61), "churn_model"),
        ]


def test_a_decision_is_only_valid_during_the_call():
    kept = []
    with tiny_portfolio() as p, StatusEngine(p) as engine:
        engine.add_rule("keep", lambda facts, decision: kept.append(decision))
        engine.classify(day(10))
    assert len(kept) == 3
    with pytest.raises(ValueError, match="only during"):
        kept[0].status


def test_a_raising_plugin_fails_the_call_naming_rule_and_customer(sample):
    armed = [True]

    def explode(facts, decision):
        if armed[0] and facts.customer_id == "C00042":
            raise ValueError("boom")

    with StatusEngine(sample) as engine:
        engine.add_rule("explode", explode)
        for call in (lambda: engine.classify(SAMPLE_AS_OF),
                     lambda: engine.classify_summary(SAMPLE_AS_OF),
                     lambda: engine.history(MONTH_ENDS),
                     lambda: engine.transitions(datetime.date(2023, 11, 1), SAMPLE_AS_OF)):
            with pytest.raises(carteira.InternalError) as info:
                call()
            assert str(info.value) == (
                "status rule 'explode' failed for customer 'C00042': ValueError: boom")
            assert isinstance(info.value.__cause__, ValueError)
        # The process and the engine survive: disarmed, the same engine works.
        armed[0] = False
        assert sum(engine.classify(SAMPLE_AS_OF).counts().values()) == 5000


def test_a_carteira_error_inside_a_plugin_is_reported_too():
    def refuse_active(facts, decision):
        decision.veto("active", "never")  # the library refuses: active cannot be vetoed

    with tiny_portfolio() as p, StatusEngine(p) as engine:
        engine.add_rule("refuse_active", refuse_active)
        with pytest.raises(carteira.InternalError,
                           match=r"status rule 'refuse_active' failed for customer 'A': "
                                 r"InvalidArgumentError: ") as info:
            engine.classify(day(1))
        assert isinstance(info.value.__cause__, carteira.InvalidArgumentError)


def test_a_keyboard_interrupt_inside_a_plugin_is_re_raised_as_is():
    def interrupted(facts, decision):
        if facts.customer_id == "P":
            raise KeyboardInterrupt

    with tiny_portfolio() as p, StatusEngine(p) as engine:
        engine.add_rule("interrupted", interrupted)
        for _ in range(2):  # each call reports its own interruption
            with pytest.raises(KeyboardInterrupt):
                engine.classify(day(1))
            assert engine._state.error is None


def test_add_rule_refuses_bad_names_and_releases_the_rule(sample):
    baseline = set(status_module._RULES)
    with StatusEngine(sample) as engine:
        engine.add_rule("mine", lambda f, d: None)
        for name, error in (("mine", carteira.AlreadyExistsError),
                            ("recency", carteira.AlreadyExistsError),
                            ("", carteira.InvalidArgumentError)):
            with pytest.raises(error):
                engine.add_rule(name, lambda f, d: None)
        assert engine.rules == ("mine",)
        assert len(set(status_module._RULES) - baseline) == 1  # refused rules were released
        with pytest.raises(TypeError):
            engine.add_rule("not_callable", 42)
    assert set(status_module._RULES) == baseline


class _Rule:
    def __call__(self, facts, decision):
        pass


@pytest.mark.parametrize("release", ["close", "del"])
def test_the_library_releases_python_rules_with_the_engine(sample, release):
    baseline = set(status_module._RULES)
    engine = StatusEngine(sample)
    rule = _Rule()
    alive = weakref.ref(rule)
    engine.add_rule("tracked", rule)
    del rule
    gc.collect()
    assert alive() is not None  # the engine holds it
    assert len(set(status_module._RULES) - baseline) == 1
    if release == "close":
        engine.close()
    else:
        del engine
    gc.collect()
    assert alive() is None
    assert set(status_module._RULES) == baseline


def test_the_vtable_destroy_runs_exactly_once(sample):
    """The C contract the binding relies on, through raw ctypes callbacks."""
    destroyed = []
    apply = _lib.STATUS_RULE_APPLY(lambda user_data, facts, decision: 0)
    destroy = _lib.STATUS_RULE_DESTROY(lambda user_data: destroyed.append(user_data))
    vtable = _lib.StatusRuleVtable(apply=apply, destroy=destroy)
    engine = StatusEngine(sample)
    add = _lib.lib.carteira_status_engine_add_rule
    assert add(engine._handle, b"raw", ctypes.byref(vtable), 7) == 0
    assert destroyed == []
    assert add(engine._handle, b"raw", ctypes.byref(vtable), 8) == carteira.AlreadyExistsError.code
    assert destroyed == [8]
    assert add(None, b"other", ctypes.byref(vtable), 9) == carteira.InvalidArgumentError.code
    assert destroyed == [8, 9]
    engine.classify(SAMPLE_AS_OF)
    engine.close()
    assert destroyed == [8, 9, 7]


# ---- lifetimes -------------------------------------------------------------------------


def test_closed_engines_tables_and_portfolios_raise_python_errors():
    p = tiny_portfolio()
    engine = StatusEngine(p)
    table = engine.classify(day(5))
    engine.close()
    engine.close()
    with pytest.raises(ValueError, match="closed carteira.StatusEngine"):
        engine.classify(day(5))
    assert table.reason(0)  # a table outlives its engine (it needs the portfolio)
    engine = StatusEngine(p)
    p.close()
    with pytest.raises(ValueError, match="portfolio of this carteira.StatusEngine was closed"):
        engine.classify(day(5))
    assert table.counts()["new"] == 2 and len(table.status) == 3  # its own data
    with pytest.raises(ValueError, match="portfolio of this carteira.StatusTable was closed"):
        table.reason(0)
    table.close()
    with pytest.raises(ValueError, match="closed carteira.StatusTable"):
        table.counts()
    with pytest.raises(ValueError, match="closed"):
        StatusEngine(p)
    with pytest.raises(TypeError):
        StatusEngine(carteira.Portfolio(), policy="{}")


def test_the_engine_keeps_its_portfolio_alive():
    engine = StatusEngine(tiny_portfolio())  # no other reference to the portfolio
    gc.collect()
    table = engine.classify(day(100))
    assert table.customer_ids() == ["A", "P", "K"]
    del engine
    gc.collect()
    assert "days without purchase" in table.reason(0)  # the table keeps it too


# ---- every status function of the C ABI is reachable ----------------------------------


class _Recorder:
    def __init__(self, lib):
        self._lib = lib
        self.called = set()

    def __getattr__(self, name):
        self.called.add(name)
        return getattr(self._lib, name)


def test_every_lifecycle_function_of_the_header_is_called(repo, tmp_path, monkeypatch):
    header = (repo / "capi" / "include" / "carteira" / "carteira.h").read_text()
    # The section runs to the next "/* ---- " heading (or the end).
    section = header.split("---- Lifecycle status")[1].split("/* ---- ")[0]
    wanted = set(re.findall(r"CARTEIRA_API[^;(]*?\b(carteira_\w+)\s*\(", section))
    assert len(wanted) >= 30
    recorder = _Recorder(_lib.lib)
    monkeypatch.setattr(_lib, "lib", recorder)

    carteira.lifecycle_name(3)
    carteira.parse_lifecycle("lost")
    path = tmp_path / "policy.json"
    path.write_text(StatusPolicy.fixed(30, 60, 90).to_json())
    policies = [StatusPolicy.default(), StatusPolicy.from_json("{}"), StatusPolicy.from_file(path)]
    fail = [False]

    def rule(facts, decision):
        if fail[0]:
            raise RuntimeError("stop")
        if decision.status == Lifecycle.lost:
            decision.veto(Lifecycle.lost, "grace")
        if facts.customer_id == "K":
            decision.override(Lifecycle.at_risk, "watch")
        decision.add_reason("seen")

    with tiny_portfolio() as p, StatusEngine(p, policies[2]) as engine, \
            carteira.Model.from_params("bgnbd", [0.243, 4.414, 0.793, 2.426], "weeks") as bg:
        engine.add_rule("all_calls", rule)
        engine.add_p_alive_rule(bg)  # a rule that reports fields
        table = engine.classify(day(100))
        assert table.field_names == ["p_alive", "expected_purchases_90d"]
        table.field("p_alive")
        p.summary(day(100))
        fast = engine.classify_summary()
        assert fast.counts() == table.counts()
        table.to_pandas()
        engine.history([day(10), day(100)], flags=True)
        engine.transitions(D0, day(100))
        fail[0] = True
        with pytest.raises(carteira.InternalError, match="RuntimeError: stop"):
            engine.classify(day(100))
        table.close()
        fast.close()
    for policy in policies:
        policy.close()
    assert wanted - recorder.called == set()
