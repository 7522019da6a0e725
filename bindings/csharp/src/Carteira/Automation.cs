// carteira_automation: the host's handlers, called for the status
// transitions, new agenda tasks and loyalty tier changes between two days
// (docs/actions.md), bridged to carteira_automation_vtable with a GCHandle
// as user_data and static unmanaged callbacks (on .NET 5+ [UnmanagedCallersOnly]
// methods, on netstandard2.0 the same methods through delegates that live as
// long as the process).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Carteira;

/// <summary>carteira_automation_event: the kinds of event a handler receives.</summary>
public enum AutomationEventKind
{
    /// <summary>A status transition.</summary>
    Transition = 0,
    /// <summary>A task of the agenda the host did not know.</summary>
    NewTask = 1,
    /// <summary>A loyalty tier change.</summary>
    TierChange = 2,
}

/// <summary>A loyalty tier change between a run's two days.</summary>
/// <param name="CustomerIndex">The customer's index.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="FromTier">Its tier on the first day; null for none.</param>
/// <param name="ToTier">Its tier on the last day; null for none.</param>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
/// <param name="Spend">Its spend in the 365 days ending on <paramref name="To"/>, minor units.</param>
public sealed record TierChange(uint CustomerIndex, string CustomerId, string? FromTier, string? ToTier, DateOnly From,
                                DateOnly To, long Spend);

/// <summary>A handler call that failed.</summary>
/// <param name="Kind">The event it was told of.</param>
/// <param name="CustomerId">The event's customer.</param>
/// <param name="Handler">The handler's name.</param>
/// <param name="Message">Why: a C# handler's "ExceptionType: message".</param>
public sealed record AutomationFailure(AutomationEventKind Kind, string CustomerId, string Handler, string Message);

/// <summary>What a run found and delivered.</summary>
/// <param name="From">The run's first day (exclusive).</param>
/// <param name="To">Its last day.</param>
/// <param name="Transitions">Status transitions found.</param>
/// <param name="NewTasks">New tasks found.</param>
/// <param name="TierChanges">Tier changes found.</param>
/// <param name="Calls">Handler calls made.</param>
/// <param name="Delivered">Calls that succeeded.</param>
/// <param name="Failures">Calls that failed, in call order.</param>
public sealed record AutomationReport(DateOnly From, DateOnly To, int Transitions, int NewTasks, int TierChanges,
                                      int Calls, int Delivered, IReadOnlyList<AutomationFailure> Failures);

/// <summary>A host's handler (see <see cref="Automation.AddHandler(string, IAutomationHandler)"/>):
/// it receives every kind of event. An exception it throws is reported, not rethrown.</summary>
public interface IAutomationHandler
{
    /// <summary>A status transition.</summary>
    void OnTransition(StatusTransition transition);
    /// <summary>A task the host did not know.</summary>
    void OnNewTask(AgendaTask task);
    /// <summary>A loyalty tier change.</summary>
    void OnTierChange(TierChange change);
}

/// <summary>
/// Handlers called for what changed between two days. <see cref="Run"/>
/// finds the events and calls the handlers in the documented order: every
/// status transition in (from, to] by date then customer id, then every
/// task of the agenda on <c>to</c> whose key is not known, in agenda order,
/// then (with a ledger) every tier change by customer id; each event goes to
/// every handler that takes its kind, in registration order. An exception in
/// a handler stops nothing: it is listed in the report's failures. Dispose
/// it to release the handlers (a finalizer does it otherwise). Not
/// synchronised: use an instance from one thread at a time.
/// </summary>
public sealed unsafe class Automation : IDisposable
{
    private readonly AutomationHandle _handle;
    private readonly List<string> _handlers = [];

    /// <summary>An automation without handlers.</summary>
    public Automation()
    {
        CarteiraLibrary.EnsureCompatible();
        CarteiraStatus status = NativeMethods.carteira_automation_create(out _handle);
        if (status != CarteiraStatus.Ok)
        {
            _handle.Dispose();
            Errors.Check(status);
        }
    }

    private AutomationHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>The names of the handlers added so far, in order.</summary>
    public IReadOnlyList<string> Handlers => _handlers.AsReadOnly();

