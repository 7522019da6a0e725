// The C# mirrors of the C structs must match the C compiler's layout. The
// expected numbers are those of gcc on x86-64 / aarch64 Linux (LP64),
// printed with sizeof/offsetof from carteira.h.
using System;
using Xunit;

namespace Carteira.Tests;

public unsafe class NativeLayoutTests
{
    [Fact]
    public void StructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");

        Assert.Equal(64, sizeof(NativePortfolioCounts));
        Assert.Equal(112, sizeof(NativeCustomerColumns));
        Assert.Equal(64, sizeof(NativeTransactionColumns));
        Assert.Equal(48, sizeof(NativeImportOptions));
        Assert.Equal(32, sizeof(NativeImportCounts));
        Assert.Equal(56, sizeof(NativeImportIssue));
        Assert.Equal(12, sizeof(NativeSummaryOptions));

        // Locals do not move, so field addresses minus the struct's are offsets.
        NativePortfolioCounts counts;
        Assert.Equal(56, (byte*)&counts.Assignments - (byte*)&counts);
        NativeCustomerColumns customers;
        Assert.Equal(8, (byte*)&customers.Count - (byte*)&customers);
        Assert.Equal(88, (byte*)&customers.CreatedAt - (byte*)&customers);
        Assert.Equal(104, (byte*)&customers.Delinquent - (byte*)&customers);
        NativeTransactionColumns transactions;
        Assert.Equal(56, (byte*)&transactions.Category - (byte*)&transactions);
        NativeImportOptions options;
        Assert.Equal(8, (byte*)&options.Delimiter - (byte*)&options);
        Assert.Equal(12, (byte*)&options.HasHeader - (byte*)&options);
        Assert.Equal(32, (byte*)&options.ColumnMapping - (byte*)&options);
        Assert.Equal(40, (byte*)&options.MaxIssues - (byte*)&options);
        NativeImportIssue issue;
        Assert.Equal(16, (byte*)&issue.Line - (byte*)&issue);
        Assert.Equal(24, (byte*)&issue.Column - (byte*)&issue);
        Assert.Equal(32, (byte*)&issue.Field - (byte*)&issue);
        Assert.Equal(48, (byte*)&issue.Message - (byte*)&issue);
    }

    [Fact]
    public void StructSizeFieldsCarryTheMirrorsSize()
    {
        Assert.Equal((uint)sizeof(NativeImportOptions), NativeImportOptions.Init().StructSize);
        Assert.Equal(1, NativeImportOptions.Init().HasHeader);
        Assert.Equal(Dates.NoDay, NativeSummaryOptions.Init().AsOf);
        Assert.Equal((uint)sizeof(NativeCustomerColumns), NativeCustomerColumns.Init().StructSize);
    }
}
