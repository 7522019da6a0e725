// The kinds of rows a portfolio holds; the C ABI names them by string.
using System;

namespace Carteira;

/// <summary>What a CSV file holds (also its canonical file stem: customers.csv, ...).</summary>
public enum Entity
{
    /// <summary>customers.csv.</summary>
    Customers,
    /// <summary>reps.csv.</summary>
    Reps,
    /// <summary>assignments.csv.</summary>
    Assignments,
    /// <summary>transactions.csv.</summary>
    Transactions,
    /// <summary>contracts.csv.</summary>
    Contracts,
    /// <summary>interactions.csv.</summary>
    Interactions,
    /// <summary>surveys.csv.</summary>
    Surveys,
}

internal static class EntityNames
{
    /// <summary>The name carteira_import_file and carteira_import_report_counts take.</summary>
    internal static string NativeName(this Entity entity) => entity switch
    {
        Entity.Customers => "customers",
        Entity.Reps => "reps",
        Entity.Assignments => "assignments",
        Entity.Transactions => "transactions",
        Entity.Contracts => "contracts",
        Entity.Interactions => "interactions",
        Entity.Surveys => "surveys",
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, "not an Entity"),
    };
}
