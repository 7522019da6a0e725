// Sales opportunities (docs/opportunities.md): what to offer each customer
// (cross-sell), when (the next purchase window), the product mix of a
// period and the ideal customer profile; thin wrappers over the C ABI.
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>One cross-sell suggestion: the category, its score and the rule quoted in
/// <see cref="Reason"/> (from <see cref="Because"/>, the customer's category supporting it most;
/// null when the customer had no category yet and the most popular ones are offered).</summary>
public sealed record Suggestion(uint CustomerIndex, string CustomerId, int Rank, string Category, double Score,
                                bool MostPopular, string? Because, long Together, double Confidence, double Lift,
                                string Reason);

/// <summary>The suggestions of every customer (index order, best first), and why there are
/// none at all when that is so (no category in the data, or a single one; else "").</summary>
public sealed record CrossSellResult(IReadOnlyList<Suggestion> Suggestions, string Note);

/// <summary>How a next purchase was estimated.</summary>
public enum NextPurchaseBasis
{
    /// <summary>Nothing bought by the date.</summary>
    NoPurchase = 0,
    /// <summary>A single purchase-day: no rhythm yet, no window.</summary>
    OnePurchase = 1,
    /// <summary>The window comes from the customer's own gaps.</summary>
    Rhythm = 2,
}

/// <summary>A customer's expected next purchase and window (null without a rhythm).</summary>
public sealed record NextPurchase(uint CustomerIndex, NextPurchaseBasis Basis, DateOnly? Last, DateOnly? Expected,
                                  DateOnly? From, DateOnly? To);

/// <summary>The holdout check: hit rate at k of the model against the most popular categories.</summary>
public sealed record CrossSellEvaluation(long Customers, long ModelHits, long BaselineHits, double ModelHitRate,
                                         double BaselineHitRate);

/// <summary>How the mix is grouped.</summary>
public enum MixGrouping
{
    /// <summary>The portfolio only.</summary>
    None = 0,
    /// <summary>By rep (the book at the period's end).</summary>
    Rep = 1,
    /// <summary>By segment (the category-by-segment matrix).</summary>
    Segment = 2,
}

/// <summary>One group of the mix: null <see cref="Group"/> for the portfolio, "" for the
/// customers without a rep or segment. Per category (in <see cref="Mix.Categories"/> order): the
/// buyers and net revenue in minor units. AverageBreadth is NaN without buyers.</summary>
public sealed record MixGroup(string? Group, bool Unassigned, long Customers, long Buyers, double AverageBreadth,
                              IReadOnlyList<long> CategoryBuyers, IReadOnlyList<long> CategoryRevenue);

/// <summary>The product mix of a period.</summary>
public sealed record Mix(IReadOnlyList<string> Categories, IReadOnlyList<MixGroup> Groups, IReadOnlyList<int> Breadth);

/// <summary>One attribute value of the ideal customer profile.</summary>
public sealed record IcpValue(string Attribute, string Value, long Customers, long Best, double ShareOfBest,
                              double Probability, double Lift);

/// <summary>A customer's closeness to the profile (the estimated chance of being a best customer)
/// and the profile values that raised it most.</summary>
public sealed record IcpScore(uint CustomerIndex, double Score, bool Best, long Revenue, IReadOnlyList<int> Drivers);

/// <summary>The ideal customer profile and every customer's score.</summary>
public sealed record IdealCustomerProfile(DateOnly AsOf, long Buyers, long Best, long BestThreshold, double BaseRate,
                                          IReadOnlyList<IcpValue> Profile, IReadOnlyList<IcpScore> Customers);

