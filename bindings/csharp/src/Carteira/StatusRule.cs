// Plugin status rules written in C#: the facts a rule reads, the decision it
// may change, and the bridge to carteira_status_rule_vtable (a GCHandle as
// user_data, static unmanaged callbacks as apply and destroy: on .NET 5+
// [UnmanagedCallersOnly] methods, on netstandard2.0 the same methods through
// delegates that live as long as the process).
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Carteira;

/// <summary>
/// A plugin status rule (see <see cref="StatusEngine.AddRule(string, IStatusRule)"/>). It runs
/// for each customer (and date) after the built-in rules and the plugins
/// registered before it, and must be deterministic: same facts, same
/// decision. An exception it throws fails the classification with a
/// <see cref="CarteiraException"/> naming the rule and the customer. If the
/// rule is also <see cref="IDisposable"/>, the engine disposes it once, when
/// the engine is released (or when registering it fails).
/// </summary>
public interface IStatusRule
{
    /// <summary>Reads <paramref name="facts"/> and may change <paramref name="decision"/>.</summary>
    void Apply(StatusFacts facts, StatusDecision decision);
}

/// <summary>
/// What a plugin rule sees about one customer as of a date. Valid only during
/// the rule's call (it reads the library's memory): read what you need then;
/// afterwards every member throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed unsafe class StatusFacts
{
    private NativeStatusFacts* _facts;

    internal StatusFacts(NativeStatusFacts* facts) => _facts = facts;

    internal void Invalidate() => _facts = null;

    private NativeStatusFacts* Facts =>
        _facts != null ? _facts : throw new InvalidOperationException("StatusFacts is only valid during the rule's call");

    /// <summary>The customer's index in the portfolio (its row in a <see cref="StatusTable"/>).</summary>
    public uint CustomerIndex => Facts->CustomerIndex;

    /// <summary>The customer's id.</summary>
    public string CustomerId => Utf8.Decode(Facts->CustomerId);

    /// <summary>The customer's segment; "" if none.</summary>
    public string Segment => Utf8.Decode(Facts->Segment);

    /// <summary>The date classified.</summary>
    public DateOnly AsOf => Dates.FromDays(Facts->AsOf);

    /// <summary>Number of purchase-days on or before <see cref="AsOf"/>.</summary>
    public int PurchaseDays => Facts->PurchaseDays;

    /// <summary>The purchase-days on or before <see cref="AsOf"/>, ascending, as days since
    /// 1970-01-01, without copying (the span is only valid during the call too).</summary>
    public ReadOnlySpan<int> PurchaseDayNumbers
    {
        get
        {
            NativeStatusFacts* f = Facts;
            return f->PurchaseDays <= 0 ? default : new ReadOnlySpan<int>(f->PurchaseDayList, f->PurchaseDays);
        }
    }

    /// <summary>The purchase-days on or before <see cref="AsOf"/>, ascending (a new array).</summary>
    public DateOnly[] PurchaseDates
    {
        get
        {
            ReadOnlySpan<int> days = PurchaseDayNumbers;
            var dates = new DateOnly[days.Length];
            for (int i = 0; i < dates.Length; i++) dates[i] = Dates.FromDays(days[i]);
            return dates;
        }
    }

    /// <summary>The last purchase-day, or null without a purchase.</summary>
    public DateOnly? LastPurchase
    {
        get
        {
            NativeStatusFacts* f = Facts;
            return f->PurchaseDays > 0 ? Dates.FromDays(f->PurchaseDayList[f->PurchaseDays - 1]) : null;
        }
    }

    /// <summary>Days from the last purchase-day to <see cref="AsOf"/>; -1 without a purchase.</summary>
    public int DaysSinceLast => Facts->DaysSinceLast;

    /// <summary>Median gap between consecutive purchase-days; NaN below two purchase-days.</summary>
    public double MedianGapDays => Facts->MedianGapDays;

    /// <summary>The status as decided when this rule started (see <see cref="StatusDecision.Status"/>
    /// for the current one).</summary>
    public Lifecycle Status => (Lifecycle)Facts->Status;

    /// <summary>The customer's flags.</summary>
    public StatusFlags Flags => (StatusFlags)Facts->Flags;
}

/// <summary>
/// The decision under construction, as a plugin rule may change it. Valid
/// only during the rule's call; afterwards every member throws
/// <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class StatusDecision
{
    private nint _decision;

    internal StatusDecision(nint decision) => _decision = decision;

    internal void Invalidate() => _decision = 0;

    private nint Decision =>
        _decision != 0 ? _decision : throw new InvalidOperationException("StatusDecision is only valid during the rule's call");

    /// <summary>The status as decided so far (this rule's changes included).</summary>
    public Lifecycle Status
    {
        get
        {
            Errors.Check(NativeMethods.carteira_status_decision_get_status(Decision, out int status));
            return (Lifecycle)status;
        }
    }

    /// <summary>Sets the status; <paramref name="reason"/> says why in plain words.</summary>
    public void Override(Lifecycle status, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Utf8.ThrowIfNul(reason, nameof(reason));
        Errors.Check(NativeMethods.carteira_status_decision_override(Decision, (int)status, reason));
    }

    /// <summary>
    /// Refuses <paramref name="status"/> for this customer: if it is the status
    /// now, or a later rule sets it, it steps one level milder (lost -&gt;
    /// inactive -&gt; at_risk -&gt; active; new, reactivated -&gt; active).
    /// </summary>
    /// <exception cref="CarteiraArgumentException"><see cref="Lifecycle.Prospect"/> and
    /// <see cref="Lifecycle.Active"/> cannot be refused.</exception>
    public void Veto(Lifecycle status, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Utf8.ThrowIfNul(reason, nameof(reason));
        Errors.Check(NativeMethods.carteira_status_decision_veto(Decision, (int)status, reason));
    }

    /// <summary>Adds a reason without changing the status.</summary>
    public void AddReason(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Utf8.ThrowIfNul(reason, nameof(reason));
        Errors.Check(NativeMethods.carteira_status_decision_add_reason(Decision, reason));
    }
}

