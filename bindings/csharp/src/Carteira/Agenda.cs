// carteira_agenda: what each rep should do as of a date (renewals,
// reactivations, visits, NPS surveys, follow-ups), with due dates,
// priorities and reasons (docs/actions.md).
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Carteira;

/// <summary>carteira_task_type.</summary>
public enum TaskType
{
    /// <summary>A contract ends soon and nothing renews it ("carteira de renovação").</summary>
    Renewal = 0,
    /// <summary>The customer just became at risk or inactive.</summary>
    Reactivation = 1,
    /// <summary>A field visit, by ABC cadence.</summary>
    Visit = 2,
    /// <summary>Ask for an NPS answer after a purchase.</summary>
    NpsSurvey = 3,
    /// <summary>Call after a purchase.</summary>
    FollowUp = 4,
    /// <summary>A sales call before the customer's next purchase window opens, with the top
    /// cross-sell offer. Not in the default set: ask for it in <see cref="AgendaOptions.Types"/>.</summary>
    PurchaseWindow = 5,
}

/// <summary>The library's names of <see cref="TaskType"/> values ("nps_survey", ...).</summary>
public static unsafe class TaskTypes
{
    /// <summary>The snake_case name the library's outputs and keys use.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a task type the library knows.</exception>
    public static string Name(this TaskType type)
    {
        CarteiraLibrary.EnsureCompatible();
        byte* name = NativeMethods.carteira_task_type_name((int)type);
        if (name == null) throw new ArgumentOutOfRangeException(nameof(type), type, "not a carteira_task_type value");
        return Utf8.Decode(name);
    }

    /// <summary>The task type named <paramref name="name"/>.</summary>
    /// <exception cref="CarteiraArgumentException">An unknown name; the message lists the known ones.</exception>
    public static TaskType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Utf8.ThrowIfNul(name, nameof(name));
        CarteiraLibrary.EnsureCompatible();
        Errors.Check(NativeMethods.carteira_task_type_parse(name, out int type));
        return (TaskType)type;
    }
}

/// <summary>One task of an agenda.</summary>
/// <param name="Key">"type:customer id:anchor[:stage]": the same from one day to the next while the
/// task is open, so a host that stores keys shows each task once.</param>
/// <param name="CustomerIndex">The customer's index.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="RepId">Its rep on the as-of date; null when it has none.</param>
/// <param name="Type">The task type.</param>
/// <param name="Due">When it is due.</param>
/// <param name="Anchor">The contract end, transition, last visit or purchase day it comes from.</param>
/// <param name="Overdue">Due before the as-of date.</param>
/// <param name="Priority">0 to 100.</param>
/// <param name="Reason">Why, in words with the figures.</param>
public sealed record AgendaTask(string Key, uint CustomerIndex, string CustomerId, string? RepId, TaskType Type,
                                DateOnly Due, DateOnly Anchor, bool Overdue, int Priority, string Reason);

