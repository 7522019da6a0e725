"""Data hygiene from Python: documents, phones, e-mails and names one value
or a Series at a time; the report of a portfolio with planted problems; the
merge, which loses nothing."""

import datetime
import re

import numpy as np
import pandas as pd
import pytest

import carteira
from carteira import _lib
from carteira.hygiene import check_email, check_phone, check_tax_id, display_name, fold_key


def test_tax_ids_including_the_alphanumeric_cnpj():
    ok = check_tax_id("12.ABC.345/01DE-35")  # the Receita Federal's example
    assert ok.valid and ok.kind == "cnpj" and ok.formatted == "12.ABC.345/01DE-35"
    assert check_tax_id("12abc34501de35").formatted == "12.ABC.345/01DE-35"
    bad = check_tax_id("12.ABC.345/01DE-36")
    assert not bad.valid and bad.problem == "check_digit_mismatch" and bad.position == 14
    assert check_tax_id("000.000.000-00").problem == "repeated_digits"
    with pytest.raises(TypeError, match="value: expected str"):
        check_tax_id(None)


def test_checks_over_a_series_keep_its_index():
    values = pd.Series(["529.982.247-25", "529.982.247-24", ""], index=["a", "b", "c"])
    frame = check_tax_id(values)
    assert list(frame.index) == ["a", "b", "c"]
    assert frame["valid"].tolist() == [True, False, False]
    assert frame.loc["c", "problem"] == "empty"
    assert frame.loc["a", "formatted"] == "529.982.247-25"


def test_phones_and_the_ninth_digit():
    mobile = check_phone("(11) 98765-4321")
    assert isinstance(mobile, carteira.hygiene.Phone)
    assert mobile.valid and mobile.type == "mobile" and mobile.e164 == "+5511987654321"
    old = check_phone("(21) 8765-4321")
    assert not old.valid and old.suggestion == "+5521987654321" and old.e164 == ""
    assert check_phone("+1 650 253 0000", region="BR").e164 == "+16502530000"
    frame = check_phone(["(11) 3333-4444", "123"])
    assert frame["type"].tolist()[0] == "fixed_line" and not frame["valid"].tolist()[1]


def test_emails_suggest_but_never_apply():
    e = check_email("joao@HOTMAL.com")
    assert e.valid and e.normalized == "joao@hotmal.com" and e.suggestion == "joao@hotmail.com"
    assert check_email("joao.@gmail.com").problem == "dot_placement"
    assert check_email("sem arroba").problem == "missing_at"


def test_names_fold_and_display_with_icu():
    assert display_name("MARIA DAS GRAÇAS  d'ávila") == "Maria das Graças D'Ávila"
    assert fold_key("  José  D'Ávila-Gonçalves") == "jose d avila goncalves"
    assert fold_key("ÇÃO") == fold_key("cao")


def planted(portfolio):
    portfolio.append_customers(
        ["C1", "C2", "C3"],
        name=["Padaria São João Ltda", "João Pereira", "PADARIA SAO JOAO LTDA"],
        document=["11.222.333/0001-81", "123.456.789-00", "11222333000181"],
        email=["contato@padariasj.com.br", "joao@hotmal.com", ""],
        phone=["(11) 3333-4444", "(21) 8765-4321", "(11) 3333-4444"],
        city=["São Paulo", "Rio de Janeiro", "Sao Paulo"],
    )
    index = portfolio.intern_customers(["C1", "C1", "C2", "C3", "C3"])
    days = carteira.to_days(["2024-01-02", "2024-02-03", "2024-01-20", "2024-03-01", "2024-03-05"])
    portfolio.append_transactions(index, days, np.array([10000, 2550, 999, 4000, -500]))


def test_the_report_names_the_customer_field_and_fix(portfolio):
    planted(portfolio)
    report = portfolio.hygiene()
    problems = report.problems
    assert list(problems.columns) == ["customer_index", "customer_id", "field", "value", "problem",
                                      "detail", "suggestion"]
    c2 = problems[problems["customer_id"] == "C2"].set_index("field")
    assert c2.loc["document", "problem"] == "check_digit_mismatch"
    assert c2.loc["email", "suggestion"] == "joao@hotmail.com"
    assert c2.loc["phone", "suggestion"] == "+5521987654321"
    assert report.counts["duplicates.clusters"] == 1
    (cluster,) = report.clusters
    assert cluster.customer_ids == ["C1", "C3"] and "document" in cluster.reasons and cluster.score >= 0.75
    plain = carteira.hygiene.hygiene_report(portfolio, find_duplicates=False, as_frame=False)
    assert plain.clusters == [] and isinstance(plain.problems, dict)
    with pytest.raises(carteira.InvalidArgumentError, match="link_threshold"):
        portfolio.hygiene(link_threshold=2)


def test_merge_loses_nothing_and_keeps_the_old_id(portfolio):
    planted(portfolio)
    as_of = datetime.date(2024, 4, 1)
    before, revenue = portfolio.counts(), portfolio.summary(as_of)["revenue"].sum()
    with pytest.raises(carteira.InvalidArgumentError, match="say who merges"):
        portfolio.merge_customers("C1", ["C3"], merged_at=as_of, merged_by="")
    assert portfolio.counts() == before
    portfolio.merge_customers("C1", ["C3"], merged_at=as_of, merged_by="analista")
    after = portfolio.counts()
    assert after["customers"] == before["customers"] - 1
    assert after["transactions"] == before["transactions"]
    summary = portfolio.summary(as_of)
    assert summary["revenue"].sum() == revenue == 10000 + 2550 + 999 + 4000 - 500
    assert portfolio.find_customer("C3") == portfolio.find_customer("C1")
    with pytest.raises(carteira.Error):
        portfolio.merge_customers("C1", "C9", merged_by="analista")
    assert portfolio.counts() == after


def test_every_hygiene_function_of_the_header_is_declared_and_called(repo, portfolio, monkeypatch):
    header = (repo / "capi" / "include" / "carteira" / "carteira.h").read_text()
    section = header.split("---- Data hygiene")[1].split("/* ---- ")[0]
    wanted = set(re.findall(r"CARTEIRA_API[^;(]*?\b(carteira_\w+)\s*\(", section))
    assert len(wanted) == 14
    called = set()
    real = _lib.lib

    class Recorder:
        def __getattr__(self, name):
            called.add(name)
            return getattr(real, name)

    monkeypatch.setattr(_lib, "lib", Recorder())
    planted(portfolio)
    check_tax_id("x"), check_phone("x"), check_email("x"), display_name("x"), fold_key("x")
    portfolio.hygiene()
    portfolio.merge_customers("C1", "C3", merged_at="2024-04-01", merged_by="teste")
    assert wanted - called == set()
