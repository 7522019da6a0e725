"""Retention actions: the agenda on the sample as of 2026-10-31 (a DataFrame,
options, errors), the loyalty ledger on a hand-built portfolio and on the
sample with examples/loyalty_rules.json, and automation with Python handlers
(documented order; an exception in one is reported, not raised, and the
others still run)."""

import ctypes
import datetime
import gc

import numpy as np
import pytest

import carteira
from carteira import _lib, actions

AS_OF = datetime.date(2026, 10, 31)
FROM = datetime.date(2026, 9, 30)


@pytest.fixture
def sample(portfolio, sample_dir):
    portfolio.import_directory(sample_dir)
    return portfolio


@pytest.fixture
def engine(sample):
    with carteira.StatusEngine(sample) as e:
        yield e


@pytest.fixture
def rules_file(repo):
    return repo / "examples" / "loyalty_rules.json"


# ---- agenda ----------------------------------------------------------------------------


def test_the_agenda_is_a_frame_in_due_then_priority_order(engine):
    tasks = carteira.build_agenda(engine, AS_OF)
    assert list(tasks.columns) == list(carteira.AGENDA_COLUMNS)
    assert len(tasks) > 0
    assert set(tasks["type"]) <= set(actions.TASK_TYPES)
    assert {"renewal", "reactivation", "visit"} <= set(tasks["type"])
    assert tasks["due"].is_monotonic_increasing
    assert tasks["priority"].between(0, 100).all()
    assert (tasks["overdue"] == (tasks["due"] < np.datetime64(AS_OF))).all()
    assert (tasks["due"] <= np.datetime64(AS_OF + datetime.timedelta(days=7))).all()
    assert tasks["key"].is_unique
    # The key names the type and the customer.
    first = tasks.iloc[0]
    assert first["key"].startswith(f"{first['type']}:{first['customer_id']}:")
    assert tasks["rep_id"].dropna().str.match(r"R\d\d").all()
    # Same input, same agenda.
    again = carteira.build_agenda(engine, AS_OF)
    assert tasks.equals(again)


def test_agenda_options(engine):
    renewals = carteira.build_agenda(engine, AS_OF, types=["renewal"], horizon_days=30)
    assert set(renewals["type"]) == {"renewal"}
    assert len(renewals) >= (carteira.build_agenda(engine, AS_OF)["type"] == "renewal").sum()
    assert renewals["reason"].str.contains("ends on").all()
    as_dict = carteira.build_agenda(engine, AS_OF, types="visit", visit_days=(10, 20, 30), as_frame=False)
    assert set(as_dict) == set(carteira.AGENDA_COLUMNS) and set(as_dict["type"]) == {"visit"}
    customers = engine.portfolio.counts()["customers"]
    valued = carteira.build_agenda(engine, AS_OF, expected_value=np.arange(customers, dtype=float))
    assert len(valued) > 0
    assert actions.task_type_name(3) == "nps_survey" and actions.parse_task_type("follow_up") == 4


def test_agenda_options_default_like_the_init_function():
    o = _lib.AgendaOptions()
    native = _lib.AgendaOptions(horizon_days=99, task_types=0)
    _lib.lib.carteira_agenda_options_init(ctypes.byref(native), ctypes.sizeof(native))
    assert bytes(native) == bytes(o)
    assert (o.as_of, o.horizon_days, o.task_types, o.reactivation_statuses) == (carteira.NO_DAY, 7, 0x1F, 24)
    assert (o.purchase_window_lead_days, o.purchase_window_max_age_days) == (2, 14)


def test_purchase_windows_are_asked_for_by_name(engine):
    assert "purchase_window" not in set(carteira.build_agenda(engine, AS_OF)["type"])
    windows = carteira.build_agenda(engine, AS_OF, types=["purchase_window"])
    assert len(windows) > 0 and set(windows["type"]) == {"purchase_window"}
    assert windows["reason"].str.startswith("next purchase expected").all()
    assert windows["key"].str.startswith("purchase_window:").all()
    # Calling ten days before the window opens reaches windows further off.
    sooner = carteira.build_agenda(engine, AS_OF, types="purchase_window", purchase_window_lead_days=10)
    assert len(sooner) > len(windows)
    assert actions.task_type_name(5) == "purchase_window" and actions.parse_task_type("purchase_window") == 5
    with pytest.raises(carteira.InvalidArgumentError, match="purchase_window_max_age_days must be >= 0"):
        carteira.build_agenda(engine, AS_OF, types="purchase_window", purchase_window_max_age_days=-1)


