// carteira_portfolio: the customers, reps, transactions... one engine works on.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Carteira;

/// <summary>
/// A customer portfolio held by libcarteira. Dispose it to free the native
/// memory (a finalizer does it otherwise). Not synchronised: use an instance
/// from one thread at a time.
/// </summary>
public sealed unsafe class Portfolio : IDisposable
{
    private readonly PortfolioHandle _handle;
    private SummaryHandle? _summary;  // reused by Summary() through carteira_summary_recompute
    private long _summaryGeneration;  // bumped by every (re)computation of _summary
    private static long s_lastId;
    private readonly long _id = Interlocked.Increment(ref s_lastId);  // tells summaries' portfolios apart
    private volatile bool _disposed;  // not _handle.IsClosed, which a status engine's lease defers

    /// <summary>An empty portfolio.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">The loaded library has another major version.</exception>
    public Portfolio()
    {
        CarteiraLibrary.EnsureCompatible();
        CarteiraStatus status = NativeMethods.carteira_portfolio_create(out _handle);
        if (status != CarteiraStatus.Ok)
        {
            _handle.Dispose(); // invalid, so no native call: the last error survives
            Errors.Check(status);
        }
    }

    internal PortfolioHandle Handle
    {
        get
        {
            // Not _handle.IsClosed: a status engine's lease keeps the handle
            // open after Dispose (see PortfolioLease).
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handle;
        }
    }

    /// <summary>Whether the native portfolio is destroyed (for tests: a disposed portfolio
    /// lives on while a status engine or table leases it).</summary>
    internal bool IsNativeReleased => _handle.IsClosed;

    /// <summary>How many rows of each entity the portfolio holds.</summary>
    public PortfolioCounts Counts
    {
        get
        {
            NativePortfolioCounts c = NativePortfolioCounts.Init();
            Errors.Check(NativeMethods.carteira_portfolio_get_counts(Handle, &c));
            return new PortfolioCounts(c.Customers, c.Reps, c.Transactions, c.Contracts, c.Interactions,
                                       c.Surveys, c.Assignments);
        }
    }

    // ---- Import -------------------------------------------------------------

    /// <summary>
    /// Loads every canonical file in <paramref name="directory"/> (customers.csv,
    /// reps.csv, ..., also .txt) as one atomic import.
    /// </summary>
    /// <exception cref="CarteiraException">The import failed (a bad row in strict mode:
    /// <see cref="CarteiraArgumentException"/>; no such directory or no canonical file in it:
    /// <see cref="CarteiraNotFoundException"/>). The portfolio is unchanged and
    /// <see cref="CarteiraException.Report"/> says why.</exception>
    public ImportReport ImportDirectory(string directory, ImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Utf8.ThrowIfNul(directory, nameof(directory));
        PortfolioHandle handle = Handle;
        fixed (byte* mapping = Utf8.NulTerminated(options?.ColumnMapping, nameof(options)))
        {
            NativeImportOptions native = options?.ToNative(mapping) ?? default;
            CarteiraStatus status = NativeMethods.carteira_import_directory(
                handle, directory, options is null ? null : &native, out ImportReportHandle report);
            return FinishImport(status, report);
        }
    }

    /// <summary>Loads one CSV file holding <paramref name="entity"/> rows.</summary>
    /// <exception cref="CarteiraException">As for <see cref="ImportDirectory"/>.</exception>
    public ImportReport ImportFile(Entity entity, string path, ImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        Utf8.ThrowIfNul(path, nameof(path));
        PortfolioHandle handle = Handle;
        fixed (byte* mapping = Utf8.NulTerminated(options?.ColumnMapping, nameof(options)))
        {
            NativeImportOptions native = options?.ToNative(mapping) ?? default;
            CarteiraStatus status = NativeMethods.carteira_import_file(
                handle, entity.NativeName(), path, options is null ? null : &native, out ImportReportHandle report);
            return FinishImport(status, report);
        }
    }

    /// <summary>Loads CSV text held in memory; <paramref name="name"/> stands for the file in messages.</summary>
    /// <exception cref="CarteiraException">As for <see cref="ImportDirectory"/>.</exception>
    public ImportReport ImportText(Entity entity, string text, string name = "<text>", ImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ImportText(entity, Encoding.UTF8.GetBytes(text), name, options);
    }

