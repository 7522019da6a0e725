"""KPIs over a period, the cohort matrix and the rep dashboard (docs/kpi.md).

Column names are those of ``carteira kpi --format json`` and ``carteira
reps``. Amounts are int64 minor units (centavos). A ratio without a
denominator is undefined: None in dicts, NaN in frames and arrays (a
money figure without a value, average_ticket or revenue_per_customer, is
then <NA> in a nullable Int64 column and NaN in a numpy float column).
"""

from __future__ import annotations

import ctypes
import math

import numpy as np

from . import _lib
from ._arrays import pointer
from .dates import date_to_days, days_to_date, from_days

try:
    import pandas as _pd
except ImportError:  # pandas is optional
    _pd = None

__all__ = ["KPI_COLUMNS", "KpiReport", "kpi_report", "rep_dashboard", "expected_lifetime_days"]

_BY = {None: _lib.KPI_BY_NONE, "rep": _lib.KPI_BY_REP, "segment": _lib.KPI_BY_SEGMENT,
       "region": _lib.KPI_BY_REGION}
# The C field new_customers is "new" in the JSON.
_JSON_NAME = {"new_customers": "new"}
_MONEY = {"average_ticket", "revenue_per_customer"}
KPI_COLUMNS = tuple(_JSON_NAME.get(name, name) for name, _ in _lib.KPI_VALUE_FIELDS)


def _decode(raw) -> str:
    return raw.decode("utf-8") if raw else ""


def _values(v) -> dict:
    """A carteira_kpi_values as {json name: value}, None where undefined."""
    out = {}
    for name, ctype in _lib.KPI_VALUE_FIELDS:
        value = getattr(v, name)
        if name in _MONEY:
            value = None if value == _lib.NO_MONEY else value
        elif ctype is ctypes.c_double and math.isnan(value):
            value = None
        out[_JSON_NAME.get(name, name)] = value
    return out


def _frame(rows: list[dict], index, index_name: str, as_frame):
    columns = {}
    for field, ctype in _lib.KPI_VALUE_FIELDS:
        name = _JSON_NAME.get(field, field)
        values = [r[name] for r in rows]
        if ctype is ctypes.c_double or field in _MONEY:
            columns[name] = np.array([np.nan if x is None else x for x in values], dtype=np.float64)
        else:
            columns[name] = np.array(values, dtype=np.int64)
    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        columns[index_name] = np.array(index, dtype=object)
        return columns
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    frame = _pd.DataFrame(columns, index=_pd.Index(index, name=index_name, dtype=object))
    for name in _MONEY:
        frame[name] = frame[name].astype("Int64")  # exact minor units, <NA> where undefined
    return frame


class KpiReport:
    """What carteira_kpi_compute returns, copied out of the library.

    overall: {KPI: value} (None where undefined); groups: a DataFrame indexed
    by the group (rep id, segment or region; None for the customers without
    one), None without `by`; cohorts: a DataFrame indexed by the cohort month
    with its size and the retention share in month +0, +1, ... (NaN past the
    period's end), None when the period is longer than 64 months;
    cohort_buyers: the buyer counts of the same cells (-1 past the end).
    """

    def __init__(self, frm, to, by, overall, groups, cohorts, cohort_buyers):
        self.from_, self.to, self.by = frm, to, by
        self.overall, self.groups = overall, groups
        self.cohorts, self.cohort_buyers = cohorts, cohort_buyers

    @property
    def frame(self):
        """The groups, or the overall row alone (index "overall") without `by`."""
        return self.groups if self.groups is not None else self._overall_frame

    def __repr__(self) -> str:
        by = f" by {self.by}" if self.by else ""
        return f"<carteira.KpiReport {self.from_} to {self.to}{by}>"


def kpi_report(portfolio, from_, to, by: str | None = None, *, active_window: int = 180,
               active_by_status: bool = False, policy=None, lifetime_model=None,
               as_frame: bool | None = None) -> KpiReport:
    """KPIs over [from_, to], overall and `by` "rep", "segment" or "region";
    "active" = a purchase within `active_window` days, or by the status
    engine (active_by_status, with `policy`, default the default policy);
    lifetime_model: a fitted Model for lifetime_model_days."""
    handle = portfolio._handle
    if by not in _BY:
        raise ValueError(f"by: use None, 'rep', 'segment' or 'region', got {by!r}")
    options = _lib.KpiOptions(to=date_to_days(to), by=_BY[by], active_window_days=int(active_window),
                              active_by_status=1 if active_by_status else 0)
    setattr(options, "from", date_to_days(from_))
    if policy is not None:
        options.policy = policy._handle
    if lifetime_model is not None:
        options.lifetime_model = lifetime_model._handle
    result = _lib.kpi_p()
    _lib._check(_lib.lib.carteira_kpi_compute(handle, ctypes.byref(options), ctypes.byref(result)))
    lib = _lib.lib
    try:
        values = _lib.KpiValues()
        _lib._check(lib.carteira_kpi_overall(result, ctypes.byref(values)))
        overall = _values(values)
        count = ctypes.c_size_t()
        _lib._check(lib.carteira_kpi_group_count(result, ctypes.byref(count)))
        rows, index = [], []
        for i in range(count.value):
            _lib._check(lib.carteira_kpi_group(result, i, ctypes.byref(values)))
            rows.append(_values(values))
            index.append(None if values.unassigned else _decode(values.group))
        status = lib.carteira_kpi_cohort_count(result, ctypes.byref(count))
        cohorts = buyers = None
        if status == _lib.OK:
            n = count.value
            months = np.empty(n, dtype=np.int32)
            sizes = np.empty(n, dtype=np.int64)
            _lib._check(lib.carteira_kpi_cohort_months(
                result, pointer(months, ctypes.c_int32), pointer(sizes, ctypes.c_int64), n))
            buyers = np.empty((n, n), dtype=np.int64)
            retention = np.empty((n, n), dtype=np.float64)
            _lib._check(lib.carteira_kpi_cohort_matrix(
                result, pointer(buyers, ctypes.c_int64), pointer(retention, ctypes.c_double), n * n))
            cohorts = _cohort_frame(months, sizes, retention, as_frame)
        elif status != _lib.FAILED_PRECONDITION:
            raise _lib.error_from_status(status)
    finally:
        lib.carteira_kpi_destroy(result)
    groups = _frame(rows, index, by, as_frame) if by else None
    report = KpiReport(days_to_date(date_to_days(from_)), days_to_date(date_to_days(to)), by, overall,
                       groups, cohorts, buyers)
    report._overall_frame = _frame([overall], ["overall"], "group", as_frame)
    return report


