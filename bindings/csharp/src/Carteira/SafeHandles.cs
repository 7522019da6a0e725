// One SafeHandle per C handle type: the runtime then guarantees the destroy
// call exactly once, even with a finalizer, and keeps the handle alive for
// the duration of every native call that takes it.
using System;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace Carteira;

/// <summary>carteira_portfolio*.</summary>
internal sealed class PortfolioHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PortfolioHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_portfolio_destroy(handle);
        return true;
    }
}

/// <summary>carteira_import_report*.</summary>
internal sealed class ImportReportHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ImportReportHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_import_report_destroy(handle);
        return true;
    }
}

/// <summary>carteira_summary*.</summary>
internal sealed class SummaryHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SummaryHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_summary_destroy(handle);
        return true;
    }
}

/// <summary>carteira_status_policy*.</summary>
internal sealed class StatusPolicyHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StatusPolicyHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_status_policy_destroy(handle);
        return true;
    }
}

/// <summary>
/// Keeps a native portfolio alive for the status engine and the tables made
/// from it, which point into it: it holds one reference on the portfolio's
/// handle (taken while the Portfolio was open), so disposing the Portfolio
/// only marks it closed and the native portfolio is destroyed after the last
/// engine or table that leases it. Counted by hand rather than a SafeHandle:
/// the engine and table handles release it from their ReleaseHandle, which
/// the runtime runs exactly once, finalizer included.
/// </summary>
internal sealed class PortfolioLease
{
    private readonly PortfolioHandle _portfolio;
    private int _references;

    /// <summary>Leases an open portfolio; the lease starts with one reference (the caller's).</summary>
    /// <exception cref="ObjectDisposedException">The portfolio handle is closed.</exception>
    internal PortfolioLease(PortfolioHandle portfolio)
    {
        bool added = false;
        portfolio.DangerousAddRef(ref added);
        _portfolio = portfolio;
        _references = 1;
    }

    /// <summary>The carteira_portfolio*, valid while a reference is held.</summary>
    internal nint Pointer => _portfolio.DangerousGetHandle();

    /// <summary>Another reference; only while the caller holds one already.</summary>
    internal void AddRef()
    {
        int before = Interlocked.Increment(ref _references) - 1;
        if (before <= 0) throw new InvalidOperationException("portfolio lease used after its release");
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) _portfolio.DangerousRelease();
    }
}

/// <summary>carteira_status_engine*, and the portfolio it reads.</summary>
internal sealed class StatusEngineHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StatusEngineHandle() : base(ownsHandle: true) { }

    /// <summary>Set right after a successful create; released after the engine.</summary>
    internal PortfolioLease? Lease { get; set; }

    protected override bool ReleaseHandle()
    {
        // Destroying the engine runs the destroy callback of every plugin rule.
        NativeMethods.carteira_status_engine_destroy(handle);
        Lease?.Release();
        return true;
    }
}

/// <summary>carteira_status_table*, and the portfolio its reasons read.</summary>
internal sealed class StatusTableHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StatusTableHandle() : base(ownsHandle: true) { }

    internal PortfolioLease? Lease { get; set; }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_status_table_destroy(handle);
        Lease?.Release();
        return true;
    }
}

/// <summary>carteira_status_transitions*.</summary>
internal sealed class StatusTransitionsHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StatusTransitionsHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_status_transitions_destroy(handle);
        return true;
    }
}

/// <summary>carteira_model*.</summary>
internal sealed class ModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ModelHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_model_destroy(handle);
        return true;
    }
}

internal sealed class StoreHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StoreHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_store_close(handle);
        return true;
    }
}

/// <summary>carteira_plan_pipeline*.</summary>
internal sealed class PlanPipelineHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PlanPipelineHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        // Destroying the pipeline runs the destroy callback of every plugin policy.
        NativeMethods.carteira_plan_pipeline_destroy(handle);
        return true;
    }
}

/// <summary>carteira_plan*, and the portfolio whose ids it reads.</summary>
internal sealed class PlanHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PlanHandle() : base(ownsHandle: true) { }

    internal PortfolioLease? Lease { get; set; }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_plan_destroy(handle);
        Lease?.Release();
        return true;
    }
}

/// <summary>carteira_agenda*, and the portfolio whose ids its tasks name.</summary>
internal sealed class AgendaHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public AgendaHandle() : base(ownsHandle: true) { }

    internal PortfolioLease? Lease { get; set; }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_agenda_destroy(handle);
        Lease?.Release();
        return true;
    }
}

/// <summary>carteira_loyalty_ledger*, and the portfolio whose purchases it reads.</summary>
internal sealed class LoyaltyLedgerHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public LoyaltyLedgerHandle() : base(ownsHandle: true) { }

    internal PortfolioLease? Lease { get; set; }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_loyalty_ledger_destroy(handle);
        Lease?.Release();
        return true;
    }
}

/// <summary>carteira_automation*.</summary>
internal sealed class AutomationHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public AutomationHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        // Destroying the automation runs the destroy callback of every handler.
        NativeMethods.carteira_automation_destroy(handle);
        return true;
    }
}

/// <summary>carteira_automation_report*.</summary>
internal sealed class AutomationReportHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public AutomationReportHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_automation_report_destroy(handle);
        return true;
    }
}
