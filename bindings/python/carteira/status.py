"""Lifecycle status: policies, the status engine, plugin rules written in
Python, status tables, history and transitions (carteira.h, "Lifecycle status").

The engine classifies every customer of a portfolio as of a date::

    with carteira.StatusEngine(portfolio) as engine:        # default policy
        table = engine.classify("2026-10-31")
        table.counts()                                       # {"prospect": 0, "new": 85, ...}
        df = table.to_pandas()                               # one row per customer

Handles (StatusPolicy, StatusEngine, StatusTable) are freed by close(), by
their context manager, or when collected; any other call on a closed one
raises ValueError. An engine keeps a reference to its portfolio, and a table
to the portfolio it was classified from (the library needs both alive);
closing the portfolio explicitly makes their calls that read it raise
ValueError instead of touching freed memory.
"""

from __future__ import annotations

import ctypes
import datetime
import enum
import itertools
import json
import os
import threading
from typing import NamedTuple

import numpy as np

from . import _lib
from ._native import NativeObject
from ._arrays import pointer
from .dates import date_to_days, days_to_date, from_days, to_days

try:  # pandas is optional: without it results are dicts of numpy arrays
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised only where pandas is absent
    _pd = None

__all__ = [
    "Lifecycle",
    "StatusFlag",
    "lifecycle_name",
    "parse_lifecycle",
    "flag_names",
    "BUILTIN_RULES",
    "FIRST_PLUGIN_RULE",
    "STATUS_COLUMNS",
    "StatusPolicy",
    "StatusEngine",
    "StatusTable",
    "StatusFacts",
    "StatusDecision",
]


class Lifecycle(enum.IntEnum):
    """carteira_lifecycle. Member names are the library's status names
    (``Lifecycle.at_risk.name == lifecycle_name(3) == "at_risk"``)."""

    prospect = _lib.LIFECYCLE_PROSPECT  # no purchase yet
    new = _lib.LIFECYCLE_NEW  # first purchase within the new window
    active = _lib.LIFECYCLE_ACTIVE
    at_risk = _lib.LIFECYCLE_AT_RISK
    inactive = _lib.LIFECYCLE_INACTIVE
    lost = _lib.LIFECYCLE_LOST
    reactivated = _lib.LIFECYCLE_REACTIVATED  # bought again after being inactive


class StatusFlag(enum.IntFlag):
    """CARTEIRA_FLAG_* bits, orthogonal to the status."""

    renewal_due = _lib.FLAG_RENEWAL_DUE
    delinquent = _lib.FLAG_DELINQUENT
    key_account = _lib.FLAG_KEY_ACCOUNT


# The rule ids of the status table's "rule" column and of transitions:
# built-in rules 0..6 (these names), plugin rules FIRST_PLUGIN_RULE + i in
# registration order.
BUILTIN_RULES = ("no_purchase", "new_customer", "recency", "cadence", "contract_ended",
                 "reactivation", "key_account_never")
FIRST_PLUGIN_RULE = 16

_STATUS_NAMES = tuple(m.name for m in Lifecycle)
# "renewal_due,delinquent" for every combination of the three bits (bit order,
# as the CLI writes them); "" for none.
_FLAG_TEXT = np.array(
    [",".join(f.name for f in StatusFlag if bits & f) for bits in range(8)], dtype=object)

_INT32 = np.iinfo(np.int32)


def _int32(value, what: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what}: expected an integer, got {type(value).__name__}")
    value = int(value)
    if not _INT32.min <= value <= _INT32.max:
        raise OverflowError(f"{what}: {value} does not fit in int32")
    return value


def _day(value, what: str) -> int:
    """A date argument (datetime.date, datetime64, text or int days) as int32 days."""
    return _int32(date_to_days(value), what)


