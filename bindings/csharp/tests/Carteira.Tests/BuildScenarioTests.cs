// One scenario through what differs between Carteira's two builds (P/Invoke
// and its UTF-8 strings, plugin callbacks, dates): its transcript must equal
// BuildScenario.expected.txt exactly. Carteira.Tests runs it on the net10.0
// build and Carteira.Tests.NetStandard on the netstandard2.0 one, so the two
// builds give the same results.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using Xunit;

namespace Carteira.Tests;

public class BuildScenarioTests
{
    private static string G17(double v) => v.ToString("G17", CultureInfo.InvariantCulture);

    private static string Day(DateOnly? d) => d is { } x ? x.ToString("o", CultureInfo.InvariantCulture) : "-";

    [Fact]
    public void TheTestedBuildIsTheOneThisProjectNames()
    {
        string framework = typeof(Portfolio).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
#if CARTEIRA_NETSTANDARD
        Assert.Equal(".NETStandard,Version=v2.0", framework);
        Assert.Equal(typeof(Portfolio).Assembly, typeof(DateOnly).Assembly);  // Carteira.DateOnly
#else
        Assert.Equal(".NETCoreApp,Version=v10.0", framework);
        Assert.Equal(typeof(object).Assembly, typeof(DateOnly).Assembly);     // System.DateOnly
#endif
    }

    [Fact]
    public void TranscriptEqualsTheExpectedOne()
    {
        var lines = new List<string>();
        using var p = new Portfolio();
        ImportReport report = p.ImportDirectory(Repository.PathOf("examples", "sample"));
        PortfolioCounts n = p.Counts;
        lines.Add($"import applied={report.Applied} issues={report.Issues.Count} customers={n.Customers} reps={n.Reps} " +
                  $"transactions={n.Transactions} contracts={n.Contracts} interactions={n.Interactions} " +
                  $"surveys={n.Surveys} assignments={n.Assignments}");

        // A plugin rule: vetoes lost for key accounts, notes what it saw for one customer.
        var asOf = new DateOnly(2026, 10, 31);
        using StatusPolicy policy = StatusPolicy.Default();
        using var engine = new StatusEngine(p, policy);
        long ruleCalls = 0;
        engine.AddRule("key_accounts_stay", (facts, decision) =>
        {
            ruleCalls++;
            if (facts.Flags.HasFlag(StatusFlags.KeyAccount) && decision.Status == Lifecycle.Lost)
            {
                decision.Veto(Lifecycle.Lost, "conta-chave não se perde");  // non-ASCII through the UTF-8 path
            }
            if (facts.CustomerId == "C00002")
            {
                decision.AddReason($"seen {Day(facts.AsOf)}, last {Day(facts.LastPurchase)}, " +
                                   $"{facts.PurchaseDays} days, {facts.PurchaseDayNumbers.Length} listed");
            }
        });
        using StatusTable table = engine.Classify(asOf);
        lines.Add($"rule calls={ruleCalls}");
        lines.Add("status " + string.Join(" ", table.Counts.Select(c => $"{c.Key.Name()}={c.Value}")));
        for (int row = 0; row < 3; row++)
        {
            lines.Add($"row {row}: {table.RuleName(row)} | {table.Reason(row)}");
        }
        string[] reasons = Enumerable.Range(0, table.Count).Select(table.Reason).ToArray();
        lines.Add($"vetoed={reasons.Count(r => r.Contains("conta-chave", StringComparison.Ordinal))}");

        // A plugin policy after a built-in one: gives R02 the first unlocked at-risk customer.
        using PlanPipeline pipeline = PlanPipeline.FromJson("""{"policies": [{"policy": "assign_unowned"}]}""");
        pipeline.AddPolicy("to_r02", state =>
        {
            for (uint c = 0; c < (uint)state.CustomerCount; c++)
            {
                PlanCustomer customer = state.Customer(c);
                if (customer.Status == Lifecycle.AtRisk && !customer.Locked && !customer.Moved &&
                    state.RepId(customer.Holder) != "R02")
                {
                    state.Move(c, state.Portfolio.FindRep("R02"), "plugin", $"as of {Day(state.AsOf)}");
                    return;
                }
            }
        });
        using Plan plan = Plan.Build(p, table, pipeline);
        lines.Add($"plan {plan.Id} as of {Day(plan.AsOf)} moves={plan.Moves.Count} unplaced={plan.Unplaced.Count}");
        foreach (PlanMove m in plan.Moves.Where(m => m.Policy == "to_r02"))
        {
            lines.Add($"move {m.CustomerId} {m.From ?? "-"} -> {m.To} {m.Policy} {m.Reason} | {m.Explanation}");
        }
        lines.Add($"gini after={G17(plan.Fairness(after: true).Gini)}");

        // A model fit on the portfolio, and a prediction.
        using Model bg = Model.FitPortfolio(ModelKind.BgNbd, p, asOf, TimeUnit.Weeks);
        lines.Add("bgnbd " + string.Join(" ", bg.Parameters.Select(kv => $"{kv.Key}={G17(kv.Value)}")) +
                  $" ll={G17(bg.FitInfo.LogLikelihood)} converged={bg.FitInfo.Converged}");
        RfmColumns rfm = RfmColumns.FromSummary(p.Summary(asOf, TimeUnit.Weeks));
        lines.Add("p_alive " + string.Join(" ", bg.PAlive(rfm).Take(3).Select(G17)));

        // Values through the string and buffer calls.
        lines.Add($"values {Day(Dates.Parse("29/02/2024"))} {Money.Parse("R$ 1.234,56")} " +
                  $"{Hygiene.DisplayName("  joão   DA silva ")} {Hygiene.CheckTaxId("12ABC34501DE35").Formatted} " +
                  $"{Dates.ToDays(new DateOnly(2024, 2, 29))}");

        string[] expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "BuildScenario.expected.txt"));
        if (!expected.SequenceEqual(lines))
        {
            string actual = Path.Combine(Path.GetTempPath(), "carteira-build-scenario.actual.txt");
            File.WriteAllLines(actual, lines);
            Assert.Fail($"the transcript differs from BuildScenario.expected.txt; this build's is in {actual}");
        }
    }
}
