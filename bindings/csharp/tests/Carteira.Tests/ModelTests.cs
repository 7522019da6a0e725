using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace Carteira.Tests;

// The customer models through the binding, against the published fits
// (Fader, Hardie & Lee on CDNOW; Fader, Hardie & Shang on the donations).
public unsafe class ModelTests
{
    private static readonly double[] CdnowBgNbd = [0.243, 4.414, 0.793, 2.426];

    // ID,x,t_x,T,zbar (CRLF), weeks: Fader & Hardie's CDNOW calibration period.
    private static RfmColumns Cdnow()
    {
        string[] lines = File.ReadAllLines(Repository.PathOf("tests", "data", "cdnow",
                                                             "cdnow_customers_summary_with_transactions.csv"));
        Assert.Equal("ID,x,t_x,T,zbar", lines[0]);
        double[][] rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return new RfmColumns(rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray(),
                              rows.Select(r => r[2]).ToArray(), TimeUnit.Weeks)
        {
            Zbar = rows.Select(r => r[3]).ToArray(),
        };
    }

    // frequency,recency,periods,weights: x donations in 6 opportunities, the last at t_x.
    private static RfmColumns Donations()
    {
        string[] lines = File.ReadAllLines(Repository.PathOf("tests", "data", "donations", "donations.csv"));
        Assert.Equal("frequency,recency,periods,weights", lines[0]);
        double[][] rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return new RfmColumns(rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray(),
                              rows.Select(r => r[2]).ToArray(), TimeUnit.Weeks) // the unit means nothing for BG/BB
        {
            Weight = rows.Select(r => r[3]).ToArray(),
        };
    }

    // Hardie's spreadsheet customer: x = 2, t_x = 30.43, T = 38.86 weeks.
    private static RfmColumns HardiesCustomer(TimeUnit unit = TimeUnit.Weeks)
    {
        double f = unit == TimeUnit.Days ? 7 : 1;
        return Rows(unit, (2, 30.43 * f, 38.86 * f));
    }

    // One (x, t_x, T) per customer.
    private static RfmColumns Rows(TimeUnit unit, params (double X, double TX, double T)[] rows) =>
        new(rows.Select(r => r.X).ToArray(), rows.Select(r => r.TX).ToArray(), rows.Select(r => r.T).ToArray(), unit);

    private static double[] Col(params double[] values) => values;

    private static RfmColumns WithZbar(RfmColumns c, params double[] zbar) => new(c.X, c.TX, c.T, c.Unit) { Zbar = zbar };

    [Fact]
    public void EnumsHaveTheHeadersNumbers()
    {
        Assert.Equal([0, 1, 2, 3, 4], Enum.GetValues<ModelKind>().Select(k => (int)k));
        Assert.Equal(2, (int)TimeUnit.Months);
    }

    [Fact]
    public void BgNbdReproducesFaderHardieLeeOnCdnow()
    {
        RfmColumns cdnow = Cdnow();
        Assert.Equal(2357, cdnow.Count);

        using Model m = Model.Fit(ModelKind.BgNbd, cdnow);

        Assert.Equal(ModelKind.BgNbd, m.Kind);
        Assert.Equal(TimeUnit.Weeks, m.Unit);
        Assert.Equal(["r", "alpha", "a", "b"], m.ParameterNames);
        Assert.Equal(["r", "alpha", "a", "b"], m.Parameters.Keys);       // in the model's order
        Assert.Equal(0.243, m.Parameters["r"], 0.0005);
        Assert.Equal(4.414, m.Parameters["alpha"], 0.0005);
        Assert.Equal(0.793, m.Parameters["a"], 0.0005);
        Assert.Equal(2.426, m.Parameters["b"], 0.0005);
        Assert.All(m.StandardErrors.Values, se => Assert.True(double.IsFinite(se) && se > 0, $"{se}"));
        Assert.Equal(m.ParameterNames, m.StandardErrors.Keys);

        FitInfo f = m.FitInfo;
        Assert.True(f.Fitted);
        Assert.True(f.Converged, f.Reason);
        Assert.NotEmpty(f.Reason);
        Assert.True(f.Evaluations > 0);
        Assert.Equal(-9582.4, f.LogLikelihood, 0.05);
        Assert.Equal(2357, f.Customers);
        Assert.True(f.GradientNorm >= 0 && f.GradientNorm < 1e-2, $"{f.GradientNorm}");
        Assert.Equal(2 * 4 - 2 * f.LogLikelihood, f.Aic, 1e-9);
        Assert.Equal(4 * Math.Log(2357) - 2 * f.LogLikelihood, f.Bic, 1e-9);
    }

