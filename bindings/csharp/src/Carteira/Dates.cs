// Dates cross the C ABI as int32 days since 1970-01-01.
using System;

namespace Carteira;

/// <summary>Date parsing and the C ABI's day numbers.</summary>
public static class Dates
{
    /// <summary>CARTEIRA_NO_DAY: a missing date in a day column.</summary>
    public const int NoDay = int.MinValue;

    private static readonly int s_epochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>Parses YYYY-MM-DD, dd/mm/yyyy or YYYYMMDD as the library does.</summary>
    /// <exception cref="CarteiraArgumentException">Not a date, or an impossible one such as 31/02/2024.</exception>
    public static DateOnly Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Utf8.ThrowIfNul(text, nameof(text));
        CarteiraLibrary.EnsureCompatible();
        Errors.Check(NativeMethods.carteira_parse_date(text, out int day));
        return FromDays(day);
    }

    /// <summary>Days since 1970-01-01.</summary>
    public static int ToDays(DateOnly date) => date.DayNumber - s_epochDayNumber;

    /// <summary>The date <paramref name="days"/> days after 1970-01-01.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is <see cref="NoDay"/> or beyond DateOnly's range.</exception>
    public static DateOnly FromDays(int days)
    {
        if (days == NoDay) throw new ArgumentOutOfRangeException(nameof(days), "CARTEIRA_NO_DAY is no date");
        return DateOnly.FromDayNumber(s_epochDayNumber + days);
    }
}
