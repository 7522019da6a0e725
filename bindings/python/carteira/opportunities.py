"""Sales opportunities (docs/opportunities.md): what to offer each customer
(cross-sell from the categories bought together across the portfolio), when
(the next purchase window from the customer's own rhythm), the product mix
of a period, and the ideal customer profile.

Every function takes a Portfolio and returns pandas DataFrames (dicts of
numpy arrays with as_frame=False); day columns are datetime64[D] (NaT
without a value).

- cross_sell(p, as_of): one row per customer and rank: customer_id, rank,
  category, score, basis ("similarity" or "popularity"), because, together,
  confidence, lift, reason. attrs["note"] says why nothing could be
  suggested (no category at all, a single one), else "".
- next_purchase(p, as_of): one row per customer index: customer_id, basis
  ("no_purchase", "one_purchase", "rhythm"), last, expected, from, to.
- entering_window(p, as_of, week_start): ids of the customers whose window
  opens in the week.
- evaluate_cross_sell(p, cutoff, to, k): the honest holdout check.
- mix(p, from_, to, by=None): one row per group and category.
- icp(p, as_of): an Icp (profile frame, customers frame, info dict).
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import numpy as np

from . import _lib
from ._arrays import pointer
from .dates import date_to_days, days_to_date

try:
    import pandas as _pd
except ImportError:  # pandas is optional
    _pd = None

__all__ = ["cross_sell", "next_purchase", "entering_window", "evaluate_cross_sell", "CrossSellEvaluation",
           "mix", "icp", "Icp"]

_BASES = np.array(["no_purchase", "one_purchase", "rhythm"], dtype=object)


def _decode(raw) -> str:
    return raw.decode("utf-8") if raw else ""


def _frame(data, index, attrs, as_frame):
    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        data = dict(data)
        if index is not None:
            data[index[0]] = index[1]
        data["attrs"] = attrs
        return data
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    frame = _pd.DataFrame(data, index=None if index is None else _pd.Index(index[1], name=index[0]))
    frame.attrs.update(attrs)
    return frame


def _days(values) -> np.ndarray:
    """int32 days (CARTEIRA_NO_DAY for none) as datetime64[D] with NaT."""
    out = values.astype(np.int64).view("datetime64[D]").copy()
    out[values == _lib.NO_DAY] = np.datetime64("NaT")
    return out


def _compute(portfolio, as_of, top_k, max_gaps, min_pair_customers):
    options = _lib.OpportunitiesOptions(as_of=date_to_days(as_of), top_k=int(top_k), max_gaps=int(max_gaps),
                                        min_pair_customers=int(min_pair_customers))
    handle = _lib.opportunities_p()
    _lib._check(_lib.lib.carteira_opportunities_compute(portfolio._handle, ctypes.byref(options),
                                                        ctypes.byref(handle)))
    return handle


def cross_sell(portfolio, as_of, *, top_k: int = 3, min_pair_customers: int = 3, as_frame: bool | None = None):
    """The top_k next-best categories of every customer (see the module docstring)."""
    lib = _lib.lib
    handle = _compute(portfolio, as_of, top_k, 12, min_pair_customers)
    try:
        note = ctypes.c_char_p()
        _lib._check(lib.carteira_opportunities_note(handle, ctypes.byref(note)))
        note_text = _decode(note.value)  # the text lives as long as the handle
        count = ctypes.c_size_t()
        _lib._check(lib.carteira_opportunities_category_count(handle, ctypes.byref(count)))
        names = []
        name = ctypes.c_char_p()
        for k in range(count.value):
            _lib._check(lib.carteira_opportunities_category(handle, k, ctypes.byref(name)))
            names.append(_decode(name.value))
        rows = ctypes.c_size_t()
        _lib._check(lib.carteira_opportunities_suggestion_count(handle, ctypes.byref(rows)))
        n = rows.value

        def ints(column):
            out = np.empty(n, dtype=np.int64)
            if n:
                _lib._check(lib.carteira_opportunities_suggestion_int64(
                    handle, column, pointer(out, ctypes.c_int64), n))
            return out

        def reals(column):
            out = np.empty(n, dtype=np.float64)
            if n:
                _lib._check(lib.carteira_opportunities_suggestion_double(
                    handle, column, pointer(out, ctypes.c_double), n))
            return out

        customer = ints(_lib.SUGGESTION_CUSTOMER_INDEX).astype(np.uint32)
        rank = ints(_lib.SUGGESTION_RANK).astype(np.int32)
        category = ints(_lib.SUGGESTION_CATEGORY)
        basis = ints(_lib.SUGGESTION_BASIS)
        because = ints(_lib.SUGGESTION_BECAUSE)
        together = ints(_lib.SUGGESTION_TOGETHER)
        score = reals(_lib.SUGGESTION_SCORE)
        confidence = reals(_lib.SUGGESTION_CONFIDENCE)
        lift = reals(_lib.SUGGESTION_LIFT)
        needed = ctypes.c_size_t()
        offsets = np.zeros(n + 1, dtype=np.uint64)
        _lib._check(lib.carteira_opportunities_reasons(handle, 0, n, None, 0, pointer(offsets, ctypes.c_uint64),
                                                       ctypes.byref(needed)))
        buffer = ctypes.create_string_buffer(max(1, needed.value))
        _lib._check(lib.carteira_opportunities_reasons(handle, 0, n, buffer, needed.value, None,
                                                       ctypes.byref(needed)))
    finally:
        lib.carteira_opportunities_destroy(handle)
    raw = buffer.raw
    reasons = np.array([raw[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)], dtype=object)
    table = np.array(names + [None], dtype=object)  # -1 (no "because") reads the None at the end
    ids = np.empty(n, dtype=object)
    ids[:] = portfolio.customer_ids(customer)
    data = {
        "customer_id": ids,
        "rank": rank,
        "category": table[category] if n else np.empty(0, dtype=object),
        "score": score,
        "basis": np.where(basis == 0, "similarity", "popularity").astype(object),
        "because": table[because] if n else np.empty(0, dtype=object),
        "together": together,
        "confidence": confidence,
        "lift": lift,
        "reason": reasons,
    }
    return _frame(data, ("customer_index", customer), {"note": note_text, "top_k": top_k}, as_frame)


def _next_purchase_arrays(portfolio, as_of, max_gaps):
    lib = _lib.lib
    handle = _compute(portfolio, as_of, 1, max_gaps, 3)
    n = portfolio.counts()["customers"]
    arrays = [np.empty(n, dtype=np.int32) for _ in range(5)]
    try:
        _lib._check(lib.carteira_opportunities_next_purchase(
            handle, *(pointer(a, ctypes.c_int32) for a in arrays), n))
    finally:
        lib.carteira_opportunities_destroy(handle)
    return arrays


def next_purchase(portfolio, as_of, *, max_gaps: int = 12, as_frame: bool | None = None):
    """Each customer's expected next purchase and window (see the module docstring)."""
    basis, last, expected, from_, to = _next_purchase_arrays(portfolio, as_of, max_gaps)
    n = basis.size
    ids = np.empty(n, dtype=object)
    ids[:] = portfolio.customer_ids(np.arange(n, dtype=np.uint32))
    data = {"customer_id": ids, "basis": _BASES[basis] if n else np.empty(0, dtype=object),
            "last": _days(last), "expected": _days(expected), "from": _days(from_), "to": _days(to)}
    return _frame(data, ("customer_index", np.arange(n, dtype=np.uint32)), {"as_of": days_to_date(date_to_days(as_of))},
                  as_frame)