    /// <summary>Loads CSV text given as UTF-8 bytes, without copying it on this side.</summary>
    /// <exception cref="CarteiraException">As for <see cref="ImportDirectory"/>.</exception>
    public ImportReport ImportText(Entity entity, ReadOnlySpan<byte> utf8Text, string name = "<text>",
                                   ImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Utf8.ThrowIfNul(name, nameof(name));
        PortfolioHandle handle = Handle;
        fixed (byte* text = utf8Text)
        fixed (byte* mapping = Utf8.NulTerminated(options?.ColumnMapping, nameof(options)))
        {
            NativeImportOptions native = options?.ToNative(mapping) ?? default;
            CarteiraStatus status = NativeMethods.carteira_import_text(
                handle, entity.NativeName(), text, (nuint)utf8Text.Length, name,
                options is null ? null : &native, out ImportReportHandle report);
            return FinishImport(status, report);
        }
    }

    // The library hands out a report whether or not the import succeeded.
    private static ImportReport FinishImport(CarteiraStatus status, ImportReportHandle reportHandle)
    {
        using (reportHandle)
        {
            // The message first: reading the report makes more carteira_ calls,
            // and each of them clears this thread's last error.
            string message = status == CarteiraStatus.Ok ? string.Empty : Errors.LastMessage();
            ImportReport? report = reportHandle.IsInvalid ? null : ImportReport.Read(reportHandle);
            if (status != CarteiraStatus.Ok) throw Errors.Create(status, message, report);
            return report ?? throw new InvalidOperationException("carteira_import_* succeeded without a report");
        }
    }

    // ---- Customers ------------------------------------------------------------

    /// <summary>Appends customers given as columns; all or nothing.</summary>
    /// <exception cref="CarteiraException">For example a duplicate id; the portfolio is unchanged.</exception>
    public void AppendCustomers(CustomerColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(columns.Id, nameof(columns.Id));
        PortfolioHandle handle = Handle;
        int n = columns.Id.Count;

        using var id = new Utf8Column(columns.Id, n, nameof(columns.Id), allowNullEntries: false);
        using var name = new Utf8Column(columns.Name, n, nameof(columns.Name), allowNullEntries: true);
        using var document = new Utf8Column(columns.Document, n, nameof(columns.Document), allowNullEntries: true);
        using var email = new Utf8Column(columns.Email, n, nameof(columns.Email), allowNullEntries: true);
        using var phone = new Utf8Column(columns.Phone, n, nameof(columns.Phone), allowNullEntries: true);
        using var city = new Utf8Column(columns.City, n, nameof(columns.City), allowNullEntries: true);
        using var state = new Utf8Column(columns.State, n, nameof(columns.State), allowNullEntries: true);
        using var region = new Utf8Column(columns.Region, n, nameof(columns.Region), allowNullEntries: true);
        using var segment = new Utf8Column(columns.Segment, n, nameof(columns.Segment), allowNullEntries: true);
        int[]? createdAt = Convert(columns.CreatedAt, n, nameof(columns.CreatedAt),
                                   d => d is DateOnly date ? Dates.ToDays(date) : Dates.NoDay);
        byte[]? keyAccount = Convert(columns.KeyAccount, n, nameof(columns.KeyAccount), b => b ? (byte)1 : (byte)0);
        byte[]? delinquent = Convert(columns.Delinquent, n, nameof(columns.Delinquent), b => b ? (byte)1 : (byte)0);

        fixed (int* createdAtPtr = createdAt)
        fixed (byte* keyAccountPtr = keyAccount)
        fixed (byte* delinquentPtr = delinquent)
        {
            NativeCustomerColumns native = NativeCustomerColumns.Init();
            native.Count = (nuint)n;
            native.Id = id.Pointers;
            native.Name = name.Pointers;
            native.Document = document.Pointers;
            native.Email = email.Pointers;
            native.Phone = phone.Pointers;
            native.City = city.Pointers;
            native.State = state.Pointers;
            native.Region = region.Pointers;
            native.Segment = segment.Pointers;
            native.CreatedAt = createdAtPtr;
            native.KeyAccount = keyAccountPtr;
            native.Delinquent = delinquentPtr;
            Errors.Check(NativeMethods.carteira_portfolio_append_customers(handle, &native));
        }
    }

    /// <summary>Appends customers known by id only; all or nothing.</summary>
    public void AppendCustomers(IReadOnlyList<string> ids) => AppendCustomers(new CustomerColumns { Id = ids });

    /// <summary>The index of each id, creating bare customers for unknown ones.</summary>
    public uint[] InternCustomers(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        PortfolioHandle handle = Handle;
        using var column = new Utf8Column(ids, ids.Count, nameof(ids), allowNullEntries: false);
        uint[] indices = new uint[ids.Count];
        fixed (uint* indicesPtr = indices)
        {
            Errors.Check(NativeMethods.carteira_portfolio_intern_customers(
                handle, column.Pointers, (nuint)ids.Count, indicesPtr));
        }
        return indices;
    }