    [Fact]
    public void FittingInDaysScalesTheRateOnly()
    {
        RfmColumns weeks = Cdnow();
        var days = new RfmColumns(weeks.X, weeks.TX.ToArray().Select(v => v * 7).ToArray(),
                                  weeks.T.ToArray().Select(v => v * 7).ToArray(), TimeUnit.Days);
        using Model w = Model.Fit(ModelKind.BgNbd, weeks);
        using Model d = Model.Fit(ModelKind.BgNbd, days);

        Assert.Equal(TimeUnit.Days, d.Unit);
        Assert.True(d.FitInfo.Converged, d.FitInfo.Reason);
        // alpha is a scale of time: 7 times larger in days; r, a and b are unitless.
        Assert.Equal(w.Parameters["alpha"] * 7, d.Parameters["alpha"], 7 * 0.001);
        foreach (string name in new[] { "r", "a", "b" }) Assert.Equal(w.Parameters[name], d.Parameters[name], 0.001);
        // The same predictions, whatever the units of the model, the data and the horizon.
        double[] inWeeks = w.ExpectedPurchases(weeks, 39, TimeUnit.Weeks);
        double[] inDays = d.ExpectedPurchases(weeks, 273, TimeUnit.Days);
        for (int i = 0; i < inWeeks.Length; i++) Assert.Equal(inWeeks[i], inDays[i], 1e-3 * (1 + inWeeks[i]));
    }

    [Fact]
    public void WeightsStandForIdenticalCustomers()
    {
        RfmColumns cdnow = Cdnow();
        var groups = Enumerable.Range(0, cdnow.Count)
            .GroupBy(i => (cdnow.X.Span[i], cdnow.TX.Span[i], cdnow.T.Span[i]))
            .Select(g => (g.Key, Count: (double)g.Count())).ToArray();
        Assert.True(groups.Length < cdnow.Count);
        var grouped = new RfmColumns(groups.Select(g => g.Key.Item1).ToArray(), groups.Select(g => g.Key.Item2).ToArray(),
                                     groups.Select(g => g.Key.Item3).ToArray(), TimeUnit.Weeks)
        {
            Weight = groups.Select(g => g.Count).ToArray(),
        };

        using Model all = Model.Fit(ModelKind.BgNbd, cdnow);
        using Model weighted = Model.Fit(ModelKind.BgNbd, grouped);

        Assert.Equal(2357, weighted.FitInfo.Customers);
        Assert.Equal(all.FitInfo.LogLikelihood, weighted.FitInfo.LogLikelihood, 1e-6);
        Assert.Equal(all.FitInfo.Bic, weighted.FitInfo.Bic, 1e-6);
        foreach (string name in all.ParameterNames) Assert.Equal(all.Parameters[name], weighted.Parameters[name], 1e-4);
    }

    [Fact]
    public void MbgNbdReproducesBtydPlusOnCdnow()
    {
        using Model m = Model.Fit(ModelKind.MbgNbd, Cdnow());

        Assert.Equal(ModelKind.MbgNbd, m.Kind);
        Assert.True(m.FitInfo.Converged, m.FitInfo.Reason);
        Assert.Equal(0.525, m.Parameters["r"], 0.0005);
        Assert.Equal(6.183, m.Parameters["alpha"], 0.0005);
        Assert.Equal(0.891, m.Parameters["a"], 0.0005);
        Assert.Equal(1.614, m.Parameters["b"], 0.0005);
        Assert.Equal(-9582.1, m.FitInfo.LogLikelihood, 0.05);
    }

    [Fact]
    public void ParetoNbdReproducesFaderHardieOnCdnow()
    {
        using Model m = Model.Fit(ModelKind.ParetoNbd, Cdnow());

        Assert.Equal(["r", "alpha", "s", "beta"], m.ParameterNames);
        Assert.True(m.FitInfo.Converged, m.FitInfo.Reason);
        Assert.Equal(-9595.0, m.FitInfo.LogLikelihood, 0.05);
        // Published: r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 (a flat maximum).
        Assert.Equal(0.553, m.Parameters["r"], 0.553 * 0.01);
        Assert.Equal(10.578, m.Parameters["alpha"], 10.578 * 0.01);
        Assert.Equal(0.606, m.Parameters["s"], 0.606 * 0.02);
        Assert.Equal(11.669, m.Parameters["beta"], 11.669 * 0.03);

        double[] alive = m.PAlive(Cdnow());
        Assert.All(alive, p => Assert.InRange(p, 0.0, 1.0));
        // P(X(t) = n) for a new customer: a distribution over n, the same in days and weeks.
        double total = 0;
        for (int n = 0; n < 2000 && total < 1 - 1e-12; n++) total += m.ProbabilityOfPurchases(n, 39, TimeUnit.Weeks);
        Assert.Equal(1.0, total, 1e-9);
        Assert.Equal(m.ProbabilityOfPurchases(1, 39, TimeUnit.Weeks), m.ProbabilityOfPurchases(1, 273, TimeUnit.Days), 1e-12);
    }

