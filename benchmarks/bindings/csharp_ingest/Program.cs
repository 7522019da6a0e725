// C# against C++: bulk ingest of 10 million transactions of 1 million
// customers from arrays (Portfolio.AppendTransactions over spans, no copy),
// against the C++ benchmark BM_AppendTransactions run in the same session
// (the same shape of data); and the overhead of one trivial P/Invoke call.
// Target: within 1.5x of C++; exit code 1 above it.
//   CARTEIRA_LIBRARY=build/release/capi/libcarteira.so \
//     dotnet run -c Release --project benchmarks/bindings/csharp_ingest [-- ROWS]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Carteira;

int rows = args.Length > 0 ? int.Parse(args[0]) : 10_000_000;
const int Repetitions = 3;
string repo = FindRepo();

double cpp = CppMedianMs();
double cs = CSharpMedianMs();
double overhead = CallOverheadNs();
double ratio = cs / cpp;
Console.WriteLine($"bulk ingest of {rows:N0} transactions (median of {Repetitions}):");
Console.WriteLine($"  C++ BM_AppendTransactions          {cpp,8:F1} ms");
Console.WriteLine($"  C#  AppendTransactions(spans)      {cs,8:F1} ms   ratio {ratio:F2} (target <= 1.5)");
Console.WriteLine($"  one trivial P/Invoke call (carteira_version_number): {overhead:F0} ns");
return ratio <= 1.5 ? 0 : 1;

double CppMedianMs()
{
    var start = new ProcessStartInfo(Path.Combine(repo, "build", "release", "benchmarks", "carteira_ingest_benchmark"),
        $"--benchmark_filter=^BM_AppendTransactions/ --benchmark_repetitions={Repetitions} --benchmark_format=json")
    { RedirectStandardOutput = true, RedirectStandardError = true };
    start.Environment["CARTEIRA_BENCH_ROWS"] = rows.ToString();
    using Process process = Process.Start(start)!;
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    using JsonDocument json = JsonDocument.Parse(output);
    var times = json.RootElement.GetProperty("benchmarks").EnumerateArray()
        .Where(b => b.GetProperty("run_type").GetString() == "iteration")
        .Select(b => b.GetProperty("real_time").GetDouble()).ToList();
    return Median(times);
}

double CSharpMedianMs()
{
    int customers = rows / 10;
    var rng = new Random(20261123);
    uint[] index = new uint[rows];
    int[] days = new int[rows];
    long[] amounts = new long[rows];
    int start = new DateOnly(2023, 11, 1).DayNumber - DateOnly.FromDateTime(new DateTime(1970, 1, 1)).DayNumber;
    for (int i = 0; i < rows; i++)
    {
        index[i] = (uint)rng.Next(customers);
        days[i] = start + rng.Next(1096);
        long cents = 100 + rng.Next(500000);
        amounts[i] = rng.Next(100) == 0 ? -cents / 4 : cents;
    }
    string[] ids = Enumerable.Range(0, customers).Select(i => "C" + i).ToArray();
    var times = new List<double>();
    for (int r = 0; r < Repetitions; r++)
    {
        using var p = new Portfolio();
        p.InternCustomers(ids); // not timed, as in the C++ benchmark
        var watch = Stopwatch.StartNew();
        p.AppendTransactions(index, days, amounts);
        times.Add(watch.Elapsed.TotalMilliseconds);
        if (p.Counts.Transactions != rows) throw new InvalidOperationException("rows lost");
    }
    return Median(times);
}

static double CallOverheadNs()
{
    const int Calls = 1_000_000;
    long sink = 0;
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < Calls; i++) sink += CarteiraLibrary.Version.Major;
    GC.KeepAlive(sink);
    return watch.Elapsed.TotalMilliseconds * 1e6 / Calls;
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "CMakePresets.json"))) return dir.FullName;
    }
    throw new InvalidOperationException("no CMakePresets.json above " + AppContext.BaseDirectory);
}
