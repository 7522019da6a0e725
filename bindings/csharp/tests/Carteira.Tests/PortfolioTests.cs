using System;
using Xunit;

namespace Carteira.Tests;

public class PortfolioTests
{
    [Fact]
    public void NewPortfolioIsEmpty()
    {
        using var portfolio = new Portfolio();
        Assert.Equal(default, portfolio.Counts);
    }

    [Fact]
    public void AppendedCustomersAreFoundByIdAndGiveTheirIdsBack()
    {
        using var portfolio = new Portfolio();

        portfolio.AppendCustomers(new CustomerColumns
        {
            Id = ["C1", "Ação-2", "C3"],
            Name = ["Ana", null, "Caio"],
            City = ["Belém", "Natal", "Macapá"],
            CreatedAt = [new DateOnly(2020, 1, 2), null, new DateOnly(2021, 5, 6)],
            KeyAccount = [true, false, false],
        });

        Assert.Equal(3, portfolio.Counts.Customers);
        Assert.Equal(1u, portfolio.FindCustomer("Ação-2"));
        Assert.Equal(["C3", "Ação-2", "C1", "C3"], portfolio.CustomerIds([2u, 1u, 0u, 2u]));
    }

    [Fact]
    public void InternCustomersReturnsExistingIndicesAndCreatesNewCustomers()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendCustomers(["A", "B"]);

        uint[] indices = portfolio.InternCustomers(["B", "Zé", "A", "Zé"]);

        Assert.Equal([1u, 2u, 0u, 2u], indices);
        Assert.Equal(3, portfolio.Counts.Customers);
        Assert.Equal(["Zé"], portfolio.CustomerIds([2u]));
    }

    [Fact]
    public void UnknownCustomerThrowsNotFoundWithTheId()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendCustomers(["A"]);

        var ex = Assert.Throws<CarteiraNotFoundException>(() => portfolio.FindCustomer("nobody"));

        Assert.Equal(CarteiraStatus.NotFound, ex.Code);
        Assert.Contains("nobody", ex.Message);
        Assert.False(portfolio.TryFindCustomer("nobody", out _));
        Assert.True(portfolio.TryFindCustomer("A", out uint index));
        Assert.Equal(0u, index);
    }

    [Fact]
    public void CustomerIdsRejectsAnIndexPastTheEnd()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendCustomers(["A"]);

        var ex = Assert.Throws<CarteiraOutOfRangeException>(() => portfolio.CustomerIds([0u, 1u]));

        Assert.Equal(CarteiraStatus.OutOfRange, ex.Code);
        Assert.Empty(portfolio.CustomerIds([]));
    }

    [Fact]
    public void RepIdsByIndexAndOutOfRange()
    {
        using var portfolio = new Portfolio();
        int[] index = portfolio.InternReps(["R2", "Ação", "R2"]);

        Assert.Equal(["R2", "Ação", "R2"], portfolio.RepIds(index));
        Assert.Empty(portfolio.RepIds([]));
        var ex = Assert.Throws<CarteiraOutOfRangeException>(() => portfolio.RepIds([0, -1]));
        Assert.Contains("index -1", ex.Message);
    }

    [Fact]
    public void DuplicateCustomerFailsTheWholeAppend()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendCustomers(["A"]);

        var ex = Assert.ThrowsAny<CarteiraException>(() => portfolio.AppendCustomers(["B", "A"]));

        Assert.NotEqual(CarteiraStatus.Ok, ex.Code);
        Assert.Contains("A", ex.Message);
        Assert.Equal(1, portfolio.Counts.Customers);
        Assert.False(portfolio.TryFindCustomer("B", out _));
    }

    [Fact]
    public void ColumnsOfTheWrongLengthAreRejectedBeforeTheCall()
    {
        using var portfolio = new Portfolio();
        uint[] customer = portfolio.InternCustomers(["A", "B"]);

        Assert.Throws<ArgumentException>(() => portfolio.AppendTransactions(customer, new int[] { 1 }, new long[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => portfolio.AppendCustomers(new CustomerColumns { Id = ["X"], Name = ["x", "y"] }));
        Assert.Throws<ArgumentException>(() => portfolio.FindCustomer("A\0B"));
        Assert.Equal(0, portfolio.Counts.Transactions);
        Assert.Equal(2, portfolio.Counts.Customers);
    }

    [Fact]
    public void TransactionsWithAnUnknownCustomerIndexAreRejected()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendCustomers(["A"]);

        var ex = Assert.ThrowsAny<CarteiraException>(
            () => portfolio.AppendTransactions(new uint[] { 0, 7 }, new int[] { 19800, 19801 }, new long[] { 100, 200 }));

        Assert.NotEqual(CarteiraStatus.Ok, ex.Code);
        Assert.Equal(0, portfolio.Counts.Transactions);
    }

    [Fact]
    public void DisposingTwiceIsSafeAndUseAfterDisposeThrows()
    {
        var portfolio = new Portfolio();
        portfolio.AppendCustomers(["A"]);

        portfolio.Dispose();
        portfolio.Dispose();

        Assert.Throws<ObjectDisposedException>(() => portfolio.Counts);
        Assert.Throws<ObjectDisposedException>(() => portfolio.FindCustomer("A"));
        Assert.Throws<ObjectDisposedException>(() => portfolio.Summary(new DateOnly(2024, 1, 1)));
        Assert.Throws<ObjectDisposedException>(() => portfolio.ImportText(Entity.Customers, "customer_id\nB\n"));
    }
}
