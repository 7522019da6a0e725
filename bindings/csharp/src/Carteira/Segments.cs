// Segments (docs/segments.md): RFM scores 1-5 by quintiles, named segments
// from an ordered segment map (with its check), ABC classes by revenue.
using System;
using System.Collections.Generic;
using Microsoft.Win32.SafeHandles;

namespace Carteira;

/// <summary>One rule of a segment map: inclusive score ranges ((1, 5) = any score), and its conditions
/// on customer fields and summary figures (<see cref="Where"/>).</summary>
public sealed record SegmentRule(string Name, (int Lo, int Hi) R, (int Lo, int Hi) F, (int Lo, int Hi) M,
                                 (int Lo, int Hi) FM)
{
    /// <summary>The rule's conditions as text joined by " and "
    /// (<c>region in ["Sul", "Sudeste"] and monetary &gt;= 1500.00</c>); "" without any.</summary>
    public string Where { get; init; } = "";
}

/// <summary>A rule that can never match, and the earlier rules that take all its cells.</summary>
public sealed record ShadowedRule(int Rule, IReadOnlyList<int> CoveredBy);

/// <summary>What the map check finds. Uncovered cells are (r, fm, 0) on the R x FM grid,
/// (r, f, m) on the R x F x M grid.</summary>
public sealed record SegmentMapCheck(bool Ok, bool RFMGrid, IReadOnlyList<ShadowedRule> Shadowed,
                                     IReadOnlyList<(int, int, int)> Uncovered, string Fallback, string Description);

/// <summary>One customer with a purchase: RFM scores, segment and ABC class ("A", "B", "C" or
/// null without positive revenue in the ABC period). Amounts in minor units.</summary>
public sealed record SegmentRow(uint CustomerIndex, string CustomerId, int R, int F, int M, string Rfm,
                                string Segment, string? Abc, long RecencyDays, long Frequency, long Monetary,
                                long AbcRevenue);

/// <summary>The segments of a portfolio as of a date: rows in customer-index order, rows per
/// segment (map order), and the ABC classes' customers and revenue (minor units).</summary>
public sealed record SegmentTable(DateOnly AsOf, DateOnly AbcFrom, IReadOnlyList<SegmentRow> Rows,
                                  IReadOnlyList<KeyValuePair<string, long>> SegmentCounts,
                                  IReadOnlyDictionary<string, long> AbcCustomers,
                                  IReadOnlyDictionary<string, long> AbcRevenue);

/// <summary>carteira_segment_map*.</summary>
internal sealed class SegmentMapHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SegmentMapHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.carteira_segment_map_destroy(handle);
        return true;
    }
}

/// <summary>An ordered list of rules on the R, F, M (or combined FM) scores; the first match
/// names a customer's segment. The JSON format is in docs/segments.md.</summary>
public sealed unsafe class SegmentMap : IDisposable
{
    private readonly SegmentMapHandle _handle;

    private SegmentMap(SegmentMapHandle handle) => _handle = handle;

    internal SegmentMapHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>The usual map on the R x FM grid (champions, loyal, ..., lost).</summary>
    public static SegmentMap Default()
    {
        CarteiraLibrary.EnsureCompatible();
        return Create(NativeMethods.carteira_segment_map_default(out SegmentMapHandle handle), handle);
    }

