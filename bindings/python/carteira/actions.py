"""Retention actions: the agenda, the loyalty ledger and automation handlers
(carteira.h, "Retention actions"; docs/actions.md).

::

    with carteira.StatusEngine(portfolio) as engine:
        tasks = carteira.build_agenda(engine, "2026-10-31")        # a DataFrame
        with carteira.LoyaltyLedger(portfolio, {"unit": "10,00"}) as ledger:
            ledger.earn_from_transactions("2026-10-31")
            ledger.balance("C00001", "2026-10-31")
        automation = carteira.Automation()
        automation.add_handler("crm", on_transition=print, on_new_task=print)
        report = automation.run(engine, "2026-09-30", "2026-10-31", known_task_keys=tasks["key"])

Ids are strings, dates datetime.date (datetime64[D] / NaT in frames), money
int64 minor units, points int64, as elsewhere in the package. Frames are
pandas DataFrames when pandas is importable, dicts of numpy arrays otherwise
(or with as_frame=False). Money in the loyalty rules is a decimal string
("1.000,00" or "1000.00"), never a JSON number.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime
import itertools
import json
import os
import threading
from typing import NamedTuple

import numpy as np

from . import _lib
from ._native import NativeObject
from .dates import days_to_date, from_days
from .errors import Error
from .status import Lifecycle, StatusEngine, _day, _int32, _text, parse_lifecycle

try:  # pandas is optional: without it results are dicts of numpy arrays
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised only where pandas is absent
    _pd = None

__all__ = [
    "AGENDA_COLUMNS",
    "ENTRY_COLUMNS",
    "TASK_TYPES",
    "LEDGER_KINDS",
    "build_agenda",
    "task_type_name",
    "parse_task_type",
    "LoyaltyLedger",
    "TierStanding",
    "Automation",
    "AutomationReport",
    "AutomationFailure",
    "StatusChange",
    "AgendaTask",
    "TierChange",
]

AGENDA_COLUMNS = ("key", "customer_id", "rep_id", "type", "due", "overdue", "priority", "reason")
ENTRY_COLUMNS = ("id", "customer_id", "day", "kind", "points", "expires", "reverses", "reference", "note")
TASK_TYPES = ("renewal", "reactivation", "visit", "nps_survey", "follow_up", "purchase_window")
LEDGER_KINDS = ("earn", "redeem", "expire", "adjust", "reverse")
_EVENT_KINDS = ("transition", "new_task", "tier_change")


def _decode(raw) -> str:
    return raw.decode("utf-8") if raw else ""


def _frame(data: dict, as_frame):
    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        return data
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    return _pd.DataFrame(data)


def _customer_index(portfolio, customer) -> int:
    """A customer argument: its index (int) or its id (str)."""
    if isinstance(customer, str):
        return portfolio.find_customer(customer)
    if isinstance(customer, (bool, np.bool_)) or not isinstance(customer, (int, np.integer)):
        raise TypeError(f"customer: expected an index (int) or an id (str), got {type(customer).__name__}")
    if not 0 <= customer < 2**32:
        raise OverflowError(f"customer: {customer} is not a uint32 index")
    return int(customer)


def _rep_ids(portfolio) -> np.ndarray:
    """Every rep id by index, with None at [-1] (no rep)."""
    ids = portfolio.rep_ids(range(portfolio.counts()["reps"]))
    return np.array(ids + [None], dtype=object)


# ---- task types ------------------------------------------------------------------------


def task_type_name(value: int) -> str:
    """The library's name of a task type value ("nps_survey" for 3)."""
    raw = _lib.lib.carteira_task_type_name(_int32(value, "type"))
    if raw is None:
        raise ValueError(f"{value} is not a task type")
    return raw.decode("ascii")


def parse_task_type(name: str) -> int:
    """The value of a task type name; InvalidArgumentError for an unknown one."""
    out = ctypes.c_int32()
    _lib._check(_lib.lib.carteira_task_type_parse(_text(name, "type"), ctypes.byref(out)))
    return out.value


