"""Redistribution plans: pipelines of policies (giro, assignment, rebalance,
handover and plugin policies written in Python), the plans they build, and
applying or undoing them (carteira.h, "Redistribution plans";
docs/redistribution.md).

::

    with carteira.StatusEngine(portfolio) as engine, \\
            carteira.PlanPipeline.from_json({"policies": [{"policy": "rotate_at_risk"}]}) as giro:
        table = engine.classify("2026-10-31")
        with carteira.Plan.build(portfolio, table, giro) as plan:   # or portfolio.plan(table, giro)
            plan.moves()            # customer_id, from, to, policy, reason, explanation, effective, until
            plan.rep_figures(after=True)
            plan.apply()            # writes the moves into the assignment history

A plan is a dry run until applied. Ids are strings, dates datetime.date (or
datetime64[D] / NaT in frames), money int64 minor units, as elsewhere in the
package. Results are pandas DataFrames when pandas is importable, dicts of
numpy arrays otherwise (or with as_frame=False).

Handles (PlanPipeline, Plan) are freed by close(), their context manager,
or when collected. A plan keeps a reference to its portfolio (the library
reads the portfolio's ids through it); once the portfolio is closed, the
plan's calls that read it raise ValueError.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime
import itertools
import json
import math
import os
import threading
from typing import NamedTuple

import numpy as np

from . import _lib
from ._native import NativeObject
from .dates import date_to_days, days_to_date, from_days
from .errors import Error
from .status import Lifecycle, StatusTable, _int32, _text

try:  # pandas is optional: without it results are dicts of numpy arrays
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised only where pandas is absent
    _pd = None

__all__ = [
    "PlanPipeline",
    "PlanState",
    "PlanCustomer",
    "PlanRep",
    "Plan",
    "Fairness",
    "MOVE_COLUMNS",
    "UNPLACED_COLUMNS",
    "REP_FIGURES_COLUMNS",
]

MOVE_COLUMNS = ("customer_id", "from", "to", "policy", "reason", "explanation", "effective", "until")
UNPLACED_COLUMNS = ("customer_id", "stays_with", "policy", "constraint", "explanation")
REP_FIGURES_COLUMNS = ("customers", "load", "at_risk", "at_risk_value")


def _decode(raw) -> str:
    return raw.decode("utf-8") if raw else ""


def _json_bytes(text, what: str) -> bytes:
    """JSON given as str, UTF-8 bytes or a dict (serialised with json.dumps)."""
    if isinstance(text, dict):
        text = json.dumps(text)
    if isinstance(text, str):
        data = text.encode("utf-8")
    elif isinstance(text, (bytes, bytearray)):
        data = bytes(text)
    else:
        raise TypeError(f"{what}: expected str, bytes or dict, got {type(text).__name__}")
    if b"\0" in data:
        raise ValueError(f"{what} contains a NUL character")
    return data


def _rep_ids(portfolio) -> list[str]:
    """Every rep's id, by rep index (callers cache the list)."""
    return portfolio.rep_ids(range(portfolio.counts()["reps"]))


def _customer_index(portfolio, customer) -> int:
    """A customer argument: its index (int) or its id (str)."""
    if isinstance(customer, str):
        return portfolio.find_customer(customer)
    if isinstance(customer, (bool, np.bool_)) or not isinstance(customer, (int, np.integer)):
        raise TypeError(f"customer: expected an index (int) or an id (str), got {type(customer).__name__}")
    if not 0 <= customer < 2**32:
        raise OverflowError(f"customer: {customer} is not a uint32 index")
    return int(customer)


def _rep_index(portfolio, rep) -> int:
    """A rep argument: its index (int) or its id (str)."""
    if isinstance(rep, str):
        return portfolio.find_rep(rep)
    return _int32(rep, "rep")


# ---- plugin policies -------------------------------------------------------------------


class PlanCustomer(NamedTuple):
    """One customer as a plugin policy sees it (after the earlier policies' moves)."""

    holder: int  # rep index; -1 = none
    status: Lifecycle  # on the plan's date
    locked: bool  # key account or pinned: never moves
    moved: bool  # an earlier policy moved it
    days_since_last: int  # -1 without a purchase
    holder_last_touch: datetime.date | None  # the holder's last sale or contact
    value: int  # net revenue in the value window, minor units
    weight: int  # load weight


