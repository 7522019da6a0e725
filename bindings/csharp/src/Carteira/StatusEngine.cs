// carteira_status_engine: classifies every customer of a portfolio as of a
// date by a policy's rules and the registered plugin rules; history over
// many dates and the transitions between two dates.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Carteira;

/// <summary>
/// The lifecycle status engine of one portfolio. It reads the portfolio's
/// customers, purchases and contracts when created (a snapshot: create
/// another after appending). It keeps the native portfolio alive, for itself
/// and for every <see cref="StatusTable"/> it returns, even if the
/// <see cref="Portfolio"/> is disposed first. Dispose it to free the native
/// memory and release its plugin rules (a finalizer does it otherwise). Not
/// synchronised: use an instance from one thread at a time.
/// </summary>
public sealed unsafe class StatusEngine : IDisposable
{
    /// <summary>The id of the first plugin rule in <see cref="StatusColumn.Rule"/>; the next
    /// ones follow in registration order.</summary>
    public const int FirstPluginRuleId = 16;

    // The built-in rules by id (carteira::BuiltinRule, status_table.h).
    private static readonly string[] s_builtinRules =
        ["no_purchase", "new_customer", "recency", "cadence", "contract_ended", "reactivation", "key_account_never"];

    private readonly StatusEngineHandle _handle;
    private readonly Portfolio _portfolio;
    private readonly List<string> _plugins = [];

    /// <summary>An engine for <paramref name="portfolio"/> under <paramref name="policy"/> (copied:
    /// the policy may be disposed afterwards).</summary>
    /// <exception cref="CarteiraException">The policy names a segment no customer has, for example.</exception>
    public StatusEngine(Portfolio portfolio, StatusPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(policy);
        PortfolioHandle portfolioHandle = portfolio.Handle;
        StatusPolicyHandle policyHandle = policy.Handle;
        CustomerCount = checked((int)portfolio.Counts.Customers);
        var lease = new PortfolioLease(portfolioHandle);
        bool adopted = false;
        try
        {
            CarteiraStatus status = NativeMethods.carteira_status_engine_create(portfolioHandle, policyHandle, out _handle);
            if (status != CarteiraStatus.Ok)
            {
                _handle.Dispose(); // invalid, so no native call: the last error survives
                Errors.Check(status);
            }
            _handle.Lease = lease;
            adopted = true;
        }
        finally
        {
            if (!adopted) lease.Release();
        }
        _portfolio = portfolio;
    }

    internal StatusEngineHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Customers in the engine's snapshot: the rows of its tables and histories.</summary>
    public int CustomerCount { get; }

    /// <summary>The names of the plugin rules registered so far, in order (ids from
    /// <see cref="FirstPluginRuleId"/>).</summary>
    public IReadOnlyList<string> PluginRules => _plugins.AsReadOnly();

    // ---- Plugin rules -----------------------------------------------------------

    /// <summary>
    /// Registers a plugin rule, run after the built-in rules and the plugins
    /// registered before it. The engine owns <paramref name="rule"/> from here
    /// on: if it is <see cref="IDisposable"/>, it is disposed exactly once,
    /// when the engine is released, or before AddRule throws if registering
    /// fails. The engine keeps the rule reachable until it is released, so a
    /// rule that refers to its engine keeps it from being finalized: dispose
    /// the engine.
    /// </summary>
    /// <param name="name">Unique and non-empty; tables show it as the deciding rule.</param>
    /// <param name="rule">The rule.</param>
    /// <exception cref="CarteiraArgumentException">An empty name.</exception>
    /// <exception cref="CarteiraAlreadyExistsException">A rule (built-in or plugin) has this name.</exception>
    public void AddRule(string name, IStatusRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        nint userData = PluginRule.Register(rule, out NativeStatusRuleVtable vtable);
        CarteiraStatus status;
        try
        {
            ArgumentNullException.ThrowIfNull(name);
            byte[] nameBytes = Utf8.NulTerminated(name, nameof(name))!;
            fixed (byte* namePtr = nameBytes)
            {
                // Once the library is called it owns user_data (it calls
                // destroy even when it fails); anything thrown here came
                // before that, so user_data is still ours to release.
                status = NativeMethods.carteira_status_engine_add_rule(Handle, namePtr, &vtable, (void*)userData);
            }
        }
        catch
        {
            PluginRule.Unregister(userData);
            throw;
        }
        Errors.Check(status);
        _plugins.Add(name);
    }