    /// <summary>Registers a handler of every kind of event. If it is <see cref="IDisposable"/>, it is
    /// disposed exactly once, when the automation is released, or before AddHandler throws if adding
    /// fails.</summary>
    /// <exception cref="CarteiraArgumentException">An empty name.</exception>
    public Automation AddHandler(string name, IAutomationHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(name, new HandlerBridge(handler.OnTransition, handler.OnNewTask, handler.OnTierChange, handler));
    }

    /// <summary>Registers a handler of the kinds given (the others are not sent to it).</summary>
    /// <exception cref="ArgumentException">No delegate given.</exception>
    /// <exception cref="CarteiraArgumentException">An empty name.</exception>
    public Automation AddHandler(string name, Action<StatusTransition>? onTransition = null,
                                 Action<AgendaTask>? onNewTask = null, Action<TierChange>? onTierChange = null)
    {
        if (onTransition is null && onNewTask is null && onTierChange is null)
        {
            throw new ArgumentException("give at least one of onTransition, onNewTask, onTierChange");
        }
        return Add(name, new HandlerBridge(onTransition, onNewTask, onTierChange, null));
    }

    private Automation Add(string name, HandlerBridge bridge)
    {
        nint userData = HandlerBridge.Register(bridge, out NativeAutomationVtable vtable);
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
                status = NativeMethods.carteira_automation_add_handler(Handle, namePtr, &vtable, (void*)userData);
            }
        }
        catch
        {
            HandlerBridge.Unregister(userData);
            throw;
        }
        Errors.Check(status);
        _handlers.Add(name);
        return this;
    }

    /// <summary>
    /// Finds the events in (<paramref name="from"/>, <paramref name="to"/>] on the engine's portfolio
    /// and calls the handlers. <paramref name="ledger"/> (of the same portfolio) adds tier changes;
    /// <paramref name="knownTaskKeys"/> are the keys of the tasks the host already has;
    /// <paramref name="agenda"/> the agenda's options (as of <paramref name="to"/>).
    /// </summary>
    /// <exception cref="CarteiraArgumentException">Bad input (to before from, another portfolio's
    /// ledger...): thrown before any handler is called.</exception>
    public AutomationReport Run(StatusEngine engine, DateOnly from, DateOnly to, LoyaltyLedger? ledger = null,
                                IEnumerable<string>? knownTaskKeys = null, AgendaOptions? agenda = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        AutomationHandle handle = Handle;
        StatusEngineHandle engineHandle = engine.Handle;
        LoyaltyLedgerHandle? ledgerHandle = ledger?.Handle;
        string[] keys = knownTaskKeys?.ToArray() ?? [];
        agenda ??= new AgendaOptions();
        PortfolioLease lease = StatusEngine.TableLease(engineHandle);
        bool ledgerAdded = false;
        try
        {
            ledgerHandle?.DangerousAddRef(ref ledgerAdded);
            var context = new HandlerBridge.RunContext(engine, lease.Pointer);
            HandlerBridge.RunContext? outer = HandlerBridge.Enter(context);
            CarteiraStatus status;
            AutomationReportHandle report;
            try
            {
                var column = new Utf8Column(keys, keys.Length, nameof(knownTaskKeys), allowNullEntries: false);
                try
                {
                    using NativeAgendaScope scope = agenda.Pin(Dates.NoDay);
                    NativeAgendaOptions o = scope.Options;
                    nint ledgerPointer = ledgerHandle is null ? 0 : ledgerHandle.DangerousGetHandle();
                    status = NativeMethods.carteira_automation_run(
                        handle, engineHandle, ledgerPointer, Dates.ToDays(from), Dates.ToDays(to), column.Pointers,
                        (nuint)keys.Length, &o, out report);
                }
                finally
                {
                    column.Dispose();
                }
            }
            finally
            {
                HandlerBridge.Leave(outer);
            }
            using (report)
            {
                if (status != CarteiraStatus.Ok)
                {
                    string message = Errors.LastMessage(); // before any other native call
                    throw Errors.Create(status, message, report: null);
                }
                return ReadReport(report);
            }
        }
        finally
        {
            if (ledgerAdded) ledgerHandle!.DangerousRelease();
            lease.Release();
        }
    }

    private static AutomationReport ReadReport(AutomationReportHandle report)
    {
        NativeAutomationCounts c = NativeAutomationCounts.Init();
        Errors.Check(NativeMethods.carteira_automation_report_counts(report, &c));
        var failures = new AutomationFailure[checked((int)c.Failures)];
        for (int i = 0; i < failures.Length; i++)
        {
            NativeAutomationFailure f = NativeAutomationFailure.Init();
            Errors.Check(NativeMethods.carteira_automation_report_failure(report, (nuint)i, &f));
            failures[i] = new AutomationFailure((AutomationEventKind)f.Kind, Utf8.Decode(f.CustomerId),
                                                Utf8.Decode(f.Handler), Utf8.Decode(f.Message));
        }
        return new AutomationReport(Dates.FromDays(c.From), Dates.FromDays(c.To), checked((int)c.Transitions),
                                    checked((int)c.NewTasks), checked((int)c.TierChanges), checked((int)c.Calls),
                                    checked((int)c.Delivered), Array.AsReadOnly(failures));
    }

    /// <summary>Frees the native automation, which releases (and disposes) its handlers; safe to call
    /// more than once.</summary>
    public void Dispose() => _handle.Dispose();
}

