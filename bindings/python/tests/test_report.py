"""The HTML report through the bindings: the sample in pt-BR and en, options,
errors, and the same bytes as the CLI."""

import subprocess

import pytest

import carteira


def charts(html):
    return {name: html.count(f'data-chart="{name}"') for name in
            ("status", "segments", "rfm-grid", "cohort", "lorenz", "rep-revenue", "rep-positivacao")}


@pytest.fixture(scope="module")
def sample():
    import pathlib

    p = carteira.Portfolio()
    p.import_directory(pathlib.Path(__file__).resolve().parents[3] / "examples" / "sample")
    yield p
    p.close()


def test_the_sample_report_has_every_chart(sample, tmp_path):
    path = tmp_path / "report.html"
    sample.write_report(path)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="pt-BR">' in html
    assert all(n == 1 for n in charts(html).values()), charts(html)
    assert 'data-chart="status" data-series="7"' in html
    assert "01/11/2025 a 31/10/2026 (365 dias)" in html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_english_with_a_period_title_and_no_currency(sample, tmp_path):
    path = tmp_path / "en.html"
    carteira.write_report(sample, str(path), as_of="2026-10-31", from_="2026-01-01", lang="en", currency="",
                          title="Sales <North> & Co")
    html = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "Portfolio status" in html
    assert "2026-01-01 to 2026-10-31 (304 days)" in html
    assert "Sales &lt;North&gt; &amp; Co" in html
    assert "R$" not in html


def test_a_policy_and_a_segment_map(sample, tmp_path):
    path = tmp_path / "r.html"
    policy = carteira.StatusPolicy.fixed(30, 90, 365)
    segment_map = carteira.SegmentMap.from_json('{"segments": [{"name": "recent", "r": [4, 5]}, {"name": "older"}]}')
    sample.write_report(path, policy=policy, segment_map=segment_map)
    html = path.read_text(encoding="utf-8")
    assert 'data-segment="recent"' in html and 'data-segment="older"' in html
    assert "política informada" in html


def test_same_bytes_as_the_cli(sample, tmp_path, repo):
    cli = repo / "build" / "release" / "src" / "carteira"
    if not cli.is_file():
        pytest.skip("no release build of the CLI")
    sample.write_report(tmp_path / "py.html", lang="en")
    subprocess.run([str(cli), "report", "--data", str(repo / "examples" / "sample"), "--lang", "en", "--out",
                    str(tmp_path / "cli.html")], check=True, capture_output=True)
    assert (tmp_path / "py.html").read_bytes() == (tmp_path / "cli.html").read_bytes()


def test_errors(sample, tmp_path):
    with pytest.raises(ValueError, match="lang"):
        sample.write_report(tmp_path / "r.html", lang="fr")
    missing = tmp_path / "no" / "such" / "r.html"
    with pytest.raises(carteira.NotFoundError, match=str(missing)):
        sample.write_report(missing)
    assert not (tmp_path / "no").exists()
    with pytest.raises(carteira.InvalidArgumentError, match="ends"):
        sample.write_report(tmp_path / "r.html", as_of="2026-01-01", from_="2026-02-01")
    with pytest.raises(ValueError, match="NUL"):
        sample.write_report(tmp_path / "r.html", title="a\0b")
    with carteira.Portfolio() as empty:
        with pytest.raises(carteira.InvalidArgumentError, match="no transactions"):
            empty.write_report(tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []
