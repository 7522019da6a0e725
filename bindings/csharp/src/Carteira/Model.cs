// carteira_model: the "buy 'til you die" customer models, fitted or with
// known parameters, and their predictions per customer.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Carteira;

/// <summary>A customer model (carteira_model_kind).</summary>
public enum ModelKind
{
    /// <summary>BG/NBD (Fader, Hardie &amp; Lee 2005): parameters r, alpha, a, b.</summary>
    BgNbd = 0,
    /// <summary>MBG/NBD (Batislam et al. 2007): parameters r, alpha, a, b.</summary>
    MbgNbd = 1,
    /// <summary>Pareto/NBD (Schmittlein et al. 1987): parameters r, alpha, s, beta.</summary>
    ParetoNbd = 2,
    /// <summary>BG/BB (Fader, Hardie &amp; Shang 2010), discrete opportunities: parameters
    /// alpha, beta, gamma, delta.</summary>
    BgBb = 3,
    /// <summary>Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005): parameters p, q, gamma.</summary>
    GammaGamma = 4,
}

/// <summary>How a model was fitted (carteira_fit_info and carteira_model_fit_reason); for a model
/// made from known parameters <see cref="Fitted"/> is false, the numbers 0 and the reason empty.</summary>
/// <param name="Fitted">Fitted to data (false: made from known parameters).</param>
/// <param name="Converged">The optimiser converged; if not, <see cref="Reason"/> says why it stopped.</param>
/// <param name="Evaluations">Log-likelihood evaluations.</param>
/// <param name="LogLikelihood">Total over customers, in the data's own unit.</param>
/// <param name="Customers">Customers fitted: the sum of the weights.</param>
/// <param name="GradientNorm">Of the log-likelihood in log-parameter space, at the result.</param>
/// <param name="Aic">2k - 2 LL.</param>
/// <param name="Bic">k ln(Customers) - 2 LL.</param>
/// <param name="Reason">Why the optimiser stopped, in words ("" for known parameters).</param>
public sealed record FitInfo(
    bool Fitted, bool Converged, int Evaluations, double LogLikelihood, double Customers, double GradientNorm,
    double Aic, double Bic, string Reason);

/// <summary>
/// A customer model held by libcarteira: fitted by maximum likelihood
/// (<see cref="Fit"/>, <see cref="FitPortfolio"/>) or made from known
/// parameters (<see cref="FromParams"/>). The model does not change once
/// made: its kind, parameters and fit information are read once and stay
/// readable after <see cref="Dispose"/>; the predictions need the native
/// model. Dispose it to free the native memory (a finalizer does it otherwise).
/// </summary>
public sealed unsafe class Model : IDisposable
{
    private readonly ModelHandle _handle;

    private Model(ModelHandle handle)
    {
        _handle = handle;
        NativeFitInfo info = NativeFitInfo.Init();
        Errors.Check(NativeMethods.carteira_model_get_fit_info(handle, &info));
        Kind = (ModelKind)info.Kind;
        Unit = (TimeUnit)info.Unit;

        int count = checked((int)info.ParamCount);
        double[] values = new double[count];
        double[] errors = new double[count];
        fixed (double* valuesPtr = values)
        fixed (double* errorsPtr = errors)
        {
            Errors.Check(NativeMethods.carteira_model_get_params(handle, valuesPtr, errorsPtr, (nuint)count));
        }
        string[] names = new string[count];
#if NET9_0_OR_GREATER
        var parameters = new OrderedDictionary<string, double>(count);
        var standardErrors = new OrderedDictionary<string, double>(count);
#else
        // No OrderedDictionary<,> before .NET 9. A Dictionary that is only
        // added to enumerates in insertion order on every .NET, which keeps
        // the model's order here too.
        var parameters = new Dictionary<string, double>(count, StringComparer.Ordinal);
        var standardErrors = new Dictionary<string, double>(count, StringComparer.Ordinal);
#endif
        for (int k = 0; k < count; k++)
        {
            Errors.Check(NativeMethods.carteira_model_param_name(handle, (nuint)k, out byte* name));
            names[k] = Utf8.Decode(name);
            parameters.Add(names[k], values[k]);
            standardErrors.Add(names[k], errors[k]);
        }
        ParameterNames = Array.AsReadOnly(names);
        Parameters = new ReadOnlyDictionary<string, double>(parameters);
        StandardErrors = new ReadOnlyDictionary<string, double>(standardErrors);

        Errors.Check(NativeMethods.carteira_model_fit_reason(handle, out byte* reason));
        FitInfo = new FitInfo(info.Fitted != 0, info.Converged != 0, info.Evaluations, info.LogLikelihood,
                              info.NCustomers, info.GradientNorm, info.Aic, info.Bic, Utf8.Decode(reason));
    }

