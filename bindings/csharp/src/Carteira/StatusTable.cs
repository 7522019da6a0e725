// carteira_status_table: every customer's status as of a date, columnar;
// and the managed results of history and transitions.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Text;

namespace Carteira;

/// <summary>
/// Every customer's status as of <see cref="AsOf"/>, one row per customer in
/// customer-index order (row i is customer i), held by the library: columns
/// are copied out on request and reasons rendered on demand. Dispose it to
/// free the native memory (a finalizer does it otherwise).
/// </summary>
public sealed unsafe class StatusTable : IDisposable
{
    private readonly StatusTableHandle _handle;
    private ReadOnlyDictionary<Lifecycle, long>? _counts;
    private ReadOnlyCollection<string>? _fieldNames;

    internal StatusTable(StatusTableHandle handle, DateOnly asOf)
    {
        _handle = handle;
        AsOf = asOf;
        try
        {
            Errors.Check(NativeMethods.carteira_status_table_size(handle, out nuint rows));
            Count = checked((int)rows);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    internal StatusTableHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>The date classified.</summary>
    public DateOnly AsOf { get; }

    /// <summary>Number of rows (customers).</summary>
    public int Count { get; }

    /// <summary>Customers per status; every <see cref="Lifecycle"/> is a key.</summary>
    public IReadOnlyDictionary<Lifecycle, long> Counts
    {
        get
        {
            if (_counts is null)
            {
                long* counts = stackalloc long[Lifecycles.Count];
                Errors.Check(NativeMethods.carteira_status_table_counts(Handle, counts, Lifecycles.Count));
                var byStatus = new Dictionary<Lifecycle, long>(Lifecycles.Count);
                for (int i = 0; i < Lifecycles.Count; i++) byStatus[(Lifecycle)i] = counts[i];
                _counts = new ReadOnlyDictionary<Lifecycle, long>(byStatus);
            }
            return _counts;
        }
    }

    /// <summary>An integer column as the library gives it.</summary>
    /// <exception cref="CarteiraArgumentException">A double column (<see cref="StatusColumn.MedianGapDays"/>,
    /// <see cref="StatusColumn.ThresholdDays"/>).</exception>
    public long[] GetInt64(StatusColumn column)
    {
        StatusTableHandle handle = Handle;
        // At least one entry: an empty array would pin to NULL, which the library refuses.
        long[] values = new long[Math.Max(Count, 1)];
        fixed (long* p = values)
        {
            Errors.Check(NativeMethods.carteira_status_table_get_int64(handle, (int)column, p, (nuint)values.Length));
        }
        return Count == values.Length ? values : [];
    }

    /// <summary>A double column: <see cref="StatusColumn.MedianGapDays"/> or <see cref="StatusColumn.ThresholdDays"/>.</summary>
    /// <exception cref="CarteiraArgumentException">An integer column.</exception>
    public double[] GetDouble(StatusColumn column)
    {
        StatusTableHandle handle = Handle;
        double[] values = new double[Math.Max(Count, 1)];
        fixed (double* p = values)
        {
            Errors.Check(NativeMethods.carteira_status_table_get_double(handle, (int)column, p, (nuint)values.Length));
        }
        return Count == values.Length ? values : [];
    }

    /// <summary>Each customer's status.</summary>
    public Lifecycle[] GetStatus() => Array.ConvertAll(GetInt64(StatusColumn.Status), v => (Lifecycle)v);

    /// <summary>Each customer's flags.</summary>
    public StatusFlags[] GetFlags() => Array.ConvertAll(GetInt64(StatusColumn.Flags), v => (StatusFlags)v);

    /// <summary>The id of the deciding rule (<see cref="StatusEngine.RuleName"/> names it).</summary>
    public int[] GetRuleIds() => Int32Column(StatusColumn.Rule);

    /// <summary>Days since the last purchase-day; -1 without a purchase.</summary>
    public int[] GetDaysSinceLast() => Int32Column(StatusColumn.DaysSinceLast);

    /// <summary>Purchase-days on or before <see cref="AsOf"/>.</summary>
    public int[] GetPurchaseDays() => Int32Column(StatusColumn.PurchaseDays);

    /// <summary>The last purchase-day; null without a purchase.</summary>
    public DateOnly?[] GetLastPurchase() => DayColumn(StatusColumn.LastPurchase);

    /// <summary>The day the deciding rule is about: first purchase (new), comeback purchase
    /// (reactivated), contract end (contract_ended); null otherwise.</summary>
    public DateOnly?[] GetEventDay() => DayColumn(StatusColumn.EventDay);

    /// <summary>Reactivated: the gap before the comeback, in days; -1 otherwise.</summary>
    public int[] GetComebackGapDays() => Int32Column(StatusColumn.ComebackGapDays);

    /// <summary>contract_ended: the contract's row in the portfolio; -1 otherwise.</summary>
    public int[] GetContract() => Int32Column(StatusColumn.Contract);

    /// <summary>Flagged renewal_due: the contract's row in the portfolio; -1 otherwise.</summary>
    public int[] GetRenewalContract() => Int32Column(StatusColumn.RenewalContract);

    /// <summary>The policy segment whose rules applied (its index); -1 = the defaults.</summary>
    public int[] GetScope() => Int32Column(StatusColumn.Scope);

    /// <summary>Median gap between purchase-days; NaN below two purchase-days.</summary>
    public double[] GetMedianGapDays() => GetDouble(StatusColumn.MedianGapDays);

    /// <summary>The threshold (days) the deciding rule compared: the one crossed, or for an
    /// active customer the next one; the window for new and reactivated; NaN for prospects.</summary>
    public double[] GetThresholdDays() => GetDouble(StatusColumn.ThresholdDays);

    /// <summary>Names of the per-customer figures plugin rules reported (the P(alive) rule's
    /// "p_alive" and "expected_purchases_90d"), in registration order.</summary>
    public IReadOnlyList<string> FieldNames
    {
        get
        {
            if (_fieldNames is null)
            {
                StatusTableHandle handle = Handle;
                Errors.Check(NativeMethods.carteira_status_table_field_count(handle, out nuint count));
                var names = new string[checked((int)count)];
                for (int i = 0; i < names.Length; i++)
                {
                    Errors.Check(NativeMethods.carteira_status_table_field_name(handle, (nuint)i, out byte* name));
                    names[i] = Utf8.Decode(name);
                }
                _fieldNames = Array.AsReadOnly(names);
            }
            return _fieldNames;
        }
    }

    /// <summary>A plugin rule's figure for every customer; NaN where the rule did not set it.</summary>
    /// <exception cref="KeyNotFoundException">No rule reports <paramref name="name"/>.</exception>
    public double[] GetField(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int index = -1;
        for (int i = 0; i < FieldNames.Count; i++)
        {
            if (FieldNames[i] == name) index = i;
        }
        if (index < 0)
        {
            throw new KeyNotFoundException(
                $"no status field '{name}' (the rules report: {(FieldNames.Count == 0 ? "none" : string.Join(", ", FieldNames))})");
        }
        double[] values = new double[Math.Max(Count, 1)];
        fixed (double* p = values)
        {
            Errors.Check(NativeMethods.carteira_status_table_get_field(Handle, (nuint)index, p, (nuint)values.Length));
        }
        return Count == values.Length ? values : [];
    }

    /// <summary>The deciding rule's name for <paramref name="row"/> ("recency", "cadence", a plugin's name).</summary>
    /// <exception cref="CarteiraOutOfRangeException">No such row.</exception>
    public string RuleName(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        Errors.Check(NativeMethods.carteira_status_table_rule_name(Handle, (nuint)row, out byte* name));
        return Utf8.Decode(name);
    }

    /// <summary>The verdict of <paramref name="row"/> in plain words, with its figures
    /// ("181 days without purchase &gt; 180 (segment varejo)"), and what plugin rules said.</summary>
    /// <exception cref="CarteiraOutOfRangeException">No such row.</exception>
    public string Reason(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        StatusTableHandle handle = Handle;
        // Query the size, then fill (length + 1 for the NUL).
        Errors.Check(NativeMethods.carteira_status_table_reason(handle, (nuint)row, null, 0, out nuint length));
        byte[] buffer = new byte[checked((int)length + 1)];
        fixed (byte* p = buffer)
        {
            Errors.Check(NativeMethods.carteira_status_table_reason(handle, (nuint)row, p, (nuint)buffer.Length, out length));
        }
        return Encoding.UTF8.GetString(buffer, 0, checked((int)length));
    }

    /// <summary>Frees the native table; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private int[] Int32Column(StatusColumn column) => Array.ConvertAll(GetInt64(column), v => (int)v);

    private DateOnly?[] DayColumn(StatusColumn column) =>
        Array.ConvertAll(GetInt64(column), v => v == Dates.NoDay ? (DateOnly?)null : Dates.FromDays((int)v));
}

/// <summary>Every customer's status and flags at several dates (<see cref="StatusEngine.History"/>).</summary>
public sealed class StatusHistory
{
    internal StatusHistory(IReadOnlyList<DateOnly> dates, Lifecycle[,] status, StatusFlags[,] flags)
    {
        Dates = dates;
        Status = status;
        Flags = flags;
    }

    /// <summary>The dates, ascending: the first index of <see cref="Status"/> and <see cref="Flags"/>.</summary>
    public IReadOnlyList<DateOnly> Dates { get; }

    /// <summary>Number of customers: the second index.</summary>
    public int CustomerCount => Status.GetLength(1);

    /// <summary>Status by [date index, customer index].</summary>
    public Lifecycle[,] Status { get; }

    /// <summary>Flags by [date index, customer index].</summary>
    public StatusFlags[,] Flags { get; }

    /// <summary>Customers per status at <see cref="Dates"/>[<paramref name="dateIndex"/>];
    /// every <see cref="Lifecycle"/> is a key.</summary>
    public IReadOnlyDictionary<Lifecycle, long> Counts(int dateIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dateIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dateIndex, Dates.Count);
        var counts = new Dictionary<Lifecycle, long>(Lifecycles.Count);
        for (int i = 0; i < Lifecycles.Count; i++) counts[(Lifecycle)i] = 0;
        for (int c = 0; c < CustomerCount; c++) counts[Status[dateIndex, c]]++;
        return counts;
    }
}

/// <summary>A status change (<see cref="StatusEngine.Transitions"/>): <paramref name="From"/> to
/// <paramref name="To"/>, first true on <paramref name="Date"/>.</summary>
/// <param name="CustomerIndex">The customer's index in the portfolio.</param>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="From">The status before.</param>
/// <param name="To">The new status.</param>
/// <param name="Date">The first day the new status holds.</param>
/// <param name="RuleId">The id of the rule behind the new status.</param>
/// <param name="Rule">Its name ("recency", a plugin's name, ...).</param>
public readonly record struct StatusTransition(
    uint CustomerIndex, string CustomerId, Lifecycle From, Lifecycle To, DateOnly Date, int RuleId, string Rule);