def _text(value, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{what}: expected str, got {type(value).__name__}")
    data = value.encode("utf-8")
    if b"\0" in data:  # C strings stop at the first NUL: refuse rather than truncate
        raise ValueError(f"{what} contains a NUL character")
    return data


# ---- statuses and flags ------------------------------------------------------------


def lifecycle_name(value) -> str:
    """The library's name of a status value ("at_risk" for 3); ValueError for an unknown one."""
    raw = _lib.lib.carteira_lifecycle_name(_int32(value, "status"))
    if raw is None:
        raise ValueError(f"{value!r} is not a carteira lifecycle status (0..6)")
    return raw.decode("ascii")


def parse_lifecycle(name: str) -> Lifecycle:
    """The status named `name` ("at_risk"); InvalidArgumentError listing the names otherwise."""
    out = ctypes.c_int32()
    _lib._check(_lib.lib.carteira_lifecycle_parse(_text(name, "status name"), ctypes.byref(out)))
    return Lifecycle(out.value)


def _status_value(status) -> int:
    """A status argument: Lifecycle, int or name."""
    if isinstance(status, str):
        return int(parse_lifecycle(status))
    return _int32(status, "status")


def flag_names(flags) -> np.ndarray | str:
    """Flag bits as names joined with ',' ("renewal_due,key_account"; "" for none),
    for one value or elementwise for an array."""
    if isinstance(flags, (int, np.integer)):
        return _FLAG_TEXT[int(flags) & 7]
    return _FLAG_TEXT[np.asarray(flags).astype(np.intp) & 7]


def _status_categorical(codes):
    return _pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=_STATUS_NAMES)


def _status_names_of(codes) -> np.ndarray:
    return np.array(_STATUS_NAMES, dtype=object)[np.asarray(codes, dtype=np.intp)]


# ---- policy --------------------------------------------------------------------------


class StatusPolicy(NativeObject):
    """The rules and thresholds of the classification (carteira_status_policy).

    Build one with default(), from_json(), from_file() or fixed(); errors
    raise InvalidArgumentError with the library's message, which names the
    key ("policy: segments.varejo.recency.inactive_after: must not be
    negative, got -1"). An engine copies the policy it is created with, so
    the policy may be closed afterwards.
    """

    _name = "carteira.StatusPolicy"
    _destroy = "carteira_status_policy_destroy"

    def __init__(self):
        """The default policy (same as StatusPolicy.default())."""
        self._ptr = None
        self._ptr = self._create(_lib.lib.carteira_status_policy_default)

    @staticmethod
    def _create(call):
        handle = _lib.status_policy_p()
        _lib._check(call(ctypes.byref(handle)))
        return handle

    @classmethod
    def _adopt(cls, call) -> "StatusPolicy":
        policy = cls.__new__(cls)
        policy._ptr = None
        policy._ptr = cls._create(call)
        return policy

    @classmethod
    def default(cls) -> "StatusPolicy":
        """The built-in policy (90 / 180 / 365 days, cadence, contracts, new and reactivated)."""
        return cls._adopt(_lib.lib.carteira_status_policy_default)

    @classmethod
    def from_json(cls, text) -> "StatusPolicy":
        """Parses a JSON policy: str, UTF-8 bytes, or a dict (serialised with json.dumps)."""
        if isinstance(text, dict):
            text = json.dumps(text)
        if isinstance(text, str):
            data = text.encode("utf-8")
        elif isinstance(text, (bytes, bytearray)):
            data = bytes(text)
        else:
            raise TypeError(f"from_json expects str, bytes or dict, got {type(text).__name__}")
        if b"\0" in data:
            raise ValueError("the policy JSON contains a NUL character")
        return cls._adopt(lambda out: _lib.lib.carteira_status_policy_from_json(data, out))

    @classmethod
    def from_file(cls, path) -> "StatusPolicy":
        """Reads a JSON policy file; errors name the file and the key."""
        path_b = os.fsencode(path)
        return cls._adopt(lambda out: _lib.lib.carteira_status_policy_from_file(path_b, out))

    @classmethod
    def fixed(cls, at_risk_after: int, inactive_after: int, lost_after: int) -> "StatusPolicy":
        """Exactly three fixed thresholds (no cadence, new/reactivated or contract
        rules): a day count strictly greater than a threshold crosses it."""
        a = _int32(at_risk_after, "at_risk_after")
        i = _int32(inactive_after, "inactive_after")
        lost = _int32(lost_after, "lost_after")
        return cls._adopt(lambda out: _lib.lib.carteira_status_policy_fixed(a, i, lost, out))

    def to_json(self) -> str:
        """The complete policy as JSON (every key, segments fully resolved)."""
        out = ctypes.c_char_p()
        _lib._check(_lib.lib.carteira_status_policy_to_json(self._handle, ctypes.byref(out)))
        return out.value.decode("utf-8")

    def to_dict(self) -> dict:
        """to_json(), parsed."""
        return json.loads(self.to_json())

    # ---- lifetime --------------------------------------------------------

    def __repr__(self) -> str:
        return "<carteira.StatusPolicy closed>" if self.closed else "<carteira.StatusPolicy>"


