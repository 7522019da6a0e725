using System;
using System.IO;
using Xunit;

namespace Carteira.Tests;

/// <summary>The HTML report of the sample through the C# binding: defaults, options, errors,
/// and the struct mirror's layout.</summary>
public sealed unsafe class ReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"carteira_cs_report_{Guid.NewGuid():N}");

    public ReportTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Charts =
        ["status", "segments", "rfm-grid", "cohort", "lorenz", "rep-revenue", "rep-positivacao"];

    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static Portfolio Sample()
    {
        var p = new Portfolio();
        p.ImportDirectory(Repository.PathOf("examples", "sample"));
        return p;
    }

    [Fact]
    public void TheSampleReportHasEveryChart()
    {
        using Portfolio p = Sample();
        string path = Path.Combine(_dir, "report.html");
        p.WriteReport(path);
        string html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"pt-BR\">", html, StringComparison.Ordinal);
        foreach (string chart in Charts)
        {
            Assert.Contains($"data-chart=\"{chart}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("data-chart=\"status\" data-series=\"7\"", html, StringComparison.Ordinal);
        Assert.Contains("01/11/2025 a 31/10/2026 (365 dias)", html, StringComparison.Ordinal);
        Assert.Equal("report.html", Path.GetFileName(Assert.Single(Directory.GetFileSystemEntries(_dir))));
    }

    [Fact]
    public void EnglishWithAPeriodTitleNoCurrencyPolicyAndMap()
    {
        using Portfolio p = Sample();
        using StatusPolicy policy = StatusPolicy.Fixed(30, 90, 365);
        using SegmentMap map = SegmentMap.FromJson("{\"segments\": [{\"name\": \"recent\", \"r\": [4, 5]}, {\"name\": \"older\"}]}");
        string path = Path.Combine(_dir, "en.html");
        Report.Write(p, path, D("2026-10-31"), D("2026-01-01"), ReportLanguage.En, currency: "",
                     title: "Sales <North> & Co", policy: policy, segmentMap: map);
        string html = File.ReadAllText(path);
        Assert.Contains("Portfolio status", html, StringComparison.Ordinal);
        Assert.Contains("2026-01-01 to 2026-10-31 (304 days)", html, StringComparison.Ordinal);
        Assert.Contains("Sales &lt;North&gt; &amp; Co", html, StringComparison.Ordinal);
        Assert.Contains("data-segment=\"recent\"", html, StringComparison.Ordinal);
        Assert.Contains("the given policy", html, StringComparison.Ordinal);
        Assert.DoesNotContain("R$", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsNameThePathAndLeaveNothing()
    {
        using Portfolio p = Sample();
        string missing = Path.Combine(_dir, "no", "such", "r.html");
        var e = Assert.Throws<CarteiraNotFoundException>(() => p.WriteReport(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Throws<CarteiraArgumentException>(
            () => p.WriteReport(Path.Combine(_dir, "r.html"), D("2026-01-01"), D("2026-02-01")));
        Assert.Throws<ArgumentException>(() => p.WriteReport(Path.Combine(_dir, "r.html"), title: "a\0b"));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => p.WriteReport(Path.Combine(_dir, "r.html"), language: (ReportLanguage)7));
        using var empty = new Portfolio();
        Assert.Throws<CarteiraArgumentException>(() => empty.WriteReport(Path.Combine(_dir, "r.html")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void OptionsHaveTheCLayoutOnLp64()
    {
        Assert.Equal(48, sizeof(NativeReportOptions));
        NativeReportOptions o;
        Assert.Equal(4, (byte*)&o.AsOf - (byte*)&o);
        Assert.Equal(8, (byte*)&o.From - (byte*)&o);
        Assert.Equal(12, (byte*)&o.Language - (byte*)&o);
        Assert.Equal(16, (byte*)&o.Currency - (byte*)&o);
        Assert.Equal(24, (byte*)&o.Title - (byte*)&o);
        Assert.Equal(32, (byte*)&o.Policy - (byte*)&o);
        Assert.Equal(40, (byte*)&o.SegmentMap - (byte*)&o);
        Assert.Equal(Dates.NoDay, NativeReportOptions.Init().AsOf);
        Assert.Equal(Dates.NoDay, NativeReportOptions.Init().From);
    }
}
