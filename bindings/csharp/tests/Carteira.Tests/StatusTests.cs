using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace Carteira.Tests;

// Lifecycle names, policies, and the engine on a portfolio small enough to
// work out by hand.
public class StatusTests
{
    private static readonly DateOnly D = new(2024, 1, 1);

    // A: one purchase on D, key account, a contract ending on D + 45.
    // P: no purchase (a prospect), delinquent.
    private static Portfolio Tiny()
    {
        var portfolio = new Portfolio();
        portfolio.AppendCustomers(new CustomerColumns
        {
            Id = ["A", "P"],
            Segment = ["varejo", null],
            KeyAccount = [true, false],
            Delinquent = [false, true],
        });
        portfolio.AppendTransactions([0u], [D], [10_000L]);
        portfolio.AppendContracts([0u], [new DateOnly(2023, 6, 1)], [D.AddDays(45)]);
        return portfolio;
    }

    [Fact]
    public void LifecycleNamesRoundTripThroughTheLibrary()
    {
        string[] expected = ["prospect", "new", "active", "at_risk", "inactive", "lost", "reactivated"];
        Lifecycle[] all = Enum.GetValues<Lifecycle>();

        Assert.Equal(Lifecycles.Count, all.Length);
        Assert.Equal(expected, all.Select(s => s.Name()));
        Assert.All(all, s => Assert.Equal(s, Lifecycles.Parse(s.Name())));
        Assert.True(Lifecycles.TryParse("at_risk", out Lifecycle atRisk));
        Assert.Equal(Lifecycle.AtRisk, atRisk);
        Assert.False(Lifecycles.TryParse("AtRisk", out _));
        Assert.False(Lifecycles.TryParse(null, out _));
        var ex = Assert.Throws<CarteiraArgumentException>(() => Lifecycles.Parse("dormant"));
        Assert.Contains("'dormant'", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((Lifecycle)7).Name());
    }

    [Fact]
    public void FixedThresholdsAreCrossedTheDayAfter()
    {
        using var portfolio = Tiny();
        using var policy = StatusPolicy.Fixed(atRiskAfter: 30, inactiveAfter: 60, lostAfter: 90);
        using var engine = new StatusEngine(portfolio, policy);
        int[] offsets = [0, 30, 31, 60, 61, 90, 91];
        Lifecycle[] expected =
        [
            Lifecycle.Active, Lifecycle.Active, Lifecycle.AtRisk, Lifecycle.AtRisk,
            Lifecycle.Inactive, Lifecycle.Inactive, Lifecycle.Lost,
        ];

        for (int i = 0; i < offsets.Length; i++)
        {
            using StatusTable table = engine.Classify(D.AddDays(offsets[i]));
            Assert.Equal(2, table.Count);
            Assert.Equal([expected[i], Lifecycle.Prospect], table.GetStatus());
            Assert.Equal([offsets[i], -1], table.GetDaysSinceLast());
            Assert.Equal("recency", table.RuleName(0));
            Assert.Equal("no_purchase", table.RuleName(1));
        }

        StatusHistory history = engine.History(offsets.Select(o => D.AddDays(o)).ToArray());
        Assert.Equal(offsets.Length, history.Dates.Count);
        Assert.Equal(2, history.CustomerCount);
        Assert.Equal(expected, Enumerable.Range(0, offsets.Length).Select(d => history.Status[d, 0]));
        Assert.All(Enumerable.Range(0, offsets.Length), d => Assert.Equal(Lifecycle.Prospect, history.Status[d, 1]));
        Assert.Equal(1, history.Counts(2)[Lifecycle.AtRisk]);
    }