/// <summary>A registered C# handler: what the GCHandle passed as user_data holds.</summary>
internal sealed unsafe class HandlerBridge(
    Action<StatusTransition>? onTransition, Action<AgendaTask>? onNewTask, Action<TierChange>? onTierChange,
    object? owner)
{
    /// <summary>One run on this thread: the engine (rule names) and the portfolio (ids), the rep ids
    /// once looked up.</summary>
    internal sealed class RunContext(StatusEngine engine, nint portfolio)
    {
        internal StatusEngine Engine { get; } = engine;
        internal nint Portfolio { get; } = portfolio;
        internal string[]? RepIds { get; set; }
    }

    // The library calls the handlers on the thread that runs the automation.
    [ThreadStatic]
    private static RunContext? t_context;

    internal static RunContext? Enter(RunContext context)
    {
        RunContext? outer = t_context;
        t_context = context;
        return outer;
    }

    internal static void Leave(RunContext? outer) => t_context = outer;

    /// <summary>The vtable (a function for each kind the bridge takes) and user_data for
    /// carteira_automation_add_handler. From here on the library owns user_data: it calls
    /// <see cref="Destroy"/> exactly once, also when add_handler fails.</summary>
    internal static nint Register(HandlerBridge bridge, out NativeAutomationVtable vtable)
    {
        vtable = NativeAutomationVtable.Init();
#if NET5_0_OR_GREATER
        if (bridge._onTransition is not null) vtable.OnTransition = &OnTransition;
        if (bridge._onNewTask is not null) vtable.OnNewTask = &OnNewTask;
        if (bridge._onTierChange is not null) vtable.OnTierChange = &OnTierChange;
        vtable.Destroy = &Destroy;
#else
        if (bridge._onTransition is not null)
        {
            vtable.OnTransition = (delegate* unmanaged[Cdecl]<void*, NativeTransitionEvent*, nint, int>)s_onTransitionPointer;
        }
        if (bridge._onNewTask is not null)
        {
            vtable.OnNewTask = (delegate* unmanaged[Cdecl]<void*, NativeTask*, nint, int>)s_onNewTaskPointer;
        }
        if (bridge._onTierChange is not null)
        {
            vtable.OnTierChange = (delegate* unmanaged[Cdecl]<void*, NativeTierChange*, nint, int>)s_onTierChangePointer;
        }
        vtable.Destroy = (delegate* unmanaged[Cdecl]<void*, void>)s_destroyPointer;
#endif
        return GCHandle.ToIntPtr(GCHandle.Alloc(bridge));
    }

#if !NET5_0_OR_GREATER
    // netstandard2.0 has no [UnmanagedCallersOnly]: the library calls the
    // handlers and Destroy through thunks of these delegates. Static fields
    // keep them (and so the thunks) alive for the process: an automation may
    // call Destroy late, from its release on the finalizer thread.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int TransitionCallback(void* userData, NativeTransitionEvent* e, nint call);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int NewTaskCallback(void* userData, NativeTask* t, nint call);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int TierChangeCallback(void* userData, NativeTierChange* c, nint call);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void DestroyCallback(void* userData);