def _type_value(t) -> int:
    return parse_task_type(t) if isinstance(t, str) else _int32(t, "types")


def _status_value(s) -> int:
    return int(parse_lifecycle(s)) if isinstance(s, str) else int(Lifecycle(s))


# ---- agenda ------------------------------------------------------------------------------


def _agenda_options(as_of=None, *, horizon_days: int = 7, types=None, renewal_lead_days: int = 60,
                    renewal_urgent_days: int = 15, reactivation_statuses=None,
                    reactivation_window_days: int = 30, visit_channels=None, visit_days=(30, 60, 90),
                    nps_after_purchase_days: int = 7, nps_min_interval_days: int = 90,
                    nps_max_age_days: int = 30, follow_up_after_days: int = 3,
                    follow_up_max_age_days: int = 14, purchase_window_lead_days: int = 2,
                    purchase_window_max_age_days: int = 14, expected_value=None):
    """carteira_agenda_options and what it points to (keep both referenced for the call)."""
    o = _lib.AgendaOptions()
    keep = []
    if as_of is not None:
        o.as_of = _day(as_of, "as_of")
    for name, value in (("horizon_days", horizon_days), ("renewal_lead_days", renewal_lead_days),
                        ("renewal_urgent_days", renewal_urgent_days),
                        ("reactivation_window_days", reactivation_window_days),
                        ("nps_after_purchase_days", nps_after_purchase_days),
                        ("nps_min_interval_days", nps_min_interval_days),
                        ("nps_max_age_days", nps_max_age_days),
                        ("follow_up_after_days", follow_up_after_days),
                        ("follow_up_max_age_days", follow_up_max_age_days),
                        ("purchase_window_lead_days", purchase_window_lead_days),
                        ("purchase_window_max_age_days", purchase_window_max_age_days)):
        setattr(o, name, _int32(value, name))
    if types is not None:
        if isinstance(types, (str, int, np.integer)):
            types = [types]
        mask = 0
        for t in types:
            value = _type_value(t)
            if not 0 <= value < _lib.TASK_TYPE_COUNT:
                raise ValueError(f"types: {t!r} is not a task type")
            mask |= 1 << value
        o.task_types = mask  # 0 (no types) is refused by the library
    if reactivation_statuses is not None:
        mask = 0
        for s in reactivation_statuses:
            mask |= 1 << _status_value(s)
        o.reactivation_statuses = mask
    if visit_channels is not None:
        if isinstance(visit_channels, str):
            visit_channels = [visit_channels]
        for c in visit_channels:
            if "|" in c:
                raise ValueError(f"visit_channels: {c!r} contains '|', which separates the names")
        data = _text("|".join(visit_channels), "visit_channels")
        keep.append(data)
        o.visit_channels = data
    a, b, c = (_int32(v, "visit_days") for v in visit_days)
    o.visit_days_a, o.visit_days_b, o.visit_days_c = a, b, c
    if expected_value is not None:
        values = np.ascontiguousarray(expected_value, dtype=np.float64)
        if values.ndim != 1:
            raise ValueError("expected_value: expected a 1-D array, one value per customer index")
        keep.append(values)
        o.expected_value = values.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
        o.expected_value_count = len(values)
    return o, keep


class _TaskReader:
    """Reads carteira_task structs into columns (ids looked up in bulk)."""

    def __init__(self):
        self.customer, self.rep, self.type, self.due, self.overdue, self.priority = [], [], [], [], [], []
        self.key, self.reason = [], []

    def add(self, t: _lib.Task) -> None:
        self.customer.append(t.customer)
        self.rep.append(t.rep)
        self.type.append(t.type)
        self.due.append(t.due)
        self.overdue.append(bool(t.overdue))
        self.priority.append(t.priority)
        self.key.append(_decode(t.key))
        self.reason.append(_decode(t.reason))

    def columns(self, portfolio) -> dict:
        ids = np.empty(len(self.customer), dtype=object)
        ids[:] = portfolio.customer_ids(np.asarray(self.customer, dtype=np.uint32))
        types = np.array(TASK_TYPES, dtype=object)
        return {
            "key": np.array(self.key, dtype=object),
            "customer_id": ids,
            "rep_id": _rep_ids(portfolio)[np.asarray(self.rep, dtype=np.int64)],
            "type": types[np.asarray(self.type, dtype=np.int64)],
            "due": from_days(np.asarray(self.due, dtype=np.int32)),
            "overdue": np.asarray(self.overdue, dtype=bool),
            "priority": np.asarray(self.priority, dtype=np.int32),
            "reason": np.array(self.reason, dtype=object),
        }


