// The embedded store: one SQLite file (WAL mode) that keeps a portfolio
// across runs: customers, reps, transactions, contracts, interactions,
// survey answers, assignments with their history and the plans that made
// them, customer merges (aliases and the merged records), and the status
// of every customer as of the last run with the history of its changes.
// The schema is versioned (schema.h) and migrated forward on open.
//
// Every write (import, append, plan application, merge, status refresh) is
// one SQLite transaction: a process killed at any moment leaves the file
// before or after it. One writer and many readers (threads with their own
// Store, or processes) work at once; readers see the last committed state,
// and a second writer waits `busy_timeout` and then gets UNAVAILABLE
// ("busy"), never a corrupt file. Errors name the file (and the table or
// row where there is one); a failed write leaves nothing behind.
//
// A Store is one connection: use it from one thread at a time.
#ifndef CARTEIRA_STORE_STORE_H_
#define CARTEIRA_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carteira/actions/loyalty.h"
#include "carteira/core/date.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_policy.h"
#include "carteira/status/status_table.h"
#include "carteira/store/schema.h"

namespace carteira {

struct StoreOptions {
  // Create the file (and the schema) when it does not exist.
  bool create = true;
  // Open for reading only: every write fails with PERMISSION_DENIED.
  bool read_only = false;
  // How long a writer waits for another writer before UNAVAILABLE.
  std::chrono::milliseconds busy_timeout{2000};
  // true: fsync on every commit (synchronous=FULL), durable across power
  // loss; false: synchronous=NORMAL, which in WAL mode is still safe against
  // a killed process and only loses the last commits on power loss.
  bool durable = true;
  // Above 0: the most bytes the database file may grow to (SQLite's
  // max_page_count, rounded down to whole pages, and never below the
  // file's size when opened). A write that needs more fails whole with
  // RESOURCE_EXHAUSTED, as on a full disk.
  std::int64_t max_bytes = 0;
  // true: a writer's WAL checkpoints (copying committed pages back into the
  // database, and their fsync) run on a thread of the store's own, so that
  // a commit returns without them; false: SQLite's default, inside the
  // commit that takes the WAL past 1,000 pages. Either is as safe: a
  // commit is durable (or not) by `durable` alone (docs/store.md).
  bool checkpoint_thread = true;
};

// Rows per table, by table name ("customers", "transactions", ...).
using StoreCounts = std::map<std::string, std::int64_t>;

// What an append did.
struct AppendReport {
  std::int64_t customers_added = 0, customers_updated = 0;
  std::int64_t reps_added = 0, reps_updated = 0;
  std::int64_t transactions = 0, contracts = 0, interactions = 0, surveys = 0, assignments = 0;
  // Customers with new data: their summary and status are refreshed next.
  std::int64_t affected_customers = 0;
};

// A change of status since the previous refresh.
struct StatusEvent {
  std::string customer_id;
  Status from = Status::kProspect;  // as of the previous refresh (prospect if none)
  Status to = Status::kProspect;
  std::uint8_t from_flags = 0, to_flags = 0;
  bool first = false;  // the customer had no stored status before
};

struct RefreshReport {
  DayNumber as_of = kNoDay;
  DayNumber previous_as_of = kNoDay;  // of the last refresh; kNoDay if none
  std::int64_t customers_checked = 0;  // recomputed (new data or a threshold due)
  // The policy differs from the previous refresh's: every customer was
  // judged again, and the events include the changes the new policy made.
  bool policy_changed = false;
  std::vector<StatusEvent> events;  // by customer id
};

// One applied redistribution plan (or any batch of assignments).
struct PlanRecord {
  std::string name;
  Date applied_at;
  std::string applied_by;
  std::string note;
};

// A customer's status as of the last refresh (Store::Statuses).
struct StoredStatus {
  std::string customer_id;
  Status status = Status::kProspect;
  std::uint8_t flags = 0;
  DayNumber as_of = kNoDay;
};

// A stored status change (Store::History): the refresh it was found by.
struct StatusHistoryEvent {
  DayNumber as_of = kNoDay;  // of the refresh
  StatusEvent event;
};

struct CheckReport {
  std::vector<std::string> problems;  // empty: consistent
  bool ok() const { return problems.empty(); }
};

class Store {
 public:
  // Opens (or creates) the store at `path`. FAILED_PRECONDITION for a file
  // that is not a Carteira store (an SQLite file of another application, or
  // not SQLite at all) or has a newer schema; nothing is written then.
  // The first open in a process asks SQLite, if it is not initialized yet,
  // to keep no memory statistics (docs/store.md, "Identity, versions,
  // migrations"): a host that needs them calls sqlite3_initialize() first.
  static absl::StatusOr<Store> Open(const std::string& path, const StoreOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::string& path() const;
  int schema_version() const;

  // True when the store holds no customer, rep or transaction.
  absl::StatusOr<bool> Empty();

  // Writes a whole portfolio into an empty store (replace = false) or in
  // place of everything it holds (replace = true), as one transaction.
  absl::Status Save(const Portfolio& portfolio, bool replace = false);

  // Reads everything into `portfolio`, which must be empty, from one
  // consistent snapshot.
  absl::Status LoadInto(Portfolio& portfolio);
  absl::StatusOr<Portfolio> Load();

  // Appends the day's data, as one transaction. `delta` is a portfolio of
  // the new rows, typically one ImportDirectory of the day's files, keyed
  // by host ids: a customer (rep) the store does not have is added; one it
  // has takes the delta's non-empty fields (a bare id, as created for a
  // transaction's reference, changes nothing). Transactions, contracts,
  // interactions, survey answers and assignments are appended; an order id
  // the store already has is an error (ALREADY_EXISTS, naming it). Aliases
  // in `delta` are not taken (merges go through MergeCustomers).
  absl::StatusOr<AppendReport> Append(const Portfolio& delta);

  // Records assignments (a reviewed redistribution plan) with the plan that
  // made them, as one transaction. Unknown customers or reps are errors, and
  // so is a plan name already recorded (ALREADY_EXISTS): a plan applied twice
  // would write its moves into the history twice.
  absl::Status ApplyAssignments(std::span<const Assignment> assignments, const PlanRecord& plan);

  // Portfolio::MergeCustomers on the store, as one transaction: the merged
  // customers' rows move to the survivor, their records become aliases.
  // Their loyalty entries become the survivor's when that changes no
  // balance or lot; otherwise the merge is refused (FAILED_PRECONDITION,
  // naming the day) and nothing is written (docs/store.md).
  absl::Status MergeCustomers(std::span<const CustomerMerge> merges);

  // Brings every customer's stored summary and status up to `as_of`,
  // recomputing only the customers with new data since the last refresh
  // and those whose status is due to change by then (a threshold crossed);
  // returns the changes as events. One transaction. The first refresh
  // computes everyone, and so does a refresh whose policy differs from the
  // previous one's (RefreshReport::policy_changed). `as_of` before the
  // last refresh is an error. Transactions dated after `as_of` wait for a
  // refresh that reaches their date.
  absl::StatusOr<RefreshReport> RefreshStatuses(DayNumber as_of, const StatusPolicy& policy);

  // The policy of the last refresh (StatusPolicy::ToJson), or nullopt when
  // there was none (or it ran before the store kept policies).
  absl::StatusOr<std::optional<std::string>> LastPolicy();

  // Copies every committed change from the write-ahead log into the
  // database file now, after any checkpoint under way on the store's
  // thread (StoreOptions::checkpoint_thread): e.g. before the file alone is
  // copied. UNAVAILABLE when a reader elsewhere still needs the log.
  absl::Status Checkpoint();

  // The date of the latest transaction stored (kNoDay if none), and of
  // the last status refresh (kNoDay if none).
  absl::StatusOr<DayNumber> LastTransactionDate();
  absl::StatusOr<DayNumber> LastRefreshDate();

  // Every customer's stored status as of the last refresh, by customer id
  // (empty before the first refresh), from one snapshot.
  absl::StatusOr<std::vector<StoredStatus>> Statuses();
  // The status changes found by the refreshes dated in (from, to], by date
  // then customer id.
  absl::StatusOr<std::vector<StatusHistoryEvent>> History(DayNumber from, DayNumber to);

  // The loyalty ledger. SaveLoyalty appends the entries of `ledger` (made
  // over `portfolio`, loaded from this store) that the store does not hold
  // yet, and the day purchases were earned up to, as one transaction. The
  // ledger is append-only: the stored entries must be its first ones
  // (FAILED_PRECONDITION, naming the entry, when the last stored one
  // differs). LoadLoyalty reads it back over `portfolio` with `rules` (an
  // empty ledger when none was saved).
  absl::Status SaveLoyalty(const Portfolio& portfolio, const LoyaltyLedger& ledger);
  absl::StatusOr<LoyaltyLedger> LoadLoyalty(const Portfolio& portfolio, LoyaltyRules rules);

  // Runs `body` (calls on this store) as one transaction: the writes made in
  // it (Save, Append, SaveLoyalty, ...) are committed together when it
  // returns OK, and none of them otherwise; its reads see its own writes.
  // Another writer waits until it ends. Not reentrant.
  absl::Status Atomically(const std::function<absl::Status(Store&)>& body);

  // Runs `body` on one snapshot of the store: every read it makes sees the
  // same committed state, whatever other connections commit meanwhile
  // (e.g. a portfolio and its loyalty ledger read by two calls). Works on a
  // read-only store; `body` should not write (a write inside fails with
  // UNAVAILABLE if another connection has committed since the snapshot).
  absl::Status Snapshot(const std::function<absl::Status(Store&)>& body);

  // Rows per table.
  absl::StatusOr<StoreCounts> Counts();
  // Consistency: PRAGMA integrity_check, references between tables,
  // duplicate keys, status rows of unknown customers.
  absl::StatusOr<CheckReport> Check();

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carteira

#endif  // CARTEIRA_STORE_STORE_H_