    [Fact]
    public void TableColumnsCarryTheFiguresBehindTheVerdict()
    {
        using var portfolio = Tiny();
        using var policy = StatusPolicy.Fixed(30, 60, 90);
        using var engine = new StatusEngine(portfolio, policy);
        DateOnly asOf = D.AddDays(31);

        using StatusTable table = engine.Classify(asOf);

        Assert.Equal(asOf, table.AsOf);
        Assert.Equal(1, table.Counts[Lifecycle.AtRisk]);
        Assert.Equal(1, table.Counts[Lifecycle.Prospect]);
        Assert.Equal(0, table.Counts[Lifecycle.Lost]);
        Assert.Equal(Lifecycles.Count, table.Counts.Count);
        // The contract ends in 14 days, within the default 60-day renewal window.
        Assert.Equal([StatusFlags.KeyAccount | StatusFlags.RenewalDue, StatusFlags.Delinquent], table.GetFlags());
        Assert.Equal([0, -1], table.GetRenewalContract());
        Assert.Equal([-1, -1], table.GetContract());
        Assert.Equal([1, 0], table.GetPurchaseDays());
        Assert.Equal([D, null], table.GetLastPurchase());
        Assert.Equal([null, null], table.GetEventDay());
        Assert.Equal([-1, -1], table.GetComebackGapDays());
        Assert.Equal([-1, -1], table.GetScope());
        Assert.Equal(30.0, table.GetThresholdDays()[0]);
        Assert.True(double.IsNaN(table.GetThresholdDays()[1]));
        Assert.All(table.GetMedianGapDays(), gap => Assert.True(double.IsNaN(gap))); // one purchase-day at most
        Assert.Equal([engine.RuleName(2), engine.RuleName(0)], table.GetRuleIds().Select(engine.RuleName));
        Assert.Equal(table.GetStatus().Select(s => (long)s), table.GetInt64(StatusColumn.Status));

        string reason = table.Reason(0);
        Assert.Contains("31", reason);
        Assert.Contains("30", reason);
        Assert.Contains("renewal_due", reason);
        Assert.NotEmpty(table.Reason(1));

        Assert.Throws<CarteiraArgumentException>(() => table.GetInt64(StatusColumn.MedianGapDays));
        Assert.Throws<CarteiraArgumentException>(() => table.GetDouble(StatusColumn.Status));
        Assert.Throws<CarteiraOutOfRangeException>(() => table.RuleName(2));
        Assert.Throws<CarteiraOutOfRangeException>(() => table.Reason(2));
        table.Dispose();
        Assert.Throws<ObjectDisposedException>(() => table.GetStatus());
    }

    [Fact]
    public void SegmentRulesApplyToTheirSegmentOnly()
    {
        using var portfolio = Tiny();
        using var policy = StatusPolicy.FromJson("""
            {
              "version": 1,
              "recency": { "at_risk_after": 100, "inactive_after": 200, "lost_after": 300 },
              "lifecycle": { "new_and_reactivated": false },
              "segments": { "varejo": { "recency": { "at_risk_after": 10, "inactive_after": 20, "lost_after": 30 } } }
            }
            """);
        using var engine = new StatusEngine(portfolio, policy);

        using StatusTable table = engine.Classify(D.AddDays(25));

        Assert.Equal([Lifecycle.Inactive, Lifecycle.Prospect], table.GetStatus());
        Assert.Equal(0, table.GetScope()[0]); // segments.varejo
        Assert.Contains("varejo", table.Reason(0));
    }

    [Fact]
    public void PolicyErrorsNameTheKey()
    {
        var wrongType = Assert.Throws<CarteiraArgumentException>(
            () => StatusPolicy.FromJson("""{"recency": {"inactive_after": "soon"}}"""));
        Assert.Contains("recency.inactive_after", wrongType.Message);

        var unknownKey = Assert.Throws<CarteiraArgumentException>(
            () => StatusPolicy.FromJson("""{"segments": {"varejo": {"cadence": {"k": 2}}}}"""));
        Assert.Contains("segments.varejo.cadence.k", unknownKey.Message);

        var unordered = Assert.Throws<CarteiraArgumentException>(
            () => StatusPolicy.FromJson("""{"recency": {"at_risk_after": 400}}"""));
        Assert.Contains("recency.at_risk_after", unordered.Message);

        var notJson = Assert.Throws<CarteiraArgumentException>(() => StatusPolicy.FromJson("{recency"));
        Assert.Contains("JSON", notJson.Message);
        Assert.Equal(CarteiraStatus.InvalidArgument, notJson.Code);

        var fixedUnordered = Assert.Throws<CarteiraArgumentException>(() => StatusPolicy.Fixed(90, 60, 120));
        Assert.Contains("at_risk_after", fixedUnordered.Message);
    }

    [Fact]
    public void PolicyFileRoundTripsThroughItsJson()
    {
        using var policy = StatusPolicy.FromJson("""{"recency": {"at_risk_after": 45}, "segments": {"atacado": {}}}""");
        string json = policy.ToJson();
        Assert.Contains("\"at_risk_after\": 45", json);
        Assert.Contains("\"atacado\"", json);

        string path = Path.Combine(Path.GetTempPath(), $"carteira-policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            using var loaded = StatusPolicy.FromFile(path);
            Assert.Equal(json, loaded.ToJson());
        }
        finally
        {
            File.Delete(path);
        }

        using var defaults = StatusPolicy.Default();
        Assert.Contains("\"inactive_after\": 180", defaults.ToJson());
        var missing = Assert.Throws<CarteiraNotFoundException>(() => StatusPolicy.FromFile(path));
        Assert.Contains(path, missing.Message);
        defaults.Dispose();
        Assert.Throws<ObjectDisposedException>(() => defaults.ToJson());
    }