    [Fact]
    public void GammaGammaReproducesFaderHardieOnCdnow()
    {
        RfmColumns cdnow = Cdnow();
        using Model m = Model.Fit(ModelKind.GammaGamma, cdnow);

        Assert.Equal(["p", "q", "gamma"], m.ParameterNames);
        Assert.True(m.FitInfo.Converged, m.FitInfo.Reason);
        Assert.Equal(6.25, m.Parameters["p"], 0.005);
        Assert.Equal(3.74, m.Parameters["q"], 0.005);
        Assert.Equal(15.44, m.Parameters["gamma"], 0.01);
        // Fitted on the customers with repeat purchases only.
        int repeaters = cdnow.X.ToArray().Count(x => x > 0);
        Assert.Equal(repeaters, m.FitInfo.Customers);

        // E[Z | x, zbar] = weighted mean of the population mean p gamma / (q - 1) and zbar.
        double p = m.Parameters["p"], q = m.Parameters["q"], g = m.Parameters["gamma"];
        double[] spend = m.ExpectedSpend(cdnow);
        for (int i = 0; i < cdnow.Count; i++)
        {
            double x = cdnow.X.Span[i], zbar = cdnow.Zbar.Span[i];
            double expected = (g + x * zbar) * p / (p * x + q - 1);
            Assert.Equal(expected, spend[i], 1e-9 * expected);
        }

        // A spend model predicts no purchases.
        Assert.Throws<CarteiraFailedPreconditionException>(() => m.PAlive(cdnow));
        Assert.Throws<CarteiraFailedPreconditionException>(() => m.ExpectedPurchases(cdnow, 39, TimeUnit.Weeks));
        Assert.Throws<CarteiraFailedPreconditionException>(() => m.UnconditionalExpectedPurchases(39, TimeUnit.Weeks));
        Assert.Throws<CarteiraFailedPreconditionException>(() => m.ProbabilityOfPurchases(1, 39, TimeUnit.Weeks));
    }

