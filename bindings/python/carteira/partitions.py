"""Carteira over a portfolio split by customer: what runs inside each
partition and how the partitions' results merge, with pandas only, for any
engine that hands a function all the rows of a set of customers (Dask,
carteira.dask; Spark's applyInPandas; a process pool). docs/dask.md.

A partition is a dict {entity: pandas DataFrame} holding every row of its
customers (layout below) plus, broadcast, the reps. build_portfolio makes
its native Portfolio; the *_frame functions and kpi_tallies / rfm_figures /
region_plan run the engines on it; the merge functions (merge_sufficient_rows,
merge_histograms, histogram_figures, kpis_from_tallies, merge_plans) combine
the partitions' small results exactly.

Data layout (one row per record; dates as datetime64 or int32 days since
1970-01-01; money as int64 minor units; customer_id as text, or int64 kept
as its decimal text, one dtype across the entities):

    transactions  customer_id, date, amount[, order_id, rep_id, category]
    customers     customer_id[, name, document, email, phone, city, state,
                  region, segment, created_at, key_account, delinquent]
    surveys       customer_id, date, score
    contracts     customer_id, start, end[, contract_id, value, auto_renew]
    interactions  customer_id, date[, rep_id, channel, outcome]
    assignments   customer_id, rep_id, since[, reason]
    reps          rep_id[, name, region, segments, capacity, active, team]
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
from pandas.util import hash_array as _hash_array

from . import _lib
from .dates import date_to_days, days_to_date, to_days
from .kpi import KPI_COLUMNS
from .models import Model, _kind
from .portfolio import Portfolio
from .redistribution import Fairness, PlanPipeline
from .segments import quintile_scores_with_thresholds, segments as _segments
from .status import StatusEngine, StatusPolicy
from .summary import summary_columns

__all__ = [
    "ENTITIES",
    "customer_partition",
    "build_portfolio",
    "run_partition",
    "summary_frame",
    "status_frame",
    "sufficient_rows_frame",
    "merge_sufficient_rows",
    "check_fittable",
    "fit_sufficient_rows",
    "prediction_frame",
    "kpi_tallies",
    "kpis_from_tallies",
    "cohort_tallies",
    "merge_cohorts",
    "rfm_figures",
    "rfm_frame",
    "histogram",
    "merge_histograms",
    "histogram_figures",
    "concentration",
    "region_plan",
    "region_check",
    "check_regional_pipeline",
    "merge_plans",
    "RegionalPlan",
]

ENTITIES = ("customers", "transactions", "surveys", "contracts", "interactions", "assignments")

# A column of row order that build_portfolio sorts ties by, then drops
# (carteira.dask adds it to the assignments before a shuffle).
ROW_ORDER = "_carteira_row"

_CUSTOMER_TEXT = ("name", "document", "email", "phone", "city", "state", "region", "segment")


# ---- partitioning ------------------------------------------------------------------


def customer_partition(customer_ids, npartitions: int) -> np.ndarray:
    """The partition (0 .. npartitions-1) of each customer id: pandas'
    hash_array of the UTF-8 id (SipHash with a fixed key, the same on every
    machine and run) modulo npartitions. Any stable function of the id would
    do; what matters is that every entity of a customer uses the same one."""
    if not isinstance(npartitions, int) or npartitions < 1:
        raise ValueError(f"npartitions: expected an integer >= 1, got {npartitions!r}")
    ids = np.asarray(customer_ids, dtype=object)
    if ids.size == 0:
        return np.empty(0, dtype=np.int64)
    missing = pd.isna(ids)
    if missing.any():
        raise ValueError(f"customer_id: row {int(np.argmax(missing))} has no customer id")
    hashes = _hash_array(ids.astype(str).astype(object), categorize=False)
    return (hashes % np.uint64(npartitions)).astype(np.int64)



def _column(frame, name):
    return frame[name].to_numpy() if frame is not None and name in frame.columns else None


def _text_or_none(values):
    if values is None:
        return None
    return [None if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in values]


def _rep_indices(rep_index: pd.Index, values, where: str, required: bool) -> np.ndarray:
    """int32 rep indices of rep ids; -1 for a missing optional id."""
    values = np.asarray(values, dtype=object)
    missing = pd.isna(values)
    codes = rep_index.get_indexer(np.where(missing, "", values).astype(object))
    if required and missing.any():
        raise ValueError(f"{where}: row {int(np.argmax(missing))} has no rep_id")
    unknown = (codes < 0) & ~missing
    if unknown.any():
        i = int(np.argmax(unknown))
        raise ValueError(f"{where}: row {i}: rep_id {values[i]!r} is not in reps")
    return codes.astype(np.int32)


def build_portfolio(frames: dict, reps: pd.DataFrame | None = None, *, where: str = "partition") -> Portfolio:
    """A native Portfolio of the rows in `frames` ({entity: pandas DataFrame},
    entities as in ENTITIES) and `reps`.

    Customers are indexed in id order (those of the customers frame and
    those only referenced elsewhere alike), so the result does not depend
    on the order rows arrive in: the same customers give the same bytes on
    one machine or in any partition of a cluster. (The engines read a
    customer's transactions, surveys, contracts and interactions as a set:
    sums, extremes, distinct days, the lowest answer of a day; they are
    appended as they come.) The exception is a customer's assignments of one
    day, where the later-recorded row holds the customer: assignments are
    ordered by (customer, since) keeping their order in the frame, or that
    of the ROW_ORDER column when there is one. Errors name `where`, the
    entity, the row and the field."""
    frames = {k: v for k, v in frames.items() if v is not None}
    unknown = sorted(set(frames) - set(ENTITIES))
    if unknown:
        raise ValueError(f"{where}: unknown entities {unknown} (known: {', '.join(ENTITIES)})")
    id_columns = [f["customer_id"].to_numpy() for f in frames.values()]
    for entity, ids in zip(frames, id_columns):
        missing = pd.isna(ids)
        if missing.any():
            raise ValueError(f"{where}: {entity}: row {int(np.argmax(missing))} has no customer_id")
    keys = _CustomerKeys(id_columns, where)
    portfolio = Portfolio()
    try:
        rep_index = pd.Index([], dtype=object)
        if reps is not None:
            reps = reps.sort_values("rep_id", kind="mergesort")
            rep_ids = reps["rep_id"].astype(str).to_numpy(dtype=object)
            portfolio.append_reps(
                rep_ids, name=_text_or_none(_column(reps, "name")), region=_text_or_none(_column(reps, "region")),
                segments=_column(reps, "segments"), capacity=_column(reps, "capacity"),
                active=_column(reps, "active"), team=_text_or_none(_column(reps, "team")))
            rep_index = pd.Index(rep_ids)
        customers = frames.get("customers")
        fields = {}
        if customers is not None:
            if customers["customer_id"].duplicated().any():
                dup = customers["customer_id"][customers["customer_id"].duplicated()].iloc[0]
                raise ValueError(f"{where}: customers: customer_id {dup!r} appears twice")
            aligned = customers.set_index(keys.key_column(customers["customer_id"].to_numpy())).reindex(keys.keys)
            for field in _CUSTOMER_TEXT:
                if field in aligned.columns:
                    fields[field] = _text_or_none(aligned[field].to_numpy())
            if "created_at" in aligned.columns:
                fields["created_at"] = aligned["created_at"].to_numpy()
            for flag in ("key_account", "delinquent"):
                if flag in aligned.columns:
                    fields[flag] = aligned[flag].fillna(False).astype(bool).to_numpy()
        if len(keys.ids):
            portfolio.append_customers(keys.ids, **fields)

        def indexed(entity, *order_columns):
            frame = frames.get(entity)
            if frame is None or len(frame) == 0:
                return None, None
            cidx = keys.positions(frame["customer_id"].to_numpy())
            if not order_columns:
                return frame, cidx
            if ROW_ORDER in frame.columns:
                order_columns += (ROW_ORDER,)
            sort_keys = [cidx] + [np.asarray(to_days(frame[c].to_numpy(), c) if c in ("date", "since", "start")
                                             else frame[c].to_numpy()) for c in order_columns]
            # lexsort is stable: rows equal on every key keep their order.
            order = np.lexsort(sort_keys[::-1])
            return frame.iloc[order], cidx[order].astype(np.uint32)

        tx, cidx = indexed("transactions")
        if tx is not None:
            rep = None
            if "rep_id" in tx.columns:
                rep = _rep_indices(rep_index, tx["rep_id"].to_numpy(), f"{where}: transactions", False)
            portfolio.append_transactions(
                cidx, tx["date"].to_numpy(), tx["amount"].to_numpy(),
                order_id=_text_or_none(_column(tx, "order_id")), rep_index=rep,
                category=_text_or_none(_column(tx, "category")))
        sv, cidx = indexed("surveys")
        if sv is not None:
            portfolio.append_surveys(cidx, sv["date"].to_numpy(), sv["score"].to_numpy())
        ct, cidx = indexed("contracts")
        if ct is not None:
            portfolio.append_contracts(
                cidx, ct["start"].to_numpy(), ct["end"].to_numpy(),
                contract_id=_text_or_none(_column(ct, "contract_id")), value=_column(ct, "value"),
                auto_renew=_column(ct, "auto_renew"))
        it, cidx = indexed("interactions")
        if it is not None:
            rep = None
            if "rep_id" in it.columns:
                rep = _rep_indices(rep_index, it["rep_id"].to_numpy(), f"{where}: interactions", False)
            portfolio.append_interactions(
                cidx, it["date"].to_numpy(), rep_index=rep, channel=_text_or_none(_column(it, "channel")),
                outcome=_text_or_none(_column(it, "outcome")))
        # Assignments keep their recorded order within a customer and day:
        # on a tie the later-recorded row holds the customer.
        asg, cidx = indexed("assignments", "since")
        if asg is not None:
            rep = _rep_indices(rep_index, asg["rep_id"].to_numpy(), f"{where}: assignments", True)
            portfolio.append_assignments(cidx, rep, asg["since"].to_numpy(),
                                         reason=_text_or_none(_column(asg, "reason")))
    except BaseException:
        portfolio.close()
        raise
    return portfolio


class _CustomerKeys:
    """The customers of a partition in id order: their keys (int64 ids,
    kept as their decimal text in the portfolio, or text ids) and each
    row's position among them."""

    def __init__(self, id_columns, where: str):
        integer = bool(id_columns) and all(c.dtype.kind in "iu" for c in id_columns)
        self.integer = integer
        if integer:
            self.keys = np.unique(np.concatenate(id_columns).astype(np.int64))
            self.ids = self.keys.astype(str).astype(object)
        else:
            text = [c.astype(str) if c.dtype.kind != "O" else np.array([str(v) for v in c], dtype=object)
                    for c in id_columns]
            merged = np.concatenate(text).astype(object) if text else np.empty(0, dtype=object)
            self.keys = np.unique(merged) if len(merged) else merged
            self.ids = self.keys
            self._index = pd.Index(self.keys)

    def key_column(self, values):
        return values.astype(np.int64) if self.integer else np.array([str(v) for v in values], dtype=object)

    def positions(self, values) -> np.ndarray:
        if self.integer:
            return np.searchsorted(self.keys, values.astype(np.int64)).astype(np.uint32)
        return self._index.get_indexer(self.key_column(values)).astype(np.uint32)