/// <summary>The agenda's options; the defaults are the core's (docs/actions.md).</summary>
public sealed class AgendaOptions
{
    /// <summary>Tasks due up to the as-of date plus this many days.</summary>
    public int HorizonDays { get; init; } = 7;
    /// <summary>Only these task types; null (the default) for every type but
    /// <see cref="TaskType.PurchaseWindow"/>, which is asked for.</summary>
    public IReadOnlyList<TaskType>? Types { get; init; }
    /// <summary>A renewal task from this many days before the contract ends.</summary>
    public int RenewalLeadDays { get; init; } = 60;
    /// <summary>Its urgent stage from this many days before the end.</summary>
    public int RenewalUrgentDays { get; init; } = 15;
    /// <summary>The statuses that open a reactivation task; null for at risk and inactive.</summary>
    public IReadOnlyList<Lifecycle>? ReactivationStatuses { get; init; }
    /// <summary>A transition older than this many days opens no reactivation task.</summary>
    public int ReactivationWindowDays { get; init; } = 30;
    /// <summary>The interaction channels that count as visits; null for "visit" and "visita".</summary>
    public IReadOnlyList<string>? VisitChannels { get; init; }
    /// <summary>Days between visits for classes A, B and C (and unclassed customers).</summary>
    public (int A, int B, int C) VisitDays { get; init; } = (30, 60, 90);
    /// <summary>An NPS survey this many days after a purchase.</summary>
    public int NpsAfterPurchaseDays { get; init; } = 7;
    /// <summary>No survey within this many days of the last answer.</summary>
    public int NpsMinIntervalDays { get; init; } = 90;
    /// <summary>No survey about a purchase older than this.</summary>
    public int NpsMaxAgeDays { get; init; } = 30;
    /// <summary>A follow-up this many days after a purchase.</summary>
    public int FollowUpAfterDays { get; init; } = 3;
    /// <summary>No follow-up of a purchase older than this.</summary>
    public int FollowUpMaxAgeDays { get; init; } = 14;
    /// <summary>A purchase-window call this many days before the window opens.</summary>
    public int PurchaseWindowLeadDays { get; init; } = 2;
    /// <summary>No call for a window open longer than this.</summary>
    public int PurchaseWindowMaxAgeDays { get; init; } = 14;
    /// <summary>A value per customer index (e.g. a model's lifetime value) ranking priorities;
    /// null: the revenue of the last 365 days.</summary>
    public double[]? ExpectedValue { get; init; }

    // Fills the native struct; the caller pins visitChannels and ExpectedValue
    // for as long as the library reads them.
    internal void Fill(ref NativeAgendaOptions o)
    {
        o.HorizonDays = HorizonDays;
        if (Types is not null)
        {
            uint mask = 0;
            foreach (TaskType t in Types) mask |= 1u << (int)t; // 0 (none) is refused by the library
            o.TaskTypes = mask;
        }
        o.RenewalLeadDays = RenewalLeadDays;
        o.RenewalUrgentDays = RenewalUrgentDays;
        if (ReactivationStatuses is not null)
        {
            uint mask = 0;
            foreach (Lifecycle s in ReactivationStatuses) mask |= 1u << (int)s;
            o.ReactivationStatuses = mask;
        }
        o.ReactivationWindowDays = ReactivationWindowDays;
        (o.VisitDaysA, o.VisitDaysB, o.VisitDaysC) = VisitDays;
        o.NpsAfterPurchaseDays = NpsAfterPurchaseDays;
        o.NpsMinIntervalDays = NpsMinIntervalDays;
        o.NpsMaxAgeDays = NpsMaxAgeDays;
        o.FollowUpAfterDays = FollowUpAfterDays;
        o.FollowUpMaxAgeDays = FollowUpMaxAgeDays;
        o.PurchaseWindowLeadDays = PurchaseWindowLeadDays;
        o.PurchaseWindowMaxAgeDays = PurchaseWindowMaxAgeDays;
    }

    // The '|'-separated channel names, NUL-terminated; null for the default.
    internal byte[]? VisitChannelBytes()
    {
        if (VisitChannels is null) return null;
        foreach (string c in VisitChannels)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(VisitChannels));
            if (c.Contains('|', StringComparison.Ordinal))
            {
                throw new ArgumentException($"channel '{c}' contains '|', which separates the names", nameof(VisitChannels));
            }
        }
        return Utf8.NulTerminated(string.Join('|', VisitChannels), nameof(VisitChannels));
    }

    // The native options, filled and with their arrays pinned until disposed.
    internal NativeAgendaScope Pin(int asOf)
    {
        NativeAgendaOptions o = NativeAgendaOptions.Init();
        o.AsOf = asOf;
        Fill(ref o);
        return new NativeAgendaScope(o, VisitChannelBytes(), ExpectedValue);
    }
}

/// <summary>carteira_agenda_options with the arrays it points to pinned, until disposed.</summary>
internal sealed unsafe class NativeAgendaScope : IDisposable
{
    private GCHandle _channels, _values;

    internal NativeAgendaScope(NativeAgendaOptions options, byte[]? channels, double[]? values)
    {
        if (channels is not null)
        {
            _channels = GCHandle.Alloc(channels, GCHandleType.Pinned);
            options.VisitChannels = (byte*)_channels.AddrOfPinnedObject();
        }
        if (values is not null)
        {
            _values = GCHandle.Alloc(values, GCHandleType.Pinned);
            options.ExpectedValue = (double*)_values.AddrOfPinnedObject();
            options.ExpectedValueCount = (nuint)values.Length;
        }
        Options = options;
    }

