// Carteira.DateOnly, the netstandard2.0 build's stand-in, against
// System.DateOnly: only here are both at hand (DateOnly is Carteira.DateOnly
// in this project, see its csproj).
using System;
using System.Globalization;
using Xunit;

namespace Carteira.Tests;

public class DateOnlyTests
{
    public static TheoryData<int, int, int> Dates => new()
    {
        { 1, 1, 1 }, { 1970, 1, 1 }, { 2000, 2, 29 }, { 2024, 2, 29 }, { 2026, 10, 31 }, { 2100, 3, 1 }, { 9999, 12, 31 },
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void MembersEqualSystemDateOnlys(int year, int month, int day)
    {
        var ours = new DateOnly(year, month, day);
        var system = new System.DateOnly(year, month, day);
        Assert.Equal(system.DayNumber, ours.DayNumber);
        Assert.Equal((system.Year, system.Month, system.Day), (ours.Year, ours.Month, ours.Day));
        Assert.Equal(system.DayOfWeek, ours.DayOfWeek);
        Assert.Equal(system.DayOfYear, ours.DayOfYear);
        Assert.Equal(system.ToDateTime(TimeOnly.MinValue), ours.ToDateTime());
        Assert.Equal(ours, DateOnly.FromDateTime(system.ToDateTime(new TimeOnly(23, 59))));
        Assert.Equal(ours, DateOnly.FromDayNumber(system.DayNumber));
        foreach (string format in new[] { "o", "O", "r", "R", "yyyy-MM-dd", "dd/MM/yyyy" })
        {
            Assert.Equal(system.ToString(format, CultureInfo.InvariantCulture), ours.ToString(format, CultureInfo.InvariantCulture));
        }
        var brazil = CultureInfo.GetCultureInfo("pt-BR");
        Assert.Equal(system.ToString(brazil), ours.ToString(null, brazil));
        if (year < 9999)
        {
            Assert.Equal(system.AddDays(1).DayNumber, ours.AddDays(1).DayNumber);
            Assert.Equal(system.AddMonths(1).DayNumber, ours.AddMonths(1).DayNumber);
            Assert.Equal(system.AddYears(1).DayNumber, ours.AddYears(1).DayNumber);
        }
        Assert.Equal(ours, DateOnly.Parse(system.ToString("o", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ComparesAndRefusesOutOfRange()
    {
        var a = new DateOnly(2024, 1, 5);
        DateOnly b = a.AddDays(1);
        DateOnly same = b.AddDays(-1);
        Assert.True(a < b && b > a && a <= same && a >= same && a != b && a == same);
        Assert.Equal(-1, a.CompareTo(b));
        Assert.Equal(a.GetHashCode(), new DateOnly(2024, 1, 5).GetHashCode());
        Assert.Throws<ArgumentOutOfRangeException>(() => DateOnly.MaxValue.AddDays(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DateOnly.MinValue.AddDays(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DateOnly.FromDayNumber(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DateOnly(2023, 2, 29));
        Assert.Throws<FormatException>(() => DateOnly.Parse("2024-01-05 10:30", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheBindingsDatesAreDaysSince1970()
    {
        Assert.Equal(0, Carteira.Dates.ToDays(new DateOnly(1970, 1, 1)));
        Assert.Equal(new DateOnly(2024, 2, 29), Carteira.Dates.FromDays(19782));
    }
}
