// The loyalty ledger in the store: Store::SaveLoyalty appends the entries
// the store does not hold yet (the ledger is append-only, so the stored rows
// are always the ledger's first entries), Store::LoadLoyalty reads them back
// through LoyaltyLedger::Restore. Customers are stored by key and mapped to
// the portfolio's indices by id. store_internal::MergeLoyalty is
// Store::MergeCustomers' part: the merged customers' entries join the
// survivor's when that changes nothing they showed (see there).
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "carteira/core/strings.h"
#include "carteira/store/store.h"
#include "src/store/sqlite.h"
#include "src/store/store_impl.h"

namespace carteira {
namespace {

constexpr const char* kEarnedUntilKey = "loyalty:earned_until";

absl::StatusOr<LedgerKind> KindFromName(std::string_view name, std::int64_t id) {
  for (LedgerKind k : {LedgerKind::kEarn, LedgerKind::kRedeem, LedgerKind::kExpire, LedgerKind::kAdjust,
                       LedgerKind::kReverse}) {
    if (LedgerKindName(k) == name) return k;
  }
  return absl::DataLossError(StrCat("loyalty_ledger row ", id, ": unknown kind '", name, "'"));
}

// An entry as a row of loyalty_ledger, the one way both the save and a
// merge's pooling write it: `pk` its id, `customer` the customer's pk,
// `reverses` the pk of the entry it reverses (0: none).
constexpr const char* kInsertEntry =
    "INSERT INTO loyalty_ledger(pk, customer, date, points, kind, reference, expires, reverses, note) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

absl::Status InsertEntry(sql::Statement& insert, std::int64_t pk, std::int64_t customer, const LedgerEntry& e,
                         std::int64_t reverses) {
  insert.BindInt(1, pk);
  insert.BindInt(2, customer);
  insert.BindInt(3, e.day);
  insert.BindInt(4, e.points);
  insert.BindText(5, LedgerKindName(e.kind));
  insert.BindTextOrNull(6, e.reference);
  if (e.expires == kNoDay) {
    insert.BindNull(7);
  } else {
    insert.BindInt(7, e.expires);
  }
  if (reverses == 0) {
    insert.BindNull(8);
  } else {
    insert.BindInt(8, reverses);
  }
  insert.BindTextOrNull(9, e.note);
  return insert.Run();
}

// A stored entry, with the customer (of the merge's) it belonged to.
struct StoredEntry {
  std::int64_t pk = 0;
  size_t owner = 0;  // 0: the survivor; i: the merge's i-th merged customer
  LedgerEntry entry;
};

// Usable points by expiry day: all that Balance and ExpiringWithin read of
// a customer's lots on a day.
std::map<DayNumber, std::int64_t> UsableByExpiry(const LoyaltyLedger& ledger, CustomerIndex c, DayNumber day,
                                                 std::map<DayNumber, std::int64_t> into = {}) {
  for (const PointsLot& lot : ledger.Lots(c, day)) into[lot.expires] += lot.remaining;
  return into;
}

}  // namespace

namespace store_internal {

// Why the merged customers' entries may not simply be given to the survivor:
// a ledger replays each customer's entries on their own, in id order, and
// (1) LoyaltyLedger::Restore wants each customer's entries dated in id
// order, which two customers' interleaved entries rarely are; and
// (2) a redemption (or a negative adjustment) takes from the customer's lots
// closest to expiry first: pooled, it may take the other customer's lot,
// which expires sooner, where apart it took its own. The pooled lots then
// never run short (the union of both customers' lots always covers what each
// redeemed: taking the soonest-expiring usable points first is the order
// that leaves the most points usable later), but they differ: the balance
// after that lot's expiry grows, and the expire entry written apart no
// longer matches what was left of the lot, so the entries would no longer
// add up to the balance.
// So: when one customer of the merge has entries, they move as they are
// (one customer's replay does not change). Otherwise the survivor's entries
// are ordered by date (stably: each customer's own order is kept, so an
// entry a reverse or expire names stays before it) into the ids the
// customers' entries held, and both replays are compared: the usable points
// by expiry day, at the end of every day with an entry. Equal: the entries
// move (nothing any view shows changes); different: the merge is refused,
// naming the first day, and nothing is written.
absl::Status MergeLoyalty(sql::Db& db, std::int64_t into, std::string_view into_id,
                          std::span<const std::pair<std::int64_t, std::string>> merged) {
  std::vector<std::int64_t> owners{into};
  for (const auto& [pk, id] : merged) owners.push_back(pk);
  std::vector<StoredEntry> rows;
  {
    auto read = sql::Statement::Prepare(
        db, "SELECT pk, date, points, kind, reference, expires, reverses, note FROM loyalty_ledger "
            "WHERE customer = ?1 ORDER BY pk");
    if (!read.ok()) return read.status();
    for (size_t o = 0; o < owners.size(); ++o) {
      read->BindInt(1, owners[o]);
      while (true) {
        auto row = read->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        StoredEntry r;
        r.pk = read->Int(0);
        r.owner = o;
        r.entry.customer = static_cast<CustomerIndex>(o);
        r.entry.day = static_cast<DayNumber>(read->Int(1));
        r.entry.points = read->Int(2);
        auto kind = KindFromName(read->Text(3), r.pk);
        if (!kind.ok()) return kind.status();
        r.entry.kind = *kind;
        r.entry.reference = std::string(read->Text(4));
        r.entry.expires = read->IsNull(5) ? kNoDay : static_cast<DayNumber>(read->Int(5));
        r.entry.reverses = read->IsNull(6) ? 0 : static_cast<std::uint64_t>(read->Int(6));  // a pk, for now
        r.entry.note = std::string(read->Text(7));
        rows.push_back(std::move(r));
      }
      read->Reset();
    }
  }
  const bool one_owner =
      std::all_of(rows.begin(), rows.end(), [&](const StoredEntry& r) { return r.owner == rows.front().owner; });
  if (one_owner) {
    auto move = sql::Statement::Prepare(db, "UPDATE loyalty_ledger SET customer = ?1 WHERE customer = ?2");
    if (!move.ok()) return move.status();
    for (const auto& [pk, id] : merged) {
      move->BindInt(1, into);
      move->BindInt(2, pk);
      if (auto s = move->Run(); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  std::sort(rows.begin(), rows.end(), [](const StoredEntry& a, const StoredEntry& b) { return a.pk < b.pk; });
  std::map<std::int64_t, size_t> position;  // pk -> index in rows
  for (size_t i = 0; i < rows.size(); ++i) position[rows[i].pk] = i;
  // The pooled order: by day, stably (ties keep the id order).
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rows[a].entry.day < rows[b].entry.day; });
  std::vector<size_t> pooled_position(rows.size());  // index in rows -> in the pooled order
  for (size_t k = 0; k < order.size(); ++k) pooled_position[order[k]] = k;

  // The entries apart (each customer its own) and pooled (all the survivor's),
  // numbered 1, 2, ... as LoyaltyLedger::Restore wants them.
  std::vector<LedgerEntry> apart, pooled(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    LedgerEntry e = rows[i].entry;
    std::uint64_t named = 0;  // the index in rows (+ 1) of the entry a reverse or expire names
    if (e.reverses != 0) {
      auto it = position.find(static_cast<std::int64_t>(e.reverses));
      if (it == position.end()) {
        return absl::DataLossError(StrCat(db.path(), ": loyalty entry ", rows[i].pk, " names entry ", e.reverses,
                                          ", which is not of the same customer"));
      }
      named = it->second + 1;
    }
    e.id = i + 1;
    e.reverses = named;
    apart.push_back(e);
    e.id = pooled_position[i] + 1;
    e.reverses = named == 0 ? 0 : pooled_position[named - 1] + 1;
    e.customer = 0;
    pooled[pooled_position[i]] = std::move(e);
  }
  Portfolio two, one;
  {
    std::vector<Customer> customers(owners.size());
    for (size_t o = 0; o < owners.size(); ++o) customers[o].id = StrCat("c", o);
    if (auto s = two.AddCustomers(customers); !s.ok()) return s;
    customers.resize(1);
    if (auto s = one.AddCustomers(customers); !s.ok()) return s;
  }
  auto before = LoyaltyLedger::Restore(two, LoyaltyRules{}, apart, kNoDay);
  if (!before.ok()) return absl::Status(before.status().code(), StrCat(db.path(), ": ", before.status().message()));
  std::string names;
  for (const auto& [pk, id] : merged) StrAppend(&names, names.empty() ? "'" : ", '", id, "'");
  auto refuse = [&](DayNumber day, std::string_view why) {
    return absl::FailedPreconditionError(StrCat(
        "merge into '", into_id, "': the loyalty entries of ", names, " and '", into_id,
        "' cannot become one customer's: ", why, " on ", FormatDate(day),
        " (pooled, a redemption or an expiry would take from other lots than it did); nothing merged "
        "(docs/store.md)"));
  };
  auto after = LoyaltyLedger::Restore(one, LoyaltyRules{}, pooled, kNoDay);
  if (!after.ok()) return refuse(pooled.front().day, std::string(after.status().message()));
  for (size_t k = 0; k < order.size(); ++k) {
    const DayNumber day = pooled[k].day;
    if (k + 1 < order.size() && pooled[k + 1].day == day) continue;  // the end of the day
    std::map<DayNumber, std::int64_t> sum;
    for (size_t o = 0; o < owners.size(); ++o) sum = UsableByExpiry(*before, static_cast<CustomerIndex>(o), day, sum);
    if (UsableByExpiry(*after, 0, day) != sum) {
      std::int64_t apart_points = 0;
      for (size_t o = 0; o < owners.size(); ++o) apart_points += before->Balance(static_cast<CustomerIndex>(o), day);
      return refuse(day, StrCat("their points would be ", after->Balance(0, day), " usable (", apart_points,
                                " apart), in other lots,"));
    }
  }
  // Equal: rewrite the entries as the survivor's, in the pooled order, into
  // the ids they held (slots: the same set of ids, ascending).
  auto erase = sql::Statement::Prepare(db, "DELETE FROM loyalty_ledger WHERE pk = ?1");
  if (!erase.ok()) return erase.status();
  for (const StoredEntry& r : rows) {
    erase->BindInt(1, r.pk);
    if (auto s = erase->Run(); !s.ok()) return s;
  }
  auto insert = sql::Statement::Prepare(db, kInsertEntry);
  if (!insert.ok()) return insert.status();
  for (size_t k = 0; k < pooled.size(); ++k) {
    const LedgerEntry& e = pooled[k];
    // The k-th smallest id of the entries; a reversal points at its entry's new id.
    const std::int64_t reverses = e.reverses == 0 ? 0 : rows[e.reverses - 1].pk;
    if (auto st = InsertEntry(*insert, rows[k].pk, into, e, reverses); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace store_internal

absl::Status Store::SaveLoyalty(const Portfolio& portfolio, const LoyaltyLedger& ledger) {
  auto& db = impl_->db;
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  const std::vector<LedgerEntry>& entries = ledger.entries();
  auto stored = db.QueryInt("SELECT count(*) FROM loyalty_ledger");
  if (!stored.ok()) return stored.status();
  if (static_cast<std::uint64_t>(*stored) > entries.size()) {
    return absl::FailedPreconditionError(StrCat(db.path(), ": the store holds ", *stored,
                                                " loyalty entries, the ledger only ", entries.size(),
                                                " (the ledger is append-only: load it from the store, then add); "
                                                "nothing saved"));
  }
  const CustomerTable& customers = portfolio.customers();
  if (*stored > 0) {
    // The last stored entry must be the ledger's entry of the same id.
    auto last = sql::Statement::Prepare(
        db, "SELECT l.pk, c.id, l.date, l.kind, l.points FROM loyalty_ledger l "
            "JOIN customers c ON c.pk = l.customer ORDER BY l.pk DESC LIMIT 1");
    if (!last.ok()) return last.status();
    auto row = last->Step();
    if (!row.ok()) return row.status();
    const std::int64_t id = last->Int(0);
    const LedgerEntry& e = entries[static_cast<size_t>(*stored) - 1];
    if (!*row || id != *stored || e.id != static_cast<std::uint64_t>(id) ||
        last->Text(1) != customers.id[e.customer] || last->Int(2) != e.day ||
        last->Text(3) != LedgerKindName(e.kind) || last->Int(4) != e.points) {
      return absl::FailedPreconditionError(
          StrCat(db.path(), ": loyalty entry ", *stored, " of the store differs from the ledger's (a ledger "
                 "made apart from this store's; load it from the store, then add); nothing saved"));
    }
  }
  auto customer = sql::Statement::Prepare(db, "SELECT pk FROM customers WHERE id = ?1");
  if (!customer.ok()) return customer.status();
  auto insert = sql::Statement::Prepare(db, kInsertEntry);
  if (!insert.ok()) return insert.status();
  for (size_t i = static_cast<size_t>(*stored); i < entries.size(); ++i) {
    const LedgerEntry& e = entries[i];
    const std::string_view id = customers.id[e.customer];
    customer->BindText(1, id);
    auto found = customer->Step();
    if (!found.ok()) return found.status();
    if (!*found) {
      customer->Reset();
      return absl::NotFoundError(StrCat(db.path(), ": loyalty entry ", e.id, ": customer '", id,
                                        "' is not in the store; nothing saved"));
    }
    const std::int64_t pk = customer->Int(0);
    customer->Reset();
    if (auto st = InsertEntry(*insert, static_cast<std::int64_t>(e.id), pk, e, static_cast<std::int64_t>(e.reverses));
        !st.ok()) {
      return st;
    }
  }
  auto meta = sql::Statement::Prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
  if (!meta.ok()) return meta.status();
  meta->BindText(1, kEarnedUntilKey);
  meta->BindInt(2, ledger.earned_until());
  if (auto s = meta->Run(); !s.ok()) return s;
  return tx->Commit();
}

absl::StatusOr<LoyaltyLedger> Store::LoadLoyalty(const Portfolio& portfolio, LoyaltyRules rules) {
  auto& db = impl_->db;
  auto rtx = sql::ReadTransaction::Begin(db);
  if (!rtx.ok()) return rtx.status();
  std::vector<LedgerEntry> entries;
  auto rows = sql::Statement::Prepare(
      db, "SELECT l.pk, c.id, l.date, l.points, l.kind, l.reference, l.expires, l.reverses, l.note "
          "FROM loyalty_ledger l JOIN customers c ON c.pk = l.customer ORDER BY l.pk");
  if (!rows.ok()) return rows.status();
  while (true) {
    auto row = rows->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    LedgerEntry e;
    e.id = static_cast<std::uint64_t>(rows->Int(0));
    const std::optional<CustomerIndex> c = portfolio.FindCustomer(rows->Text(1));
    if (!c.has_value()) {
      return absl::FailedPreconditionError(StrCat(db.path(), ": loyalty entry ", e.id, ": customer '",
                                                  rows->Text(1), "' is not in the portfolio (load it from this store)"));
    }
    e.customer = *c;
    e.day = static_cast<DayNumber>(rows->Int(2));
    e.points = rows->Int(3);
    auto kind = KindFromName(rows->Text(4), rows->Int(0));
    if (!kind.ok()) return kind.status();
    e.kind = *kind;
    e.reference = std::string(rows->Text(5));
    e.expires = rows->IsNull(6) ? kNoDay : static_cast<DayNumber>(rows->Int(6));
    e.reverses = rows->IsNull(7) ? 0 : static_cast<std::uint64_t>(rows->Int(7));
    e.note = std::string(rows->Text(8));
    entries.push_back(std::move(e));
  }
  DayNumber earned_until = kNoDay;
  auto meta = sql::Statement::Prepare(db, "SELECT value FROM meta WHERE key = ?1");
  if (!meta.ok()) return meta.status();
  meta->BindText(1, kEarnedUntilKey);
  auto found = meta->Step();
  if (!found.ok()) return found.status();
  if (*found) earned_until = static_cast<DayNumber>(meta->Int(0));
  auto ledger = LoyaltyLedger::Restore(portfolio, std::move(rules), std::move(entries), earned_until);
  if (!ledger.ok()) return absl::Status(ledger.status().code(), StrCat(db.path(), ": ", ledger.status().message()));
  return ledger;
}

}  // namespace carteira