    /// <summary>Parses a map; errors name the place ("segments[3].fm: ...").</summary>
    public static SegmentMap FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Utf8.ThrowIfNul(json, nameof(json));
        CarteiraLibrary.EnsureCompatible();
        return Create(NativeMethods.carteira_segment_map_from_json(json, out SegmentMapHandle handle), handle);
    }

    /// <summary>Reads a map file.</summary>
    public static SegmentMap FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Utf8.ThrowIfNul(path, nameof(path));
        CarteiraLibrary.EnsureCompatible();
        return Create(NativeMethods.carteira_segment_map_from_file(path, out SegmentMapHandle handle), handle);
    }

    private static SegmentMap Create(CarteiraStatus status, SegmentMapHandle handle)
    {
        if (status != CarteiraStatus.Ok)
        {
            handle.Dispose(); // invalid, so no native call: the last error survives
            Errors.Check(status);
        }
        return new SegmentMap(handle);
    }

    /// <summary>The map as JSON.</summary>
    public string ToJson()
    {
        Errors.Check(NativeMethods.carteira_segment_map_to_json(Handle, out byte* json));
        return Utf8.Decode(json);
    }

    private NativeSegmentMapReport Report()
    {
        NativeSegmentMapReport report = NativeSegmentMapReport.Init();
        Errors.Check(NativeMethods.carteira_segment_map_check(Handle, &report));
        return report;
    }

    /// <summary>The rules, first match first.</summary>
    public IReadOnlyList<SegmentRule> Rules
    {
        get
        {
            var rules = new SegmentRule[checked((int)Report().RuleCount)];
            for (int i = 0; i < rules.Length; i++)
            {
                NativeSegmentRule r = NativeSegmentRule.Init();
                Errors.Check(NativeMethods.carteira_segment_map_rule(Handle, (nuint)i, &r));
                byte* conditions = null;
                Errors.Check(NativeMethods.carteira_segment_map_rule_conditions(Handle, (nuint)i, null, &conditions));
                rules[i] = new SegmentRule(Utf8.Decode(r.Name), (r.RLo, r.RHi), (r.FLo, r.FHi), (r.MLo, r.MHi),
                                           (r.FmLo, r.FmHi)) { Where = Utf8.Decode(conditions) };
            }
            return rules;
        }
    }

    /// <summary>Rules that can never match and cells no rule covers.</summary>
    public SegmentMapCheck Check()
    {
        NativeSegmentMapReport report = Report();
        var shadowed = new ShadowedRule[checked((int)report.ShadowedCount)];
        for (int i = 0; i < shadowed.Length; i++)
        {
            Errors.Check(NativeMethods.carteira_segment_map_shadowed(
                Handle, (nuint)i, out nuint rule, out uint* covered, out nuint count));
            var by = new int[checked((int)count)];
            for (int k = 0; k < by.Length; k++) by[k] = (int)covered[k];
            shadowed[i] = new ShadowedRule((int)rule, by);
        }
        int n = checked((int)report.UncoveredCount);
        byte[] cells = new byte[3 * n];
        fixed (byte* p = cells)
        {
            Errors.Check(NativeMethods.carteira_segment_map_uncovered(Handle, n == 0 ? null : p, (nuint)cells.Length));
        }
        var uncovered = new (int, int, int)[n];
        for (int i = 0; i < n; i++) uncovered[i] = (cells[3 * i], cells[3 * i + 1], cells[3 * i + 2]);
        return new SegmentMapCheck(report.Ok != 0, report.RFMGrid != 0, shadowed, uncovered,
                                   Utf8.Decode(report.Fallback), Utf8.Decode(report.Description));
    }

    /// <summary>Frees the native map.</summary>
    public void Dispose() => _handle.Dispose();
}

/// <summary>RFM scores, segments and ABC classes.</summary>
public static unsafe class Segments
{
    /// <summary>Scores 1-5 by the RFM quintile rule: 1 + floor(5 L / n), L = the values strictly
    /// worse; ties share a score.</summary>
    public static byte[] QuintileScores(ReadOnlySpan<long> values, bool higherIsBetter = true)
    {
        CarteiraLibrary.EnsureCompatible();
        byte[] output = new byte[values.Length];
        fixed (long* v = values)
        fixed (byte* o = output)
        {
            Errors.Check(NativeMethods.carteira_quintile_scores(v, (nuint)values.Length, higherIsBetter ? 1 : 0, o));
        }
        return output;
    }

    /// <summary>"A", "B", "C" for 1, 2, 3; null for 0 (no class).</summary>
    public static string? AbcClassName(int abcClass)
    {
        CarteiraLibrary.EnsureCompatible();
        byte* name = NativeMethods.carteira_abc_class_name(abcClass);
        if (name == null) throw new ArgumentOutOfRangeException(nameof(abcClass), "not an ABC class (0..3)");
        string s = Utf8.Decode(name);
        return s.Length == 0 ? null : s;
    }

    /// <summary>ABC classes of revenues (minor units): "A", "B", "C", or null without
    /// positive revenue.</summary>
    public static string?[] AbcClassify(ReadOnlySpan<long> revenue, double aShare = 0.80, double bShare = 0.15)
    {
        CarteiraLibrary.EnsureCompatible();
        byte[] classes = new byte[revenue.Length];
        fixed (long* r = revenue)
        fixed (byte* o = classes)
        {
            Errors.Check(NativeMethods.carteira_abc_classify(r, (nuint)revenue.Length, aShare, bShare, o));
        }
        return Array.ConvertAll(classes, c => AbcName(c));
    }