def status_policy_for(policy_json: str | None, segments_present) -> StatusPolicy:
    """The policy with the per-segment entries of segments this partition's
    customers lack removed (the engine refuses a segment no customer has;
    the driver checked that every one exists somewhere)."""
    if policy_json is None:
        return StatusPolicy.default()
    data = json.loads(policy_json)
    if isinstance(data.get("segments"), dict):
        data["segments"] = {k: v for k, v in data["segments"].items() if k in segments_present}
    return StatusPolicy.from_json(data)


# ---- per-partition engines (run in the workers) --------------------------------------


def summary_frame(portfolio: Portfolio, as_of: int, unit: str) -> pd.DataFrame:
    """Portfolio.summary (customer_id first), with a plain row index."""
    frame = portfolio.summary(as_of, unit, as_frame=True)
    return frame.reset_index(drop=True)


def status_frame(portfolio: Portfolio, as_of: int, policy_json, p_alive, reasons: bool,
                 global_scopes) -> pd.DataFrame:
    """StatusTable.to_pandas of the partition with a plain row index.
    policy_json: the whole policy's JSON (None: the default), cut to the
    partition's segments; p_alive: None, or (kind, params, unit,
    at_risk_below, inactive_below, horizon, horizon_unit) for the P(alive)
    rule; global_scopes: the whole policy's segment names in order, so that
    `scope` indexes the whole policy as on one machine."""
    with status_policy_for(policy_json, portfolio._carteira_segments) as policy:
        local_scopes = list((policy.to_dict().get("segments") or {}).keys())
        with StatusEngine(portfolio, policy) as engine:
            if p_alive is not None:
                kind, params, unit, at_risk_below, inactive_below, horizon, horizon_unit = p_alive
                with Model.from_params(kind, params, unit) as model:
                    engine.add_p_alive_rule(model, at_risk_below=at_risk_below, inactive_below=inactive_below,
                                            horizon=horizon, horizon_unit=horizon_unit)
            with engine.classify(as_of) as table:
                frame = table.to_pandas(reasons=reasons)
    # scope: the index of the policy's segment entry, in the whole policy.
    remap = np.array([global_scopes.index(name) for name in local_scopes] + [-1], dtype=np.int64)
    scope = frame["scope"].to_numpy()
    frame["scope"] = np.where(scope >= 0, remap[np.where(scope >= 0, scope, -1)], scope)
    return frame.reset_index(drop=True)


