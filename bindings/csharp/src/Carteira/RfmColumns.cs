// carteira_rfm_columns: the per-customer input of the customer models.
using System;
using System.Buffers;

namespace Carteira;

/// <summary>
/// Per-customer input of the customer models, as columns (Fader &amp; Hardie's
/// notation): <see cref="X"/> repeat purchase-days, <see cref="TX"/> the time
/// of the last purchase and <see cref="T"/> the length of observation, both
/// from the first purchase, in <see cref="Unit"/>. For BG/BB: x transactions
/// in T opportunities, the last at opportunity t_x (the unit is ignored).
/// The columns are not copied: they are pinned for the duration of each call.
/// Values are checked by the library, whose errors name the row
/// ("rfm data row 2: x = -1: not a whole number &gt;= 0").
/// </summary>
public sealed class RfmColumns
{
    private readonly ReadOnlyMemory<double> _weight;
    private readonly ReadOnlyMemory<double> _zbar;

    /// <summary>The required columns, one entry per customer.</summary>
    /// <param name="x">Repeat purchase-days (whole numbers &gt;= 0).</param>
    /// <param name="tX">Time of the last purchase, 0 &lt;= t_x &lt;= T; 0 when x = 0.</param>
    /// <param name="t">Length of observation, &gt;= 0.</param>
    /// <param name="unit">The unit of <paramref name="tX"/> and <paramref name="t"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="tX"/> or <paramref name="t"/> is not as long as <paramref name="x"/>.</exception>
    public RfmColumns(ReadOnlyMemory<double> x, ReadOnlyMemory<double> tX, ReadOnlyMemory<double> t, TimeUnit unit)
    {
        RequireLength(tX, x.Length, nameof(tX));
        RequireLength(t, x.Length, nameof(t));
        X = x;
        TX = tX;
        T = t;
        Unit = unit;
    }

    /// <summary>Number of customers (rows).</summary>
    public int Count => X.Length;

    /// <summary>Repeat purchase-days.</summary>
    public ReadOnlyMemory<double> X { get; }

    /// <summary>Time of the last purchase, from the first, in <see cref="Unit"/>.</summary>
    public ReadOnlyMemory<double> TX { get; }

    /// <summary>Length of observation, from the first purchase, in <see cref="Unit"/>.</summary>
    public ReadOnlyMemory<double> T { get; }

    /// <summary>The unit of <see cref="TX"/> and <see cref="T"/> (the models convert it).</summary>
    public TimeUnit Unit { get; }

    /// <summary>Optional: how many customers each row stands for (positive); empty = 1 each.</summary>
    /// <exception cref="ArgumentException">Neither empty nor as long as <see cref="X"/>.</exception>
    public ReadOnlyMemory<double> Weight
    {
        get => _weight;
        init
        {
            RequireLength(value, X.Length, nameof(Weight), allowEmpty: true);
            _weight = value;
        }
    }

    /// <summary>Optional: mean spend of the repeat purchases in major units, for Gamma-Gamma
    /// (&gt; 0 where x &gt; 0); empty = absent.</summary>
    /// <exception cref="ArgumentException">Neither empty nor as long as <see cref="X"/>.</exception>
    public ReadOnlyMemory<double> Zbar
    {
        get => _zbar;
        init
        {
            RequireLength(value, X.Length, nameof(Zbar), allowEmpty: true);
            _zbar = value;
        }
    }

    /// <summary>The customers of a summary: x, t_x, T and zbar in the summary's unit
    /// (t_x, T and zbar are not copied).</summary>
    public static RfmColumns FromSummary(CustomerSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new RfmColumns(Array.ConvertAll(summary.X, v => (double)v), summary.TX, summary.T, summary.Unit)
        {
            Zbar = summary.Zbar,
        };
    }

    /// <summary>Pins the columns; the struct it returns is valid until the pins are disposed.</summary>
    internal PinnedRfmColumns Pin() => new(this);

    private static void RequireLength(ReadOnlyMemory<double> column, int expected, string paramName, bool allowEmpty = false)
    {
        if (column.Length == expected || (allowEmpty && column.IsEmpty)) return;
        throw new ArgumentException(
            $"has {column.Length} entries, expected {expected} (one per customer{(allowEmpty ? ", or none" : "")})",
            paramName);
    }
}

/// <summary>An <see cref="RfmColumns"/> pinned, as the C struct that points into it.</summary>
internal unsafe struct PinnedRfmColumns : IDisposable
{
    private MemoryHandle _x, _tX, _t, _weight, _zbar;

    internal PinnedRfmColumns(RfmColumns columns)
    {
        _x = columns.X.Pin();
        _tX = columns.TX.Pin();
        _t = columns.T.Pin();
        _weight = columns.Weight.Pin();
        _zbar = columns.Zbar.Pin();
        NativeRfmColumns native = NativeRfmColumns.Init();
        native.Count = (nuint)columns.Count;
        native.X = (double*)_x.Pointer;
        native.TX = (double*)_tX.Pointer;
        native.T = (double*)_t.Pointer;
        // An empty optional column is absent: NULL, whatever Pin() pointed at.
        native.Weight = columns.Weight.IsEmpty ? null : (double*)_weight.Pointer;
        native.Zbar = columns.Zbar.IsEmpty ? null : (double*)_zbar.Pointer;
        native.Unit = (int)columns.Unit;
        Native = native;
    }

    /// <summary>The carteira_rfm_columns to pass.</summary>
    internal NativeRfmColumns Native { get; }

    public void Dispose()
    {
        _x.Dispose();
        _tX.Dispose();
        _t.Dispose();
        _weight.Dispose();
        _zbar.Dispose();
    }
}
