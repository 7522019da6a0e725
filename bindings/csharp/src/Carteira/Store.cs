// carteira_store: the portfolio in one SQLite file, across runs.
using System;
using System.Collections.Generic;
using System.Text;

namespace Carteira;

/// <summary>What <see cref="Store.Append"/> did.</summary>
public sealed record StoreAppendReport(long CustomersAdded, long CustomersUpdated, long RepsAdded, long RepsUpdated,
                                       long Transactions, long Contracts, long Interactions, long Surveys,
                                       long Assignments, long AffectedCustomers);

/// <summary>A status change found by a refresh dated <see cref="AsOf"/> (or, from
/// <see cref="Store.Statuses"/>, a stored status: <see cref="From"/> = <see cref="To"/>).</summary>
public sealed record StatusEvent(string CustomerId, DateOnly AsOf, Lifecycle From, Lifecycle To,
                                 StatusFlags FromFlags, StatusFlags ToFlags, bool First);

/// <summary>What a refresh did: its date, the previous refresh's (null if none), the customers
/// judged again, and whether its policy differed from the previous refresh's (then every customer
/// was judged again and the events include the new policy's changes).</summary>
public sealed record RefreshInfo(DateOnly AsOf, DateOnly? PreviousAsOf, long CustomersChecked, bool PolicyChanged);

/// <summary>
/// The portfolio in one SQLite file (WAL). Every write is one transaction: a killed process
/// leaves the file before or after it. One writer and many readers; a second writer waits
/// the busy timeout, then gets a <see cref="CarteiraException"/> with code Unavailable. A file that is not a
/// Carteira store, or has a newer schema, is refused and left untouched. One thread at a time.
/// </summary>
public sealed unsafe class Store : IDisposable
{
    private readonly StoreHandle _handle;

    /// <summary>Opens (by default creates) the store at <paramref name="path"/>. With
    /// <paramref name="maxBytes"/> above 0 the file may not grow past it: a write that needs more
    /// fails whole with code ResourceExhausted, as on a full disk. With <paramref name="checkpointThread"/>
    /// false, SQLite's own checkpoints run inside the commits instead of on a thread of the store's own
    /// (either is as safe).</summary>
    public Store(string path, bool create = true, bool readOnly = false, TimeSpan? busyTimeout = null,
                 bool durable = true, long maxBytes = 0, bool checkpointThread = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        Utf8.ThrowIfNul(path, nameof(path));
        NativeStoreOptions options = NativeStoreOptions.Init();
        options.Create = create ? 1 : 0;
        options.ReadOnly = readOnly ? 1 : 0;
        options.BusyTimeoutMs = checked((int)(busyTimeout ?? TimeSpan.FromSeconds(2)).TotalMilliseconds);
        options.Durable = durable ? 1 : 0;
        options.MaxBytes = maxBytes;
        options.CheckpointThread = checkpointThread ? 1 : 0;
        Errors.Check(NativeMethods.carteira_store_open(path, &options, out StoreHandle handle));
        _handle = handle;
    }

    private StoreHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>The schema version of the file.</summary>
    public int SchemaVersion
    {
        get
        {
            Errors.Check(NativeMethods.carteira_store_schema_version(Handle, out int version));
            return version;
        }
    }

    /// <summary>Copies every committed change from the write-ahead log into the database file now,
    /// e.g. before the file alone is copied. Not needed for safety: a commit is durable without it.</summary>
    /// <exception cref="CarteiraException">Code PermissionDenied: the store is read-only; code Unavailable:
    /// a reader elsewhere still needs the log.</exception>
    public void Checkpoint() => Errors.Check(NativeMethods.carteira_store_checkpoint(Handle));

    /// <summary>Writes a whole portfolio into an empty store, or in place of its contents.</summary>
    public void Save(Portfolio portfolio, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        Errors.Check(NativeMethods.carteira_store_save(Handle, portfolio.Handle, replace ? 1 : 0));
    }

    /// <summary>The whole store as a new portfolio.</summary>
    public Portfolio Load()
    {
        var portfolio = new Portfolio();
        try
        {
            Errors.Check(NativeMethods.carteira_store_load(Handle, portfolio.Handle));
            return portfolio;
        }
        catch
        {
            portfolio.Dispose();
            throw;
        }
    }

