// Plugin redistribution policies written in C#: what a policy sees (the
// plan state, its customers and reps) and the bridge to
// carteira_policy_vtable (a GCHandle as user_data, static unmanaged callbacks
// as run and destroy: on .NET 5+ [UnmanagedCallersOnly] methods, on
// netstandard2.0 the same methods through delegates that live as long as the
// process).
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Carteira;

/// <summary>
/// A plugin redistribution policy (see <see cref="PlanPipeline.AddPolicy(string, IPlanPolicy)"/>).
/// It runs once per plan, after the policies before it in the pipeline, and
/// proposes moves through <see cref="PlanState.Move(uint, int, string, string)"/> and
/// <see cref="PlanState.Unplace(uint, string, string)"/>; it must be
/// deterministic. An exception it throws fails the build with a
/// <see cref="CarteiraException"/> naming the policy, the exception as its
/// InnerException. If the policy is also <see cref="IDisposable"/>, the
/// pipeline disposes it once, when the pipeline is released (or when adding
/// it fails).
/// </summary>
public interface IPlanPolicy
{
    /// <summary>Reads <paramref name="state"/> and proposes moves through it.</summary>
    void Run(PlanState state);
}

/// <summary>One customer as a plugin policy sees it, after the earlier policies' moves.</summary>
/// <param name="Holder">Its rep's index; -1 = none.</param>
/// <param name="Status">Its status on the plan's date.</param>
/// <param name="Locked">A key account or pinned: it never moves.</param>
/// <param name="Moved">An earlier policy moved it (a customer moves once per plan).</param>
/// <param name="DaysSinceLast">Days since its last purchase; -1 without one.</param>
/// <param name="HolderLastTouch">Its rep's last sale to it or contact with it; null if none.</param>
/// <param name="Value">Net revenue in the value window, minor units.</param>
/// <param name="Weight">Its load weight.</param>
public readonly record struct PlanCustomer(
    int Holder, Lifecycle Status, bool Locked, bool Moved, int DaysSinceLast, DateOnly? HolderLastTouch, long Value,
    long Weight);

/// <summary>A rep's book as a plugin policy sees it: customers and load now, and whether the rep
/// is available (active and not away on the plan's date).</summary>
public readonly record struct PlanRep(long Customers, long Load, bool Available);

/// <summary>
/// What a plugin policy sees and changes. Valid only during the policy's run;
/// afterwards every member throws <see cref="InvalidOperationException"/>.
/// Customers and reps are given by index or by id.
/// </summary>
public sealed unsafe class PlanState
{
    private nint _state;
    private readonly nint _portfolio;
    private readonly PluginPolicy.BuildContext _context;

    internal PlanState(nint state, nint portfolio, PluginPolicy.BuildContext context)
    {
        _state = state;
        _portfolio = portfolio;
        _context = context;
    }

    internal void Invalidate() => _state = 0;

    private nint State =>
        _state != 0 ? _state : throw new InvalidOperationException("PlanState is only valid during its policy's run");

    /// <summary>The portfolio being planned; read it, do not change it during the run.</summary>
    public Portfolio Portfolio
    {
        get
        {
            _ = State;
            return _context.Portfolio;
        }
    }

    /// <summary>The plan's date.</summary>
    public DateOnly AsOf
    {
        get
        {
            Errors.Check(NativeMethods.carteira_plan_state_as_of(State, out int day));
            return Dates.FromDays(day);
        }
    }

    /// <summary>Customers of the portfolio: indices run from 0 to CustomerCount - 1.</summary>
    public int CustomerCount => checked((int)Portfolio.Counts.Customers);

    /// <summary>Reps of the portfolio: indices run from 0 to RepCount - 1.</summary>
    public int RepCount => checked((int)Portfolio.Counts.Reps);

    /// <summary>The customer at <paramref name="index"/> as the policy sees it now.</summary>
    /// <exception cref="CarteiraOutOfRangeException">No such customer.</exception>
    public PlanCustomer Customer(uint index)
    {
        NativePlanCustomer c = NativePlanCustomer.Init();
        Errors.Check(NativeMethods.carteira_plan_state_customer(State, index, &c));
        return new PlanCustomer(c.Holder, (Lifecycle)c.Status, c.Locked != 0, c.Moved != 0, c.DaysSinceLast,
                                c.HolderLastTouch == Dates.NoDay ? null : Dates.FromDays(c.HolderLastTouch), c.Value,
                                c.Weight);
    }

