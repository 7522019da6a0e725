using System;
using System.Linq;
using Xunit;

namespace Carteira.Tests;

/// <summary>Segments and KPIs on the "kp" portfolio of tests/cli/cli_test.sh (the values the CLI
/// prints) and the sample directory.</summary>
public unsafe class SegmentsKpiTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static Portfolio Kp()
    {
        var p = new Portfolio();
        p.AppendCustomers(new CustomerColumns
        {
            Id = ["A", "B", "C", "D"],
            Name = ["Ana", "Bia", "Caio", "Duda"],
            Region = ["Sul", "Sul", "Norte", "Norte"],
            Segment = ["varejo", "varejo", "atacado", "atacado"],
        });
        p.AppendReps(new RepColumns { Id = ["R1", "R2", "R3"], Name = ["Rita", "Rui", "Ruth"] });
        p.AppendAssignments(p.InternCustomers(["A", "B", "C", "C"]), p.InternReps(["R1", "R1", "R2", "R1"]),
                            new[] { D("2024-01-01"), D("2024-01-01"), D("2024-01-01"), D("2025-02-15") });
        p.AppendTransactions(p.InternCustomers(["A", "A", "B", "B", "C", "D"]),
                             new[] { D("2024-12-20"), D("2025-03-20"), D("2024-06-01"), D("2025-02-01"),
                                     D("2025-01-10"), D("2025-03-25") },
                             [1000L, 2000L, 500L, 700L, 10000L, 100L]);
        return p;
    }

    [Fact]
    public void SegmentsAreTheClis()
    {
        using Portfolio p = Kp();
        SegmentTable t = Segments.Compute(p, D("2025-03-31"));
        Assert.Equal(4, t.Rows.Count);
        // cli_test.sh: A,3,3,3,333,need_attention,A,11,2,30.00 and D,4,1,1,411,promising,C,6,1,1.00
        Assert.Equal(new SegmentRow(0, "A", 3, 3, 3, "333", "need_attention", "A", 11, 2, 3000, 3000), t.Rows[0]);
        SegmentRow d = t.Rows[3];
        Assert.Equal(("411", "promising", "C", 6L, 100L), (d.Rfm, d.Segment, d.Abc, d.RecencyDays, d.Monetary));
        Assert.Equal(2, t.AbcCustomers["A"]);
        Assert.Equal(14300, t.AbcRevenue["total"]);
        Assert.Equal(4, t.SegmentCounts.Sum(kv => kv.Value));
        Assert.Equal(D("2025-03-31").AddDays(-364), t.AbcFrom);

        using SegmentMap map = SegmentMap.FromJson("""{"segments": [{"name": "top", "r": [4, 5]}, {"name": "recent", "r": 5}]}""");
        SegmentMapCheck check = map.Check();
        Assert.False(check.Ok);
        Assert.Equal(1, check.Shadowed.Single().Rule);
        Assert.Equal([0], check.Shadowed.Single().CoveredBy);
        Assert.Equal(15, check.Uncovered.Count);
        Assert.Equal((1, 1, 0), check.Uncovered[0]);
        Assert.Equal("unclassified", check.Fallback);
        Assert.Equal(["top", "recent"], map.Rules.Select(r => r.Name));
        Assert.Equal((4, 5), map.Rules[0].R);
        string path = System.IO.Path.GetTempFileName();
        System.IO.File.WriteAllText(path, map.ToJson());
        using SegmentMap again = SegmentMap.FromFile(path);
        System.IO.File.Delete(path);
        Assert.Equal(map.Rules, again.Rules);
        SegmentTable custom = Segments.Compute(p, D("2025-03-31"), again, 0.5, 0.3, D("2025-01-01"));
        Assert.All(custom.Rows, r => Assert.True(r.Segment is "top" or "unclassified"));
        Assert.Equal([2000L, 700L, 10000L, 100L], custom.Rows.Select(r => r.AbcRevenue));
        using SegmentMap standard = SegmentMap.Default();
        Assert.True(standard.Check().Ok);
        Assert.Equal(11, standard.Rules.Count);

        var bad = Assert.Throws<CarteiraArgumentException>(() => SegmentMap.FromJson("""{"segments": [{"name": "x", "r": 9}]}"""));
        Assert.Contains("segments[0].r", bad.Message);
        Assert.Throws<CarteiraArgumentException>(() => Segments.Compute(p, D("2025-03-31"), abcFrom: D("2025-04-01")));
        Assert.Throws<CarteiraArgumentException>(() => Segments.Compute(p, D("2025-03-31"), aShare: 1.5));
    }

    [Fact]
    public void RulesWithConditionsOnFieldsAndFigures()
    {
        using Portfolio p = Kp();
        using SegmentMap map = SegmentMap.FromJson("""
            {"fallback": "other", "segments": [
              {"name": "sul_buyers", "where": [{"field": "region", "op": "=", "value": "Sul"},
                                               {"field": "monetary", "op": ">=", "value": 20}]},
              {"name": "big", "where": [{"field": "monetary", "op": ">", "value": 50.00}]},
              {"name": "rest", "r": [1, 5]}]}
            """);
        Assert.Equal("region = \"Sul\" and monetary >= 20.00", map.Rules[0].Where);
        Assert.Equal("", map.Rules[2].Where);
        Assert.True(map.Check().Ok);
        using SegmentMap again = SegmentMap.FromJson(map.ToJson());
        Assert.Equal(map.Rules, again.Rules);
        // A: Sul, 30.00; B: Sul, 12.00; C: Norte, 100.00; D: Norte, 1.00.
        SegmentTable t = Segments.Compute(p, D("2025-03-31"), map);
        Assert.Equal(["sul_buyers", "rest", "big", "rest"], t.Rows.Select(r => r.Segment));

        var bad = Assert.Throws<CarteiraArgumentException>(() => SegmentMap.FromJson(
            """{"segments": [{"name": "x", "where": [{"field": "regoin", "op": "=", "value": "Sul"}]}]}"""));
        Assert.Contains("segments[0] 'x': where[0]: unknown field 'regoin'", bad.Message);
        using SegmentMap lacking = SegmentMap.FromJson(
            """{"segments": [{"name": "x", "where": [{"field": "attribute:canal", "op": "=", "value": "a"}]}]}""");
        var missing = Assert.Throws<CarteiraArgumentException>(() => Segments.Compute(p, D("2025-03-31"), lacking));
        Assert.Contains("no attribute 'canal'", missing.Message);
    }

    [Fact]
    public void PlainFigures()
    {
        Assert.Equal(new byte[] { 1, 2, 2, 4, 5 }, Segments.QuintileScores([10, 20, 20, 30, 40]));
        Assert.Equal(new byte[] { 5, 3, 3, 2, 1 }, Segments.QuintileScores([10, 20, 20, 30, 40], higherIsBetter: false));
        Assert.Equal(new string?[] { "A", "B", "C", null, null }, Segments.AbcClassify([850, 120, 30, 0, -10]));
        Assert.Equal("B", Segments.AbcClassName(2));
        Assert.Null(Segments.AbcClassName(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Segments.AbcClassName(7));
    }

    [Fact]
    public void KpiByRepAreTheClis()
    {
        using Portfolio p = Kp();
        KpiReport k = Kpi.Compute(p, D("2025-01-01"), D("2025-03-31"), KpiGrouping.Rep);
        KpiValues o = k.Overall;
        // cli_test.sh: "customers": 4, "active_start": 1, "active": 4, "new": 2, "new_active": 2,
        // "retention_rate": 2, "nps": null, "book_at_start": 3, "moved": 1, "giro": 1/3
        Assert.Equal((4L, 1L, 4L, 2L, 2L), (o.Customers, o.ActiveStart, o.Active, o.New, o.NewActive));
        Assert.Equal(2.0, o.RetentionRate);
        Assert.Null(o.Nps);
        Assert.Equal((3L, 1L), (o.BookAtStart, o.Moved));
        Assert.Equal(1.0 / 3.0, o.Giro);
        Assert.Equal(3200L, o.AverageTicket);
        Assert.Equal(["R1", "R2", "R3", ""], k.Groups.Select(g => g.Group));
        Assert.True(k.Groups[3].Unassigned);
        Assert.Equal(1, k.Groups[3].Customers);
        KpiValues r3 = k.Groups[2];
        Assert.Equal(0, r3.Customers);
        Assert.Null(r3.Positivacao);
        Assert.Null(r3.Giro);
        Assert.Null(r3.AverageTicket);
        CohortMatrix c = k.Cohorts!;
        Assert.Equal([D("2025-01-01"), D("2025-02-01"), D("2025-03-01")], c.Months);
        Assert.Equal([1L, 0L, 1L], c.Sizes);
        Assert.Equal(1, c.Buyers[0, 0]);
        Assert.Equal(-1, c.Buyers[2, 1]);
        Assert.Equal(1.0, c.Retention[0, 0]);
        Assert.Null(c.Retention[1, 0]);

        KpiReport regions = Kpi.Compute(p, D("2025-01-01"), D("2025-03-31"), KpiGrouping.Region);
        Assert.Equal(["Norte", "Sul"], regions.Groups.Select(g => g.Group));
        using StatusPolicy policy = StatusPolicy.Default();
        KpiReport bySegment = Kpi.Compute(p, D("2025-01-01"), D("2025-03-31"), KpiGrouping.Segment,
                                          activeByStatus: true, policy: policy);
        Assert.Equal(["atacado", "varejo"], bySegment.Groups.Select(g => g.Group));
        Assert.Null(Kpi.Compute(p, D("2017-01-01"), D("2025-03-31")).Cohorts);
        Assert.Empty(Kpi.Compute(p, D("2025-01-01"), D("2025-03-31")).Groups);

        using Model pareto = Model.FromParams(ModelKind.ParetoNbd, [0.5, 10.0, 3.0, 20.0], TimeUnit.Weeks);
        Assert.Equal(70.0, Kpi.ExpectedLifetimeDays(pareto), 9);
        Assert.Equal(70.0, Kpi.Compute(p, D("2025-01-01"), D("2025-03-31"), lifetimeModel: pareto).Overall.LifetimeModelDays!.Value, 9);
        using Model heavy = Model.FromParams(ModelKind.ParetoNbd, [0.5, 10.0, 0.5, 20.0], TimeUnit.Weeks);
        Assert.Equal(double.PositiveInfinity, Kpi.ExpectedLifetimeDays(heavy));
        using Model spend = Model.FromParams(ModelKind.GammaGamma, [6.0, 4.0, 15.0], TimeUnit.Weeks);
        Assert.Throws<CarteiraArgumentException>(() => Kpi.ExpectedLifetimeDays(spend));

        var e = Assert.Throws<CarteiraArgumentException>(() => Kpi.Compute(p, D("2025-03-31"), D("2025-01-01")));
        Assert.Contains("ends before it starts", e.Message);
        Assert.Throws<CarteiraArgumentException>(() => Kpi.Compute(p, D("2025-01-01"), D("2025-03-31"), policy: policy));
        Assert.Throws<CarteiraArgumentException>(() => Kpi.Compute(p, D("2025-01-01"), D("2025-03-31"), activeWindowDays: -1));
    }

    [Fact]
    public void RepDashboardIsTheClis()
    {
        using Portfolio p = Kp();
        var rows = Kpi.RepDashboard(p, D("2025-03-31"));
        Assert.Equal(["R1", "R2", "R3", null], rows.Select(r => r.RepId));
        // cli_test.sh: R3,Ruth,0,0,0,0,0,0,0,0,0.00,0,,,0,0,0,0,,,0.00
        RepDashboardRow r3 = rows[2];
        Assert.Equal(("Ruth", 0L, 0L, 0L), (r3.Name, r3.Book, r3.Revenue, r3.AtRiskValue));
        Assert.Null(r3.Positivacao);
        Assert.Null(r3.Nps);
        Assert.Null(r3.LastContact);
        Assert.Null(r3.DaysSinceLastContact);
        RepDashboardRow r1 = rows[0];
        Assert.Equal((3L, 14200L, 1.0), (r1.Book, r1.Revenue, r1.Positivacao!.Value));
        Assert.All(rows, r => Assert.Equal(r.Book, r.Prospect + r.New + r.Active + r.AtRisk + r.Inactive + r.Lost + r.Reactivated));
        Assert.Equal(-1, rows[3].RepIndex);
        Assert.Throws<CarteiraArgumentException>(() => Kpi.RepDashboard(p, D("2025-03-31"), D("2025-04-01")));
    }

    [Fact]
    public void SampleIsWhatTheCliPrints()
    {
        using var p = new Portfolio();
        p.ImportDirectory(Repository.PathOf("examples", "sample"));
        SegmentTable t = Segments.Compute(p, D("2024-12-31"));
        // carteira segments --as-of 2024-12-31 --format json
        Assert.Equal(3957, t.Rows.Count);
        Assert.Equal((575L, 665L, 2673L, 1087L), (t.AbcCustomers["A"], t.AbcCustomers["B"], t.AbcCustomers["C"], t.AbcCustomers["none"]));
        Assert.Equal(767, t.SegmentCounts.Single(kv => kv.Key == "at_risk").Value);
        // carteira kpi --from 2024-01-01 --to 2024-12-31 --format json
        KpiReport k = Kpi.Compute(p, D("2024-01-01"), D("2024-12-31"), KpiGrouping.Rep);
        Assert.Equal((4033L, 3653L, 110L), (k.Overall.Customers, k.Overall.Active, k.Overall.Churned));
        Assert.Equal(28713636082L, k.Overall.Revenue);
        Assert.Equal(474708L, k.Overall.AverageTicket);
        Assert.Equal(110.0 / 3136.0, k.Overall.ChurnRate);
        Assert.Null(k.Overall.ReactivationRate);
        Assert.Equal(4033, k.Groups.Sum(g => g.Customers));
    }

    [Fact]
    public void SegmentsAndKpiStructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");
        // sizeof / offsetof printed by gcc from carteira.h.
        Assert.Equal(24, sizeof(NativeSegmentRule));
        NativeSegmentRule rule;
        Assert.Equal(8, (byte*)&rule.Name - (byte*)&rule);
        Assert.Equal(16, &rule.RLo - (byte*)&rule);
        Assert.Equal(23, &rule.FmHi - (byte*)&rule);
        Assert.Equal(56, sizeof(NativeSegmentMapReport));
        NativeSegmentMapReport report;
        Assert.Equal(16, (byte*)&report.RuleCount - (byte*)&report);
        Assert.Equal(32, (byte*)&report.UncoveredCount - (byte*)&report);
        Assert.Equal(40, (byte*)&report.Fallback - (byte*)&report);
        Assert.Equal(48, (byte*)&report.Description - (byte*)&report);
        Assert.Equal(40, sizeof(NativeSegmentsOptions));
        NativeSegmentsOptions so;
        Assert.Equal(8, (byte*)&so.Map - (byte*)&so);
        Assert.Equal(16, (byte*)&so.AbcAShare - (byte*)&so);
        Assert.Equal(24, (byte*)&so.AbcBShare - (byte*)&so);
        Assert.Equal(32, (byte*)&so.AbcFrom - (byte*)&so);
        Assert.Equal(80, sizeof(NativeSegmentsInfo));
        NativeSegmentsInfo info;
        Assert.Equal(16, (byte*)&info.AbcTotal - (byte*)&info);
        Assert.Equal(72, (byte*)&info.RevenueC - (byte*)&info);
        Assert.Equal(40, sizeof(NativeKpiOptions));
        NativeKpiOptions ko;
        Assert.Equal(20, (byte*)&ko.ActiveByStatus - (byte*)&ko);
        Assert.Equal(24, (byte*)&ko.Policy - (byte*)&ko);
        Assert.Equal(32, (byte*)&ko.LifetimeModel - (byte*)&ko);
        Assert.Equal(272, sizeof(NativeKpiValues));
        NativeKpiValues v;
        Assert.Equal(8, (byte*)&v.Group - (byte*)&v);
        Assert.Equal(16, (byte*)&v.Customers - (byte*)&v);
        Assert.Equal(112, (byte*)&v.RetentionRate - (byte*)&v);
        Assert.Equal(136, (byte*)&v.AverageTicket - (byte*)&v);
        Assert.Equal(216, (byte*)&v.Nps - (byte*)&v);
        Assert.Equal(264, (byte*)&v.Gini - (byte*)&v);
        Assert.Equal(24, sizeof(NativeRepDashboardOptions));
        NativeRepDashboardOptions ro;
        Assert.Equal(16, (byte*)&ro.Policy - (byte*)&ro);
        Assert.Equal(176, sizeof(NativeRepDashboardRow));
        NativeRepDashboardRow row;
        Assert.Equal(8, (byte*)&row.RepId - (byte*)&row);
        Assert.Equal(24, (byte*)&row.Book - (byte*)&row);
        Assert.Equal(104, (byte*)&row.Positivacao - (byte*)&row);
        Assert.Equal(144, (byte*)&row.Nps - (byte*)&row);
        Assert.Equal(152, (byte*)&row.LastContact - (byte*)&row);
        Assert.Equal(156, (byte*)&row.DaysSinceLastContact - (byte*)&row);
        Assert.Equal(160, (byte*)&row.AtRisk - (byte*)&row);
        Assert.Equal(168, (byte*)&row.AtRiskValue - (byte*)&row);
        Assert.Equal(Dates.NoDay, NativeSegmentsOptions.Init().AbcFrom);
        Assert.Equal(Dates.NoDay, NativeKpiOptions.Init().To);
    }
}
