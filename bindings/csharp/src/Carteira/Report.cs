// The portfolio report: one self-contained HTML file (docs/report.md).
using System;

namespace Carteira;

/// <summary>The report's language: numbers, dates and labels (carteira_report_language).</summary>
public enum ReportLanguage
{
    /// <summary>1.234,56; 31/10/2026; Portuguese labels.</summary>
    PtBr = 0,

    /// <summary>1,234.56; 2026-10-31; English labels.</summary>
    En = 1,
}

/// <summary>Writes the HTML report (carteira_report_write).</summary>
public static unsafe class Report
{
    /// <summary>Writes <paramref name="portfolio"/>'s report to <paramref name="path"/> atomically
    /// (a temporary file next to it, then a rename; nothing is left behind on failure). Statuses,
    /// segments and books are as of <paramref name="asOf"/> (default the last transaction date),
    /// which ends the period starting at <paramref name="from"/> (default the 365 days to asOf).
    /// <paramref name="currency"/> goes before every amount (null = "R$", "" = none).</summary>
    /// <exception cref="CarteiraNotFoundException">The directory does not exist (the message names
    /// the path).</exception>
    public static void Write(Portfolio portfolio, string path, DateOnly? asOf = null, DateOnly? from = null,
                             ReportLanguage language = ReportLanguage.PtBr, string? currency = null,
                             string? title = null, StatusPolicy? policy = null, SegmentMap? segmentMap = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(path);
        Utf8.ThrowIfNul(path, nameof(path));
        if (!Enum.IsDefined(language)) throw new ArgumentOutOfRangeException(nameof(language));
        byte[]? currencyBytes = Utf8.NulTerminated(currency, nameof(currency));
        byte[]? titleBytes = Utf8.NulTerminated(title, nameof(title));
        NativeReportOptions options = NativeReportOptions.Init();
        options.AsOf = asOf is { } a ? Dates.ToDays(a) : Dates.NoDay;
        options.From = from is { } f ? Dates.ToDays(f) : Dates.NoDay;
        options.Language = (int)language;
        PortfolioHandle portfolioHandle = portfolio.Handle;
        StatusPolicyHandle? policyHandle = policy?.Handle;
        SegmentMapHandle? mapHandle = segmentMap?.Handle;
        bool policyAdded = false, mapAdded = false;
        try
        {
            if (policyHandle is not null)
            {
                policyHandle.DangerousAddRef(ref policyAdded);
                options.Policy = policyHandle.DangerousGetHandle();
            }
            if (mapHandle is not null)
            {
                mapHandle.DangerousAddRef(ref mapAdded);
                options.SegmentMap = mapHandle.DangerousGetHandle();
            }
            fixed (byte* currencyPointer = currencyBytes)
            fixed (byte* titlePointer = titleBytes)
            {
                options.Currency = currencyPointer;
                options.Title = titlePointer;
                Errors.Check(NativeMethods.carteira_report_write(portfolioHandle, &options, path));
            }
        }
        finally
        {
            if (policyAdded) policyHandle!.DangerousRelease();
            if (mapAdded) mapHandle!.DangerousRelease();
        }
    }
}