def build_agenda(engine: StatusEngine, as_of, *, as_frame: bool | None = None, **options):
    """What each rep should do as of `as_of`: the agenda of the engine's
    portfolio (docs/actions.md), one row per task in (due, -priority,
    customer id, type) order, with the columns of AGENDA_COLUMNS (rep_id None
    for a customer without a rep; due datetime64[D]).

    Options (the core's defaults): horizon_days (7), types (names or values;
    every type but purchase_window, which is asked for), renewal_lead_days (60), renewal_urgent_days (15),
    reactivation_statuses (["at_risk", "inactive"]), reactivation_window_days
    (30), visit_channels (["visit", "visita"]), visit_days ((30, 60, 90) for
    A, B, C), nps_after_purchase_days (7), nps_min_interval_days (90),
    nps_max_age_days (30), follow_up_after_days (3), follow_up_max_age_days
    (14), purchase_window_lead_days (2), purchase_window_max_age_days (14), expected_value (per customer index, e.g. a model's CLV; default:
    the revenue of the last 365 days ranks value).
    """
    if not isinstance(engine, StatusEngine):
        raise TypeError(f"engine: expected a carteira.StatusEngine, got {type(engine).__name__}")
    opts, keep = _agenda_options(as_of, **options)
    out = _lib.agenda_p()
    handle = engine._handle
    with engine._lock:
        _lib._check(_lib.lib.carteira_agenda_build(handle, ctypes.byref(opts), ctypes.byref(out)))
    del keep
    try:
        size = ctypes.c_size_t()
        _lib._check(_lib.lib.carteira_agenda_size(out, ctypes.byref(size)))
        reader = _TaskReader()
        task = _lib.Task()
        for i in range(size.value):
            _lib._check(_lib.lib.carteira_agenda_task_get(out, i, ctypes.byref(task)))
            reader.add(task)
    finally:
        _lib.lib.carteira_agenda_destroy(out)
    return _frame(reader.columns(engine.portfolio), as_frame)


# ---- loyalty ledger ----------------------------------------------------------------------


class TierStanding(NamedTuple):
    """A customer's tier on a day, by the spend of the 365 days ending on it."""

    tier: str | None  # None: no tier
    spend: int  # minor units
    next_tier: str | None  # None: at the top (or no tiers)
    to_next: int  # spend still needed for the next tier, minor units
    tier_index: int  # in the rules' tiers; -1 = none
    next_index: int


def _rules_bytes(rules) -> bytes | None:
    if rules is None:
        return None
    if isinstance(rules, dict):
        rules = json.dumps(rules)
    if isinstance(rules, str):
        data = rules.encode("utf-8")
    elif isinstance(rules, (bytes, bytearray)):
        data = bytes(rules)
    else:
        raise TypeError(f"rules: expected a dict, str or bytes of JSON, got {type(rules).__name__}")
    if b"\0" in data:
        raise ValueError("the rules JSON contains a NUL character")
    return data


