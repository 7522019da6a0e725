// carteira_loyalty_ledger: the loyalty program's append-only points ledger
// (earn rules, redemptions, expiry, tiers; docs/actions.md).
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>carteira_ledger_kind.</summary>
public enum LedgerKind
{
    /// <summary>Points earned by a purchase: a lot that expires.</summary>
    Earn = 0,
    /// <summary>Points redeemed.</summary>
    Redeem = 1,
    /// <summary>What was left of an expired lot.</summary>
    Expire = 2,
    /// <summary>A correction (positive: a new lot), or a return taking points back.</summary>
    Adjust = 3,
    /// <summary>Cancels an earn, redeem or adjust entry.</summary>
    Reverse = 4,
}

/// <summary>One ledger entry.</summary>
/// <param name="Id">1, 2, ... in append order.</param>
/// <param name="CustomerIndex">The customer's index.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Day">Its date.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Points">What it adds to the balance (negative for redemptions, expiry...).</param>
/// <param name="Expires">For an earn or positive adjustment, its lot's expiry day; else null.</param>
/// <param name="Reverses">A reversal's cancelled entry, an expiry's lot; else 0.</param>
/// <param name="Reference">The order id or the redemption's reference ("" if none).</param>
/// <param name="Note">Why, in words.</param>
public sealed record LedgerEntry(ulong Id, uint CustomerIndex, string CustomerId, DateOnly Day, LedgerKind Kind,
                                 long Points, DateOnly? Expires, ulong Reverses, string Reference, string Note);

/// <summary>A customer's tier on a day, by the spend (minor units) of the 365 days ending on it.</summary>
/// <param name="Tier">The tier's name; null for none.</param>
/// <param name="Spend">The spend, minor units.</param>
/// <param name="NextTier">The next tier; null at the top (or without tiers).</param>
/// <param name="ToNext">Spend still needed for it, minor units.</param>
/// <param name="TierIndex">In the rules' tiers; -1 = none.</param>
/// <param name="NextIndex">In the rules' tiers; -1 = none.</param>
public sealed record TierStanding(string? Tier, long Spend, string? NextTier, long ToNext, int TierIndex, int NextIndex);

/// <summary>
/// The loyalty points ledger of a portfolio: append-only earn, redeem,
/// expire, adjust and reverse entries per customer. Rules come from the rules
/// file's JSON (docs/actions.md: money as decimal strings such as
/// "1.000,00", multipliers in percent). It keeps the native portfolio alive
/// (the purchases earn the points). Customers are given by index or id.
/// A redemption beyond the balance throws
/// <see cref="CarteiraFailedPreconditionException"/> and writes nothing.
/// Dispose it to free the native memory (a finalizer does it otherwise). Not
/// synchronised: use an instance from one thread at a time.
/// </summary>
public sealed unsafe class LoyaltyLedger : IDisposable
{
    private readonly LoyaltyLedgerHandle _handle;
    private readonly Portfolio _portfolio;

    /// <summary>A ledger with the rules of <paramref name="rulesJson"/> (null: the defaults,
    /// 1 point per 1,00 expiring after 12 months).</summary>
    /// <exception cref="CarteiraArgumentException">Bad rules; the message names the key
    /// ("rules.tiers[1].min_spend: ...").</exception>
    public LoyaltyLedger(Portfolio portfolio, string? rulesJson = null)
        : this(portfolio, h =>
        {
            Utf8.ThrowIfNul(rulesJson, nameof(rulesJson));
            CarteiraStatus s = NativeMethods.carteira_loyalty_ledger_create(h, rulesJson, out LoyaltyLedgerHandle l);
            return (s, l);
        })
    {
    }

