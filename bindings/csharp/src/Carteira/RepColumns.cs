// carteira_rep_columns: sales reps as columns, every list one entry per rep.
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>
/// Reps to append, as columns. <see cref="Id"/> is required; any other
/// column may be null (field absent), else it has one entry per id, and a
/// null string entry means empty.
/// </summary>
public sealed class RepColumns
{
    /// <summary>Rep ids; unique, not null.</summary>
    public required IReadOnlyList<string> Id { get; init; }
    /// <summary>Names.</summary>
    public IReadOnlyList<string?>? Name { get; init; }
    /// <summary>Regions.</summary>
    public IReadOnlyList<string?>? Region { get; init; }
    /// <summary>Each rep's segments as one string, separated by '|' ("varejo|atacado").
    /// Set this or <see cref="SegmentLists"/>, not both.</summary>
    public IReadOnlyList<string?>? Segments { get; init; }
    /// <summary>Each rep's segments as a list (null = none), joined with '|' for the
    /// library; a segment may not contain '|'. Set this or <see cref="Segments"/>, not both.</summary>
    public IReadOnlyList<IReadOnlyList<string>?>? SegmentLists { get; init; }
    /// <summary>How many customers each rep can hold; 0 = not limited, never negative.</summary>
    public IReadOnlyList<int>? Capacity { get; init; }
    /// <summary>Active flags; a null column means all active.</summary>
    public IReadOnlyList<bool>? Active { get; init; }
    /// <summary>Teams.</summary>
    public IReadOnlyList<string?>? Team { get; init; }

    /// <summary>The '|'-separated form of <see cref="Segments"/>, from whichever column is set.</summary>
    internal IReadOnlyList<string?>? JoinedSegments()
    {
        if (SegmentLists is null) return Segments;
        if (Segments is not null)
        {
            throw new ArgumentException("set Segments or SegmentLists, not both", nameof(SegmentLists));
        }
        var joined = new string?[SegmentLists.Count];
        for (int i = 0; i < joined.Length; i++)
        {
            IReadOnlyList<string>? segments = SegmentLists[i];
            if (segments is null) continue;
            foreach (string segment in segments)
            {
                if (segment is null) throw new ArgumentException($"entry {i} holds a null segment", nameof(SegmentLists));
                if (segment.Contains('|', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"segment '{segment}' contains '|', the separator", nameof(SegmentLists));
                }
            }
            joined[i] = string.Join('|', segments);
        }
        return joined;
    }
}
