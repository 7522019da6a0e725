"""carteira.Store: the portfolio in one SQLite file (carteira_store).

Every write is one transaction: a killed process leaves the file before or
after it. One writer and many readers; a second writer waits busy_timeout
seconds, then raises UnavailableError ("busy"). A file that is not a
Carteira store (or has a newer schema) is refused and left untouched.
"""

from __future__ import annotations

import ctypes
import datetime

import numpy as np

from . import _lib
from ._native import NativeObject
from .dates import NO_DAY, date_to_days, days_to_date, from_days
from .status import _status_categorical, _status_names_of, _text



try:
    import pandas as _pd
except ImportError:  # pandas is optional
    _pd = None

__all__ = ["Store", "STORE_TABLES"]

# The tables carteira_store_count knows.
STORE_TABLES = ("customers", "reps", "transactions", "contracts", "interactions", "surveys", "assignments",
                "plans", "merged_customers", "customer_state", "status_runs", "status_events", "loyalty_ledger")


def _events(handle, as_frame):
    """Copies a carteira_status_events handle out, then frees it."""
    try:
        n = ctypes.c_size_t()
        _lib._check(_lib.lib.carteira_status_events_size(handle, ctypes.byref(n)))
        ids, as_of, old, new, old_flags, new_flags, first = [], [], [], [], [], [], []
        event = _lib.StatusEvent()
        for i in range(n.value):
            _lib._check(_lib.lib.carteira_status_events_get(handle, i, ctypes.byref(event)))
            ids.append(event.customer_id.decode("utf-8"))
            as_of.append(event.as_of)
            old.append(getattr(event, "from"))
            new.append(event.to)
            old_flags.append(event.from_flags)
            new_flags.append(event.to_flags)
            first.append(bool(event.first))
    finally:
        _lib.lib.carteira_status_events_destroy(handle)
    old, new = np.array(old, dtype=np.int32), np.array(new, dtype=np.int32)
    columns = {
        "customer_id": np.array(ids, dtype=object),
        "as_of": from_days(np.array(as_of, dtype=np.int32)),
        "from": _status_names_of(old), "to": _status_names_of(new),
        "from_flags": np.array(old_flags, dtype=np.uint32), "to_flags": np.array(new_flags, dtype=np.uint32),
        "first": np.array(first, dtype=bool),
    }
    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        return columns
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    columns["from"], columns["to"] = _status_categorical(old), _status_categorical(new)
    return _pd.DataFrame(columns)


