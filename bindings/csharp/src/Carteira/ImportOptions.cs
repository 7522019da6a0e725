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
    /// Must be ASCII.</summary>
    public char? Delimiter { get; init; }

    /// <summary>False: columns by position (canonical order, or <see cref="ColumnMapping"/>).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>How "1.234" reads.</summary>
    public DecimalSeparator Decimal { get; init; } = DecimalSeparator.ByFile;

    /// <summary>Rows naming unknown customers.</summary>
    public UnknownReference UnknownCustomers { get; init; } = UnknownReference.CreateUnlessImported;

    /// <summary>Rows naming unknown reps.</summary>
    public UnknownReference UnknownReps { get; init; } = UnknownReference.CreateUnlessImported;

    /// <summary>';'-separated "[entity:]field=column" items; the column is a header name
    /// or a 1-based position.</summary>
    public string? ColumnMapping { get; init; }

    /// <summary>Issues kept in the report (all are counted); null = the library's default (10000).</summary>
    public int? MaxIssues { get; init; }

    /// <summary>The C struct; <paramref name="columnMapping"/> is the pinned UTF-8 of
    /// <see cref="ColumnMapping"/> and must outlive the call.</summary>
    internal unsafe NativeImportOptions ToNative(byte* columnMapping)
    {
        NativeImportOptions native = NativeImportOptions.Init();
        native.Mode = (int)Mode;
        if (Delimiter is char delimiter)
        {
            if (delimiter == '\0' || delimiter > 0x7F)
            {
                throw new ArgumentException($"delimiter '{delimiter}' is not a single-byte (ASCII) character", nameof(Delimiter));
            }
            native.Delimiter = (byte)delimiter;
        }
        native.HasHeader = HasHeader ? 1 : 0;
        native.Decimal = (int)Decimal;
        native.UnknownCustomers = (int)UnknownCustomers;
        native.UnknownReps = (int)UnknownReps;
        native.ColumnMapping = columnMapping;
        if (MaxIssues is int maxIssues)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIssues, nameof(MaxIssues));
            native.MaxIssues = (uint)maxIssues;
        }
        return native;
    }
}
