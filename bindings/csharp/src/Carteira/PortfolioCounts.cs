namespace Carteira;

/// <summary>How many rows of each entity a portfolio holds (carteira_portfolio_counts).</summary>
public readonly record struct PortfolioCounts(
    long Customers, long Reps, long Transactions, long Contracts, long Interactions, long Surveys, long Assignments);