class LoyaltyLedger(NativeObject):
    """The loyalty points ledger of a portfolio (carteira_loyalty_ledger):
    append-only earn, redeem, expire, adjust and reverse entries per customer.

    LoyaltyLedger(portfolio, rules=None): `rules` is the rules file's JSON as
    a dict, str or bytes (docs/actions.md; money as decimal strings such as
    "1.000,00"), None for the defaults; errors (InvalidArgumentError) name the
    key ("rules.tiers[1].min_spend: ..."). from_file() reads a rules file.
    The ledger keeps a reference to the portfolio, whose purchases earn the
    points. Customers are given by index (int) or id (str), days as dates.

    A redemption (or a negative adjustment) beyond the balance raises
    FailedPreconditionError and writes nothing.
    """

    _name = "carteira.LoyaltyLedger"
    _destroy = "carteira_loyalty_ledger_destroy"

    def __init__(self, portfolio, rules=None):
        self._ptr = None
        data = _rules_bytes(rules)
        handle = portfolio._handle
        out = _lib.loyalty_ledger_p()
        _lib._check(_lib.lib.carteira_loyalty_ledger_create(handle, data, ctypes.byref(out)))
        self._setup(out, portfolio)

    def _setup(self, handle, portfolio) -> None:
        self._ptr = handle
        self._portfolio = portfolio  # the C ledger reads it: it must outlive the ledger

    @classmethod
    def from_file(cls, portfolio, path) -> "LoyaltyLedger":
        """A ledger with the rules of a file; errors start with its path."""
        ledger = cls.__new__(cls)
        ledger._ptr = None
        out = _lib.loyalty_ledger_p()
        _lib._check(_lib.lib.carteira_loyalty_ledger_create_from_file(
            portfolio._handle, os.fsencode(path), ctypes.byref(out)))
        ledger._setup(out, portfolio)
        return ledger

    @property
    def portfolio(self):
        return self._portfolio

    @property
    def _handle(self):
        handle = super()._handle
        if self._portfolio.closed:
            raise ValueError("the portfolio of this carteira.LoyaltyLedger was closed")
        return handle

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.LoyaltyLedger closed>"
        return f"<carteira.LoyaltyLedger {len(self)} entries>"

    def __len__(self) -> int:
        """The number of entries."""
        out = ctypes.c_size_t()
        _lib._check(_lib.lib.carteira_loyalty_entry_count(self._handle, ctypes.byref(out)))
        return out.value

    def _customer(self, customer) -> int:
        return _customer_index(self._portfolio, customer)

    # ---- writing -----------------------------------------------------------

    def earn_from_transactions(self, up_to) -> int:
        """Earn entries (and negative adjustments for returns) for the purchases
        after the last day earned, up to and including `up_to`; returns how
        many entries were written."""
        out = ctypes.c_size_t()
        _lib._check(_lib.lib.carteira_loyalty_earn_from_transactions(
            self._handle, _day(up_to, "up_to"), ctypes.byref(out)))
        return out.value

    def redeem(self, customer, day, points: int, reference: str = "") -> int:
        """Redeems `points` on `day`, the lots closest to expiry first; returns
        the entry's id. FailedPreconditionError beyond the balance available
        that day (the message has the figures), or before the customer's last
        entry."""
        handle = self._handle
        out = ctypes.c_uint64()
        _lib._check(_lib.lib.carteira_loyalty_redeem(
            handle, self._customer(customer), _day(day, "day"), int(points), _text(reference, "reference"),
            ctypes.byref(out)))
        return out.value

    def adjust(self, customer, day, points: int, note: str = "") -> int:
        """A correction: positive points form a new lot, negative ones consume
        lots (refused beyond the balance); returns the entry's id."""
        handle = self._handle
        out = ctypes.c_uint64()
        _lib._check(_lib.lib.carteira_loyalty_adjust(
            handle, self._customer(customer), _day(day, "day"), int(points), _text(note, "note"),
            ctypes.byref(out)))
        return out.value

    def reverse(self, entry: int, day, note: str = "") -> int:
        """Cancels an earn, redeem or adjust entry (by id) on `day`; returns the
        reversal's id. FailedPreconditionError when already reversed or its
        points were spent; NotFoundError for an unknown id."""
        handle = self._handle
        out = ctypes.c_uint64()
        _lib._check(_lib.lib.carteira_loyalty_reverse(
            handle, int(entry), _day(day, "day"), _text(note, "note"), ctypes.byref(out)))
        return out.value

    def expire_until(self, day) -> int:
        """Writes an expire entry, dated `day`, for what is left of every lot
        expired by then; returns how many."""
        out = ctypes.c_size_t()
        _lib._check(_lib.lib.carteira_loyalty_expire_until(self._handle, _day(day, "day"), ctypes.byref(out)))
        return out.value

    # ---- reading -----------------------------------------------------------

    def balance(self, customer, day) -> int:
        """The usable points as of `day` (entries dated on or before it)."""
        handle = self._handle
        out = ctypes.c_int64()
        _lib._check(_lib.lib.carteira_loyalty_balance(
            handle, self._customer(customer), _day(day, "day"), ctypes.byref(out)))
        return out.value

    def expiring_within(self, customer, day, days: int = 30) -> int:
        """The points of the balance on `day` that expire within `days` days."""
        handle = self._handle
        out = ctypes.c_int64()
        _lib._check(_lib.lib.carteira_loyalty_expiring_within(
            handle, self._customer(customer), _day(day, "day"), _int32(days, "days"), ctypes.byref(out)))
        return out.value

    def balances(self, day) -> np.ndarray:
        """Every customer's usable points as of `day`, in one call: an int64
        array indexed by customer index."""
        handle = self._handle
        n = self._portfolio.counts()["customers"]
        out = np.zeros(n, dtype=np.int64)
        _lib._check(_lib.lib.carteira_loyalty_balances(
            handle, _day(day, "day"), out.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)), n))
        return out

    def tier(self, customer, day) -> TierStanding:
        """The customer's tier on `day`, its spend and what the next tier needs."""
        handle = self._handle
        out = _lib.TierStanding()
        _lib._check(_lib.lib.carteira_loyalty_tier(
            handle, self._customer(customer), _day(day, "day"), ctypes.byref(out)))
        return TierStanding(
            tier=out.tier_name.decode("utf-8") if out.tier_name else None, spend=out.spend,
            next_tier=out.next_name.decode("utf-8") if out.next_name else None,
            to_next=out.to_next, tier_index=out.tier, next_index=out.next)

    def entries(self, customer=None, as_of=None, *, as_frame: bool | None = None):
        """The entries in append order (one customer's, given by index or id;
        only those dated on or before `as_of`, when given): the columns of
        ENTRY_COLUMNS (day and expires datetime64[D], NaT when none; reverses
        0 when none; points signed)."""
        handle = self._handle
        only = None if customer is None else self._customer(customer)
        last = None if as_of is None else _day(as_of, "as_of")
        count = ctypes.c_size_t()
        _lib._check(_lib.lib.carteira_loyalty_entry_count(handle, ctypes.byref(count)))
        cols = {name: [] for name in ENTRY_COLUMNS}
        customers = []
        e = _lib.LedgerEntry()
        for i in range(count.value):
            _lib._check(_lib.lib.carteira_loyalty_entry_get(handle, i, ctypes.byref(e)))
            if (only is not None and e.customer != only) or (last is not None and e.day > last):
                continue
            customers.append(e.customer)
            cols["id"].append(e.id)
            cols["day"].append(e.day)
            cols["kind"].append(LEDGER_KINDS[e.kind])
            cols["points"].append(e.points)
            cols["expires"].append(e.expires)
            cols["reverses"].append(e.reverses)
            cols["reference"].append(_decode(e.reference))
            cols["note"].append(_decode(e.note))
        ids = np.empty(len(customers), dtype=object)
        ids[:] = self._portfolio.customer_ids(np.asarray(customers, dtype=np.uint32))
        data = {
            "id": np.asarray(cols["id"], dtype=np.uint64),
            "customer_id": ids,
            "day": from_days(np.asarray(cols["day"], dtype=np.int32)),
            "kind": np.array(cols["kind"], dtype=object),
            "points": np.asarray(cols["points"], dtype=np.int64),
            "expires": from_days(np.asarray(cols["expires"], dtype=np.int32)),
            "reverses": np.asarray(cols["reverses"], dtype=np.uint64),
            "reference": np.array(cols["reference"], dtype=object),
            "note": np.array(cols["note"], dtype=object),
        }
        return _frame(data, as_frame)