/// <summary>Cross-sell, next purchase, mix and ICP of a portfolio.</summary>
public static unsafe class Opportunities
{
    private static nint Compute(Portfolio portfolio, DateOnly asOf, int topK, int maxGaps, long minPairCustomers)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        NativeOpportunitiesOptions options = NativeOpportunitiesOptions.Init();
        options.AsOf = Dates.ToDays(asOf);
        options.TopK = topK;
        options.MaxGaps = maxGaps;
        options.MinPairCustomers = minPairCustomers;
        Errors.Check(NativeMethods.carteira_opportunities_compute(portfolio.Handle, &options, out nint result));
        return result;
    }

    /// <summary>The <paramref name="topK"/> next-best categories of every customer as of a date.</summary>
    public static CrossSellResult CrossSell(Portfolio portfolio, DateOnly asOf, int topK = 3, long minPairCustomers = 3)
    {
        nint h = Compute(portfolio, asOf, topK, 0, minPairCustomers);
        try
        {
            Errors.Check(NativeMethods.carteira_opportunities_note(h, out byte* note));
            Errors.Check(NativeMethods.carteira_opportunities_category_count(h, out nuint count));
            var names = new string[checked((int)count)];
            for (int k = 0; k < names.Length; k++)
            {
                Errors.Check(NativeMethods.carteira_opportunities_category(h, (nuint)k, out byte* name));
                names[k] = Utf8.Decode(name);
            }
            Errors.Check(NativeMethods.carteira_opportunities_suggestion_count(h, out nuint rows));
            int n = checked((int)rows);
            long[] Ints(int column)
            {
                long[] values = new long[n];
                fixed (long* v = values)
                {
                    if (n > 0) Errors.Check(NativeMethods.carteira_opportunities_suggestion_int64(h, column, v, (nuint)n));
                }
                return values;
            }
            double[] Reals(int column)
            {
                double[] values = new double[n];
                fixed (double* v = values)
                {
                    if (n > 0) Errors.Check(NativeMethods.carteira_opportunities_suggestion_double(h, column, v, (nuint)n));
                }
                return values;
            }
            long[] customer = Ints(0), rank = Ints(1), category = Ints(2), basis = Ints(3), because = Ints(4),
                together = Ints(5);
            double[] score = Reals(0), confidence = Reals(1), lift = Reals(2);
            ulong[] offsets = new ulong[n + 1];
            nuint needed;
            fixed (ulong* o = offsets)
            {
                Errors.Check(NativeMethods.carteira_opportunities_reasons(h, 0, (nuint)n, null, 0, o, out needed));
            }
            byte[] text = new byte[Math.Max(1, checked((int)needed))];
            fixed (byte* t = text)
            {
                Errors.Check(NativeMethods.carteira_opportunities_reasons(h, 0, (nuint)n, t, needed, null, out needed));
            }
            uint[] index = Array.ConvertAll(customer, c => (uint)c);
            string[] ids = portfolio.CustomerIds(index);
            var list = new Suggestion[n];
            for (int i = 0; i < n; i++)
            {
                string reason = System.Text.Encoding.UTF8.GetString(text, (int)offsets[i], (int)(offsets[i + 1] - offsets[i]));
                list[i] = new Suggestion(index[i], ids[i], (int)rank[i], names[category[i]], score[i], basis[i] == 1,
                                         because[i] < 0 ? null : names[because[i]], together[i], confidence[i],
                                         lift[i], reason);
            }
            return new CrossSellResult(list, Utf8.Decode(note));
        }
        finally
        {
            NativeMethods.carteira_opportunities_destroy(h);
        }
    }

    /// <summary>Every customer's next purchase (index order), from the latest
    /// <paramref name="maxGaps"/> gaps of its own rhythm.</summary>
    public static IReadOnlyList<NextPurchase> NextPurchases(Portfolio portfolio, DateOnly asOf, int maxGaps = 12)
    {
        nint h = Compute(portfolio, asOf, 0, maxGaps, 0);
        try
        {
            int n = checked((int)portfolio.Counts.Customers);
            int[] basis = new int[n], last = new int[n], expected = new int[n], from = new int[n], to = new int[n];
            fixed (int* b = basis)
            fixed (int* l = last)
            fixed (int* e = expected)
            fixed (int* f = from)
            fixed (int* t = to)
            {
                Errors.Check(NativeMethods.carteira_opportunities_next_purchase(h, b, l, e, f, t, (nuint)n));
            }
            static DateOnly? Day(int d) => d == Dates.NoDay ? null : Dates.FromDays(d);
            var rows = new NextPurchase[n];
            for (int c = 0; c < n; c++)
            {
                rows[c] = new NextPurchase((uint)c, (NextPurchaseBasis)basis[c], Day(last[c]), Day(expected[c]),
                                           Day(from[c]), Day(to[c]));
            }
            return rows;
        }
        finally
        {
            NativeMethods.carteira_opportunities_destroy(h);
        }
    }

    /// <summary>Ids of the customers whose window opens in the week starting on
    /// <paramref name="weekStart"/>: whom to call that week.</summary>
    public static string[] EnteringWindow(Portfolio portfolio, DateOnly asOf, DateOnly weekStart, int maxGaps = 12)
    {
        nint h = Compute(portfolio, asOf, 0, maxGaps, 0);
        try
        {
            int start = Dates.ToDays(weekStart);
            Errors.Check(NativeMethods.carteira_opportunities_entering_window(h, start, null, 0, out nuint count));
            uint[] due = new uint[checked((int)count)];
            fixed (uint* d = due)
            {
                if (due.Length > 0)
                {
                    Errors.Check(NativeMethods.carteira_opportunities_entering_window(h, start, d, count, out count));
                }
            }
            return due.Length == 0 ? Array.Empty<string>() : portfolio.CustomerIds(due);
        }
        finally
        {
            NativeMethods.carteira_opportunities_destroy(h);
        }
    }

    /// <summary>The model built on the purchases up to <paramref name="cutoff"/>, judged on the
    /// customers who bought a new category in (cutoff, to].</summary>
    public static CrossSellEvaluation EvaluateCrossSell(Portfolio portfolio, DateOnly cutoff, DateOnly to, int k = 3,
                                                        long minPairCustomers = 3)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        NativeCrossSellEvaluation e = NativeCrossSellEvaluation.Init();
        Errors.Check(NativeMethods.carteira_cross_sell_evaluate(portfolio.Handle, Dates.ToDays(cutoff), Dates.ToDays(to),
                                                                k, minPairCustomers, &e));
        return new CrossSellEvaluation(e.Customers, e.ModelHits, e.BaselineHits, e.ModelHitRate, e.BaselineHitRate);
    }

    /// <summary>The product mix of [from, to]: group 0 is the portfolio, then the groups of
    /// <paramref name="by"/>.</summary>
    public static Mix ComputeMix(Portfolio portfolio, DateOnly from, DateOnly to, MixGrouping by = MixGrouping.None)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        Errors.Check(NativeMethods.carteira_mix_compute(portfolio.Handle, Dates.ToDays(from), Dates.ToDays(to), (int)by,
                                                        out nint h));
        try
        {
            Errors.Check(NativeMethods.carteira_mix_category_count(h, out nuint count));
            int k = checked((int)count);
            var names = new string[k];
            for (int i = 0; i < k; i++)
            {
                Errors.Check(NativeMethods.carteira_mix_category(h, (nuint)i, out byte* name));
                names[i] = Utf8.Decode(name);
            }
            Errors.Check(NativeMethods.carteira_mix_group_count(h, out nuint groupCount));
            var groups = new MixGroup[checked((int)groupCount)];
            for (int g = 0; g < groups.Length; g++)
            {
                NativeMixGroup native = NativeMixGroup.Init();
                Errors.Check(NativeMethods.carteira_mix_group_get(h, (nuint)g, &native));
                long[] buyers = new long[k], revenue = new long[k];
                fixed (long* b = buyers)
                fixed (long* r = revenue)
                {
                    Errors.Check(NativeMethods.carteira_mix_group_categories(h, (nuint)g, b, r, (nuint)k));
                }
                groups[g] = new MixGroup(g == 0 ? null : Utf8.Decode(native.Group), native.Unassigned != 0,
                                         native.Customers, native.Buyers, native.AverageBreadth, buyers, revenue);
            }
            int[] breadth = new int[checked((int)portfolio.Counts.Customers)];
            fixed (int* b = breadth)
            {
                Errors.Check(NativeMethods.carteira_mix_breadth(h, b, (nuint)breadth.Length));
            }
            return new Mix(names, groups, breadth);
        }
        finally
        {
            NativeMethods.carteira_mix_destroy(h);
        }
    }

    /// <summary>The ideal customer profile as of a date: the best customers (top
    /// <paramref name="bestShare"/> by net revenue) described by attribute values, and every
    /// customer scored.</summary>
    public static IdealCustomerProfile Icp(Portfolio portfolio, DateOnly asOf, double bestShare = 0.2,
                                           double smoothing = 10.0)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        NativeIcpOptions options = NativeIcpOptions.Init();
        options.AsOf = Dates.ToDays(asOf);
        options.BestShare = bestShare;
        options.Smoothing = smoothing;
        Errors.Check(NativeMethods.carteira_icp_compute(portfolio.Handle, &options, out nint h));
        try
        {
            NativeIcpInfo info = NativeIcpInfo.Init();
            Errors.Check(NativeMethods.carteira_icp_get_info(h, &info));
            Errors.Check(NativeMethods.carteira_icp_profile_count(h, out nuint count));
            var profile = new IcpValue[checked((int)count)];
            for (int i = 0; i < profile.Length; i++)
            {
                NativeIcpValue v = NativeIcpValue.Init();
                Errors.Check(NativeMethods.carteira_icp_profile_get(h, (nuint)i, &v));
                profile[i] = new IcpValue(Utf8.Decode(v.Attribute), Utf8.Decode(v.Value), v.Customers, v.Best,
                                          v.ShareOfBest, v.Probability, v.Lift);
            }
            int n = checked((int)portfolio.Counts.Customers);
            double[] score = new double[n];
            byte[] best = new byte[n];
            long[] revenue = new long[n];
            int[] drivers = new int[3 * n];
            fixed (double* s = score)
            fixed (byte* b = best)
            fixed (long* r = revenue)
            fixed (int* d = drivers)
            {
                Errors.Check(NativeMethods.carteira_icp_scores(h, s, b, r, d, (nuint)n));
            }
            var customers = new IcpScore[n];
            for (int c = 0; c < n; c++)
            {
                var mine = new List<int>(3);
                for (int k = 0; k < 3; k++)
                {
                    if (drivers[3 * c + k] >= 0) mine.Add(drivers[3 * c + k]);
                }
                customers[c] = new IcpScore((uint)c, score[c], best[c] != 0, revenue[c], mine);
            }
            return new IdealCustomerProfile(Dates.FromDays(info.AsOf), info.Buyers, info.Best, info.BestThreshold,
                                            info.BaseRate, profile, customers);
        }
        finally
        {
            NativeMethods.carteira_icp_destroy(h);
        }
    }
}