def sufficient_rows_frame(portfolio: Portfolio, as_of: int, unit: str) -> pd.DataFrame:
    """The partition's customers as weighted distinct (x, t_x, T) rows, t_x
    and T in `unit`: columns x (int64), t_x, T, weight (int64 customers),
    ordered by (x, t_x, T)."""
    s = summary_columns(portfolio, as_of, unit, ("x", "t_x", "T"))
    rows = pd.DataFrame(s).groupby(["x", "t_x", "T"], sort=True).size().rename("weight").reset_index()
    rows["x"] = rows["x"].astype(np.int64)
    rows["weight"] = rows["weight"].astype(np.int64)
    return rows


def prediction_frame(portfolio: Portfolio, as_of: int, model_spec, horizon, horizon_unit) -> pd.DataFrame:
    """customer_id, x, t_x, T (in the model's unit), p_alive and the purchases
    expected within `horizon` `horizon_unit`, from model_spec = (kind,
    params, unit) (a Model travels as its parameters)."""
    kind, params, unit = model_spec
    s = portfolio.summary(as_of, unit, as_frame=True)
    out = pd.DataFrame({"customer_id": s["customer_id"].to_numpy(), "x": s["x"].to_numpy(),
                        "t_x": s["t_x"].to_numpy(), "T": s["T"].to_numpy()})
    with Model.from_params(kind, params, unit) as model:
        x, t_x, T = out["x"].to_numpy(), out["t_x"].to_numpy(), out["T"].to_numpy()
        out["p_alive"] = model.p_alive(x, t_x, T, unit=unit) if len(out) else np.empty(0)
        out["expected_purchases"] = (model.expected_purchases(horizon, x, t_x, T, horizon_unit=horizon_unit,
                                                              unit=unit) if len(out) else np.empty(0))
    return out


