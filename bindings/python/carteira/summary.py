"""Per-customer summary (carteira_summary_compute, then _recompute) as a DataFrame
or numpy columns.

Each column is copied once, by the library, straight into a preallocated
numpy array; day columns are int64 arrays viewed as datetime64[D] (same
epoch, no copy).
"""

from __future__ import annotations

import ctypes

import numpy as np

from . import _lib
from ._arrays import pointer
from .dates import date_to_days

try:  # pandas is optional: without it the summary is a dict of numpy arrays
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised only where pandas is absent
    _pd = None

__all__ = ["COLUMNS", "compute_summary"]

_UNITS = {
    "days": _lib.DAYS, "day": _lib.DAYS,
    "weeks": _lib.WEEKS, "week": _lib.WEEKS,
    "months": _lib.MONTHS, "month": _lib.MONTHS,  # 365.25 / 12 days
}

# (name, carteira_summary_column, numpy dtype read, view as)
_SPEC = (
    ("first_purchase", _lib.SUMMARY_FIRST_PURCHASE, np.int64, "datetime64[D]"),
    ("last_purchase", _lib.SUMMARY_LAST_PURCHASE, np.int64, "datetime64[D]"),
    ("purchase_days", _lib.SUMMARY_PURCHASE_DAYS, np.int64, None),
    ("x", _lib.SUMMARY_X, np.int64, None),
    ("t_x", _lib.SUMMARY_T_X, np.float64, None),
    ("T", _lib.SUMMARY_T, np.float64, None),
    ("revenue", _lib.SUMMARY_REVENUE, np.int64, None),
    ("average_ticket", _lib.SUMMARY_AVERAGE_TICKET, np.int64, None),
    ("zbar", _lib.SUMMARY_ZBAR, np.float64, None),
    ("median_gap_days", _lib.SUMMARY_MEDIAN_GAP_DAYS, np.float64, None),
    ("days_since_last", _lib.SUMMARY_DAYS_SINCE_LAST, np.int64, None),
)

COLUMNS = ("customer_id",) + tuple(name for name, *_ in _SPEC)


def _read_column(handle, column: int, dtype, rows: int) -> np.ndarray:
    out = np.empty(rows, dtype=dtype)
    if dtype == np.float64:
        status = _lib.lib.carteira_summary_get_double(
            handle, column, pointer(out, ctypes.c_double), rows)
    else:
        status = _lib.lib.carteira_summary_get_int64(
            handle, column, pointer(out, ctypes.c_int64), rows)
    _lib._check(status)
    return out


def _native_summary(portfolio, options):
    """The portfolio's native summary, (re)computed with `options`.

    The portfolio keeps one and recomputes it in place; its as-of day is
    recorded in ``portfolio._summary_as_of`` (None while it holds no valid
    result), for StatusEngine.classify_summary.
    """
    handle = portfolio._summary_ptr
    portfolio._summary_as_of = None
    if handle is None:
        handle = _lib.summary_p()
        _lib._check(_lib.lib.carteira_summary_compute(
            portfolio._handle, ctypes.byref(options), ctypes.byref(handle)))
        portfolio._summary_ptr = handle
    else:
        _lib._check(_lib.lib.carteira_summary_recompute(
            handle, portfolio._handle, ctypes.byref(options)))
    portfolio._summary_as_of = options.as_of
    return handle


def summary_columns(portfolio, as_of, unit: str, names) -> dict:
    """Some columns of the summary as numpy arrays, without the customer ids
    (which cost more than the summary itself on large portfolios): for
    reductions that never name a customer (carteira.partitions)."""
    try:
        unit_code = _UNITS[unit]
    except (KeyError, TypeError):
        raise ValueError(f"unit: expected 'days', 'weeks' or 'months', got {unit!r}") from None
    as_of_day = date_to_days(as_of)
    if as_of_day == _lib.NO_DAY:
        raise ValueError("as_of is required")
    handle = _native_summary(portfolio, _lib.SummaryOptions(as_of=as_of_day, unit=unit_code))
    rows = ctypes.c_size_t()
    _lib._check(_lib.lib.carteira_summary_size(handle, ctypes.byref(rows)))
    spec = {name: (column, dtype) for name, column, dtype, _ in _SPEC}
    return {name: _read_column(handle, spec[name][0], spec[name][1], rows.value) for name in names}


def compute_summary(portfolio, as_of, unit: str = "days", as_frame: bool | None = None):
    """The summary of `portfolio` as of a date (see Portfolio.summary)."""
    try:
        unit_code = _UNITS[unit]
    except (KeyError, TypeError):
        raise ValueError(f"unit: expected 'days', 'weeks' or 'months', got {unit!r}") from None
    as_of_day = date_to_days(as_of)
    if as_of_day == _lib.NO_DAY:
        raise ValueError("as_of is required")
    options = _lib.SummaryOptions(as_of=as_of_day, unit=unit_code)

    # The portfolio keeps one native summary and recomputes it in place, so
    # repeated summaries reuse the library's memory (the fast path).
    handle = _native_summary(portfolio, options)
    rows = ctypes.c_size_t()
    _lib._check(_lib.lib.carteira_summary_size(handle, ctypes.byref(rows)))
    n = rows.value
    index = _read_column(handle, _lib.SUMMARY_CUSTOMER_INDEX, np.int64, n).astype(np.uint32)
    columns = {}
    for name, column, dtype, view in _SPEC:
        values = _read_column(handle, column, dtype, n)
        columns[name] = values.view(view) if view else values

    ids = np.empty(n, dtype=object)
    ids[:] = portfolio.customer_ids(index)
    result = {"customer_id": ids, **columns}

    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        result["customer_index"] = index
        return result
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    return _pd.DataFrame(result, index=_pd.Index(index, name="customer_index"), copy=False)