def entering_window(portfolio, as_of, week_start, *, max_gaps: int = 12) -> list[str]:
    """Ids of the customers whose purchase window opens in [week_start, week_start + 6]."""
    lib = _lib.lib
    handle = _compute(portfolio, as_of, 1, max_gaps, 3)
    try:
        start = date_to_days(week_start)
        count = ctypes.c_size_t()
        _lib._check(lib.carteira_opportunities_entering_window(handle, start, None, 0, ctypes.byref(count)))
        out = np.empty(count.value, dtype=np.uint32)
        if count.value:
            _lib._check(lib.carteira_opportunities_entering_window(
                handle, start, pointer(out, ctypes.c_uint32), out.size, ctypes.byref(count)))
    finally:
        lib.carteira_opportunities_destroy(handle)
    return portfolio.customer_ids(out) if out.size else []


class CrossSellEvaluation(NamedTuple):
    customers: int
    model_hits: int
    baseline_hits: int
    model_hit_rate: float
    baseline_hit_rate: float


def evaluate_cross_sell(portfolio, cutoff, to, k: int = 3, *, min_pair_customers: int = 3) -> CrossSellEvaluation:
    """The model built on the purchases up to cutoff, judged on the customers
    who bought a new category in (cutoff, to]: hit rate at k against the most
    popular categories."""
    e = _lib.CrossSellEvaluation()
    _lib._check(_lib.lib.carteira_cross_sell_evaluate(portfolio._handle, date_to_days(cutoff), date_to_days(to),
                                                      int(k), int(min_pair_customers), ctypes.byref(e)))
    return CrossSellEvaluation(e.customers, e.model_hits, e.baseline_hits, e.model_hit_rate, e.baseline_hit_rate)


