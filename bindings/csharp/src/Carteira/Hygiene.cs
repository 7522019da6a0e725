// Data hygiene: CPF/CNPJ (the alphanumeric CNPJ too), phones, e-mails and
// names one value at a time; the hygiene report of a portfolio; the merge
// of duplicate customers (Portfolio.MergeCustomers).
using System;
using System.Collections.Generic;
using System.Text;

namespace Carteira;

/// <summary>A CPF or CNPJ checked: <see cref="Kind"/> "cpf", "cnpj" or "unknown";
/// <see cref="Problem"/> "none", "wrong_length", "bad_character", "repeated_digits" or
/// "check_digit_mismatch" (at <see cref="Position"/>, 1-based); <see cref="Formatted"/>
/// ("12.ABC.345/01DE-35") when valid.</summary>
public sealed record TaxIdCheck(bool Valid, string Kind, string Problem, int Position, string Canonical,
                                string Formatted);

/// <summary>A phone checked through libphonenumber: <see cref="E164"/> and <see cref="Type"/>
/// ("mobile", "fixed_line", ...) when valid; for an old 8-digit mobile, <see cref="Suggestion"/>
/// holds the number with the ninth digit (never applied).</summary>
public sealed record PhoneCheck(bool Valid, string Problem, string Type, string E164, string Suggestion);

/// <summary>An e-mail checked: <see cref="Normalized"/> (domain lower-cased) when valid, and the
/// likely intended address when the domain looks like a typo of a common provider.</summary>
public sealed record EmailCheck(bool Valid, string Problem, int Position, string Normalized, string Suggestion);

/// <summary>One problem of a customer record: where (customer, field), the value, what is wrong
/// and the suggested fix ("" when none).</summary>
public sealed record HygieneProblem(uint CustomerIndex, string CustomerId, string Field, string Value,
                                    string Problem, string Detail, string Suggestion);

/// <summary>Customers that are likely the same: indices (ascending), the shared keys
/// ("document", "email", "phone", "name_city") and the weakest link's score.</summary>
public sealed record DuplicateCluster(IReadOnlyList<uint> CustomerIndices, IReadOnlyList<string> Reasons,
                                      double Score);

/// <summary>What <see cref="Hygiene.Check(Portfolio, string, bool, double?)"/> found.</summary>
public sealed record HygieneReport(IReadOnlyList<HygieneProblem> Problems, IReadOnlyDictionary<string, ulong> Counts,
                                   IReadOnlyList<DuplicateCluster> Clusters);