    [Fact]
    public void PolicyNamingASegmentNoCustomerHasIsRefused()
    {
        using var portfolio = Tiny();
        using var policy = StatusPolicy.FromJson("""{"segments": {"industria": {"recency": {"lost_after": 400}}}}""");

        var ex = Assert.Throws<CarteiraArgumentException>(() => new StatusEngine(portfolio, policy));

        Assert.Contains("industria", ex.Message);
    }

    [Fact]
    public void EngineKeepsThePortfolioAliveForItselfAndItsTables()
    {
        var portfolio = Tiny();
        var policy = StatusPolicy.Fixed(30, 60, 90);
        var engine = new StatusEngine(portfolio, policy);
        policy.Dispose();    // copied by the engine
        portfolio.Dispose(); // only marked closed: the engine leases the native portfolio
        Assert.Throws<ObjectDisposedException>(() => portfolio.Counts);
        Assert.False(portfolio.IsNativeReleased);

        StatusTable table = engine.Classify(D.AddDays(61));
        IReadOnlyList<StatusTransition> changes = engine.Transitions(D, D.AddDays(100));
        engine.Dispose();
        Assert.False(portfolio.IsNativeReleased);

        // The table still reads the portfolio (the contract id in the reason).
        Assert.Equal(Lifecycle.Inactive, table.GetStatus()[0]);
        Assert.NotEmpty(table.Reason(0));
        table.Dispose();
        Assert.True(portfolio.IsNativeReleased); // the last lease is gone
        Assert.Equal(["A", "A", "A"], changes.Select(t => t.CustomerId));
        Assert.Throws<ObjectDisposedException>(() => engine.Classify(D));
    }

    [Fact]
    public void TransitionsStepThroughTheThresholds()
    {
        using var portfolio = Tiny();
        using var policy = StatusPolicy.Fixed(30, 60, 90);
        using var engine = new StatusEngine(portfolio, policy);

        IReadOnlyList<StatusTransition> changes = engine.Transitions(D, D.AddDays(100));

        Assert.Equal(
            [
                new StatusTransition(0, "A", Lifecycle.Active, Lifecycle.AtRisk, D.AddDays(31), 2, "recency"),
                new StatusTransition(0, "A", Lifecycle.AtRisk, Lifecycle.Inactive, D.AddDays(61), 2, "recency"),
                new StatusTransition(0, "A", Lifecycle.Inactive, Lifecycle.Lost, D.AddDays(91), 2, "recency"),
            ],
            changes);
        Assert.Empty(engine.Transitions(D.AddDays(100), D.AddDays(200)));
    }

    [Fact]
    public void HistoryDatesMustAscendStrictly()
    {
        using var portfolio = Tiny();
        using var policy = StatusPolicy.Default();
        using var engine = new StatusEngine(portfolio, policy);

        var ex = Assert.Throws<CarteiraArgumentException>(() => engine.History([D.AddDays(5), D.AddDays(5)]));

        Assert.Contains("ascending", ex.Message);
        Assert.Empty(engine.History([]).Dates);
    }

    [Fact]
    public void ClassifyingASummaryOfAnotherPortfolioIsRefused()
    {
        using var portfolio = Tiny();
        using var other = Tiny();
        using var policy = StatusPolicy.Default();
        using var engine = new StatusEngine(portfolio, policy);

        Assert.Throws<ArgumentException>(() => engine.Classify(other.Summary(D)));
    }
}

// The plugin rules: C# code the library calls back for each customer.
public class StatusRuleTests
{
    private static readonly DateOnly D = new(2024, 1, 1);

    private sealed class CountingRule(Action<StatusFacts, StatusDecision> apply) : IStatusRule, IDisposable
    {
        public int Disposed { get; private set; }

        public void Apply(StatusFacts facts, StatusDecision decision) => apply(facts, decision);

        public void Dispose() => Disposed++;
    }

