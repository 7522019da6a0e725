// One SafeHandle per C handle type: the runtime then guarantees the destroy
// call exactly once, even with a finalizer, and keeps the handle alive for
// the duration of every native call that takes it.
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
