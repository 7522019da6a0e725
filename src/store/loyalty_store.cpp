// The loyalty ledger in the store: Store::SaveLoyalty appends the entries
// the store does not hold yet (the ledger is append-only, so the stored rows
// are always the ledger's first entries), Store::LoadLoyalty reads them back
// through LoyaltyLedger::Restore. Customers are stored by key and mapped to
// the portfolio's indices by id.
#include <string>
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

}  // namespace

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
  auto insert = sql::Statement::Prepare(
      db, "INSERT INTO loyalty_ledger(pk, customer, date, points, kind, reference, expires, reverses, note) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
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
    insert->BindInt(1, static_cast<std::int64_t>(e.id));
    insert->BindInt(2, pk);
    insert->BindInt(3, e.day);
    insert->BindInt(4, e.points);
    insert->BindText(5, LedgerKindName(e.kind));
    insert->BindTextOrNull(6, e.reference);
    if (e.expires == kNoDay) {
      insert->BindNull(7);
    } else {
      insert->BindInt(7, e.expires);
    }
    if (e.reverses == 0) {
      insert->BindNull(8);
    } else {
      insert->BindInt(8, static_cast<std::int64_t>(e.reverses));
    }
    insert->BindTextOrNull(9, e.note);
    if (auto s = insert->Run(); !s.ok()) return s;
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
