"""The store from Python: save the sample, reload it, append a day's
purchase, refresh statuses (events), stored statuses and history, counts,
check, checkpoints, and the errors (not a store, read-only)."""

import datetime
import re
import shutil

import numpy as np
import pytest

import carteira
from carteira import _lib


def test_store_round_trip_append_refresh_and_history(tmp_path, sample_dir):
    path = tmp_path / "carteira.db"
    with carteira.Portfolio() as sample:
        sample.import_directory(sample_dir)
        counts = sample.counts()
        with carteira.Store(path) as store:
            assert store.schema_version >= 1
            store.save(sample)
            with pytest.raises(carteira.Error):
                store.save(sample)  # not empty
    with carteira.Store(path, create=False) as store, store.load() as loaded:
        assert loaded.counts() == counts
        assert store.count("transactions") == counts["transactions"]
        assert store.last_refresh_date is None
        assert store.last_transaction_date == datetime.date(2026, 10, 31)
        baseline = store.refresh_statuses("2026-10-31")
        assert len(baseline) == 0
        statuses = store.statuses()
        assert len(statuses) == counts["customers"]
        with carteira.StatusEngine(loaded) as engine:
            table = engine.classify("2026-10-31")
            want = dict(zip(table.customer_ids(), table.status_names()))
        assert dict(zip(statuses["customer_id"], statuses["status"].astype(str))) == want

        with carteira.Portfolio() as delta:
            delta.append_transactions(delta.intern_customers(["C00013"]), ["2026-11-01"], np.array([12345]))
            report = store.append(delta)
        assert report["transactions"] == 1 and report["affected_customers"] == 1
        events = store.refresh_statuses("2026-11-01")
        row = events[events["customer_id"] == "C00013"].iloc[0]
        assert (row["from"], row["to"]) == ("lost", "reactivated")
        history = store.history("2026-10-31", "2026-11-01")
        assert list(history["customer_id"]) == list(events["customer_id"])
        assert store.last_refresh_date == datetime.date(2026, 11, 1)
        assert store.check() == []
        with pytest.raises(carteira.NotFoundError, match="no table 'nonsense'"):
            store.count("nonsense")
        with pytest.raises(carteira.InvalidArgumentError):
            store.history("2026-11-01", "2026-10-31")


def test_not_a_store_and_read_only(tmp_path):
    junk = tmp_path / "notes.csv"
    junk.write_text("customer_id;date;amount\n")
    with pytest.raises(carteira.Error):
        carteira.Store(junk)
    assert junk.read_text() == "customer_id;date;amount\n"
    with pytest.raises(carteira.NotFoundError):
        carteira.Store(tmp_path / "missing.db", create=False)
    carteira.Store(tmp_path / "s.db").close()
    with carteira.Store(tmp_path / "s.db", read_only=True) as store, carteira.Portfolio() as p:
        with pytest.raises(carteira.PermissionDeniedError):
            store.save(p)


def test_every_store_function_of_the_header_is_called(repo, tmp_path, sample_dir, monkeypatch):
    header = (repo / "capi" / "include" / "carteira" / "carteira.h").read_text()
    section = header.split("---- Store (")[1].split("/* ---- ")[0]
    wanted = set(re.findall(r"CARTEIRA_API[^;(]*?\b(carteira_\w+)\s*\(", section))
    # ... and the store's functions declared with the types they take (plans).
    wanted |= set(re.findall(r"CARTEIRA_API[^;(]*?\b(carteira_store_\w+)\s*\(", header))
    assert len(wanted) == 22
    called = set()
    real = _lib.lib

    class Recorder:
        def __getattr__(self, name):
            called.add(name)
            return getattr(real, name)

    monkeypatch.setattr(_lib, "lib", Recorder())
    with carteira.Portfolio() as p, carteira.Store(tmp_path / "x.db") as store:
        p.import_directory(sample_dir)
        store.save(p)
        store.checkpoint()
        store.load().close()
        store.schema_version, store.last_transaction_date, store.last_refresh_date
        store.refresh_statuses("2026-10-31")
        store.statuses(), store.history("2026-10-30", "2026-10-31"), store.counts(), store.check()
        with carteira.Portfolio() as delta:
            store.append(delta)
        store.merge_customers("C00013", ["C00014"], merged_by="auditor", merged_at="2026-10-31")
        with store.load() as current:
            ledger = store.load_loyalty(current)
            store.save_loyalty(ledger)
            ledger.close()
        with store.load() as current, carteira.StatusEngine(current) as engine:
            table = engine.classify("2026-10-31")
            with current.plan(table, {"policies": [{"policy": "rotate_at_risk"}]}) as plan:
                store.apply_plan(plan, applied_by="gerente")
    assert wanted - called == set()


def test_a_checkpoint_puts_everything_in_the_file(tmp_path, sample_dir):
    path, copy = tmp_path / "c.db", tmp_path / "copy.db"
    with carteira.Portfolio() as sample, carteira.Store(path) as store:
        sample.import_directory(sample_dir)
        counts = sample.counts()
        store.save(sample)
        store.checkpoint()
        shutil.copyfile(path, copy)  # the file alone, without its -wal
    with carteira.Store(copy, create=False, read_only=True) as back:
        assert back.count("customers") == counts["customers"]
        assert back.count("transactions") == counts["transactions"]
        with pytest.raises(carteira.PermissionDeniedError, match="read-only"):
            back.checkpoint()