# ---- automation --------------------------------------------------------------------------


class StatusChange(NamedTuple):
    """A status transition, as an on_transition handler receives it."""

    customer_id: str
    from_status: Lifecycle
    to_status: Lifecycle
    date: datetime.date  # the first day of the new status
    rule: int  # the rule behind it (built-in 0..6, plugins from 16)
    customer_index: int


class AgendaTask(NamedTuple):
    """A new task, as an on_new_task handler receives it."""

    key: str
    customer_id: str
    rep_id: str | None
    type: str
    due: datetime.date
    overdue: bool
    priority: int
    reason: str
    customer_index: int


class TierChange(NamedTuple):
    """A loyalty tier change between the run's two days, as an on_tier_change handler receives it."""

    customer_id: str
    from_tier: str | None  # None: no tier
    to_tier: str | None
    from_date: datetime.date
    to_date: datetime.date
    spend: int  # the 365 days ending on to_date, minor units
    customer_index: int


@dataclasses.dataclass(frozen=True)
class AutomationFailure:
    """A handler call that failed: what it was told, and why it failed."""

    kind: str  # transition, new_task, tier_change
    customer_id: str
    handler: str
    message: str  # a Python handler's: "ExceptionType: text"


@dataclasses.dataclass(frozen=True)
class AutomationReport:
    """What a run found and delivered."""

    from_date: datetime.date
    to_date: datetime.date
    transitions: int  # events found
    new_tasks: int
    tier_changes: int
    calls: int  # handler calls made
    delivered: int  # calls that succeeded
    failures: tuple[AutomationFailure, ...]


