using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Carteira.Tests;

/// <summary>Redistribution plans on the sample portfolio as of 2026-10-31: the giro, plugin
/// policies in C#, JSON out and back, apply (stale plans refused) and the inverse, errors.</summary>
public sealed class PlanTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 10, 31);

    private const string Giro = """
        {"policies": [{"policy": "assign_unowned", "method": "round_robin"},
                      {"policy": "rotate_at_risk", "max_moves_per_rep": 2}]}
        """;

    // Each test gets its own portfolio: applying a plan changes it.
    private readonly Portfolio _portfolio;
    private readonly StatusTable _table;

    public PlanTests()
    {
        _portfolio = new Portfolio();
        _portfolio.ImportDirectory(Repository.PathOf("examples", "sample"));
        using var policy = StatusPolicy.Default();
        using var engine = new StatusEngine(_portfolio, policy);
        _table = engine.Classify(AsOf);
    }

    public void Dispose()
    {
        _table.Dispose();
        _portfolio.Dispose();
    }

    private Plan BuildGiro()
    {
        using var giro = PlanPipeline.FromJson(Giro);
        return Plan.Build(_portfolio, _table, giro);
    }

    // The first customer of rep `rep` a policy may move.
    private static uint FirstOf(PlanState state, int rep)
    {
        int customers = state.CustomerCount;
        for (uint c = 0; c < customers; c++)
        {
            PlanCustomer info = state.Customer(c);
            if (info.Holder == rep && !info.Locked && !info.Moved) return c;
        }
        throw new InvalidOperationException($"rep {rep} has no movable customer");
    }

    [Fact]
    public void TheGiroIsDeterministic()
    {
        using Plan first = BuildGiro();
        using Plan second = BuildGiro();

        Assert.Equal(first.ToJson(), second.ToJson());
        Assert.Equal(first.Id, second.Id);
        Assert.Matches("^plan-[0-9a-f]{16}$", first.Id);
        Assert.Equal(AsOf, first.AsOf);
        Assert.StartsWith("R", first.RoundRobinCursor);
        Assert.NotEmpty(first.Moves);
        Assert.Equal(["assign_unowned", "rotate_at_risk"], first.Moves.Select(m => m.Policy).Distinct().Order());

        // The records say what the JSON says.
        using JsonDocument doc = JsonDocument.Parse(first.ToJson());
        JsonElement[] moves = [.. doc.RootElement.GetProperty("moves").EnumerateArray()];
        Assert.Equal(moves.Length, first.Moves.Count);
        for (int i = 0; i < moves.Length; i++)
        {
            PlanMove m = first.Moves[i];
            Assert.Equal(moves[i].GetProperty("customer_id").GetString(), m.CustomerId);
            Assert.Equal(moves[i].GetProperty("from").GetString(), m.From);
            Assert.Equal(moves[i].GetProperty("to").GetString(), m.To);
            Assert.Equal(moves[i].GetProperty("explanation").GetString(), m.Explanation);
            Assert.Equal(AsOf, m.Effective);
            Assert.Null(m.Until);
        }
        JsonElement[] unassigned = [.. doc.RootElement.GetProperty("unassigned").EnumerateArray()];
        Assert.Equal(unassigned.Select(u => u.GetProperty("customer_id").GetString()),
                     first.Unplaced.Select(u => u.CustomerId));
        Assert.Equal(unassigned.Select(u => u.GetProperty("stays_with").GetString()),
                     first.Unplaced.Select(u => u.StaysWith));
        Assert.Equal(doc.RootElement.GetProperty("infeasible").EnumerateArray().Select(e => e.GetString()),
                     first.Infeasible);
        Assert.StartsWith("region Sudeste:", Assert.Single(first.Infeasible));  // its reps are full

        IReadOnlyDictionary<string, PlanRepFigures> before = first.RepFigures(after: false);
        IReadOnlyDictionary<string, PlanRepFigures> after = first.RepFigures(after: true);
        Assert.Equal(25, before.Count);
        Assert.Equal(before.Values.Sum(f => f.Customers), after.Values.Sum(f => f.Customers));
        foreach (JsonProperty rep in doc.RootElement.GetProperty("after").EnumerateObject())
        {
            Assert.Equal(rep.Value.GetProperty("customers").GetInt64(), after[rep.Name].Customers);
            Assert.Equal((long)Math.Round(rep.Value.GetProperty("at_risk_value").GetDouble() * 100), after[rep.Name].AtRiskValue);
        }
        PlanFairness fair = first.Fairness(after: false);
        JsonElement fairJson = doc.RootElement.GetProperty("fairness").GetProperty("before");
        Assert.Equal(23, fair.Reps);
        Assert.Equal(fairJson.GetProperty("min_load").GetInt64(), fair.MinLoad);
        Assert.Equal(fairJson.GetProperty("max_min_ratio").GetDouble(), fair.MaxMinRatio!.Value, 6);
        Assert.InRange(first.Fairness(after: true).Gini, 0.0, 1.0);
    }

    [Fact]
    public void ACSharpPolicyMovesACustomerUnderItsName()
    {
        int r01 = _portfolio.FindRep("R01");
        string? moved = null, holder = null;
        bool refused = false;
        PlanState? kept = null;
        using var pipeline = PlanPipeline.FromJson("""{"policies": [{"policy": "rotate_at_risk", "max_moves_per_rep": 2}]}""");
        pipeline.AddPolicy("move_one", state =>
        {
            kept = state;
            uint c = FirstOf(state, r01);
            moved = state.CustomerId(c);
            holder = state.RepId(state.Customer(moved).Holder);
            Assert.Equal(AsOf, state.AsOf);
            Assert.True(state.Rep("R02").Available);
            state.Move(moved, "R02", "plugin_rule", "moved by the C# plugin");
            refused = Assert.Throws<CarteiraFailedPreconditionException>(() => state.Move(c, r01, "again")) is not null;
            Assert.True(state.Customer(c).Moved);
            state.Unplace(c + 1, "plugin_limit", "one a run");
        });
        Assert.Equal(["move_one"], pipeline.Plugins);

        using Plan plan = Plan.Build(_portfolio, _table, pipeline);

        Assert.True(refused);
        Assert.Equal("R01", holder);
        Assert.Throws<InvalidOperationException>(() => kept!.AsOf); // the state dies with the run
        PlanMove mine = Assert.Single(plan.Moves, m => m.Policy == "move_one");
        Assert.Equal((moved, "R01", "R02", "plugin_rule"), (mine.CustomerId, mine.From, mine.To, mine.Reason));
        PlanUnplaced last = plan.Unplaced[^1];
        Assert.Equal(("move_one", "plugin_limit", "one a run"), (last.Policy, last.Constraint, last.Explanation));
        long delta = plan.Moves.Count(m => m.To == "R02") - plan.Moves.Count(m => m.From == "R02");
        Assert.Equal(plan.RepFigures(false)["R02"].Customers + delta, plan.RepFigures(true)["R02"].Customers);
        Assert.Contains("\"policy\": \"move_one\"", plan.ToJson(), StringComparison.Ordinal);
    }

    private sealed class Broken : IPlanPolicy, IDisposable
    {
        public int Runs { get; private set; }
        public int Disposed { get; private set; }

        public void Run(PlanState state)
        {
            Runs++;
            throw new InvalidOperationException("no capacity data");
        }

        public void Dispose() => Disposed++;
    }

    [Fact]
    public void AnExceptionInAPolicySurfacesAsTheInnerException()
    {
        var broken = new Broken();
        using (var pipeline = new PlanPipeline())
        {
            pipeline.AddPolicy("broken", broken);
            var ex = Assert.Throws<CarteiraException>(() => Plan.Build(_portfolio, _table, pipeline));
            Assert.Equal(CarteiraStatus.Internal, ex.Code);
            Assert.Contains("policy broken", ex.Message, StringComparison.Ordinal);
            Assert.Contains("no capacity data", ex.Message, StringComparison.Ordinal);
            Assert.IsType<InvalidOperationException>(ex.InnerException);
            // Again: nothing left over from the first failure.
            Assert.Throws<CarteiraException>(() => Plan.Build(_portfolio, _table, pipeline));
            Assert.Equal(2, broken.Runs);
            Assert.Equal(0, broken.Disposed);
        }
        Assert.Equal(1, broken.Disposed); // released with the pipeline, once

        // A refused move the policy does not catch keeps its code.
        using (var pipeline = new PlanPipeline().AddPolicy("refused", state => state.Move(FirstOf(state, 0), 0)))
        {
            var ex = Assert.Throws<CarteiraException>(() => Plan.Build(_portfolio, _table, pipeline));
            Assert.Equal(CarteiraStatus.FailedPrecondition, ex.Code);
            Assert.IsType<CarteiraFailedPreconditionException>(ex.InnerException);
        }

        // An empty name: the policy is disposed before AddPolicy throws.
        var unnamed = new Broken();
        using (var pipeline = new PlanPipeline())
        {
            Assert.Throws<CarteiraArgumentException>(() => pipeline.AddPolicy("", unnamed));
        }
        Assert.Equal(1, unnamed.Disposed);

        using Plan fine = BuildGiro(); // the library and the portfolio are fine afterwards
        Assert.NotEmpty(fine.Moves);
    }

    [Fact]
    public void ApplyThenApplyAgainIsStaleAndTheInverseRestores()
    {
        long[] books = [.. Kpi.RepDashboard(_portfolio, AsOf).Select(r => r.Book)];
        long assignments = _portfolio.Counts.Assignments;
        using Plan plan = BuildGiro();

        plan.Apply();

        Assert.Equal(assignments + plan.Moves.Count, _portfolio.Counts.Assignments);
        IReadOnlyDictionary<string, PlanRepFigures> after = plan.RepFigures(true);
        foreach (RepDashboardRow row in Kpi.RepDashboard(_portfolio, AsOf).Where(r => r.RepId is not null))
        {
            Assert.Equal(after[row.RepId!].Customers, row.Book);
        }
        var stale = Assert.Throws<CarteiraFailedPreconditionException>(() => plan.Apply(_portfolio));
        Assert.Contains("stale", stale.Message, StringComparison.Ordinal);

        using Plan undo = plan.Inverse(AsOf.AddDays(1));
        PlanMove[] hadRep = [.. plan.Moves.Where(m => m.From is not null)];
        Assert.Equal(hadRep.Select(m => (m.CustomerId, m.From)).Order(),
                     undo.Moves.Select(m => (m.CustomerId, (string?)m.To)).Order());
        Assert.All(undo.Moves, m => Assert.Equal(AsOf.AddDays(1), m.Effective));
        Assert.Equal(plan.Moves.Count - hadRep.Length, undo.Unplaced.Count);
        undo.Apply();
        Assert.Equal(books, Kpi.RepDashboard(_portfolio, AsOf.AddDays(1)).Select(r => r.Book));
    }

    [Fact]
    public void APlanGoesToJsonAndBack()
    {
        using Plan plan = BuildGiro();
        using Plan read = Plan.FromJson(_portfolio, plan.ToJson());

        Assert.Equal((plan.Id, plan.AsOf), (read.Id, read.AsOf));
        Assert.Equal(plan.Moves, read.Moves);
        Assert.Empty(read.RepFigures(true)); // a plan read back has its moves, not the figures
        Assert.Null(read.RoundRobinCursor);

        var ex = Assert.Throws<CarteiraArgumentException>(() => Plan.FromJson(
            _portfolio, """{"moves": [{"customer_id": "C00001", "to": "R99", "policy": "x"}]}"""));
        Assert.Contains("moves[0].to: rep R99 is not in the portfolio", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadPolicyJsonNamesThePlace()
    {
        var ex = Assert.Throws<CarteiraArgumentException>(() => PlanPipeline.FromJson(
            """{"policies": [{"policy": "rebalance", "tolerancia": 0.1}]}"""));
        Assert.Contains("policies[0] (rebalance).tolerancia: is not a known key", ex.Message, StringComparison.Ordinal);

        string path = Path.Combine(Path.GetTempPath(), $"carteira-policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"policies": [{"policy": "rotate_at_risk", "no_contact_days": -3}]}""");
        try
        {
            ex = Assert.Throws<CarteiraArgumentException>(() => PlanPipeline.FromFile(path));
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains("policies[0] (rotate_at_risk)", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<CarteiraNotFoundException>(() => PlanPipeline.FromFile("/nonexistent/policy.json"));
    }

    [Fact]
    public void APlanOutlivesItsPipelineAndItsPortfolioObject()
    {
        Plan plan;
        using (var portfolio = new Portfolio())
        {
            portfolio.ImportDirectory(Repository.PathOf("examples", "sample"));
            using var policy = StatusPolicy.Default();
            using var engine = new StatusEngine(portfolio, policy);
            using StatusTable table = engine.Classify(AsOf);
            using var pipeline = PlanPipeline.FromJson(Giro);
            plan = Plan.Build(portfolio, table, pipeline);
        }
        using (plan)
        {
            // The plan leases the native portfolio: its ids are still readable.
            Assert.NotEmpty(plan.Moves);
            Assert.NotEmpty(plan.RepFigures(true));
            Assert.Throws<ObjectDisposedException>(() => plan.Apply());
        }
        Assert.Throws<ObjectDisposedException>(() => plan.ToJson());
    }
}