def test_sqlites_own_checkpoints_inside_commits(tmp_path, sample_dir):
    path = tmp_path / "own.db"
    with carteira.Portfolio() as sample, carteira.Store(path, checkpoint_thread=False) as store:
        sample.import_directory(sample_dir)
        store.save(sample)
        assert store.count("transactions") == sample.counts()["transactions"]
        store.checkpoint()
        assert store.check() == []


def test_refresh_info_plans_merges_and_size_limit(tmp_path, sample_dir):
    path = tmp_path / "carteira.db"
    with carteira.Portfolio() as sample, carteira.Store(path) as store:
        sample.import_directory(sample_dir)
        store.save(sample)
        store.refresh_statuses("2026-10-31")
        assert store.last_refresh["previous_as_of"] is None
        again = store.refresh_statuses("2026-10-31")
        assert again.attrs["refresh"] == store.last_refresh
        assert store.last_refresh["policy_changed"] is False
        stricter = carteira.StatusPolicy.from_json(
            '{"recency": {"at_risk_after": 45}, "cadence": {"enabled": false}}')
        changed = store.refresh_statuses("2026-10-31", stricter)
        assert store.last_refresh["policy_changed"] is True
        assert store.last_refresh["customers_checked"] == sample.counts()["customers"]
        assert len(changed) > 0

        # A giro plan built on the store's portfolio, applied into the store once.
        with store.load() as current, carteira.StatusEngine(current) as engine:
            table = engine.classify("2026-10-31")
            plan = current.plan(table, {"policies": [{"policy": "rotate_at_risk"}]})
            moves = len(plan.moves())
            assert moves > 0
            before = store.count("assignments")
            store.apply_plan(plan, applied_by="gerente", applied_at="2026-11-02", note="giro")
            assert store.count("assignments") == before + moves
            assert store.count("plans") == 1
            with pytest.raises(carteira.AlreadyExistsError, match="already applied"):
                store.apply_plan(plan, applied_by="gerente")
            assert store.count("assignments") == before + moves

        customers = store.count("customers")
        with pytest.raises(carteira.Error):
            store.merge_customers("NO-SUCH", "C00014", merged_by="auditor")
        store.merge_customers("C00013", "C00014", merged_by="auditor", merged_at="2026-11-02")
        assert store.count("customers") == customers - 1
        assert store.count("merged_customers") == 1
        assert store.check() == []

    small = tmp_path / "small.db"
    with carteira.Portfolio() as sample, carteira.Store(small, max_bytes=256 * 1024) as store:
        sample.import_directory(sample_dir)
        with pytest.raises(carteira.ResourceExhaustedError):
            store.save(sample)
        assert store.count("customers") == 0 and store.count("transactions") == 0


def test_the_loyalty_ledger_is_saved_loaded_back_and_follows_a_merge(tmp_path, repo):
    rules = (repo / "examples" / "loyalty_rules.json").read_text()
    with carteira.Portfolio() as p, carteira.Store(tmp_path / "l.db") as store:
        p.append_customers(["A", "B", "C"])
        store.save(p)
        with store.load() as loaded:
            ledger = store.load_loyalty(loaded, rules)
            assert len(ledger) == 0
            ledger.adjust("B", "2026-01-05", 100, "B1")
            ledger.adjust("A", "2026-01-10", 50, "A1")
            ledger.redeem("B", "2026-02-01", 30, "R-B")
            ledger.adjust("C", "2026-02-02", 7, "C1")
            store.save_loyalty(ledger)
            store.save_loyalty(ledger)  # nothing new: nothing written
            assert store.count("loyalty_ledger") == 4
            before = ledger.balances("2026-03-01")
            ledger.close()
        with store.load() as loaded:
            back = store.load_loyalty(loaded, rules)
            assert list(back.balances("2026-03-01")) == list(before)
            assert back.balance("B", "2026-03-01") == 70
            # Made apart from the store's (another first entry): refused, naming it.
            apart = carteira.LoyaltyLedger(loaded, rules)
            for i in range(5):
                apart.adjust("C", "2026-02-02", 1, f"x{i}")
            with pytest.raises(carteira.FailedPreconditionError, match="loyalty entry 4"):
                store.save_loyalty(apart)
            assert store.count("loyalty_ledger") == 4
            apart.close()
            back.close()
        # B's entries join A's: the pooled balance is the sum (B's lot expires first,
        # so its redemption took from its own lot either way).
        store.merge_customers("A", ["B"], merged_by="auditor", merged_at="2026-03-01")
        with store.load() as merged:
            pooled = store.load_loyalty(merged, rules)
            assert pooled.balance("A", "2026-03-01") == 120
            assert pooled.balance("C", "2026-03-01") == 7
            assert len(pooled) == 4
            pooled.close()
        with pytest.raises(TypeError):
            store.load_loyalty(p, 42)


def test_a_merge_that_would_move_loyalty_points_between_lots_is_refused(tmp_path):
    with carteira.Portfolio() as p, carteira.Store(tmp_path / "m.db") as store:
        p.append_customers(["D", "E"])
        store.save(p)
        with store.load() as loaded:
            ledger = store.load_loyalty(loaded)
            ledger.adjust("D", "2026-01-01", 100, "D1")
            ledger.adjust("E", "2026-06-01", 100, "E1")
            ledger.redeem("E", "2026-07-01", 50, "R-E")  # pooled, it would take D's older lot
            store.save_loyalty(ledger)
            ledger.close()
        with pytest.raises(carteira.FailedPreconditionError, match="cannot become one customer's"):
            store.merge_customers("D", ["E"], merged_by="auditor", merged_at="2026-08-01")
        with store.load() as same:
            assert same.find_customer("E") == 1