    // A buys on D, D + 10, D + 30 (median gap 15); B never buys.
    private static Portfolio Small()
    {
        var portfolio = new Portfolio();
        portfolio.AppendCustomers(new CustomerColumns { Id = ["A", "B"], Segment = ["servicos", null] });
        portfolio.AppendTransactions([0u, 0u, 0u], [D, D.AddDays(10), D.AddDays(30)], [1_000L, 2_000L, 3_000L]);
        return portfolio;
    }

    [Fact]
    public void RuleSeesTheFactsAndChangesTheDecision()
    {
        using var portfolio = Small();
        using var policy = StatusPolicy.Fixed(30, 60, 90);
        using var engine = new StatusEngine(portfolio, policy);
        var seen = new List<string>();
        StatusFacts? kept = null;
        engine.AddRule("escalate", (facts, decision) =>
        {
            kept = facts;
            seen.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{facts.CustomerIndex} {facts.CustomerId} '{facts.Segment}' {facts.AsOf:yyyy-MM-dd} {facts.PurchaseDays} " +
                $"[{string.Join(",", facts.PurchaseDates.Select(d => d.ToString("MM-dd", CultureInfo.InvariantCulture)))}] " +
                $"{facts.LastPurchase:MM-dd} {facts.DaysSinceLast} {facts.MedianGapDays} {facts.Status} {facts.Flags}"));
            Assert.Equal(facts.PurchaseDays, facts.PurchaseDayNumbers.Length);
            if (facts.CustomerId == "A")
            {
                decision.Override(Lifecycle.AtRisk, "escalated by hand");
                Assert.Equal(Lifecycle.AtRisk, decision.Status);
                Assert.Equal(Lifecycle.Active, facts.Status); // as the rule found it
            }
            else
            {
                decision.AddReason("never bought");
                Assert.Equal(Lifecycle.Prospect, decision.Status);
            }
        });
        Assert.Equal(["escalate"], engine.PluginRules);

        using StatusTable table = engine.Classify(D.AddDays(40));

        Assert.Equal(
            [
                "0 A 'servicos' 2024-02-10 3 [01-01,01-11,01-31] 01-31 10 15 Active None",
                "1 B '' 2024-02-10 0 [] " + " -1 NaN Prospect None",
            ],
            seen);
        Assert.Equal([Lifecycle.AtRisk, Lifecycle.Prospect], table.GetStatus());
        Assert.Equal([StatusEngine.FirstPluginRuleId, 0], table.GetRuleIds());
        Assert.Equal("escalate", table.RuleName(0));
        Assert.Equal("escalate", engine.RuleName(StatusEngine.FirstPluginRuleId));
        Assert.Equal("no_purchase", table.RuleName(1)); // a reason alone does not decide
        Assert.Contains("escalate: escalated by hand", table.Reason(0));
        Assert.Contains("escalate: never bought", table.Reason(1));
        // The facts read the library's memory: only valid during the call.
        Assert.Throws<InvalidOperationException>(() => kept!.CustomerId);
    }

    [Fact]
    public void RuleIsDisposedOnceWhenTheEngineIsAndWhenRegisteringFails()
    {
        using var portfolio = Small();
        using var policy = StatusPolicy.Default();
        var engine = new StatusEngine(portfolio, policy);
        var rule = new CountingRule((_, _) => { });
        var duplicate = new CountingRule((_, _) => { });
        var builtinName = new CountingRule((_, _) => { });
        var emptyName = new CountingRule((_, _) => { });

        engine.AddRule("mine", rule);
        var ex = Assert.Throws<CarteiraAlreadyExistsException>(() => engine.AddRule("mine", duplicate));
        Assert.Contains("mine", ex.Message);
        Assert.Throws<CarteiraAlreadyExistsException>(() => engine.AddRule("recency", builtinName));
        Assert.Throws<CarteiraArgumentException>(() => engine.AddRule("", emptyName));
        Assert.Throws<ArgumentException>(() => engine.AddRule("a\0b", new CountingRule((_, _) => { })));

        // The library destroys a refused rule's user data before add_rule returns.
        Assert.Equal(1, duplicate.Disposed);
        Assert.Equal(1, builtinName.Disposed);
        Assert.Equal(1, emptyName.Disposed);
        Assert.Equal(0, rule.Disposed);
        Assert.Equal(["mine"], engine.PluginRules);

        engine.Classify(D).Dispose();
        engine.Dispose();
        Assert.Equal(1, rule.Disposed);
        engine.Dispose();
        Assert.Equal(1, rule.Disposed);
        Assert.Throws<ObjectDisposedException>(() => engine.AddRule("late", duplicate));
        Assert.Equal(2, duplicate.Disposed); // owned from the call on, even when refused
    }

    [Fact]
    public void AnEngineLeftToTheFinalizerStillReleasesItsRule()
    {
        using var portfolio = Small();
        var rule = new CountingRule((_, _) => { });

        RegisterAndDrop(portfolio, rule);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(1, rule.Disposed);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterAndDrop(Portfolio portfolio, IStatusRule rule)
    {
        using var policy = StatusPolicy.Default();
        var engine = new StatusEngine(portfolio, policy);
        engine.AddRule("dropped", rule);
        engine.Classify(D).Dispose();
    }

    [Fact]
    public void RuleMisuseOfTheDecisionFailsTheClassification()
    {
        using var portfolio = Small();
        using var policy = StatusPolicy.Default();
        using var engine = new StatusEngine(portfolio, policy);
        engine.AddRule("strict", (facts, decision) => decision.Veto(Lifecycle.Active, "no"));

        var ex = Assert.Throws<CarteiraException>(() => engine.Classify(D));

        Assert.Equal(CarteiraStatus.Internal, ex.Code);
        Assert.Contains("'strict'", ex.Message);
        Assert.Contains("cannot be refused", ex.Message);
        Assert.IsType<CarteiraArgumentException>(ex.InnerException);
    }
}

