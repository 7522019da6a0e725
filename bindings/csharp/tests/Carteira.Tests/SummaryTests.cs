using System;
using Xunit;

namespace Carteira.Tests;

public class SummaryTests
{
    private static readonly DateOnly AsOf = new(2024, 3, 1);

    // A: two purchases on 01-01 (merged into one purchase-day), 01-11, a
    //    return on 01-31 (lowers revenue, is no purchase-day), 02-10.
    // B: one purchase on 02-20.
    // C: buys only after the as-of date; D only returns: neither has a row.
    private static Portfolio Build()
    {
        var portfolio = new Portfolio();
        uint[] ix = portfolio.InternCustomers(["A", "B", "C", "D"]);
        uint a = ix[0], b = ix[1], c = ix[2], d = ix[3];
        portfolio.AppendTransactions(
            [a, a, a, a, a, b, c, d],
            [
                new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 11),
                new DateOnly(2024, 1, 31), new DateOnly(2024, 2, 10), new DateOnly(2024, 2, 20),
                new DateOnly(2024, 3, 5), new DateOnly(2024, 1, 5),
            ],
            [10_000L, 5_000, 20_000, -3_000, 30_000, 9_999, 7_000, -500],
            orderIds: ["P1", "P2", "P3", null, "P4", "P5", "P6", "P7"],
            categories: ["x", "x", "y", "y", "z", null, "x", "x"]);
        return portfolio;
    }

    [Fact]
    public void RepeatedSummariesRecomputeInPlaceAndMatchFreshOnes()
    {
        using var portfolio = Build();
        using var fresh = Build();

        CustomerSummary late = portfolio.Summary(AsOf);
        CustomerSummary early = portfolio.Summary(new DateOnly(2024, 1, 20), TimeUnit.Weeks);
        CustomerSummary expected = fresh.Summary(new DateOnly(2024, 1, 20), TimeUnit.Weeks);

        Assert.Equal(["A", "B"], late.CustomerId);  // copied out: not changed by the recompute
        Assert.Equal(["A"], early.CustomerId);
        Assert.Equal(expected.T, early.T);
        Assert.Equal(expected.Revenue, early.Revenue);
        Assert.Equal(expected.MedianGapDays, early.MedianGapDays);
        Assert.Equal(19.0 / 7.0, early.T[0]);
    }

    [Fact]
    public void SummaryMatchesTheFiguresWorkedOutByHand()
    {
        using var portfolio = Build();

        CustomerSummary s = portfolio.Summary(AsOf);

        Assert.Equal(8, portfolio.Counts.Transactions);
        Assert.Equal(AsOf, s.AsOf);
        Assert.Equal(TimeUnit.Days, s.Unit);
        Assert.Equal(2, s.Count);
        Assert.Equal([0u, 1u], s.CustomerIndex);
        Assert.Equal(["A", "B"], s.CustomerId);
        Assert.Equal([new DateOnly(2024, 1, 1), new DateOnly(2024, 2, 20)], s.FirstPurchase);
        Assert.Equal([new DateOnly(2024, 2, 10), new DateOnly(2024, 2, 20)], s.LastPurchase);
        Assert.Equal([3, 1], s.PurchaseDays);            // 01-01 twice counts once; the return day is none
        Assert.Equal([2, 0], s.X);
        Assert.Equal([40.0, 0.0], s.TX);
        Assert.Equal([60.0, 10.0], s.T);
        Assert.Equal([62_000L, 9_999], s.Revenue);      // the return is netted
        Assert.Equal([20_667L, 9_999], s.AverageTicket); // 62000 / 3, half away from zero
        Assert.Equal([250.0, 0.0], s.Zbar);              // (200 + 300) / 2, in reais
        Assert.Equal(20.0, s.MedianGapDays[0]);          // gaps 10 and 30
        Assert.True(double.IsNaN(s.MedianGapDays[1]));
        Assert.Equal([20, 10], s.DaysSinceLast);
    }

    [Fact]
    public void WeeksScaleTxAndTButNotTheDayCounts()
    {
        using var portfolio = Build();

        CustomerSummary s = portfolio.Summary(AsOf, TimeUnit.Weeks);

        Assert.Equal(TimeUnit.Weeks, s.Unit);
        Assert.Equal(40.0 / 7, s.TX[0], 12);
        Assert.Equal(60.0 / 7, s.T[0], 12);
        Assert.Equal(20.0, s.MedianGapDays[0]);
        Assert.Equal([20, 10], s.DaysSinceLast);
    }

    [Fact]
    public void DayNumberOverloadPassesTheSameDays()
    {
        using var portfolio = new Portfolio();
        uint[] ix = portfolio.InternCustomers(["A"]);
        int day = Dates.ToDays(new DateOnly(2024, 2, 1));

        portfolio.AppendTransactions([ix[0], ix[0]], [day, day + 14], [1_000L, 2_000L]);

        CustomerSummary s = portfolio.Summary(AsOf);
        Assert.Equal([new DateOnly(2024, 2, 1)], s.FirstPurchase);
        Assert.Equal([new DateOnly(2024, 2, 15)], s.LastPurchase);
        Assert.Equal([3_000L], s.Revenue);
    }

    [Fact]
    public void EmptyPortfolioHasAnEmptySummary()
    {
        using var portfolio = new Portfolio();

        CustomerSummary s = portfolio.Summary(AsOf);

        Assert.Equal(0, s.Count);
        Assert.Empty(s.CustomerId);
        Assert.Empty(s.Revenue);
    }

    [Fact]
    public void AsOfOutsideTheAcceptedYearsIsAnArgumentError()
    {
        using var portfolio = new Portfolio();

        var ex = Assert.Throws<CarteiraArgumentException>(() => portfolio.Summary(new DateOnly(1800, 1, 1)));

        Assert.Contains("as_of", ex.Message);
    }
}