# ---- plugin rules --------------------------------------------------------------------


class StatusFacts(NamedTuple):
    """What a plugin rule sees about one customer as of a date (a copy: it
    stays readable after the call)."""

    customer_index: int
    customer_id: str
    segment: str  # "" if none
    as_of: datetime.date
    purchase_days: np.ndarray  # datetime64[D], ascending, on or before as_of (read-only)
    days_since_last: int  # -1 without a purchase
    median_gap_days: float  # NaN below two purchase-days
    status: Lifecycle  # as decided by the built-in rules and earlier plugins
    flags: StatusFlag


class StatusDecision:
    """The verdict under construction, handed to a plugin rule; valid only
    during that call (afterwards every method raises ValueError)."""

    __slots__ = ("_ptr",)

    def __init__(self, ptr):
        self._ptr = ptr

    @property
    def _handle(self):
        if self._ptr is None:
            raise ValueError("a StatusDecision is valid only during its rule's call")
        return self._ptr

    @property
    def status(self) -> Lifecycle:
        """The status as decided so far (including this rule's changes)."""
        out = ctypes.c_int32()
        _lib._check(_lib.lib.carteira_status_decision_get_status(self._handle, ctypes.byref(out)))
        return Lifecycle(out.value)

    def override(self, status, reason: str = "") -> None:
        """Sets the status (Lifecycle, int or name); `reason` says why."""
        value = _status_value(status)
        _lib._check(_lib.lib.carteira_status_decision_override(
            self._handle, value, _text(reason, "reason")))

    def veto(self, status, reason: str = "") -> None:
        """Refuses `status` for this customer: it steps one level milder (lost ->
        inactive -> at_risk -> active; new, reactivated -> active), now and if a
        later rule sets it. prospect and active cannot be refused."""
        value = _status_value(status)
        _lib._check(_lib.lib.carteira_status_decision_veto(
            self._handle, value, _text(reason, "reason")))

    def add_reason(self, reason: str) -> None:
        """Adds a reason without changing the status."""
        _lib._check(_lib.lib.carteira_status_decision_add_reason(
            self._handle, _text(reason, "reason")))


class _CallState:
    """Per engine: the Python exception a rule raised during the current call."""

    __slots__ = ("error",)

    def __init__(self):
        self.error = None


class _Rule:
    __slots__ = ("name", "func", "state")

    def __init__(self, name, func, state):
        self.name, self.func, self.state = name, func, state


# The registered Python rules by key; the key is the rule's user_data. An
# entry leaves when the library calls the vtable's destroy (exactly once: on
# engine destruction, or when add_rule fails).
_RULES: dict[int, _Rule] = {}
_KEYS = itertools.count(1)
_INTERNAL = 13  # CARTEIRA_INTERNAL


def _facts(f: _lib.StatusFacts) -> StatusFacts:
    n = f.purchase_days
    if n > 0:
        days = np.ctypeslib.as_array(f.purchase_day_list, shape=(n,)).astype(np.int64)
    else:
        days = np.empty(0, dtype=np.int64)
    days = days.view("datetime64[D]")
    days.flags.writeable = False
    return StatusFacts(
        customer_index=f.customer_index,
        customer_id=(f.customer_id or b"").decode("utf-8", "replace"),
        segment=(f.segment or b"").decode("utf-8", "replace"),
        as_of=days_to_date(f.as_of),
        purchase_days=days,
        days_since_last=f.days_since_last,
        median_gap_days=f.median_gap_days,
        status=Lifecycle(f.status),
        flags=StatusFlag(f.flags & 7),
    )


def _apply(user_data, facts_p, decision_p):
    # Nothing may propagate into C: every exception becomes an error code
    # with its text, which the library reports naming the rule and customer.
    rule = None
    try:
        rule = _RULES[user_data]
        facts = _facts(facts_p.contents)
        decision = StatusDecision(decision_p)
        try:
            rule.func(facts, decision)
        finally:
            decision._ptr = None
        return _lib.OK
    except BaseException as exc:  # noqa: B036 - KeyboardInterrupt too: re-raised after the call
        try:
            if rule is not None and rule.state.error is None:
                rule.state.error = exc
            text = str(exc)
            message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
            _lib.lib.carteira_status_decision_set_error(
                decision_p, message.replace("\0", " ").encode("utf-8", "replace"))
        except BaseException:  # noqa: B036
            pass
        return _INTERNAL