    /// <summary>The customer with id <paramref name="customerId"/> as the policy sees it now.</summary>
    /// <exception cref="CarteiraNotFoundException">No customer has this id.</exception>
    public PlanCustomer Customer(string customerId) => Customer(Portfolio.FindCustomer(customerId));

    /// <summary>The rep at <paramref name="index"/>: its book now and whether it is available.</summary>
    /// <exception cref="CarteiraOutOfRangeException">No such rep.</exception>
    public PlanRep Rep(int index)
    {
        Errors.Check(NativeMethods.carteira_plan_state_rep(State, index, out long customers, out long load,
                                                          out int available));
        return new PlanRep(customers, load, available != 0);
    }

    /// <summary>The rep with id <paramref name="repId"/>; see <see cref="Rep(int)"/>.</summary>
    public PlanRep Rep(string repId) => Rep(Portfolio.FindRep(repId));

    /// <summary>The id of the customer at <paramref name="index"/>.</summary>
    public string CustomerId(uint index)
    {
        _ = State;
        return Carteira.Portfolio.CustomerIds(_portfolio, [index])[0];
    }

    /// <summary>The id of the rep at <paramref name="index"/>; null for -1 (no rep). The ids are
    /// looked up once per build, when first asked.</summary>
    public string? RepId(int index)
    {
        _ = State;
        if (index < 0) return null;
        _context.RepIds ??= Carteira.Portfolio.AllRepIds(_portfolio);
        return _context.RepIds[index];
    }

    /// <summary>Moves the customer at <paramref name="customer"/> to the rep at <paramref name="toRep"/>;
    /// the move carries this policy's name, <paramref name="reason"/> (a short code) and
    /// <paramref name="explanation"/>.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">The customer is locked, already moved, or
    /// already with that rep (nothing is done).</exception>
    /// <exception cref="CarteiraOutOfRangeException">No such customer or rep.</exception>
    public void Move(uint customer, int toRep, string reason = "", string explanation = "")
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(explanation);
        Utf8.ThrowIfNul(reason, nameof(reason));
        Utf8.ThrowIfNul(explanation, nameof(explanation));
        Errors.Check(NativeMethods.carteira_plan_state_move(State, customer, toRep, reason, explanation));
    }

    /// <summary>As <see cref="Move(uint, int, string, string)"/>, the customer and rep by id.</summary>
    public void Move(string customerId, string toRepId, string reason = "", string explanation = "") =>
        Move(Portfolio.FindCustomer(customerId), Portfolio.FindRep(toRepId), reason, explanation);

    /// <summary>Records that the policy could not place the customer at <paramref name="customer"/>,
    /// and why: <paramref name="constraint"/> (a short code such as "capacity") and
    /// <paramref name="explanation"/>.</summary>
    public void Unplace(uint customer, string constraint, string explanation = "")
    {
        ArgumentNullException.ThrowIfNull(constraint);
        ArgumentNullException.ThrowIfNull(explanation);
        Utf8.ThrowIfNul(constraint, nameof(constraint));
        Utf8.ThrowIfNul(explanation, nameof(explanation));
        Errors.Check(NativeMethods.carteira_plan_state_unplace(State, customer, constraint, explanation));
    }

    /// <summary>As <see cref="Unplace(uint, string, string)"/>, the customer by id.</summary>
    public void Unplace(string customerId, string constraint, string explanation = "") =>
        Unplace(Portfolio.FindCustomer(customerId), constraint, explanation);
}

/// <summary>A registered C# policy: what the GCHandle passed as user_data holds.</summary>
internal sealed unsafe class PluginPolicy
{
    /// <summary>One build on this thread: the portfolio planned on, its rep ids once looked up,
    /// and the exception a policy threw.</summary>
    internal sealed class BuildContext(Portfolio portfolio)
    {
        internal Portfolio Portfolio { get; } = portfolio;
        internal string[]? RepIds { get; set; }
        internal Exception? Exception { get; set; }
    }

