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
#include "src/store/customer_state.h"

namespace carteira::store_internal {
namespace {

// Version 1. Transactions were clustered by customer (WITHOUT ROWID, key
// customer + seq), for a refresh that read each customer's history; version
// 2 replaced that.
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

// Version 2.
// - Transactions in recording order (rowid = seq): an append writes at the
//   end of the table instead of into every customer's stretch of it (a
//   day's purchases touch customers all over the key range, which rewrote
//   most of the table's pages). Nothing reads one customer's transactions
//   any more: the status refresh keeps a digest per customer.
// - customer_state: each customer's purchase digest, record fields and
//   status, in blocks of 256 customers (src/store/customer_state.h), with
//   the blocks' earliest next_check indexed.
// - pending_transactions: transactions dated after the refresh that read
//   them, folded into the digests by the first refresh that reaches their
//   date. meta folded_seq: the transactions from that seq on are unread.
// - status_runs.policy: the policy of each refresh (JSON).
// - meta columns:transactions, columns:customers: which optional columns
//   may hold a value (bits in the order of kTransactionColumnBits and
//   kCustomerColumnBits); a load reads only those.
// The old statuses are converted by ConvertCustomerStateToBlocks below,
// with empty digests and folded_seq 0: the next refresh reads every
// transaction once and compares with the statuses stored.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE transactions_v2(
  seq INTEGER PRIMARY KEY,  -- the order rows were recorded in
  customer INTEGER NOT NULL REFERENCES customers(pk),
  date INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  order_id TEXT,
  rep INTEGER REFERENCES reps(pk),
  category INTEGER REFERENCES categories(code));
INSERT INTO transactions_v2(seq, customer, date, amount, order_id, rep, category)
  SELECT seq, customer, date, amount, order_id, rep, category FROM transactions ORDER BY seq;
DROP TABLE transactions;
ALTER TABLE transactions_v2 RENAME TO transactions;
CREATE UNIQUE INDEX transactions_by_order ON transactions(order_id) WHERE order_id IS NOT NULL;
DROP INDEX customer_state_by_next_check;
ALTER TABLE customer_state RENAME TO customer_state_v1;
CREATE TABLE customer_state(
  block INTEGER PRIMARY KEY,    -- customers with pk / 256 = block
  next_check INTEGER NOT NULL,  -- the earliest of its customers'
  data BLOB NOT NULL);
CREATE INDEX customer_state_by_next_check ON customer_state(next_check);
CREATE TABLE pending_transactions(seq INTEGER PRIMARY KEY);
ALTER TABLE status_runs ADD COLUMN policy TEXT;
INSERT OR REPLACE INTO meta(key, value) VALUES('folded_seq', 0);
INSERT OR REPLACE INTO meta(key, value) SELECT 'columns:transactions',
  EXISTS(SELECT 1 FROM transactions WHERE order_id IS NOT NULL) |
  (EXISTS(SELECT 1 FROM transactions WHERE rep IS NOT NULL) << 1) |
  (EXISTS(SELECT 1 FROM transactions WHERE category IS NOT NULL) << 2);
INSERT OR REPLACE INTO meta(key, value) SELECT 'columns:customers',
  (count(name) > 0) | ((count(document) > 0) << 1) | ((count(email) > 0) << 2) |
  ((count(phone) > 0) << 3) | ((count(city) > 0) << 4) | ((count(state) > 0) << 5) |
  ((count(region) > 0) << 6) | ((count(segment) > 0) << 7) | ((count(created_at) > 0) << 8) |
  ((max(key_account) > 0) << 9) | ((max(delinquent) > 0) << 10)
  FROM customers;
)sql";

// The version 1 statuses as version 2 blocks (digests empty).
absl::Status ConvertCustomerStateToBlocks(sql::Db& db) {
  auto st = sql::Statement::Prepare(
      db, "SELECT s.customer, s.status, s.flags, s.rule, s.next_check, c.segment, c.key_account, c.delinquent "
          "FROM customer_state_v1 s JOIN customers c ON c.pk = s.customer ORDER BY s.customer");
  if (!st.ok()) return st.status();
  auto write = sql::Statement::Prepare(db, "INSERT INTO customer_state(block, next_check, data) VALUES(?1, ?2, ?3)");
  if (!write.ok()) return write.status();
  StateBlock block;
  block.block = -1;
  std::string data;
  auto flush = [&]() -> absl::Status {
    if (block.entries.empty()) return absl::OkStatus();
    EncodeStateBlock(block, &data);
    write->BindInt(1, block.block);
    write->BindInt(2, block.NextCheck());
    write->BindBlob(3, data.data(), data.size());
    return write->Run();
  };
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::int64_t pk = st->Int(0);
    const std::int64_t status = st->Int(1);
    if (pk < 0 || status < 0 || status >= kStatusCount) {
      return absl::DataLossError(StrCat(db.path(), ": table customer_state: bad row for customer ", pk));
    }
    if (StateBlockOf(pk) != block.block) {
      if (auto s = flush(); !s.ok()) return s;
      block = StateBlock();
      block.block = StateBlockOf(pk);
    }
    StateEntry e;
    e.pk = pk;
    e.has_status = true;
    e.status = static_cast<Status>(status);
    e.flags = static_cast<std::uint8_t>(st->Int(2));
    e.rule = static_cast<std::uint16_t>(st->Int(3));
    // Due at once when unknown: the next refresh recomputes it.
    e.next_check = st->IsNull(4) ? DaysFromCivil(kMinYear, 1, 1) : static_cast<DayNumber>(st->Int(4));
    e.segment = block.InternSegment(st->Text(5));
    e.key_account = st->Int(6) != 0;
    e.delinquent = st->Int(7) != 0;
    block.entries.push_back(e);
  }
  if (auto s = flush(); !s.ok()) return s;
  return db.Exec("DROP TABLE customer_state_v1");
}