def test_agenda_errors(engine):
    with pytest.raises(carteira.InvalidArgumentError, match="horizon_days must be >= 0"):
        carteira.build_agenda(engine, AS_OF, horizon_days=-1)
    with pytest.raises(carteira.InvalidArgumentError, match="task_types"):
        carteira.build_agenda(engine, AS_OF, types=[])
    with pytest.raises(carteira.InvalidArgumentError, match="not a task type"):
        carteira.build_agenda(engine, AS_OF, types=["calls"])
    with pytest.raises(carteira.InvalidArgumentError, match="expected_value has 3 entries"):
        carteira.build_agenda(engine, AS_OF, expected_value=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="separates"):
        carteira.build_agenda(engine, AS_OF, visit_channels=["a|b"])
    with pytest.raises(TypeError):
        carteira.build_agenda(object(), AS_OF)


# ---- loyalty ledger -----------------------------------------------------------------------

RULES = {"unit": "1,00", "expiry_months": 6,
         "tiers": [{"name": "Bronze", "min_spend": "0"},
                   {"name": "Prata", "min_spend": "1.000,00", "multiplier": 150}]}


@pytest.fixture
def small(portfolio):
    ana, bia = portfolio.intern_customers(["ANA", "BIA"])
    portfolio.append_transactions([ana, ana, bia],
                                  np.array(["2025-01-01", "2025-03-01", "2025-03-01"], dtype="datetime64[D]"),
                                  [10000, 20000, 5000])
    return portfolio


def test_ledger_earns_redeems_and_expires(small):
    with carteira.LoyaltyLedger(small, RULES) as ledger:
        assert ledger.earn_from_transactions("2025-03-31") == 3
        assert ledger.balance("ANA", "2025-04-01") == 300
        with pytest.raises(carteira.FailedPreconditionError,
                           match="redeeming 301 points exceeds the balance of 300 on 2025-04-01"):
            ledger.redeem("ANA", "2025-04-01", 301, "R0")
        assert len(ledger) == 3  # nothing written
        redemption = ledger.redeem("ANA", "2025-04-01", 150, "R1")
        assert redemption == 4
        ledger.adjust("ANA", "2025-04-02", -30, "goodwill mistake")
        ledger.reverse(redemption, "2025-04-03", "cancelled")
        with pytest.raises(carteira.FailedPreconditionError, match="already reversed"):
            ledger.reverse(redemption, "2025-04-03")
        with pytest.raises(carteira.NotFoundError):
            ledger.reverse(99, "2025-04-03")
        assert ledger.balance("ANA", "2025-04-03") == 270
        assert ledger.expiring_within("ANA", "2025-08-15", 30) == 120
        assert ledger.expire_until("2025-09-01") == 2  # ANA's March lot, and BIA's still whole
        assert ledger.balance("ANA", "2025-09-01") == 150
        t = ledger.tier("ANA", "2025-04-01")
        assert t == carteira.TierStanding(tier="Bronze", spend=30000, next_tier="Prata", to_next=70000,
                                          tier_index=0, next_index=1)
        entries = ledger.entries()
        assert list(entries.columns) == list(actions.ENTRY_COLUMNS)
        assert entries["id"].tolist() == list(range(1, len(ledger) + 1))
        ana = ledger.entries("ANA")
        assert ana["kind"].tolist() == ["earn", "earn", "redeem", "adjust", "reverse", "expire"]
        assert ana["points"].tolist() == [100, 200, -150, -30, 150, -120]
        assert ana["reference"].tolist()[2] == "R1"
        assert ana["note"].iloc[-1] == "earned 2025-03-01, expired 2025-09-01"
        assert ana["expires"].iloc[0].date() == datetime.date(2025, 7, 1) and ana["expires"].isna().iloc[2]
        assert ana["reverses"].iloc[-1] == 2
        assert ana["points"].sum() == ledger.balance("ANA", "2025-09-01")
        assert len(ledger.entries("ANA", as_of="2025-03-31")) == 2
        with pytest.raises(carteira.FailedPreconditionError, match="entries are dated in order"):
            ledger.adjust("ANA", "2025-01-15", 5)
        with pytest.raises(carteira.OutOfRangeError):
            ledger.balance(99, "2025-04-01")


