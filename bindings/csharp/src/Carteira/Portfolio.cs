// carteira_portfolio: the customers, reps, transactions... one engine works on.
using System;
using System.Collections.Generic;
using System.Text;

namespace Carteira;

/// <summary>
/// A customer portfolio held by libcarteira. Dispose it to free the native
/// memory (a finalizer does it otherwise). Not synchronised: use an instance
/// from one thread at a time.
/// </summary>
public sealed unsafe class Portfolio : IDisposable
{
    private readonly PortfolioHandle _handle;

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

    private PortfolioHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

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
        if (indices.IsEmpty) return [];
        nuint count = (nuint)indices.Length;
        fixed (uint* indicesPtr = indices)
        {
            // Query the size, then fill.
            Errors.Check(NativeMethods.carteira_portfolio_customer_ids(
                handle, indicesPtr, count, null, 0, null, out nuint needed));
            // At least one byte: an empty array pins to NULL, which the library
            // would read as another size query and leave the offsets unwritten.
            byte[] buffer = new byte[Math.Max(checked((int)needed), 1)];
            ulong[] offsets = new ulong[indices.Length + 1];
            fixed (byte* bufferPtr = buffer)
            fixed (ulong* offsetsPtr = offsets)
            {
                Errors.Check(NativeMethods.carteira_portfolio_customer_ids(
                    handle, indicesPtr, count, bufferPtr, (nuint)buffer.Length, offsetsPtr, out _));
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
        int[] days = new int[dates.Length];
        for (int i = 0; i < days.Length; i++) days[i] = Dates.ToDays(dates[i]);
        AppendTransactions(customerIndex, days, amountMinor, orderIds, repIndex, categories);
    }

    // ---- Summary ------------------------------------------------------------------

    /// <summary>The per-customer summary as of <paramref name="asOf"/>.</summary>
    public CustomerSummary Summary(DateOnly asOf, TimeUnit unit = TimeUnit.Days)
    {
        NativeSummaryOptions options = NativeSummaryOptions.Init();
        options.AsOf = Dates.ToDays(asOf);
        options.Unit = (int)unit;
        CarteiraStatus status = NativeMethods.carteira_summary_compute(Handle, &options, out SummaryHandle handle);
        using (handle)
        {
            Errors.Check(status);
            Errors.Check(NativeMethods.carteira_summary_size(handle, out nuint rows));
            int n = checked((int)rows);
            var summary = new CustomerSummary(asOf, unit, n)
            {
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

    /// <summary>Frees the native portfolio; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private static void RequireLength(int actual, int expected, string paramName)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"has {actual} entries, expected {expected} (one per transaction)", paramName);
        }
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
