// carteira_fit_options as an immutable .NET object.
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>Options of a maximum-likelihood fit; the defaults are the library's.</summary>
public sealed record FitOptions
{
    /// <summary>Maximises LL - L2Penalty * sum(param^2), which keeps ill-determined fits
    /// finite; 0 (the default) = no penalty. Must be &gt;= 0.</summary>
    public double L2Penalty { get; init; }

    /// <summary>Most log-likelihood evaluations; null = the library's default (5000).</summary>
    public int? MaxEvaluations
    {
        get => _maxEvaluations;
        init
        {
            if (value is int n) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n, nameof(value));
            _maxEvaluations = value;
        }
    }

    private readonly int? _maxEvaluations;

    /// <summary>Starting parameters in the model's order (see <see cref="Model.ParameterNames"/>);
    /// null = the model's default start.</summary>
    public IReadOnlyList<double>? Initial { get; init; }

    /// <summary>The C struct; <paramref name="initial"/> is the pinned copy of
    /// <see cref="Initial"/> and must outlive the call.</summary>
    internal unsafe NativeFitOptions ToNative(double* initial)
    {
        NativeFitOptions native = NativeFitOptions.Init();
        native.L2Penalty = L2Penalty;
        native.MaxEvaluations = MaxEvaluations ?? 0;
        native.Initial = initial;
        native.InitialCount = (nuint)(Initial?.Count ?? 0);
        return native;
    }

    /// <summary><see cref="Initial"/> as an array to pin, or null.</summary>
    internal double[]? InitialArray() => Initial is null ? null : [.. Initial];
}