_GROUPINGS = {None: _lib.MIX_NONE, "rep": _lib.MIX_BY_REP, "segment": _lib.MIX_BY_SEGMENT}


def mix(portfolio, from_, to, by: str | None = None, *, as_frame: bool | None = None):
    """The product mix of [from_, to]: one row per group (None for the whole
    portfolio, then each rep or segment; "(none)" for the customers without
    one) and category: customers, buyers, average_breadth (categories per
    buyer, NaN without buyers), category_buyers, share (of the group's
    buyers), revenue (int64 minor units). attrs["breadth"]: categories
    bought per customer index."""
    if by not in _GROUPINGS:
        raise ValueError(f"by: None, 'rep' or 'segment', got {by!r}")
    lib = _lib.lib
    handle = _lib.mix_p()
    _lib._check(lib.carteira_mix_compute(portfolio._handle, date_to_days(from_), date_to_days(to), _GROUPINGS[by],
                                         ctypes.byref(handle)))
    try:
        count = ctypes.c_size_t()
        _lib._check(lib.carteira_mix_category_count(handle, ctypes.byref(count)))
        k = count.value
        names = []
        name = ctypes.c_char_p()
        for i in range(k):
            _lib._check(lib.carteira_mix_category(handle, i, ctypes.byref(name)))
            names.append(_decode(name.value))
        _lib._check(lib.carteira_mix_group_count(handle, ctypes.byref(count)))
        columns = {c: [] for c in ("group", "category", "customers", "buyers", "average_breadth",
                                   "category_buyers", "share", "revenue")}
        g = _lib.MixGroup()
        buyers = np.empty(k, dtype=np.int64)
        revenue = np.empty(k, dtype=np.int64)
        for i in range(count.value):
            _lib._check(lib.carteira_mix_group_get(handle, i, ctypes.byref(g)))
            _lib._check(lib.carteira_mix_group_categories(handle, i, pointer(buyers, ctypes.c_int64),
                                                          pointer(revenue, ctypes.c_int64), k))
            label = None if i == 0 else "(none)" if g.unassigned else _decode(g.group)
            for s in range(k):
                columns["group"].append(label)
                columns["category"].append(names[s])
                columns["customers"].append(g.customers)
                columns["buyers"].append(g.buyers)
                columns["average_breadth"].append(g.average_breadth)
                columns["category_buyers"].append(int(buyers[s]))
                columns["share"].append(buyers[s] / g.buyers if g.buyers else float("nan"))
                columns["revenue"].append(int(revenue[s]))
        breadth = np.empty(portfolio.counts()["customers"], dtype=np.int32)
        _lib._check(lib.carteira_mix_breadth(handle, pointer(breadth, ctypes.c_int32), breadth.size))
    finally:
        lib.carteira_mix_destroy(handle)
    data = {c: np.array(v, dtype=object if c in ("group", "category") else None) for c, v in columns.items()}
    return _frame(data, None, {"breadth": breadth, "by": by}, as_frame)