class _RunState:
    """Per automation, during one run: the portfolio, its rep ids (looked up
    once, when a task arrives), and the first BaseException that is not an
    Exception (KeyboardInterrupt), re-raised after the run."""

    __slots__ = ("portfolio", "rep_ids", "interrupt")

    def __init__(self):
        self.portfolio = None
        self.rep_ids = None
        self.interrupt = None


class _Handler:
    __slots__ = ("name", "on_transition", "on_new_task", "on_tier_change", "state")

    def __init__(self, name, on_transition, on_new_task, on_tier_change, state):
        self.name = name
        self.on_transition, self.on_new_task, self.on_tier_change = on_transition, on_new_task, on_tier_change
        self.state = state


# The registered handlers by key (their user_data). An entry leaves when the
# library calls the vtable's destroy (exactly once: when the automation is
# destroyed, or when add_handler fails).
_HANDLERS: dict[int, _Handler] = {}
_KEYS = itertools.count(1)


def _dispatch(user_data, call_p, make_event, pick):
    # Nothing may propagate into C: every exception becomes an error code
    # with its text, which the run reports as this handler's failure.
    handler = None
    try:
        handler = _HANDLERS[user_data]
        pick(handler)(make_event(handler.state))
        return _lib.OK
    except BaseException as exc:  # noqa: B036 - KeyboardInterrupt too: re-raised after the run
        try:
            if not isinstance(exc, Exception) and handler is not None and handler.state.interrupt is None:
                handler.state.interrupt = exc
            text = str(exc)
            message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
            _lib.lib.carteira_automation_call_set_error(
                call_p, message.replace("\0", " ").encode("utf-8", "replace"))
        except BaseException:  # noqa: B036
            pass
        if isinstance(exc, Error) and 0 < exc.code <= 16:
            return exc.code
        return _lib.INTERNAL


def _on_transition(user_data, event_p, call_p):
    def make(state):
        e = event_p.contents
        return StatusChange(
            customer_id=_decode(e.customer_id), from_status=Lifecycle(getattr(e, "from")),
            to_status=Lifecycle(e.to), date=days_to_date(e.date), rule=e.rule, customer_index=e.customer)
    return _dispatch(user_data, call_p, make, lambda h: h.on_transition)