    /// <summary>Merges customers (ids) into <paramref name="into"/>, losing nothing: every
    /// transaction, contract, interaction, survey answer and assignment moves to it, its empty
    /// fields take the merged records' values, and each merged id becomes an alias that still
    /// finds it. The merge is recorded (<paramref name="mergedBy"/>, <paramref name="mergedAt"/>).
    /// All or nothing. Customer indices change: summaries, engines and tables taken before are
    /// void.</summary>
    /// <exception cref="CarteiraException">An unknown id, a customer merged into itself, an empty
    /// <paramref name="mergedBy"/>.</exception>
    public void MergeCustomers(string into, IReadOnlyList<string> merged, string mergedBy, DateOnly mergedAt)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(merged);
        ArgumentNullException.ThrowIfNull(mergedBy);
        Utf8.ThrowIfNul(into, nameof(into));
        Utf8.ThrowIfNul(mergedBy, nameof(mergedBy));
        PortfolioHandle handle = Handle;
        using var column = new Utf8Column(merged, merged.Count, nameof(merged), allowNullEntries: false);
        Errors.Check(NativeMethods.carteira_portfolio_merge_customers(
            handle, into, column.Pointers, (nuint)merged.Count, Dates.ToDays(mergedAt), mergedBy));
    }

    /// <summary>The hygiene report of every customer record (<see cref="Hygiene.Check"/>).</summary>
    public HygieneReport CheckHygiene(string region = "BR", bool findDuplicates = true, double? linkThreshold = null) =>
        Hygiene.Check(this, region, findDuplicates, linkThreshold);

    /// <summary>The index of the customer with this id.</summary>
    /// <exception cref="CarteiraNotFoundException">No customer has this id.</exception>
    public uint FindCustomer(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Utf8.ThrowIfNul(id, nameof(id));
        Errors.Check(NativeMethods.carteira_portfolio_find_customer(Handle, id, out uint index));
        return index;
    }

    /// <summary>The index of the customer with this id, if there is one.</summary>
    public bool TryFindCustomer(string id, out uint index)
    {
        ArgumentNullException.ThrowIfNull(id);
        Utf8.ThrowIfNul(id, nameof(id));
        CarteiraStatus status = NativeMethods.carteira_portfolio_find_customer(Handle, id, out index);
        if (status == CarteiraStatus.NotFound) return false;
        Errors.Check(status);
        return true;
    }

    /// <summary>The ids of the customers at <paramref name="indices"/>.</summary>
    /// <exception cref="CarteiraOutOfRangeException">An index is not below the customer count.</exception>
    public string[] CustomerIds(ReadOnlySpan<uint> indices)
    {
        PortfolioHandle handle = Handle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return CustomerIds(handle.DangerousGetHandle(), indices);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>As the public CustomerIds, for a carteira_portfolio* the caller keeps alive
    /// (a status engine's lease, which outlives a disposed Portfolio).</summary>
    internal static string[] CustomerIds(nint portfolio, ReadOnlySpan<uint> indices) =>
        Ids(portfolio, indices, reps: false);

    /// <summary>The ids of the reps at <paramref name="indices"/>.</summary>
    /// <exception cref="CarteiraOutOfRangeException">An index is negative or not below the rep count.</exception>
    public string[] RepIds(ReadOnlySpan<int> indices)
    {
        PortfolioHandle handle = Handle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return RepIds(handle.DangerousGetHandle(), indices);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>As the public RepIds, for a carteira_portfolio* the caller keeps alive.</summary>
    internal static string[] RepIds(nint portfolio, ReadOnlySpan<int> indices) =>
        Ids(portfolio, MemoryMarshal.Cast<int, uint>(indices), reps: true);

    /// <summary>Every rep's id, by rep index.</summary>
    internal static string[] AllRepIds(nint portfolio)
    {
        NativePortfolioCounts c = NativePortfolioCounts.Init();
        Errors.Check(NativeMethods.carteira_portfolio_get_counts_leased(portfolio, &c));
        int[] all = new int[checked((int)c.Reps)];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        return RepIds(portfolio, all);
    }

    // carteira_portfolio_customer_ids or _rep_ids (rep indices passed as their
    // bits: the library reads them as int32_t): query the size, then fill.
    private static string[] Ids(nint portfolio, ReadOnlySpan<uint> indices, bool reps)
    {
        if (indices.IsEmpty) return [];
        nuint count = (nuint)indices.Length;
        fixed (uint* pinned = indices)
        {
            uint* indicesPtr = pinned;
            CarteiraStatus Call(byte* buffer, nuint capacity, ulong* offsets, out nuint needed) => reps
                ? NativeMethods.carteira_portfolio_rep_ids(portfolio, (int*)indicesPtr, count, buffer, capacity,
                                                           offsets, out needed)
                : NativeMethods.carteira_portfolio_customer_ids(portfolio, indicesPtr, count, buffer, capacity,
                                                                offsets, out needed);
            Errors.Check(Call(null, 0, null, out nuint needed));
            // At least one byte: an empty array pins to NULL, which the library
            // would read as another size query and leave the offsets unwritten.
            byte[] buffer = new byte[Math.Max(checked((int)needed), 1)];
            ulong[] offsets = new ulong[indices.Length + 1];
            fixed (byte* bufferPtr = buffer)
            fixed (ulong* offsetsPtr = offsets)
            {
                Errors.Check(Call(bufferPtr, (nuint)buffer.Length, offsetsPtr, out _));
            }
            string[] ids = new string[indices.Length];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = Encoding.UTF8.GetString(buffer, (int)offsets[i], (int)(offsets[i + 1] - offsets[i]));
            }
            return ids;
        }
    }

    // ---- Transactions -----------------------------------------------------------

    /// <summary>
    /// Appends transactions given as columns, all or nothing. The spans are
    /// passed to the library pinned, without copying. Returns have a negative
    /// amount. <paramref name="repIndex"/> may be empty (no reps; else -1 = none);
    /// <paramref name="orderIds"/> and <paramref name="categories"/> may be null
    /// and may hold null entries (empty).
    /// </summary>
    /// <param name="customerIndex">Customer of each transaction (see <see cref="InternCustomers"/>).</param>
    /// <param name="dateDays">Days since 1970-01-01 (see <see cref="Dates.ToDays"/>).</param>
    /// <param name="amountMinor">Amounts in minor units.</param>
    /// <param name="orderIds">Order ids, or null.</param>
    /// <param name="repIndex">Rep indices, or empty.</param>
    /// <param name="categories">Categories, or null.</param>
    public void AppendTransactions(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<int> dateDays,
                                   ReadOnlySpan<long> amountMinor, IReadOnlyList<string?>? orderIds = null,
                                   ReadOnlySpan<int> repIndex = default, IReadOnlyList<string?>? categories = null)
    {
        PortfolioHandle handle = Handle;
        int n = customerIndex.Length;
        RequireLength(dateDays.Length, n, nameof(dateDays));
        RequireLength(amountMinor.Length, n, nameof(amountMinor));
        if (!repIndex.IsEmpty) RequireLength(repIndex.Length, n, nameof(repIndex));
        using var orders = new Utf8Column(orderIds, n, nameof(orderIds), allowNullEntries: true);
        using var category = new Utf8Column(categories, n, nameof(categories), allowNullEntries: true);

        fixed (uint* customerPtr = customerIndex)
        fixed (int* datePtr = dateDays)
        fixed (long* amountPtr = amountMinor)
        fixed (int* repPtr = repIndex)
        {
            NativeTransactionColumns native = NativeTransactionColumns.Init();
            native.Count = (nuint)n;
            native.CustomerIndex = customerPtr;
            native.Date = datePtr;
            native.Amount = amountPtr;
            native.OrderId = orders.Pointers;
            native.RepIndex = repPtr;
            native.Category = category.Pointers;
            Errors.Check(NativeMethods.carteira_portfolio_append_transactions(handle, &native));
        }
    }

    /// <summary>As the day-number overload, with dates (converted into one temporary array).</summary>
    public void AppendTransactions(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<DateOnly> dates,
                                   ReadOnlySpan<long> amountMinor, IReadOnlyList<string?>? orderIds = null,
                                   ReadOnlySpan<int> repIndex = default, IReadOnlyList<string?>? categories = null)
    {
        AppendTransactions(customerIndex, ToDays(dates), amountMinor, orderIds, repIndex, categories);
    }

    // ---- Reps -----------------------------------------------------------------------

    /// <summary>Appends reps given as columns; all or nothing.</summary>
    /// <exception cref="CarteiraAlreadyExistsException">An id is already a rep's, or repeats in
    /// <paramref name="columns"/>; the portfolio is unchanged.</exception>
    /// <exception cref="CarteiraArgumentException">For example an empty id or a negative capacity.</exception>
    public void AppendReps(RepColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(columns.Id, nameof(columns.Id));
        PortfolioHandle handle = Handle;
        int n = columns.Id.Count;

        using var id = new Utf8Column(columns.Id, n, nameof(columns.Id), allowNullEntries: false);
        using var name = new Utf8Column(columns.Name, n, nameof(columns.Name), allowNullEntries: true);
        using var region = new Utf8Column(columns.Region, n, nameof(columns.Region), allowNullEntries: true);
        using var segments = new Utf8Column(columns.JoinedSegments(), n, nameof(columns.Segments), allowNullEntries: true);
        using var team = new Utf8Column(columns.Team, n, nameof(columns.Team), allowNullEntries: true);
        int[]? capacity = Convert(columns.Capacity, n, nameof(columns.Capacity), c => c);
        byte[]? active = Convert(columns.Active, n, nameof(columns.Active), b => b ? (byte)1 : (byte)0);

        fixed (int* capacityPtr = capacity)
        fixed (byte* activePtr = active)
        {
            NativeRepColumns native = NativeRepColumns.Init();
            native.Count = (nuint)n;
            native.Id = id.Pointers;
            native.Name = name.Pointers;
            native.Region = region.Pointers;
            native.Segments = segments.Pointers;
            native.Capacity = capacityPtr;
            native.Active = activePtr;
            native.Team = team.Pointers;
            Errors.Check(NativeMethods.carteira_portfolio_append_reps(handle, &native));
        }
    }

    /// <summary>Appends reps known by id only; all or nothing.</summary>
    public void AppendReps(IReadOnlyList<string> ids) => AppendReps(new RepColumns { Id = ids });

    /// <summary>The index of each rep id, creating bare reps for unknown ones.</summary>
    public int[] InternReps(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        PortfolioHandle handle = Handle;
        using var column = new Utf8Column(ids, ids.Count, nameof(ids), allowNullEntries: false);
        int[] indices = new int[ids.Count];
        fixed (int* indicesPtr = indices)
        {
            Errors.Check(NativeMethods.carteira_portfolio_intern_reps(
                handle, column.Pointers, (nuint)ids.Count, indicesPtr));
        }
        return indices;
    }

    /// <summary>The index of the rep with this id.</summary>
    /// <exception cref="CarteiraNotFoundException">No rep has this id.</exception>
    public int FindRep(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Utf8.ThrowIfNul(id, nameof(id));
        Errors.Check(NativeMethods.carteira_portfolio_find_rep(Handle, id, out int index));
        return index;
    }

    /// <summary>The index of the rep with this id, if there is one.</summary>
    public bool TryFindRep(string id, out int index)
    {
        ArgumentNullException.ThrowIfNull(id);
        Utf8.ThrowIfNul(id, nameof(id));
        CarteiraStatus status = NativeMethods.carteira_portfolio_find_rep(Handle, id, out index);
        if (status == CarteiraStatus.NotFound) return false;
        Errors.Check(status);
        return true;
    }

    // ---- Contracts --------------------------------------------------------------------

    /// <summary>
    /// Appends contracts given as columns, all or nothing; the spans are passed
    /// pinned, without copying. <paramref name="valueMinor"/> and
    /// <paramref name="autoRenew"/> may be empty (0 and false);
    /// <paramref name="contractIds"/> may be null and hold null entries (empty).
    /// </summary>
    /// <param name="customerIndex">Customer of each contract (see <see cref="InternCustomers"/>).</param>
    /// <param name="startDays">First day, days since 1970-01-01.</param>
    /// <param name="endDays">Last day (inclusive), not before the start.</param>
    /// <param name="contractIds">Contract ids, or null.</param>
    /// <param name="valueMinor">Values in minor units, or empty.</param>
    /// <param name="autoRenew">Auto-renewal flags, or empty.</param>
    /// <exception cref="CarteiraArgumentException">A bad row, named in the message ("row 1, field
    /// end: is before start"; rows count from 0); the portfolio is unchanged.</exception>
    public void AppendContracts(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<int> startDays,
                                ReadOnlySpan<int> endDays, IReadOnlyList<string?>? contractIds = null,
                                ReadOnlySpan<long> valueMinor = default, ReadOnlySpan<bool> autoRenew = default)
    {
        PortfolioHandle handle = Handle;
        int n = customerIndex.Length;
        RequireLength(startDays.Length, n, nameof(startDays), "contract");
        RequireLength(endDays.Length, n, nameof(endDays), "contract");
        RequireLengthOrEmpty(valueMinor.Length, n, nameof(valueMinor), "contract");
        RequireLengthOrEmpty(autoRenew.Length, n, nameof(autoRenew), "contract");
        using var ids = new Utf8Column(contractIds, n, nameof(contractIds), allowNullEntries: true);

        fixed (uint* customerPtr = customerIndex)
        fixed (int* startPtr = startDays)
        fixed (int* endPtr = endDays)
        fixed (long* valuePtr = valueMinor)
        fixed (bool* autoRenewPtr = autoRenew) // one byte, 0 or 1: the C uint8_t flag
        {
            NativeContractColumns native = NativeContractColumns.Init();
            native.Count = (nuint)n;
            native.CustomerIndex = customerPtr;
            native.ContractId = ids.Pointers;
            native.Start = startPtr;
            native.End = endPtr;
            native.Value = valuePtr;
            native.AutoRenew = (byte*)autoRenewPtr;
            Errors.Check(NativeMethods.carteira_portfolio_append_contracts(handle, &native));
        }
    }

    /// <summary>As the day-number overload, with dates (converted into temporary arrays).</summary>
    public void AppendContracts(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<DateOnly> start,
                                ReadOnlySpan<DateOnly> end, IReadOnlyList<string?>? contractIds = null,
                                ReadOnlySpan<long> valueMinor = default, ReadOnlySpan<bool> autoRenew = default) =>
        AppendContracts(customerIndex, ToDays(start), ToDays(end), contractIds, valueMinor, autoRenew);

    // ---- Interactions -------------------------------------------------------------------

    /// <summary>
    /// Appends interactions (visits, calls, e-mails, messages) given as columns,
    /// all or nothing; the spans are passed pinned, without copying.
    /// <paramref name="repIndex"/> may be empty (no reps; else -1 = none);
    /// <paramref name="channels"/> and <paramref name="outcomes"/> may be null
    /// and hold null entries (empty).
    /// </summary>
    /// <param name="customerIndex">Customer of each interaction (see <see cref="InternCustomers"/>).</param>
    /// <param name="dateDays">Days since 1970-01-01.</param>
    /// <param name="repIndex">Rep indices (see <see cref="InternReps"/>), or empty.</param>
    /// <param name="channels">Channels, or null.</param>
    /// <param name="outcomes">Outcomes, or null.</param>
    public void AppendInteractions(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<int> dateDays,
                                   ReadOnlySpan<int> repIndex = default, IReadOnlyList<string?>? channels = null,
                                   IReadOnlyList<string?>? outcomes = null)
    {
        PortfolioHandle handle = Handle;
        int n = customerIndex.Length;
        RequireLength(dateDays.Length, n, nameof(dateDays), "interaction");
        RequireLengthOrEmpty(repIndex.Length, n, nameof(repIndex), "interaction");
        using var channel = new Utf8Column(channels, n, nameof(channels), allowNullEntries: true);
        using var outcome = new Utf8Column(outcomes, n, nameof(outcomes), allowNullEntries: true);

        fixed (uint* customerPtr = customerIndex)
        fixed (int* datePtr = dateDays)
        fixed (int* repPtr = repIndex)
        {
            NativeInteractionColumns native = NativeInteractionColumns.Init();
            native.Count = (nuint)n;
            native.CustomerIndex = customerPtr;
            native.RepIndex = repPtr;
            native.Date = datePtr;
            native.Channel = channel.Pointers;
            native.Outcome = outcome.Pointers;
            Errors.Check(NativeMethods.carteira_portfolio_append_interactions(handle, &native));
        }
    }

    /// <summary>As the day-number overload, with dates (converted into one temporary array).</summary>
    public void AppendInteractions(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<DateOnly> dates,
                                   ReadOnlySpan<int> repIndex = default, IReadOnlyList<string?>? channels = null,
                                   IReadOnlyList<string?>? outcomes = null) =>
        AppendInteractions(customerIndex, ToDays(dates), repIndex, channels, outcomes);

    // ---- Surveys --------------------------------------------------------------------------

    /// <summary>Appends NPS survey answers given as columns, all or nothing; the spans are
    /// passed pinned, without copying.</summary>
    /// <param name="customerIndex">Customer of each answer (see <see cref="InternCustomers"/>).</param>
    /// <param name="dateDays">Days since 1970-01-01.</param>
    /// <param name="scores">Scores, 0 to 10.</param>
    /// <exception cref="CarteiraArgumentException">A score outside 0..10, a bad date or customer index.</exception>
    public void AppendSurveys(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<int> dateDays, ReadOnlySpan<int> scores)
    {
        PortfolioHandle handle = Handle;
        int n = customerIndex.Length;
        RequireLength(dateDays.Length, n, nameof(dateDays), "answer");
        RequireLength(scores.Length, n, nameof(scores), "answer");

        fixed (uint* customerPtr = customerIndex)
        fixed (int* datePtr = dateDays)
        fixed (int* scorePtr = scores)
        {
            NativeSurveyColumns native = NativeSurveyColumns.Init();
            native.Count = (nuint)n;
            native.CustomerIndex = customerPtr;
            native.Date = datePtr;
            native.Score = scorePtr;
            Errors.Check(NativeMethods.carteira_portfolio_append_surveys(handle, &native));
        }
    }

    /// <summary>As the day-number overload, with dates (converted into one temporary array).</summary>
    public void AppendSurveys(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<DateOnly> dates, ReadOnlySpan<int> scores) =>
        AppendSurveys(customerIndex, ToDays(dates), scores);

    // ---- Assignments ------------------------------------------------------------------------

    /// <summary>
    /// Appends assignment history rows (from <c>since</c> on, the rep holds the
    /// customer) given as columns, all or nothing; the spans are passed pinned,
    /// without copying. <paramref name="reasons"/> may be null and hold null
    /// entries (empty).
    /// </summary>
    /// <param name="customerIndex">Customer of each row (see <see cref="InternCustomers"/>).</param>
    /// <param name="repIndex">Rep of each row (see <see cref="InternReps"/>); required, never -1.</param>
    /// <param name="sinceDays">Days since 1970-01-01.</param>
    /// <param name="reasons">Reasons, or null.</param>
    public void AppendAssignments(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<int> repIndex,
                                  ReadOnlySpan<int> sinceDays, IReadOnlyList<string?>? reasons = null)
    {
        PortfolioHandle handle = Handle;
        int n = customerIndex.Length;
        RequireLength(repIndex.Length, n, nameof(repIndex), "assignment");
        RequireLength(sinceDays.Length, n, nameof(sinceDays), "assignment");
        using var reason = new Utf8Column(reasons, n, nameof(reasons), allowNullEntries: true);

        fixed (uint* customerPtr = customerIndex)
        fixed (int* repPtr = repIndex)
        fixed (int* sincePtr = sinceDays)
        {
            NativeAssignmentColumns native = NativeAssignmentColumns.Init();
            native.Count = (nuint)n;
            native.CustomerIndex = customerPtr;
            native.RepIndex = repPtr;
            native.Since = sincePtr;
            native.Reason = reason.Pointers;
            Errors.Check(NativeMethods.carteira_portfolio_append_assignments(handle, &native));
        }
    }

    /// <summary>As the day-number overload, with dates (converted into one temporary array).</summary>
    public void AppendAssignments(ReadOnlySpan<uint> customerIndex, ReadOnlySpan<int> repIndex,
                                  ReadOnlySpan<DateOnly> since, IReadOnlyList<string?>? reasons = null) =>
        AppendAssignments(customerIndex, repIndex, ToDays(since), reasons);

    // ---- Summary ------------------------------------------------------------------

    /// <summary>Writes the HTML report to <paramref name="path"/> atomically (see
    /// <see cref="Report.Write"/>): status, RFM segments, cohorts, revenue concentration and reps
    /// over the 365 days ending at <paramref name="asOf"/> (default the last transaction date).</summary>
    public void WriteReport(string path, DateOnly? asOf = null, DateOnly? from = null,
                            ReportLanguage language = ReportLanguage.PtBr, string? currency = null,
                            string? title = null, StatusPolicy? policy = null, SegmentMap? segmentMap = null) =>
        Report.Write(this, path, asOf, from, language, currency, title, policy, segmentMap);

    /// <summary>The per-customer summary as of <paramref name="asOf"/>.</summary>
    public CustomerSummary Summary(DateOnly asOf, TimeUnit unit = TimeUnit.Days)
    {
        SummaryHandle handle = ComputeNativeSummary(asOf, unit);
        Errors.Check(NativeMethods.carteira_summary_size(handle, out nuint rows));
        int n = checked((int)rows);
        var summary = new CustomerSummary(asOf, unit, n)
        {
            PortfolioId = _id,
            Generation = _summaryGeneration,
            CustomerIndex = Array.ConvertAll(Int64Column(handle, SummaryColumn.CustomerIndex, n), v => (uint)v),
            FirstPurchase = Array.ConvertAll(Int64Column(handle, SummaryColumn.FirstPurchase, n), v => Dates.FromDays((int)v)),
            LastPurchase = Array.ConvertAll(Int64Column(handle, SummaryColumn.LastPurchase, n), v => Dates.FromDays((int)v)),
            PurchaseDays = Array.ConvertAll(Int64Column(handle, SummaryColumn.PurchaseDays, n), v => (int)v),
            X = Array.ConvertAll(Int64Column(handle, SummaryColumn.X, n), v => (int)v),
            TX = DoubleColumn(handle, SummaryColumn.TX, n),
            T = DoubleColumn(handle, SummaryColumn.T, n),
            Revenue = Int64Column(handle, SummaryColumn.Revenue, n),
            AverageTicket = Int64Column(handle, SummaryColumn.AverageTicket, n),
            Zbar = DoubleColumn(handle, SummaryColumn.Zbar, n),
            MedianGapDays = DoubleColumn(handle, SummaryColumn.MedianGapDays, n),
            DaysSinceLast = Array.ConvertAll(Int64Column(handle, SummaryColumn.DaysSinceLast, n), v => (int)v),
        };
        summary.CustomerId = CustomerIds(summary.CustomerIndex);
        return summary;
    }

    /// <summary>
    /// The native summary behind <paramref name="summary"/>, for the status
    /// engine's fast path: the kept one when <paramref name="summary"/> is the
    /// last this portfolio computed, else the kept one recomputed as of its date.
    /// </summary>
    /// <exception cref="ArgumentException">The summary is of another portfolio.</exception>
    internal SummaryHandle NativeSummaryOf(CustomerSummary summary)
    {
        if (summary.PortfolioId != _id)
        {
            throw new ArgumentException("the summary was computed by another portfolio", nameof(summary));
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_summary is not null && summary.Generation == _summaryGeneration) return _summary;
        return ComputeNativeSummary(summary.AsOf, summary.Unit);
    }

    private SummaryHandle ComputeNativeSummary(DateOnly asOf, TimeUnit unit)
    {
        NativeSummaryOptions options = NativeSummaryOptions.Init();
        options.AsOf = Dates.ToDays(asOf);
        options.Unit = (int)unit;
        // One native summary is kept and recomputed in place, so repeated
        // summaries reuse the library's memory (its fast path).
        SummaryHandle handle;
        _summaryGeneration++;
        if (_summary is null)
        {
            CarteiraStatus status = NativeMethods.carteira_summary_compute(Handle, &options, out handle);
            if (status != CarteiraStatus.Ok)
            {
                handle.Dispose();
                Errors.Check(status);
            }
            _summary = handle;
        }
        else
        {
            handle = _summary;
            Errors.Check(NativeMethods.carteira_summary_recompute(handle, Handle, &options));
        }
        return handle;
    }

    private static long[] Int64Column(SummaryHandle handle, SummaryColumn column, int rows)
    {
        long[] values = new long[rows];
        fixed (long* p = values)
        {
            Errors.Check(NativeMethods.carteira_summary_get_int64(handle, (int)column, p, (nuint)rows));
        }
        return values;
    }

    private static double[] DoubleColumn(SummaryHandle handle, SummaryColumn column, int rows)
    {
        double[] values = new double[rows];
        fixed (double* p = values)
        {
            Errors.Check(NativeMethods.carteira_summary_get_double(handle, (int)column, p, (nuint)rows));
        }
        return values;
    }

    // ---- Lifetime -------------------------------------------------------------------

    /// <summary>Frees the native portfolio (after the last <see cref="StatusEngine"/> or
    /// <see cref="StatusTable"/> that still reads it); safe to call more than once.</summary>
    public void Dispose()
    {
        _disposed = true;
        _summary?.Dispose();
        _handle.Dispose();
    }

    private static void RequireLength(int actual, int expected, string paramName, string row = "transaction")
    {
        if (actual != expected)
        {
            throw new ArgumentException($"has {actual} entries, expected {expected} (one per {row})", paramName);
        }
    }

    // An optional span column: empty (absent) or one entry per row.
    private static void RequireLengthOrEmpty(int actual, int expected, string paramName, string row)
    {
        if (actual != 0) RequireLength(actual, expected, paramName, row);
    }

    // Dates as the C ABI's day numbers, in one temporary array.
    private static int[] ToDays(ReadOnlySpan<DateOnly> dates)
    {
        int[] days = new int[dates.Length];
        for (int i = 0; i < days.Length; i++) days[i] = Dates.ToDays(dates[i]);
        return days;
    }

    private static TOut[]? Convert<TIn, TOut>(IReadOnlyList<TIn>? values, int expected, string paramName,
                                              Func<TIn, TOut> convert)
    {
        if (values is null) return null;
        if (values.Count != expected)
        {
            throw new ArgumentException($"has {values.Count} entries, expected {expected} (one per id)", paramName);
        }
        var result = new TOut[expected];
        for (int i = 0; i < expected; i++) result[i] = convert(values[i]);
        return result;
    }
}
