// carteira_import_options as an immutable .NET object.
using System;

namespace Carteira;

/// <summary>What an import does with bad rows.</summary>
public enum ImportMode
{
    /// <summary>Any bad row: nothing is imported and the import throws.</summary>
    Strict = 0,
    /// <summary>Good rows are imported; bad rows are listed in the report.</summary>
    Lenient = 1,
}

/// <summary>How an ambiguous amount such as "1.234" reads.</summary>
public enum DecimalSeparator
{
    /// <summary>By file: decimal comma in ';'-separated files, decimal point otherwise.</summary>
    ByFile = 0,
    /// <summary>"1.234" is one point two three four.</summary>
    Point = 1,
    /// <summary>"1.234" is one thousand two hundred and thirty-four.</summary>
    Comma = 2,
}

/// <summary>What to do with a row naming a customer (or rep) the portfolio does not have.</summary>
public enum UnknownReference
{
    /// <summary>Create it, unless the same import also loads the customers (reps) file.</summary>
    CreateUnlessImported = 0,
    /// <summary>Create a bare customer (rep).</summary>
    Create = 1,
    /// <summary>The row is an error.</summary>
    Reject = 2,
}

/// <summary>Options of an import; the defaults are the library's.</summary>
public sealed record ImportOptions
{
    /// <summary>Strict (the default) or lenient.</summary>
    public ImportMode Mode { get; init; } = ImportMode.Strict;

    /// <summary>The field delimiter; null detects it per file, ' ' means runs of whitespace.
    /// Must be ASCII: the C ABI takes one byte.</summary>
    public char? Delimiter
    {
        get => _delimiter;
        init
        {
            if (value is char c && (c == '\0' || c > 0x7F))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "the delimiter must be a single-byte (ASCII) character");
            }
            _delimiter = value;
        }
    }

    private readonly char? _delimiter;

    /// <summary>False: columns by position (canonical order, or <see cref="ColumnMapping"/>).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>How "1.234" reads.</summary>
    public DecimalSeparator DecimalSeparator { get; init; } = DecimalSeparator.ByFile;

    /// <summary>Rows naming unknown customers.</summary>
    public UnknownReference UnknownCustomers { get; init; } = UnknownReference.CreateUnlessImported;

    /// <summary>Rows naming unknown reps.</summary>
    public UnknownReference UnknownReps { get; init; } = UnknownReference.CreateUnlessImported;

    /// <summary>';'-separated "[entity:]field=column" items; the column is a header name
    /// or a 1-based position.</summary>
    public string? ColumnMapping { get; init; }

    /// <summary>Issues kept in the report (all are counted); null = the library's default (10000).</summary>
    public int? MaxIssues
    {
        get => _maxIssues;
        init
        {
            if (value is int n) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n, nameof(value));
            _maxIssues = value;
        }
    }

    private readonly int? _maxIssues;

    /// <summary>The C struct; <paramref name="columnMapping"/> is the pinned UTF-8 of
    /// <see cref="ColumnMapping"/> and must outlive the call.</summary>
    internal unsafe NativeImportOptions ToNative(byte* columnMapping)
    {
        NativeImportOptions native = NativeImportOptions.Init();
        native.Mode = (int)Mode;
        native.Delimiter = (byte)(Delimiter ?? '\0');
        native.HasHeader = HasHeader ? 1 : 0;
        native.Decimal = (int)DecimalSeparator;
        native.UnknownCustomers = (int)UnknownCustomers;
        native.UnknownReps = (int)UnknownReps;
        native.ColumnMapping = columnMapping;
        native.MaxIssues = (uint)(MaxIssues ?? 0);
        return native;
    }
}
