using System;
using System.Linq;
using Xunit;

namespace Carteira.Tests;

/// <summary>Sales opportunities on the small basket of tests/opportunities (figures proved there),
/// without categories, on errors, and the sample's holdout.</summary>
public unsafe class OpportunitiesTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    // c1-c3 buy A, B, C (c1 on days 0, 10, 20); c4 A, B; c5 A, D; c6 D.
    private static Portfolio Basket(bool withCategories = true)
    {
        var p = new Portfolio();
        uint[] customers = p.InternCustomers(["c1", "c1", "c1", "c2", "c2", "c2", "c3", "c3", "c3", "c4", "c4", "c5",
                                              "c5", "c6"]);
        int[] offsets = [0, 10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        DateOnly[] dates = offsets.Select(o => D("2025-01-01").AddDays(o)).ToArray();
        string?[] categories = ["A", "B", "C", "A", "B", "C", "A", "B", "C", "A", "B", "A", "D", "D"];
        p.AppendTransactions(customers, dates, Enumerable.Repeat(1000L, 14).ToArray(),
                             categories: withCategories ? categories : null);
        return p;
    }

    [Fact]
    public void CrossSellSuggestsWhatSimilarCustomersBuyWithTheRuleInWords()
    {
        using Portfolio p = Basket();
        CrossSellResult r = Opportunities.CrossSell(p, D("2025-01-31"), minPairCustomers: 1);
        Assert.Equal("", r.Note);
        string listing = string.Join(";", r.Suggestions.GroupBy(s => s.CustomerId)
                                            .Select(g => g.Key + ":" + string.Join(",", g.Select(s => s.Category))));
        Assert.Equal("c1:D;c2:D;c3:D;c4:C,D;c5:B,C;c6:A", listing);
        Suggestion c4 = r.Suggestions.First(s => s.CustomerId == "c4");
        Assert.Equal((3 / Math.Sqrt(15) + 3 / Math.Sqrt(12)) / 2, c4.Score, 6); // summed as float
        Assert.Equal(("B", 3L, 0.75, 1.5), (c4.Because, c4.Together, c4.Confidence, c4.Lift));
        Assert.Equal("75% of customers who buy B also buy C (lift 1.5; 3 customers)", c4.Reason);
        Assert.False(c4.MostPopular);
        // By default a pair needs 3 co-buyers: only c4 and c5 keep suggestions.
        Assert.Equal(["c4", "c5"], Opportunities.CrossSell(p, D("2025-01-31")).Suggestions
                                       .Select(s => s.CustomerId).Distinct().ToArray());
    }

    [Fact]
    public void NextPurchaseWindowsAndTheWeeksList()
    {
        using Portfolio p = Basket();
        var next = Opportunities.NextPurchases(p, D("2025-01-31"));
        Assert.Equal(new NextPurchase(0, NextPurchaseBasis.Rhythm, D("2025-01-21"), D("2025-01-31"), D("2025-01-29"),
                                      D("2025-02-02")), next[0]);
        Assert.Equal(NextPurchaseBasis.OnePurchase, next[1].Basis);
        Assert.Null(next[1].Expected);
        Assert.Equal(["c1"], Opportunities.EnteringWindow(p, D("2025-01-31"), D("2025-01-27")));
        Assert.Empty(Opportunities.EnteringWindow(p, D("2025-01-31"), D("2025-01-30")));
    }

    [Fact]
    public void WithoutCategoriesTheWindowsStandAndTheNoteSaysWhy()
    {
        using Portfolio p = Basket(withCategories: false);
        CrossSellResult r = Opportunities.CrossSell(p, D("2025-01-31"));
        Assert.Empty(r.Suggestions);
        Assert.Contains("no transaction has a product category", r.Note);
        Assert.Equal(NextPurchaseBasis.Rhythm, Opportunities.NextPurchases(p, D("2025-01-31"))[0].Basis);
        var ex = Assert.Throws<CarteiraFailedPreconditionException>(
            () => Opportunities.ComputeMix(p, D("2025-01-01"), D("2025-01-31")));
        Assert.Contains("mix: no transaction has a product category", ex.Message);
    }

    [Fact]
    public void MixAndIdealCustomerProfile()
    {
        using Portfolio p = Basket();
        Mix m = Opportunities.ComputeMix(p, D("2025-01-01"), D("2025-01-31"));
        Assert.Equal(["A", "B", "C", "D"], m.Categories);
        MixGroup all = m.Groups[0];
        Assert.Null(all.Group);
        Assert.Equal((6L, 6L), (all.Customers, all.Buyers));
        Assert.Equal(14.0 / 6, all.AverageBreadth, 12);
        Assert.Equal([5L, 4L, 3L, 2L], all.CategoryBuyers);
        Assert.Equal([3, 3, 3, 2, 2, 1], m.Breadth);
        Assert.Throws<CarteiraArgumentException>(() => Opportunities.ComputeMix(p, D("2025-01-31"), D("2025-01-01")));

        IdealCustomerProfile icp = Opportunities.Icp(p, D("2025-01-31"), bestShare: 0.34);
        Assert.Equal((6L, 3L, 3000L, 0.5), (icp.Buyers, icp.Best, icp.BestThreshold, icp.BaseRate));
        Assert.True(icp.Customers[0].Best);
        Assert.True(icp.Customers[0].Score > icp.Customers[5].Score);
        Assert.NotEmpty(icp.Customers[0].Drivers);
        Assert.True(icp.Profile[icp.Customers[0].Drivers[0]].Lift > 1);
        var bad = Assert.Throws<CarteiraArgumentException>(() => Opportunities.Icp(p, D("2025-01-31"), bestShare: 1.5));
        Assert.Contains("best_share", bad.Message);
    }

    [Fact]
    public void TheModelBeatsMostPopularOnTheSampleHoldout()
    {
        using var p = new Portfolio();
        p.ImportDirectory(Repository.PathOf("examples", "sample"));
        CrossSellEvaluation e = Opportunities.EvaluateCrossSell(p, D("2026-04-30"), D("2026-10-31"), k: 2);
        Assert.True(e.Customers > 500);
        Assert.True(e.ModelHitRate - e.BaselineHitRate > 0.05, $"{e}");
    }

    [Fact]
    public void OpportunityStructsHaveTheCLayoutOnLp64()
    {
        Assert.Equal(24, sizeof(NativeOpportunitiesOptions));
        Assert.Equal(48, sizeof(NativeCrossSellEvaluation));
        Assert.Equal(48, sizeof(NativeMixGroup));
        Assert.Equal(24, sizeof(NativeIcpOptions));
        Assert.Equal(40, sizeof(NativeIcpInfo));
        Assert.Equal(64, sizeof(NativeIcpValue));
        NativeOpportunitiesOptions o;
        Assert.Equal(16, (byte*)&o.MinPairCustomers - (byte*)&o);
        NativeMixGroup g;
        Assert.Equal(16, (byte*)&g.Unassigned - (byte*)&g);
        Assert.Equal(40, (byte*)&g.AverageBreadth - (byte*)&g);
        NativeIcpValue v;
        Assert.Equal(24, (byte*)&v.Customers - (byte*)&v);
        Assert.Equal(56, (byte*)&v.Lift - (byte*)&v);
    }
}