    private LoyaltyLedger(Portfolio portfolio, Func<PortfolioHandle, (CarteiraStatus, LoyaltyLedgerHandle)> create)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        PortfolioHandle portfolioHandle = portfolio.Handle;
        var lease = new PortfolioLease(portfolioHandle);
        bool adopted = false;
        try
        {
            (CarteiraStatus status, LoyaltyLedgerHandle handle) = create(portfolioHandle);
            if (status != CarteiraStatus.Ok)
            {
                handle.Dispose(); // invalid, so no native call: the last error survives
                Errors.Check(status);
            }
            handle.Lease = lease;
            adopted = true;
            _handle = handle;
        }
        finally
        {
            if (!adopted) lease.Release();
        }
        _portfolio = portfolio;
    }

    /// <summary>A ledger with the rules of a file.</summary>
    /// <exception cref="CarteiraNotFoundException">The file cannot be opened.</exception>
    /// <exception cref="CarteiraArgumentException">Bad rules; the message starts with the path.</exception>
    public static LoyaltyLedger FromFile(Portfolio portfolio, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Utf8.ThrowIfNul(path, nameof(path));
        return new LoyaltyLedger(portfolio, h =>
        {
            CarteiraStatus s = NativeMethods.carteira_loyalty_ledger_create_from_file(h, path, out LoyaltyLedgerHandle l);
            return (s, l);
        });
    }

    // The store's ledger on a portfolio loaded from it (Store.LoadLoyalty).
    internal static LoyaltyLedger FromStore(StoreHandle store, Portfolio portfolio, string? rulesJson) =>
        new LoyaltyLedger(portfolio, h =>
        {
            CarteiraStatus s = NativeMethods.carteira_store_load_loyalty(store, h, rulesJson, out LoyaltyLedgerHandle l);
            return (s, l);
        });

    internal LoyaltyLedgerHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    private uint Index(string customerId) => _portfolio.FindCustomer(customerId);

    // ---- Writing ------------------------------------------------------------------

    /// <summary>Earn entries (and negative adjustments for returns) for the purchases after the last
    /// day earned, up to and including <paramref name="upTo"/>; returns how many were written.</summary>
    public int EarnFromTransactions(DateOnly upTo)
    {
        Errors.Check(NativeMethods.carteira_loyalty_earn_from_transactions(Handle, Dates.ToDays(upTo), out nuint n));
        return checked((int)n);
    }

    /// <summary>Redeems <paramref name="points"/> on <paramref name="day"/>, the lots closest to expiry
    /// first; returns the entry's id.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">Beyond the balance available that day (the
    /// message has the figures), or before the customer's last entry.</exception>
    public ulong Redeem(uint customer, DateOnly day, long points, string reference = "")
    {
        ArgumentNullException.ThrowIfNull(reference);
        Utf8.ThrowIfNul(reference, nameof(reference));
        Errors.Check(NativeMethods.carteira_loyalty_redeem(Handle, customer, Dates.ToDays(day), points, reference,
                                                           out ulong id));
        return id;
    }

    /// <summary>As <see cref="Redeem(uint, DateOnly, long, string)"/>, the customer by id.</summary>
    public ulong Redeem(string customerId, DateOnly day, long points, string reference = "") =>
        Redeem(Index(customerId), day, points, reference);

    /// <summary>A correction: positive points form a new lot, negative ones consume lots (refused
    /// beyond the balance); returns the entry's id.</summary>
    public ulong Adjust(uint customer, DateOnly day, long points, string note = "")
    {
        ArgumentNullException.ThrowIfNull(note);
        Utf8.ThrowIfNul(note, nameof(note));
        Errors.Check(NativeMethods.carteira_loyalty_adjust(Handle, customer, Dates.ToDays(day), points, note, out ulong id));
        return id;
    }

    /// <summary>As <see cref="Adjust(uint, DateOnly, long, string)"/>, the customer by id.</summary>
    public ulong Adjust(string customerId, DateOnly day, long points, string note = "") =>
        Adjust(Index(customerId), day, points, note);

    /// <summary>Cancels an earn, redeem or adjust entry on <paramref name="day"/>; returns the
    /// reversal's id.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">Already reversed, or its points were spent.</exception>
    /// <exception cref="CarteiraNotFoundException">No entry has this id.</exception>
    public ulong Reverse(ulong entry, DateOnly day, string note = "")
    {
        ArgumentNullException.ThrowIfNull(note);
        Utf8.ThrowIfNul(note, nameof(note));
        Errors.Check(NativeMethods.carteira_loyalty_reverse(Handle, entry, Dates.ToDays(day), note, out ulong id));
        return id;
    }

    /// <summary>Writes an expire entry, dated <paramref name="day"/>, for what is left of every lot
    /// expired by then; returns how many.</summary>
    public int ExpireUntil(DateOnly day)
    {
        Errors.Check(NativeMethods.carteira_loyalty_expire_until(Handle, Dates.ToDays(day), out nuint n));
        return checked((int)n);
    }

    // ---- Reading ------------------------------------------------------------------

    /// <summary>The usable points on <paramref name="day"/> (entries dated on or before it).</summary>
    public long Balance(uint customer, DateOnly day)
    {
        Errors.Check(NativeMethods.carteira_loyalty_balance(Handle, customer, Dates.ToDays(day), out long points));
        return points;
    }

    /// <summary>Every customer's usable points as of <paramref name="day"/> in one call, indexed by
    /// customer index.</summary>
    public long[] Balances(DateOnly day)
    {
        LoyaltyLedgerHandle handle = Handle;
        var points = new long[checked((int)_portfolio.Counts.Customers)];
        fixed (long* p = points)
        {
            Errors.Check(NativeMethods.carteira_loyalty_balances(handle, Dates.ToDays(day), p, (nuint)points.Length));
        }
        return points;
    }

    /// <summary>As <see cref="Balance(uint, DateOnly)"/>, the customer by id.</summary>
    public long Balance(string customerId, DateOnly day) => Balance(Index(customerId), day);

    /// <summary>The points of the balance on <paramref name="day"/> that expire within
    /// <paramref name="days"/> days.</summary>
    public long ExpiringWithin(uint customer, DateOnly day, int days = 30)
    {
        Errors.Check(NativeMethods.carteira_loyalty_expiring_within(Handle, customer, Dates.ToDays(day), days,
                                                                    out long points));
        return points;
    }

    /// <summary>As <see cref="ExpiringWithin(uint, DateOnly, int)"/>, the customer by id.</summary>
    public long ExpiringWithin(string customerId, DateOnly day, int days = 30) => ExpiringWithin(Index(customerId), day, days);

    /// <summary>The customer's tier on <paramref name="day"/>.</summary>
    public TierStanding Tier(uint customer, DateOnly day)
    {
        NativeTierStanding t = NativeTierStanding.Init();
        Errors.Check(NativeMethods.carteira_loyalty_tier(Handle, customer, Dates.ToDays(day), &t));
        return new TierStanding(t.TierName == null ? null : Utf8.Decode(t.TierName), t.Spend,
                                t.NextName == null ? null : Utf8.Decode(t.NextName), t.ToNext, t.Tier, t.Next);
    }

    /// <summary>As <see cref="Tier(uint, DateOnly)"/>, the customer by id.</summary>
    public TierStanding Tier(string customerId, DateOnly day) => Tier(Index(customerId), day);

    /// <summary>The number of entries.</summary>
    public int EntryCount
    {
        get
        {
            Errors.Check(NativeMethods.carteira_loyalty_entry_count(Handle, out nuint n));
            return checked((int)n);
        }
    }

    /// <summary>The entries in append order: one customer's (by id) when given, only those dated on
    /// or before <paramref name="asOf"/> when given.</summary>
    public IReadOnlyList<LedgerEntry> Entries(string? customerId = null, DateOnly? asOf = null)
    {
        LoyaltyLedgerHandle handle = Handle;
        uint? only = customerId is null ? null : Index(customerId);
        int? last = asOf is null ? null : Dates.ToDays(asOf.Value);
        Errors.Check(NativeMethods.carteira_loyalty_entry_count(handle, out nuint count));
        var kept = new List<(NativeLedgerEntry Entry, string Reference, string Note)>();
        for (nuint i = 0; i < count; i++)
        {
            NativeLedgerEntry e = NativeLedgerEntry.Init();
            Errors.Check(NativeMethods.carteira_loyalty_entry_get(handle, i, &e));
            if ((only is not null && e.Customer != only) || (last is not null && e.Day > last)) continue;
            kept.Add((e, Utf8.Decode(e.Reference), Utf8.Decode(e.Note)));
        }
        var customers = new uint[kept.Count];
        for (int i = 0; i < kept.Count; i++) customers[i] = kept[i].Entry.Customer;
        string[] ids = Portfolio.CustomerIds(handle.Lease!.Pointer, customers);
        var result = new LedgerEntry[kept.Count];
        for (int i = 0; i < kept.Count; i++)
        {
            NativeLedgerEntry e = kept[i].Entry;
            result[i] = new LedgerEntry(e.Id, e.Customer, ids[i], Dates.FromDays(e.Day), (LedgerKind)e.Kind, e.Points,
                                        e.Expires == Dates.NoDay ? null : Dates.FromDays(e.Expires), e.Reverses,
                                        kept[i].Reference, kept[i].Note);
        }
        return Array.AsReadOnly(result);
    }

    /// <summary>Frees the native ledger; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();
}