    private static string? AbcName(long c) => c switch { 1 => "A", 2 => "B", 3 => "C", _ => null };

    /// <summary>RFM scores, named segment (<paramref name="map"/>, default the usual map) and ABC
    /// class of every customer with a purchase on or before <paramref name="asOf"/>; the ABC
    /// period runs from <paramref name="abcFrom"/> (default asOf - 364 days) to asOf.</summary>
    public static SegmentTable Compute(Portfolio portfolio, DateOnly asOf, SegmentMap? map = null,
                                       double aShare = 0.80, double bShare = 0.15, DateOnly? abcFrom = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        NativeSegmentsOptions options = NativeSegmentsOptions.Init();
        options.AsOf = Dates.ToDays(asOf);
        options.AbcAShare = aShare;
        options.AbcBShare = bShare;
        options.AbcFrom = abcFrom is { } f ? Dates.ToDays(f) : Dates.NoDay;
        PortfolioHandle portfolioHandle = portfolio.Handle;
        bool added = false;
        SegmentMapHandle? mapHandle = map?.Handle;
        nint result;
        try
        {
            if (mapHandle is not null)
            {
                mapHandle.DangerousAddRef(ref added);
                options.Map = mapHandle.DangerousGetHandle();
            }
            Errors.Check(NativeMethods.carteira_segments_compute(portfolioHandle, &options, out result));
        }
        finally
        {
            if (added) mapHandle!.DangerousRelease();
        }
        try
        {
            return Copy(portfolio, result);
        }
        finally
        {
            NativeMethods.carteira_segments_destroy(result);
        }
    }

    private static SegmentTable Copy(Portfolio portfolio, nint result)
    {
        Errors.Check(NativeMethods.carteira_segments_size(result, out nuint size));
        int n = checked((int)size);
        long[] Column(int column)
        {
            long[] values = new long[n];
            fixed (long* v = values)
            {
                Errors.Check(NativeMethods.carteira_segments_get_int64(result, column, v, (nuint)n));
            }
            return values;
        }
        long[] index = Column(0), r = Column(1), f = Column(2), m = Column(3), rfm = Column(4), segment = Column(5),
            abc = Column(6), recency = Column(7), frequency = Column(8), monetary = Column(9), abcRevenue = Column(10);
        Errors.Check(NativeMethods.carteira_segments_name_count(result, out nuint nameCount));
        var counts = new KeyValuePair<string, long>[checked((int)nameCount)];
        for (int i = 0; i < counts.Length; i++)
        {
            Errors.Check(NativeMethods.carteira_segments_name(result, (nuint)i, out byte* name, out long rows));
            counts[i] = new(Utf8.Decode(name), rows);
        }
        NativeSegmentsInfo info = NativeSegmentsInfo.Init();
        Errors.Check(NativeMethods.carteira_segments_get_info(result, &info));
        uint[] customers = Array.ConvertAll(index, i => (uint)i);
        string[] ids = portfolio.CustomerIds(customers);
        var rowsOut = new SegmentRow[n];
        for (int i = 0; i < n; i++)
        {
            rowsOut[i] = new SegmentRow(customers[i], ids[i], (int)r[i], (int)f[i], (int)m[i], rfm[i].ToString("000", System.Globalization.CultureInfo.InvariantCulture),
                                        counts[segment[i]].Key, AbcName(abc[i]), recency[i], frequency[i],
                                        monetary[i], abcRevenue[i]);
        }
        return new SegmentTable(
            Dates.FromDays(info.AsOf), Dates.FromDays(info.AbcFrom), rowsOut, counts,
            new Dictionary<string, long>
            {
                ["A"] = info.CustomersA, ["B"] = info.CustomersB, ["C"] = info.CustomersC, ["none"] = info.CustomersNone,
            },
            new Dictionary<string, long>
            {
                ["A"] = info.RevenueA, ["B"] = info.RevenueB, ["C"] = info.RevenueC, ["total"] = info.AbcTotal,
            });
    }
}
