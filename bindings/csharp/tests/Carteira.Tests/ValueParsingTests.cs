using System;
using System.Threading.Tasks;
using Xunit;

namespace Carteira.Tests;

public class ValueParsingTests
{
    [Theory]
    [InlineData("2024-02-29")]
    [InlineData("29/02/2024")]
    [InlineData("20240229")]
    public void DatesParseEveryAcceptedForm(string text)
    {
        Assert.Equal(new DateOnly(2024, 2, 29), Dates.Parse(text));
    }

    [Fact]
    public void ImpossibleDateThrowsArgumentExceptionNamingTheText()
    {
        var ex = Assert.Throws<CarteiraArgumentException>(() => Dates.Parse("31/02/2024"));

        Assert.Equal(CarteiraStatus.InvalidArgument, ex.Code);
        Assert.Contains("31/02/2024", ex.Message);
        Assert.Null(ex.Report);
    }

    [Fact]
    public void DayNumbersCountFromTheUnixEpoch()
    {
        Assert.Equal(0, Dates.ToDays(new DateOnly(1970, 1, 1)));
        Assert.Equal(19783, Dates.ToDays(new DateOnly(2024, 3, 1)));
        Assert.Equal(new DateOnly(1969, 12, 31), Dates.FromDays(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dates.FromDays(Dates.NoDay));
    }

    [Theory]
    [InlineData("R$ 1.234,56", 123456)]
    [InlineData("1.234,56", 123456)]
    [InlineData("1234.56", 123456)]
    [InlineData("-0,05", -5)]
    public void MoneyParsesExactlyIntoMinorUnits(string text, long expected)
    {
        Assert.Equal(expected, Money.Parse(text));
    }

    [Fact]
    public void MoneyRejectsText()
    {
        var ex = Assert.Throws<CarteiraArgumentException>(() => Money.Parse("doze reais"));
        Assert.NotEmpty(ex.Message);
    }

    [Fact]
    public void EmbeddedNulIsRefusedBeforeReachingC()
    {
        Assert.Throws<ArgumentException>(() => Dates.Parse("2024-01-01\0junk"));
    }

    [Fact]
    public void EachThreadGetsTheMessageOfItsOwnFailure()
    {
        // The native last error is thread-local; the binding must read it on
        // the thread that made the failing call, before any other call.
        Parallel.For(1, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            string text = $"{i}/13/2024";
            var ex = Assert.Throws<CarteiraArgumentException>(() => Dates.Parse(text));
            Assert.Contains(text, ex.Message);
        });
    }
}