    [Fact]
    public void GammaGammaRefusesSpendThatIsNotPositive()
    {
        // Row 2 has repeat purchases worth nothing; row 1 (x = 0) may have zbar 0.
        var data = WithZbar(Rows(TimeUnit.Weeks, (1, 4, 10), (0, 0, 10), (2, 6, 10), (3, 7, 10)), 12.5, 0, 0, 20);
        var ex = Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.GammaGamma, data));
        Assert.Contains("row 2", ex.Message);
        Assert.Contains("zbar", ex.Message);
        Assert.Equal(CarteiraStatus.InvalidArgument, ex.Code);

        var negative = WithZbar(Rows(TimeUnit.Weeks, (1, 4, 10)), -3);
        Assert.Contains("row 0", Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.GammaGamma, negative)).Message);

        // And without a zbar column at all.
        var none = Rows(TimeUnit.Weeks, (1, 4, 10));
        Assert.Contains("zbar", Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.GammaGamma, none)).Message);
    }

    [Fact]
    public void BgBbReproducesFaderHardieShangOnTheDonations()
    {
        RfmColumns donations = Donations();
        using Model m = Model.Fit(ModelKind.BgBb, donations);

        Assert.Equal(["alpha", "beta", "gamma", "delta"], m.ParameterNames);
        Assert.True(m.FitInfo.Converged, m.FitInfo.Reason);
        Assert.Equal(1.204, m.Parameters["alpha"], 0.0005);
        Assert.Equal(0.750, m.Parameters["beta"], 0.0005);
        Assert.Equal(0.657, m.Parameters["gamma"], 0.0005);
        Assert.Equal(2.783, m.Parameters["delta"], 0.0005);
        Assert.Equal(-33225.6, m.FitInfo.LogLikelihood, 0.05);
        Assert.Equal(donations.Weight.ToArray().Sum(), m.FitInfo.Customers);

        // Predictions in opportunities: more future opportunities, more donations;
        // someone who gave at all 6 is likelier alive than someone who never gave.
        double[] alive = m.PAlive(donations);
        Assert.All(alive, p => Assert.InRange(p, 0.0, 1.0));
        Assert.True(alive[^1] > alive[0]);
        double[] five = m.ExpectedPurchases(donations, 5, TimeUnit.Weeks);
        double[] ten = m.ExpectedPurchases(donations, 10, TimeUnit.Days); // the unit is ignored: opportunities
        for (int i = 0; i < five.Length; i++) Assert.True(ten[i] > five[i]);
        // A new donor: E[X(n)] grows with n, and is below n.
        double e6 = m.UnconditionalExpectedPurchases(6, TimeUnit.Weeks);
        Assert.InRange(e6, 0.0, 6.0);
        Assert.True(m.UnconditionalExpectedPurchases(12, TimeUnit.Weeks) > e6);
    }

    [Fact]
    public void BgBbErrorsNameTheRow()
    {
        // Row 1: 3 donations in 2 opportunities.
        var data = Rows(TimeUnit.Weeks, (1, 1, 6), (3, 2, 2));
        var ex = Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.BgBb, data));
        Assert.Contains("row 1", ex.Message);
    }

    [Fact]
    public void HardiesSpreadsheetCustomerExpectsTheSamePurchasesInAnyUnit()
    {
        using Model m = Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, TimeUnit.Weeks);

        Assert.Equal(1.2260281747671405, m.ExpectedPurchases(HardiesCustomer(), 39, TimeUnit.Weeks)[0], 1e-9);
        Assert.Equal(1.2260281747671405, m.ExpectedPurchases(HardiesCustomer(), 273, TimeUnit.Days)[0], 1e-9);
        // The customer's history in days is converted too.
        Assert.Equal(1.2260281747671405, m.ExpectedPurchases(HardiesCustomer(TimeUnit.Days), 273, TimeUnit.Days)[0], 1e-9);

        // P(alive) from its closed form (Fader, Hardie & Lee 2005, eq. 13).
        double r = CdnowBgNbd[0], alpha = CdnowBgNbd[1], a = CdnowBgNbd[2], b = CdnowBgNbd[3];
        double x = 2, tX = 30.43, t = 38.86;
        double expected = 1 / (1 + a / (b + x - 1) * Math.Pow((alpha + t) / (alpha + tX), r + x));
        Assert.Equal(expected, m.PAlive(HardiesCustomer())[0], 1e-12);
        Assert.Equal(expected, m.PAlive(HardiesCustomer(TimeUnit.Days))[0], 1e-12);
    }

    [Fact]
    public void KnownParametersMakeAnUnfittedModel()
    {
        using Model m = Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, TimeUnit.Weeks);

        Assert.Equal(ModelKind.BgNbd, m.Kind);
        Assert.Equal(TimeUnit.Weeks, m.Unit);
        Assert.Equal(CdnowBgNbd, m.Parameters.Values);
        Assert.All(m.StandardErrors.Values, se => Assert.True(double.IsNaN(se)));
        Assert.Equal(new FitInfo(false, false, 0, 0, 0, 0, 0, 0, ""), m.FitInfo);

        using Model gg = Model.FromParams(ModelKind.GammaGamma, [6.25, 3.74, 15.44], TimeUnit.Days);
        Assert.Equal(["p", "q", "gamma"], gg.ParameterNames);

        var count = Assert.Throws<CarteiraArgumentException>(() => Model.FromParams(ModelKind.BgNbd, [1, 2], TimeUnit.Weeks));
        Assert.Equal("bgnbd takes 4 parameters, got 2", count.Message);
        var negative = Assert.Throws<CarteiraArgumentException>(
            () => Model.FromParams(ModelKind.ParetoNbd, [1, -2, 1, 1], TimeUnit.Weeks));
        Assert.Equal("paretonbd: parameter alpha must be a positive number, got -2", negative.Message);
        Assert.Throws<CarteiraArgumentException>(() => Model.FromParams((ModelKind)5, [1, 1, 1, 1], TimeUnit.Weeks));
        Assert.Throws<CarteiraArgumentException>(() => Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, (TimeUnit)3));
    }

    [Fact]
    public void NewCustomersPurchasesFollowTheDistribution()
    {
        using Model m = Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, TimeUnit.Weeks);

        foreach (double weeks in new[] { 1.0, 39, 78 })
        {
            double total = 0, mean = 0;
            for (int n = 0; n < 400; n++)
            {
                double p = m.ProbabilityOfPurchases(n, weeks, TimeUnit.Weeks);
                total += p;
                mean += n * p;
            }
            Assert.Equal(1.0, total, 1e-9);
            Assert.Equal(m.UnconditionalExpectedPurchases(weeks, TimeUnit.Weeks), mean, 1e-7 * Math.Max(1, mean));
        }
        // The same time in other units.
        double year = m.UnconditionalExpectedPurchases(52, TimeUnit.Weeks);
        Assert.Equal(year, m.UnconditionalExpectedPurchases(364, TimeUnit.Days), 1e-12);
        Assert.Equal(m.UnconditionalExpectedPurchases(365.25, TimeUnit.Days), m.UnconditionalExpectedPurchases(12, TimeUnit.Months), 1e-12);
        Assert.Equal(m.ProbabilityOfPurchases(2, 52, TimeUnit.Weeks), m.ProbabilityOfPurchases(2, 364, TimeUnit.Days), 1e-12);

        Assert.Throws<CarteiraArgumentException>(() => m.ProbabilityOfPurchases(-1, 39, TimeUnit.Weeks));
        Assert.Throws<CarteiraArgumentException>(() => m.UnconditionalExpectedPurchases(-1, TimeUnit.Weeks));
        Assert.Throws<CarteiraArgumentException>(() => m.ExpectedPurchases(HardiesCustomer(), -1, TimeUnit.Weeks));
    }

    [Fact]
    public void LifetimeValueIsDiscountedPurchasesTimesSpend()
    {
        RfmColumns cdnow = Cdnow();
        using Model bg = Model.Fit(ModelKind.BgNbd, cdnow);
        using Model gg = Model.Fit(ModelKind.GammaGamma, cdnow);

        // One period, no discount, margin 1: expected purchases x expected spend.
        double[] one = bg.LifetimeValue(gg, cdnow, 52, TimeUnit.Weeks, 52, TimeUnit.Weeks, 0.0, 1.0);
        double[] purchases = bg.ExpectedPurchases(cdnow, 52, TimeUnit.Weeks);
        double[] spend = gg.ExpectedSpend(cdnow);
        for (int i = 0; i < cdnow.Count; i++) Assert.Equal(purchases[i] * spend[i], one[i], 1e-9 * (1 + one[i]));

        // Monthly periods, 1% a month, 30% margin: positive, below the undiscounted margin.
        double[] clv = bg.LifetimeValue(gg, cdnow, 12, TimeUnit.Months, 1, TimeUnit.Months, 0.01, 0.3);
        for (int i = 0; i < cdnow.Count; i++)
        {
            Assert.True(clv[i] > 0);
            Assert.True(clv[i] < 0.3 * one[i] * 1.0001);
        }

        var notSpend = Assert.Throws<CarteiraArgumentException>(
            () => bg.LifetimeValue(bg, cdnow, 52, TimeUnit.Weeks, 4, TimeUnit.Weeks, 0, 1));
        Assert.Contains("gammagamma", notSpend.Message);
        var noZbar = new RfmColumns(cdnow.X, cdnow.TX, cdnow.T, cdnow.Unit);
        Assert.Contains("zbar", Assert.Throws<CarteiraArgumentException>(
            () => bg.LifetimeValue(gg, noZbar, 52, TimeUnit.Weeks, 4, TimeUnit.Weeks, 0, 1)).Message);
        Assert.Throws<CarteiraArgumentException>(() => bg.LifetimeValue(gg, cdnow, 52, TimeUnit.Weeks, 0, TimeUnit.Weeks, 0, 1));
        Assert.Throws<CarteiraFailedPreconditionException>(
            () => gg.LifetimeValue(gg, cdnow, 52, TimeUnit.Weeks, 4, TimeUnit.Weeks, 0, 1));
    }

    [Fact]
    public void BadInputErrorsNameTheRowAndField()
    {
        using Model m = Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, TimeUnit.Weeks);
        var fractional = Rows(TimeUnit.Weeks, (1, 2, 5), (1.5, 3, 5));
        var ex = Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.BgNbd, fractional));
        Assert.Equal("rfm data row 1: x = 1.5: not a whole number >= 0", ex.Message);
        Assert.Contains("row 1", Assert.Throws<CarteiraArgumentException>(() => m.PAlive(fractional)).Message);

        var late = Rows(TimeUnit.Weeks, (1, 2, 5), (1, 3, 5), (2, 9, 5));
        ex = Assert.Throws<CarteiraArgumentException>(() => m.ExpectedPurchases(late, 10, TimeUnit.Weeks));
        Assert.StartsWith("rfm data row 2: t_x = 9", ex.Message);

        var weight = new RfmColumns(Col(1), Col(2), Col(5), TimeUnit.Weeks) { Weight = Col(0) };
        Assert.Contains("row 0: weight", Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.ParetoNbd, weight)).Message);

        Assert.Throws<CarteiraArgumentException>(() => Model.Fit((ModelKind)(-1), late));
        var badUnit = Rows((TimeUnit)7, (1, 2, 5));
        Assert.Contains("carteira_rfm_columns.unit", Assert.Throws<CarteiraArgumentException>(() => m.PAlive(badUnit)).Message);
    }

    [Fact]
    public void ColumnsOfTheWrongLengthAreRefusedBeforeTheCall()
    {
        Assert.Throws<ArgumentException>("tX", () => new RfmColumns(Col(1, 2), Col(1), Col(3, 3), TimeUnit.Days));
        Assert.Throws<ArgumentException>("t", () => new RfmColumns(Col(1), Col(1), Col(3, 3), TimeUnit.Days));
        Assert.Throws<ArgumentException>("Weight", () => new RfmColumns(Col(1), Col(1), Col(3), TimeUnit.Days)
        {
            Weight = Col(1, 1),
        });
        Assert.Throws<ArgumentException>("Zbar", () => WithZbar(Rows(TimeUnit.Days, (1, 1, 3)), 1, 1));

        // No customers: nothing to predict, and nothing to fit.
        var empty = new RfmColumns(ReadOnlyMemory<double>.Empty, ReadOnlyMemory<double>.Empty, ReadOnlyMemory<double>.Empty, TimeUnit.Weeks);
        using Model m = Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, TimeUnit.Weeks);
        Assert.Empty(m.PAlive(empty));
        Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.BgNbd, empty));
    }

    [Fact]
    public void FitOptionsReachTheOptimiser()
    {
        RfmColumns cdnow = Cdnow();
        using Model plain = Model.Fit(ModelKind.BgNbd, cdnow);

        // Starting at the answer: the same maximum, in fewer evaluations.
        using Model started = Model.Fit(ModelKind.BgNbd, cdnow, new FitOptions { Initial = plain.Parameters.Values.ToArray() });
        Assert.True(started.FitInfo.Converged, started.FitInfo.Reason);
        Assert.Equal(plain.FitInfo.LogLikelihood, started.FitInfo.LogLikelihood, 1e-6);
        Assert.True(started.FitInfo.Evaluations < plain.FitInfo.Evaluations);

        // A penalty pulls the parameters in and costs likelihood.
        using Model penalised = Model.Fit(ModelKind.BgNbd, cdnow, new FitOptions { L2Penalty = 1 });
        Assert.True(penalised.FitInfo.LogLikelihood < plain.FitInfo.LogLikelihood);
        double Norm(Model m) => m.Parameters.Values.Sum(p => p * p);
        Assert.True(Norm(penalised) < Norm(plain));

        // Too few evaluations: returned unconverged, saying why.
        using Model cut = Model.Fit(ModelKind.BgNbd, cdnow, new FitOptions { MaxEvaluations = 20 });
        Assert.False(cut.FitInfo.Converged);
        Assert.NotEmpty(cut.FitInfo.Reason);
        Assert.True(cut.FitInfo.Evaluations <= 25, $"{cut.FitInfo.Evaluations}");

        Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.BgNbd, cdnow, new FitOptions { L2Penalty = -1 }));
        Assert.Throws<CarteiraArgumentException>(() => Model.Fit(ModelKind.BgNbd, cdnow, new FitOptions { Initial = [1.0, 2.0] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitOptions { MaxEvaluations = 0 });
    }

    [Fact]
    public void DisposedModelsKeepTheirDescriptionButPredictNothing()
    {
        Model m = Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, TimeUnit.Weeks);
        using Model gg = Model.FromParams(ModelKind.GammaGamma, [6.25, 3.74, 15.44], TimeUnit.Weeks);
        m.Dispose();
        m.Dispose();

        Assert.Equal(0.243, m.Parameters["r"]);
        Assert.Throws<ObjectDisposedException>(() => m.PAlive(HardiesCustomer()));
        Assert.Throws<ObjectDisposedException>(() => m.UnconditionalExpectedPurchases(1, TimeUnit.Weeks));
        Assert.Throws<ObjectDisposedException>(() => m.LifetimeValue(gg, HardiesCustomer(), 1, TimeUnit.Weeks, 1, TimeUnit.Weeks, 0, 1));
        using Model live = Model.FromParams(ModelKind.BgNbd, CdnowBgNbd, TimeUnit.Weeks);
        Assert.Throws<ObjectDisposedException>(() => live.LifetimeValue(m, HardiesCustomer(), 1, TimeUnit.Weeks, 1, TimeUnit.Weeks, 0, 1));
    }

    // The C calls' own checks, which the idiomatic API never trips.
    [Fact]
    public void NativeCallsCheckIndicesAndCapacities()
    {
        using Model m = Model.FromParams(ModelKind.GammaGamma, [6.25, 3.74, 15.44], TimeUnit.Weeks);
        Assert.Equal(CarteiraStatus.OutOfRange, NativeMethods.carteira_model_param_name(m.Handle, 3, out byte* name));
        Assert.Contains("parameter 3 of 3", Errors.LastMessage());
        double* two = stackalloc double[2];
        Assert.Equal(CarteiraStatus.OutOfRange, NativeMethods.carteira_model_get_params(m.Handle, two, null, 2));
        double* three = stackalloc double[3];
        Assert.Equal(CarteiraStatus.Ok, NativeMethods.carteira_model_get_params(m.Handle, three, null, 3));
        Assert.Equal(15.44, three[2]);
        NativeFitInfo tooSmall = NativeFitInfo.Init();
        tooSmall.StructSize = 8;
        Assert.Equal(CarteiraStatus.InvalidArgument, NativeMethods.carteira_model_get_fit_info(m.Handle, &tooSmall));
    }
}

