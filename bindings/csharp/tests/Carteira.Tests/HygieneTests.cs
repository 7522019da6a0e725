using System;
using System.Linq;
using Xunit;

namespace Carteira.Tests;

public unsafe class HygieneTests
{
    [Fact]
    public void TaxIdsIncludingTheAlphanumericCnpj()
    {
        TaxIdCheck ok = Hygiene.CheckTaxId("12.ABC.345/01DE-35"); // the Receita Federal's example
        Assert.True(ok.Valid);
        Assert.Equal("cnpj", ok.Kind);
        Assert.Equal("12.ABC.345/01DE-35", ok.Formatted);
        Assert.Equal("12ABC34501DE35", ok.Canonical);
        TaxIdCheck bad = Hygiene.CheckTaxId("12.ABC.345/01DE-36");
        Assert.False(bad.Valid);
        Assert.Equal("check_digit_mismatch", bad.Problem);
        Assert.Equal(14, bad.Position);
        Assert.Equal("", bad.Formatted);
        Assert.Equal("repeated_digits", Hygiene.CheckTaxId("111.111.111-11").Problem);
        Assert.Throws<ArgumentException>(() => Hygiene.CheckTaxId("529\0"));
    }

    [Fact]
    public void PhonesEmailsAndNames()
    {
        PhoneCheck mobile = Hygiene.CheckPhone("(11) 98765-4321");
        Assert.True(mobile.Valid);
        Assert.Equal("mobile", mobile.Type);
        Assert.Equal("+5511987654321", mobile.E164);
        PhoneCheck old = Hygiene.CheckPhone("(21) 8765-4321");
        Assert.False(old.Valid);
        Assert.Equal("+5521987654321", old.Suggestion);

        EmailCheck typo = Hygiene.CheckEmail("joao@HOTMAL.com");
        Assert.True(typo.Valid);
        Assert.Equal("joao@hotmal.com", typo.Normalized);
        Assert.Equal("joao@hotmail.com", typo.Suggestion);
        Assert.Equal("missing_at", Hygiene.CheckEmail("sem arroba").Problem);

        Assert.Equal("Maria das Graças D'Ávila", Hygiene.DisplayName("MARIA DAS GRAÇAS  d'ávila"));
        Assert.Equal("jose d avila goncalves", Hygiene.FoldKey("  José  D'Ávila-Gonçalves"));
    }

    private static Portfolio Planted()
    {
        var p = new Portfolio();
        p.AppendCustomers(new CustomerColumns
        {
            Id = ["C1", "C2", "C3"],
            Name = ["Padaria São João Ltda", "João Pereira", "PADARIA SAO JOAO LTDA"],
            Document = ["11.222.333/0001-81", "123.456.789-00", "11222333000181"],
            Email = ["contato@padariasj.com.br", "joao@hotmal.com", ""],
            Phone = ["(11) 3333-4444", "(21) 8765-4321", "(11) 3333-4444"],
            City = ["São Paulo", "Rio de Janeiro", "Sao Paulo"],
        });
        uint[] index = p.InternCustomers(["C1", "C1", "C2", "C3", "C3"]);
        DateOnly[] dates = [new(2024, 1, 2), new(2024, 2, 3), new(2024, 1, 20), new(2024, 3, 1), new(2024, 3, 5)];
        p.AppendTransactions(index, dates, [10000L, 2550L, 999L, 4000L, -500L]);
        return p;
    }

    [Fact]
    public void TheReportNamesTheCustomerFieldAndFix()
    {
        using Portfolio p = Planted();
        HygieneReport report = p.CheckHygiene();
        var c2 = report.Problems.Where(x => x.CustomerId == "C2").ToDictionary(x => x.Field);
        Assert.Equal("check_digit_mismatch", c2["document"].Problem);
        Assert.Equal("joao@hotmail.com", c2["email"].Suggestion);
        Assert.Equal("+5521987654321", c2["phone"].Suggestion);
        Assert.Equal(1UL, report.Counts["duplicates.clusters"]);
        DuplicateCluster cluster = Assert.Single(report.Clusters);
        Assert.Equal([0u, 2u], cluster.CustomerIndices);
        Assert.Contains("document", cluster.Reasons);
        Assert.True(cluster.Score >= 0.75);
        Assert.Empty(Hygiene.Check(p, findDuplicates: false).Clusters);
        Assert.Throws<CarteiraArgumentException>(() => p.CheckHygiene(linkThreshold: 2));
    }

    [Fact]
    public void MergeLosesNothingAndKeepsTheOldId()
    {
        using Portfolio p = Planted();
        var asOf = new DateOnly(2024, 4, 1);
        PortfolioCounts before = p.Counts;
        long revenue = p.Summary(asOf).Revenue.Sum();
        Assert.Throws<CarteiraArgumentException>(() => p.MergeCustomers("C1", ["C3"], "", asOf));
        Assert.Equal(before, p.Counts);
        p.MergeCustomers("C1", ["C3"], "analista", asOf);
        Assert.Equal(before.Customers - 1, p.Counts.Customers);
        Assert.Equal(before.Transactions, p.Counts.Transactions);
        Assert.Equal(revenue, p.Summary(asOf).Revenue.Sum());
        Assert.Equal(10000L + 2550 + 999 + 4000 - 500, revenue);
        Assert.Equal(p.FindCustomer("C1"), p.FindCustomer("C3"));
        Assert.ThrowsAny<CarteiraException>(() => p.MergeCustomers("C1", ["C9"], "analista", asOf));
    }

    [Fact]
    public void HygieneStructsHaveTheCLayoutOnLp64()
    {
        Assert.True(Environment.Is64BitProcess, "expected numbers are for 64-bit processes");
        // sizeof / offsetof printed by gcc from carteira.h.
        Assert.Equal(72, sizeof(NativeTaxIdResult));
        NativeTaxIdResult tax;
        Assert.Equal(24, (byte*)&tax.Position - (byte*)&tax);
        Assert.Equal(28, tax.Canonical - (byte*)&tax);
        Assert.Equal(44, tax.Formatted - (byte*)&tax);
        Assert.Equal(72, sizeof(NativePhoneResult));
        NativePhoneResult phone;
        Assert.Equal(24, phone.E164 - (byte*)&phone);
        Assert.Equal(48, phone.Suggestion - (byte*)&phone);
        Assert.Equal(536, sizeof(NativeEmailResult));
        NativeEmailResult email;
        Assert.Equal(16, (byte*)&email.Position - (byte*)&email);
        Assert.Equal(20, email.Normalized - (byte*)&email);
        Assert.Equal(276, email.Suggestion - (byte*)&email);
        Assert.Equal(32, sizeof(NativeHygieneOptions));
        NativeHygieneOptions options;
        Assert.Equal(24, (byte*)&options.LinkThreshold - (byte*)&options);
        Assert.Equal(56, sizeof(NativeHygieneProblem));
        NativeHygieneProblem problem;
        Assert.Equal(48, (byte*)&problem.Suggestion - (byte*)&problem);
        Assert.Equal(40, sizeof(NativeDuplicateCluster));
        NativeDuplicateCluster cluster;
        Assert.Equal(32, (byte*)&cluster.Score - (byte*)&cluster);
        Assert.Equal(1, NativeHygieneOptions.Init().FindDuplicates);
    }
}