def _destroy(user_data):
    try:
        _RULES.pop(user_data, None)
    except BaseException:  # noqa: B036 - at interpreter shutdown _RULES may be gone
        pass


# The C function pointers of every Python rule's vtable. They live as long as
# this module, and each engine holds them too (for interpreter shutdown).
_APPLY = _lib.STATUS_RULE_APPLY(_apply)
_DESTROY = _lib.STATUS_RULE_DESTROY(_destroy)


# ---- engine --------------------------------------------------------------------------


class StatusEngine(NativeObject):
    """Classifies the customers of a portfolio (carteira_status_engine).

    StatusEngine(portfolio, policy=None): None is the default policy. The
    engine reads the portfolio's customers, purchases and contracts when
    created (a snapshot: create another after appending) and keeps a
    reference to the portfolio. Fails (InvalidArgumentError) when the policy
    names a segment no customer has.

    Calls on one engine are serialised by a lock (Python rules are not
    reentrant across threads); use one engine per thread to classify in
    parallel.
    """

    _name = "carteira.StatusEngine"
    _destroy = "carteira_status_engine_destroy"

    def __init__(self, portfolio, policy: StatusPolicy | None = None):
        self._ptr = None
        self._portfolio = portfolio  # the C engine reads it: it must outlive the engine
        handle = portfolio._handle
        owned = None
        if policy is None:
            owned = policy = StatusPolicy.default()
        elif not isinstance(policy, StatusPolicy):
            raise TypeError(f"policy: expected a carteira.StatusPolicy, got {type(policy).__name__}")
        try:
            engine = _lib.status_engine_p()
            _lib._check(_lib.lib.carteira_status_engine_create(
                handle, policy._handle, ctypes.byref(engine)))
        finally:
            if owned is not None:
                owned.close()
        self._ptr = engine
        self._customers = portfolio.counts()["customers"]
        self._rule_names: list[str] = []
        self._state = _CallState()
        self._lock = threading.RLock()
        self._callbacks = (_APPLY, _DESTROY)

    # ---- lifetime --------------------------------------------------------

    @property
    def portfolio(self):
        return self._portfolio

    @property
    def _handle(self):
        handle = super()._handle
        if self._portfolio.closed:
            raise ValueError("the portfolio of this carteira.StatusEngine was closed")
        return handle

    def _free(self, ptr) -> None:
        # The library then releases every Python rule (their destroy callbacks).
        with self._lock:
            super()._free(ptr)

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.StatusEngine closed>"
        rules = f", rules {self._rule_names}" if self._rule_names else ""
        return f"<carteira.StatusEngine {self._customers} customers{rules}>"

    # ---- calls that run the rules ----------------------------------------

    def _run(self, call) -> None:
        """Runs a C call that may run Python rules; raises its error, chained
        to the Python exception a rule raised (re-raised itself when it is not
        an Exception, e.g. KeyboardInterrupt)."""
        with self._lock:
            self._state.error = None
            status = call()
            if status == _lib.OK:
                return
            error = _lib.error_from_status(status)  # before any other carteira_ call
            cause, self._state.error = self._state.error, None
        if cause is not None and not isinstance(cause, Exception):
            raise cause
        if cause is not None:
            raise error from cause
        raise error

    @property
    def rules(self) -> tuple[str, ...]:
        """The names of the plugin rules, in registration (and run) order."""
        return tuple(self._rule_names)

    def add_rule(self, name: str, func) -> None:
        """Registers a plugin rule: ``func(facts, decision)`` runs for each
        customer (and date) after the built-in rules and earlier plugins.

        facts is a StatusFacts; decision a StatusDecision (override, veto,
        add_reason, status). An exception in func stops the call (classify,
        history, transitions) with an InternalError naming the rule and the
        customer ("status rule 'r' failed for customer 'C1': ValueError: ..."),
        chained to the original exception. `name` must be non-empty and
        unique (AlreadyExistsError otherwise). The engine holds func until
        it is closed.
        """
        if not callable(func):
            raise TypeError(f"func: expected a callable, got {type(func).__name__}")
        name_b = _text(name, "name")
        handle = self._handle
        key = next(_KEYS)
        _RULES[key] = _Rule(name, func, self._state)
        vtable = _lib.StatusRuleVtable(apply=_APPLY, destroy=_DESTROY)
        with self._lock:
            status = _lib.lib.carteira_status_engine_add_rule(
                handle, name_b, ctypes.byref(vtable), key)
        # On failure the library has called destroy already: the entry is gone.
        _lib._check(status)
        self._rule_names.append(name)

    def add_p_alive_rule(self, model, *, at_risk_below: float = 0.5, inactive_below: float = 0.2,
                         horizon: float = 90, horizon_unit: str = "days") -> None:
        """Registers the P(alive) rule of a fitted (or given) transaction model
        (carteira.Model: bgnbd, mbgnbd or paretonbd): customers the built-in
        rules find active, at_risk or inactive are judged by P(alive)
        instead (inactive below inactive_below, at_risk below at_risk_below),
        and every verdict it gives or confirms says P(alive), the model and
        the purchases expected within `horizon` `horizon_unit`. The model is
        copied: it may be closed afterwards."""
        from carteira import models as _models  # a sibling module; imported late

        unit = _models._unit(horizon_unit, "horizon_unit")
        handle = self._handle
        with self._lock:
            _lib._check(_lib.lib.carteira_status_engine_add_p_alive_rule(
                handle, model._handle, float(at_risk_below), float(inactive_below), float(horizon), unit))
        self._rule_names.append("p_alive")

    def classify(self, as_of) -> "StatusTable":
        """Every customer's status as of a date (datetime.date, datetime64,
        text or int days): a StatusTable, row i = customer index i."""
        day = _day(as_of, "as_of")
        handle = self._handle
        table = _lib.status_table_p()
        self._run(lambda: _lib.lib.carteira_status_classify(handle, day, ctypes.byref(table)))
        return StatusTable._adopt(table, self._portfolio, day)

    def classify_summary(self, as_of=None) -> "StatusTable":
        """classify() through the summary fast path (carteira_status_classify_summary):
        the medians come from the portfolio's native summary, the one
        Portfolio.summary() keeps and recomputes in place; identical result.

        With `as_of`, that summary is (re)computed as of the date first.
        Without, the summary of the last Portfolio.summary() call is used
        (its date is the table's), so ``df = p.summary(d)`` followed by
        ``engine.classify_summary()`` summarises once. InvalidArgumentError
        if the summary does not match the engine's portfolio (e.g. rows
        appended since the engine was created).
        """
        from .summary import _native_summary

        handle = self._handle
        portfolio = self._portfolio
        if as_of is not None:
            _native_summary(portfolio, _lib.SummaryOptions(as_of=_day(as_of, "as_of"), unit=_lib.DAYS))
        summary, day = portfolio._summary_ptr, portfolio._summary_as_of
        if summary is None or day is None:
            raise ValueError("no summary to classify from: pass as_of, or call "
                             "Portfolio.summary(as_of) first")
        table = _lib.status_table_p()
        self._run(lambda: _lib.lib.carteira_status_classify_summary(
            handle, summary, ctypes.byref(table)))
        return StatusTable._adopt(table, portfolio, day)

    def history(self, dates, *, flags: bool = False):
        """Statuses at several dates in one pass.

        dates: strictly ascending (datetime.date items, datetime64, ISO text
        or int days). Returns a uint8 array of shape (len(dates), customers):
        [d, c] is customer c's Lifecycle value at dates[d]; with flags=True,
        the pair (statuses, flags) of such arrays (flags: StatusFlag bits).
        """
        days = to_days(dates, "dates")
        handle = self._handle
        customers = self._portfolio.counts()["customers"]
        if customers != self._customers:
            # carteira_status_history sizes its output by the portfolio as it
            # is now, the engine by its snapshot: refuse rather than mismatch.
            raise ValueError(
                f"the portfolio has {customers} customers, {self._customers} when this "
                "StatusEngine was created: create a new engine after appending")
        count = len(days)
        status = np.empty((count, customers), dtype=np.uint8)
        flag_out = np.empty((count, customers), dtype=np.uint8) if flags else None
        if count == 0:  # nothing to compute (the C call refuses a zero capacity)
            return (status, flag_out) if flags else status
        self._run(lambda: _lib.lib.carteira_status_history(
            handle, pointer(days, ctypes.c_int32), count, pointer(status, ctypes.c_uint8),
            pointer(flag_out, ctypes.c_uint8), status.size))
        return (status, flag_out) if flags else status

    def _rule_name_table(self) -> np.ndarray:
        names = list(BUILTIN_RULES) + ["unknown"] * (FIRST_PLUGIN_RULE - len(BUILTIN_RULES))
        return np.array(names + self._rule_names + ["unknown"], dtype=object)

    def transitions(self, from_, to, *, as_frame: bool | None = None):
        """Every status change in (from_, to], by customer then date; each is
        dated the first day the new status holds.

        Returns a pandas.DataFrame (a dict of numpy arrays without pandas, or
        with as_frame=False) with columns customer_index, customer_id, from,
        to (status names; Categorical in a DataFrame), date (datetime64[D])
        and rule (the name of the rule behind the new status).
        """
        start, end = _day(from_, "from_"), _day(to, "to")
        handle = self._handle
        result = _lib.status_transitions_p()
        self._run(lambda: _lib.lib.carteira_status_transitions_compute(
            handle, start, end, ctypes.byref(result)))
        try:
            size = ctypes.c_size_t()
            _lib._check(_lib.lib.carteira_status_transitions_size(result, ctypes.byref(size)))
            n = size.value
            customer = np.empty(n, dtype=np.uint32)
            old = np.empty(n, dtype=np.int32)
            new = np.empty(n, dtype=np.int32)
            date = np.empty(n, dtype=np.int32)
            rule = np.empty(n, dtype=np.int32)
            _lib._check(_lib.lib.carteira_status_transitions_get(
                result, pointer(customer, ctypes.c_uint32), pointer(old, ctypes.c_int32),
                pointer(new, ctypes.c_int32), pointer(date, ctypes.c_int32),
                pointer(rule, ctypes.c_int32), n))
        finally:
            _lib.lib.carteira_status_transitions_destroy(result)
        names = self._rule_name_table()
        rule_names = names[np.minimum(rule, len(names) - 1)]
        ids = np.empty(n, dtype=object)
        ids[:] = self._portfolio.customer_ids(customer)
        if as_frame is None:
            as_frame = _pd is not None
        if not as_frame:
            return {"customer_index": customer, "customer_id": ids,
                    "from": _status_names_of(old), "to": _status_names_of(new),
                    "date": from_days(date), "rule": rule_names}
        if _pd is None:
            raise ImportError("as_frame=True needs pandas")
        return _pd.DataFrame({
            "customer_index": customer, "customer_id": ids,
            "from": _status_categorical(old), "to": _status_categorical(new),
            "date": from_days(date), "rule": rule_names,
        })