    internal ModelHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Which model.</summary>
    public ModelKind Kind { get; }

    /// <summary>The unit the model's rates are in: the fitted data's, or the one given to
    /// <see cref="FromParams"/> (meaningless for BG/BB and Gamma-Gamma).</summary>
    public TimeUnit Unit { get; }

    /// <summary>The parameter names in the model's order ("r", "alpha", "a", "b"; ...).</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Parameter values by name, enumerated in the model's order.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>Standard errors by name (from the observed information), in the model's order;
    /// NaN when unknown (known parameters, or a singular information matrix).</summary>
    public IReadOnlyDictionary<string, double> StandardErrors { get; }

    /// <summary>How the model was fitted.</summary>
    public FitInfo FitInfo { get; }

    // ---- Making models ----------------------------------------------------------

    /// <summary>
    /// Fits <paramref name="kind"/> to <paramref name="data"/> by maximum
    /// likelihood. A fit that stopped without converging is returned
    /// (<see cref="FitInfo.Converged"/> false, with the <see cref="FitInfo.Reason"/>);
    /// one that made no progress throws. BG/BB reads x transactions in T
    /// opportunities, the last at t_x; Gamma-Gamma reads x and zbar of the
    /// customers with x &gt; 0.
    /// </summary>
    /// <exception cref="CarteiraArgumentException">Bad data (the message names the row and the
    /// field), no zbar for Gamma-Gamma, bad options, or an unknown kind.</exception>
    public static Model Fit(ModelKind kind, RfmColumns data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        CarteiraLibrary.EnsureCompatible();
        double[]? initial = options?.InitialArray();
        using PinnedRfmColumns pinned = data.Pin();
        NativeRfmColumns columns = pinned.Native;
        fixed (double* initialPtr = initial)
        {
            NativeFitOptions native = options?.ToNative(initialPtr) ?? default;
            CarteiraStatus status = NativeMethods.carteira_model_fit(
                (int)kind, &columns, options is null ? null : &native, out ModelHandle handle);
            return Create(status, handle);
        }
    }

    /// <summary>
    /// Fits <paramref name="kind"/> to the customers of <paramref name="portfolio"/>
    /// summarised as of <paramref name="calibrationEnd"/> in <paramref name="unit"/>
    /// (see <see cref="Portfolio.Summary"/>; zbar is the mean gross value of the
    /// repeat purchase-days, in major units). Not for BG/BB, which needs discrete
    /// opportunities.
    /// </summary>
    /// <exception cref="CarteiraArgumentException">BG/BB, a date outside the accepted years,
    /// bad options, or data the model refuses.</exception>
    public static Model FitPortfolio(ModelKind kind, Portfolio portfolio, DateOnly calibrationEnd, TimeUnit unit,
                                     FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        PortfolioHandle portfolioHandle = portfolio.Handle;
        double[]? initial = options?.InitialArray();
        fixed (double* initialPtr = initial)
        {
            NativeFitOptions native = options?.ToNative(initialPtr) ?? default;
            CarteiraStatus status = NativeMethods.carteira_model_fit_portfolio(
                (int)kind, portfolioHandle, Dates.ToDays(calibrationEnd), (int)unit,
                options is null ? null : &native, out ModelHandle handle);
            return Create(status, handle);
        }
    }