def _on_new_task(user_data, task_p, call_p):
    def make(state):
        t = task_p.contents
        if state.rep_ids is None:
            state.rep_ids = _rep_ids(state.portfolio)
        return AgendaTask(
            key=_decode(t.key), customer_id=state.portfolio.customer_ids([t.customer])[0],
            rep_id=state.rep_ids[t.rep], type=TASK_TYPES[t.type], due=days_to_date(t.due),
            overdue=bool(t.overdue), priority=t.priority, reason=_decode(t.reason), customer_index=t.customer)
    return _dispatch(user_data, call_p, make, lambda h: h.on_new_task)


def _on_tier_change(user_data, change_p, call_p):
    def make(state):
        c = change_p.contents
        return TierChange(
            customer_id=_decode(c.customer_id),
            from_tier=c.from_name.decode("utf-8") if c.from_name else None,
            to_tier=c.to_name.decode("utf-8") if c.to_name else None,
            from_date=days_to_date(getattr(c, "from")), to_date=days_to_date(c.to), spend=c.spend,
            customer_index=c.customer)
    return _dispatch(user_data, call_p, make, lambda h: h.on_tier_change)


def _destroy(user_data):
    try:
        _HANDLERS.pop(user_data, None)
    except BaseException:  # noqa: B036 - at interpreter shutdown _HANDLERS may be gone
        pass


# The C function pointers of every Python handler's vtable. They live as long
# as this module, and each automation holds them too (for interpreter shutdown).
_ON_TRANSITION = _lib.ON_TRANSITION(_on_transition)
_ON_NEW_TASK = _lib.ON_NEW_TASK(_on_new_task)
_ON_TIER_CHANGE = _lib.ON_TIER_CHANGE(_on_tier_change)
_DESTROY = _lib.HANDLER_DESTROY(_destroy)