class PlanRep(NamedTuple):
    """A rep's book as a plugin policy sees it."""

    customers: int
    load: int
    available: bool  # active and not away on the plan's date


class _CallState:
    """Per pipeline, during one build: the portfolio planned on, its rep ids
    (looked up once, when a policy asks), and the first Python exception a
    policy raised."""

    __slots__ = ("portfolio", "rep_ids", "error")

    def __init__(self):
        self.portfolio = None
        self.rep_ids = None
        self.error = None


class PlanState:
    """What a plugin policy sees and changes, handed to its function; valid
    only during that call (afterwards every method raises ValueError).

    Customers and reps are given by index (int) or id (str). A refused move
    (a locked or already moved customer, or its own rep) raises
    FailedPreconditionError; an index out of range OutOfRangeError.
    """

    __slots__ = ("_ptr", "_call")

    def __init__(self, ptr, call: _CallState):
        self._ptr = ptr
        self._call = call

    @property
    def _handle(self):
        if self._ptr is None:
            raise ValueError("a PlanState is valid only during its policy's run")
        return self._ptr

    @property
    def portfolio(self):
        """The portfolio being planned (read-only during the run)."""
        self._handle
        return self._call.portfolio

    @property
    def as_of(self) -> datetime.date:
        """The plan's date."""
        out = ctypes.c_int32()
        _lib._check(_lib.lib.carteira_plan_state_as_of(self._handle, ctypes.byref(out)))
        return days_to_date(out.value)

    @property
    def customer_count(self) -> int:
        """Customers of the portfolio: indices run from 0 to customer_count - 1."""
        self._handle
        return self._call.portfolio.counts()["customers"]

    @property
    def rep_count(self) -> int:
        """Reps of the portfolio: indices run from 0 to rep_count - 1."""
        self._handle
        return self._call.portfolio.counts()["reps"]

    def customer(self, customer) -> PlanCustomer:
        """A customer (index or id) as the policy sees it now."""
        handle = self._handle
        index = _customer_index(self._call.portfolio, customer)
        out = _lib.PlanCustomer()
        _lib._check(_lib.lib.carteira_plan_state_customer(handle, index, ctypes.byref(out)))
        return PlanCustomer(
            holder=out.holder,
            status=Lifecycle(out.status),
            locked=bool(out.locked),
            moved=bool(out.moved),
            days_since_last=out.days_since_last,
            holder_last_touch=days_to_date(out.holder_last_touch),
            value=out.value,
            weight=out.weight,
        )

    def rep(self, rep) -> PlanRep:
        """A rep's (index or id) book now and whether it is available."""
        handle = self._handle
        index = _rep_index(self._call.portfolio, rep)
        customers, load, available = ctypes.c_int64(), ctypes.c_int64(), ctypes.c_int32()
        _lib._check(_lib.lib.carteira_plan_state_rep(
            handle, index, ctypes.byref(customers), ctypes.byref(load), ctypes.byref(available)))
        return PlanRep(customers.value, load.value, bool(available.value))

    def rep_id(self, rep: int) -> str | None:
        """The id of the rep with index `rep` (None for -1, no rep); the ids are
        looked up once per build, when first asked."""
        self._handle
        call = self._call
        if call.rep_ids is None:
            call.rep_ids = _rep_ids(call.portfolio)
        rep = _int32(rep, "rep")
        return call.rep_ids[rep] if rep >= 0 else None

    def customer_id(self, customer: int) -> str:
        """The id of the customer with index `customer`."""
        self._handle
        return self._call.portfolio.customer_ids([customer])[0]

    def move(self, customer, to_rep, reason: str = "", explanation: str = "") -> None:
        """Moves a customer (index or id) to a rep (index or id); the move
        carries this policy's name, `reason` (a short code) and `explanation`."""
        handle = self._handle
        portfolio = self._call.portfolio
        c, r = _customer_index(portfolio, customer), _rep_index(portfolio, to_rep)
        _lib._check(_lib.lib.carteira_plan_state_move(
            handle, c, r, _text(reason, "reason"), _text(explanation, "explanation")))

    def unplace(self, customer, constraint: str, explanation: str = "") -> None:
        """Records that the policy could not place a customer (index or id), and
        why: `constraint` (a short code such as "capacity") and `explanation`."""
        handle = self._handle
        c = _customer_index(self._call.portfolio, customer)
        _lib._check(_lib.lib.carteira_plan_state_unplace(
            handle, c, _text(constraint, "constraint"), _text(explanation, "explanation")))


