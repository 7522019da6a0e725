using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Carteira.Tests;

/// <summary>Retention actions: the agenda on the sample as of 2026-10-31, the loyalty ledger on a
/// hand-built portfolio and on the sample with examples/loyalty_rules.json, and automation with C#
/// handlers (documented order; an exception in one is reported, not thrown, and the others run).</summary>
public sealed class ActionsTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 10, 31);
    private static readonly DateOnly From = new(2026, 9, 30);
    private static readonly string RulesFile = Repository.PathOf("examples", "loyalty_rules.json");

    private const string SmallRules = """
        {"unit": "1,00", "expiry_months": 6,
         "tiers": [{"name": "Bronze", "min_spend": "0"},
                   {"name": "Prata", "min_spend": "1.000,00", "multiplier": 150}]}
        """;

    private readonly Portfolio _sample;
    private readonly StatusEngine _engine;

    public ActionsTests()
    {
        _sample = new Portfolio();
        _sample.ImportDirectory(Repository.PathOf("examples", "sample"));
        using var policy = StatusPolicy.Default();
        _engine = new StatusEngine(_sample, policy);
    }

    public void Dispose()
    {
        _engine.Dispose();
        _sample.Dispose();
    }

    private static Portfolio Small()
    {
        var p = new Portfolio();
        uint[] index = p.InternCustomers(["ANA", "BIA"]);
        DateOnly[] dates = [new(2025, 1, 1), new(2025, 3, 1), new(2025, 3, 1)];
        p.AppendTransactions([index[0], index[0], index[1]], dates, [10000L, 20000L, 5000L]);
        return p;
    }

    // ---- Agenda ----------------------------------------------------------------------

    [Fact]
    public void TheAgendaListsTasksByDueDateWithKeysAndReasons()
    {
        using Agenda agenda = Agenda.Build(_engine, AsOf);
        Assert.Equal(AsOf, agenda.AsOf);
        IReadOnlyList<AgendaTask> tasks = agenda.Tasks;
        Assert.Equal(agenda.Count, tasks.Count);
        Assert.True(tasks.Count > 0);
        var types = tasks.Select(t => t.Type).ToHashSet();
        Assert.Contains(TaskType.Renewal, types);
        Assert.Contains(TaskType.Visit, types);
        Assert.Contains(TaskType.Reactivation, types);
        for (int i = 1; i < tasks.Count; i++) Assert.True(tasks[i - 1].Due <= tasks[i].Due);
        Assert.All(tasks, t =>
        {
            Assert.InRange(t.Priority, 0, 100);
            Assert.StartsWith($"{t.Type.Name()}:{t.CustomerId}:", t.Key);
            Assert.Equal(t.Due < AsOf, t.Overdue);
            Assert.NotEmpty(t.Reason);
        });
        Assert.Equal(tasks.Count, tasks.Select(t => t.Key).Distinct().Count());
        // Same input, same agenda.
        using Agenda again = Agenda.Build(_engine, AsOf);
        Assert.Equal(tasks.Select(t => t.Key), again.Tasks.Select(t => t.Key));
    }

    [Fact]
    public void AgendaOptionsAndErrors()
    {
        using Agenda renewals = Agenda.Build(_engine, AsOf, new AgendaOptions { Types = [TaskType.Renewal], HorizonDays = 30 });
        Assert.All(renewals.Tasks, t => Assert.Equal(TaskType.Renewal, t.Type));
        Assert.All(renewals.Tasks, t => Assert.Contains("ends on", t.Reason));
        var values = new double[_engine.CustomerCount];
        for (int i = 0; i < values.Length; i++) values[i] = i;
        using Agenda valued = Agenda.Build(_engine, AsOf, new AgendaOptions { ExpectedValue = values, VisitChannels = ["visita"] });
        Assert.True(valued.Count > 0);
        Assert.Equal("nps_survey", TaskType.NpsSurvey.Name());
        Assert.Equal(TaskType.FollowUp, TaskTypes.Parse("follow_up"));
        Assert.Throws<CarteiraArgumentException>(() => TaskTypes.Parse("calls"));
        var negative = Assert.Throws<CarteiraArgumentException>(
            () => Agenda.Build(_engine, AsOf, new AgendaOptions { HorizonDays = -1 }));
        Assert.Contains("horizon_days must be >= 0", negative.Message);
        Assert.Throws<CarteiraArgumentException>(() => Agenda.Build(_engine, AsOf, new AgendaOptions { Types = [] }));
        Assert.Throws<CarteiraArgumentException>(
            () => Agenda.Build(_engine, AsOf, new AgendaOptions { ExpectedValue = [1.0, 2.0] }));
        Assert.Throws<ArgumentException>(
            () => Agenda.Build(_engine, AsOf, new AgendaOptions { VisitChannels = ["a|b"] }));
    }

    [Fact]
    public void PurchaseWindowsAreAskedForByType()
    {
        using Agenda all = Agenda.Build(_engine, AsOf);
        Assert.DoesNotContain(all.Tasks, t => t.Type == TaskType.PurchaseWindow);
        using Agenda windows = Agenda.Build(_engine, AsOf, new AgendaOptions { Types = [TaskType.PurchaseWindow] });
        Assert.True(windows.Count > 0);
        Assert.All(windows.Tasks, t => Assert.StartsWith("next purchase expected", t.Reason));
        Assert.All(windows.Tasks, t => Assert.Equal(t.Anchor.AddDays(-2), t.Due));
        using Agenda sooner = Agenda.Build(_engine, AsOf,
            new AgendaOptions { Types = [TaskType.PurchaseWindow], PurchaseWindowLeadDays = 10 });
        Assert.True(sooner.Count > windows.Count);
        Assert.All(sooner.Tasks, t => Assert.Equal(t.Anchor.AddDays(-10), t.Due));
        Assert.Equal("purchase_window", TaskType.PurchaseWindow.Name());
        Assert.Equal(TaskType.PurchaseWindow, TaskTypes.Parse("purchase_window"));
        var negative = Assert.Throws<CarteiraArgumentException>(() => Agenda.Build(_engine, AsOf,
            new AgendaOptions { Types = [TaskType.PurchaseWindow], PurchaseWindowMaxAgeDays = -1 }));
        Assert.Contains("purchase_window_max_age_days must be >= 0", negative.Message);
    }

    // ---- Loyalty ledger --------------------------------------------------------------

    [Fact]
    public void BalancesOfEveryCustomerInOneCallEqualThePerCustomerOnes()
    {
        using var ledger = LoyaltyLedger.FromFile(_sample, RulesFile);
        ledger.EarnFromTransactions(new DateOnly(2026, 6, 30));
        long[] all = ledger.Balances(new DateOnly(2026, 7, 1));
        Assert.Equal(_sample.Counts.Customers, all.Length);
        Assert.True(all.Sum() > 0);
        for (int c = 0; c < all.Length; c += 97)
        {
            Assert.Equal(ledger.Balance((uint)c, new DateOnly(2026, 7, 1)), all[c]);
        }
    }

    [Fact]
    public void TheLedgerEarnsRedeemsAndExpires()
    {
        using Portfolio p = Small();
        using var ledger = new LoyaltyLedger(p, SmallRules);
        Assert.Equal(3, ledger.EarnFromTransactions(new DateOnly(2025, 3, 31)));
        Assert.Equal(300, ledger.Balance("ANA", new DateOnly(2025, 4, 1)));
        var refused = Assert.Throws<CarteiraFailedPreconditionException>(
            () => ledger.Redeem("ANA", new DateOnly(2025, 4, 1), 301, "R0"));
        Assert.Contains("redeeming 301 points exceeds the balance of 300 on 2025-04-01", refused.Message);
        Assert.Equal(3, ledger.EntryCount); // nothing written
        ulong redemption = ledger.Redeem("ANA", new DateOnly(2025, 4, 1), 150, "R1");
        Assert.Equal(4UL, redemption);
        ledger.Adjust("ANA", new DateOnly(2025, 4, 2), -30, "goodwill mistake");
        ledger.Reverse(redemption, new DateOnly(2025, 4, 3), "cancelled");
        Assert.Throws<CarteiraFailedPreconditionException>(() => ledger.Reverse(redemption, new DateOnly(2025, 4, 3)));
        Assert.Throws<CarteiraNotFoundException>(() => ledger.Reverse(99, new DateOnly(2025, 4, 3)));
        Assert.Equal(270, ledger.Balance("ANA", new DateOnly(2025, 4, 3)));
        Assert.Equal(120, ledger.ExpiringWithin("ANA", new DateOnly(2025, 8, 15), 30));
        Assert.Equal(2, ledger.ExpireUntil(new DateOnly(2025, 9, 1)));
        Assert.Equal(150, ledger.Balance("ANA", new DateOnly(2025, 9, 1)));
        Assert.Equal(new TierStanding("Bronze", 30000, "Prata", 70000, 0, 1), ledger.Tier("ANA", new DateOnly(2025, 4, 1)));

        IReadOnlyList<LedgerEntry> ana = ledger.Entries("ANA");
        Assert.Equal([LedgerKind.Earn, LedgerKind.Earn, LedgerKind.Redeem, LedgerKind.Adjust, LedgerKind.Reverse,
                      LedgerKind.Expire], ana.Select(e => e.Kind));
        Assert.Equal([100L, 200, -150, -30, 150, -120], ana.Select(e => e.Points));
        Assert.Equal(new DateOnly(2025, 7, 1), ana[0].Expires);
        Assert.Null(ana[2].Expires);
        Assert.Equal("R1", ana[2].Reference);
        Assert.Equal(2UL, ana[5].Reverses);
        Assert.Equal("earned 2025-03-01, expired 2025-09-01", ana[5].Note);
        Assert.Equal(ledger.Balance("ANA", new DateOnly(2025, 9, 1)), ana.Sum(e => e.Points));
        Assert.Equal(2, ledger.Entries("ANA", new DateOnly(2025, 3, 31)).Count);
        Assert.Equal(ledger.EntryCount, ledger.Entries().Count);
        Assert.Throws<CarteiraFailedPreconditionException>(() => ledger.Adjust("ANA", new DateOnly(2025, 1, 15), 5));
        Assert.Throws<CarteiraOutOfRangeException>(() => ledger.Balance(99u, new DateOnly(2025, 4, 1)));
    }

    [Fact]
    public void BadRulesNameTheKey()
    {
        using Portfolio p = Small();
        var e = Assert.Throws<CarteiraArgumentException>(() => new LoyaltyLedger(p, """{"unit": 100}"""));
        Assert.StartsWith("rules.unit: expected an amount as a string", e.Message);
        Assert.Throws<CarteiraNotFoundException>(() => LoyaltyLedger.FromFile(p, "/nonexistent/rules.json"));
        using var defaults = new LoyaltyLedger(p);
        defaults.EarnFromTransactions(new DateOnly(2025, 12, 31));
        Assert.Equal(300, defaults.Balance("ANA", new DateOnly(2025, 12, 31)));
    }

    [Fact]
    public void TheLedgerOutlivesADisposedPortfolio()
    {
        Portfolio p = Small();
        using var ledger = new LoyaltyLedger(p, SmallRules);
        p.Dispose();
        Assert.Equal(3, ledger.EarnFromTransactions(new DateOnly(2025, 3, 31)));
        Assert.Equal("ANA", ledger.Entries()[0].CustomerId);
    }

    // ---- Automation ------------------------------------------------------------------

    private sealed class Recorder : IAutomationHandler, IDisposable
    {
        public List<(AutomationEventKind Kind, object Event)> Log { get; } = [];
        public int Disposed { get; private set; }
        public void OnTransition(StatusTransition transition)
        {
            Log.Add((AutomationEventKind.Transition, transition));
            if (Log.Count == 1) throw new InvalidOperationException("the CRM refused the first one");
        }
        public void OnNewTask(AgendaTask task) => Log.Add((AutomationEventKind.NewTask, task));
        public void OnTierChange(TierChange change) => Log.Add((AutomationEventKind.TierChange, change));
        public void Dispose() => Disposed++;
    }

    [Fact]
    public void HandlersAreCalledInOrderAndAFailureIsReportedNotThrown()
    {
        string known;
        List<AgendaTask> agenda;
        using (Agenda a = Agenda.Build(_engine, AsOf))
        {
            agenda = [.. a.Tasks];
            known = agenda[0].Key;
        }
        var crm = new Recorder();
        var mails = new List<AgendaTask>();
        using var ledger = LoyaltyLedger.FromFile(_sample, RulesFile);
        ledger.EarnFromTransactions(AsOf);
        AutomationReport report;
        using (var automation = new Automation())
        {
            automation.AddHandler("crm", crm).AddHandler("mail", onNewTask: mails.Add);
            Assert.Equal(["crm", "mail"], automation.Handlers);
            report = automation.Run(_engine, From, AsOf, ledger, [known]);
            Assert.Equal(0, crm.Disposed);
        }
        Assert.Equal(1, crm.Disposed); // released with the automation, once

        Assert.Equal((From, AsOf), (report.From, report.To));
        Assert.True(report.Transitions > 0 && report.NewTasks > 0 && report.TierChanges > 0);
        Assert.Equal(report.Transitions + 2 * report.NewTasks + report.TierChanges, report.Calls);
        Assert.Equal(report.Calls - 1, report.Delivered);
        AutomationFailure failure = Assert.Single(report.Failures);
        var first = (StatusTransition)crm.Log[0].Event;
        Assert.Equal(new AutomationFailure(AutomationEventKind.Transition, first.CustomerId, "crm",
                                           "System.InvalidOperationException: the CRM refused the first one"), failure);
        // Transitions (by date, then id), then new tasks (agenda order), then tier changes (by id).
        var kinds = crm.Log.Select(e => e.Kind).ToList();
        Assert.Equal(kinds.OrderBy(k => (int)k), kinds);
        var transitions = crm.Log.Where(e => e.Kind == AutomationEventKind.Transition)
            .Select(e => (StatusTransition)e.Event).ToList();
        Assert.Equal(transitions.OrderBy(t => t.Date).ThenBy(t => t.CustomerId, StringComparer.Ordinal), transitions);
        Assert.All(transitions, t => Assert.NotEqual(t.From, t.To));
        var tasks = crm.Log.Where(e => e.Kind == AutomationEventKind.NewTask).Select(e => (AgendaTask)e.Event).ToList();
        Assert.Equal(agenda.Skip(1), tasks);
        Assert.Equal(tasks, mails);
        var tiers = crm.Log.Where(e => e.Kind == AutomationEventKind.TierChange).Select(e => (TierChange)e.Event).ToList();
        Assert.Equal(tiers.OrderBy(t => t.CustomerId, StringComparer.Ordinal), tiers);
        Assert.All(tiers, t => Assert.NotEqual(t.FromTier, t.ToTier));
    }

    [Fact]
    public void AutomationErrorsAndHandlersReleasedOnAFailedAdd()
    {
        using var automation = new Automation();
        var calls = new List<TierChange>();
        automation.AddHandler("tiers", onTierChange: calls.Add);
        AutomationReport report = automation.Run(_engine, From, AsOf); // no ledger: no tier changes
        Assert.Equal((0, 0), (report.TierChanges, report.Calls));
        Assert.Empty(calls);
        Assert.Throws<CarteiraArgumentException>(() => automation.Run(_engine, AsOf, From));
        var rejected = new Recorder();
        Assert.Throws<CarteiraArgumentException>(() => automation.AddHandler("", rejected));
        Assert.Equal(1, rejected.Disposed);
        Assert.Throws<ArgumentException>(() => automation.AddHandler("none"));
        Assert.Equal(["tiers"], automation.Handlers);
    }
}