class Automation(NativeObject):
    """Handlers called for what changed between two days (carteira_automation;
    docs/actions.md).

    add_handler() registers Python callables per event kind; run() finds the
    events and calls them in the documented order: every status transition
    in (from, to] by date then customer id, then every agenda task on `to`
    whose key is not known, in agenda order, then (with a ledger) every tier
    change by customer id; each event goes to every handler that takes its
    kind, in registration order. An exception in a handler is not raised: it
    is listed in the report's failures and the other calls still run (a
    KeyboardInterrupt is re-raised once the run is over).

    Runs of one automation are serialised by a lock.
    """

    _name = "carteira.Automation"
    _destroy = "carteira_automation_destroy"

    def __init__(self):
        self._ptr = None
        out = _lib.automation_p()
        _lib._check(_lib.lib.carteira_automation_create(ctypes.byref(out)))
        self._ptr = out
        self._handlers: list[str] = []
        self._state = _RunState()
        self._lock = threading.RLock()
        self._callbacks = (_ON_TRANSITION, _ON_NEW_TASK, _ON_TIER_CHANGE, _DESTROY)

    def _free(self, ptr) -> None:
        # The library then releases every Python handler (their destroy callbacks).
        with self._lock:
            super()._free(ptr)

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.Automation closed>"
        return f"<carteira.Automation handlers {self._handlers}>"

    @property
    def handlers(self) -> tuple[str, ...]:
        """The names of the handlers added, in order."""
        return tuple(self._handlers)

    def add_handler(self, name: str, *, on_transition=None, on_new_task=None,
                    on_tier_change=None) -> "Automation":
        """Registers a handler: each callable given receives the events of its
        kind (a StatusChange, an AgendaTask, a TierChange); the kinds not given
        are not sent to it. `name` names it in the report. Returns the
        automation, for chaining."""
        funcs = {"on_transition": on_transition, "on_new_task": on_new_task, "on_tier_change": on_tier_change}
        for what, f in funcs.items():
            if f is not None and not callable(f):
                raise TypeError(f"{what}: expected a callable, got {type(f).__name__}")
        if all(f is None for f in funcs.values()):
            raise ValueError("add_handler needs at least one of on_transition, on_new_task, on_tier_change")
        name_b = _text(name, "name")
        handle = self._handle
        key = next(_KEYS)
        _HANDLERS[key] = _Handler(name, on_transition, on_new_task, on_tier_change, self._state)
        vtable = _lib.AutomationVtable(destroy=_DESTROY)
        if on_transition is not None:
            vtable.on_transition = _ON_TRANSITION
        if on_new_task is not None:
            vtable.on_new_task = _ON_NEW_TASK
        if on_tier_change is not None:
            vtable.on_tier_change = _ON_TIER_CHANGE
        with self._lock:
            status = _lib.lib.carteira_automation_add_handler(handle, name_b, ctypes.byref(vtable), key)
        # On failure the library has called destroy already: the entry is gone.
        _lib._check(status)
        self._handlers.append(name)
        return self

    def run(self, engine: StatusEngine, from_, to, *, ledger: LoyaltyLedger | None = None,
            known_task_keys=(), **agenda_options) -> AutomationReport:
        """Finds the events in (from_, to] on the engine's portfolio and calls
        the handlers. `ledger` (of the same portfolio) adds tier changes;
        known_task_keys are the keys of the tasks the host already has (any
        iterable of str, e.g. a previous agenda's "key" column);
        agenda_options are build_agenda's (the agenda is as of `to`).
        Raises only for bad input, before any handler is called."""
        if not isinstance(engine, StatusEngine):
            raise TypeError(f"engine: expected a carteira.StatusEngine, got {type(engine).__name__}")
        if ledger is not None and not isinstance(ledger, LoyaltyLedger):
            raise TypeError(f"ledger: expected a carteira.LoyaltyLedger, got {type(ledger).__name__}")
        start, end = _day(from_, "from_"), _day(to, "to")
        opts, keep = _agenda_options(**agenda_options)
        keys = [_text(str(k), "known_task_keys") for k in known_task_keys]
        keys_array = (ctypes.c_char_p * max(len(keys), 1))(*keys)
        handle = self._handle
        engine_handle = engine._handle
        ledger_handle = ledger._handle if ledger is not None else None
        out = _lib.automation_report_p()
        state = self._state
        with self._lock, engine._lock:
            state.portfolio, state.rep_ids, state.interrupt = engine.portfolio, None, None
            try:
                status = _lib.lib.carteira_automation_run(
                    handle, engine_handle, ledger_handle, start, end, keys_array, len(keys), ctypes.byref(opts),
                    ctypes.byref(out))
                error = _lib.error_from_status(status) if status != _lib.OK else None
            finally:
                interrupt, state.portfolio, state.rep_ids, state.interrupt = state.interrupt, None, None, None
        del keep
        if error is not None:
            raise error
        try:
            report = self._report(out)
        finally:
            _lib.lib.carteira_automation_report_destroy(out)
        if interrupt is not None:
            raise interrupt
        return report

    @staticmethod
    def _report(out) -> AutomationReport:
        counts = _lib.AutomationCounts()
        _lib._check(_lib.lib.carteira_automation_report_counts(out, ctypes.byref(counts)))
        failures = []
        f = _lib.AutomationFailure()
        for i in range(counts.failures):
            _lib._check(_lib.lib.carteira_automation_report_failure(out, i, ctypes.byref(f)))
            failures.append(AutomationFailure(kind=_EVENT_KINDS[f.kind], customer_id=_decode(f.customer_id),
                                              handler=_decode(f.handler), message=_decode(f.message)))
        return AutomationReport(
            from_date=days_to_date(getattr(counts, "from")), to_date=days_to_date(counts.to),
            transitions=counts.transitions, new_tasks=counts.new_tasks, tier_changes=counts.tier_changes,
            calls=counts.calls, delivered=counts.delivered, failures=tuple(failures))
