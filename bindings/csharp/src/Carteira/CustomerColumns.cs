// carteira_customer_columns: customers as columns, every list one entry per customer.
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>
/// Customers to append, as columns. <see cref="Id"/> is required; any other
/// column may be null (field absent), else it has one entry per id, and a
/// null string entry means empty.
/// </summary>
public sealed class CustomerColumns
{
    /// <summary>Customer ids; unique, not null.</summary>
    public required IReadOnlyList<string> Id { get; init; }
    /// <summary>Names.</summary>
    public IReadOnlyList<string?>? Name { get; init; }
    /// <summary>CPF/CNPJ.</summary>
    public IReadOnlyList<string?>? Document { get; init; }
    /// <summary>E-mail addresses.</summary>
    public IReadOnlyList<string?>? Email { get; init; }
    /// <summary>Phone numbers.</summary>
    public IReadOnlyList<string?>? Phone { get; init; }
    /// <summary>Cities.</summary>
    public IReadOnlyList<string?>? City { get; init; }
    /// <summary>States (UF).</summary>
    public IReadOnlyList<string?>? State { get; init; }
    /// <summary>Regions.</summary>
    public IReadOnlyList<string?>? Region { get; init; }
    /// <summary>Segments.</summary>
    public IReadOnlyList<string?>? Segment { get; init; }
    /// <summary>Creation dates; null entries are unknown.</summary>
    public IReadOnlyList<DateOnly?>? CreatedAt { get; init; }
    /// <summary>Key-account flags.</summary>
    public IReadOnlyList<bool>? KeyAccount { get; init; }
    /// <summary>Delinquency flags.</summary>
    public IReadOnlyList<bool>? Delinquent { get; init; }
}