def _cohort_frame(months, sizes, retention, as_frame):
    n = months.size
    data = {"size": sizes}
    for k in range(n):
        data[f"+{k}"] = retention[:, k].copy()
    index = from_days(months.astype(np.int64))
    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        data["month"] = index
        return data
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    return _pd.DataFrame(data, index=_pd.Index(index, name="month"))


_STATUS_FIELDS = ("prospect", "new", "active", "at_risk", "inactive", "lost", "reactivated")
# The columns of `carteira reps --format csv`.
DASHBOARD_COLUMNS = ("rep_id", "name", "book") + _STATUS_FIELDS + (
    "revenue", "buyers", "positivacao", "nps", "answers", "promoters", "passives", "detractors",
    "last_contact", "days_since_last_contact", "at_risk_value")


def rep_dashboard(portfolio, to, from_=None, *, policy=None, as_frame: bool | None = None):
    """One row per rep as of `to` (then the unassigned customers, rep_id
    None), with the columns of `carteira reps`: book, its statuses on `to`
    (prospect .. reactivated), revenue and buyers in [from_, to] (default the
    365 days to `to`), positivacao and nps (NaN when undefined), answers,
    last_contact (NaT without one), days_since_last_contact (NaN without
    one), at_risk_value; indexed by rep_index (-1 for the unassigned)."""
    handle = portfolio._handle
    options = _lib.RepDashboardOptions(to=date_to_days(to))
    setattr(options, "from", _lib.NO_DAY if from_ is None else date_to_days(from_))
    if policy is not None:
        options.policy = policy._handle
    result = _lib.rep_dashboard_p()
    _lib._check(_lib.lib.carteira_rep_dashboard_compute(handle, ctypes.byref(options), ctypes.byref(result)))
    lib = _lib.lib
    rows = []
    try:
        count = ctypes.c_size_t()
        _lib._check(lib.carteira_rep_dashboard_size(result, ctypes.byref(count)))
        row = _lib.RepDashboardRow()
        for i in range(count.value):
            _lib._check(lib.carteira_rep_dashboard_row_get(result, i, ctypes.byref(row)))
            rows.append({name: getattr(row, name) for name, _ in _lib.RepDashboardRow._fields_[1:]})
            rows[-1]["rep_id"] = None if row.rep_index < 0 else _decode(row.rep_id)
            rows[-1]["rep_name"] = None if row.rep_index < 0 else _decode(row.rep_name)
    finally:
        lib.carteira_rep_dashboard_destroy(result)
    data = {
        "rep_id": np.array([r["rep_id"] for r in rows], dtype=object),
        "name": np.array([r["rep_name"] for r in rows], dtype=object),
    }
    for name in ("book",) + tuple(f"status_{s}" for s in _STATUS_FIELDS) + (
            "revenue", "buyers", "answers", "promoters", "passives", "detractors", "at_risk_value"):
        data[name.removeprefix("status_")] = np.array([r[name] for r in rows], dtype=np.int64)
    data["positivacao"] = np.array([r["positivacao"] for r in rows], dtype=np.float64)
    data["nps"] = np.array([r["nps"] for r in rows], dtype=np.float64)
    data["last_contact"] = from_days(np.array([r["last_contact"] for r in rows], dtype=np.int64))
    data["days_since_last_contact"] = np.array(
        [np.nan if r["days_since_last_contact"] < 0 else r["days_since_last_contact"] for r in rows],
        dtype=np.float64)
    data = {name: data[name] for name in DASHBOARD_COLUMNS}
    index = np.array([r["rep_index"] for r in rows], dtype=np.int32)
    if as_frame is None:
        as_frame = _pd is not None
    if not as_frame:
        data["rep_index"] = index
        return data
    if _pd is None:
        raise ImportError("as_frame=True needs pandas")
    return _pd.DataFrame(data, index=_pd.Index(index, name="rep_index"))


def expected_lifetime_days(model) -> float:
    """The mean customer lifetime a fitted BG/NBD, MBG/NBD or Pareto/NBD
    implies, in days; inf when the mean is infinite for its parameters."""
    out = ctypes.c_double()
    status = _lib.lib.carteira_model_expected_lifetime_days(model._handle, ctypes.byref(out))
    if status == _lib.FAILED_PRECONDITION:
        return math.inf
    _lib._check(status)
    return out.value