    /// <summary>
    /// Registers the P(alive) rule of a transaction model (BG/NBD, MBG/NBD or Pareto/NBD): customers
    /// the built-in rules find active, at risk or inactive are judged by P(alive) instead (inactive
    /// below <paramref name="inactiveBelow"/>, at risk below <paramref name="atRiskBelow"/>), and
    /// every verdict it gives or confirms states P(alive), the model and the purchases expected within
    /// the horizon. The model is copied: it may be disposed afterwards. Its rule name is "p_alive".
    /// </summary>
    /// <exception cref="CarteiraArgumentException">A spend or discrete model, or bad thresholds.</exception>
    public void AddPAliveRule(Model model, double atRiskBelow = 0.5, double inactiveBelow = 0.2,
                              double horizon = 90, TimeUnit horizonUnit = TimeUnit.Days)
    {
        ArgumentNullException.ThrowIfNull(model);
        Errors.Check(NativeMethods.carteira_status_engine_add_p_alive_rule(
            Handle, model.Handle, atRiskBelow, inactiveBelow, horizon, (int)horizonUnit));
        _plugins.Add("p_alive");
    }

    /// <summary>Registers a plugin rule given as a delegate; see <see cref="AddRule(string, IStatusRule)"/>.</summary>
    public void AddRule(string name, Action<StatusFacts, StatusDecision> rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        AddRule(name, new PluginRule.DelegateRule(rule));
    }

    /// <summary>The name of the rule with id <paramref name="ruleId"/> (<see cref="StatusColumn.Rule"/>,
    /// <see cref="StatusTransition.RuleId"/>): "recency", "cadence", a plugin's name...</summary>
    /// <exception cref="ArgumentOutOfRangeException">No rule has this id.</exception>
    public string RuleName(int ruleId) =>
        TryRuleName(ruleId) ?? throw new ArgumentOutOfRangeException(nameof(ruleId), ruleId, "no status rule has this id");

    internal string? TryRuleName(int ruleId)
    {
        if (ruleId >= 0 && ruleId < s_builtinRules.Length) return s_builtinRules[ruleId];
        int plugin = ruleId - FirstPluginRuleId;
        return plugin >= 0 && plugin < _plugins.Count ? _plugins[plugin] : null;
    }

    // ---- Classification ------------------------------------------------------------

    /// <summary>Every customer's status as of <paramref name="asOf"/>: row i is customer index i.</summary>
    /// <exception cref="CarteiraException">A plugin rule failed or threw: the message names the
    /// rule and the customer, and a rule's exception is the InnerException.</exception>
    public StatusTable Classify(DateOnly asOf)
    {
        StatusEngineHandle handle = Handle;
        int day = Dates.ToDays(asOf);
        PortfolioLease lease = TableLease(handle);
        CarteiraStatus status;
        StatusTableHandle table;
        try
        {
            PluginRule.ClearLastException();
            status = NativeMethods.carteira_status_classify(handle, day, out table);
        }
        catch
        {
            lease.Release();
            throw;
        }
        return Adopt(status, table, lease, asOf);
    }

    /// <summary>
    /// As <see cref="Classify(DateOnly)"/> as of the summary's date, taking the
    /// median gaps from <paramref name="summary"/> instead of recomputing them
    /// (the fast path when the summary is at hand; the result is identical).
    /// The summary must come from this engine's portfolio, not yet disposed.
    /// </summary>
    /// <exception cref="ArgumentException">The summary is of another portfolio.</exception>
    /// <exception cref="CarteiraException">As for <see cref="Classify(DateOnly)"/>; or the
    /// portfolio changed since the engine was created.</exception>
    public StatusTable Classify(CustomerSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        StatusEngineHandle handle = Handle;
        SummaryHandle native = _portfolio.NativeSummaryOf(summary);
        PortfolioLease lease = TableLease(handle);
        CarteiraStatus status;
        StatusTableHandle table;
        try
        {
            PluginRule.ClearLastException();
            status = NativeMethods.carteira_status_classify_summary(handle, native, out table);
        }
        catch
        {
            lease.Release();
            throw;
        }
        return Adopt(status, table, lease, summary.AsOf);
    }

    // A table points into the portfolio (its reasons read contracts and
    // ids): it holds a reference on the engine's lease, taken before the
    // call and handed over to the table, or released if there is none.
    internal static PortfolioLease TableLease(StatusEngineHandle handle)
    {
        PortfolioLease lease = handle.Lease!;
        lease.AddRef();
        return lease;
    }

    private static StatusTable Adopt(CarteiraStatus status, StatusTableHandle table, PortfolioLease lease, DateOnly asOf)
    {
        if (status != CarteiraStatus.Ok)
        {
            table.Dispose(); // invalid: no native call
            try
            {
                Errors.CheckRules(status);
            }
            finally
            {
                lease.Release();
            }
        }
        PluginRule.ClearLastException();
        table.Lease = lease;
        return new StatusTable(table, asOf);
    }

