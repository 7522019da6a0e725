// The C# mirrors of the C structs must match the C compiler's layout. The
// expected numbers are those of gcc on x86-64 / aarch64 Linux (LP64),
// printed with sizeof/offsetof from carteira.h.
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Carteira.Tests;

public unsafe class NativeLayoutTests
{
    [Fact]
    public void StructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");

        Assert.Equal(64, sizeof(NativePortfolioCounts));
        Assert.Equal(112, sizeof(NativeCustomerColumns));
        Assert.Equal(64, sizeof(NativeTransactionColumns));
        Assert.Equal(48, sizeof(NativeImportOptions));
        Assert.Equal(32, sizeof(NativeImportCounts));
        Assert.Equal(56, sizeof(NativeImportIssue));
        Assert.Equal(12, sizeof(NativeSummaryOptions));
        Assert.Equal(72, sizeof(NativeRepColumns));
        Assert.Equal(64, sizeof(NativeContractColumns));
        Assert.Equal(56, sizeof(NativeInteractionColumns));
        Assert.Equal(40, sizeof(NativeSurveyColumns));
        Assert.Equal(48, sizeof(NativeAssignmentColumns));

        // Locals do not move, so field addresses minus the struct's are offsets.
        NativePortfolioCounts counts;
        Assert.Equal(56, (byte*)&counts.Assignments - (byte*)&counts);
        NativeCustomerColumns customers;
        Assert.Equal(8, (byte*)&customers.Count - (byte*)&customers);
        Assert.Equal(88, (byte*)&customers.CreatedAt - (byte*)&customers);
        Assert.Equal(104, (byte*)&customers.Delinquent - (byte*)&customers);
        NativeTransactionColumns transactions;
        Assert.Equal(56, (byte*)&transactions.Category - (byte*)&transactions);
        NativeImportOptions options;
        Assert.Equal(8, (byte*)&options.Delimiter - (byte*)&options);
        Assert.Equal(12, (byte*)&options.HasHeader - (byte*)&options);
        Assert.Equal(32, (byte*)&options.ColumnMapping - (byte*)&options);
        Assert.Equal(40, (byte*)&options.MaxIssues - (byte*)&options);
        NativeImportIssue issue;
        Assert.Equal(16, (byte*)&issue.Line - (byte*)&issue);
        Assert.Equal(24, (byte*)&issue.Column - (byte*)&issue);
        Assert.Equal(32, (byte*)&issue.Field - (byte*)&issue);
        Assert.Equal(48, (byte*)&issue.Message - (byte*)&issue);
        NativeRepColumns reps;
        Assert.Equal(8, (byte*)&reps.Count - (byte*)&reps);
        Assert.Equal(16, (byte*)&reps.Id - (byte*)&reps);
        Assert.Equal(40, (byte*)&reps.Segments - (byte*)&reps);
        Assert.Equal(48, (byte*)&reps.Capacity - (byte*)&reps);
        Assert.Equal(56, (byte*)&reps.Active - (byte*)&reps);
        Assert.Equal(64, (byte*)&reps.Team - (byte*)&reps);
        NativeContractColumns contracts;
        Assert.Equal(16, (byte*)&contracts.CustomerIndex - (byte*)&contracts);
        Assert.Equal(24, (byte*)&contracts.ContractId - (byte*)&contracts);
        Assert.Equal(32, (byte*)&contracts.Start - (byte*)&contracts);
        Assert.Equal(40, (byte*)&contracts.End - (byte*)&contracts);
        Assert.Equal(48, (byte*)&contracts.Value - (byte*)&contracts);
        Assert.Equal(56, (byte*)&contracts.AutoRenew - (byte*)&contracts);
        NativeInteractionColumns interactions;
        Assert.Equal(16, (byte*)&interactions.CustomerIndex - (byte*)&interactions);
        Assert.Equal(24, (byte*)&interactions.RepIndex - (byte*)&interactions);
        Assert.Equal(32, (byte*)&interactions.Date - (byte*)&interactions);
        Assert.Equal(40, (byte*)&interactions.Channel - (byte*)&interactions);
        Assert.Equal(48, (byte*)&interactions.Outcome - (byte*)&interactions);
        NativeSurveyColumns surveys;
        Assert.Equal(16, (byte*)&surveys.CustomerIndex - (byte*)&surveys);
        Assert.Equal(24, (byte*)&surveys.Date - (byte*)&surveys);
        Assert.Equal(32, (byte*)&surveys.Score - (byte*)&surveys);
        NativeAssignmentColumns assignments;
        Assert.Equal(16, (byte*)&assignments.CustomerIndex - (byte*)&assignments);
        Assert.Equal(24, (byte*)&assignments.RepIndex - (byte*)&assignments);
        Assert.Equal(32, (byte*)&assignments.Since - (byte*)&assignments);
        Assert.Equal(40, (byte*)&assignments.Reason - (byte*)&assignments);
    }

    [Fact]
    public void StatusStructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");

        // carteira_status_facts: the library fills it, the binding reads it.
        Assert.Equal(64, sizeof(NativeStatusFacts));
        NativeStatusFacts facts;
        Assert.Equal(4, (byte*)&facts.CustomerIndex - (byte*)&facts);
        Assert.Equal(8, (byte*)&facts.CustomerId - (byte*)&facts);
        Assert.Equal(16, (byte*)&facts.Segment - (byte*)&facts);
        Assert.Equal(24, (byte*)&facts.AsOf - (byte*)&facts);
        Assert.Equal(28, (byte*)&facts.PurchaseDays - (byte*)&facts);
        Assert.Equal(32, (byte*)&facts.PurchaseDayList - (byte*)&facts);
        Assert.Equal(40, (byte*)&facts.DaysSinceLast - (byte*)&facts);
        Assert.Equal(48, (byte*)&facts.MedianGapDays - (byte*)&facts); // 4 bytes of padding before the double
        Assert.Equal(56, (byte*)&facts.Status - (byte*)&facts);
        Assert.Equal(60, (byte*)&facts.Flags - (byte*)&facts);

        // carteira_status_rule_vtable: two function pointers after struct_size.
        Assert.Equal(24, sizeof(NativeStatusRuleVtable));
        NativeStatusRuleVtable vtable;
        Assert.Equal(8, (byte*)&vtable.Apply - (byte*)&vtable);
        Assert.Equal(16, (byte*)&vtable.Destroy - (byte*)&vtable);
    }

    [Fact]
    public void ModelStructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");

        // carteira_rfm_columns: five column pointers after the count, the unit last.
        Assert.Equal(64, sizeof(NativeRfmColumns));
        NativeRfmColumns rfm;
        Assert.Equal(8, (byte*)&rfm.Count - (byte*)&rfm);
        Assert.Equal(16, (byte*)&rfm.X - (byte*)&rfm);
        Assert.Equal(24, (byte*)&rfm.TX - (byte*)&rfm);
        Assert.Equal(32, (byte*)&rfm.T - (byte*)&rfm);
        Assert.Equal(40, (byte*)&rfm.Weight - (byte*)&rfm);
        Assert.Equal(48, (byte*)&rfm.Zbar - (byte*)&rfm);
        Assert.Equal(56, (byte*)&rfm.Unit - (byte*)&rfm);

        // carteira_fit_options: padding before the double and before the pointer.
        Assert.Equal(40, sizeof(NativeFitOptions));
        NativeFitOptions options;
        Assert.Equal(8, (byte*)&options.L2Penalty - (byte*)&options);
        Assert.Equal(16, (byte*)&options.MaxEvaluations - (byte*)&options);
        Assert.Equal(24, (byte*)&options.Initial - (byte*)&options);
        Assert.Equal(32, (byte*)&options.InitialCount - (byte*)&options);

        // carteira_fit_info: six int32 (no padding), five doubles, a size_t.
        Assert.Equal(72, sizeof(NativeFitInfo));
        NativeFitInfo info;
        Assert.Equal(4, (byte*)&info.Kind - (byte*)&info);
        Assert.Equal(8, (byte*)&info.Unit - (byte*)&info);
        Assert.Equal(12, (byte*)&info.Fitted - (byte*)&info);
        Assert.Equal(16, (byte*)&info.Converged - (byte*)&info);
        Assert.Equal(20, (byte*)&info.Evaluations - (byte*)&info);
        Assert.Equal(24, (byte*)&info.LogLikelihood - (byte*)&info);
        Assert.Equal(32, (byte*)&info.NCustomers - (byte*)&info);
        Assert.Equal(40, (byte*)&info.GradientNorm - (byte*)&info);
        Assert.Equal(48, (byte*)&info.Aic - (byte*)&info);
        Assert.Equal(56, (byte*)&info.Bic - (byte*)&info);
        Assert.Equal(64, (byte*)&info.ParamCount - (byte*)&info);
    }

    [Fact]
    public void PlanStructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");

        // carteira_policy_vtable: two function pointers after struct_size.
        Assert.Equal(24, sizeof(NativePolicyVtable));
        NativePolicyVtable vtable;
        Assert.Equal(8, (byte*)&vtable.Run - (byte*)&vtable);
        Assert.Equal(16, (byte*)&vtable.Destroy - (byte*)&vtable);

        // carteira_plan_customer: six int32 after struct_size, padding, two int64.
        Assert.Equal(48, sizeof(NativePlanCustomer));
        NativePlanCustomer customer;
        Assert.Equal(4, (byte*)&customer.Holder - (byte*)&customer);
        Assert.Equal(8, (byte*)&customer.Status - (byte*)&customer);
        Assert.Equal(12, (byte*)&customer.Locked - (byte*)&customer);
        Assert.Equal(16, (byte*)&customer.Moved - (byte*)&customer);
        Assert.Equal(20, (byte*)&customer.DaysSinceLast - (byte*)&customer);
        Assert.Equal(24, (byte*)&customer.HolderLastTouch - (byte*)&customer);
        Assert.Equal(32, (byte*)&customer.Value - (byte*)&customer);
        Assert.Equal(40, (byte*)&customer.Weight - (byte*)&customer);

        Assert.Equal(56, sizeof(NativePlanInfo));
        NativePlanInfo info;
        Assert.Equal(8, (byte*)&info.Id - (byte*)&info);
        Assert.Equal(16, (byte*)&info.AsOf - (byte*)&info);
        Assert.Equal(24, (byte*)&info.MoveCount - (byte*)&info);
        Assert.Equal(32, (byte*)&info.UnplacedCount - (byte*)&info);
        Assert.Equal(40, (byte*)&info.InfeasibleCount - (byte*)&info);
        Assert.Equal(48, (byte*)&info.RoundRobinCursor - (byte*)&info);

        Assert.Equal(48, sizeof(NativePlanMove));
        NativePlanMove move;
        Assert.Equal(4, (byte*)&move.Customer - (byte*)&move);
        Assert.Equal(8, (byte*)&move.From - (byte*)&move);
        Assert.Equal(12, (byte*)&move.To - (byte*)&move);
        Assert.Equal(16, (byte*)&move.Effective - (byte*)&move);
        Assert.Equal(20, (byte*)&move.Until - (byte*)&move);
        Assert.Equal(24, (byte*)&move.Policy - (byte*)&move);
        Assert.Equal(32, (byte*)&move.Reason - (byte*)&move);
        Assert.Equal(40, (byte*)&move.Explanation - (byte*)&move);

        Assert.Equal(40, sizeof(NativePlanUnplaced));
        NativePlanUnplaced unplaced;
        Assert.Equal(4, (byte*)&unplaced.Customer - (byte*)&unplaced);
        Assert.Equal(8, (byte*)&unplaced.Holder - (byte*)&unplaced);
        Assert.Equal(16, (byte*)&unplaced.Policy - (byte*)&unplaced);
        Assert.Equal(24, (byte*)&unplaced.Constraint - (byte*)&unplaced);
        Assert.Equal(32, (byte*)&unplaced.Explanation - (byte*)&unplaced);

        Assert.Equal(40, sizeof(NativeRepFigures));
        NativeRepFigures figures;
        Assert.Equal(8, (byte*)&figures.Customers - (byte*)&figures);
        Assert.Equal(16, (byte*)&figures.Load - (byte*)&figures);
        Assert.Equal(24, (byte*)&figures.AtRisk - (byte*)&figures);
        Assert.Equal(32, (byte*)&figures.AtRiskValue - (byte*)&figures);

        Assert.Equal(48, sizeof(NativeFairness));
        NativeFairness fairness;
        Assert.Equal(8, (byte*)&fairness.Reps - (byte*)&fairness);
        Assert.Equal(16, (byte*)&fairness.MinLoad - (byte*)&fairness);
        Assert.Equal(24, (byte*)&fairness.MaxLoad - (byte*)&fairness);
        Assert.Equal(32, (byte*)&fairness.MaxMinRatio - (byte*)&fairness);
        Assert.Equal(40, (byte*)&fairness.Gini - (byte*)&fairness);
    }

    [Fact]
    public void PlanStructsInitLikeTheirInitMacros()
    {
        // CARTEIRA_POLICY_VTABLE_INIT: the size, no callbacks.
        NativePolicyVtable vtable = NativePolicyVtable.Init();
        Assert.Equal((uint)sizeof(NativePolicyVtable), vtable.StructSize);
        Assert.True(vtable.Run == null && vtable.Destroy == null);
        // CARTEIRA_PLAN_CUSTOMER_INIT: no holder, no purchase, no touch.
        NativePlanCustomer customer = NativePlanCustomer.Init();
        Assert.Equal((uint)sizeof(NativePlanCustomer), customer.StructSize);
        Assert.Equal((-1, -1, Dates.NoDay), (customer.Holder, customer.DaysSinceLast, customer.HolderLastTouch));
        Assert.Equal(Dates.NoDay, NativePlanInfo.Init().AsOf);
        NativePlanMove move = NativePlanMove.Init();
        Assert.Equal((-1, -1, Dates.NoDay, Dates.NoDay), (move.From, move.To, move.Effective, move.Until));
        Assert.Equal(-1, NativePlanUnplaced.Init().Holder);
        Assert.Equal((uint)sizeof(NativeRepFigures), NativeRepFigures.Init().StructSize);
        Assert.Equal((uint)sizeof(NativeFairness), NativeFairness.Init().StructSize);
    }

    [Fact]
    public void ActionsStructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");

        Assert.Equal(96, sizeof(NativeAgendaOptions));
        NativeAgendaOptions options;
        Assert.Equal(4, (byte*)&options.AsOf - (byte*)&options);
        Assert.Equal(12, (byte*)&options.TaskTypes - (byte*)&options);
        Assert.Equal(24, (byte*)&options.ReactivationStatuses - (byte*)&options);
        Assert.Equal(32, (byte*)&options.VisitChannels - (byte*)&options);
        Assert.Equal(40, (byte*)&options.VisitDaysA - (byte*)&options);
        Assert.Equal(68, (byte*)&options.FollowUpMaxAgeDays - (byte*)&options);
        Assert.Equal(72, (byte*)&options.ExpectedValue - (byte*)&options);
        Assert.Equal(80, (byte*)&options.ExpectedValueCount - (byte*)&options);
        Assert.Equal(88, (byte*)&options.PurchaseWindowLeadDays - (byte*)&options);
        Assert.Equal(92, (byte*)&options.PurchaseWindowMaxAgeDays - (byte*)&options);

        Assert.Equal(48, sizeof(NativeTask));
        NativeTask task;
        Assert.Equal(4, (byte*)&task.Customer - (byte*)&task);
        Assert.Equal(8, (byte*)&task.Rep - (byte*)&task);
        Assert.Equal(28, (byte*)&task.Priority - (byte*)&task);
        Assert.Equal(32, (byte*)&task.Key - (byte*)&task);
        Assert.Equal(40, (byte*)&task.Reason - (byte*)&task);

        Assert.Equal(48, sizeof(NativeTierStanding));
        NativeTierStanding tier;
        Assert.Equal(8, (byte*)&tier.Next - (byte*)&tier);
        Assert.Equal(16, (byte*)&tier.Spend - (byte*)&tier);
        Assert.Equal(24, (byte*)&tier.ToNext - (byte*)&tier);
        Assert.Equal(32, (byte*)&tier.TierName - (byte*)&tier);
        Assert.Equal(40, (byte*)&tier.NextName - (byte*)&tier);

        // carteira_ledger_entry: padding after struct_size and before the int64s.
        Assert.Equal(72, sizeof(NativeLedgerEntry));
        NativeLedgerEntry entry;
        Assert.Equal(8, (byte*)&entry.Id - (byte*)&entry);
        Assert.Equal(16, (byte*)&entry.Customer - (byte*)&entry);
        Assert.Equal(20, (byte*)&entry.Day - (byte*)&entry);
        Assert.Equal(24, (byte*)&entry.Kind - (byte*)&entry);
        Assert.Equal(32, (byte*)&entry.Points - (byte*)&entry);
        Assert.Equal(40, (byte*)&entry.Expires - (byte*)&entry);
        Assert.Equal(48, (byte*)&entry.Reverses - (byte*)&entry);
        Assert.Equal(56, (byte*)&entry.Reference - (byte*)&entry);
        Assert.Equal(64, (byte*)&entry.Note - (byte*)&entry);

        Assert.Equal(32, sizeof(NativeTransitionEvent));
        NativeTransitionEvent transition;
        Assert.Equal(8, (byte*)&transition.CustomerId - (byte*)&transition);
        Assert.Equal(16, (byte*)&transition.From - (byte*)&transition);
        Assert.Equal(28, (byte*)&transition.Rule - (byte*)&transition);

        Assert.Equal(56, sizeof(NativeTierChange));
        NativeTierChange change;
        Assert.Equal(8, (byte*)&change.CustomerId - (byte*)&change);
        Assert.Equal(16, (byte*)&change.FromTier - (byte*)&change);
        Assert.Equal(24, (byte*)&change.FromName - (byte*)&change);
        Assert.Equal(32, (byte*)&change.ToName - (byte*)&change);
        Assert.Equal(40, (byte*)&change.From - (byte*)&change);
        Assert.Equal(44, (byte*)&change.To - (byte*)&change);
        Assert.Equal(48, (byte*)&change.Spend - (byte*)&change);

        // carteira_automation_vtable: four function pointers after struct_size.
        Assert.Equal(40, sizeof(NativeAutomationVtable));
        NativeAutomationVtable vtable;
        Assert.Equal(8, (byte*)&vtable.OnTransition - (byte*)&vtable);
        Assert.Equal(16, (byte*)&vtable.OnNewTask - (byte*)&vtable);
        Assert.Equal(24, (byte*)&vtable.OnTierChange - (byte*)&vtable);
        Assert.Equal(32, (byte*)&vtable.Destroy - (byte*)&vtable);

        Assert.Equal(64, sizeof(NativeAutomationCounts));
        NativeAutomationCounts counts;
        Assert.Equal(4, (byte*)&counts.From - (byte*)&counts);
        Assert.Equal(16, (byte*)&counts.Transitions - (byte*)&counts);
        Assert.Equal(56, (byte*)&counts.Failures - (byte*)&counts);

        Assert.Equal(40, sizeof(NativeAutomationFailure));
        NativeAutomationFailure failure;
        Assert.Equal(4, (byte*)&failure.Kind - (byte*)&failure);
        Assert.Equal(8, (byte*)&failure.Customer - (byte*)&failure);
        Assert.Equal(16, (byte*)&failure.CustomerId - (byte*)&failure);
        Assert.Equal(24, (byte*)&failure.Handler - (byte*)&failure);
        Assert.Equal(32, (byte*)&failure.Message - (byte*)&failure);
    }

    [Fact]
    public void ActionsStructsInitLikeTheirInitMacros()
    {
        // The library's carteira_agenda_options_init gives CARTEIRA_AGENDA_OPTIONS_INIT, the mirror's Init.
        NativeAgendaOptions fromLibrary;
        Garble(&fromLibrary);
        NativeMethods.carteira_agenda_options_init(&fromLibrary, (nuint)sizeof(NativeAgendaOptions));
        NativeAgendaOptions mirror = NativeAgendaOptions.Init();
        Assert.Equal(new ReadOnlySpan<byte>(&mirror, sizeof(NativeAgendaOptions)).ToArray(),
                     new ReadOnlySpan<byte>(&fromLibrary, sizeof(NativeAgendaOptions)).ToArray());
        Assert.Equal((Dates.NoDay, 7, 0x1Fu, 24u), (mirror.AsOf, mirror.HorizonDays, mirror.TaskTypes, mirror.ReactivationStatuses));
        NativeTask task = NativeTask.Init();
        Assert.Equal(((uint)sizeof(NativeTask), -1, Dates.NoDay), (task.StructSize, task.Rep, task.Due));
        NativeTierStanding tier = NativeTierStanding.Init();
        Assert.Equal((-1, -1), (tier.Tier, tier.Next));
        Assert.Equal(Dates.NoDay, NativeLedgerEntry.Init().Expires);
        NativeAutomationVtable vtable = NativeAutomationVtable.Init();
        Assert.Equal((uint)sizeof(NativeAutomationVtable), vtable.StructSize);
        Assert.True(vtable.OnTransition == null && vtable.OnNewTask == null && vtable.OnTierChange == null &&
                    vtable.Destroy == null);
        Assert.Equal(Dates.NoDay, NativeAutomationCounts.Init().From);
        Assert.Equal((uint)sizeof(NativeAutomationFailure), NativeAutomationFailure.Init().StructSize);
    }

    [Fact]
    public void ModelStructsInitLikeTheirInitMacros()
    {
        // CARTEIRA_RFM_COLUMNS_INIT: the size, no columns, weeks.
        NativeRfmColumns rfm = NativeRfmColumns.Init();
        Assert.Equal((uint)sizeof(NativeRfmColumns), rfm.StructSize);
        Assert.Equal((int)TimeUnit.Weeks, rfm.Unit);
        Assert.True(rfm.X == null && rfm.Weight == null && rfm.Zbar == null && rfm.Count == 0);
        Assert.Equal((uint)sizeof(NativeFitOptions), NativeFitOptions.Init().StructSize);
        Assert.Equal((uint)sizeof(NativeFitInfo), NativeFitInfo.Init().StructSize);

        // The library's carteira_fit_options_init gives CARTEIRA_FIT_OPTIONS_INIT.
        NativeFitOptions options;
        Garble(&options);
        NativeMethods.carteira_fit_options_init(&options, (nuint)sizeof(NativeFitOptions));
        AssertInitialised(&options);
        Assert.Equal(0.0, options.L2Penalty);
        Assert.Equal(0, options.MaxEvaluations);
    }

    [Fact]
    public void StructSizeFieldsCarryTheMirrorsSize()
    {
        Assert.Equal((uint)sizeof(NativeImportOptions), NativeImportOptions.Init().StructSize);
        Assert.Equal(1, NativeImportOptions.Init().HasHeader);
        Assert.Equal(Dates.NoDay, NativeSummaryOptions.Init().AsOf);
        Assert.Equal((uint)sizeof(NativeCustomerColumns), NativeCustomerColumns.Init().StructSize);
        Assert.Equal((uint)sizeof(NativeRepColumns), NativeRepColumns.Init().StructSize);
        Assert.Equal((uint)sizeof(NativeContractColumns), NativeContractColumns.Init().StructSize);
        Assert.Equal((uint)sizeof(NativeInteractionColumns), NativeInteractionColumns.Init().StructSize);
        Assert.Equal((uint)sizeof(NativeSurveyColumns), NativeSurveyColumns.Init().StructSize);
        Assert.Equal((uint)sizeof(NativeAssignmentColumns), NativeAssignmentColumns.Init().StructSize);
        // CARTEIRA_STATUS_RULE_VTABLE_INIT: the size, no callbacks.
        NativeStatusRuleVtable vtable = NativeStatusRuleVtable.Init();
        Assert.Equal((uint)sizeof(NativeStatusRuleVtable), vtable.StructSize);
        Assert.True(vtable.Apply == null && vtable.Destroy == null);
    }

    [Fact]
    public void TheLibrarysInitFunctionsZeroTheColumnsAndRecordTheirSize()
    {
        NativeRepColumns reps;
        Garble(&reps);
        NativeMethods.carteira_rep_columns_init(&reps, (nuint)sizeof(NativeRepColumns));
        AssertInitialised(&reps);

        NativeContractColumns contracts;
        Garble(&contracts);
        NativeMethods.carteira_contract_columns_init(&contracts, (nuint)sizeof(NativeContractColumns));
        AssertInitialised(&contracts);

        NativeInteractionColumns interactions;
        Garble(&interactions);
        NativeMethods.carteira_interaction_columns_init(&interactions, (nuint)sizeof(NativeInteractionColumns));
        AssertInitialised(&interactions);

        NativeSurveyColumns surveys;
        Garble(&surveys);
        NativeMethods.carteira_survey_columns_init(&surveys, (nuint)sizeof(NativeSurveyColumns));
        AssertInitialised(&surveys);

        NativeAssignmentColumns assignments;
        Garble(&assignments);
        NativeMethods.carteira_assignment_columns_init(&assignments, (nuint)sizeof(NativeAssignmentColumns));
        AssertInitialised(&assignments);
    }

    [Fact]
    public void EveryFunctionOfTheHeaderIsDeclared()
    {
        string header = File.ReadAllText(Repository.PathOf("capi", "include", "carteira", "carteira.h"));
        // A declaration: CARTEIRA_API, its return type (maybe on the next line), the name, "(".
        string[] functions = Regex.Matches(header, @"CARTEIRA_API\b[^;{]*?\b(carteira_\w+)\s*\(")
            .Select(m => m.Groups[1].Value).Distinct().ToArray();
        var declared = typeof(NativeMethods)
            .GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(m => m.Name).ToHashSet();

        Assert.Contains("carteira_status_transitions_get", functions); // the pattern finds them
        Assert.True(functions.Length > 70, $"only {functions.Length} functions found in carteira.h");
        string[] missing = functions.Where(f => !declared.Contains(f)).ToArray();
        Assert.True(missing.Length == 0, $"not in NativeMethods: {string.Join(", ", missing)}");
    }

    private static void Garble<T>(T* s) where T : unmanaged => new Span<byte>(s, sizeof(T)).Fill(0xAB);

    // struct_size = the mirror's size; everything after it (pointers and count,
    // from offset 8 on, no padding there) zero: the _INIT macros' values.
    private static void AssertInitialised<T>(T* s) where T : unmanaged
    {
        Assert.Equal((uint)sizeof(T), *(uint*)s);
        Assert.Equal(new byte[sizeof(T) - 8], new ReadOnlySpan<byte>((byte*)s + 8, sizeof(T) - 8).ToArray());
    }
}