def kpi_tallies(portfolio: Portfolio, frm: int, to: int, active_window: int):
    """The partition's additive KPI tallies and its positive period revenues."""
    report = portfolio.kpi_report(frm, to, active_window=active_window, as_frame=False)
    overall = report.overall
    tallies = {k: overall[k] for k in _ADDITIVE_KPIS}
    s = summary_columns(portfolio, to, "days", ("first_purchase", "last_purchase", "days_since_last"))
    completed = s["days_since_last"] > active_window
    first, last = s["first_purchase"], s["last_purchase"]
    tallies["completed"] = int(completed.sum())
    tallies["completed_days"] = int((last[completed] - first[completed]).sum())
    # Every active customer has a purchase: the summary's rows are the
    # active ones and the completed ones, a check on the definitions.
    if tallies["completed"] != len(first) - overall["active"]:
        raise RuntimeError(
            f"KPI tallies: {len(first)} customers with a purchase, {overall['active']} active, "
            f"{tallies['completed']} completed: the summary and the KPIs disagree")
    revenue = _segments(portfolio, to, abc_from=frm, as_frame=False)["abc_revenue"] if len(first) else \
        np.empty(0, dtype=np.int64)
    return tallies, np.sort(revenue[revenue > 0])


def cohort_tallies(portfolio: Portfolio, frm: int, to: int):
    """The partition's cohort counts over [frm, to] (docs/kpi.md, cohort
    retention): (months as datetime64[D], sizes int64, buyers int64 months x
    months with -1 past the period's end); None when the period is longer
    than the 64 months the matrix covers."""
    report = portfolio.kpi_report(frm, to, as_frame=True)
    if report.cohorts is None:
        return None
    return (report.cohorts.index.to_numpy().astype("datetime64[D]"),
            report.cohorts["size"].to_numpy(np.int64), np.asarray(report.cohort_buyers, dtype=np.int64))


def rfm_figures(portfolio: Portfolio, as_of: int) -> dict:
    """customer_id, recency_days, frequency, monetary (numpy arrays) of the
    customers with a purchase on or before `as_of` (docs/segments.md)."""
    if portfolio.counts()["customers"] == 0:
        empty = np.empty(0, dtype=np.int64)
        return {"customer_id": np.empty(0, dtype=object), "recency_days": empty, "frequency": empty,
                "monetary": empty}
    data = _segments(portfolio, as_of, as_frame=False)
    return {k: data[k] for k in ("customer_id", "recency_days", "frequency", "monetary")}


_ADDITIVE_KPIS = ("customers", "active_start", "active", "new", "new_active", "retained", "churned",
                  "lapsed_start", "reactivated", "buyers", "purchases", "revenue", "answers", "promoters",
                  "passives", "detractors", "book_at_start", "moved")