    /// <summary>
    /// Every customer's status and flags at each of <paramref name="dates"/>
    /// (strictly ascending), computed in one pass.
    /// </summary>
    /// <exception cref="CarteiraArgumentException">The dates are not strictly ascending.</exception>
    /// <exception cref="CarteiraException">As for <see cref="Classify(DateOnly)"/>.</exception>
    public StatusHistory History(IReadOnlyList<DateOnly> dates)
    {
        ArgumentNullException.ThrowIfNull(dates);
        StatusEngineHandle handle = Handle;
        DateOnly[] copy = [.. dates];
        int[] days = new int[copy.Length];
        for (int i = 0; i < days.Length; i++) days[i] = Dates.ToDays(copy[i]);
        var status = new Lifecycle[days.Length, CustomerCount];
        var flags = new StatusFlags[days.Length, CustomerCount];
        if (days.Length > 0)
        {
            // Lifecycle and StatusFlags are bytes, and a [date, customer] array
            // is laid out date-major: the library's own layout, filled in place.
            // GetArrayDataReference: not NULL even without customers (the
            // library requires out_status). netstandard2.0 lacks it; a pinned
            // GCHandle's address is not NULL either.
            fixed (int* daysPtr = days)
#if NET6_0_OR_GREATER
            fixed (byte* statusPtr = &MemoryMarshal.GetArrayDataReference(status))
            fixed (byte* flagsPtr = &MemoryMarshal.GetArrayDataReference(flags))
#else
            using (var statusPin = new PinnedArray(status))
            using (var flagsPin = new PinnedArray(flags))
#endif
            {
#if !NET6_0_OR_GREATER
                byte* statusPtr = statusPin.Pointer, flagsPtr = flagsPin.Pointer;
#endif
                PluginRule.ClearLastException();
                Errors.CheckRules(NativeMethods.carteira_status_history(
                    handle, daysPtr, (nuint)days.Length, statusPtr, flagsPtr, (nuint)status.Length));
            }
        }
        return new StatusHistory(Array.AsReadOnly(copy), status, flags);
    }

    /// <summary>
    /// Every status change in (<paramref name="from"/>, <paramref name="to"/>], by
    /// customer then date: the status as of <paramref name="from"/> is the
    /// starting point, and each change is dated the first day the new status holds.
    /// </summary>
    /// <exception cref="CarteiraException">As for <see cref="Classify(DateOnly)"/>.</exception>
    public IReadOnlyList<StatusTransition> Transitions(DateOnly from, DateOnly to)
    {
        StatusEngineHandle handle = Handle;
        PluginRule.ClearLastException();
        CarteiraStatus status = NativeMethods.carteira_status_transitions_compute(
            handle, Dates.ToDays(from), Dates.ToDays(to), out StatusTransitionsHandle transitions);
        using (transitions)
        {
            Errors.CheckRules(status);
            Errors.Check(NativeMethods.carteira_status_transitions_size(transitions, out nuint size));
            int n = checked((int)size);
            uint[] customer = new uint[n];
            int[] fromStatus = new int[n], toStatus = new int[n], date = new int[n], rule = new int[n];
            // Empty arrays pin to NULL, which the library reads as "not wanted".
            fixed (uint* c = customer)
            fixed (int* f = fromStatus, t = toStatus, d = date, r = rule)
            {
                Errors.Check(NativeMethods.carteira_status_transitions_get(transitions, c, f, t, d, r, size));
            }

            string[] ids = CustomerIds(handle, customer);
            var result = new StatusTransition[n];
            for (int i = 0; i < n; i++)
            {
                result[i] = new StatusTransition(
                    customer[i], ids[i], (Lifecycle)fromStatus[i], (Lifecycle)toStatus[i], Dates.FromDays(date[i]),
                    rule[i], TryRuleName(rule[i]) ?? $"rule {rule[i]}");
            }
            return Array.AsReadOnly(result);
        }
    }

    // Through the lease: the Portfolio itself may be disposed by now.
    private static string[] CustomerIds(StatusEngineHandle handle, uint[] indices)
    {
        PortfolioLease lease = TableLease(handle);
        try
        {
            return Portfolio.CustomerIds(lease.Pointer, indices);
        }
        finally
        {
            lease.Release();
        }
    }

    // ---- Lifetime ---------------------------------------------------------------------

    /// <summary>Frees the native engine, which releases (and disposes) its plugin rules;
    /// tables already returned stay usable. Safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();
}

#if !NET6_0_OR_GREATER
/// <summary>An array pinned by a GCHandle, for netstandard2.0, which has no
/// MemoryMarshal.GetArrayDataReference: its address is that of the first
/// element, not NULL even when the array is empty.</summary>
internal readonly unsafe struct PinnedArray : IDisposable
{
    private readonly GCHandle _handle;

    public PinnedArray(Array array) => _handle = GCHandle.Alloc(array, GCHandleType.Pinned);

    public byte* Pointer => (byte*)_handle.AddrOfPinnedObject();

    public void Dispose() => _handle.Free();
}
#endif
