// carteira_plan: a redistribution plan (moves with reasons, customers a
// policy could not place, each rep's figures before and after, fairness),
// JSON out and back, applying it and its inverse.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Carteira;

/// <summary>One move of a plan.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="From">Its rep before; null when it had none.</param>
/// <param name="To">Its new rep.</param>
/// <param name="Policy">The policy that made the move (a plugin's name for a plugin's).</param>
/// <param name="Reason">A short code: unowned, rep_inactive, at_risk_no_contact, long_inactive,
/// load_balance, handover, temporary_handover, or a plugin's.</param>
/// <param name="Explanation">Why, in words with the figures.</param>
/// <param name="Effective">The day the move takes effect.</param>
/// <param name="Until">For a temporary move, the day the customer goes back; otherwise null.</param>
public sealed record PlanMove(string CustomerId, string? From, string To, string Policy, string Reason,
                              string Explanation, DateOnly Effective, DateOnly? Until);

/// <summary>A customer a policy wanted to place or move and could not.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="StaysWith">The rep it stays with; null when it has none.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Constraint">What blocked it: locked, territory, segment, cooldown, move_limit,
/// capacity, no_rep, or a plugin's code.</param>
/// <param name="Explanation">Why, in words with the figures.</param>
public sealed record PlanUnplaced(string CustomerId, string? StaysWith, string Policy, string Constraint,
                                  string Explanation);

/// <summary>A rep's figures before or after a plan; <paramref name="AtRiskValue"/> in minor units.</summary>
public readonly record struct PlanRepFigures(long Customers, long Load, long AtRisk, long AtRiskValue);

/// <summary>Fairness over the available reps' loads: <paramref name="MaxMinRatio"/> is null when the
/// minimum is 0; <paramref name="Gini"/> is 0 when all loads are equal.</summary>
public sealed record PlanFairness(long Reps, long MinLoad, long MaxLoad, double? MaxMinRatio, double Gini);

/// <summary>
/// A redistribution plan: a dry run until <see cref="Apply()"/>. Made by
/// <see cref="Build"/>, <see cref="FromJson"/> or <see cref="Inverse"/>. It keeps the
/// native portfolio alive (its ids are read through it) even if the
/// <see cref="Carteira.Portfolio"/> is disposed first. A plan read from JSON has
/// its id, date and moves, not the figures. Dispose it to free the native
/// memory (a finalizer does it otherwise).
/// </summary>
public sealed unsafe class Plan : IDisposable
{
    private readonly PlanHandle _handle;
    private readonly Portfolio _portfolio;
    private readonly int _asOf;
    private readonly int _moveCount, _unplacedCount, _infeasibleCount;
    private string[]? _repIds;
    private ReadOnlyCollection<PlanMove>? _moves;
    private ReadOnlyCollection<PlanUnplaced>? _unplaced;

