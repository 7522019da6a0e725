"""The parity scenario (tests/parity/README.md) from Python: equal, exactly,
to the file the C++, C and C# tests compare with."""

import carteira

# The plan's pipeline, the same text in every language's parity test.
PIPELINE = ('{"policies": [{"policy": "assign_unowned"}, {"policy": "rotate_at_risk", "max_moves_per_rep": 3}, '
            '{"policy": "rebalance", "tolerance": 0.1}]}')


def expected(repo):
    out = {}
    for line in (repo / "tests" / "parity" / "expected.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split()
            out[key] = value
    return out


def test_parity_with_the_core(repo, cdnow_dir, sample_dir):
    got = {}
    with carteira.Portfolio() as p:
        p.import_file("transactions", cdnow_dir / "CDNOW_sample.txt", has_header=False, delimiter=" ",
                      column_mapping={"customer_id": 2, "date": 3, "amount": 5})
        with carteira.Model.fit_portfolio("bgnbd", p, "1997-09-30", "weeks") as m:
            for name, value in m.params.items():
                got[f"cdnow.bgnbd.{name}"] = "%.17g" % value
            got["cdnow.bgnbd.log_likelihood"] = "%.17g" % m.info.log_likelihood
    with carteira.Portfolio() as p:
        p.import_directory(sample_dir)
        with carteira.StatusEngine(p) as engine:
            table = engine.classify("2026-10-31")
            for status, count in table.counts().items():
                got[f"sample.status.{status}"] = str(count)
            with carteira.Plan.build(p, table, PIPELINE) as plan:
                got["sample.plan.id"] = plan.id
                got["sample.plan.moves"] = str(len(plan))
                got["sample.plan.unplaced"] = str(len(plan.unplaced()))
                got["sample.plan.gini_after"] = "%.17g" % plan.fairness(after=True).gini
        for segment, count in p.segments("2026-10-31")["segment"].value_counts().items():
            got[f"sample.segment.{segment}"] = str(count)
    assert got == expected(repo)
