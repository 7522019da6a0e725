"""carteira.dask on a LocalCluster of worker processes: every result of the
partitioned portfolio equals the engine's on the whole portfolio, built from
the same rows on one machine (docs/dask.md)."""

import os
import pathlib
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

pytest.importorskip("dask", reason="carteira.dask needs dask (Debian: python3-dask; scripts/setup installs it)")
pytest.importorskip("distributed",
                    reason="the cluster tests need distributed (Debian: python3-distributed; scripts/setup installs it)")
pd = pytest.importorskip("pandas", reason="carteira.dask needs pandas")

import carteira  # noqa: E402
from carteira import dask as cd  # noqa: E402

AS_OF = "2025-12-31"
PYTHON_DIR = pathlib.Path(__file__).resolve().parents[1]


def _portfolio_frames(seed=5, customers=700):
    """A small portfolio of three regions with statuses of every kind, moves
    in the assignment history, returns, contacts and survey answers."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"C{i:05d}" for i in rng.permutation(customers)], dtype=object)
    regions = np.array(["Leste", "Norte", "Sul"], dtype=object)
    region = regions[rng.integers(0, 3, customers)]
    segment = np.array(["atacado", "varejo"], dtype=object)[rng.integers(0, 2, customers)]
    created = np.datetime64("2019-01-01") + rng.integers(0, 1500, customers).astype("timedelta64[D]")
    customer_frame = pd.DataFrame({
        "customer_id": ids, "name": [f"Cliente {i}" for i in ids], "region": region, "segment": segment,
        "created_at": created.astype("datetime64[ns]"), "key_account": rng.random(customers) < 0.03,
    })
    rep_rows = []
    for r in regions:
        for k in range(1, 4):
            rep_rows.append({"rep_id": f"R{r[0]}{k}", "name": f"Rep {r} {k}", "region": r,
                             "segments": "" if k != 3 else "varejo", "capacity": 0 if k != 2 else 120,
                             "active": not (r == "Sul" and k == 3), "team": f"Equipe {r}"})
    reps = pd.DataFrame(rep_rows)
    by_region = {r: reps.rep_id[reps.region == r].tolist() for r in regions}
    # Assignments: a first rep of the region, and for a fifth a later move.
    a_rows = []
    for cid, r in zip(ids, region):
        first = by_region[r][rng.integers(0, 2)]  # unbalanced on purpose: rebalance has work
        a_rows.append((cid, first, np.datetime64("2021-01-01") + rng.integers(0, 900)))
        if rng.random() < 0.2:
            a_rows.append((cid, by_region[r][rng.integers(0, 3)], np.datetime64("2025-09-01") + rng.integers(0, 90)))
    # Same-day reassignments: the later-recorded row holds the customer, on
    # the cluster too (the shuffle does not keep the order by itself).
    for i in rng.choice(len(a_rows), size=len(a_rows) // 8, replace=False):
        cid, rep, since = a_rows[i]
        r = region[ids == cid][0]
        a_rows.append((cid, by_region[r][(by_region[r].index(rep) + 1) % 3], since))
    assignments = pd.DataFrame(a_rows, columns=["customer_id", "rep_id", "since"])
    assignments["since"] = assignments["since"].astype("datetime64[ns]")
    # Transactions: each customer buys at its own rate until it stops.
    t_rows = []
    start = np.datetime64("2022-01-01")
    for cid in ids:
        if rng.random() < 0.05:
            continue  # a prospect
        first = rng.integers(0, 1300)
        stop = min(1460, first + int(rng.exponential(700)))
        rate = rng.uniform(0.005, 0.06)
        day = first
        while day <= stop:
            amount = int(rng.integers(500, 90000))
            if rng.random() < 0.03:
                amount = -amount // 3
            t_rows.append((cid, start + day, amount))
            day += 1 + int(rng.exponential(1 / rate))
    transactions = pd.DataFrame(t_rows, columns=["customer_id", "date", "amount"])
    transactions["date"] = transactions["date"].astype("datetime64[ns]")
    # Contacts by each customer's rep, and survey answers.
    holders = assignments.groupby("customer_id").rep_id.last()
    contact = rng.choice(ids, size=customers)
    interactions = pd.DataFrame({
        "customer_id": contact, "rep_id": holders.reindex(contact).to_numpy(),
        "date": (np.datetime64("2025-01-01") + rng.integers(0, 365, customers).astype("timedelta64[D]")
                 ).astype("datetime64[ns]"),
        "channel": "visita", "outcome": "ok"})
    surveys = pd.DataFrame({
        "customer_id": rng.choice(ids, size=300),
        "date": (np.datetime64("2025-01-01") + rng.integers(0, 365, 300).astype("timedelta64[D]")
                 ).astype("datetime64[ns]"),
        "score": rng.integers(0, 11, 300)})
    return {"customers": customer_frame, "transactions": transactions, "assignments": assignments,
            "interactions": interactions, "surveys": surveys}, reps


@pytest.fixture(scope="module")
def data():
    return _portfolio_frames()


@pytest.fixture(scope="module")
def whole(data):
    """The engine on the whole portfolio, one machine."""
    frames, reps = data
    with cd.build_portfolio(frames, reps, where="whole") as p:
        yield p


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    # Worker processes import carteira like this process does.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(PYTHON_DIR)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=40)
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def parts(data, client):
    frames, reps = data
    return cd.CustomerPartitions(frames["transactions"], customers=frames["customers"],
                                 assignments=frames["assignments"], interactions=frames["interactions"],
                                 surveys=frames["surveys"], reps=reps, npartitions=4)


def _by_id(frame):
    return frame.sort_values("customer_id", kind="mergesort").reset_index(drop=True)


# ---- the package without dask -----------------------------------------------------------


def test_importing_carteira_does_not_import_dask():
    code = "import sys, carteira; carteira.Portfolio().close(); print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(PYTHON_DIR)})
    assert out.stdout.strip() == "False"


# ---- partitioning ----------------------------------------------------------------------


def test_every_customer_lands_in_one_partition_with_all_its_rows(parts, data, client):
    frames, _ = data
    n = parts.npartitions
    where = {}
    for entity, frame in parts._frames.items():
        for i, part in enumerate(frame.to_delayed()):
            ids = part.compute()["customer_id"].unique()
            assert (cd.customer_partition(ids, n) == i).all(), entity
            for cid in ids:
                assert where.setdefault(cid, i) == i
    assert len(frames["transactions"]) == len(parts._frames["transactions"])


def test_partition_of_a_customer_is_stable():
    ids = np.array(["C1", "C2", "Ação 3"], dtype=object)
    a = cd.customer_partition(ids, 7)
    assert (a == cd.customer_partition(ids[::-1], 7)[::-1]).all()
    assert ((a >= 0) & (a < 7)).all()
    with pytest.raises(ValueError, match="row 1 has no customer id"):
        cd.customer_partition(np.array(["C1", None], dtype=object), 3)


# ---- item 1: summary and status in the workers ----------------------------------------------


def test_summary_on_the_cluster_equals_the_whole_portfolios(parts, whole):
    got = parts.summary(AS_OF, "weeks")
    assert isinstance(got, cd.dd.DataFrame)
    got = _by_id(got.compute())
    expected = _by_id(whole.summary(AS_OF, "weeks").reset_index(drop=True))
    assert len(got) > 500
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_status_on_the_cluster_equals_the_whole_portfolios(parts, whole):
    policy = {"recency": {"at_risk_after": 60, "inactive_after": 200},
              "segments": {"varejo": {"recency": {"inactive_after": 150}}}}
    got = _by_id(parts.status(AS_OF, policy, reasons=True).compute())
    with carteira.StatusPolicy.from_json(policy) as pol, carteira.StatusEngine(whole, pol) as engine, \
            engine.classify(AS_OF) as table:
        expected = _by_id(table.to_pandas(reasons=True).reset_index(drop=True))
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_categorical=False)
    assert set(got["status"]) >= {"active", "at_risk", "inactive", "prospect"}
    assert (got["scope"] == 0).any()  # the varejo entry, by its index in the whole policy


def test_a_policy_segment_no_customer_has_is_an_error_on_the_cluster_too(parts, whole):
    policy = {"segments": {"industria": {"recency": {"inactive_after": 150}}}}
    with pytest.raises(ValueError, match="segments.industria: no customer has this segment"):
        parts.status(AS_OF, policy)
    with pytest.raises(carteira.InvalidArgumentError, match="segments.industria: no customer has this segment"):
        with carteira.StatusPolicy.from_json(policy) as pol:
            carteira.StatusEngine(whole, pol)


# ---- item 2: models ----------------------------------------------------------------------


def test_sufficient_rows_merged_from_partitions_equal_the_whole_portfolios(parts, whole):
    rows = parts.sufficient_rows(AS_OF, "weeks")
    s = whole.summary(AS_OF, "weeks")
    expected = (s.groupby(["x", "t_x", "T"]).size().rename("weight").reset_index()
                .sort_values(["x", "t_x", "T"]).reset_index(drop=True))
    expected["x"] = expected["x"].astype(np.int64)
    expected["weight"] = expected["weight"].astype(np.int64)
    pd.testing.assert_frame_equal(rows, expected, check_exact=True)
    assert rows["weight"].sum() == len(s) and len(rows) < len(s)


def test_fit_on_the_cluster_equals_the_single_machine_fit(parts, whole):
    model = parts.fit("bgnbd", AS_OF, "weeks")
    assert model.converged, model.reason
    # The same weighted distinct rows on one machine: bit for bit.
    s = whole.summary(AS_OF, "weeks")
    rows = s.groupby(["x", "t_x", "T"]).size().rename("weight").reset_index()
    with carteira.Model.fit("bgnbd", rows["x"], rows["t_x"], rows["T"], weight=rows["weight"],
                            unit="weeks") as same:
        assert model.params == same.params
        assert model.log_likelihood == same.log_likelihood
    # Against the customer-by-customer fit: the same maximum of the same
    # likelihood, summed in another order (and, above 200,000 rows, reached
    # from a sample): equal to the optimiser's tolerance.
    with carteira.Model.fit_portfolio("bgnbd", whole, AS_OF, "weeks") as single:
        for name, value in single.params.items():
            assert model.params[name] == pytest.approx(value, rel=1e-6), name
        assert model.log_likelihood == pytest.approx(single.log_likelihood, rel=1e-12)
        assert model.n_customers == single.n_customers


def test_predictions_mapped_over_the_partitions_equal_the_whole_portfolios(parts, whole):
    with parts.fit("bgnbd", AS_OF, "weeks") as model:
        got = _by_id(parts.predict(model, AS_OF, 90, "days").compute())
        s = whole.summary(AS_OF, "weeks").reset_index(drop=True)
        expected = pd.DataFrame({"customer_id": s["customer_id"], "x": s["x"], "t_x": s["t_x"], "T": s["T"]})
        expected["p_alive"] = model.p_alive(s["x"].to_numpy(), s["t_x"].to_numpy(), s["T"].to_numpy(),
                                            unit="weeks")
        expected["expected_purchases"] = model.expected_purchases(
            90, s["x"].to_numpy(), s["t_x"].to_numpy(), s["T"].to_numpy(), horizon_unit="days", unit="weeks")
        pd.testing.assert_frame_equal(got, _by_id(expected), check_exact=True)
        # The P(alive) status rule with the cluster's model, in the workers.
        status = _by_id(parts.status(AS_OF, p_alive_model=model).compute())
        with carteira.StatusEngine(whole) as engine:
            engine.add_p_alive_rule(model)
            with engine.classify(AS_OF) as table:
                single = _by_id(table.to_pandas(reasons=False).reset_index(drop=True))
        pd.testing.assert_frame_equal(status, single, check_exact=True, check_categorical=False)
        assert status["p_alive"].notna().sum() > 500


def test_gamma_gamma_is_refused_with_the_reason(parts):
    with pytest.raises(ValueError, match="gammagamma needs every customer's zbar"):
        parts.fit("gammagamma", AS_OF)


# ---- item 3: KPIs and RFM ----------------------------------------------------------------


def test_kpis_on_the_cluster_equal_the_whole_portfolios(parts, whole):
    for frm, to in (("2025-01-01", AS_OF), ("2024-07-01", "2025-06-30")):
        got = parts.kpi(frm, to)
        expected = whole.kpi_report(frm, to).overall
        assert got == expected, {k: (got[k], expected[k]) for k in got if got[k] != expected[k]}
    assert got["gini"] is not None and got["top20_share"] is not None and got["nps"] is not None


def test_cohorts_on_the_cluster_equal_the_whole_portfolios(parts, whole):
    got = parts.cohorts("2024-07-01", AS_OF)
    expected = whole.cohorts("2024-07-01", AS_OF)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["size"].sum() > 50 and got["+1"].notna().sum() > 10


def test_kpis_of_a_period_with_no_revenue_keep_their_nulls(parts, whole):
    got = parts.kpi("2030-01-01", "2030-01-31")
    assert got == whole.kpi_report("2030-01-01", "2030-01-31").overall
    assert got["gini"] is None and got["average_ticket"] is None


def test_rfm_scores_on_the_cluster_equal_the_whole_portfolios(parts, whole):
    thresholds = parts.rfm_thresholds(AS_OF)
    seg = whole.segments(AS_OF).reset_index(drop=True)
    for figure, higher in (("recency_days", False), ("frequency", True), ("monetary", True)):
        assert thresholds[figure] == carteira.segments.quintile_thresholds(seg[figure], higher), figure
    got = _by_id(parts.rfm(AS_OF, thresholds).compute())
    expected = _by_id(seg[["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m"]])
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert set(got["m"]) == {1, 2, 3, 4, 5}


def test_exact_distribution_matches_a_sort_of_everything(client):
    import dask

    rng = np.random.default_rng(3)
    chunks = [np.concatenate([rng.integers(-50, 50, 400), rng.integers(0, 10**12, 50),
                              np.full(30, 7), np.array([np.iinfo(np.int64).max // 4])]) for _ in range(5)]
    chunks.append(np.empty(0, dtype=np.int64))
    dist = cd.ExactDistribution([dask.delayed(c) for c in chunks], buckets=7)
    everything = np.sort(np.concatenate(chunks))
    ranks = [1, 2, 100, 777, len(everything)]
    assert dist.order_statistics(ranks) == [int(everything[r - 1]) for r in ranks]
    n, total, ranked, top_sum = dist.concentration()
    desc = [int(v) for v in everything[::-1]]
    assert n == len(desc) and total == sum(desc)
    assert ranked == sum(j * v for j, v in enumerate(desc))
    assert top_sum == sum(desc[:(n + 4) // 5])


# ---- item 4: plans per region ---------------------------------------------------------------

PIPELINE = {"policies": [
    {"policy": "assign_unowned", "method": "least_loaded"},
    {"policy": "rotate_at_risk", "no_contact_days": 30, "cooldown_days": 60, "max_moves_per_rep": 8},
    {"policy": "rebalance", "tolerance": 0.15, "objective": "moves"},
]}


def test_plans_per_region_merge_into_the_whole_portfolios_plan(parts, whole):
    got = parts.plan_by_region(AS_OF, PIPELINE)
    with carteira.StatusEngine(whole) as engine, engine.classify(AS_OF) as table, \
            whole.plan(table, PIPELINE) as plan:
        moves = plan.moves(as_frame=True)
        assert len(moves) > 20 and set(moves["policy"]) == {"assign_unowned", "rotate_at_risk", "rebalance"}
        assert got.id == plan.id
        key = ["customer_id"]
        pd.testing.assert_frame_equal(got.moves.sort_values(key).reset_index(drop=True),
                                      moves.sort_values(key).reset_index(drop=True), check_exact=True)
        # Within a policy, the same order as on one machine, region by region.
        for region in ("Leste", "Norte", "Sul"):
            ours = got.moves[got.moves["to"].str[1] == region[0]]
            theirs = moves[moves["to"].str[1] == region[0]]
            assert ours["customer_id"].tolist() == theirs["customer_id"].tolist()
        unplaced = plan.unplaced(as_frame=True)
        pd.testing.assert_frame_equal(
            got.unplaced.sort_values(["policy", "customer_id"]).reset_index(drop=True),
            unplaced.sort_values(["policy", "customer_id"]).reset_index(drop=True), check_exact=True)
        assert got.infeasible == plan.infeasible()
        pd.testing.assert_frame_equal(got.before, plan.rep_figures(after=False, as_frame=True))
        pd.testing.assert_frame_equal(got.after, plan.rep_figures(after=True, as_frame=True))
        assert got.fairness_before == plan.fairness(after=False)
        assert got.fairness_after == plan.fairness(after=True)


def test_what_couples_the_regions_is_refused_by_name(parts, data, client):
    with pytest.raises(ValueError, match=r"policies\[0\] \(assign_unowned, round_robin\) couples the regions"):
        parts.plan_by_region(AS_OF, {"policies": [{"policy": "assign_unowned"}]})
    with pytest.raises(ValueError, match=r"policies\[0\] \(release_inactive\) couples the regions"):
        parts.plan_by_region(AS_OF, {"policies": [{"policy": "release_inactive", "to_rep": "RL1"}]})
    frames, reps = data
    moved = frames["assignments"].copy()
    cid = frames["customers"].customer_id[frames["customers"].region == "Sul"].iloc[0]
    moved.loc[len(moved)] = [cid, "RN1", pd.Timestamp("2025-12-01")]
    crossed = cd.CustomerPartitions(frames["transactions"], customers=frames["customers"], assignments=moved,
                                    reps=reps, npartitions=2)
    with pytest.raises(ValueError, match=f"customer '{cid}' \\(region Sul\\) is held by RN1 of region Norte"):
        crossed.plan_by_region(AS_OF, PIPELINE)


# ---- item 5: a worker dies mid-computation ----------------------------------------------------


def _slow_summary(portfolio, as_of):
    time.sleep(0.4)
    return portfolio.summary(as_of, "days", as_frame=True).reset_index(drop=True)


def test_a_worker_killed_mid_computation_is_replaced_and_the_result_is_right(data, whole, client):
    frames, reps = data
    parts = cd.CustomerPartitions(frames["transactions"], customers=frames["customers"], reps=reps,
                                  npartitions=8)
    meta = _by_id(whole.summary(AS_OF, "days").reset_index(drop=True)).iloc[:0]
    future = client.compute(parts.map_portfolios(_slow_summary, carteira.date_to_days(AS_OF), meta=meta))
    # Wait until a worker is running a partition, then kill its process.
    deadline = time.time() + 30
    victim = None
    while victim is None and time.time() < deadline:
        for address, keys in client.processing().items():
            if any("run_partition" in str(k) for k in keys):
                victim = address
                break
        time.sleep(0.02)
    assert victim is not None, "no partition started"
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    got = _by_id(future.result(timeout=300))
    pd.testing.assert_frame_equal(got, _by_id(whole.summary(AS_OF, "days").reset_index(drop=True)),
                                  check_exact=True)
    # The killed worker is gone; its nanny started another one (a new address).
    deadline = time.time() + 60
    while time.time() < deadline and (victim in client.scheduler_info()["workers"]
                                      or len(client.scheduler_info()["workers"]) < 2):
        time.sleep(0.1)
    assert victim not in client.scheduler_info()["workers"]
    assert len(client.scheduler_info()["workers"]) == 2


# ---- assignments of one day: the later-recorded row holds the customer ------------------------


def _books(portfolio):
    board = portfolio.rep_dashboard(AS_OF)
    return dict(zip(board["rep_id"], board["book"]))


def test_same_day_assignments_follow_the_recorded_order_through_the_shuffle(client):
    reps = pd.DataFrame({"rep_id": ["R1", "R2"], "region": ["X", "X"]})
    day = pd.Timestamp("2025-06-01")
    rows = pd.DataFrame({"customer_id": ["C1", "C1", "C2", "C2"], "rep_id": ["R1", "R2", "R2", "R1"],
                         "since": [day] * 4})
    with cd.build_portfolio({"assignments": rows}, reps) as p:
        assert _books(p) == {"R1": 1, "R2": 1}  # C1 -> R2, C2 -> R1: the later rows
    # An explicit order column overrides the frame's order.
    reordered = rows.assign(**{carteira.partitions.ROW_ORDER: [1, 0, 2, 3]})
    with cd.build_portfolio({"assignments": reordered}, reps) as p:
        assert _books(p) == {"R1": 2, "R2": 0}
    # The shuffle records every row's place in the input, in input order.
    many = pd.concat([rows] * 300, ignore_index=True)
    shuffled = cd.partition_by_customer(cd.dd.from_pandas(many, npartitions=3), 2, keep_order=True).compute()
    order = shuffled[carteira.partitions.ROW_ORDER].to_numpy()
    assert len(np.unique(order)) == len(many)
    by_customer = shuffled.sort_values(carteira.partitions.ROW_ORDER, kind="mergesort")
    for cid, group in by_customer.groupby("customer_id"):
        expected = many[many.customer_id == cid]["rep_id"].tolist()
        assert group["rep_id"].tolist() == expected, cid


def test_the_order_rows_arrive_in_changes_nothing(data, whole):
    frames, reps = data
    rng = np.random.default_rng(1)
    shuffled = {k: v.iloc[rng.permutation(len(v))] for k, v in frames.items() if k != "assignments"}
    shuffled["assignments"] = frames["assignments"]  # ties keep their recorded order
    with cd.build_portfolio(shuffled, reps, where="shuffled") as p:
        pd.testing.assert_frame_equal(p.summary(AS_OF, "weeks"), whole.summary(AS_OF, "weeks"), check_exact=True)
        assert p.kpi_report("2025-01-01", AS_OF).overall == whole.kpi_report("2025-01-01", AS_OF).overall
        with carteira.StatusEngine(p) as e1, e1.classify(AS_OF) as t1, carteira.StatusEngine(whole) as e2, \
                e2.classify(AS_OF) as t2:
            pd.testing.assert_frame_equal(t1.to_pandas(), t2.to_pandas(), check_exact=True)