class _Policy:
    __slots__ = ("name", "func", "call")

    def __init__(self, name, func, call):
        self.name, self.func, self.call = name, func, call


# The registered Python policies by key; the key is the policy's user_data. An
# entry leaves when the library calls the vtable's destroy (exactly once: when
# the pipeline is destroyed, or when add_policy fails).
_POLICIES: dict[int, _Policy] = {}
_KEYS = itertools.count(1)


def _run(user_data, portfolio_p, state_p):
    # Nothing may propagate into C: every exception becomes an error code with
    # its text, which the library reports naming the policy.
    policy = None
    try:
        policy = _POLICIES[user_data]
        state = PlanState(state_p, policy.call)
        try:
            policy.func(state)
        finally:
            state._ptr = None
        return _lib.OK
    except BaseException as exc:  # noqa: B036 - KeyboardInterrupt too: re-raised after the build
        try:
            if policy is not None and policy.call.error is None:
                policy.call.error = exc
            text = str(exc)
            message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
            _lib.lib.carteira_plan_state_set_error(
                state_p, message.replace("\0", " ").encode("utf-8", "replace"))
        except BaseException:  # noqa: B036
            pass
        # A carteira error keeps its code (a refused move fails the plan as
        # FailedPreconditionError); anything else is an internal error.
        if isinstance(exc, Error) and 0 < exc.code <= 16:
            return exc.code
        return _lib.INTERNAL


def _destroy(user_data):
    try:
        _POLICIES.pop(user_data, None)
    except BaseException:  # noqa: B036 - at interpreter shutdown _POLICIES may be gone
        pass


# The C function pointers of every Python policy's vtable. They live as long
# as this module, and each pipeline holds them too (for interpreter shutdown).
_RUN = _lib.POLICY_RUN(_run)
_DESTROY = _lib.POLICY_DESTROY(_destroy)


# ---- pipeline --------------------------------------------------------------------------


class PlanPipeline(NativeObject):
    """The policies a plan runs, in order (carteira_plan_pipeline).

    PlanPipeline() is empty (add plugin policies to it); from_json() and
    from_file() read the policy file (docs/redistribution.md), whose errors
    raise InvalidArgumentError naming the policy's position and the key
    ("policy: policies[0] (rebalance).tolerancia: is not a known key ...").
    add_policy() appends a policy written in Python after them.

    Builds with one pipeline are serialised by a lock (Python policies are
    not reentrant across threads).
    """

    _name = "carteira.PlanPipeline"
    _destroy = "carteira_plan_pipeline_destroy"

    def __init__(self):
        """An empty pipeline (no policies yet)."""
        self._ptr = None
        self._setup(self._create(_lib.lib.carteira_plan_pipeline_create))

    def _setup(self, handle) -> None:
        self._ptr = handle
        self._plugins: list[str] = []
        self._call = _CallState()
        self._lock = threading.RLock()
        self._callbacks = (_RUN, _DESTROY)

    @staticmethod
    def _create(call):
        handle = _lib.plan_pipeline_p()
        _lib._check(call(ctypes.byref(handle)))
        return handle

    @classmethod
    def _adopt(cls, call) -> "PlanPipeline":
        pipeline = cls.__new__(cls)
        pipeline._ptr = None
        pipeline._setup(cls._create(call))
        return pipeline

    @classmethod
    def from_json(cls, text) -> "PlanPipeline":
        """The policy file's JSON: str, UTF-8 bytes, or a dict."""
        data = _json_bytes(text, "the policy JSON")
        return cls._adopt(lambda out: _lib.lib.carteira_plan_pipeline_from_json(data, out))

    @classmethod
    def from_file(cls, path) -> "PlanPipeline":
        """Reads a policy file; errors name the file, the policy and the key."""
        path_b = os.fsencode(path)
        return cls._adopt(lambda out: _lib.lib.carteira_plan_pipeline_from_file(path_b, out))

    def _free(self, ptr) -> None:
        # The library then releases every Python policy (their destroy callbacks).
        with self._lock:
            super()._free(ptr)

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.PlanPipeline closed>"
        plugins = f" plugins {self._plugins}" if self._plugins else ""
        return f"<carteira.PlanPipeline{plugins}>"

    @property
    def plugins(self) -> tuple[str, ...]:
        """The names of the Python policies added, in order."""
        return tuple(self._plugins)

    def add_policy(self, name: str, func) -> "PlanPipeline":
        """Appends a plugin policy: ``func(state)`` runs once per build, after
        the policies before it, and proposes moves through ``state.move`` /
        ``state.unplace`` (state: a PlanState). Its moves carry `name` as
        their policy. An exception in func fails the build with an error
        naming the policy ("policy mine: ValueError: ..."), chained to the
        original exception. The pipeline holds func until it is closed.
        Returns the pipeline, for chaining."""
        if not callable(func):
            raise TypeError(f"func: expected a callable, got {type(func).__name__}")
        name_b = _text(name, "name")
        handle = self._handle
        key = next(_KEYS)
        _POLICIES[key] = _Policy(name, func, self._call)
        vtable = _lib.PolicyVtable(run=_RUN, destroy=_DESTROY)
        with self._lock:
            status = _lib.lib.carteira_plan_pipeline_add_policy(handle, name_b, ctypes.byref(vtable), key)
        # On failure the library has called destroy already: the entry is gone.
        _lib._check(status)
        self._plugins.append(name)
        return self

    def _build(self, portfolio, table) -> ctypes._Pointer:
        """Runs carteira_plan_build; raises its error, chained to the Python
        exception a policy raised (re-raised itself when it is not an
        Exception, e.g. KeyboardInterrupt)."""
        handle = self._handle
        out = _lib.plan_p()
        call = self._call
        with self._lock:
            call.error, call.portfolio, call.rep_ids = None, portfolio, None
            try:
                status = _lib.lib.carteira_plan_build(portfolio._handle, table._handle, handle,
                                                      ctypes.byref(out))
                error = _lib.error_from_status(status) if status != _lib.OK else None
            finally:
                cause, call.error, call.portfolio, call.rep_ids = call.error, None, None, None
        if error is None:
            return out
        if cause is not None and not isinstance(cause, Exception):
            raise cause
        if cause is not None:
            raise error from cause
        raise error


