using System;
using Xunit;

namespace Carteira.Tests;

public class ImportTests
{
    // A Brazilian export: ';' separated, dd/mm/yyyy, decimal comma, accents.
    private const string Customers =
        "customer_id;name;city;created_at\n" +
        "C1;Ana Açaí;São Paulo;05/01/2023\n" +
        "C2;Bruno Lima;Recife;31/12/2022\n";

    private const string Transactions =
        "customer_id;date;amount\n" +
        "C1;10/01/2024;1.234,56\n" +
        "C1;10/01/2024;100,00\n" +
        "C2;15/02/2024;-50,00\n";

    // Line 3 (the header is line 1) has an impossible date in column 2.
    private const string TransactionsWithBadRow =
        "customer_id;date;amount\n" +
        "C1;11/01/2024;10,00\n" +
        "C2;31/02/2024;20,00\n" +
        "C2;12/01/2024;30,00\n";

    private static Portfolio WithCustomers()
    {
        var portfolio = new Portfolio();
        portfolio.ImportText(Entity.Customers, Customers, "customers.csv");
        return portfolio;
    }

    [Fact]
    public void SemicolonCsvWithBrazilianDatesAndDecimalCommaImports()
    {
        using var portfolio = WithCustomers();

        ImportReport report = portfolio.ImportText(Entity.Transactions, Transactions, "transactions.csv");

        Assert.True(report.Applied);
        Assert.Equal(new ImportCounts(3, 3, 0), report.Counts(Entity.Transactions));
        Assert.Equal(new ImportCounts(0, 0, 0), report.Counts(Entity.Customers));
        Assert.Empty(report.Issues);
        Assert.Equal(0, report.IssueTotal);
        Assert.Contains("transactions", report.ToString());
        PortfolioCounts counts = portfolio.Counts;
        Assert.Equal(2, counts.Customers);
        Assert.Equal(3, counts.Transactions);

        // 1.234,56 + 100,00 read with the decimal comma; C2 only returned
        // goods, so it bought nothing and has no summary row.
        CustomerSummary summary = portfolio.Summary(new DateOnly(2024, 3, 1));
        Assert.Equal(["C1"], summary.CustomerId);
        Assert.Equal(133456, summary.Revenue[0]);
        Assert.Equal(new DateOnly(2024, 1, 10), summary.FirstPurchase[0]);
    }

    [Fact]
    public void StrictImportWithABadRowThrowsAndChangesNothing()
    {
        using var portfolio = WithCustomers();
        PortfolioCounts before = portfolio.Counts;

        var ex = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.ImportText(Entity.Transactions, TransactionsWithBadRow, "vendas.csv"));

        Assert.Equal(before, portfolio.Counts);
        Assert.NotEmpty(ex.Message);
        ImportReport report = Assert.IsType<ImportReport>(ex.Report);
        Assert.False(report.Applied);
        Assert.Equal(1, report.IssueTotal);
        ImportIssue issue = Assert.Single(report.Issues);
        Assert.Equal("vendas.csv", issue.File);
        Assert.Equal(3, issue.Line);
        Assert.Equal(2, issue.Column);
        Assert.Equal("date", issue.Field);
        Assert.Equal("31/02/2024", issue.Value);
        Assert.NotEmpty(issue.Message);
        Assert.Contains("vendas.csv:3:2", report.ToString());
    }

    [Fact]
    public void LenientImportAddsTheGoodRowsAndReportsTheBadOne()
    {
        using var portfolio = WithCustomers();

        ImportReport report = portfolio.ImportText(Entity.Transactions, TransactionsWithBadRow, "vendas.csv",
                                                   new ImportOptions { Mode = ImportMode.Lenient });

        Assert.True(report.Applied);
        Assert.Equal(new ImportCounts(3, 2, 1), report.Counts(Entity.Transactions));
        Assert.Equal(3, Assert.Single(report.Issues).Line);
        Assert.Equal(2, portfolio.Counts.Transactions);
    }

    [Fact]
    public void MaxIssuesCapsTheKeptIssuesButNotTheTotal()
    {
        using var portfolio = WithCustomers();
        const string threeBad = "customer_id;date;amount\nC1;x;1\nC1;y;1\nC1;z;1\n";

        ImportReport report = portfolio.ImportText(Entity.Transactions, threeBad, "t.csv",
                                                   new ImportOptions { Mode = ImportMode.Lenient, MaxIssues = 2 });

        Assert.Equal(2, report.Issues.Count);
        Assert.Equal(3, report.IssueTotal);
        Assert.Equal(0, portfolio.Counts.Transactions);
    }

    [Fact]
    public void ColumnMappingAndHeaderlessOptionsReachTheLibrary()
    {
        using var portfolio = new Portfolio();
        // "1.234" in a '|' file reads as 1.234 reais by file; Comma makes it 1234.
        const string text = "10/01/2024|C9|1.234\n";

        portfolio.ImportText(Entity.Transactions, text, "t.txt", new ImportOptions
        {
            Delimiter = '|',
            HasHeader = false,
            DecimalSeparator = DecimalSeparator.Comma,
            UnknownCustomers = UnknownReference.Create,
            ColumnMapping = "date=1;customer_id=2;amount=3",
        });

        Assert.Equal(1, portfolio.Counts.Transactions);
        Assert.Equal(123_400, portfolio.Summary(new DateOnly(2024, 1, 31)).Revenue[0]);
    }

    [Fact]
    public void InvalidOptionsThrowWithoutAReport()
    {
        using var portfolio = new Portfolio();

        var ex = Assert.Throws<CarteiraArgumentException>(() => portfolio.ImportText(
            Entity.Transactions, Transactions, "t.csv", new ImportOptions { ColumnMapping = "nonsense" }));

        Assert.Contains("nonsense", ex.Message);
        Assert.Null(ex.Report);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImportOptions { Delimiter = 'ç' });
    }

    [Fact]
    public void ImportFileReadsOneFileAndAMissingFileThrowsWithAReport()
    {
        using var portfolio = new Portfolio();

        ImportReport report = portfolio.ImportFile(Entity.Reps, Repository.PathOf("examples", "sample", "reps.csv"));
        Assert.Equal(25, report.Counts(Entity.Reps).RowsAdded);

        var ex = Assert.ThrowsAny<CarteiraException>(
            () => portfolio.ImportFile(Entity.Reps, Repository.PathOf("examples", "sample", "no-such-file.csv")));
        Assert.Equal(CarteiraStatus.NotFound, ex.Code);
        Assert.IsType<CarteiraNotFoundException>(ex);
        Assert.False(Assert.IsType<ImportReport>(ex.Report).Applied);
        Assert.Equal(25, portfolio.Counts.Reps);
    }
}