def run_partition(task, frames: dict, reps, where: str):
    """Builds the partition's portfolio, runs `task(portfolio)` on it, frees it.
    The portfolio carries the set of its customers' segments
    (``_carteira_segments``), which status policies are cut to
    (status_policy_for)."""
    with build_portfolio(frames, reps, where=where) as portfolio:
        customers = frames.get("customers")
        present = set()
        if customers is not None and "segment" in customers.columns:
            present = set(customers["segment"].dropna().astype(str))
        portfolio._carteira_segments = present
        return task(portfolio)


# ---- merging the partitions' results -------------------------------------------------------


def merge_sufficient_rows(parts) -> pd.DataFrame:
    """Weighted distinct (x, t_x, T) rows of several partitions
    (sufficient_rows_frame) merged: the weights of equal rows added (exact
    integers), ordered by (x, t_x, T)."""
    frames = [f for f in parts if len(f)]
    if not frames:
        return pd.DataFrame({"x": np.empty(0, np.int64), "t_x": np.empty(0), "T": np.empty(0),
                             "weight": np.empty(0, np.int64)})
    merged = pd.concat(frames, ignore_index=True).groupby(["x", "t_x", "T"], sort=True)["weight"].sum()
    out = merged.reset_index()
    out["x"] = out["x"].astype(np.int64)
    out["weight"] = out["weight"].astype(np.int64)
    return out


def check_fittable(kind) -> None:
    """ValueError unless `kind` can be fitted from (x, t_x, T) rows."""
    name = _kind(kind).name
    if name not in ("bgnbd", "mbgnbd", "paretonbd"):
        raise ValueError(f"fit: {name} cannot be fitted from (x, t_x, T) rows "
                         "(gammagamma needs every customer's zbar, bgbb discrete opportunities)")


def fit_sufficient_rows(kind, rows: pd.DataFrame, unit: str, **options) -> Model:
    """Model.fit of bgnbd, mbgnbd or paretonbd on merged weighted distinct
    rows (merge_sufficient_rows: ordered by (x, t_x, T), so the same rows
    give the same bits however they were gathered); options as Model.fit."""
    check_fittable(kind)
    return Model.fit(kind, rows["x"].to_numpy(np.float64), rows["t_x"].to_numpy(np.float64),
                     rows["T"].to_numpy(np.float64), weight=rows["weight"].to_numpy(np.float64), unit=unit,
                     **options)


def kpis_from_tallies(tallies, concentration, frm: int, to: int, *, lifetime_model=None) -> dict:
    """The overall KPIs (docs/kpi.md) from the partitions' kpi_tallies (their
    first items) and the concentration of the positive period revenues over
    every partition: (n, total, ranked, top_sum) with ranked = sum of j x_j
    over the revenues largest first (j from 0) and top_sum = the sum of the
    ceil(20% n) largest (ExactDistribution.concentration, or
    histogram_figures on one merged histogram). Every ratio is formed from
    the added counts as the engine forms it (src/kpi/kpi.cpp, Finish), so
    the result equals Portfolio.kpi_report's overall row on the whole
    portfolio; None where undefined."""
    tallies = list(tallies)
    t = {k: sum(part[k] for part in tallies) for k in tallies[0]}
    n, total, ranked, top_sum = concentration
    out = {k: t[k] for k in _ADDITIVE_KPIS}
    out["retention_rate"] = _ratio(t["active"] - t["new_active"], t["active_start"])
    out["churn_rate"] = _ratio(t["churned"], t["active_start"])
    out["reactivation_rate"] = _ratio(t["reactivated"], t["lapsed_start"])
    out["average_ticket"] = _money_ratio(t["revenue"], t["purchases"])
    out["revenue_per_customer"] = _money_ratio(t["revenue"], t["buyers"])
    out["purchase_frequency"] = _ratio(t["purchases"], t["buyers"])
    out["lifetime_observed_days"] = _ratio(t["completed_days"], t["completed"])
    churn = out["churn_rate"]
    out["lifetime_from_churn_days"] = (to - frm + 1) / churn if churn else None
    out["lifetime_model_days"] = None
    if lifetime_model is not None:
        import math

        from .kpi import expected_lifetime_days

        days = expected_lifetime_days(lifetime_model)
        out["lifetime_model_days"] = None if math.isinf(days) else days
    out["nps"] = (None if t["answers"] == 0
                  else 100.0 * float(t["promoters"] - t["detractors"]) / float(t["answers"]))
    out["positivacao"] = _ratio(t["buyers"], t["customers"])
    out["giro"] = _ratio(t["moved"], t["book_at_start"])
    out["top20_share"] = out["gini"] = None
    if n:
        tf, nd = float(total), float(n)
        out["top20_share"] = float(top_sum) / tf
        out["gini"] = 2.0 * float(n * total - ranked) / (nd * tf) - (nd + 1.0) / nd
    return {k: out[k] for k in KPI_COLUMNS}