    internal NativeAgendaOptions Options;

    public void Dispose()
    {
        if (_channels.IsAllocated) _channels.Free();
        if (_values.IsAllocated) _values.Free();
    }
}

/// <summary>
/// The agenda of a portfolio as of a date (<see cref="Build"/>): tasks in
/// (due, -priority, customer id, type) order. It keeps the native portfolio
/// alive (its ids are read through it). Dispose it to free the native memory
/// (a finalizer does it otherwise).
/// </summary>
public sealed unsafe class Agenda : IDisposable
{
    private readonly AgendaHandle _handle;
    private ReadOnlyCollection<AgendaTask>? _tasks;

    private Agenda(AgendaHandle handle, DateOnly asOf, int count)
    {
        _handle = handle;
        AsOf = asOf;
        Count = count;
    }

    /// <summary>What each rep should do as of <paramref name="asOf"/>, read through the engine's
    /// portfolio (its statuses and transitions come from <paramref name="engine"/>).</summary>
    /// <exception cref="CarteiraArgumentException">Bad options (a negative horizon, no task type,
    /// expected values not one per customer...).</exception>
    public static Agenda Build(StatusEngine engine, DateOnly asOf, AgendaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        StatusEngineHandle engineHandle = engine.Handle;
        options ??= new AgendaOptions();
        PortfolioLease lease = StatusEngine.TableLease(engineHandle);
        bool adopted = false;
        try
        {
            CarteiraStatus status;
            AgendaHandle agenda;
            using (NativeAgendaScope scope = options.Pin(Dates.ToDays(asOf)))
            {
                NativeAgendaOptions o = scope.Options;
                status = NativeMethods.carteira_agenda_build(engineHandle, &o, out agenda);
            }
            if (status != CarteiraStatus.Ok)
            {
                agenda.Dispose(); // invalid, so no native call: the last error survives
                Errors.Check(status);
            }
            agenda.Lease = lease;
            adopted = true;
            Errors.Check(NativeMethods.carteira_agenda_size(agenda, out nuint size));
            return new Agenda(agenda, asOf, checked((int)size));
        }
        finally
        {
            if (!adopted) lease.Release();
        }
    }

    private AgendaHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>The agenda's date.</summary>
    public DateOnly AsOf { get; }

    /// <summary>The number of tasks.</summary>
    public int Count { get; }

    /// <summary>The tasks, in agenda order (read once, then kept).</summary>
    public IReadOnlyList<AgendaTask> Tasks
    {
        get
        {
            if (_tasks is null)
            {
                AgendaHandle handle = Handle;
                var native = new NativeTask[Count];
                var keys = new string[Count];
                var reasons = new string[Count];
                var customers = new uint[Count];
                for (int i = 0; i < Count; i++)
                {
                    NativeTask t = NativeTask.Init();
                    Errors.Check(NativeMethods.carteira_agenda_task_get(handle, (nuint)i, &t));
                    native[i] = t;
                    keys[i] = Utf8.Decode(t.Key);
                    reasons[i] = Utf8.Decode(t.Reason);
                    customers[i] = t.Customer;
                }
                string[] ids = Portfolio.CustomerIds(handle.Lease!.Pointer, customers);
                string[] reps = Portfolio.AllRepIds(handle.Lease!.Pointer);
                var tasks = new AgendaTask[Count];
                for (int i = 0; i < Count; i++)
                {
                    NativeTask t = native[i];
                    tasks[i] = new AgendaTask(keys[i], t.Customer, ids[i], t.Rep < 0 ? null : reps[t.Rep], (TaskType)t.Type,
                                              Dates.FromDays(t.Due), Dates.FromDays(t.Anchor), t.Overdue != 0, t.Priority,
                                              reasons[i]);
                }
                _tasks = Array.AsReadOnly(tasks);
            }
            return _tasks;
        }
    }

    /// <summary>Frees the native agenda; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();
}