    /// <summary>Appends the day's data (a portfolio of the new rows).</summary>
    public StoreAppendReport Append(Portfolio delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        NativeStoreAppendReport r = NativeStoreAppendReport.Init();
        Errors.Check(NativeMethods.carteira_store_append(Handle, delta.Handle, &r));
        return new StoreAppendReport(r.CustomersAdded, r.CustomersUpdated, r.RepsAdded, r.RepsUpdated,
                                     r.Transactions, r.Contracts, r.Interactions, r.Surveys, r.Assignments,
                                     r.AffectedCustomers);
    }

    /// <summary>What the last <see cref="RefreshStatuses"/> through this object did; null before one.</summary>
    public RefreshInfo? LastRefresh { get; private set; }

    /// <summary>Brings the stored statuses up to <paramref name="asOf"/> (the default policy when
    /// <paramref name="policy"/> is null); the changes since the previous refresh. What the refresh
    /// did is then in <see cref="LastRefresh"/>.</summary>
    public IReadOnlyList<StatusEvent> RefreshStatuses(DateOnly asOf, StatusPolicy? policy = null)
    {
        StoreHandle handle = Handle;
        bool added = false;
        StatusPolicyHandle? p = policy?.Handle;
        try
        {
            p?.DangerousAddRef(ref added);
            Errors.Check(NativeMethods.carteira_store_refresh_statuses(
                handle, Dates.ToDays(asOf), p is null ? 0 : p.DangerousGetHandle(), out nint events));
            NativeRefreshInfo info = NativeRefreshInfo.Init();
            CarteiraStatus status = NativeMethods.carteira_status_events_refresh_info(events, &info);
            if (status != CarteiraStatus.Ok)
            {
                NativeMethods.carteira_status_events_destroy(events);
                Errors.Check(status);
            }
            LastRefresh = new RefreshInfo(Dates.FromDays(info.AsOf),
                                          info.PreviousAsOf == Dates.NoDay ? null : Dates.FromDays(info.PreviousAsOf),
                                          info.CustomersChecked, info.PolicyChanged != 0);
            return CopyEvents(events);
        }
        finally
        {
            if (added) p!.DangerousRelease();
        }
    }

    /// <summary>Writes <paramref name="plan"/>'s moves into the store's assignment history with a record
    /// of the plan, as one transaction. The plan must be built on a portfolio loaded from this store.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">A stale plan (a move no longer starts from the
    /// customer's rep); nothing is written.</exception>
    /// <exception cref="CarteiraException">Code AlreadyExists: the plan was applied before.</exception>
    public void ApplyPlan(Plan plan, string appliedBy, DateOnly appliedAt, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(appliedBy);
        Utf8.ThrowIfNul(appliedBy, nameof(appliedBy));
        if (note is not null) Utf8.ThrowIfNul(note, nameof(note));
        Errors.Check(NativeMethods.carteira_store_apply_plan(Handle, plan.Handle, Dates.ToDays(appliedAt),
                                                             appliedBy, note));
    }