def test_ledger_rules_errors_name_the_key(small, tmp_path):
    with pytest.raises(carteira.InvalidArgumentError, match=r"rules\.unit: expected an amount as a string"):
        carteira.LoyaltyLedger(small, {"unit": 100})
    with pytest.raises(carteira.InvalidArgumentError, match=r"rules\.tiers\[1\]\.min_spend: must be above"):
        carteira.LoyaltyLedger(small, {"tiers": [{"name": "A", "min_spend": "10"},
                                                 {"name": "B", "min_spend": "5"}]})
    bad = tmp_path / "rules.json"
    bad.write_text('{"expiry_months": 0}')
    with pytest.raises(carteira.InvalidArgumentError, match=r"rules\.json\.expiry_months"):
        carteira.LoyaltyLedger.from_file(small, bad)
    with pytest.raises(carteira.NotFoundError):
        carteira.LoyaltyLedger.from_file(small, tmp_path / "missing.json")
    with carteira.LoyaltyLedger(small) as defaults:  # 1 point per 1,00, 12 months
        defaults.earn_from_transactions("2025-12-31")
        assert defaults.balance("ANA", "2025-12-31") == 300


def test_ledger_on_the_sample_with_the_example_rules(sample, rules_file):
    with carteira.LoyaltyLedger.from_file(sample, rules_file) as ledger:
        assert ledger.earn_from_transactions(AS_OF) > 1000
        assert ledger.expire_until(AS_OF) > 0
        entries = ledger.entries(as_of=AS_OF)
        assert set(entries["kind"]) == {"earn", "adjust", "expire"}
        one = entries["customer_id"].iloc[0]
        assert ledger.balance(one, AS_OF) == ledger.entries(one)["points"].sum()
        assert ledger.tier(one, AS_OF).tier in ("Bronze", "Prata", "Ouro", "Diamante")


def test_balances_of_every_customer_in_one_call_equal_the_per_customer_ones(sample, rules_file):
    with carteira.LoyaltyLedger.from_file(sample, rules_file) as ledger:
        ledger.earn_from_transactions("2026-06-30")
        all_ = ledger.balances("2026-07-01")
        assert all_.dtype == np.int64 and len(all_) == sample.counts()["customers"]
        assert all_.sum() > 0
        for c in range(0, len(all_), 97):
            assert all_[c] == ledger.balance(c, "2026-07-01")
        with pytest.raises(carteira.InvalidArgumentError):
            ledger.balances(carteira.NO_DAY)


def test_a_ledger_is_refused_after_its_portfolio_merges_customers(small):
    with carteira.LoyaltyLedger(small, RULES) as ledger:
        ledger.earn_from_transactions("2025-03-31")
        small.merge_customers("ANA", ["BIA"], merged_by="test", merged_at="2025-04-01")
        with pytest.raises(carteira.FailedPreconditionError, match="merged customers since it was made"):
            ledger.balance("ANA", "2025-04-01")


def test_a_ledger_keeps_its_portfolio_alive(small):
    ledger = carteira.LoyaltyLedger(small, RULES)
    small.close()
    with pytest.raises(ValueError, match="portfolio of this carteira.LoyaltyLedger was closed"):
        ledger.balance(0, "2025-04-01")
    ledger.close()


# ---- automation -----------------------------------------------------------------------------


