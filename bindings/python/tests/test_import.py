"""CSV import: options, strict and lenient modes, reports, and the shipped sample."""

import numpy as np
import pandas as pd
import pytest

import carteira
from carteira.import_options import format_column_mapping

BAD_FILE = (
    "customer_id;date;amount;order_id\n"
    "A;01/02/2024;10,00;P1\n"
    "B;31/02/2024;5,00;P2\n"      # line 3: no such day
    "C;01/03/2024;abc;P3\n"       # line 4: not money
    "D;02/03/2024;7,25;P4\n"
)


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "transactions.csv"
    path.write_text(BAD_FILE, encoding="utf-8")
    return path


def test_import_text_reads_a_brazilian_csv_with_bom(portfolio):
    text = (
        "\ufeffcustomer_id;date;amount;order_id\r\n"
        "A;05/01/2024;1.234,56;P1\r\n"
        "A;20/01/2024;10,50;P2\r\n"
        "B;15/01/2024;200,00;P3\r\n"
        "B;31/01/2024;-99,90;P4\r\n"
    )
    report = portfolio.import_text("transactions", text, name="vendas.csv")
    assert report.applied and report.issues == [] and report.issue_total == 0
    assert report.counts("transactions") == {"rows_read": 4, "rows_added": 4, "rows_rejected": 0}
    assert "transactions: 4 rows read" in str(report)
    assert portfolio.counts()["transactions"] == 4
    assert portfolio.counts()["customers"] == 2  # bare customers created for A and B

    df = portfolio.summary("2024-01-31").set_index("customer_id")
    assert df.loc["A", "revenue"] == 123456 + 1050
    assert df.loc["A", "first_purchase"] == pd.Timestamp("2024-01-05")
    assert df.loc["B", "revenue"] == 20000 - 9990
    assert df.loc["B", "purchase_days"] == 1  # the return is not a purchase


def test_decimal_option_decides_an_ambiguous_amount(portfolio):
    text = "customer_id\tdate\tamount\nA\t2024-01-05\t1.234\n"
    with pytest.raises(carteira.InvalidArgumentError, match="1.234"):
        portfolio.import_text("transactions", text)  # a decimal point: too many decimals
    portfolio.import_text("transactions", text, decimal=",")  # thousands separator
    assert portfolio.summary("2024-02-01").revenue.tolist() == [123400]


def test_strict_import_of_a_bad_file_raises_and_changes_nothing(portfolio, bad_file):
    portfolio.import_text("transactions", "customer_id;date;amount\nZ;01/01/2024;1,00\n")
    before = portfolio.counts()
    with pytest.raises(carteira.InvalidArgumentError, match="nothing was imported") as info:
        portfolio.import_file("transactions", bad_file)
    assert portfolio.counts() == before

    report = info.value.report
    assert isinstance(report, carteira.ImportReport)
    assert not report.applied
    assert report.issue_total == 2
    first, second = report.issues
    assert (first.file, first.line, first.column, first.field, first.value) == (
        str(bad_file), 3, 2, "date", "31/02/2024")
    assert "does not exist" in first.message
    assert (second.line, second.column, second.field, second.value) == (4, 3, "amount", "abc")
    assert report.counts("transactions")["rows_added"] == 0


def test_lenient_import_adds_the_good_rows_and_lists_the_bad(portfolio, bad_file):
    report = portfolio.import_file("transactions", bad_file, lenient=True)
    assert report.applied
    assert report.counts("transactions") == {"rows_read": 4, "rows_added": 2, "rows_rejected": 2}
    assert [(i.line, i.field) for i in report.issues] == [(3, "date"), (4, "amount")]
    assert portfolio.counts()["transactions"] == 2
    assert f"{bad_file}:3:2" in str(report)


def test_max_issues_caps_the_list_but_not_the_total(portfolio, bad_file):
    report = portfolio.import_file("transactions", bad_file, lenient=True, max_issues=1)
    assert len(report.issues) == 1 and report.issue_total == 2


def test_strict_directory_import_is_atomic_across_files(portfolio, tmp_path):
    (tmp_path / "customers.csv").write_text("customer_id;name\nA;Ana\nB;Bruno\n")
    (tmp_path / "transactions.csv").write_text(BAD_FILE.replace("C;", "A;").replace("D;", "B;"))
    with pytest.raises(carteira.Error) as info:
        portfolio.import_directory(tmp_path)
    assert portfolio.counts()["customers"] == 0
    assert info.value.report.counts("customers")["rows_read"] == 2
    assert {i.line for i in info.value.report.issues} == {3, 4}