// The engine on the sample portfolio (5,000 customers), imported once.
public sealed class SampleStatusFixture : IDisposable
{
    public SampleStatusFixture()
    {
        Portfolio = new Portfolio();
        Portfolio.ImportDirectory(Repository.PathOf("examples", "sample"));
        using var policy = StatusPolicy.Default();
        Engine = new StatusEngine(Portfolio, policy);
    }

    public static DateOnly AsOf { get; } = new(2026, 6, 30);

    public Portfolio Portfolio { get; }
    public StatusEngine Engine { get; }

    public void Dispose()
    {
        Engine.Dispose();
        Portfolio.Dispose();
    }
}

public class SampleStatusTests(SampleStatusFixture sample) : IClassFixture<SampleStatusFixture>
{
    private static readonly DateOnly AsOf = SampleStatusFixture.AsOf;

    private static void AssertSameTable(StatusTable expected, StatusTable actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (StatusColumn column in Enum.GetValues<StatusColumn>())
        {
            if (column is StatusColumn.MedianGapDays or StatusColumn.ThresholdDays)
            {
                Assert.Equal(expected.GetDouble(column), actual.GetDouble(column));
            }
            else
            {
                Assert.Equal(expected.GetInt64(column), actual.GetInt64(column));
            }
        }
    }

    [Fact]
    public void DefaultPolicyClassifiesEveryCustomerWithAReason()
    {
        using StatusTable table = sample.Engine.Classify(AsOf);

        Assert.Equal(5_000, table.Count);
        Assert.Equal(5_000, sample.Engine.CustomerCount);
        Assert.Equal(5_000, table.Counts.Values.Sum());
        Lifecycle[] status = table.GetStatus();
        Assert.All(table.Counts, kv => Assert.Equal(status.Count(s => s == kv.Key), kv.Value));
        Assert.True(table.Counts[Lifecycle.Active] > 0);
        Assert.True(table.Counts[Lifecycle.AtRisk] + table.Counts[Lifecycle.Inactive] + table.Counts[Lifecycle.Lost] > 0);
        int[] rules = table.GetRuleIds();
        for (int row = 0; row < table.Count; row++)
        {
            Assert.NotEmpty(table.Reason(row));
            Assert.Equal(sample.Engine.RuleName(rules[row]), table.RuleName(row));
        }
    }

    [Fact]
    public void ClassifyingTheSummaryGivesTheSameTable()
    {
        CustomerSummary summary = sample.Portfolio.Summary(AsOf);
        using StatusTable byDate = sample.Engine.Classify(AsOf);

        using (StatusTable bySummary = sample.Engine.Classify(summary))
        {
            Assert.Equal(AsOf, bySummary.AsOf);
            AssertSameTable(byDate, bySummary);
        }

        // An older summary: the kept native one is recomputed as of its date.
        sample.Portfolio.Summary(AsOf.AddDays(-100), TimeUnit.Weeks);
        using StatusTable again = sample.Engine.Classify(summary);
        AssertSameTable(byDate, again);
    }

