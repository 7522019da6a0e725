using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Carteira.Tests;

public sealed unsafe class StoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("carteira-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RoundTripAppendRefreshAndHistory()
    {
        string path = Path.Combine(_dir, "carteira.db");
        long customers, transactions;
        using (var sample = new Portfolio())
        {
            sample.ImportDirectory(Repository.PathOf("examples", "sample"));
            customers = sample.Counts.Customers;
            transactions = sample.Counts.Transactions;
            using var store = new Store(path);
            Assert.True(store.SchemaVersion >= 1);
            store.Save(sample);
            Assert.ThrowsAny<CarteiraException>(() => store.Save(sample)); // not empty
        }
        using (var store = new Store(path, create: false))
        {
            using (Portfolio loaded = store.Load())
            {
                Assert.Equal(customers, loaded.Counts.Customers);
                Assert.Equal(transactions, loaded.Counts.Transactions);
            }
            Assert.Equal(transactions, store.Count("transactions"));
            Assert.Null(store.LastRefreshDate);
            Assert.Equal(new DateOnly(2026, 10, 31), store.LastTransactionDate);
            Assert.Empty(store.RefreshStatuses(new DateOnly(2026, 10, 31)));
            Assert.Equal(customers, store.Statuses().Count);

            using (var delta = new Portfolio())
            {
                uint[] ix = delta.InternCustomers(["C00013"]);
                delta.AppendTransactions(ix, [new DateOnly(2026, 11, 1)], [12_345L]);
                StoreAppendReport report = store.Append(delta);
                Assert.Equal(1, report.Transactions);
                Assert.Equal(1, report.AffectedCustomers);
            }
            using StatusPolicy policy = StatusPolicy.Default();
            var events = store.RefreshStatuses(new DateOnly(2026, 11, 1), policy);
            StatusEvent back = Assert.Single(events, e => e.CustomerId == "C00013");
            Assert.Equal(Lifecycle.Lost, back.From);
            Assert.Equal(Lifecycle.Reactivated, back.To);
            var history = store.History(new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 1));
            Assert.Equal(events.Select(e => e.CustomerId), history.Select(e => e.CustomerId));
            Assert.Equal(new DateOnly(2026, 11, 1), store.LastRefreshDate);
            Assert.Empty(store.Check());
            Assert.Throws<CarteiraNotFoundException>(() => store.Count("nonsense"));
        }
    }

    [Fact]
    public void NotAStoreAndReadOnly()
    {
        string junk = Path.Combine(_dir, "notes.csv");
        File.WriteAllText(junk, "customer_id;date;amount\n");
        Assert.ThrowsAny<CarteiraException>(() => new Store(junk));
        Assert.Equal("customer_id;date;amount\n", File.ReadAllText(junk));
        Assert.Throws<CarteiraNotFoundException>(() => new Store(Path.Combine(_dir, "missing.db"), create: false));
        string path = Path.Combine(_dir, "s.db");
        new Store(path).Dispose();
        using var store = new Store(path, readOnly: true);
        using var p = new Portfolio();
        CarteiraException e = Assert.ThrowsAny<CarteiraException>(() => store.Save(p));
        Assert.Equal(CarteiraStatus.PermissionDenied, e.Code);
    }

    [Fact]
    public void StoreStructsHaveTheCLayoutOnLp64()
    {
        // sizeof / offsetof printed by gcc from carteira.h.
        Assert.Equal(20, sizeof(NativeStoreOptions));
        Assert.Equal(88, sizeof(NativeStoreAppendReport));
        NativeStoreAppendReport report;
        Assert.Equal(80, (byte*)&report.AffectedCustomers - (byte*)&report);
        Assert.Equal(40, sizeof(NativeStatusEvent));
        NativeStatusEvent e;
        Assert.Equal(16, (byte*)&e.AsOf - (byte*)&e);
        Assert.Equal(28, (byte*)&e.FromFlags - (byte*)&e);
        Assert.Equal(36, (byte*)&e.First - (byte*)&e);
        Assert.Equal(2000, NativeStoreOptions.Init().BusyTimeoutMs);
    }
}