def test_missing_directory_raises_not_found(portfolio, tmp_path):
    with pytest.raises(carteira.NotFoundError):
        portfolio.import_directory(tmp_path / "absent")


def test_unknown_entity_is_refused_by_the_library(portfolio):
    with pytest.raises(carteira.InvalidArgumentError, match="unknown entity 'sales'") as info:
        portfolio.import_text("sales", "a;b\n")
    assert info.value.report is None


def test_column_mapping_by_header_name_and_by_position(portfolio):
    renamed = "cliente;quando;valor\nA;02/01/2024;3,00\n"
    portfolio.import_text("transactions", renamed,
                          column_mapping={"customer_id": "cliente", "date": "quando", "amount": "valor"})
    headerless = "x;B;03/01/2024;5,00\n"
    portfolio.import_text("transactions", headerless, has_header=False,
                          column_mapping={"transactions": {"customer_id": 2, "date": 3, "amount": 4}})
    df = portfolio.summary("2024-01-31").set_index("customer_id")
    assert df.revenue.to_dict() == {"A": 300, "B": 500}


def test_column_mapping_dicts_become_the_c_string():
    assert format_column_mapping({"customer_id": "2", "date": 3}) == "customer_id=2;date=3"
    assert format_column_mapping({"transactions": {"amount": "valor"}, "customer_id": "id"}) == (
        "transactions:amount=valor;customer_id=id")
    assert format_column_mapping("date=1") == "date=1"
    assert format_column_mapping(None) is None
    with pytest.raises(ValueError, match="cannot contain"):
        format_column_mapping({"date": "a;b"})
    with pytest.raises(ValueError, match="unknown entity"):
        format_column_mapping({"sales": {"date": "1"}})


def test_bad_option_values_are_refused_before_the_call(portfolio):
    with pytest.raises(ValueError, match="delimiter"):
        portfolio.import_text("transactions", "", delimiter=";;")
    with pytest.raises(ValueError, match="decimal"):
        portfolio.import_text("transactions", "", decimal="x")


# ---- the shipped sample -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_dir):
    with carteira.Portfolio() as p:
        report = p.import_directory(sample_dir)
        yield p, report


def _data_rows(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip()) - 1  # minus the header


def test_sample_import_counts_every_row_of_every_file(sample, sample_dir):
    p, report = sample
    assert report.applied and report.issue_total == 0
    counts = p.counts()
    assert counts["customers"] == 5000
    for entity in carteira.ENTITIES:
        rows = _data_rows(sample_dir / f"{entity}.csv")
        assert counts[entity] == rows, entity
        assert report.counts(entity) == {"rows_read": rows, "rows_added": rows, "rows_rejected": 0}


def test_sample_summary_agrees_with_pandas_on_the_csv(sample, sample_dir):
    p, _ = sample
    as_of = np.datetime64("2026-10-31")
    df = p.summary("2026-10-31")
    assert tuple(df.columns) == carteira.SUMMARY_COLUMNS
    assert df.customer_id.is_unique and 0 < len(df) <= 5000
    assert str(df.first_purchase.dtype).startswith("datetime64")
    assert df.revenue.dtype == np.int64 and df.zbar.dtype == np.float64

    # The same figures straight from the file, with pandas.
    tx = pd.read_csv(sample_dir / "transactions.csv", sep=";", dtype=str, usecols=[0, 1, 2])
    tx["day"] = pd.to_datetime(tx.date, format="%d/%m/%Y").values.astype("datetime64[D]")
    tx["minor"] = tx.amount.str.replace(".", "", regex=False).str.replace(",", "", regex=False).astype(np.int64)
    tx = tx[tx.day <= as_of]
    purchases = tx[tx.minor >= 0]
    expected = pd.DataFrame({
        "revenue": tx.groupby("customer_id").minor.sum(),
        "purchase_days": purchases.groupby("customer_id").day.nunique(),
    }).dropna().astype(np.int64)
    got = df.set_index("customer_id")[["revenue", "purchase_days"]]
    assert set(got.index) == set(expected.index)
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_names=False)
    assert (df.x == df.purchase_days - 1).all()
    assert (df.days_since_last == (as_of - df.last_purchase.values.astype("datetime64[D]")).astype(int)).all()
