// The outcome of an import, copied out of carteira_import_report at once so
// that it needs no disposing and can travel inside an exception.
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>Rows of one entity an import read, added and rejected.</summary>
public readonly record struct ImportCounts(long RowsRead, long RowsAdded, long RowsRejected);

/// <summary>One rejected row.</summary>
/// <param name="File">The file, or the name given to imported text.</param>
/// <param name="Line">1-based; 0 when the problem is the whole file.</param>
/// <param name="Column">1-based; 0 when no single column is at fault.</param>
/// <param name="Field">The canonical field name.</param>
/// <param name="Value">The offending text, if any.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ImportIssue(string File, long Line, int Column, string Field, string Value, string Message)
{
    /// <summary>"file:line:column: field 'value': message".</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Field} '{Value}': {Message}";
}

/// <summary>What an import read, added and rejected.</summary>
public sealed class ImportReport
{
    private readonly Dictionary<Entity, ImportCounts> _counts;
    private readonly string _text;

    private ImportReport(bool applied, Dictionary<Entity, ImportCounts> counts, IReadOnlyList<ImportIssue> issues,
                         long issueTotal, string text)
    {
        Applied = applied;
        _counts = counts;
        Issues = issues;
        IssueTotal = issueTotal;
        _text = text;
    }

    /// <summary>True if the portfolio was changed.</summary>
    public bool Applied { get; }

    /// <summary>The rejected rows kept (at most <see cref="ImportOptions.MaxIssues"/>).</summary>
    public IReadOnlyList<ImportIssue> Issues { get; }

    /// <summary>All rejected rows, also those past the cap.</summary>
    public long IssueTotal { get; }

    /// <summary>Rows of <paramref name="entity"/> read, added and rejected.</summary>
    public ImportCounts Counts(Entity entity) => _counts[entity];

    /// <summary>The report as text for people, as the library writes it.</summary>
    public override string ToString() => _text;

    internal static unsafe ImportReport Read(ImportReportHandle handle)
    {
        Errors.Check(NativeMethods.carteira_import_report_applied(handle, out int applied));
        Errors.Check(NativeMethods.carteira_import_report_issue_count(handle, out nuint kept, out long total));

        var issues = new ImportIssue[checked((int)kept)];
        for (int i = 0; i < issues.Length; i++)
        {
            NativeImportIssue issue = NativeImportIssue.Init();
            Errors.Check(NativeMethods.carteira_import_report_issue(handle, (nuint)i, &issue));
            issues[i] = new ImportIssue(Utf8.Decode(issue.File), issue.Line, issue.Column,
                                        Utf8.Decode(issue.Field), Utf8.Decode(issue.Value), Utf8.Decode(issue.Message));
        }

        var counts = new Dictionary<Entity, ImportCounts>();
        foreach (Entity entity in Enum.GetValues<Entity>())
        {
            NativeImportCounts c = NativeImportCounts.Init();
            Errors.Check(NativeMethods.carteira_import_report_counts(handle, entity.NativeName(), &c));
            counts[entity] = new ImportCounts(c.RowsRead, c.RowsAdded, c.RowsRejected);
        }

        Errors.Check(NativeMethods.carteira_import_report_text(handle, out byte* text));
        return new ImportReport(applied != 0, counts, issues, total, Utf8.Decode(text));
    }
}