def test_automation_calls_the_handlers_in_order_and_reports_failures(sample, engine, rules_file):
    known = carteira.build_agenda(engine, AS_OF)["key"].iloc[:1]
    log = []
    mails = []

    def crm_transition(change):
        log.append(("transition", change))
        if len([k for k, _ in log if k == "transition"]) == 1:
            raise RuntimeError("the CRM refused the first one")

    def crm_task(task):
        log.append(("new_task", task))

    def crm_tier(change):
        log.append(("tier_change", change))

    automation = carteira.Automation()
    automation.add_handler("crm", on_transition=crm_transition, on_new_task=crm_task, on_tier_change=crm_tier)
    automation.add_handler("mail", on_new_task=mails.append)
    assert automation.handlers == ("crm", "mail")
    with carteira.LoyaltyLedger.from_file(sample, rules_file) as ledger:
        ledger.earn_from_transactions(AS_OF)
        report = automation.run(engine, FROM, AS_OF, ledger=ledger, known_task_keys=known)
    # Nothing was raised; the failure is in the report.
    assert report.from_date == FROM and report.to_date == AS_OF
    assert report.transitions > 0 and report.new_tasks > 0 and report.tier_changes > 0
    assert report.calls == report.transitions + 2 * report.new_tasks + report.tier_changes
    assert report.delivered == report.calls - 1
    assert report.failures == (carteira.AutomationFailure(
        kind="transition", customer_id=log[0][1].customer_id, handler="crm",
        message="RuntimeError: the CRM refused the first one"),)
    # Documented order: transitions by date then id, then tasks, then tier changes by id.
    kinds = [k for k, _ in log]
    assert kinds == sorted(kinds, key=["transition", "new_task", "tier_change"].index)
    transitions = [e for k, e in log if k == "transition"]
    assert [(t.date, t.customer_id) for t in transitions] == sorted((t.date, t.customer_id) for t in transitions)
    assert all(isinstance(t.to_status, carteira.Lifecycle) and t.from_status != t.to_status for t in transitions)
    tasks = [e for k, e in log if k == "new_task"]
    assert tasks == mails  # both handlers got every task, the same
    assert known.iloc[0] not in {t.key for t in tasks}
    agenda = carteira.build_agenda(engine, AS_OF)
    assert [t.key for t in tasks] == agenda["key"].iloc[1:].tolist()
    assert tasks[0].customer_id == agenda["customer_id"].iloc[1] and tasks[0].rep_id == agenda["rep_id"].iloc[1]
    tiers = [e for k, e in log if k == "tier_change"]
    assert [t.customer_id for t in tiers] == sorted(t.customer_id for t in tiers)
    assert all(t.from_tier != t.to_tier and t.to_date == AS_OF for t in tiers)
    automation.close()


def test_automation_without_ledger_and_errors(sample, engine):
    calls = []
    automation = carteira.Automation().add_handler("log", on_tier_change=calls.append)
    report = automation.run(engine, FROM, AS_OF)
    assert report.tier_changes == 0 and report.calls == 0 and calls == []
    with pytest.raises(carteira.InvalidArgumentError, match="is before from"):
        automation.run(engine, AS_OF, FROM)
    with pytest.raises(carteira.InvalidArgumentError, match="the handler name is empty"):
        automation.add_handler("", on_new_task=print)
    with pytest.raises(ValueError, match="at least one"):
        automation.add_handler("none")
    with pytest.raises(TypeError):
        automation.add_handler("x", on_new_task=42)
    automation.close()


def test_handlers_are_released_exactly_once(engine):
    before = len(actions._HANDLERS)
    automation = carteira.Automation()
    automation.add_handler("a", on_new_task=lambda t: None)
    automation.add_handler("b", on_transition=lambda t: None)
    with pytest.raises(carteira.InvalidArgumentError):
        automation.add_handler("", on_transition=lambda t: None)  # released on the failed add
    assert len(actions._HANDLERS) == before + 2
    automation.close()
    assert len(actions._HANDLERS) == before
    gc.collect()


def test_a_keyboard_interrupt_in_a_handler_is_reraised_after_the_run(engine):
    seen = []

    def stop(change):
        seen.append(change)
        raise KeyboardInterrupt

    automation = carteira.Automation()
    automation.add_handler("stop", on_transition=stop)
    automation.add_handler("log", on_transition=seen.append)
    with pytest.raises(KeyboardInterrupt):
        automation.run(engine, FROM, AS_OF)
    assert len(seen) > 2  # every transition reached both handlers before it was re-raised
    automation.close()