# ---- table ---------------------------------------------------------------------------

# (name, carteira_status_column, numpy dtype read)
_COLUMNS = (
    ("status", _lib.STATUS_COL_STATUS, np.int64),
    ("flags", _lib.STATUS_COL_FLAGS, np.int64),
    ("rule", _lib.STATUS_COL_RULE, np.int64),
    ("days_since_last", _lib.STATUS_COL_DAYS_SINCE_LAST, np.int64),
    ("purchase_days", _lib.STATUS_COL_PURCHASE_DAYS, np.int64),
    ("last_purchase", _lib.STATUS_COL_LAST_PURCHASE, np.int64),
    ("event_day", _lib.STATUS_COL_EVENT_DAY, np.int64),
    ("comeback_gap_days", _lib.STATUS_COL_COMEBACK_GAP_DAYS, np.int64),
    ("contract", _lib.STATUS_COL_CONTRACT, np.int64),
    ("renewal_contract", _lib.STATUS_COL_RENEWAL_CONTRACT, np.int64),
    ("scope", _lib.STATUS_COL_SCOPE, np.int64),
    ("median_gap_days", _lib.STATUS_COL_MEDIAN_GAP_DAYS, np.float64),
    ("threshold_days", _lib.STATUS_COL_THRESHOLD_DAYS, np.float64),
)
_COLUMN_SPEC = {name: (column, dtype) for name, column, dtype in _COLUMNS}
STATUS_COLUMNS = tuple(name for name, *_ in _COLUMNS)
_DAY_COLUMNS = ("last_purchase", "event_day")


