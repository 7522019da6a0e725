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
    public void RefreshInfoPlansMergesAndSizeLimit()
    {
        string path = Path.Combine(_dir, "carteira.db");
        var asOf = new DateOnly(2026, 10, 31);
        using var sample = new Portfolio();
        sample.ImportDirectory(Repository.PathOf("examples", "sample"));
        using (var store = new Store(path))
        {
            store.Save(sample);
            Assert.Null(store.LastRefresh);
            store.RefreshStatuses(asOf);
            Assert.Null(store.LastRefresh!.PreviousAsOf);
            store.RefreshStatuses(asOf);
            Assert.Equal(new RefreshInfo(asOf, asOf, store.LastRefresh.CustomersChecked, false), store.LastRefresh);
            using (StatusPolicy stricter = StatusPolicy.FromJson(
                       "{\"recency\": {\"at_risk_after\": 45}, \"cadence\": {\"enabled\": false}}"))
            {
                Assert.NotEmpty(store.RefreshStatuses(asOf, stricter));
            }
            Assert.True(store.LastRefresh.PolicyChanged);
            Assert.Equal(sample.Counts.Customers, store.LastRefresh.CustomersChecked);

            // A giro plan built on the store's portfolio, applied into the store once.
            using (Portfolio current = store.Load())
            using (StatusPolicy policy = StatusPolicy.Default())
            using (var engine = new StatusEngine(current, policy))
            using (StatusTable table = engine.Classify(asOf))
            using (var giro = PlanPipeline.FromJson("{\"policies\": [{\"policy\": \"rotate_at_risk\"}]}"))
            using (Plan plan = Plan.Build(current, table, giro))
            {
                Assert.NotEmpty(plan.Moves);
                long before = store.Count("assignments");
                store.ApplyPlan(plan, "gerente", new DateOnly(2026, 11, 2), "giro");
                Assert.Equal(before + plan.Moves.Count, store.Count("assignments"));
                Assert.Equal(1, store.Count("plans"));
                CarteiraException again = Assert.ThrowsAny<CarteiraException>(
                    () => store.ApplyPlan(plan, "gerente", new DateOnly(2026, 11, 2)));
                Assert.Equal(CarteiraStatus.AlreadyExists, again.Code);
                Assert.Equal(before + plan.Moves.Count, store.Count("assignments"));
            }

            long customers = store.Count("customers");
            Assert.ThrowsAny<CarteiraException>(
                () => store.MergeCustomers("NO-SUCH", ["C00014"], "auditor", new DateOnly(2026, 11, 2)));
            store.MergeCustomers("C00013", ["C00014"], "auditor", new DateOnly(2026, 11, 2));
            Assert.Equal(customers - 1, store.Count("customers"));
            Assert.Equal(1, store.Count("merged_customers"));
            Assert.Empty(store.Check());
        }

        using (var small = new Store(Path.Combine(_dir, "small.db"), maxBytes: 256 * 1024))
        {
            CarteiraException full = Assert.ThrowsAny<CarteiraException>(() => small.Save(sample));
            Assert.Equal(CarteiraStatus.ResourceExhausted, full.Code);
            Assert.Equal(0, small.Count("customers"));
            Assert.Equal(0, small.Count("transactions"));
        }
    }

    [Fact]
    public void LoyaltyLedgerIsSavedLoadedBackAndFollowsAMerge()
    {
        string path = Path.Combine(_dir, "loyalty.db");
        using var store = new Store(path);
        using (var p = new Portfolio())
        {
            p.AppendCustomers(["A", "B", "C"]);
            store.Save(p);
        }
        long[] before;
        using (Portfolio loaded = store.Load())
        {
            using LoyaltyLedger ledger = store.LoadLoyalty(loaded);
            Assert.Equal(0, ledger.EntryCount);
            ledger.Adjust("B", new DateOnly(2026, 1, 5), 100, "B1");
            ledger.Adjust("A", new DateOnly(2026, 1, 10), 50, "A1");
            ledger.Redeem("B", new DateOnly(2026, 2, 1), 30, "R-B");
            ledger.Adjust("C", new DateOnly(2026, 2, 2), 7, "C1");
            store.SaveLoyalty(ledger);
            store.SaveLoyalty(ledger); // nothing new: nothing written
            Assert.Equal(4, store.Count("loyalty_ledger"));
            before = ledger.Balances(new DateOnly(2026, 3, 1));
            Assert.Equal(new long[] { 50, 70, 7 }, before);
        }
        using (Portfolio loaded = store.Load())
        {
            using LoyaltyLedger back = store.LoadLoyalty(loaded);
            Assert.Equal(before, back.Balances(new DateOnly(2026, 3, 1)));
            Assert.Equal(4, back.EntryCount);
            using var apart = new LoyaltyLedger(loaded);
            for (int i = 0; i < 5; i++) apart.Adjust("C", new DateOnly(2026, 2, 2), 1, $"x{i}");
            var e = Assert.Throws<CarteiraFailedPreconditionException>(() => store.SaveLoyalty(apart));
            Assert.Contains("loyalty entry 4", e.Message);
            Assert.Equal(4, store.Count("loyalty_ledger"));
            Assert.Throws<CarteiraArgumentException>(() => store.LoadLoyalty(loaded, """{"unit": 100}"""));
            Assert.Throws<ArgumentNullException>(() => store.LoadLoyalty(null!));
            Assert.Throws<ArgumentNullException>(() => store.SaveLoyalty(null!));
        }
        // B's lot expires first, so pooled its redemption takes from it as it did: the merge moves B's entries.
        store.MergeCustomers("A", ["B"], "auditor", new DateOnly(2026, 3, 1));
        using (Portfolio merged = store.Load())
        {
            using LoyaltyLedger pooled = store.LoadLoyalty(merged);
            Assert.Equal(120, pooled.Balance("A", new DateOnly(2026, 3, 1)));
            Assert.Equal(7, pooled.Balance("C", new DateOnly(2026, 3, 1)));
        }
    }

    [Fact]
    public void AMergeThatWouldMoveLoyaltyPointsBetweenLotsIsRefused()
    {
        using var store = new Store(Path.Combine(_dir, "refused.db"));
        using (var p = new Portfolio())
        {
            p.AppendCustomers(["D", "E"]);
            store.Save(p);
        }
        using (Portfolio loaded = store.Load())
        {
            using LoyaltyLedger ledger = store.LoadLoyalty(loaded);
            ledger.Adjust("D", new DateOnly(2026, 1, 1), 100, "D1");
            ledger.Adjust("E", new DateOnly(2026, 6, 1), 100, "E1");
            ledger.Redeem("E", new DateOnly(2026, 7, 1), 50, "R-E"); // pooled: D's older lot would go first
            store.SaveLoyalty(ledger);
        }
        var e = Assert.Throws<CarteiraFailedPreconditionException>(
            () => store.MergeCustomers("D", ["E"], "auditor", new DateOnly(2026, 8, 1)));
        Assert.Contains("cannot become one customer's", e.Message);
        using Portfolio same = store.Load();
        Assert.Equal(2, same.Counts.Customers);
    }

    [Fact]
    public void ACheckpointPutsEverythingInTheFile()
    {
        string path = Path.Combine(_dir, "checkpoint.db"), copy = Path.Combine(_dir, "copy.db");
        long customers, transactions;
        using (var sample = new Portfolio())
        using (var store = new Store(path))
        {
            sample.ImportDirectory(Repository.PathOf("examples", "sample"));
            customers = sample.Counts.Customers;
            transactions = sample.Counts.Transactions;
            store.Save(sample);
            store.Checkpoint();
            File.Copy(path, copy); // the file alone, without its -wal
        }
        using (var back = new Store(copy, create: false, readOnly: true))
        {
            Assert.Equal(customers, back.Count("customers"));
            Assert.Equal(transactions, back.Count("transactions"));
            CarteiraException denied = Assert.ThrowsAny<CarteiraException>(() => back.Checkpoint());
            Assert.Equal(CarteiraStatus.PermissionDenied, denied.Code);
            Assert.Contains("read-only", denied.Message);
        }
        var closed = new Store(Path.Combine(_dir, "closed.db"));
        closed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => closed.Checkpoint());
    }

    [Fact]
    public void SqlitesOwnCheckpointsInsideCommits()
    {
        using var sample = new Portfolio();
        sample.ImportDirectory(Repository.PathOf("examples", "sample"));
        using var store = new Store(Path.Combine(_dir, "own.db"), checkpointThread: false);
        store.Save(sample);
        Assert.Equal(sample.Counts.Transactions, store.Count("transactions"));
        store.Checkpoint();
        Assert.Empty(store.Check());
    }

    [Fact]
    public void StoreStructsHaveTheCLayoutOnLp64()
    {
        // sizeof / offsetof printed by gcc from carteira.h.
        Assert.Equal(40, sizeof(NativeStoreOptions));
        NativeStoreOptions options;
        Assert.Equal(24, (byte*)&options.MaxBytes - (byte*)&options);
        Assert.Equal(32, (byte*)&options.CheckpointThread - (byte*)&options);
        Assert.Equal(24, sizeof(NativeRefreshInfo));
        NativeRefreshInfo info;
        Assert.Equal(16, (byte*)&info.CustomersChecked - (byte*)&info);
        Assert.Equal(88, sizeof(NativeStoreAppendReport));
        NativeStoreAppendReport report;
        Assert.Equal(80, (byte*)&report.AffectedCustomers - (byte*)&report);
        Assert.Equal(40, sizeof(NativeStatusEvent));
        NativeStatusEvent e;
        Assert.Equal(16, (byte*)&e.AsOf - (byte*)&e);
        Assert.Equal(28, (byte*)&e.FromFlags - (byte*)&e);
        Assert.Equal(36, (byte*)&e.First - (byte*)&e);
        Assert.Equal(2000, NativeStoreOptions.Init().BusyTimeoutMs);
        Assert.Equal(1, NativeStoreOptions.Init().CheckpointThread);
    }
}
