// A customer's lifecycle status, its flags, and the names every output uses
// (carteira_lifecycle_name / carteira_lifecycle_parse).
using System;
using System.Diagnostics.CodeAnalysis;

namespace Carteira;

/// <summary>
/// carteira_lifecycle: a customer's lifecycle status as of a date. The
/// values are the C ABI's; one byte each, as the library's history returns
/// them.
/// </summary>
public enum Lifecycle : byte
{
    /// <summary>No purchase yet ("prospect").</summary>
    Prospect = 0,
    /// <summary>First purchase within the policy's new window ("new").</summary>
    New = 1,
    /// <summary>Buying within the thresholds ("active").</summary>
    Active = 2,
    /// <summary>Past the at-risk threshold ("at_risk").</summary>
    AtRisk = 3,
    /// <summary>Past the inactive threshold, or a contract ended unrenewed ("inactive").</summary>
    Inactive = 4,
    /// <summary>Past the lost threshold ("lost").</summary>
    Lost = 5,
    /// <summary>Bought again after being inactive ("reactivated").</summary>
    Reactivated = 6,
}

/// <summary>CARTEIRA_FLAG_* bits, orthogonal to the status.</summary>
[Flags]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
                 Justification = "The C ABI's name: CARTEIRA_FLAG_* are the status flags.")]
public enum StatusFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>A contract in force ends within the renewal window and no later contract exists.</summary>
    RenewalDue = 1,
    /// <summary>The customer record says delinquent.</summary>
    Delinquent = 2,
    /// <summary>The customer record says key account.</summary>
    KeyAccount = 4,
}

/// <summary>The library's names of <see cref="Lifecycle"/> values ("at_risk", ...).</summary>
public static unsafe class Lifecycles
{
    /// <summary>CARTEIRA_LIFECYCLE_COUNT: how many statuses there are.</summary>
    public const int Count = 7;

    /// <summary>The snake_case name the library's outputs use, e.g. "at_risk".</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a status the library knows.</exception>
    public static string Name(this Lifecycle status)
    {
        CarteiraLibrary.EnsureCompatible();
        byte* name = NativeMethods.carteira_lifecycle_name((int)status);
        if (name == null)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "not a carteira_lifecycle value");
        }
        return Utf8.Decode(name);
    }

    /// <summary>The status named <paramref name="name"/> ("prospect", "new", "active",
    /// "at_risk", "inactive", "lost", "reactivated").</summary>
    /// <exception cref="CarteiraArgumentException">An unknown name; the message lists the known ones.</exception>
    public static Lifecycle Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Utf8.ThrowIfNul(name, nameof(name));
        CarteiraLibrary.EnsureCompatible();
        Errors.Check(NativeMethods.carteira_lifecycle_parse(name, out int status));
        return (Lifecycle)status;
    }

    /// <summary>As <see cref="Parse"/>, without throwing for an unknown name.</summary>
    public static bool TryParse(string? name, out Lifecycle status)
    {
        status = default;
        if (name is null || name.Contains('\0', StringComparison.Ordinal)) return false;
        CarteiraLibrary.EnsureCompatible();
        if (NativeMethods.carteira_lifecycle_parse(name, out int value) != CarteiraStatus.Ok) return false;
        status = (Lifecycle)value;
        return true;
    }
}

/// <summary>carteira_status_column: the columns of a <see cref="StatusTable"/>.</summary>
public enum StatusColumn
{
    /// <summary><see cref="Lifecycle"/> value.</summary>
    Status = 0,
    /// <summary><see cref="StatusFlags"/> bits.</summary>
    Flags = 1,
    /// <summary>Id of the deciding rule: built-in 0..6, plugins from 16.</summary>
    Rule = 2,
    /// <summary>Days since the last purchase-day; -1 without a purchase.</summary>
    DaysSinceLast = 3,
    /// <summary>Purchase-days on or before the date.</summary>
    PurchaseDays = 4,
    /// <summary>Last purchase-day (days since 1970-01-01); <see cref="Dates.NoDay"/> if none.</summary>
    LastPurchase = 5,
    /// <summary>The day the rule is about: first purchase, comeback or contract end; else <see cref="Dates.NoDay"/>.</summary>
    EventDay = 6,
    /// <summary>Reactivated: the gap before the comeback; else -1.</summary>
    ComebackGapDays = 7,
    /// <summary>contract_ended: the contract row; else -1.</summary>
    Contract = 8,
    /// <summary>renewal_due: the contract row; else -1.</summary>
    RenewalContract = 9,
    /// <summary>Policy segment index; -1 = the defaults.</summary>
    Scope = 10,
    /// <summary>Median gap between purchase-days (double); NaN below two purchase-days.</summary>
    MedianGapDays = 11,
    /// <summary>The threshold the deciding rule compared (double); NaN when none.</summary>
    ThresholdDays = 12,
}
