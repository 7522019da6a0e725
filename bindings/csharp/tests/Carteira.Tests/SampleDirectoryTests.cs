using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Carteira.Tests;

public class SampleDirectoryTests
{
    private static readonly string Sample = Repository.PathOf("examples", "sample");

    // Data rows: non-empty lines after the header (the sample has no quoted line breaks).
    private static long Rows(string file) =>
        File.ReadLines(Path.Combine(Sample, file)).Skip(1).LongCount(line => line.Length > 0);

    [Fact]
    public void SampleDirectoryImportsEveryRowOfEveryFile()
    {
        using var portfolio = new Portfolio();

        ImportReport report = portfolio.ImportDirectory(Sample);

        var expected = new PortfolioCounts(
            Customers: Rows("customers.csv"), Reps: Rows("reps.csv"), Transactions: Rows("transactions.csv"),
            Contracts: Rows("contracts.csv"), Interactions: Rows("interactions.csv"), Surveys: Rows("surveys.csv"),
            Assignments: Rows("assignments.csv"));
        Assert.Equal(5_000, expected.Customers); // the sample as documented
        Assert.Equal(25, expected.Reps);
        Assert.Equal(expected, portfolio.Counts);
        Assert.True(report.Applied);
        Assert.Equal(0, report.IssueTotal);
        Assert.Equal(new ImportCounts(expected.Transactions, expected.Transactions, 0), report.Counts(Entity.Transactions));
        Assert.Equal(expected.Surveys, report.Counts(Entity.Surveys).RowsAdded);
    }

    [Fact]
    public void SampleSummaryCoversItsCustomersAndRevenue()
    {
        using var portfolio = new Portfolio();
        portfolio.ImportDirectory(Sample);

        CustomerSummary s = portfolio.Summary(new DateOnly(2025, 12, 31));

        Assert.InRange(s.Count, 1, 5_000);
        Assert.Equal(s.Count, s.CustomerId.Length);
        Assert.All(s.CustomerId, id => Assert.StartsWith("C", id, StringComparison.Ordinal));
        Assert.All(Enumerable.Range(0, s.Count), i => Assert.Equal(s.PurchaseDays[i] - 1, s.X[i]));
        Assert.All(Enumerable.Range(0, s.Count), i => Assert.True(s.FirstPurchase[i] <= s.LastPurchase[i]));
    }

    [Fact]
    public void DirectoryWithoutCanonicalFilesIsNotFound()
    {
        using var portfolio = new Portfolio();
        string empty = Directory.CreateTempSubdirectory("carteira-empty-").FullName;
        try
        {
            var ex = Assert.Throws<CarteiraNotFoundException>(() => portfolio.ImportDirectory(empty));
            Assert.False(Assert.IsType<ImportReport>(ex.Report).Applied);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
