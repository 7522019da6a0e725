"""Carteira on a Dask cluster: portfolios larger than one machine (docs/dask.md).

The customers are split by a hash of their id into partitions; every
partition holds all the rows of its customers (transactions, surveys,
contracts, interactions, assignments), so the per-customer engines (summary,
status, models' predictions, RFM figures, KPI tallies) run unchanged inside
the workers, one native portfolio per partition. What needs the whole
population is reduced, never the raw rows:

- model fitting: each partition reduces its customers to weighted distinct
  (x, t_x, T) rows, the driver sums the weights and fits once;
- KPIs: the counts and sums are added; the top-20% share and Gini come from
  exact sums over the positive revenues, ranked by a distributed exact sort
  (value-range buckets of merged histograms);
- RFM: the four quintile thresholds of each figure are exact order
  statistics of the merged histograms, and the workers score by them
  (carteira_quintile_scores_with_thresholds);
- redistribution: a plan per region, the regions planned in parallel and the
  plans merged (the id, figures and fairness recomputed exactly).

The data layout and the per-partition functions are carteira.partitions'
(pandas only, for other engines too: docs/dask.md shows Spark). Frames
here may be pandas or Dask DataFrames.

Dask is imported by this module only: ``import carteira`` never needs it.
"""

from __future__ import annotations

import json

import numpy as np

try:
    import dask
    import dask.dataframe as dd
    import pandas as pd
except ImportError as error:  # pragma: no cover - exercised only without dask
    raise ImportError(
        "carteira.dask needs dask[dataframe] and pandas (Debian: python3-dask, "
        "python3-distributed, python3-pandas)") from error

from . import partitions as _p
from .dates import date_to_days, days_to_date
from .models import Model
from .partitions import (  # noqa: F401  (re-exported: the per-partition API)
    ENTITIES,
    RegionalPlan,
    build_portfolio,
    customer_partition,
    merge_histograms,
)
from .redistribution import PlanPipeline
from .status import StatusPolicy

__all__ = [
    "ENTITIES",
    "customer_partition",
    "partition_by_customer",
    "build_portfolio",
    "CustomerPartitions",
    "RegionalPlan",
    "merge_histograms",
    "ExactDistribution",
]

_PARTITION = "_carteira_partition"