// Version 3: the loyalty ledger is written (Store::SaveLoyalty): a row per
// entry, pk = the entry's id; `reverses` names the entry a reverse cancels
// or the lot an expire closes; meta loyalty:earned_until is the last day
// purchases were earned up to.
constexpr const char* kVersion3 = R"sql(
ALTER TABLE loyalty_ledger ADD COLUMN reverses INTEGER;
ALTER TABLE loyalty_ledger ADD COLUMN note TEXT;
)sql";

// Version 4: customer_state_log, the log of the state entries each refresh
// judged, laid over their blocks until the blocks are rewritten whole
// (src/store/customer_state.h): a refresh writes about a tenth of the
// bytes it wrote. id = run << 24 | block (a run's rows in block order, at
// the end of the table); the blocks' format 2 carries the run up to which
// their log is merged in (format 1, which version 3 wrote, reads as 0:
// nothing merged, and there is no log yet).
constexpr const char* kVersion4 = R"sql(
CREATE TABLE customer_state_log(
  id INTEGER PRIMARY KEY,       -- run << 24 | block
  block INTEGER NOT NULL,
  next_check INTEGER NOT NULL,  -- the earliest of its entries'
  data BLOB NOT NULL);          -- the block format, only the entries judged
CREATE INDEX customer_state_log_by_block ON customer_state_log(block);
CREATE INDEX customer_state_log_by_next_check ON customer_state_log(next_check);
)sql";

// Version 5: state blocks in format 3 (src/store/customer_state.cpp):
// fixed-size records first, so that a refresh reads the key and next_check
// of each entry without parsing the rest. No data changes: formats 1 and 2
// are still read, and a block is converted when it is next rewritten
// (every kStateLogRuns refresh runs at the latest). The version number
// changes so that an older Carteira, which cannot read format 3, refuses
// the store as newer instead of failing on its first block.
// The log's next_check index also holds the block: a refresh's query for
// the blocks due then reads the index alone, not a table row (~1 KB of
// data each) per log row due.
constexpr const char* kVersion5 = R"sql(
DROP INDEX customer_state_log_by_next_check;
CREATE INDEX customer_state_log_by_next_check ON customer_state_log(next_check, block);
)sql";

struct Migration {
  const char* sql;
  absl::Status (*then)(sql::Db&);  // data conversion after the SQL, or null
};

// migrations[i] takes a store from version i to i + 1.
constexpr std::array<Migration, kStoreSchemaVersion> kMigrations = {
    Migration{kVersion1, nullptr}, Migration{kVersion2, &ConvertCustomerStateToBlocks},
    Migration{kVersion3, nullptr}, Migration{kVersion4, nullptr}, Migration{kVersion5, nullptr}};

}  // namespace

absl::Status OpenSchema(sql::Db& db, bool read_only, int target) {
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
  if (*version >= target) return absl::OkStatus();
  if (read_only) {
    return absl::FailedPreconditionError(
        StrCat(db.path(), fresh ? ": empty file, not a Carteira store"
                                : StrCat(": schema version ", *version,
                                         " needs a migration; open it for writing once")));
  }
  // WAL is a property of the file: set once, outside any transaction.
  if (auto s = db.Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
  for (std::int64_t v = *version; v < target; ++v) {
    auto tx = sql::Transaction::Begin(db);
    if (!tx.ok()) return tx.status();
    // Someone else may have migrated while we waited for the lock.
    auto now = db.QueryInt("PRAGMA user_version");
    if (!now.ok()) return now.status();
    if (*now != v) return OpenSchema(db, read_only, target);
    if (auto s = db.Exec(kMigrations[v].sql); !s.ok()) return s;
    if (kMigrations[v].then != nullptr) {
      if (auto s = kMigrations[v].then(db); !s.ok()) return s;
    }
    if (auto s = db.Exec(StrCat("PRAGMA application_id=", kStoreApplicationId)); !s.ok()) return s;
    if (auto s = db.Exec(StrCat("PRAGMA user_version=", v + 1)); !s.ok()) return s;
    if (auto s = tx->Commit(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace carteira::store_internal