# ---- plan --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Fairness:
    """Fairness over the available reps' loads (before or after a plan)."""

    reps: int
    min_load: int
    max_load: int
    max_min_ratio: float | None  # None when min_load is 0
    gini: float  # 0 when all loads are equal


class Plan(NativeObject):
    """A redistribution plan (carteira_plan): the moves, the customers a
    policy could not place, the regions it could not solve, each rep's
    figures before and after, and fairness. Made by Plan.build (or
    Portfolio.plan), Plan.from_json, or Plan.inverse; a dry run until
    apply().

    A plan made with build has figures; one read with from_json has only its
    id, date and moves (rep_figures is then empty).
    """

    _name = "carteira.Plan"
    _destroy = "carteira_plan_destroy"

    def __init__(self):
        raise TypeError("Plan objects come from Plan.build, Plan.from_json, Portfolio.plan or Plan.inverse")

    @classmethod
    def _adopt(cls, handle, portfolio) -> "Plan":
        plan = cls.__new__(cls)
        plan._ptr = handle
        plan._portfolio = portfolio  # the C plan reads its ids: it must outlive the plan
        plan._rep_id_list = None
        info = _lib.PlanInfo()
        try:
            _lib._check(_lib.lib.carteira_plan_info_get(handle, ctypes.byref(info)))
        except BaseException:
            plan.close()
            raise
        plan._id = _decode(info.id)
        plan._as_of = info.as_of
        plan._counts = (info.move_count, info.unplaced_count, info.infeasible_count)
        plan._cursor = _decode(info.round_robin_cursor) or None
        return plan

    @classmethod
    def build(cls, portfolio, status: StatusTable, pipeline) -> "Plan":
        """Runs `pipeline` (a PlanPipeline, or the policy file's JSON as str or
        dict) on `portfolio` with its status table, which fixes the plan's
        date. FailedPreconditionError if the table was not made from this
        portfolio as it is now; a policy's error (a Python policy's
        exception chained) otherwise."""
        if not isinstance(status, StatusTable):
            raise TypeError(f"status: expected a carteira.StatusTable, got {type(status).__name__}")
        owned = None
        if not isinstance(pipeline, PlanPipeline):
            owned = pipeline = PlanPipeline.from_json(pipeline)
        try:
            handle = pipeline._build(portfolio, status)
        finally:
            if owned is not None:
                owned.close()
        return cls._adopt(handle, portfolio)

    @classmethod
    def from_json(cls, portfolio, text) -> "Plan":
        """Reads a plan written by to_json (str, bytes or dict), its ids
        resolved in `portfolio`; errors name the move and the field
        ("plan: moves[0].to: rep R99 is not in the portfolio")."""
        data = _json_bytes(text, "the plan JSON")
        out = _lib.plan_p()
        _lib._check(_lib.lib.carteira_plan_from_json(portfolio._handle, data, ctypes.byref(out)))
        return cls._adopt(out, portfolio)

    # ---- lifetime --------------------------------------------------------

    @property
    def portfolio(self):
        return self._portfolio

    def _portfolio_handle(self):
        handle = self._handle
        if self._portfolio.closed:
            raise ValueError("the portfolio of this carteira.Plan was closed")
        return handle

    def __repr__(self) -> str:
        if self.closed:
            return "<carteira.Plan closed>"
        moves, unplaced, infeasible = self._counts
        return (f"<carteira.Plan {self._id} as of {self.as_of}: {moves} moves, {unplaced} unplaced, "
                f"{infeasible} infeasible>")

    # ---- contents --------------------------------------------------------

    @property
    def id(self) -> str:
        """"plan-" and 16 hex digits: a hash of the date and the moves."""
        self._handle
        return self._id

    @property
    def as_of(self) -> datetime.date | None:
        self._handle
        return days_to_date(self._as_of)

    @property
    def round_robin_cursor(self) -> str | None:
        """The rep the next round robin starts after; None when none ran."""
        self._handle
        return self._cursor

    def __len__(self) -> int:
        """The number of moves."""
        self._handle
        return self._counts[0]

    def _rep_ids(self) -> np.ndarray:
        if self._rep_id_list is None:
            self._portfolio_handle()
            ids = _rep_ids(self._portfolio)
            self._rep_id_list = np.array(ids + [None], dtype=object)  # [-1] is "no rep"
        return self._rep_id_list

    def _customer_ids(self, indices) -> np.ndarray:
        ids = np.empty(len(indices), dtype=object)
        ids[:] = self._portfolio.customer_ids(np.asarray(indices, dtype=np.uint32))
        return ids

    @staticmethod
    def _result(data: dict, as_frame, index=None):
        if as_frame is None:
            as_frame = _pd is not None
        if not as_frame:
            return data
        if _pd is None:
            raise ImportError("as_frame=True needs pandas")
        return _pd.DataFrame(data, index=index)

    def moves(self, *, as_frame: bool | None = None):
        """The moves, in plan order: customer_id, from (None for a customer
        without a rep), to, policy, reason, explanation, effective and until
        (datetime64[D]; NaT unless the move is temporary)."""
        handle = self._portfolio_handle()
        n = self._counts[0]
        customer = np.empty(n, dtype=np.uint32)
        reps = np.empty((2, n), dtype=np.int64)
        days = np.empty((2, n), dtype=np.int64)
        text = {"policy": [], "reason": [], "explanation": []}
        move = _lib.PlanMove()
        for i in range(n):
            _lib._check(_lib.lib.carteira_plan_move_get(handle, i, ctypes.byref(move)))
            customer[i] = move.customer
            reps[0, i], reps[1, i] = getattr(move, "from"), move.to
            days[0, i], days[1, i] = move.effective, move.until
            for name in text:
                text[name].append(_decode(getattr(move, name)))
        rep_ids = self._rep_ids()
        data = {
            "customer_id": self._customer_ids(customer),
            "from": rep_ids[reps[0]],
            "to": rep_ids[reps[1]],
        }
        for name, values in text.items():
            data[name] = np.array(values, dtype=object)
        data["effective"] = from_days(days[0])
        data["until"] = from_days(days[1])
        return self._result(data, as_frame)

    def unplaced(self, *, as_frame: bool | None = None):
        """The customers a policy wanted to place or move and could not:
        customer_id, stays_with (None: no rep), policy, constraint (locked,
        territory, segment, cooldown, move_limit, capacity, no_rep, or a
        plugin's code) and explanation."""
        handle = self._portfolio_handle()
        n = self._counts[1]
        customer = np.empty(n, dtype=np.uint32)
        holder = np.empty(n, dtype=np.int64)
        text = {"policy": [], "constraint": [], "explanation": []}
        entry = _lib.PlanUnplaced()
        for i in range(n):
            _lib._check(_lib.lib.carteira_plan_unplaced_get(handle, i, ctypes.byref(entry)))
            customer[i], holder[i] = entry.customer, entry.holder
            for name in text:
                text[name].append(_decode(getattr(entry, name)))
        data = {"customer_id": self._customer_ids(customer), "stays_with": self._rep_ids()[holder]}
        for name, values in text.items():
            data[name] = np.array(values, dtype=object)
        return self._result(data, as_frame)

    def infeasible(self) -> list[str]:
        """The regions a policy could not solve at all, in words with the numbers."""
        handle = self._handle
        out = []
        text = ctypes.c_char_p()
        for i in range(self._counts[2]):
            _lib._check(_lib.lib.carteira_plan_infeasible_get(handle, i, ctypes.byref(text)))
            out.append(_decode(text.value))
        return out

    def rep_figures(self, after: bool = True, *, as_frame: bool | None = None):
        """Every rep's figures after (or, with after=False, before) the plan,
        indexed by rep_id: customers, load, at_risk, at_risk_value (int64
        minor units). Empty for a plan read from JSON (it has no figures).
        Without pandas, a dict of numpy arrays with a rep_id array."""
        handle = self._portfolio_handle()
        rep_ids = self._rep_ids()[:-1]
        rows = []
        figures = _lib.RepFigures()
        for r in range(len(rep_ids)):
            status = _lib.lib.carteira_plan_rep_figures(handle, 1 if after else 0, r, ctypes.byref(figures))
            if status == _lib.OUT_OF_RANGE:
                break  # reps added after the plan was made, or a plan without figures
            _lib._check(status)
            rows.append([getattr(figures, name) for name in REP_FIGURES_COLUMNS])
        values = np.array(rows, dtype=np.int64).reshape(len(rows), len(REP_FIGURES_COLUMNS))
        ids = np.array(rep_ids[:len(rows)], dtype=object)
        data = {name: values[:, k] for k, name in enumerate(REP_FIGURES_COLUMNS)}
        if as_frame is None:
            as_frame = _pd is not None
        if not as_frame:
            return {"rep_id": ids, **data}
        return self._result(data, True, index=_pd.Index(ids, name="rep_id", dtype=object))

    def fairness(self, after: bool = True) -> Fairness:
        """Fairness over the available reps' loads after (or before) the plan."""
        out = _lib.Fairness()
        _lib._check(_lib.lib.carteira_plan_fairness(self._handle, 1 if after else 0, ctypes.byref(out)))
        ratio = out.max_min_ratio
        return Fairness(reps=out.reps, min_load=out.min_load, max_load=out.max_load,
                        max_min_ratio=None if math.isnan(ratio) else ratio, gini=out.gini)

    def to_json(self) -> str:
        """The plan as JSON (docs/redistribution.md), byte for byte the CLI's."""
        out = ctypes.c_char_p()
        _lib._check(_lib.lib.carteira_plan_to_json(self._portfolio_handle(), ctypes.byref(out)))
        return out.value.decode("utf-8")

    def to_dict(self) -> dict:
        """to_json(), parsed."""
        return json.loads(self.to_json())

    # ---- applying ---------------------------------------------------------

    def apply(self, portfolio=None) -> None:
        """Writes the moves into the assignment history of the plan's
        portfolio (`portfolio`, when given, must be it), all or nothing.
        FailedPreconditionError naming the customer when a move no longer
        starts from the customer's rep (a stale plan: applied already, or
        the assignments changed since)."""
        handle = self._portfolio_handle()
        target = self._portfolio if portfolio is None else portfolio
        _lib._check(_lib.lib.carteira_plan_apply(target._handle, handle))

    def inverse(self, effective) -> "Plan":
        """The plan that moves every customer back on `effective` (a date);
        customers that had no rep before are listed as unplaced instead."""
        day = _int32(date_to_days(effective), "effective")
        out = _lib.plan_p()
        _lib._check(_lib.lib.carteira_plan_inverse(self._portfolio_handle(), day, ctypes.byref(out)))
        return Plan._adopt(out, self._portfolio)