// Fits on the sample portfolio (5,000 customers), imported once.
public sealed class SampleModelFixture : IDisposable
{
    public SampleModelFixture()
    {
        Portfolio = new Portfolio();
        Portfolio.ImportDirectory(Repository.PathOf("examples", "sample"));
    }

    public static DateOnly CalibrationEnd { get; } = new(2026, 6, 30);

    public Portfolio Portfolio { get; }

    public void Dispose() => Portfolio.Dispose();
}

public class SampleModelTests(SampleModelFixture sample) : IClassFixture<SampleModelFixture>
{
    [Fact]
    public void PAliveRuleJudgesAndExplains()
    {
        using StatusPolicy policy = StatusPolicy.Default();
        using var engine = new StatusEngine(sample.Portfolio, policy);
        using (Model bg = Model.FromParams(ModelKind.BgNbd, [0.243, 4.414, 0.793, 2.426], TimeUnit.Weeks))
        {
            engine.AddPAliveRule(bg, atRiskBelow: 0.5, inactiveBelow: 0.2, horizon: 90, horizonUnit: TimeUnit.Days);
        }
        using StatusTable table = engine.Classify(SampleModelFixture.CalibrationEnd);
        int decided = 0;
        for (int row = 0; row < table.Count; ++row)
        {
            if (table.RuleName(row) != "p_alive") continue;
            ++decided;
            Assert.Contains("P(alive) ", table.Reason(row));
            Assert.Contains("purchases in the next 90 days", table.Reason(row));
        }
        Assert.True(decided > 0);

        // Its figures are columns: NaN exactly for the customers without a purchase.
        Assert.Equal(["p_alive", "expected_purchases_90d"], table.FieldNames);
        double[] alive = table.GetField("p_alive"), expected = table.GetField("expected_purchases_90d");
        int[] purchaseDays = table.GetPurchaseDays();
        Assert.Equal(table.Count, alive.Length);
        for (int row = 0; row < table.Count; ++row)
        {
            if (purchaseDays[row] == 0)
            {
                Assert.True(double.IsNaN(alive[row]) && double.IsNaN(expected[row]));
            }
            else
            {
                Assert.InRange(alive[row], 0.0, 1.0);
                Assert.True(expected[row] >= 0);
            }
        }
        var missing = Assert.Throws<KeyNotFoundException>(() => table.GetField("nope"));
        Assert.Contains("p_alive, expected_purchases_90d", missing.Message);

        using Model gg = Model.FromParams(ModelKind.GammaGamma, [6.25, 3.74, 15.44], TimeUnit.Weeks);
        Assert.Throws<CarteiraArgumentException>(() => engine.AddPAliveRule(gg));
    }