    [Fact]
    public void HistoryMatchesClassifyAtEachDate()
    {
        DateOnly[] dates = [new(2024, 6, 30), new(2025, 6, 30), AsOf];

        StatusHistory history = sample.Engine.History(dates);

        Assert.Equal(dates, history.Dates);
        Assert.Equal(5_000, history.CustomerCount);
        for (int d = 0; d < dates.Length; d++)
        {
            using StatusTable table = sample.Engine.Classify(dates[d]);
            Lifecycle[] status = table.GetStatus();
            StatusFlags[] flags = table.GetFlags();
            Assert.Equal(status, Enumerable.Range(0, history.CustomerCount).Select(c => history.Status[d, c]));
            Assert.Equal(flags, Enumerable.Range(0, history.CustomerCount).Select(c => history.Flags[d, c]));
            Assert.Equal(table.Counts, history.Counts(d));
        }
    }

    [Fact]
    public void TransitionsOverAMonthLeadFromOneTableToTheOther()
    {
        DateOnly from = new(2026, 5, 31);
        using StatusTable before = sample.Engine.Classify(from);
        using StatusTable after = sample.Engine.Classify(AsOf);

        IReadOnlyList<StatusTransition> changes = sample.Engine.Transitions(from, AsOf);

        Assert.NotEmpty(changes);
        Lifecycle[] status = before.GetStatus();
        foreach (StatusTransition t in changes)
        {
            Assert.NotEqual(t.From, t.To);
            Assert.InRange(t.Date, from.AddDays(1), AsOf);
            Assert.Equal(status[t.CustomerIndex], t.From); // chained: each starts where the last ended
            Assert.Equal(sample.Engine.RuleName(t.RuleId), t.Rule);
            status[t.CustomerIndex] = t.To;
        }
        Assert.Equal(after.GetStatus(), status);
        uint[] someCustomers = changes.Take(20).Select(t => t.CustomerIndex).ToArray();
        Assert.Equal(sample.Portfolio.CustomerIds(someCustomers), changes.Take(20).Select(t => t.CustomerId));
    }

    [Fact]
    public void PluginThatVetoesLostLeavesThoseCustomersInactive()
    {
        using var policy = StatusPolicy.Default();
        using var engine = new StatusEngine(sample.Portfolio, policy);
        engine.AddRule("never_lost", (facts, decision) => decision.Veto(Lifecycle.Lost, "we never give up"));
        using StatusTable plain = sample.Engine.Classify(AsOf);

        using StatusTable vetoed = engine.Classify(AsOf);

        Assert.True(plain.Counts[Lifecycle.Lost] > 0, "the sample has lost customers to veto");
        Assert.Equal(0, vetoed.Counts[Lifecycle.Lost]);
        Assert.Equal(plain.Counts[Lifecycle.Inactive] + plain.Counts[Lifecycle.Lost], vetoed.Counts[Lifecycle.Inactive]);
        Lifecycle[] before = plain.GetStatus(), now = vetoed.GetStatus();
        for (int row = 0; row < before.Length; row++)
        {
            if (before[row] == Lifecycle.Lost)
            {
                Assert.Equal(Lifecycle.Inactive, now[row]);
                Assert.Equal("never_lost", vetoed.RuleName(row));
                Assert.Contains("never_lost: we never give up", vetoed.Reason(row));
            }
            else
            {
                Assert.Equal(before[row], now[row]);
            }
        }
    }

    [Fact]
    public void PluginThatThrowsFailsTheCallNamingRuleAndCustomer()
    {
        using var policy = StatusPolicy.Default();
        using var engine = new StatusEngine(sample.Portfolio, policy);
        engine.AddRule("exploding", (facts, decision) =>
        {
            if (facts.CustomerId == "C00042") throw new InvalidOperationException("boom");
        });

        var ex = Assert.Throws<CarteiraException>(() => engine.Classify(AsOf));
        var again = Assert.Throws<CarteiraException>(() => engine.History([AsOf]));
        var inTransitions = Assert.Throws<CarteiraException>(() => engine.Transitions(AsOf.AddDays(-30), AsOf));

        Assert.Contains("'exploding'", ex.Message);
        Assert.Contains("'C00042'", ex.Message);
        Assert.Contains("System.InvalidOperationException: boom", ex.Message);
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(ex.InnerException).Message);
        Assert.Contains("'C00042'", again.Message);
        Assert.Contains("'exploding'", inTransitions.Message);
        // The process and the other engines go on.
        using StatusTable table = sample.Engine.Classify(AsOf);
        Assert.Equal(5_000, table.Count);
    }
}