    private static readonly TransitionCallback s_onTransition = OnTransition;
    private static readonly NewTaskCallback s_onNewTask = OnNewTask;
    private static readonly TierChangeCallback s_onTierChange = OnTierChange;
    private static readonly DestroyCallback s_destroy = Destroy;
    private static readonly nint s_onTransitionPointer = Marshal.GetFunctionPointerForDelegate(s_onTransition);
    private static readonly nint s_onNewTaskPointer = Marshal.GetFunctionPointerForDelegate(s_onNewTask);
    private static readonly nint s_onTierChangePointer = Marshal.GetFunctionPointerForDelegate(s_onTierChange);
    private static readonly nint s_destroyPointer = Marshal.GetFunctionPointerForDelegate(s_destroy);
#endif

    /// <summary>Releases user_data the library never received (the call did not happen).</summary>
    internal static void Unregister(nint userData) => Release((void*)userData);

    private readonly Action<StatusTransition>? _onTransition = onTransition;
    private readonly Action<AgendaTask>? _onNewTask = onNewTask;
    private readonly Action<TierChange>? _onTierChange = onTierChange;

    private static HandlerBridge Of(void* userData) => (HandlerBridge)GCHandle.FromIntPtr((nint)userData).Target!;

    private static RunContext Context =>
        t_context ?? throw new InvalidOperationException("a C# handler runs only within Automation.Run");

    // No managed exception may unwind into the library: every one is caught,
    // reported through carteira_automation_call_set_error, and turned into a
    // status code (a CarteiraException keeps its own).
    private static int Failed(nint call, Exception e)
    {
        try
        {
            _ = NativeMethods.carteira_automation_call_set_error(call, $"{e.GetType().FullName}: {e.Message}");
        }
#pragma warning disable CA1031 // nothing may cross into native code
        catch
        {
            // Without the message the library reports the status code alone.
        }
#pragma warning restore CA1031
        return e is CarteiraException { Code: not CarteiraStatus.Ok } c ? (int)c.Code : (int)CarteiraStatus.Internal;
    }

#pragma warning disable CA1031 // catch everything: nothing may cross into native code
#if NET5_0_OR_GREATER
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
#endif
    private static int OnTransition(void* userData, NativeTransitionEvent* e, nint call)
    {
        try
        {
            RunContext context = Context;
            string rule = context.Engine.TryRuleName(e->Rule) ?? $"rule {e->Rule}";
            var transition = new StatusTransition(e->Customer, Utf8.Decode(e->CustomerId), (Lifecycle)e->From,
                                                  (Lifecycle)e->To, Dates.FromDays(e->Date), e->Rule, rule);
            Of(userData)._onTransition!(transition);
            return (int)CarteiraStatus.Ok;
        }
        catch (Exception ex)
        {
            return Failed(call, ex);
        }
    }

#if NET5_0_OR_GREATER
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
#endif
    private static int OnNewTask(void* userData, NativeTask* t, nint call)
    {
        try
        {
            RunContext context = Context;
            context.RepIds ??= Carteira.Portfolio.AllRepIds(context.Portfolio);
            string customerId = Carteira.Portfolio.CustomerIds(context.Portfolio, [t->Customer])[0];
            var task = new AgendaTask(Utf8.Decode(t->Key), t->Customer, customerId,
                                      t->Rep < 0 ? null : context.RepIds[t->Rep], (TaskType)t->Type,
                                      Dates.FromDays(t->Due), Dates.FromDays(t->Anchor), t->Overdue != 0, t->Priority,
                                      Utf8.Decode(t->Reason));
            Of(userData)._onNewTask!(task);
            return (int)CarteiraStatus.Ok;
        }
        catch (Exception ex)
        {
            return Failed(call, ex);
        }
    }

#if NET5_0_OR_GREATER
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
#endif
    private static int OnTierChange(void* userData, NativeTierChange* c, nint call)
    {
        try
        {
            var change = new TierChange(c->Customer, Utf8.Decode(c->CustomerId),
                                        c->FromName == null ? null : Utf8.Decode(c->FromName),
                                        c->ToName == null ? null : Utf8.Decode(c->ToName), Dates.FromDays(c->From),
                                        Dates.FromDays(c->To), c->Spend);
            Of(userData)._onTierChange!(change);
            return (int)CarteiraStatus.Ok;
        }
        catch (Exception ex)
        {
            return Failed(call, ex);
        }
    }
#pragma warning restore CA1031

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
            var self = (HandlerBridge)handle.Target!;
            handle.Free();
            (self._owner as IDisposable)?.Dispose();
        }
        catch
        {
            // A handler's Dispose failed; there is no one to tell.
        }
#pragma warning restore CA1031
    }

    private readonly object? _owner = owner;
}