def merge_cohorts(parts) -> pd.DataFrame:
    """The cohort matrix of the whole portfolio from the partitions'
    cohort_tallies (the months are the period's, the same in every
    partition): sizes and buyer counts added, retention = buyers / size as
    the engine divides (src/kpi/cohort.cpp), NaN for an empty cohort and
    past the period's end. The frame of Portfolio.cohorts."""
    parts = list(parts)
    if any(p is None for p in parts):
        raise ValueError("cohorts: the matrix covers at most 64 months")
    months = parts[0][0]
    for p in parts[1:]:
        if not np.array_equal(p[0], months):
            raise ValueError("cohorts: the partitions disagree on the period's months")
    sizes = np.sum([p[1] for p in parts], axis=0).astype(np.int64)
    buyers = np.sum([np.maximum(p[2], 0) for p in parts], axis=0).astype(np.int64)
    past_end = parts[0][2] < 0
    with np.errstate(divide="ignore", invalid="ignore"):
        retention = buyers.astype(np.float64) / sizes.astype(np.float64)[:, None]
    retention[past_end | (sizes[:, None] == 0)] = np.nan
    data = {"size": sizes}
    for k in range(len(months)):
        data[f"+{k}"] = retention[:, k].copy()
    return pd.DataFrame(data, index=pd.Index(months, name="month"))


# ---- exact histograms ---------------------------------------------------------------------


def merge_histograms(parts) -> tuple[np.ndarray, np.ndarray]:
    """Merges exact histograms [(values ascending, counts)] into one: the
    distinct values ascending and their total counts (int64, exact)."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    values = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([p[1] for p in parts]).astype(np.int64)
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.add.reduceat(counts, starts)


def histogram(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v, c = np.unique(np.asarray(values, dtype=np.int64), return_counts=True)
    return v, c.astype(np.int64)


def split_histogram(values: np.ndarray, splitters: np.ndarray):
    """The partition's exact histogram cut at the splitters: bucket b holds
    splitters[b-1] <= v < splitters[b]."""
    v, c = histogram(values)
    cuts = np.searchsorted(v, splitters, side="left")
    bounds = np.r_[0, cuts, len(v)]
    return [(v[bounds[b]:bounds[b + 1]], c[bounds[b]:bounds[b + 1]]) for b in range(len(bounds) - 1)]


def sample_values(values: np.ndarray, size: int = 64) -> np.ndarray:
    v = np.sort(np.asarray(values, dtype=np.int64))
    if len(v) <= size:
        return v
    return v[np.linspace(0, len(v) - 1, size).astype(np.int64)]


def histogram_figures(hist) -> dict:
    """Exact figures of one bucket's merged histogram, its values taken
    largest first (j = 0-based rank within the bucket): count, sum of values
    and sum of j * value (Python integers: no overflow)."""
    values, counts = hist
    if len(values) == 0:
        return {"count": 0, "total": 0, "ranked": 0}
    v = values[::-1].astype(object)
    c = counts[::-1].astype(object)
    # Ranks before each distinct value, largest first.
    before = np.concatenate([[0], np.cumsum(counts[::-1])[:-1]]).astype(object)
    # A block of c equal values at ranks s .. s+c-1: value * (c s + c (c-1) / 2).
    ranked = int(np.sum(v * (c * before + c * (c - 1) // 2)))
    return {"count": int(np.sum(c)), "total": int(np.sum(v * c)), "ranked": ranked}


def concentration(hist) -> tuple[int, int, int, int]:
    """(n, total, ranked, top_sum) of one merged histogram of the positive
    period revenues, for kpis_from_tallies when one process holds them all
    (carteira.dask's ExactDistribution gives the same from value ranges
    spread over a cluster)."""
    f = histogram_figures(hist)
    return f["count"], f["total"], f["ranked"], top_sum(hist, (f["count"] + 4) // 5)


def top_sum(hist, k: int) -> int:
    """The sum of the k largest values of a bucket's histogram (exact)."""
    values, counts = hist
    total, left = 0, k
    for value, count in zip(values[::-1].tolist(), counts[::-1].tolist()):
        take = min(count, left)
        total += value * take
        left -= take
        if left == 0:
            break
    return total