    private static readonly DateOnly End = SampleModelFixture.CalibrationEnd;

    [Fact]
    public void FitPortfolioConvergesOnTheSummarisedCustomers()
    {
        using Model m = Model.FitPortfolio(ModelKind.BgNbd, sample.Portfolio, End, TimeUnit.Weeks);
        CustomerSummary summary = sample.Portfolio.Summary(End, TimeUnit.Weeks);

        Assert.Equal(ModelKind.BgNbd, m.Kind);
        Assert.Equal(TimeUnit.Weeks, m.Unit);
        Assert.True(m.FitInfo.Fitted);
        // The sample's dropout barely varies across customers: a and b may run
        // along a ridge, which the fit then reports instead of claiming convergence.
        Assert.True(m.FitInfo.Converged || m.FitInfo.Reason.Contains("ridge"), m.FitInfo.Reason);
        Assert.Equal(summary.Count, m.FitInfo.Customers);
        Assert.All(m.Parameters.Values, p => Assert.True(double.IsFinite(p) && p > 0));

        // The same fit from the summary's columns.
        RfmColumns data = RfmColumns.FromSummary(summary);
        using Model same = Model.Fit(ModelKind.BgNbd, data);
        Assert.Equal(m.FitInfo.LogLikelihood, same.FitInfo.LogLikelihood, 1e-6);

        double[] alive = m.PAlive(data);
        double[] next = m.ExpectedPurchases(data, 90, TimeUnit.Days);
        Assert.Equal(summary.Count, alive.Length);
        Assert.All(alive, p => Assert.InRange(p, 0.0, 1.0));
        Assert.All(next, e => Assert.True(e >= 0 && double.IsFinite(e)));
    }