class Store(NativeObject):
    """An open store: Store(path) creates the file when it is missing
    (create=False refuses). Use as a context manager, or call close()."""

    _name = "carteira.Store"
    _destroy = "carteira_store_close"

    def __init__(self, path, *, create: bool = True, read_only: bool = False, busy_timeout: float = 2.0,
                 durable: bool = True, max_bytes: int = 0, checkpoint_thread: bool = True):
        """max_bytes > 0: the most bytes the file may grow to; a write needing
        more raises ResourceExhaustedError and writes nothing.
        checkpoint_thread=False: SQLite's own checkpoints, inside the commits
        (default: on a thread of the store's own; either is as safe)."""
        options = _lib.StoreOptions(create=int(create), read_only=int(read_only),
                                    busy_timeout_ms=int(round(busy_timeout * 1000)), durable=int(durable),
                                    max_bytes=int(max_bytes), checkpoint_thread=int(checkpoint_thread))
        self.last_refresh = None
        handle = _lib.store_p()
        _lib._check(_lib.lib.carteira_store_open(str(path).encode("utf-8"), ctypes.byref(options),
                                                 ctypes.byref(handle)))
        self._ptr = handle

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.Store closed>"
        return f"<carteira.Store {self.count('customers')} customers, {self.count('transactions')} transactions>"

    @property
    def schema_version(self) -> int:
        out = ctypes.c_int32()
        _lib._check(_lib.lib.carteira_store_schema_version(self._handle, ctypes.byref(out)))
        return out.value

    def checkpoint(self) -> None:
        """Copies every committed change from the write-ahead log into the
        database file now, e.g. before the file alone is copied (not needed
        for safety). PermissionDeniedError on a read-only store,
        UnavailableError when a reader elsewhere still needs the log."""
        _lib._check(_lib.lib.carteira_store_checkpoint(self._handle))

    def save(self, portfolio, replace: bool = False) -> None:
        """Writes a whole portfolio into an empty store (replace=True: in place of its contents)."""
        _lib._check(_lib.lib.carteira_store_save(self._handle, portfolio._handle, int(replace)))

    def load(self):
        """The whole store as a new carteira.Portfolio."""
        from .portfolio import Portfolio

        portfolio = Portfolio()
        try:
            _lib._check(_lib.lib.carteira_store_load(self._handle, portfolio._handle))
        except BaseException:
            portfolio.close()
            raise
        return portfolio

    def append(self, delta) -> dict[str, int]:
        """Appends the day's data (a Portfolio of the new rows); what was done, by name."""
        report = _lib.StoreAppendReport()
        _lib._check(_lib.lib.carteira_store_append(self._handle, delta._handle, ctypes.byref(report)))
        return {name: getattr(report, name) for name, _ in _lib.StoreAppendReport._fields_[1:]}

    def refresh_statuses(self, as_of, policy=None, *, as_frame: bool | None = None):
        """Brings the stored statuses up to as_of (policy: a StatusPolicy, default
        the default one); the changes since the previous refresh, one row each
        (customer_id, as_of, from, to, from_flags, to_flags, first). What the
        refresh did (as_of, previous_as_of, customers_checked, policy_changed:
        the policy differs from the previous refresh's, so everyone was judged
        again) is in store.last_refresh and the frame's attrs["refresh"]."""
        events = _lib.status_events_p()
        _lib._check(_lib.lib.carteira_store_refresh_statuses(
            self._handle, date_to_days(as_of), None if policy is None else policy._handle, ctypes.byref(events)))
        info = _lib.RefreshInfo()
        status = _lib.lib.carteira_status_events_refresh_info(events, ctypes.byref(info))
        if status != 0:
            _lib.lib.carteira_status_events_destroy(events)
            _lib._check(status)
        previous = None if info.previous_as_of == NO_DAY else days_to_date(info.previous_as_of)
        self.last_refresh = {"as_of": days_to_date(info.as_of), "previous_as_of": previous,
                             "customers_checked": info.customers_checked,
                             "policy_changed": bool(info.policy_changed)}
        result = _events(events, as_frame)
        if _pd is not None and isinstance(result, _pd.DataFrame):
            result.attrs["refresh"] = dict(self.last_refresh)
        return result

    def apply_plan(self, plan, *, applied_by: str, applied_at=None, note: str | None = None) -> None:
        """Writes a plan's moves into the store's assignment history with a
        record of the plan (applied_at: a date, default today), as one
        transaction. The plan must be built on a portfolio loaded from this
        store; a stale plan raises FailedPreconditionError, a plan applied
        before AlreadyExistsError; nothing is written then."""
        day = date_to_days(applied_at if applied_at is not None else datetime.date.today())
        _lib._check(_lib.lib.carteira_store_apply_plan(
            self._handle, plan._portfolio_handle(), day, _text(applied_by, "applied_by"),
            None if note is None else _text(note, "note")))

    def merge_customers(self, into: str, merged, *, merged_by: str, merged_at=None) -> None:
        """Portfolio.merge_customers on the store, as one transaction: the
        merged customers' rows move to `into`; their ids become aliases.
        Their loyalty entries become the survivor's when that changes no
        balance; otherwise FailedPreconditionError and nothing is written."""
        if isinstance(merged, str):
            merged = [merged]
        ids = [_text(m, "merged") for m in merged]
        array = (ctypes.c_char_p * max(len(ids), 1))(*ids)
        day = date_to_days(merged_at if merged_at is not None else datetime.date.today())
        _lib._check(_lib.lib.carteira_store_merge_customers(
            self._handle, _text(into, "into"), array, len(ids), day, _text(merged_by, "merged_by")))

    def save_loyalty(self, ledger) -> None:
        """Appends the entries of a carteira.LoyaltyLedger that the store does
        not hold yet, as one transaction. The ledger must be made on a
        portfolio loaded from this store (typically by load_loyalty, then
        added to): FailedPreconditionError, naming the entry, when the stored
        entries are not its first ones; nothing is written then."""
        _lib._check(_lib.lib.carteira_store_save_loyalty(self._handle, ledger._handle))

    def load_loyalty(self, portfolio, rules=None):
        """The stored loyalty ledger as a carteira.LoyaltyLedger on
        `portfolio` (loaded from this store), with `rules` as LoyaltyLedger
        takes them (None: the defaults); an empty ledger when none was saved."""
        from .actions import LoyaltyLedger, _rules_bytes

        data = _rules_bytes(rules)
        out = _lib.loyalty_ledger_p()
        _lib._check(_lib.lib.carteira_store_load_loyalty(self._handle, portfolio._handle, data, ctypes.byref(out)))
        ledger = LoyaltyLedger.__new__(LoyaltyLedger)
        ledger._ptr = None
        ledger._setup(out, portfolio)
        return ledger

    def history(self, from_, to, *, as_frame: bool | None = None):
        """The stored changes of the refreshes dated in (from_, to]."""
        events = _lib.status_events_p()
        _lib._check(_lib.lib.carteira_store_history(self._handle, date_to_days(from_), date_to_days(to),
                                                    ctypes.byref(events)))
        return _events(events, as_frame)

    def statuses(self, *, as_frame: bool | None = None):
        """Every customer's stored status as of the last refresh: customer_id,
        as_of, status, flags."""
        events = _lib.status_events_p()
        _lib._check(_lib.lib.carteira_store_statuses(self._handle, ctypes.byref(events)))
        rows = _events(events, as_frame)
        if isinstance(rows, dict):
            return {"customer_id": rows["customer_id"], "as_of": rows["as_of"], "status": rows["to"],
                    "flags": rows["to_flags"]}
        return rows[["customer_id", "as_of", "to", "to_flags"]].rename(columns={"to": "status", "to_flags": "flags"})

    def _day(self, function):
        out = ctypes.c_int32()
        _lib._check(function(self._handle, ctypes.byref(out)))
        return None if out.value == NO_DAY else days_to_date(out.value)

    @property
    def last_transaction_date(self):
        """The date of the latest stored transaction, or None."""
        return self._day(_lib.lib.carteira_store_last_transaction_date)

    @property
    def last_refresh_date(self):
        """The date of the last status refresh, or None."""
        return self._day(_lib.lib.carteira_store_last_refresh_date)

    def count(self, table: str) -> int:
        """Rows of one table (STORE_TABLES); NotFoundError for another name."""
        out = ctypes.c_int64()
        _lib._check(_lib.lib.carteira_store_count(self._handle, str(table).encode("utf-8"), ctypes.byref(out)))
        return out.value

    def counts(self) -> dict[str, int]:
        return {table: self.count(table) for table in STORE_TABLES}

    def check(self) -> list[str]:
        """Consistency problems (an empty list: consistent)."""
        length, problems = ctypes.c_size_t(), ctypes.c_size_t()
        handle = self._handle
        _lib._check(_lib.lib.carteira_store_check(handle, None, 0, ctypes.byref(length), ctypes.byref(problems)))
        buffer = ctypes.create_string_buffer(length.value + 1)
        _lib._check(_lib.lib.carteira_store_check(handle, buffer, len(buffer), ctypes.byref(length),
                                                  ctypes.byref(problems)))
        return [line for line in buffer.raw[:length.value].decode("utf-8").split("\n") if line]