def order_statistic(hist, rank: int) -> int:
    """The value at 1-based ascending `rank` within a bucket's histogram."""
    values, counts = hist
    at = int(np.searchsorted(np.cumsum(counts), rank, side="left"))
    return int(values[at])



def _ratio(num, den):
    return None if den == 0 else float(num) / float(den)


def _money_ratio(num: int, den: int):
    """num / den in minor units, rounded half away from zero (as the engine)."""
    if den == 0:
        return None
    q, r = abs(num) // den, abs(num) % den
    q += 1 if 2 * r >= den else 0
    return -q if num < 0 else q


# ---- regional plans ---------------------------------------------------------------------


def _fnv_int64(value: int) -> int:
    h = 14695981039346656037
    prime = 1099511628211
    mask = (1 << 64) - 1
    for i in range(8):
        h = ((h ^ ((value & mask) >> (8 * i) & 0xff)) * prime) & mask
    return ((h ^ 0xff) * prime) & mask


def _splitmix(x: int) -> int:
    mask = (1 << 64) - 1
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & mask
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & mask
    return x ^ (x >> 31)


def _merged_plan_id(as_of: int, ids) -> str:
    """The id of the union of plans of one date: the engine's id is a hash of
    the date plus a sum (mod 2^64) of one hash per move (planner.cpp,
    PlanId), so the union's is the sum of the parts' less the date's share
    counted once too many."""
    head = _splitmix(_fnv_int64(as_of))
    total = head
    for plan_id in ids:
        total += int(plan_id[len("plan-"):], 16) - head
    return "plan-%016x" % (total % (1 << 64))


def _fairness(loads: np.ndarray) -> Fairness:
    """The engine's fairness figures (planner.cpp, ComputeFairness), in the
    same long double arithmetic."""
    loads = np.sort(np.asarray(loads, dtype=np.int64))
    if len(loads) == 0:
        return Fairness(reps=0, min_load=0, max_load=0, max_min_ratio=None, gini=0.0)
    lo, hi = int(loads[0]), int(loads[-1])
    ratio = float(hi) / lo if lo > 0 else None
    ld = np.longdouble
    weighted = ld(0)
    total = ld(0)
    for i, x in enumerate(loads.tolist()):
        weighted += ld(i + 1) * ld(x)
        total += ld(x)
    n = ld(len(loads))
    gini = float(ld(2) * weighted / (n * total) - (n + ld(1)) / n) if total > 0 else 0.0
    return Fairness(reps=len(loads), min_load=lo, max_load=hi, max_min_ratio=ratio, gini=gini)


_PLAN_REFUSED = {
    "release_inactive": "its target (the house account or team) takes customers of every region, "
                        "with one capacity",
    "handover": None,
    "rotate_at_risk": None,
    "rebalance": None,
    "assign_unowned": None,
}


def check_regional_pipeline(pipeline: dict) -> None:
    if pipeline.get("weight_attribute"):
        raise ValueError("plan_by_region: weight_attribute needs customer attributes, which "
                         "carteira.dask does not carry")
    for i, policy in enumerate(pipeline.get("policies") or []):
        kind = policy.get("policy")
        if kind not in _PLAN_REFUSED:
            raise ValueError(f"plan_by_region: policies[{i}] ({kind}): only the built-in policies "
                             f"{', '.join(sorted(_PLAN_REFUSED))} can be planned per region")
        why = _PLAN_REFUSED[kind]
        if why:
            raise ValueError(f"plan_by_region: policies[{i}] ({kind}) couples the regions: {why}")
        if kind == "assign_unowned" and policy.get("method", "round_robin") == "round_robin":
            raise ValueError(f"plan_by_region: policies[{i}] (assign_unowned, round_robin) couples the "
                             "regions: one cursor walks the reps of every region; use least_loaded or "
                             "capacity_weighted")


class _AvailabilityProbe:
    """A plugin policy that changes nothing and records which reps are
    available (active, not away) as the engine sees them."""

    def __init__(self):
        self.available = None

    def __call__(self, state) -> None:
        self.available = [state.rep(r).available for r in range(state.rep_count)]


def region_plan(portfolio: Portfolio, as_of: int, pipeline_json: str, policy_json, region: str):
    present = portfolio._carteira_segments
    with status_policy_for(policy_json, present) as policy, StatusEngine(portfolio, policy) as engine, \
            engine.classify(as_of) as table, PlanPipeline.from_json(pipeline_json) as pipeline:
        probe = _AvailabilityProbe()
        pipeline.add_policy("carteira.dask.availability", probe)
        with portfolio.plan(table, pipeline) as plan:
            return {
                "region": region,
                "id": plan.id,
                "moves": plan.moves(as_frame=True),
                "unplaced": plan.unplaced(as_frame=True),
                "infeasible": plan.infeasible(),
                "before": plan.rep_figures(after=False, as_frame=True),
                "after": plan.rep_figures(after=True, as_frame=True),
                "available": probe.available,
            }


