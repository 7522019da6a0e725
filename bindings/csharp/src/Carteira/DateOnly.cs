// netstandard2.0 (.NET Framework) has no System.DateOnly, and the binding's
// API is written in dates. This stand-in has System.DateOnly's name and the
// members an application uses with the binding, so the same source compiles
// against either target: `new DateOnly(2024, 1, 5)`, AddDays, DayNumber,
// comparisons, ToString... On .NET 6+ this file is empty and DateOnly is
// System.DateOnly. No package served here provides one.
#if !NET6_0_OR_GREATER
using System;
using System.Globalization;

namespace Carteira;

/// <summary>
/// A date without a time of day: on netstandard2.0 the stand-in for
/// <c>System.DateOnly</c> (which .NET Framework lacks), with the same meaning
/// and the members of it that the binding's users need; convert with
/// <see cref="FromDateTime"/> and <see cref="ToDateTime()"/>. Builds for .NET 6
/// and later use <c>System.DateOnly</c> itself.
/// </summary>
public readonly struct DateOnly : IComparable, IComparable<DateOnly>, IEquatable<DateOnly>, IFormattable
{
    // 9999-12-31 as a day number (days since 0001-01-01), System.DateOnly's maximum.
    private const int MaxDayNumber = 3_652_058;

    private readonly int _dayNumber;

    private DateOnly(int dayNumber) => _dayNumber = dayNumber;

    /// <summary>The date <paramref name="year"/>-<paramref name="month"/>-<paramref name="day"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such date.</exception>
    public DateOnly(int year, int month, int day) : this(DayNumberOf(new DateTime(year, month, day))) { }

    /// <summary>0001-01-01.</summary>
    public static DateOnly MinValue => new(0);

    /// <summary>9999-12-31.</summary>
    public static DateOnly MaxValue => new(MaxDayNumber);

    /// <summary>Days since 0001-01-01 (as System.DateOnly.DayNumber).</summary>
    public int DayNumber => _dayNumber;

    /// <summary>The year, 1 to 9999.</summary>
    public int Year => ToDateTime().Year;

    /// <summary>The month, 1 to 12.</summary>
    public int Month => ToDateTime().Month;

    /// <summary>The day of the month, 1 to 31.</summary>
    public int Day => ToDateTime().Day;

    /// <summary>The day of the week.</summary>
    public DayOfWeek DayOfWeek => (DayOfWeek)((_dayNumber + 1) % 7);  // 0001-01-01 was a Monday

    /// <summary>The day of the year, 1 to 366.</summary>
    public int DayOfYear => ToDateTime().DayOfYear;

    /// <summary>The date <paramref name="dayNumber"/> days after 0001-01-01.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Beyond 9999-12-31 or negative.</exception>
    public static DateOnly FromDayNumber(int dayNumber)
    {
        if ((uint)dayNumber > MaxDayNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(dayNumber), dayNumber, "not a day from 0001-01-01 to 9999-12-31");
        }
        return new DateOnly(dayNumber);
    }

    /// <summary>The date part of <paramref name="dateTime"/>.</summary>
    public static DateOnly FromDateTime(DateTime dateTime) => new(DayNumberOf(dateTime));

    /// <summary>Midnight at the start of this date, <see cref="DateTimeKind.Unspecified"/>.</summary>
    public DateTime ToDateTime() => new(_dayNumber * TimeSpan.TicksPerDay, DateTimeKind.Unspecified);

    /// <summary>Midnight at the start of this date, of the given kind.</summary>
    public DateTime ToDateTime(DateTimeKind kind) => new(_dayNumber * TimeSpan.TicksPerDay, kind);

    /// <summary>This date plus <paramref name="value"/> days (negative: earlier).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The result is out of range.</exception>
    public DateOnly AddDays(int value)
    {
        long day = (long)_dayNumber + value;
        if (day < 0 || day > MaxDayNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "the result is not a day from 0001-01-01 to 9999-12-31");
        }
        return new DateOnly((int)day);
    }

    /// <summary>This date plus <paramref name="value"/> months, as <see cref="DateTime.AddMonths"/>.</summary>
    public DateOnly AddMonths(int value) => FromDateTime(ToDateTime().AddMonths(value));

    /// <summary>This date plus <paramref name="value"/> years, as <see cref="DateTime.AddYears"/>.</summary>
    public DateOnly AddYears(int value) => FromDateTime(ToDateTime().AddYears(value));

    /// <summary>Parses a date in the current culture's formats (or ISO 8601); a time of day is refused.</summary>
    /// <exception cref="FormatException">Not a date.</exception>
    public static DateOnly Parse(string s) => Parse(s, CultureInfo.CurrentCulture);

    /// <summary>Parses a date in <paramref name="provider"/>'s formats (or ISO 8601); a time of day is refused.</summary>
    /// <exception cref="FormatException">Not a date.</exception>
    public static DateOnly Parse(string s, IFormatProvider? provider)
    {
        DateTime parsed = DateTime.Parse(s, provider, DateTimeStyles.AllowWhiteSpaces);
        if (parsed.TimeOfDay != TimeSpan.Zero) throw new FormatException($"'{s}' has a time of day");
        return FromDateTime(parsed);
    }

    /// <summary>Parses a date written exactly in <paramref name="format"/>.</summary>
    /// <exception cref="FormatException">Not a date in that format.</exception>
    public static DateOnly ParseExact(string s, string format, IFormatProvider? provider = null) =>
        FromDateTime(DateTime.ParseExact(s, format, provider, DateTimeStyles.None));

    /// <inheritdoc/>
    public bool Equals(DateOnly other) => _dayNumber == other._dayNumber;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DateOnly other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _dayNumber;

    /// <inheritdoc/>
    public int CompareTo(DateOnly other) => _dayNumber.CompareTo(other._dayNumber);

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        DateOnly other => CompareTo(other),
        _ => throw new ArgumentException("not a DateOnly", nameof(obj)),
    };

    /// <summary>The short date of the current culture, as System.DateOnly prints.</summary>
    public override string ToString() => ToString("d", CultureInfo.CurrentCulture);

    /// <summary>Formats with <paramref name="format"/> ("o": yyyy-MM-dd) in the current culture.</summary>
    public string ToString(string? format) => ToString(format, CultureInfo.CurrentCulture);

    /// <summary>Formats as System.DateOnly does: "o" and "O" give yyyy-MM-dd, "r" and "R"
    /// the RFC 1123 date, anything else as a <see cref="DateTime"/> at midnight.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" => ToDateTime().ToString("d", formatProvider),
        "o" or "O" => ToDateTime().ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture),
        "r" or "R" => ToDateTime().ToString("ddd, dd MMM yyyy", CultureInfo.InvariantCulture),
        _ => ToDateTime().ToString(format, formatProvider),
    };

    /// <summary>Whether two dates are the same day.</summary>
    public static bool operator ==(DateOnly left, DateOnly right) => left._dayNumber == right._dayNumber;

    /// <summary>Whether two dates are different days.</summary>
    public static bool operator !=(DateOnly left, DateOnly right) => left._dayNumber != right._dayNumber;

    /// <summary>Whether <paramref name="left"/> is earlier.</summary>
    public static bool operator <(DateOnly left, DateOnly right) => left._dayNumber < right._dayNumber;

    /// <summary>Whether <paramref name="left"/> is later.</summary>
    public static bool operator >(DateOnly left, DateOnly right) => left._dayNumber > right._dayNumber;

    /// <summary>Whether <paramref name="left"/> is the same day or earlier.</summary>
    public static bool operator <=(DateOnly left, DateOnly right) => left._dayNumber <= right._dayNumber;

    /// <summary>Whether <paramref name="left"/> is the same day or later.</summary>
    public static bool operator >=(DateOnly left, DateOnly right) => left._dayNumber >= right._dayNumber;

    private static int DayNumberOf(DateTime dateTime) => (int)(dateTime.Ticks / TimeSpan.TicksPerDay);
}
#endif
