// The per-customer summary as typed .NET columns, copied out of
// carteira_summary so that it needs no disposing.
using System;

namespace Carteira;

/// <summary>A unit of time (carteira_time_unit): of <see cref="CustomerSummary.TX"/> and
/// <see cref="CustomerSummary.T"/>, of <see cref="RfmColumns"/>, and of model horizons.</summary>
public enum TimeUnit
{
    /// <summary>Days.</summary>
    Days = 0,
    /// <summary>Weeks (7 days).</summary>
    Weeks = 1,
    /// <summary>Months of 365.25 / 12 = 30.4375 days, the mean Gregorian month.</summary>
    Months = 2,
}

/// <summary>
/// One row per customer with a purchase on or before <see cref="AsOf"/>, in
/// customer-index order. A purchase has amount &gt;= 0; returns lower revenue
/// but are no purchase; purchases on one day count as one purchase-day.
/// </summary>
public sealed class CustomerSummary
{
    internal CustomerSummary(DateOnly asOf, TimeUnit unit, int count)
    {
        AsOf = asOf;
        Unit = unit;
        Count = count;
    }

    /// <summary>The as-of date.</summary>
    public DateOnly AsOf { get; }
    /// <summary>The unit of <see cref="TX"/> and <see cref="T"/>.</summary>
    public TimeUnit Unit { get; }
    /// <summary>Number of rows.</summary>
    public int Count { get; }

    // Which portfolio computed the summary, and which of its computations it
    // is: StatusEngine.Classify(summary) reuses the native summary when it is
    // still this one.
    internal long PortfolioId { get; init; }
    internal long Generation { get; init; }

    /// <summary>Customer index in the portfolio.</summary>
    public uint[] CustomerIndex { get; internal set; } = [];
    /// <summary>Customer id.</summary>
    public string[] CustomerId { get; internal set; } = [];
    /// <summary>First purchase-day.</summary>
    public DateOnly[] FirstPurchase { get; internal set; } = [];
    /// <summary>Last purchase-day.</summary>
    public DateOnly[] LastPurchase { get; internal set; } = [];
    /// <summary>Distinct days with a purchase.</summary>
    public int[] PurchaseDays { get; internal set; } = [];
    /// <summary>Repeat purchase-days: PurchaseDays - 1.</summary>
    public int[] X { get; internal set; } = [];
    /// <summary>Last minus first purchase-day, in <see cref="Unit"/>.</summary>
    public double[] TX { get; internal set; } = [];
    /// <summary>As-of minus first purchase-day, in <see cref="Unit"/>.</summary>
    public double[] T { get; internal set; } = [];
    /// <summary>Sum of all amounts, net of returns, in minor units.</summary>
    public long[] Revenue { get; internal set; } = [];
    /// <summary>Revenue / PurchaseDays in minor units, rounded half away from zero.</summary>
    public long[] AverageTicket { get; internal set; } = [];
    /// <summary>Mean gross value of the repeat purchase-days, in major units; 0 when X = 0.</summary>
    public double[] Zbar { get; internal set; } = [];
    /// <summary>Median gap between consecutive purchase-days; NaN below two purchase-days.</summary>
    public double[] MedianGapDays { get; internal set; } = [];
    /// <summary>Days from the last purchase-day to the as-of date.</summary>
    public int[] DaysSinceLast { get; internal set; } = [];
}