class StatusTable(NativeObject):
    """Every customer's status as of a date (carteira_status_table); row i is
    customer index i.

    Columns (column(name), or the attribute of that name) are read-only
    numpy arrays, each copied once by the library into a preallocated array
    and cached: int64 status (Lifecycle values), flags (StatusFlag bits),
    rule (rule id: BUILTIN_RULES index, plugins from FIRST_PLUGIN_RULE),
    days_since_last (-1 without a purchase), purchase_days, last_purchase and
    event_day (int days, NO_DAY when none), comeback_gap_days, contract and
    renewal_contract (contract rows, -1 = none), scope (policy segment index,
    -1 = defaults); float64 median_gap_days and threshold_days (NaN when
    none). Plugin rules' per-customer figures (the P(alive) rule's
    "p_alive" and "expected_purchases_90d") are field_names / field(name),
    float64, NaN where a rule did not set them. to_pandas() gives names,
    dates and the fields.
    """

    _name = "carteira.StatusTable"
    _destroy = "carteira_status_table_destroy"

    def __init__(self):
        raise TypeError("StatusTable objects come from StatusEngine.classify")

    @classmethod
    def _adopt(cls, handle, portfolio, as_of_day: int) -> "StatusTable":
        table = cls.__new__(cls)
        table._ptr = handle
        table._portfolio = portfolio  # Reason() reads it: it must outlive the table
        table._as_of = as_of_day
        table._cache = {}
        rows = ctypes.c_size_t()
        try:
            _lib._check(_lib.lib.carteira_status_table_size(handle, ctypes.byref(rows)))
        except BaseException:
            table.close()
            raise
        table._rows = rows.value
        return table

    # ---- lifetime --------------------------------------------------------

    def _portfolio_handle(self):
        handle = self._handle
        if self._portfolio.closed:
            raise ValueError("the portfolio of this carteira.StatusTable was closed")
        return handle

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.StatusTable closed>"
        counts = ", ".join(f"{k} {v}" for k, v in self.counts().items() if v)
        return f"<carteira.StatusTable as of {self.as_of}: {counts}>"

    # ---- contents --------------------------------------------------------

    @property
    def as_of(self) -> datetime.date:
        return days_to_date(self._as_of)

    def __len__(self) -> int:
        return self._rows

    def counts(self) -> dict[str, int]:
        """Customers per status, every status name in Lifecycle order."""
        out = np.empty(_lib.LIFECYCLE_COUNT, dtype=np.int64)
        _lib._check(_lib.lib.carteira_status_table_counts(
            self._handle, pointer(out, ctypes.c_int64), len(out)))
        return dict(zip(_STATUS_NAMES, out.tolist()))

    def column(self, name: str) -> np.ndarray:
        """A column by name (see STATUS_COLUMNS), as a read-only numpy array."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        try:
            column, dtype = _COLUMN_SPEC[name]
        except KeyError:
            raise KeyError(f"unknown status column {name!r} (one of {', '.join(STATUS_COLUMNS)})") from None
        handle = self._handle
        out = np.empty(self._rows, dtype=dtype)
        if dtype == np.float64:
            status = _lib.lib.carteira_status_table_get_double(
                handle, column, pointer(out, ctypes.c_double), self._rows)
        else:
            status = _lib.lib.carteira_status_table_get_int64(
                handle, column, pointer(out, ctypes.c_int64), self._rows)
        _lib._check(status)
        out.flags.writeable = False
        self._cache[name] = out
        return out

    @property
    def field_names(self) -> list[str]:
        """Names of the figures plugin rules reported, in registration order."""
        names = self._cache.get("__field_names__")
        if names is None:
            count = ctypes.c_size_t()
            _lib._check(_lib.lib.carteira_status_table_field_count(self._handle, ctypes.byref(count)))
            names = []
            for index in range(count.value):
                out = ctypes.c_char_p()
                _lib._check(_lib.lib.carteira_status_table_field_name(self._handle, index, ctypes.byref(out)))
                names.append(out.value.decode("utf-8"))
            self._cache["__field_names__"] = names
        return list(names)

    def field(self, name: str) -> np.ndarray:
        """A plugin rule's figure for every row (read-only float64, NaN where
        the rule did not set it); KeyError for a name no rule reports."""
        key = "field:" + name
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        names = self.field_names
        if name not in names:
            raise KeyError(f"no status field {name!r} (the rules report: {', '.join(names) or 'none'})")
        out = np.empty(self._rows, dtype=np.float64)
        _lib._check(_lib.lib.carteira_status_table_get_field(
            self._handle, names.index(name), pointer(out, ctypes.c_double), self._rows))
        out.flags.writeable = False
        self._cache[key] = out
        return out

    def _row(self, row) -> int:
        row = int(row)
        if row < 0:
            row += self._rows
        if row < 0:
            raise IndexError(f"status row {row - self._rows} of {self._rows}")
        return row

    def rule_name(self, row: int) -> str:
        """The name of the rule that decided the row ("recency", "cadence", a plugin's)."""
        out = ctypes.c_char_p()
        _lib._check(_lib.lib.carteira_status_table_rule_name(
            self._handle, self._row(row), ctypes.byref(out)))
        return out.value.decode("utf-8")

    def rule_names(self) -> np.ndarray:
        """rule_name of every row (object array), one library call per distinct rule."""
        rules = self.column("rule")
        out = np.empty(self._rows, dtype=object)
        ids, first = np.unique(rules, return_index=True)
        for rule_id, row in zip(ids.tolist(), first.tolist()):
            out[rules == rule_id] = self.rule_name(row)
        return out

    def reason(self, row: int) -> str:
        """The verdict of a row in plain words ("181 days without purchase > 180 (default)")."""
        handle = self._portfolio_handle()
        row = self._row(row)
        length = ctypes.c_size_t()
        _lib._check(_lib.lib.carteira_status_table_reason(handle, row, None, 0, ctypes.byref(length)))
        buffer = ctypes.create_string_buffer(length.value + 1)
        _lib._check(_lib.lib.carteira_status_table_reason(
            handle, row, buffer, len(buffer), ctypes.byref(length)))
        return buffer.raw[:length.value].decode("utf-8")

    def reasons(self) -> list[str]:
        """reason() of every row."""
        return [self.reason(row) for row in range(self._rows)]

    def status_names(self) -> np.ndarray:
        """The status of every row by name (object array)."""
        return _status_names_of(self.column("status"))

    def customer_ids(self) -> list[str]:
        """The customer id of every row."""
        self._portfolio_handle()
        return self._portfolio.customer_ids(np.arange(self._rows, dtype=np.uint32))

    def to_dict(self, reasons: bool = False) -> dict:
        """The table as numpy arrays: customer_index, customer_id, status
        (names), flags (names joined with ','), rule (names), reason (with
        reasons=True), then the other columns, days as datetime64[D] (NaT
        when none)."""
        ids = np.empty(self._rows, dtype=object)
        ids[:] = self.customer_ids()
        out = {
            "customer_index": np.arange(self._rows, dtype=np.uint32),
            "customer_id": ids,
            "status": self.status_names(),
            "flags": flag_names(self.column("flags")),
            "rule": self.rule_names(),
        }
        if reasons:
            out["reason"] = np.array(self.reasons(), dtype=object)
        for name in STATUS_COLUMNS[3:]:
            values = self.column(name)
            out[name] = from_days(values) if name in _DAY_COLUMNS else values.copy()
        for name in self.field_names:
            out[name] = self.field(name).copy()
        return out

    def to_pandas(self, reasons: bool = True):
        """A DataFrame indexed by customer_index: customer_id, status
        (Categorical of the status names), flags, rule, reason (one library
        call per row; reasons=False skips it), days_since_last, purchase_days,
        last_purchase, event_day (datetime64), comeback_gap_days, contract,
        renewal_contract, scope, median_gap_days, threshold_days, then the
        plugin rules' fields (field_names)."""
        if _pd is None:
            raise ImportError("to_pandas needs pandas (to_dict gives numpy arrays)")
        data = self.to_dict(reasons=reasons)
        index = _pd.Index(data.pop("customer_index"), name="customer_index")
        data["status"] = _status_categorical(self.column("status"))
        return _pd.DataFrame(data, index=index)


def _column_property(name):
    return property(lambda self: self.column(name), doc=f"The {name} column (see StatusTable).")


for _name in STATUS_COLUMNS:
    setattr(StatusTable, _name, _column_property(_name))
del _name