def partition_by_customer(frame, npartitions: int, *, name: str = "frame", keep_order: bool = False):
    """`frame` (pandas or Dask) shuffled so that partition i holds exactly the
    rows whose customer_partition(customer_id) is i. keep_order adds the
    column carteira.partitions.ROW_ORDER (the row's place in the input),
    which build_portfolio orders ties by (assignments need it)."""
    if isinstance(frame, pd.DataFrame):
        frame = dd.from_pandas(frame, npartitions=max(1, min(npartitions, len(frame) // 50_000 + 1)),
                               sort=False)
    if not isinstance(frame, dd.DataFrame):
        raise TypeError(f"{name}: expected a pandas or Dask DataFrame, got {type(frame).__name__}")
    if "customer_id" not in frame.columns:
        raise ValueError(f"{name}: no customer_id column (columns: {', '.join(map(str, frame.columns))})")
    extra = {_PARTITION: np.int64(0)}
    if keep_order:
        extra[_p.ROW_ORDER] = np.int64(0)
    keyed = frame.map_partitions(_with_partition, npartitions, keep_order, meta=frame._meta.assign(**extra))
    divisions = list(range(npartitions)) + [npartitions - 1]
    return keyed.set_index(_PARTITION, divisions=divisions, drop=True)


def _with_partition(frame: pd.DataFrame, npartitions: int, keep_order: bool,
                    partition_info=None) -> pd.DataFrame:
    extra = {_PARTITION: customer_partition(frame["customer_id"].to_numpy(), npartitions)}
    if keep_order:
        # The row's place in the input (partition, then row): the shuffle's
        # sort by partition is not stable, and ties between a customer's
        # assignments of one day go to the later-recorded row.
        number = partition_info["number"] if partition_info else 0
        extra[_p.ROW_ORDER] = (np.int64(number) << np.int64(40)) + np.arange(len(frame), dtype=np.int64)
    return frame.assign(**extra)


# ---- exact distributed order statistics -------------------------------------------------


class ExactDistribution:
    """The exact distribution of int64 values spread over many partitions,
    as a distributed sort: a sample of each partition picks splitters, each
    partition cuts its exact histogram (distinct values and counts) at them,
    and the pieces of each value range are merged in their own task. The
    splitters only balance the buckets: whatever they are, every figure is
    exact (integer arithmetic). The merged buckets stay on the workers
    (persisted); only their counts and the figures asked for travel.

    `parts`: one dask.delayed per partition returning a 1-D int64 array."""

    def __init__(self, parts, buckets: int | None = None):
        parts = list(parts)
        samples = dask.compute(*[dask.delayed(_p.sample_values)(p) for p in parts])
        pooled = np.sort(np.concatenate(samples)) if samples else np.empty(0, dtype=np.int64)
        buckets = buckets or max(1, len(parts))
        if len(pooled) and buckets > 1:
            picks = np.linspace(0, len(pooled) - 1, buckets + 1)[1:-1].astype(np.int64)
            splitters = np.unique(pooled[picks])
        else:
            splitters = np.empty(0, dtype=np.int64)
        self.splitters = splitters
        nb = len(splitters) + 1
        pieces = [dask.delayed(_p.split_histogram, nout=nb)(p, splitters) for p in parts]
        merged = [dask.delayed(merge_histograms)([piece[b] for piece in pieces]) for b in range(nb)]
        self._buckets = list(dask.persist(*merged))
        self._figures = list(dask.compute(*[dask.delayed(_p.histogram_figures)(b) for b in self._buckets]))
        self.count = sum(f["count"] for f in self._figures)

    def order_statistics(self, ranks) -> list[int]:
        """The values at 1-based ascending ranks (1 = the smallest)."""
        counts = np.array([f["count"] for f in self._figures], dtype=np.int64)
        cum = np.cumsum(counts)
        tasks = []
        for rank in ranks:
            if not 1 <= rank <= self.count:
                raise ValueError(f"rank {rank} outside 1..{self.count}")
            b = int(np.searchsorted(cum, rank, side="left"))
            before = int(cum[b] - counts[b])
            tasks.append(dask.delayed(_p.order_statistic)(self._buckets[b], rank - before))
        return [int(v) for v in dask.compute(*tasks)]

    def concentration(self) -> tuple[int, int, int, int]:
        """(n, total, ranked, top_sum) over all values, largest first:
        ranked = sum of j * x_j (j the 0-based rank), top_sum = the sum of
        the ceil(20% n) largest; exact."""
        n = self.count
        total = ranked = 0
        above = 0
        top = (n + 4) // 5
        top_total = 0
        pending = None
        for b in reversed(range(len(self._figures))):  # largest values first
            f = self._figures[b]
            total += f["total"]
            ranked += above * f["total"] + f["ranked"]
            if above + f["count"] <= top:
                top_total += f["total"]
            elif above < top:
                pending = (b, top - above)
            above += f["count"]
        if pending is not None:
            top_total += dask.compute(dask.delayed(_p.top_sum)(self._buckets[pending[0]], pending[1]))[0]
        return n, total, ranked, top_total


class CustomerPartitions:
    """A portfolio split by customer over a Dask cluster.

    CustomerPartitions(transactions, customers=..., surveys=..., ...,
    reps=..., npartitions=N): each entity (pandas or Dask DataFrame, layout
    in the module docstring) is shuffled by customer_partition(customer_id,
    N), so that partition i of every entity holds the rows of the same
    customers. With ``partitioned=True`` the frames are taken as already
    laid out by customer (N Dask partitions each, partition i of every
    entity holding all the rows of the same customers, by any rule: e.g. a
    Parquet dataset written by customer bucket), and nothing moves.

    Each engine call builds the native portfolio of every partition inside
    the workers (build_portfolio) and returns Dask DataFrames or, for
    reductions, their exact merged results. Computations run on the current
    Dask scheduler (a distributed Client, when one is active).
    """

    def __init__(self, transactions, *, customers=None, surveys=None, contracts=None, interactions=None,
                 assignments=None, reps=None, npartitions: int | None = None, partitioned: bool = False):
        given = {"transactions": transactions, "customers": customers, "surveys": surveys,
                 "contracts": contracts, "interactions": interactions, "assignments": assignments}
        given = {k: v for k, v in given.items() if v is not None}
        if partitioned:
            counts = {k: v.npartitions for k, v in given.items() if isinstance(v, dd.DataFrame)}
            if len(counts) != len(given):
                raise TypeError("partitioned=True takes Dask DataFrames only")
            if len(set(counts.values())) != 1:
                raise ValueError("partitioned=True: the entities have different partition counts: "
                                 + ", ".join(f"{k} {n}" for k, n in counts.items()))
            npartitions = next(iter(counts.values()))
            self._frames = dict(given)
        else:
            if npartitions is None:
                npartitions = transactions.npartitions if isinstance(transactions, dd.DataFrame) else 1
            self._frames = {k: partition_by_customer(v, npartitions, name=k, keep_order=(k == "assignments"))
                            for k, v in given.items()}
        self.npartitions = npartitions
        if reps is not None and isinstance(reps, dd.DataFrame):
            reps = reps.compute()
        self.reps = reps
        self._segments = None

    # ---- the general hook --------------------------------------------------------

    def _delayed_frames(self):
        parts = {k: v.to_delayed() for k, v in self._frames.items()}
        return [{k: parts[k][i] for k in parts} for i in range(self.npartitions)]

    def _empty_frames(self) -> dict:
        return {k: v._meta.copy() for k, v in self._frames.items()}

    def map_portfolios(self, func, *args, meta=None) -> "dd.DataFrame":
        """A Dask DataFrame of ``func(portfolio, *args)`` (a pandas DataFrame)
        over every partition's native portfolio. meta: the result's empty
        frame; by default func is run on an empty portfolio to get it.
        func and args must be picklable (module-level functions)."""
        if meta is None:
            meta = _p.run_partition(lambda p: func(p, *args), self._empty_frames(), self.reps, "meta")
        tasks = [dask.delayed(_p.run_partition)(_Bound(func, args), frames, self.reps, f"partition {i}")
                 for i, frames in enumerate(self._delayed_frames())]
        return dd.from_delayed(tasks, meta=meta, verify_meta=False)

    def _map_values(self, func, *args) -> list:
        """[func(portfolio, *args)] of every partition, as dask.delayed objects."""
        return [dask.delayed(_p.run_partition)(_Bound(func, args), frames, self.reps, f"partition {i}")
                for i, frames in enumerate(self._delayed_frames())]

    # ---- summary, status, models ------------------------------------------------

    def summary(self, as_of, unit: str = "days") -> "dd.DataFrame":
        """The customer summary (docs/summary.md) of every customer, as a Dask
        DataFrame with the columns of Portfolio.summary (customer_id first)."""
        return self.map_portfolios(_p.summary_frame, _p._day(as_of, "as_of"), unit)

    def segments_in_use(self) -> set:
        """The customers' segments (for checking a status policy)."""
        if self._segments is None:
            customers = self._frames.get("customers")
            if customers is None or "segment" not in customers.columns:
                self._segments = set()
            else:
                self._segments = set(customers["segment"].dropna().astype(str).unique().compute())
        return self._segments

    def status(self, as_of, policy=None, *, p_alive_model: Model | None = None, at_risk_below: float = 0.5,
               inactive_below: float = 0.2, horizon: float = 90, horizon_unit: str = "days",
               reasons: bool = False) -> "dd.DataFrame":
        """Every customer's status (docs/status.md) as of a date, as a Dask
        DataFrame with the columns of StatusTable.to_pandas (reasons only
        with reasons=True: one library call a customer). policy: a
        StatusPolicy, its JSON (str or dict) or None for the default; a
        segment the policy names that no customer has is an error, as on one
        machine. p_alive_model adds the P(alive) rule (StatusEngine.add_p_alive_rule)."""
        policy_json = None
        scopes = []
        if policy is not None:
            owned = None
            if not isinstance(policy, StatusPolicy):
                owned = policy = StatusPolicy.from_json(policy)
            try:
                policy_json = policy.to_json()
            finally:
                if owned is not None:
                    owned.close()
            scopes = list((json.loads(policy_json).get("segments") or {}).keys())
            missing = [s for s in scopes if s not in self.segments_in_use()]
            if missing:
                known = ", ".join(sorted(self.segments_in_use())) or "none"
                raise ValueError(f"policy: segments.{missing[0]}: no customer has this segment "
                                 f"(the customers' segments: {known})")
        p_alive = None
        if p_alive_model is not None:
            info = p_alive_model.info
            p_alive = (info.kind, p_alive_model.params, info.unit, float(at_risk_below), float(inactive_below),
                       float(horizon), horizon_unit)
        return self.map_portfolios(_p.status_frame, _p._day(as_of, "as_of"), policy_json, p_alive, bool(reasons),
                                   scopes)

    def sufficient_rows(self, calibration_end, unit: str = "weeks") -> pd.DataFrame:
        """The models' data reduced to weighted distinct rows: x, t_x, T (in
        `unit`) and weight (int64, customers), ordered by (x, t_x, T). Each
        partition reduces its own customers; the sums are exact, so the
        result equals the reduction of the whole portfolio on one machine."""
        day = _p._day(calibration_end, "calibration_end")
        rows = self.map_portfolios(_p.sufficient_rows_frame, day, unit)
        merged = rows.groupby(["x", "t_x", "T"]).weight.sum(split_every=8).compute()
        return _p.merge_sufficient_rows([merged.reset_index()])

    def fit(self, kind, calibration_end, unit: str = "weeks", **options) -> Model:
        """Fits bgnbd, mbgnbd or paretonbd once, on the driver, from the
        weighted distinct rows of every partition (sufficient_rows); options
        as Model.fit. The raw rows never leave the workers."""
        _p.check_fittable(kind)
        return _p.fit_sufficient_rows(kind, self.sufficient_rows(calibration_end, unit), unit, **options)

    def predict(self, model: Model, as_of, horizon: float, horizon_unit: str = "days") -> "dd.DataFrame":
        """P(alive) and the purchases expected in the next `horizon` for every
        customer summarised as of `as_of`, mapped over the partitions (the
        model travels as its parameters): customer_id, x, t_x, T (in the
        model's unit), p_alive, expected_purchases."""
        info = model.info
        spec = (info.kind, model.params, info.unit)
        return self.map_portfolios(_p.prediction_frame, _p._day(as_of, "as_of"), spec, float(horizon), horizon_unit)

    # ---- KPIs and RFM ------------------------------------------------------------

    def kpi(self, from_, to, *, active_window: int = 180, lifetime_model: Model | None = None) -> dict:
        """The overall KPIs over [from_, to] (docs/kpi.md; activity by
        purchases within `active_window` days), equal to Portfolio.kpi_report's
        overall row on the whole portfolio: counts and sums are added over
        the partitions, the ratios taken from them as the engine does, the
        top-20% share and Gini from exact sums over the globally ranked
        positive revenues (ExactDistribution). None where undefined."""
        frm, end = _p._day(from_, "from_"), _p._day(to, "to")
        if end < frm:
            raise ValueError("kpi: the period ends before it starts")
        parts = self._map_values(_p.kpi_tallies, frm, end, int(active_window))
        parts = list(dask.persist(*parts))  # each partition's engine runs once
        tallies = dask.compute(*[p[0] for p in parts])
        concentration = ExactDistribution([p[1] for p in parts]).concentration()
        return _p.kpis_from_tallies(tallies, concentration, frm, end, lifetime_model=lifetime_model)

    def cohorts(self, from_, to) -> "pd.DataFrame":
        """The cohort retention matrix over [from_, to] (docs/kpi.md), equal
        to Portfolio.cohorts on the whole portfolio: each partition counts its
        cohorts (cohort sizes and buyers per month are sums over customers),
        the driver adds them and divides."""
        frm, end = _p._day(from_, "from_"), _p._day(to, "to")
        return _p.merge_cohorts(dask.compute(*self._map_values(_p.cohort_tallies, frm, end)))

    def rfm_thresholds(self, as_of) -> dict:
        """The four quintile thresholds of recency_days, frequency and
        monetary over every customer with a purchase on or before `as_of`:
        threshold k (1..4) is the ceil(k n / 5)-th worst value (docs/segments.md),
        an exact order statistic of the merged histograms."""
        day = _p._day(as_of, "as_of")
        parts = list(dask.persist(*self._map_values(_p.rfm_figures, day)))
        out = {}
        for figure, higher_is_better in (("recency_days", False), ("frequency", True), ("monetary", True)):
            dist = ExactDistribution([p[figure] for p in parts])
            n = dist.count
            if n == 0:
                raise ValueError(f"rfm: no customer has a purchase on or before {days_to_date(day)}")
            ranks = [(k * n + 4) // 5 for k in range(1, 5)]  # ceil(k n / 5), worst first
            if not higher_is_better:  # the worst recency is the largest
                ranks = [n + 1 - r for r in ranks]
            out[figure] = dist.order_statistics(ranks)
        out["customers"] = n
        return out

    def rfm(self, as_of, thresholds: dict | None = None) -> "dd.DataFrame":
        """RFM scores of every customer with a purchase on or before `as_of`,
        scored by the whole portfolio's quintiles (rfm_thresholds): a Dask
        DataFrame of customer_id, recency_days, frequency, monetary, r, f, m,
        equal to Portfolio.segments' on the whole portfolio."""
        day = _p._day(as_of, "as_of")
        if thresholds is None:
            thresholds = self.rfm_thresholds(day)
        spec = {k: list(thresholds[k]) for k in ("recency_days", "frequency", "monetary")}
        return self.map_portfolios(_p.rfm_frame, day, spec)

    # ---- redistribution ----------------------------------------------------------

    def plan_by_region(self, as_of, pipeline, *, status_policy=None) -> RegionalPlan:
        """A redistribution plan (docs/redistribution.md) computed region by
        region in parallel and merged; equal to the plan of the whole
        portfolio under the conditions that make regions independent
        (checked, with an error naming what couples them): every rep and
        every customer has a region, every customer's rep is of its region,
        and the pipeline is JSON with no round robin, no release_inactive,
        no weight_attribute (docs/dask.md)."""
        if self.reps is None or "customers" not in self._frames or "assignments" not in self._frames:
            raise ValueError("plan_by_region needs reps, customers and assignments")
        day = _p._day(as_of, "as_of")
        if isinstance(pipeline, PlanPipeline):
            raise TypeError("plan_by_region: pass the pipeline as JSON (str or dict); plugin policies "
                            "cannot be sent to the workers")
        pipeline_dict = json.loads(pipeline) if isinstance(pipeline, (str, bytes)) else dict(pipeline)
        _p.check_regional_pipeline(pipeline_dict)
        with PlanPipeline.from_json(pipeline_dict):
            pass  # the engine's own check of the JSON, with its messages
        pipeline_json = json.dumps(pipeline_dict)
        policy_json = None
        if status_policy is not None:
            owned = None
            if not isinstance(status_policy, StatusPolicy):
                owned = status_policy = StatusPolicy.from_json(status_policy)
            try:
                policy_json = status_policy.to_json()
            finally:
                if owned is not None:
                    owned.close()
        reps = self.reps
        if "region" not in reps.columns or reps["region"].isna().any() or (reps["region"].astype(str) == "").any():
            raise ValueError("plan_by_region: every rep needs a region (a rep without one serves every "
                             "territory, which couples the regions)")
        customers = self._frames["customers"]
        regions = customers[["customer_id", "region"]] if "region" in customers.columns else None
        if regions is None:
            raise ValueError("plan_by_region: the customers have no region column")
        check = dask.compute(*[dask.delayed(_p.region_check)(f["customers"], f["assignments"], reps, day)
                               for f in self._delayed_frames()])
        for problem in check:
            if problem:
                raise ValueError(f"plan_by_region: {problem}")
        names = sorted(set(customers["region"].astype(str).unique().compute()))
        code = {name: i for i, name in enumerate(names)}
        # Every customer entity keyed by its customer's region, then moved
        # so that partition r holds region r.
        by_region = {}
        for entity, frame in self._frames.items():
            keyed = dd.map_partitions(_with_region, frame, customers[["customer_id", "region"]], code,
                                      meta=frame._meta.assign(_carteira_region=np.int64(0)),
                                      align_dataframes=False)
            by_region[entity] = keyed.set_index("_carteira_region", divisions=list(range(len(names)))
                                                + [len(names) - 1], drop=True)
        delayed_parts = {k: v.to_delayed() for k, v in by_region.items()}
        tasks = []
        for r, name in enumerate(names):
            frames = {k: delayed_parts[k][r] for k in delayed_parts}
            tasks.append(dask.delayed(_p.run_partition)(_Bound(_p.region_plan, (day, pipeline_json, policy_json, name)),
                                                       frames, reps, f"region {name}"))
        plans = dask.compute(*tasks)
        return _p.merge_plans(day, pipeline_dict, plans)


class _Bound:
    """func(portfolio, *args), picklable (a lambda is not)."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __call__(self, portfolio):
        return self.func(portfolio, *self.args)



def _with_region(frame: pd.DataFrame, customers: pd.DataFrame, code: dict) -> pd.DataFrame:
    region = customers.set_index("customer_id")["region"]
    values = frame["customer_id"].map(region)
    if values.isna().any():
        cid = frame["customer_id"][values.isna()].iloc[0]
        raise ValueError(f"plan_by_region: customer {cid!r} has no region")
    return frame.assign(_carteira_region=values.astype(str).map(code).astype(np.int64))