    /// <summary><see cref="Portfolio.MergeCustomers"/> on the store, as one transaction: the merged
    /// customers' rows move to <paramref name="into"/>; their ids become aliases. Their loyalty entries
    /// become the survivor's when that changes no balance.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">Pooled, the customers' loyalty points would be
    /// taken from other lots than they were (docs/store.md); nothing is written.</exception>
    public void MergeCustomers(string into, IReadOnlyList<string> merged, string mergedBy, DateOnly mergedAt)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(merged);
        ArgumentNullException.ThrowIfNull(mergedBy);
        Utf8.ThrowIfNul(into, nameof(into));
        Utf8.ThrowIfNul(mergedBy, nameof(mergedBy));
        StoreHandle handle = Handle;
        using var column = new Utf8Column(merged, merged.Count, nameof(merged), allowNullEntries: false);
        Errors.Check(NativeMethods.carteira_store_merge_customers(
            handle, into, column.Pointers, (nuint)merged.Count, Dates.ToDays(mergedAt), mergedBy));
    }

    /// <summary>Appends the entries of <paramref name="ledger"/> the store does not hold yet, as one
    /// transaction. The ledger must be made on a portfolio loaded from this store (typically by
    /// <see cref="LoadLoyalty"/>, then added to).</summary>
    /// <exception cref="CarteiraFailedPreconditionException">The stored entries are not the ledger's
    /// first ones (the message names the entry); nothing is written.</exception>
    public void SaveLoyalty(LoyaltyLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Errors.Check(NativeMethods.carteira_store_save_loyalty(Handle, ledger.Handle));
    }

    /// <summary>The stored loyalty ledger on <paramref name="portfolio"/> (loaded from this store), with
    /// the rules file's JSON (null: the defaults); an empty ledger when none was saved.</summary>
    public LoyaltyLedger LoadLoyalty(Portfolio portfolio, string? rulesJson = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        Utf8.ThrowIfNul(rulesJson, nameof(rulesJson));
        return LoyaltyLedger.FromStore(Handle, portfolio, rulesJson);
    }

    /// <summary>The stored changes of the refreshes dated in (<paramref name="from"/>, <paramref name="to"/>].</summary>
    public IReadOnlyList<StatusEvent> History(DateOnly from, DateOnly to)
    {
        Errors.Check(NativeMethods.carteira_store_history(Handle, Dates.ToDays(from), Dates.ToDays(to), out nint events));
        return CopyEvents(events);
    }

    /// <summary>Every customer's stored status as of the last refresh (From = To).</summary>
    public IReadOnlyList<StatusEvent> Statuses()
    {
        Errors.Check(NativeMethods.carteira_store_statuses(Handle, out nint events));
        return CopyEvents(events);
    }

    /// <summary>The date of the latest stored transaction; null if none.</summary>
    public DateOnly? LastTransactionDate
    {
        get
        {
            Errors.Check(NativeMethods.carteira_store_last_transaction_date(Handle, out int day));
            return day == Dates.NoDay ? null : Dates.FromDays(day);
        }
    }

    /// <summary>The date of the last status refresh; null if none.</summary>
    public DateOnly? LastRefreshDate
    {
        get
        {
            Errors.Check(NativeMethods.carteira_store_last_refresh_date(Handle, out int day));
            return day == Dates.NoDay ? null : Dates.FromDays(day);
        }
    }

    /// <summary>Rows of one table ("customers", "transactions", "status_events", ...).</summary>
    /// <exception cref="CarteiraNotFoundException">No such table.</exception>
    public long Count(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Utf8.ThrowIfNul(table, nameof(table));
        Errors.Check(NativeMethods.carteira_store_count(Handle, table, out long rows));
        return rows;
    }

    /// <summary>Consistency problems; empty when the store is consistent.</summary>
    public IReadOnlyList<string> Check()
    {
        StoreHandle handle = Handle;
        Errors.Check(NativeMethods.carteira_store_check(handle, null, 0, out nuint length, out _));
        byte[] buffer = new byte[checked((int)length + 1)];
        fixed (byte* p = buffer)
        {
            Errors.Check(NativeMethods.carteira_store_check(handle, p, (nuint)buffer.Length, out length, out _));
        }
        return Encoding.UTF8.GetString(buffer, 0, checked((int)length)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Closes the store; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private static StatusEvent[] CopyEvents(nint events)
    {
        try
        {
            Errors.Check(NativeMethods.carteira_status_events_size(events, out nuint count));
            var result = new StatusEvent[checked((int)count)];
            for (int i = 0; i < result.Length; i++)
            {
                NativeStatusEvent e = NativeStatusEvent.Init();
                Errors.Check(NativeMethods.carteira_status_events_get(events, (nuint)i, &e));
                result[i] = new StatusEvent(Utf8.Decode(e.CustomerId), Dates.FromDays(e.AsOf), (Lifecycle)e.From,
                                            (Lifecycle)e.To, (StatusFlags)e.FromFlags, (StatusFlags)e.ToFlags,
                                            e.First != 0);
            }
            return result;
        }
        finally
        {
            NativeMethods.carteira_status_events_destroy(events);
        }
    }
}
