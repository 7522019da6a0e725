// Reps, contracts, interactions, survey answers and assignments appended as
// columns (carteira_portfolio_append_reps ... _append_assignments).
using System;
using Xunit;

namespace Carteira.Tests;

public class BulkEntityTests
{
    private static readonly DateOnly Jan1 = new(2024, 1, 1);

    // Two customers (A = 0, B = 1) and two reps (R1 = 0, R2 = 1).
    private static Portfolio WithCustomersAndReps()
    {
        var portfolio = new Portfolio();
        portfolio.AppendCustomers(["A", "B"]);
        portfolio.AppendReps(["R1", "R2"]);
        return portfolio;
    }

    // ---- Reps -------------------------------------------------------------------

    [Fact]
    public void AppendedRepsAreCountedAndFoundByIndex()
    {
        using var portfolio = new Portfolio();

        portfolio.AppendReps(new RepColumns
        {
            Id = ["R1", "Júlia-2", "R3"],
            Name = ["Rita", null, "Rui"],
            Region = ["Norte", "Sul", null],
            Segments = ["varejo|atacado", null, "governo"],
            Capacity = [50, 0, 10],
            Active = [true, false, true],
            Team = ["T1", "T1", null],
        });

        Assert.Equal(new PortfolioCounts(0, 3, 0, 0, 0, 0, 0), portfolio.Counts);
        Assert.Equal(0, portfolio.FindRep("R1"));
        Assert.Equal(1, portfolio.FindRep("Júlia-2"));
        Assert.Equal(2, portfolio.FindRep("R3"));
        Assert.True(portfolio.TryFindRep("R3", out int index));
        Assert.Equal(2, index);
    }

    [Fact]
    public void SegmentListsAreJoinedAndCheckedForTheSeparator()
    {
        using var portfolio = new Portfolio();

        portfolio.AppendReps(new RepColumns { Id = ["R1", "R2"], SegmentLists = [["varejo", "atacado"], null] });
        Assert.Equal(2, portfolio.Counts.Reps);

        Assert.Throws<ArgumentException>(() => portfolio.AppendReps(
            new RepColumns { Id = ["R3"], SegmentLists = [["a|b"]] }));
        Assert.Throws<ArgumentException>(() => portfolio.AppendReps(
            new RepColumns { Id = ["R3"], Segments = ["a"], SegmentLists = [["a"]] }));
        Assert.Throws<ArgumentException>(() => portfolio.AppendReps(
            new RepColumns { Id = ["R3"], Capacity = [1, 2] }));
        Assert.Equal(2, portfolio.Counts.Reps);
        Assert.False(portfolio.TryFindRep("R3", out _));
    }

    [Fact]
    public void DuplicateRepIdsThrowAlreadyExistsAndAppendNothing()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendReps(["R1"]);

        var existing = Assert.Throws<CarteiraAlreadyExistsException>(() => portfolio.AppendReps(["R2", "R1"]));
        var repeated = Assert.Throws<CarteiraAlreadyExistsException>(() => portfolio.AppendReps(["R3", "R3"]));