    // The library runs policies on the thread that builds the plan.
    [ThreadStatic]
    private static BuildContext? t_context;

    private readonly IPlanPolicy _policy;

    private PluginPolicy(IPlanPolicy policy) => _policy = policy;

    /// <summary>
    /// The vtable and user_data for carteira_plan_pipeline_add_policy. From
    /// here on the library owns user_data: it calls <see cref="Destroy"/>
    /// exactly once, also when add_policy fails.
    /// </summary>
    internal static nint Register(IPlanPolicy policy, out NativePolicyVtable vtable)
    {
        vtable = NativePolicyVtable.Init();
#if NET5_0_OR_GREATER
        vtable.Run = &Run;
        vtable.Destroy = &Destroy;
#else
        vtable.Run = (delegate* unmanaged[Cdecl]<void*, nint, nint, int>)s_runPointer;
        vtable.Destroy = (delegate* unmanaged[Cdecl]<void*, void>)s_destroyPointer;
#endif
        return GCHandle.ToIntPtr(GCHandle.Alloc(new PluginPolicy(policy)));
    }

    /// <summary>Releases user_data the library never received (the call did not happen).</summary>
    internal static void Unregister(nint userData) => Release((void*)userData);

    /// <summary>Starts a build on this thread; returns the context it replaces (builds may nest).</summary>
    internal static BuildContext? Enter(BuildContext context)
    {
        BuildContext? outer = t_context;
        t_context = context;
        return outer;
    }

    internal static void Leave(BuildContext? outer) => t_context = outer;

#if !NET5_0_OR_GREATER
    // netstandard2.0 has no [UnmanagedCallersOnly]: the library calls Run and
    // Destroy through thunks of these delegates. Static fields keep them (and
    // so the thunks) alive for the process: any pipeline may call Destroy
    // late, from its release on the finalizer thread.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int RunCallback(void* userData, nint portfolio, nint state);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void DestroyCallback(void* userData);

    private static readonly RunCallback s_run = Run;
    private static readonly DestroyCallback s_destroy = Destroy;
    private static readonly nint s_runPointer = Marshal.GetFunctionPointerForDelegate(s_run);
    private static readonly nint s_destroyPointer = Marshal.GetFunctionPointerForDelegate(s_destroy);
#endif

    // No managed exception may unwind into the library: every one is caught,
    // reported through carteira_plan_state_set_error, and turned into a
    // status code (a CarteiraException keeps its own).
#if NET5_0_OR_GREATER
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
#endif
    private static int Run(void* userData, nint portfolio, nint state)
    {
        BuildContext? context = t_context;
        try
        {
            var self = (PluginPolicy)GCHandle.FromIntPtr((nint)userData).Target!;
            if (context is null) throw new InvalidOperationException("a C# policy runs only within Plan.Build");
            var s = new PlanState(state, portfolio, context);
            try
            {
                self._policy.Run(s);
            }
            finally
            {
                s.Invalidate();
            }
            return (int)CarteiraStatus.Ok;
        }
#pragma warning disable CA1031 // catch everything: nothing may cross into native code
        catch (Exception e)
        {
            if (context is not null) context.Exception ??= e;
            try
            {
                _ = NativeMethods.carteira_plan_state_set_error(state, $"{e.GetType().FullName}: {e.Message}");
            }
            catch
            {
                // Without the message the library reports the status code alone.
            }
            return e is CarteiraException { Code: not CarteiraStatus.Ok } c ? (int)c.Code : (int)CarteiraStatus.Internal;
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
            var self = (PluginPolicy)handle.Target!;
            handle.Free();
            (self._policy as IDisposable)?.Dispose();
        }
        catch
        {
            // A policy's Dispose failed; there is no one to tell.
        }
#pragma warning restore CA1031
    }

    /// <summary>Adapts a delegate to <see cref="IPlanPolicy"/>.</summary>
    internal sealed class DelegatePolicy(Action<PlanState> run) : IPlanPolicy
    {
        public void Run(PlanState state) => run(state);
    }
}
