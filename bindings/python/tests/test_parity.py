"""The parity scenario (tests/parity/README.md) from Python: equal, exactly,
to the file the C++, C and C# tests compare with."""

import carteira


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
            for status, count in engine.classify("2026-10-31").counts().items():
                got[f"sample.status.{status}"] = str(count)
        for segment, count in p.segments("2026-10-31")["segment"].value_counts().items():
            got[f"sample.segment.{segment}"] = str(count)
    assert got == expected(repo)
