// The store's tables and their forward migrations. Conventions: customers,
// reps and transactions are referenced by their integer key (`pk`); dates
// are INTEGER day numbers (days since 1970-01-01, as DayNumber); money is
// INTEGER minor units (centavos); empty optional text is NULL; flags are
// 0/1. Foreign keys are declared for `PRAGMA foreign_key_check` (carteira
// db check) but not enforced per row, which would slow bulk loads.
#include "src/store/schema.h"

#include <array>

#include "carteira/core/strings.h"
#include "carteira/store/schema.h"

namespace carteira::store_internal {
namespace {

// Version 1. Transactions are clustered by customer (WITHOUT ROWID, key
// customer + seq): a customer's history is contiguous on disk, so the
// incremental status refresh reads it with one seek, and a full load is one
// sequential scan.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE customers(
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT, document TEXT, email TEXT, phone TEXT,
  city TEXT, state TEXT, region TEXT, segment TEXT,
  created_at INTEGER,
  key_account INTEGER NOT NULL DEFAULT 0,
  delinquent INTEGER NOT NULL DEFAULT 0);
CREATE TABLE customer_attributes(
  customer INTEGER NOT NULL REFERENCES customers(pk),
  name TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(customer, name)) WITHOUT ROWID;
CREATE TABLE reps(
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT, region TEXT,
  segments TEXT,  -- '|'-separated
  capacity INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  team TEXT);
CREATE TABLE rep_attributes(
  rep INTEGER NOT NULL REFERENCES reps(pk),
  name TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(rep, name)) WITHOUT ROWID;
CREATE TABLE categories(code INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE channels(code INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE outcomes(code INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE transactions(
  customer INTEGER NOT NULL REFERENCES customers(pk),
  seq INTEGER NOT NULL,  -- unique, in the order rows were recorded
  date INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  order_id TEXT,
  rep INTEGER REFERENCES reps(pk),
  category INTEGER REFERENCES categories(code),
  PRIMARY KEY(customer, seq)) WITHOUT ROWID;
CREATE UNIQUE INDEX transactions_by_order ON transactions(order_id) WHERE order_id IS NOT NULL;
CREATE TABLE transaction_attributes(
  seq INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(seq, name)) WITHOUT ROWID;
CREATE TABLE contracts(
  pk INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers(pk),
  contract_id TEXT,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  value INTEGER NOT NULL DEFAULT 0,
  auto_renew INTEGER NOT NULL DEFAULT 0);
CREATE INDEX contracts_by_customer ON contracts(customer);
CREATE TABLE interactions(
  pk INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers(pk),
  rep INTEGER REFERENCES reps(pk),
  date INTEGER NOT NULL,
  channel INTEGER REFERENCES channels(code),
  outcome INTEGER REFERENCES outcomes(code));
CREATE INDEX interactions_by_customer ON interactions(customer);
CREATE TABLE surveys(
  pk INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers(pk),
  date INTEGER NOT NULL,
  score INTEGER NOT NULL CHECK(score BETWEEN 0 AND 10));
CREATE INDEX surveys_by_customer ON surveys(customer);
-- Applied redistribution plans (or any batch of assignments).
CREATE TABLE plans(
  pk INTEGER PRIMARY KEY,
  name TEXT, applied_at INTEGER NOT NULL, applied_by TEXT, note TEXT,
  moves INTEGER NOT NULL DEFAULT 0);
-- Assignment history in the order recorded; `plan` is NULL for imports.
CREATE TABLE assignments(
  pk INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers(pk),
  rep INTEGER NOT NULL REFERENCES reps(pk),
  since INTEGER NOT NULL,
  reason TEXT,
  plan INTEGER REFERENCES plans(pk));
CREATE INDEX assignments_by_customer ON assignments(customer);
-- Merged customers: the alias, the survivor and the record as it was.
CREATE TABLE customer_aliases(
  pk INTEGER PRIMARY KEY,
  alias TEXT NOT NULL UNIQUE,
  customer INTEGER NOT NULL REFERENCES customers(pk),
  merged_at INTEGER NOT NULL,
  merged_by TEXT,
  name TEXT, document TEXT, email TEXT, phone TEXT,
  city TEXT, state TEXT, region TEXT, segment TEXT,
  created_at INTEGER,
  key_account INTEGER NOT NULL DEFAULT 0,
  delinquent INTEGER NOT NULL DEFAULT 0);
CREATE INDEX customer_aliases_by_customer ON customer_aliases(customer);
-- Each customer's summary and status as of the last refresh. next_check:
-- the day its status next changes without new data (a threshold crossed).
CREATE TABLE customer_state(
  customer INTEGER PRIMARY KEY REFERENCES customers(pk),
  as_of INTEGER NOT NULL,
  first_purchase INTEGER, last_purchase INTEGER,
  purchase_days INTEGER NOT NULL DEFAULT 0,
  revenue INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL,
  flags INTEGER NOT NULL DEFAULT 0,
  rule INTEGER NOT NULL DEFAULT 0,
  next_check INTEGER);
CREATE INDEX customer_state_by_next_check ON customer_state(next_check);
-- Customers with new data since the last refresh.
CREATE TABLE dirty_customers(customer INTEGER PRIMARY KEY);
CREATE TABLE status_runs(
  pk INTEGER PRIMARY KEY,
  as_of INTEGER NOT NULL,
  ran_at TEXT NOT NULL DEFAULT (datetime('now')),
  checked INTEGER NOT NULL, changed INTEGER NOT NULL);
-- Status history: every change a refresh found.
CREATE TABLE status_events(
  pk INTEGER PRIMARY KEY,
  run INTEGER NOT NULL REFERENCES status_runs(pk),
  customer INTEGER NOT NULL,
  from_status INTEGER, to_status INTEGER NOT NULL,
  from_flags INTEGER, to_flags INTEGER NOT NULL);
CREATE INDEX status_events_by_customer ON status_events(customer);
-- Reserved for the loyalty program (points, tiers, expiry, redemption):
-- one row per movement; balance = sum(points) of rows not expired.
CREATE TABLE loyalty_ledger(
  pk INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers(pk),
  date INTEGER NOT NULL,
  points INTEGER NOT NULL,
  kind TEXT NOT NULL,  -- earn, redeem, expire, adjust
  reference TEXT,
  expires INTEGER);
CREATE INDEX loyalty_ledger_by_customer ON loyalty_ledger(customer);
)sql";

// migrations[i] takes a store from version i to i + 1.
constexpr std::array<const char*, kStoreSchemaVersion> kMigrations = {kVersion1};

}  // namespace

absl::Status OpenSchema(sql::Db& db, bool read_only) {
  // The first read of the header: a file that is not SQLite fails here.
  auto app_id = db.QueryInt("PRAGMA application_id");
  if (!app_id.ok()) {
    if (app_id.status().code() == absl::StatusCode::kDataLoss) {
      return absl::FailedPreconditionError(
          StrCat(db.path(), ": not a Carteira store (not an SQLite database); nothing written"));
    }
    return app_id.status();
  }
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  auto tables = db.QueryInt("SELECT count(*) FROM sqlite_schema");
  if (!tables.ok()) return tables.status();
  const bool fresh = *app_id == 0 && *version == 0 && *tables == 0;
  if (!fresh && *app_id != kStoreApplicationId) {
    return absl::FailedPreconditionError(StrCat(
        db.path(), ": not a Carteira store (an SQLite database with application_id ", *app_id,
        "); nothing written"));
  }
  if (*version > kStoreSchemaVersion) {
    return absl::FailedPreconditionError(
        StrCat(db.path(), ": schema version ", *version, " is newer than this Carteira's (",
               kStoreSchemaVersion, "); upgrade Carteira; nothing written"));
  }
  if (*version == kStoreSchemaVersion) return absl::OkStatus();
  if (read_only) {
    return absl::FailedPreconditionError(
        StrCat(db.path(), fresh ? ": empty file, not a Carteira store"
                                : StrCat(": schema version ", *version,
                                         " needs a migration; open it for writing once")));
  }
  // WAL is a property of the file: set once, outside any transaction.
  if (auto s = db.Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
  for (std::int64_t v = *version; v < kStoreSchemaVersion; ++v) {
    auto tx = sql::Transaction::Begin(db);
    if (!tx.ok()) return tx.status();
    // Someone else may have migrated while we waited for the lock.
    auto now = db.QueryInt("PRAGMA user_version");
    if (!now.ok()) return now.status();
    if (*now != v) return OpenSchema(db, read_only);
    if (auto s = db.Exec(kMigrations[v]); !s.ok()) return s;
    if (auto s = db.Exec(StrCat("PRAGMA application_id=", kStoreApplicationId)); !s.ok()) return s;
    if (auto s = db.Exec(StrCat("PRAGMA user_version=", v + 1)); !s.ok()) return s;
    if (auto s = tx->Commit(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace carteira::store_internal
