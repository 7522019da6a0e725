// KPIs over a period, the cohort matrix and the rep dashboard (docs/kpi.md).
// Names follow `carteira kpi --format json`; amounts are minor units; a
// ratio without a denominator is null (NaN in C).
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>How the KPIs are grouped.</summary>
public enum KpiGrouping
{
    /// <summary>The overall row alone.</summary>
    None = 0,
    /// <summary>By rep (every rep, empty books too).</summary>
    Rep = 1,
    /// <summary>By customer segment.</summary>
    Segment = 2,
    /// <summary>By customer region.</summary>
    Region = 3,
}

/// <summary>One row of KPIs. Group: rep id, segment or region; "" overall; Unassigned marks the
/// customers without one. Null where a ratio has no denominator.</summary>
public sealed record KpiValues(
    string Group, bool Unassigned, long Customers, long ActiveStart, long Active, long New, long NewActive,
    long Retained, long Churned, long LapsedStart, long Reactivated, long Buyers, long Purchases, long Revenue,
    double? RetentionRate, double? ChurnRate, double? ReactivationRate, long? AverageTicket,
    long? RevenuePerCustomer, double? PurchaseFrequency, double? LifetimeObservedDays,
    double? LifetimeFromChurnDays, double? LifetimeModelDays, long Answers, long Promoters, long Passives,
    long Detractors, double? Nps, double? Positivacao, long BookAtStart, long Moved, double? Giro,
    double? Top20Share, double? Gini);

/// <summary>Cohorts by first-purchase month: Buyers[c, k] buyers of cohort c in its k-th month
/// (-1 past the period's end) and Retention[c, k] their share (null past the end or for an
/// empty cohort).</summary>
public sealed record CohortMatrix(IReadOnlyList<DateOnly> Months, IReadOnlyList<long> Sizes, long[,] Buyers,
                                  double?[,] Retention);

/// <summary>The KPIs of a period: overall, per group (empty without grouping), and the cohort
/// matrix (null when the period spans more than 64 months).</summary>
public sealed record KpiReport(KpiValues Overall, IReadOnlyList<KpiValues> Groups, CohortMatrix? Cohorts);

/// <summary>One rep's dashboard row (RepIndex -1, RepId and Name null: the unassigned customers).
/// Status counts are the book's statuses on the period's end.</summary>
public sealed record RepDashboardRow(
    int RepIndex, string? RepId, string? Name, long Book, long Prospect, long New, long Active, long AtRisk,
    long Inactive, long Lost, long Reactivated, long Revenue, long Buyers, double? Positivacao, long Answers,
    long Promoters, long Passives, long Detractors, double? Nps, DateOnly? LastContact, int? DaysSinceLastContact,
    long AtRiskValue);

/// <summary>KPIs, cohorts, model lifetime and the rep dashboard.</summary>
public static unsafe class Kpi
{
    private const long NoMoney = long.MinValue;

    private static double? Real(double v) => double.IsNaN(v) ? null : v;
    private static long? Money(long v) => v == NoMoney ? null : v;

    /// <summary>The KPIs over [from, to]: "active" = a purchase within
    /// <paramref name="activeWindowDays"/>, or by the status engine
    /// (<paramref name="activeByStatus"/>, with <paramref name="policy"/>, default the default
    /// policy); <paramref name="lifetimeModel"/> gives LifetimeModelDays.</summary>
    public static KpiReport Compute(Portfolio portfolio, DateOnly from, DateOnly to,
                                    KpiGrouping by = KpiGrouping.None, int activeWindowDays = 180,
                                    bool activeByStatus = false, StatusPolicy? policy = null,
                                    Model? lifetimeModel = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        NativeKpiOptions options = NativeKpiOptions.Init();
        options.From = Dates.ToDays(from);
        options.To = Dates.ToDays(to);
        options.By = (int)by;
        options.ActiveWindowDays = activeWindowDays;
        options.ActiveByStatus = activeByStatus ? 1 : 0;
        PortfolioHandle portfolioHandle = portfolio.Handle;
        StatusPolicyHandle? policyHandle = policy?.Handle;
        ModelHandle? modelHandle = lifetimeModel?.Handle;
        bool policyAdded = false, modelAdded = false;
        nint result;
        try
        {
            if (policyHandle is not null)
            {
                policyHandle.DangerousAddRef(ref policyAdded);
                options.Policy = policyHandle.DangerousGetHandle();
            }
            if (modelHandle is not null)
            {
                modelHandle.DangerousAddRef(ref modelAdded);
                options.LifetimeModel = modelHandle.DangerousGetHandle();
            }
            Errors.Check(NativeMethods.carteira_kpi_compute(portfolioHandle, &options, out result));
        }
        finally
        {
            if (policyAdded) policyHandle!.DangerousRelease();
            if (modelAdded) modelHandle!.DangerousRelease();
        }
        try
        {
            NativeKpiValues v = NativeKpiValues.Init();
            Errors.Check(NativeMethods.carteira_kpi_overall(result, &v));
            KpiValues overall = Values(v);
            Errors.Check(NativeMethods.carteira_kpi_group_count(result, out nuint groupCount));
            var groups = new KpiValues[checked((int)groupCount)];
            for (int i = 0; i < groups.Length; i++)
            {
                Errors.Check(NativeMethods.carteira_kpi_group(result, (nuint)i, &v));
                groups[i] = Values(v);
            }
            return new KpiReport(overall, groups, Cohorts(result));
        }
        finally
        {
            NativeMethods.carteira_kpi_destroy(result);
        }
    }