/// <summary>Registry checks (docs/hygiene.md). Nothing here changes data.</summary>
public static unsafe class Hygiene
{
    /// <summary>Validates a CPF or CNPJ, with or without punctuation.</summary>
    public static TaxIdCheck CheckTaxId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Utf8.ThrowIfNul(value, nameof(value));
        NativeTaxIdResult r = NativeTaxIdResult.Init();
        Errors.Check(NativeMethods.carteira_check_tax_id(value, &r));
        return new TaxIdCheck(r.Valid != 0, Utf8.Decode(r.Kind), Utf8.Decode(r.Problem), r.Position,
                              Utf8.Decode(r.Canonical), Utf8.Decode(r.Formatted));
    }

    /// <summary>Validates a phone; <paramref name="region"/> (ISO 3166) for numbers without +country.</summary>
    public static PhoneCheck CheckPhone(string value, string region = "BR")
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(region);
        Utf8.ThrowIfNul(value, nameof(value));
        Utf8.ThrowIfNul(region, nameof(region));
        NativePhoneResult r = NativePhoneResult.Init();
        Errors.Check(NativeMethods.carteira_check_phone(value, region, &r));
        return new PhoneCheck(r.Valid != 0, Utf8.Decode(r.Problem), Utf8.Decode(r.Type), Utf8.Decode(r.E164),
                              Utf8.Decode(r.Suggestion));
    }

    /// <summary>Checks an e-mail address's syntax and suggests a fix for a provider typo.</summary>
    public static EmailCheck CheckEmail(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Utf8.ThrowIfNul(value, nameof(value));
        NativeEmailResult r = NativeEmailResult.Init();
        Errors.Check(NativeMethods.carteira_check_email(value, &r));
        return new EmailCheck(r.Valid != 0, Utf8.Decode(r.Problem), r.Position, Utf8.Decode(r.Normalized),
                              Utf8.Decode(r.Suggestion));
    }

    /// <summary>A name or address tidied for display ("MARIA DAS GRAÇAS" → "Maria das Graças").</summary>
    public static string DisplayName(string text) => TextCall(text, &NativeMethods.carteira_display_name);

    /// <summary>The accent- and case-folded key for matching ("José D'Ávila" → "jose d avila").</summary>
    public static string FoldKey(string text) => TextCall(text, &NativeMethods.carteira_fold_key);

    /// <summary>Checks every customer record of <paramref name="portfolio"/> and finds duplicates.</summary>
    /// <param name="portfolio">The portfolio to check.</param>
    /// <param name="region">Default region of phones written without +country.</param>
    /// <param name="findDuplicates">Also look for duplicate customers.</param>
    /// <param name="linkThreshold">Score that links two customers (default 0.75).</param>
    public static HygieneReport Check(Portfolio portfolio, string region = "BR", bool findDuplicates = true,
                                      double? linkThreshold = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        byte[] regionBytes = Utf8.NulTerminated(region ?? throw new ArgumentNullException(nameof(region)),
                                                nameof(region))!;
        NativeHygieneOptions options = NativeHygieneOptions.Init();
        options.FindDuplicates = findDuplicates ? 1 : 0;
        options.LinkThreshold = linkThreshold ?? 0.0;
        nint report;
        fixed (byte* r = regionBytes)
        {
            options.DefaultRegion = r;
            Errors.Check(NativeMethods.carteira_hygiene_check(portfolio.Handle, &options, out report));
        }
        try
        {
            return CopyReport(report);
        }
        finally
        {
            NativeMethods.carteira_hygiene_report_destroy(report);
        }
    }

    private static HygieneReport CopyReport(nint report)
    {
        Errors.Check(NativeMethods.carteira_hygiene_report_problem_count(report, out nuint problemCount));
        var problems = new HygieneProblem[checked((int)problemCount)];
        for (int i = 0; i < problems.Length; i++)
        {
            NativeHygieneProblem p = NativeHygieneProblem.Init();
            Errors.Check(NativeMethods.carteira_hygiene_report_problem(report, (nuint)i, &p));
            problems[i] = new HygieneProblem(p.CustomerIndex, Utf8.Decode(p.CustomerId), Utf8.Decode(p.Field),
                                             Utf8.Decode(p.Value), Utf8.Decode(p.Problem), Utf8.Decode(p.Detail),
                                             Utf8.Decode(p.Suggestion));
        }
        Errors.Check(NativeMethods.carteira_hygiene_report_count_size(report, out nuint countSize));
        var counts = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        for (int i = 0; i < (int)countSize; i++)
        {
            Errors.Check(NativeMethods.carteira_hygiene_report_count(report, (nuint)i, out byte* name, out ulong n));
            counts[Utf8.Decode(name)] = n;
        }
        Errors.Check(NativeMethods.carteira_hygiene_report_cluster_count(report, out nuint clusterCount));
        var clusters = new DuplicateCluster[checked((int)clusterCount)];
        for (int i = 0; i < clusters.Length; i++)
        {
            NativeDuplicateCluster c = NativeDuplicateCluster.Init();
            Errors.Check(NativeMethods.carteira_hygiene_report_cluster(report, (nuint)i, &c));
            var members = new uint[checked((int)c.MemberCount)];
            for (int k = 0; k < members.Length; k++) members[k] = c.Members[k];
            string reasons = Utf8.Decode(c.Reasons);
            clusters[i] = new DuplicateCluster(members, reasons.Length == 0 ? [] : reasons.Split(','), c.Score);
        }
        return new HygieneReport(problems, counts, clusters);
    }

    private static string TextCall(
        string text, delegate*<string, byte*, nuint, out nuint, CarteiraStatus> function)
    {
        ArgumentNullException.ThrowIfNull(text);
        Utf8.ThrowIfNul(text, nameof(text));
        // Query the size, then fill (length + 1 for the NUL).
        Errors.Check(function(text, null, 0, out nuint length));
        byte[] buffer = new byte[checked((int)length + 1)];
        fixed (byte* p = buffer)
        {
            Errors.Check(function(text, p, (nuint)buffer.Length, out length));
        }
        return Encoding.UTF8.GetString(buffer, 0, checked((int)length));
    }
}