        Assert.Equal(CarteiraStatus.AlreadyExists, existing.Code);
        Assert.Contains("R1", existing.Message);
        Assert.Contains("row 1", repeated.Message);
        Assert.Equal(1, portfolio.Counts.Reps);
        Assert.False(portfolio.TryFindRep("R2", out _));
        Assert.False(portfolio.TryFindRep("R3", out _));
    }

    [Fact]
    public void BadRepRowsThrowArgumentExceptions()
    {
        using var portfolio = new Portfolio();

        var negative = Assert.Throws<CarteiraArgumentException>(() => portfolio.AppendReps(
            new RepColumns { Id = ["R1", "R2"], Capacity = [3, -1] }));
        var empty = Assert.Throws<CarteiraArgumentException>(() => portfolio.AppendReps(["R1", ""]));

        Assert.Contains("row 1, field capacity", negative.Message);
        Assert.Contains("row 1, field rep_id", empty.Message);
        Assert.Equal(0, portfolio.Counts.Reps);
    }

    [Fact]
    public void InternRepsReturnsExistingIndicesAndCreatesNewReps()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendReps(["R1", "R2"]);

        int[] indices = portfolio.InternReps(["R2", "Zé", "R1", "Zé"]);

        Assert.Equal([1, 2, 0, 2], indices);
        Assert.Equal(3, portfolio.Counts.Reps);
        Assert.Equal(2, portfolio.FindRep("Zé"));
        Assert.Empty(portfolio.InternReps([]));
        Assert.Equal(3, portfolio.Counts.Reps);
    }

    [Fact]
    public void UnknownRepThrowsNotFoundWithTheId()
    {
        using var portfolio = new Portfolio();
        portfolio.AppendReps(["R1"]);

        var ex = Assert.Throws<CarteiraNotFoundException>(() => portfolio.FindRep("ninguém"));

        Assert.Equal(CarteiraStatus.NotFound, ex.Code);
        Assert.Contains("ninguém", ex.Message);
        Assert.False(portfolio.TryFindRep("ninguém", out _));
        Assert.Throws<ArgumentException>(() => portfolio.FindRep("R\01"));
    }

    // ---- Contracts ------------------------------------------------------------------

    [Fact]
    public void AppendedContractsAreCounted()
    {
        using var portfolio = WithCustomersAndReps();
        int start = Dates.ToDays(Jan1);

        portfolio.AppendContracts([0u, 1u], [start, start], [start + 364, start],
                                  contractIds: ["K-1", null], valueMinor: [1_200_00L, 50_00L],
                                  autoRenew: [true, false]);
        portfolio.AppendContracts([1u], [start], [start + 30]); // optional columns absent

        Assert.Equal(new PortfolioCounts(2, 2, 0, 3, 0, 0, 0), portfolio.Counts);
    }

    [Fact]
    public void ContractEndingBeforeItsStartIsRejectedAndNothingIsAppended()
    {
        using var portfolio = WithCustomersAndReps();
        int start = Dates.ToDays(Jan1);
        PortfolioCounts before = portfolio.Counts;

        var ex = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendContracts([0u, 1u], [start, start], [start + 10, start - 1]));

        Assert.Equal(CarteiraStatus.InvalidArgument, ex.Code);
        Assert.Contains("row 1, field end", ex.Message);
        Assert.Equal(before, portfolio.Counts);
    }

    [Fact]
    public void ContractsTakeDates()
    {
        using var portfolio = WithCustomersAndReps();

        portfolio.AppendContracts([0u], [Jan1], [new DateOnly(2024, 12, 31)], valueMinor: [99L]);
        var ex = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendContracts([1u], [Jan1], [new DateOnly(2023, 12, 31)]));

        Assert.Contains("row 0, field end", ex.Message);
        Assert.Equal(1, portfolio.Counts.Contracts);
    }

    [Fact]
    public void ContractsForAnUnknownCustomerIndexAreRejected()
    {
        using var portfolio = WithCustomersAndReps();
        int start = Dates.ToDays(Jan1);

        var ex = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendContracts([0u, 2u], [start, start], [start, start]));

        Assert.Contains("row 1", ex.Message);
        Assert.Equal(0, portfolio.Counts.Contracts);
    }

    // ---- Interactions -------------------------------------------------------------------

    [Fact]
    public void AppendedInteractionsAreCounted()
    {
        using var portfolio = WithCustomersAndReps();
        int day = Dates.ToDays(Jan1);

        portfolio.AppendInteractions([0u, 1u, 0u], [day, day + 1, day + 2], repIndex: [0, -1, 1],
                                     channels: ["visita", "e-mail", null], outcomes: ["pedido", null, null]);
        portfolio.AppendInteractions([1u], [day]); // no reps, channels or outcomes

        Assert.Equal(new PortfolioCounts(2, 2, 0, 0, 4, 0, 0), portfolio.Counts);
    }

    [Fact]
    public void InteractionsTakeDatesAndRejectAnUnknownRepIndex()
    {
        using var portfolio = WithCustomersAndReps();

        portfolio.AppendInteractions([0u, 1u], [Jan1, Jan1.AddDays(7)], repIndex: [1, 0], channels: ["ligação", "visita"]);
        var ex = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendInteractions([0u, 1u], [Jan1, Jan1], repIndex: [0, 2]));

        Assert.Contains("row 1, field rep", ex.Message);
        Assert.Equal(2, portfolio.Counts.Interactions);
    }

    // ---- Surveys ----------------------------------------------------------------------------

    [Fact]
    public void AppendedSurveysAreCounted()
    {
        using var portfolio = WithCustomersAndReps();
        int day = Dates.ToDays(Jan1);

        portfolio.AppendSurveys([0u, 1u, 1u], [day, day, day + 90], [0, 10, 7]);
        portfolio.AppendSurveys([0u], [Jan1.AddMonths(6)], [9]);

        Assert.Equal(new PortfolioCounts(2, 2, 0, 0, 0, 4, 0), portfolio.Counts);
    }

    [Fact]
    public void SurveyScoreOutsideZeroToTenIsRejected()
    {
        using var portfolio = WithCustomersAndReps();
        int day = Dates.ToDays(Jan1);
        PortfolioCounts before = portfolio.Counts;

        var eleven = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendSurveys([0u, 1u], [day, day], [10, 11]));
        var negative = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendSurveys([0u], [Jan1], [-1]));

        Assert.Contains("row 1, field score", eleven.Message);
        Assert.Contains("row 0, field score", negative.Message);
        Assert.Equal(before, portfolio.Counts);
    }

    // ---- Assignments ------------------------------------------------------------------------

    [Fact]
    public void AppendedAssignmentsAreCounted()
    {
        using var portfolio = WithCustomersAndReps();
        int day = Dates.ToDays(Jan1);

        portfolio.AppendAssignments([0u, 1u, 0u], [0, 0, 1], [day, day, day + 180],
                                    reasons: ["carteira inicial", null, "rodízio"]);
        portfolio.AppendAssignments([1u], [1], [Jan1.AddYears(1)]);

        Assert.Equal(new PortfolioCounts(2, 2, 0, 0, 0, 0, 4), portfolio.Counts);
    }

    [Fact]
    public void AssignmentsNeedARep()
    {
        using var portfolio = WithCustomersAndReps();

        var none = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendAssignments([0u, 1u], [0, -1], [Jan1, Jan1]));
        var unknown = Assert.Throws<CarteiraArgumentException>(
            () => portfolio.AppendAssignments([0u], [5], [Jan1]));

        Assert.Contains("row 1, field rep", none.Message);
        Assert.Contains("row 0, field rep", unknown.Message);
        Assert.Equal(0, portfolio.Counts.Assignments);
    }

    // ---- All of them --------------------------------------------------------------------------

    [Fact]
    public void ColumnsOfTheWrongLengthAreRejectedBeforeTheCall()
    {
        using var portfolio = WithCustomersAndReps();
        PortfolioCounts before = portfolio.Counts;

        Assert.Throws<ArgumentException>(() => portfolio.AppendContracts([0u, 1u], new int[] { 1 }, new int[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => portfolio.AppendContracts([0u], new int[] { 1 }, new int[] { 1 }, valueMinor: [1L, 2L]));
        Assert.Throws<ArgumentException>(() => portfolio.AppendContracts([0u], new int[] { 1 }, new int[] { 1 }, contractIds: ["a", "b"]));
        Assert.Throws<ArgumentException>(() => portfolio.AppendInteractions([0u], new int[] { 1 }, repIndex: [0, 1]));
        Assert.Throws<ArgumentException>(() => portfolio.AppendSurveys([0u], new int[] { 1 }, new int[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => portfolio.AppendAssignments([0u], new int[] { 0 }, new int[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => portfolio.InternReps(["R\09"]));
        Assert.Equal(before, portfolio.Counts);
    }

    [Fact]
    public void EmptyAppendsChangeNothing()
    {
        using var portfolio = WithCustomersAndReps();
        PortfolioCounts before = portfolio.Counts;

        portfolio.AppendReps(Array.Empty<string>());
        portfolio.AppendContracts(ReadOnlySpan<uint>.Empty, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty);
        portfolio.AppendInteractions(ReadOnlySpan<uint>.Empty, ReadOnlySpan<int>.Empty);
        portfolio.AppendSurveys(ReadOnlySpan<uint>.Empty, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty);
        portfolio.AppendAssignments(ReadOnlySpan<uint>.Empty, ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty);

        Assert.Equal(before, portfolio.Counts);
    }

    [Fact]
    public void UseAfterDisposeThrows()
    {
        var portfolio = WithCustomersAndReps();
        portfolio.Dispose();

        Assert.Throws<ObjectDisposedException>(() => portfolio.AppendReps(["R9"]));
        Assert.Throws<ObjectDisposedException>(() => portfolio.FindRep("R1"));
        Assert.Throws<ObjectDisposedException>(() => portfolio.InternReps(["R1"]));
        Assert.Throws<ObjectDisposedException>(() => portfolio.AppendSurveys([0u], [Jan1], [5]));
    }
}