@dataclasses.dataclass
class RegionalPlan:
    """The union of the regions' plans, as one plan of the whole portfolio.

    id, figures and fairness are those the engine gives for the whole
    portfolio (the id is order-free; figures add up; fairness is recomputed
    over every available rep). moves and unplaced are in pipeline order,
    then region (byte order), then each region's own order; within one
    policy the single-machine plan interleaves the regions (its order is
    value or id across the portfolio), so compare them as sets."""

    id: str
    as_of: object
    moves: pd.DataFrame
    unplaced: pd.DataFrame
    infeasible: list
    before: pd.DataFrame
    after: pd.DataFrame
    fairness_before: Fairness
    fairness_after: Fairness

    def __len__(self) -> int:
        return len(self.moves)





def rfm_frame(portfolio: Portfolio, as_of: int, thresholds: dict) -> pd.DataFrame:
    data = rfm_figures(portfolio, as_of)
    out = pd.DataFrame(data)
    for column, figure, higher in (("r", "recency_days", False), ("f", "frequency", True),
                                   ("m", "monetary", True)):
        out[column] = quintile_scores_with_thresholds(out[figure].to_numpy(np.int64), thresholds[figure],
                                                      higher_is_better=higher)
    return out



def region_check(customers: pd.DataFrame, assignments: pd.DataFrame, reps: pd.DataFrame, day: int) -> str:
    """What couples the regions in one partition, in words ("" when nothing)."""
    region = customers.set_index("customer_id")["region"]
    empty = region.isna() | (region.astype(str) == "")
    if empty.any():
        return (f"customer {region.index[empty.to_numpy()][0]!r} has no region (its territory "
                "would be its rep's, which couples the regions)")
    if len(assignments) == 0:
        return ""
    rows = assignments.assign(_since=to_days(assignments["since"].to_numpy(), "since"),
                              _row=np.arange(len(assignments)))
    rows = rows[rows["_since"] <= day].sort_values(["customer_id", "_since", "_row"], kind="mergesort")
    holders = rows.groupby("customer_id", sort=False).tail(1)
    rep_region = reps.set_index("rep_id")["region"].astype(str)
    held_in = holders["rep_id"].map(rep_region)
    own = holders["customer_id"].map(region).astype(str)
    wrong = (held_in != own).to_numpy()
    if wrong.any():
        row = holders.iloc[int(np.argmax(wrong))]
        return (f"customer {row['customer_id']!r} (region {own.iloc[int(np.argmax(wrong))]}) is held by "
                f"{row['rep_id']} of region {held_in.iloc[int(np.argmax(wrong))]}")
    return ""


def merge_plans(day: int, pipeline: dict, plans) -> RegionalPlan:
    order = []
    for policy in pipeline.get("policies") or []:
        if policy.get("policy") not in order:
            order.append(policy.get("policy"))
    rank = {name: i for i, name in enumerate(order)}

    def stack(key):
        frames = []
        for r, plan in enumerate(plans):
            f = plan[key].reset_index(drop=True)
            frames.append(f.assign(_region=r, _position=np.arange(len(f))))
        merged = pd.concat(frames, ignore_index=True)
        merged["_policy"] = merged["policy"].map(rank).fillna(len(rank)).astype(np.int64)
        merged = merged.sort_values(["_policy", "_region", "_position"], kind="mergesort")
        return merged.drop(columns=["_policy", "_region", "_position"]).reset_index(drop=True)

    before = sum(plan["before"] for plan in plans)
    after = sum(plan["after"] for plan in plans)
    available = np.array(plans[0]["available"], dtype=bool)
    for plan in plans[1:]:
        if plan["available"] != plans[0]["available"]:
            raise AssertionError("plan_by_region: the regions disagree on which reps are available")
    return RegionalPlan(
        id=_merged_plan_id(day, [plan["id"] for plan in plans]),
        as_of=days_to_date(day),
        moves=stack("moves"),
        unplaced=stack("unplaced"),
        infeasible=[line for plan in plans for line in plan["infeasible"]],
        before=before,
        after=after,
        fairness_before=_fairness(before["load"].to_numpy()[available]),
        fairness_after=_fairness(after["load"].to_numpy()[available]),
    )


def _day(value, what: str) -> int:
    day = date_to_days(value)
    if day == _lib.NO_DAY:
        raise ValueError(f"{what} is required")
    return day