    [Fact]
    public void FitPortfolioPassesTheOptions()
    {
        using Model cut = Model.FitPortfolio(ModelKind.BgNbd, sample.Portfolio, End, TimeUnit.Days,
                                             new FitOptions { MaxEvaluations = 10 });
        Assert.Equal(TimeUnit.Days, cut.Unit);
        Assert.False(cut.FitInfo.Converged);
        Assert.Contains("evaluations", cut.FitInfo.Reason);
        Assert.Throws<CarteiraArgumentException>(() => Model.FitPortfolio(
            ModelKind.BgNbd, sample.Portfolio, End, TimeUnit.Days, new FitOptions { L2Penalty = double.NaN }));
    }

    [Fact]
    public void SpendAndLifetimeValueFromThePortfolio()
    {
        CustomerSummary summary = sample.Portfolio.Summary(End, TimeUnit.Weeks);
        // Gamma-Gamma fits the customers with repeat purchases (whether the
        // optimiser converges on this synthetic spend is the library's business).
        using (Model fitted = Model.FitPortfolio(ModelKind.GammaGamma, sample.Portfolio, End, TimeUnit.Weeks))
        {
            Assert.Equal(ModelKind.GammaGamma, fitted.Kind);
            Assert.True(fitted.FitInfo.Fitted);
            Assert.Equal(summary.X.Count(x => x > 0), fitted.FitInfo.Customers);
            Assert.True(fitted.FitInfo.Converged || fitted.FitInfo.Reason.Length > 0);
        }

        using Model bg = Model.FitPortfolio(ModelKind.BgNbd, sample.Portfolio, End, TimeUnit.Weeks);
        using Model gg = Model.FromParams(ModelKind.GammaGamma, [6.25, 3.74, 15.44], TimeUnit.Weeks);
        RfmColumns data = RfmColumns.FromSummary(summary);
        Assert.Equal(summary.Zbar, data.Zbar.ToArray());

        double[] clv = bg.LifetimeValue(gg, data, 12, TimeUnit.Months, 1, TimeUnit.Months, 0.01, 0.3);
        double[] undiscounted = bg.LifetimeValue(gg, data, 12, TimeUnit.Months, 12, TimeUnit.Months, 0, 0.3);

        Assert.Equal(data.Count, clv.Length);
        for (int i = 0; i < clv.Length; i++)
        {
            Assert.True(clv[i] > 0 && double.IsFinite(clv[i]), $"row {i}: {clv[i]}");
            Assert.True(clv[i] < undiscounted[i] * 1.0001, $"row {i}: {clv[i]} >= {undiscounted[i]}");
        }
    }

    [Fact]
    public void FitPortfolioRefusesBgBbAndDisposedPortfolios()
    {
        var ex = Assert.Throws<CarteiraArgumentException>(
            () => Model.FitPortfolio(ModelKind.BgBb, sample.Portfolio, End, TimeUnit.Weeks));
        Assert.Contains("bgbb", ex.Message);
        Assert.Throws<CarteiraArgumentException>(
            () => Model.FitPortfolio(ModelKind.BgNbd, sample.Portfolio, End, (TimeUnit)9));

        var gone = new Portfolio();
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Model.FitPortfolio(ModelKind.BgNbd, gone, End, TimeUnit.Weeks));
    }
}