    // Takes over a valid handle whose Lease is set.
    private Plan(PlanHandle handle, Portfolio portfolio)
    {
        _handle = handle;
        _portfolio = portfolio;
        try
        {
            NativePlanInfo info = NativePlanInfo.Init();
            Errors.Check(NativeMethods.carteira_plan_info_get(handle, &info));
            Id = Utf8.Decode(info.Id);
            _asOf = info.AsOf;
            _moveCount = checked((int)info.MoveCount);
            _unplacedCount = checked((int)info.UnplacedCount);
            _infeasibleCount = checked((int)info.InfeasibleCount);
            string cursor = Utf8.Decode(info.RoundRobinCursor);
            RoundRobinCursor = cursor.Length == 0 ? null : cursor;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    internal PlanHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    // ---- Making plans ------------------------------------------------------------

    /// <summary>
    /// Runs <paramref name="pipeline"/> on <paramref name="portfolio"/> with its status table, which
    /// fixes the plan's date. The same portfolio, table and pipeline give the same plan.
    /// </summary>
    /// <exception cref="CarteiraFailedPreconditionException">The table was not made from this portfolio
    /// as it is now.</exception>
    /// <exception cref="CarteiraException">A policy failed: the message names it; a C# policy's
    /// exception is the InnerException.</exception>
    public static Plan Build(Portfolio portfolio, StatusTable status, PlanPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(pipeline);
        PortfolioHandle portfolioHandle = portfolio.Handle;
        StatusTableHandle statusHandle = status.Handle;
        PlanPipelineHandle pipelineHandle = pipeline.Handle;
        var context = new PluginPolicy.BuildContext(portfolio);
        return Adopt(portfolio, new PortfolioLease(portfolioHandle), () =>
        {
            PluginPolicy.BuildContext? outer = PluginPolicy.Enter(context);
            try
            {
                CarteiraStatus result = NativeMethods.carteira_plan_build(
                    portfolioHandle, statusHandle, pipelineHandle, out PlanHandle plan);
                return (result, plan, context.Exception);
            }
            finally
            {
                PluginPolicy.Leave(outer);
            }
        });
    }

    /// <summary>Reads a plan written by <see cref="ToJson"/>, its ids resolved in <paramref name="portfolio"/>.</summary>
    /// <exception cref="CarteiraArgumentException">Not a plan, or an unknown id; the message names the move
    /// and the field ("plan: moves[0].to: rep R99 is not in the portfolio").</exception>
    public static Plan FromJson(Portfolio portfolio, string json)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(json);
        Utf8.ThrowIfNul(json, nameof(json));
        PortfolioHandle portfolioHandle = portfolio.Handle;
        return Adopt(portfolio, new PortfolioLease(portfolioHandle), () =>
        {
            CarteiraStatus result = NativeMethods.carteira_plan_from_json(portfolioHandle, json, out PlanHandle plan);
            return (result, plan, null);
        });
    }

    /// <summary>The plan that moves every customer back on <paramref name="effective"/>; a customer that
    /// had no rep before is listed in its <see cref="Unplaced"/> instead.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">The portfolio merged customers since.</exception>
    public Plan Inverse(DateOnly effective)
    {
        PlanHandle handle = Handle;
        PortfolioLease lease = handle.Lease!;
        lease.AddRef();
        return Adopt(_portfolio, lease, () =>
        {
            CarteiraStatus result = NativeMethods.carteira_plan_inverse(handle, Dates.ToDays(effective), out PlanHandle plan);
            return (result, plan, null);
        });
    }

    // Runs a call that makes a plan and hands the lease (one reference, the
    // caller's) to it; releases the lease if there is no plan.
    private static Plan Adopt(Portfolio portfolio, PortfolioLease lease,
                              Func<(CarteiraStatus, PlanHandle, Exception?)> call)
    {
        bool adopted = false;
        try
        {
            (CarteiraStatus status, PlanHandle plan, Exception? inner) = call();
            if (status != CarteiraStatus.Ok)
            {
                string message = Errors.LastMessage(); // before any other native call
                plan.Dispose(); // invalid: no native call
                if (inner is null) throw Errors.Create(status, message, report: null);
                throw new CarteiraException(status, message.Length == 0 ? $"carteira: {status}" : message, null, inner);
            }
            plan.Lease = lease;
            adopted = true;
            return new Plan(plan, portfolio);
        }
        finally
        {
            if (!adopted) lease.Release();
        }
    }

    // ---- Contents --------------------------------------------------------------------

    /// <summary>"plan-" and 16 hex digits: a hash of the date and the moves.</summary>
    public string Id { get; }

    /// <summary>The plan's date; null for a plan read from JSON without one.</summary>
    public DateOnly? AsOf => _asOf == Dates.NoDay ? null : Dates.FromDays(_asOf);

    /// <summary>The rep the next round robin starts after (pass it to the next run); null when no
    /// round robin ran.</summary>
    public string? RoundRobinCursor { get; }

    /// <summary>The moves, in plan order.</summary>
    public IReadOnlyList<PlanMove> Moves
    {
        get
        {
            if (_moves is null)
            {
                PlanHandle handle = Handle;
                var moves = new PlanMove[_moveCount];
                uint[] customers = new uint[_moveCount];
                var raw = new NativePlanMove[_moveCount];
                for (int i = 0; i < moves.Length; i++)
                {
                    NativePlanMove m = NativePlanMove.Init();
                    Errors.Check(NativeMethods.carteira_plan_move_get(handle, (nuint)i, &m));
                    raw[i] = m;
                    customers[i] = m.Customer;
                }
                string[] ids = CustomerIds(customers);
                for (int i = 0; i < moves.Length; i++)
                {
                    NativePlanMove m = raw[i];
                    moves[i] = new PlanMove(ids[i], RepId(m.From), RepId(m.To)!, Utf8.Decode(m.Policy),
                                            Utf8.Decode(m.Reason), Utf8.Decode(m.Explanation), Dates.FromDays(m.Effective),
                                            m.Until == Dates.NoDay ? null : Dates.FromDays(m.Until));
                }
                _moves = Array.AsReadOnly(moves);
            }
            return _moves;
        }
    }

    /// <summary>The customers a policy wanted to place or move and could not, and why.</summary>
    public IReadOnlyList<PlanUnplaced> Unplaced
    {
        get
        {
            if (_unplaced is null)
            {
                PlanHandle handle = Handle;
                var unplaced = new PlanUnplaced[_unplacedCount];
                uint[] customers = new uint[_unplacedCount];
                var raw = new NativePlanUnplaced[_unplacedCount];
                for (int i = 0; i < unplaced.Length; i++)
                {
                    NativePlanUnplaced u = NativePlanUnplaced.Init();
                    Errors.Check(NativeMethods.carteira_plan_unplaced_get(handle, (nuint)i, &u));
                    raw[i] = u;
                    customers[i] = u.Customer;
                }
                string[] ids = CustomerIds(customers);
                for (int i = 0; i < unplaced.Length; i++)
                {
                    NativePlanUnplaced u = raw[i];
                    unplaced[i] = new PlanUnplaced(ids[i], RepId(u.Holder), Utf8.Decode(u.Policy),
                                                   Utf8.Decode(u.Constraint), Utf8.Decode(u.Explanation));
                }
                _unplaced = Array.AsReadOnly(unplaced);
            }
            return _unplaced;
        }
    }

    /// <summary>The regions a policy could not solve at all, in words with the numbers.</summary>
    public IReadOnlyList<string> Infeasible
    {
        get
        {
            PlanHandle handle = Handle;
            string[] texts = new string[_infeasibleCount];
            for (int i = 0; i < texts.Length; i++)
            {
                Errors.Check(NativeMethods.carteira_plan_infeasible_get(handle, (nuint)i, out byte* text));
                texts[i] = Utf8.Decode(text);
            }
            return Array.AsReadOnly(texts);
        }
    }

    /// <summary>Every rep's figures after the plan (<paramref name="after"/> true) or before it, by rep
    /// id in rep order; empty for a plan read from JSON.</summary>
    public IReadOnlyDictionary<string, PlanRepFigures> RepFigures(bool after)
    {
        PlanHandle handle = Handle;
        string[] repIds = RepIds();
        var figures = new Dictionary<string, PlanRepFigures>(repIds.Length, StringComparer.Ordinal);
        for (int r = 0; r < repIds.Length; r++)
        {
            NativeRepFigures f = NativeRepFigures.Init();
            CarteiraStatus status = NativeMethods.carteira_plan_rep_figures(handle, after ? 1 : 0, r, &f);
            if (status == CarteiraStatus.OutOfRange) break; // reps added since the plan, or a plan without figures
            Errors.Check(status);
            figures.Add(repIds[r], new PlanRepFigures(f.Customers, f.Load, f.AtRisk, f.AtRiskValue));
        }
        return new ReadOnlyDictionary<string, PlanRepFigures>(figures);
    }

    /// <summary>Fairness over the available reps' loads after the plan (<paramref name="after"/> true)
    /// or before it.</summary>
    public PlanFairness Fairness(bool after)
    {
        NativeFairness f = NativeFairness.Init();
        Errors.Check(NativeMethods.carteira_plan_fairness(Handle, after ? 1 : 0, &f));
        return new PlanFairness(f.Reps, f.MinLoad, f.MaxLoad, double.IsNaN(f.MaxMinRatio) ? null : f.MaxMinRatio, f.Gini);
    }

    /// <summary>The plan as JSON (docs/redistribution.md), as the CLI writes it.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">The portfolio merged customers since the plan.</exception>
    public string ToJson()
    {
        Errors.Check(NativeMethods.carteira_plan_to_json(Handle, out byte* json));
        return Utf8.Decode(json);
    }

    // ---- Applying ----------------------------------------------------------------------

    /// <summary>Writes the moves into the assignment history of the plan's portfolio, all or nothing.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">A move no longer starts from the customer's rep
    /// (a stale plan: applied already, or the assignments changed since); the message names the customer.</exception>
    /// <exception cref="ObjectDisposedException">The portfolio was disposed.</exception>
    public void Apply() => Apply(_portfolio);

    /// <summary>As <see cref="Apply()"/>; <paramref name="portfolio"/> must be the plan's.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">Another portfolio, or a stale plan.</exception>
    public void Apply(Portfolio portfolio)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        Errors.Check(NativeMethods.carteira_plan_apply(portfolio.Handle, Handle));
    }

    // ---- Ids -------------------------------------------------------------------------------

    private string[] CustomerIds(uint[] indices)
    {
        PortfolioLease lease = Handle.Lease!;
        lease.AddRef();
        try
        {
            return Carteira.Portfolio.CustomerIds(lease.Pointer, indices);
        }
        finally
        {
            lease.Release();
        }
    }

    private string? RepId(int index) => index < 0 ? null : RepIds()[index];

    private string[] RepIds()
    {
        if (_repIds is null)
        {
            PortfolioLease lease = Handle.Lease!;
            lease.AddRef();
            try
            {
                _repIds = Carteira.Portfolio.AllRepIds(lease.Pointer);
            }
            finally
            {
                lease.Release();
            }
        }
        return _repIds;
    }

    // ---- Lifetime ---------------------------------------------------------------------

    /// <summary>Frees the native plan; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();
}