class Icp(NamedTuple):
    profile: object    # attribute, value, customers, best, share_of_best, probability, lift
    customers: object  # per customer index: customer_id, score, best, revenue, drivers
    info: dict         # as_of, buyers, best, best_threshold, base_rate


def icp(portfolio, as_of, *, best_share: float = 0.2, smoothing: float = 10.0,
        as_frame: bool | None = None) -> Icp:
    """The ideal customer profile as of a date and every customer's closeness
    to it (score: the estimated chance of being a best customer; drivers: the
    profile values that raised it most, "segment atacado (lift 2.1); ...")."""
    lib = _lib.lib
    options = _lib.IcpOptions(as_of=date_to_days(as_of), best_share=float(best_share), smoothing=float(smoothing))
    handle = _lib.icp_p()
    _lib._check(lib.carteira_icp_compute(portfolio._handle, ctypes.byref(options), ctypes.byref(handle)))
    n = portfolio.counts()["customers"]
    try:
        info = _lib.IcpInfo()
        _lib._check(lib.carteira_icp_get_info(handle, ctypes.byref(info)))
        count = ctypes.c_size_t()
        _lib._check(lib.carteira_icp_profile_count(handle, ctypes.byref(count)))
        v = _lib.IcpValue()
        profile = {c: [] for c in ("attribute", "value", "customers", "best", "share_of_best", "probability",
                                   "lift")}
        for i in range(count.value):
            _lib._check(lib.carteira_icp_profile_get(handle, i, ctypes.byref(v)))
            for c in profile:
                value = getattr(v, c)
                profile[c].append(_decode(value) if isinstance(value, bytes) or value is None else value)
        score = np.empty(n, dtype=np.float64)
        best = np.empty(n, dtype=np.uint8)
        revenue = np.empty(n, dtype=np.int64)
        drivers = np.empty(3 * n, dtype=np.int32)
        _lib._check(lib.carteira_icp_scores(handle, pointer(score, ctypes.c_double), pointer(best, ctypes.c_uint8),
                                            pointer(revenue, ctypes.c_int64), pointer(drivers, ctypes.c_int32), n))
    finally:
        lib.carteira_icp_destroy(handle)
    labels = [f"{a} {val} (lift {lift:.1f})" for a, val, lift in
              zip(profile["attribute"], profile["value"], profile["lift"])]
    text = np.array(["; ".join(labels[d] for d in drivers[3 * c:3 * c + 3] if d >= 0) for c in range(n)],
                    dtype=object)
    ids = np.empty(n, dtype=object)
    ids[:] = portfolio.customer_ids(np.arange(n, dtype=np.uint32))
    info_dict = {"as_of": days_to_date(info.as_of), "buyers": info.buyers, "best": info.best,
                 "best_threshold": info.best_threshold, "base_rate": info.base_rate}
    profile_data = {c: np.array(v, dtype=object if c in ("attribute", "value") else None) for c, v in profile.items()}
    customers = {"customer_id": ids, "score": score, "best": best.astype(bool), "revenue": revenue, "drivers": text}
    return Icp(_frame(profile_data, None, info_dict, as_frame),
               _frame(customers, ("customer_index", np.arange(n, dtype=np.uint32)), info_dict, as_frame), info_dict)