    private static KpiValues Values(in NativeKpiValues v) => new(
        Utf8.Decode(v.Group), v.Unassigned != 0, v.Customers, v.ActiveStart, v.Active, v.NewCustomers, v.NewActive,
        v.Retained, v.Churned, v.LapsedStart, v.Reactivated, v.Buyers, v.Purchases, v.Revenue, Real(v.RetentionRate),
        Real(v.ChurnRate), Real(v.ReactivationRate), Money(v.AverageTicket), Money(v.RevenuePerCustomer),
        Real(v.PurchaseFrequency), Real(v.LifetimeObservedDays), Real(v.LifetimeFromChurnDays),
        Real(v.LifetimeModelDays), v.Answers, v.Promoters, v.Passives, v.Detractors, Real(v.Nps),
        Real(v.Positivacao), v.BookAtStart, v.Moved, Real(v.Giro), Real(v.Top20Share), Real(v.Gini));

    private static CohortMatrix? Cohorts(nint result)
    {
        CarteiraStatus status = NativeMethods.carteira_kpi_cohort_count(result, out nuint count);
        if (status == CarteiraStatus.FailedPrecondition) return null; // longer than 64 months
        Errors.Check(status);
        int n = checked((int)count);
        int[] months = new int[n];
        long[] sizes = new long[n];
        long[,] buyers = new long[n, n];
        double[,] retention = new double[n, n];
        fixed (int* mp = months)
        fixed (long* sp = sizes)
        fixed (long* bp = buyers)
        fixed (double* rp = retention)
        {
            Errors.Check(NativeMethods.carteira_kpi_cohort_months(result, mp, sp, (nuint)n));
            Errors.Check(NativeMethods.carteira_kpi_cohort_matrix(result, bp, rp, (nuint)(n * n)));
        }
        var shares = new double?[n, n];
        for (int c = 0; c < n; c++)
        {
            for (int k = 0; k < n; k++) shares[c, k] = Real(retention[c, k]);
        }
        return new CohortMatrix(Array.ConvertAll(months, Dates.FromDays), sizes, buyers, shares);
    }

    /// <summary>The mean customer lifetime a BG/NBD, MBG/NBD or Pareto/NBD model implies, in days;
    /// +infinity when the mean is infinite for its parameters.</summary>
    /// <exception cref="CarteiraArgumentException">BG/BB and Gamma-Gamma have no lifetime.</exception>
    public static double ExpectedLifetimeDays(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        CarteiraStatus status = NativeMethods.carteira_model_expected_lifetime_days(model.Handle, out double days);
        if (status == CarteiraStatus.FailedPrecondition) return double.PositiveInfinity;
        Errors.Check(status);
        return days;
    }

    /// <summary>One row per rep as of <paramref name="to"/> (then the unassigned customers), the
    /// period running from <paramref name="from"/> (default to - 364 days); statuses by
    /// <paramref name="policy"/> (default the default policy).</summary>
    public static IReadOnlyList<RepDashboardRow> RepDashboard(Portfolio portfolio, DateOnly to, DateOnly? from = null,
                                                              StatusPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        NativeRepDashboardOptions options = NativeRepDashboardOptions.Init();
        options.To = Dates.ToDays(to);
        options.From = from is { } f ? Dates.ToDays(f) : Dates.NoDay;
        PortfolioHandle portfolioHandle = portfolio.Handle;
        StatusPolicyHandle? policyHandle = policy?.Handle;
        bool added = false;
        nint result;
        try
        {
            if (policyHandle is not null)
            {
                policyHandle.DangerousAddRef(ref added);
                options.Policy = policyHandle.DangerousGetHandle();
            }
            Errors.Check(NativeMethods.carteira_rep_dashboard_compute(portfolioHandle, &options, out result));
        }
        finally
        {
            if (added) policyHandle!.DangerousRelease();
        }
        try
        {
            Errors.Check(NativeMethods.carteira_rep_dashboard_size(result, out nuint size));
            var rows = new RepDashboardRow[checked((int)size)];
            for (int i = 0; i < rows.Length; i++)
            {
                NativeRepDashboardRow r = NativeRepDashboardRow.Init();
                Errors.Check(NativeMethods.carteira_rep_dashboard_row_get(result, (nuint)i, &r));
                bool none = r.RepIndex < 0;
                rows[i] = new RepDashboardRow(
                    r.RepIndex, none ? null : Utf8.Decode(r.RepId), none ? null : Utf8.Decode(r.RepName), r.Book,
                    r.StatusProspect, r.StatusNew, r.StatusActive, r.StatusAtRisk, r.StatusInactive, r.StatusLost,
                    r.StatusReactivated, r.Revenue, r.Buyers, Real(r.Positivacao), r.Answers, r.Promoters, r.Passives,
                    r.Detractors, Real(r.Nps), r.LastContact == Dates.NoDay ? null : Dates.FromDays(r.LastContact),
                    r.DaysSinceLastContact < 0 ? null : r.DaysSinceLastContact, r.AtRiskValue);
            }
            return rows;
        }
        finally
        {
            NativeMethods.carteira_rep_dashboard_destroy(result);
        }
    }
}