    /// <summary>A model with known parameters, in the model's order, with rates in
    /// <paramref name="unit"/> (ignored for BG/BB and Gamma-Gamma).</summary>
    /// <exception cref="CarteiraArgumentException">The wrong number of parameters
    /// ("bgnbd takes 4 parameters, got 2"), or one not a positive number.</exception>
    public static Model FromParams(ModelKind kind, IReadOnlyList<double> parameters, TimeUnit unit)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CarteiraLibrary.EnsureCompatible();
        double[] values = [.. parameters];
        fixed (double* valuesPtr = values)
        {
            CarteiraStatus status = NativeMethods.carteira_model_create(
                (int)kind, valuesPtr, (nuint)values.Length, (int)unit, out ModelHandle handle);
            return Create(status, handle);
        }
    }

    private static Model Create(CarteiraStatus status, ModelHandle handle)
    {
        if (status != CarteiraStatus.Ok)
        {
            handle.Dispose(); // invalid, so no native call: the last error survives
            Errors.Check(status);
        }
        try
        {
            return new Model(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // ---- Predictions ----------------------------------------------------------------

    /// <summary>P(alive) of each customer of <paramref name="data"/> (any unit: converted).
    /// BG/NBD, MBG/NBD, Pareto/NBD; BG/BB: alive at opportunity T + 1.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">A Gamma-Gamma model.</exception>
    /// <exception cref="CarteiraArgumentException">Bad data; the message names the row.</exception>
    public double[] PAlive(RfmColumns data) =>
        PerCustomer(data, (model, columns, output, capacity) =>
            NativeMethods.carteira_model_p_alive(model, columns, output, capacity));

    /// <summary>Purchases each customer of <paramref name="data"/> is expected to make in the
    /// next <paramref name="horizon"/> <paramref name="horizonUnit"/> (for BG/BB: the next
    /// <paramref name="horizon"/> opportunities, whatever the unit).</summary>
    /// <exception cref="CarteiraFailedPreconditionException">A Gamma-Gamma model.</exception>
    /// <exception cref="CarteiraArgumentException">Bad data (the message names the row), or a
    /// negative horizon.</exception>
    public double[] ExpectedPurchases(RfmColumns data, double horizon, TimeUnit horizonUnit) =>
        PerCustomer(data, (model, columns, output, capacity) =>
            NativeMethods.carteira_model_expected_purchases(model, columns, horizon, (int)horizonUnit, output, capacity));

    /// <summary>Gamma-Gamma: the expected mean spend E[Z | x, zbar] of each customer of
    /// <paramref name="data"/> (the population mean for x = 0); needs <see cref="RfmColumns.Zbar"/>.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">Not a Gamma-Gamma model, or q &lt;= 1.</exception>
    /// <exception cref="CarteiraArgumentException">No zbar column, or a bad row.</exception>
    public double[] ExpectedSpend(RfmColumns data) =>
        PerCustomer(data, (model, columns, output, capacity) =>
            NativeMethods.carteira_model_expected_spend(model, columns, output, capacity));

    /// <summary>E[X(t)]: purchases a customer just acquired is expected to make in
    /// <paramref name="t"/> <paramref name="unit"/> (BG/BB: in t opportunities).</summary>
    /// <exception cref="CarteiraFailedPreconditionException">A Gamma-Gamma model.</exception>
    public double UnconditionalExpectedPurchases(double t, TimeUnit unit)
    {
        Errors.Check(NativeMethods.carteira_model_unconditional_expected_purchases(Handle, t, (int)unit, out double e));
        return e;
    }

    /// <summary>P(X(t) = n): the probability that a customer just acquired makes exactly
    /// <paramref name="n"/> purchases in <paramref name="t"/> <paramref name="unit"/>.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">Not a BG/NBD, MBG/NBD or Pareto/NBD model.</exception>
    /// <exception cref="CarteiraArgumentException">A negative n or t.</exception>
    public double ProbabilityOfPurchases(int n, double t, TimeUnit unit)
    {
        Errors.Check(NativeMethods.carteira_model_probability_of_purchases(Handle, n, t, (int)unit, out double p));
        return p;
    }

    /// <summary>
    /// Lifetime value of each customer of <paramref name="data"/>: this
    /// transaction model's expected purchases in each period, times the
    /// expected spend from <paramref name="spend"/> (a Gamma-Gamma model, so
    /// <paramref name="data"/> needs zbar), times <paramref name="margin"/>,
    /// discounted by <paramref name="discountRate"/> per period, over
    /// <paramref name="horizon"/> (the last period cut at the horizon).
    /// </summary>
    /// <exception cref="CarteiraFailedPreconditionException">This model is a Gamma-Gamma model.</exception>
    /// <exception cref="CarteiraArgumentException"><paramref name="spend"/> is not a Gamma-Gamma model,
    /// no zbar column, a bad row, a period &lt;= 0 or a discount rate &lt;= -1.</exception>
    public double[] LifetimeValue(Model spend, RfmColumns data, double horizon, TimeUnit horizonUnit,
                                  double period, TimeUnit periodUnit, double discountRate, double margin)
    {
        ArgumentNullException.ThrowIfNull(spend);
        ModelHandle spendHandle = spend.Handle;
        return PerCustomer(data, (model, columns, output, capacity) =>
            NativeMethods.carteira_model_lifetime_value(model, spendHandle, columns, horizon, (int)horizonUnit,
                                                        period, (int)periodUnit, discountRate, margin, output,
                                                        capacity));
    }

    /// <summary>Frees the native model; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private delegate CarteiraStatus PerCustomerCall(ModelHandle model, NativeRfmColumns* data, double* output,
                                                    nuint capacity);

    // One value per customer of data, into a new array.
    private double[] PerCustomer(RfmColumns data, PerCustomerCall call)
    {
        ArgumentNullException.ThrowIfNull(data);
        ModelHandle handle = Handle;
        double[] output = new double[data.Count];
        using PinnedRfmColumns pinned = data.Pin();
        NativeRfmColumns columns = pinned.Native;
        fixed (double* outputPtr = output)
        {
            Errors.Check(call(handle, &columns, outputPtr, (nuint)output.Length));
        }
        return output;
    }
}