/// <summary>A registered C# rule: what the GCHandle passed as user_data holds.</summary>
internal sealed unsafe class PluginRule
{
    // The status code a rule that threw returns (CARTEIRA_INTERNAL).
    private const int ThrewStatus = (int)CarteiraStatus.Internal;

    // The managed exception behind this thread's last failed rule, so the
    // classification's exception can carry it as its InnerException. The
    // library calls rules on the thread that classifies.
    [ThreadStatic]
    private static Exception? t_lastException;

    private readonly IStatusRule _rule;

    private PluginRule(IStatusRule rule) => _rule = rule;

    /// <summary>
    /// The vtable and user_data for carteira_status_engine_add_rule. From here
    /// on the library owns user_data: it calls <see cref="Destroy"/> exactly
    /// once, also when add_rule fails.
    /// </summary>
    internal static nint Register(IStatusRule rule, out NativeStatusRuleVtable vtable)
    {
        vtable = NativeStatusRuleVtable.Init();
#if NET5_0_OR_GREATER
        vtable.Apply = &Apply;
        vtable.Destroy = &Destroy;
#else
        vtable.Apply = (delegate* unmanaged[Cdecl]<void*, NativeStatusFacts*, nint, int>)s_applyPointer;
        vtable.Destroy = (delegate* unmanaged[Cdecl]<void*, void>)s_destroyPointer;
#endif
        return GCHandle.ToIntPtr(GCHandle.Alloc(new PluginRule(rule)));
    }

    /// <summary>Releases user_data the library never received (the call did not happen).</summary>
    internal static void Unregister(nint userData) => Release((void*)userData);

    /// <summary>Forgets an earlier rule's exception before a call that may run rules.</summary>
    internal static void ClearLastException() => t_lastException = null;

    /// <summary>The exception a rule threw during the last call on this thread, if any; clears it.</summary>
    internal static Exception? TakeLastException()
    {
        Exception? e = t_lastException;
        t_lastException = null;
        return e;
    }

#if !NET5_0_OR_GREATER
    // netstandard2.0 has no [UnmanagedCallersOnly]: the library calls Apply
    // and Destroy through thunks of these delegates. Static fields keep them
    // (and so the thunks) alive for the process: any engine may call Destroy
    // late, from its release on the finalizer thread.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ApplyCallback(void* userData, NativeStatusFacts* facts, nint decision);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void DestroyCallback(void* userData);

    private static readonly ApplyCallback s_apply = Apply;
    private static readonly DestroyCallback s_destroy = Destroy;
    private static readonly nint s_applyPointer = Marshal.GetFunctionPointerForDelegate(s_apply);
    private static readonly nint s_destroyPointer = Marshal.GetFunctionPointerForDelegate(s_destroy);
#endif

    // No managed exception may unwind into the library: every one is caught,
    // reported through carteira_status_decision_set_error, and turned into a
    // status code.
#if NET5_0_OR_GREATER
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
#endif
    private static int Apply(void* userData, NativeStatusFacts* facts, nint decision)
    {
        try
        {
            var self = (PluginRule)GCHandle.FromIntPtr((nint)userData).Target!;
            var f = new StatusFacts(facts);
            var d = new StatusDecision(decision);
            try
            {
                self._rule.Apply(f, d);
            }
            finally
            {
                f.Invalidate();
                d.Invalidate();
            }
            return (int)CarteiraStatus.Ok;
        }
#pragma warning disable CA1031 // catch everything: nothing may cross into native code
        catch (Exception e)
        {
            t_lastException = e;
            try
            {
                _ = NativeMethods.carteira_status_decision_set_error(decision, $"{e.GetType().FullName}: {e.Message}");
            }
            catch
            {
                // Without the message the library reports the status code alone.
            }
            return ThrewStatus;
        }
#pragma warning restore CA1031
    }

#if NET5_0_OR_GREATER
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
#endif
    private static void Destroy(void* userData) => Release(userData);

    private static void Release(void* userData)
    {
#pragma warning disable CA1031 // may run on the finalizer thread: nothing may escape
        try
        {
            GCHandle handle = GCHandle.FromIntPtr((nint)userData);
            var self = (PluginRule)handle.Target!;
            handle.Free();
            (self._rule as IDisposable)?.Dispose();
        }
        catch
        {
            // A rule's Dispose failed; there is no one to tell.
        }
#pragma warning restore CA1031
    }

    /// <summary>Adapts a delegate to <see cref="IStatusRule"/>.</summary>
    internal sealed class DelegateRule(Action<StatusFacts, StatusDecision> apply) : IStatusRule
    {
        public void Apply(StatusFacts facts, StatusDecision decision) => apply(facts, decision);
    }
}
