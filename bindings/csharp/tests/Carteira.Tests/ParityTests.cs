// The parity scenario (tests/parity/README.md) from C#: equal, exactly, to
// the file the C++, C and Python tests compare with.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Xunit;

namespace Carteira.Tests;

public class ParityTests
{
    private static SortedDictionary<string, string> Expected()
    {
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(Repository.PathOf("tests", "parity", "expected.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            expected[fields[0]] = fields[1];
        }
        return expected;
    }

    // C's "%.17g": 17 significant digits, the shortest of the fixed and the
    // exponent forms (the values here print in the fixed form).
    private static string Exact(double v) => v.ToString("G17", CultureInfo.InvariantCulture);

    [Fact]
    public void ParityWithTheCore()
    {
        var got = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var p = new Portfolio())
        {
            p.ImportFile(Entity.Transactions, Repository.PathOf("tests", "data", "cdnow", "CDNOW_sample.txt"),
                         new ImportOptions { Delimiter = ' ', HasHeader = false, ColumnMapping = "customer_id=2;date=3;amount=5" });
            using Model m = Model.FitPortfolio(ModelKind.BgNbd, p, new DateOnly(1997, 9, 30), TimeUnit.Weeks);
            foreach (var (name, value) in m.Parameters) got["cdnow.bgnbd." + name] = Exact(value);
            got["cdnow.bgnbd.log_likelihood"] = Exact(m.FitInfo.LogLikelihood);
        }
        using (var p = new Portfolio())
        {
            p.ImportDirectory(Repository.PathOf("examples", "sample"));
            using StatusPolicy policy = StatusPolicy.Default();
            using var engine = new StatusEngine(p, policy);
            using StatusTable table = engine.Classify(new DateOnly(2026, 10, 31));
            foreach (var (status, count) in table.Counts) got["sample.status." + status.Name()] = count.ToString(CultureInfo.InvariantCulture);
            using (PlanPipeline pipeline = PlanPipeline.FromJson(
                       "{\"policies\": [{\"policy\": \"assign_unowned\"}, {\"policy\": \"rotate_at_risk\", " +
                       "\"max_moves_per_rep\": 3}, {\"policy\": \"rebalance\", \"tolerance\": 0.1}]}"))
            using (Plan plan = Plan.Build(p, table, pipeline))
            {
                got["sample.plan.id"] = plan.Id;
                got["sample.plan.moves"] = plan.Moves.Count.ToString(CultureInfo.InvariantCulture);
                got["sample.plan.unplaced"] = plan.Unplaced.Count.ToString(CultureInfo.InvariantCulture);
                got["sample.plan.gini_after"] = Exact(plan.Fairness(after: true).Gini);
            }
            SegmentTable segments = Segments.Compute(p, new DateOnly(2026, 10, 31));
            foreach (var (segment, count) in segments.SegmentCounts)
            {
                if (count > 0) got["sample.segment." + segment] = count.ToString(CultureInfo.InvariantCulture);
            }
        }
        Assert.Equal(Expected(), got);
    }
}
