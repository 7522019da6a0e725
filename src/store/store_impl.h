// What store.cpp and status_refresh.cpp share: the connection and the
// helpers that read and write customer records.
#ifndef CARTEIRA_SRC_STORE_STORE_IMPL_H_
#define CARTEIRA_SRC_STORE_STORE_IMPL_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "carteira/portfolio/portfolio.h"
#include "carteira/store/store.h"
#include "src/store/checkpointer.h"
#include "src/store/sqlite.h"

namespace carteira {

struct Store::Impl {
  sql::Db db;
  bool read_only = false;
  // A second, read-only connection on the same file, for reads on another
  // thread while this one holds its write transaction and has written
  // nothing yet (it then sees what this one sees). Opened with the store
  // (writable file stores only); null when it could not be opened.
  sql::Db reader;
  sql::Db* Reader();
  // The transactions the last Append on this handle wrote (seq first_seq
  // on: customer keys, dates, amounts), kept for the refresh that follows,
  // which then need not read them back. Valid while nothing else changed
  // the transactions: Save and MergeCustomers drop them, the refresh
  // consumes them, and another connection's commit changes PRAGMA
  // data_version (kept here as of the append's commit).
  struct AppendedRows {
    std::int64_t first_seq = -1;  // -1: none
    std::int64_t data_version = 0;
    std::vector<std::int64_t> customer;
    std::vector<DayNumber> date;
    std::vector<MinorUnits> amount;
  } appended;
  // A writer's WAL checkpoints (src/store/checkpointer.h); declared after
  // db, so destroyed before it.
  std::unique_ptr<store_internal::Checkpointer> checkpointer;
};

namespace store_internal {

// Binds name .. delinquent (11 values) from `first` on.
void BindCustomerFields(sql::Statement& st, int first, const Customer& c);
// Reads name .. delinquent (11 columns) from `first` on; id is left empty.
Customer ReadCustomerFields(const sql::Statement& st, int first);
// Only the id: what an import creates for a reference to an unknown customer.
bool IsBare(const CustomerTable& t, size_t i);
// Reads the whole store into an empty portfolio, inside the caller's
// transaction; on error the portfolio is left empty.
absl::Status LoadAll(sql::Db& db, Portfolio& p);
absl::StatusOr<std::int64_t> MetaInt(sql::Db& db, std::string_view key, std::int64_t fallback);
absl::Status SetMetaInt(sql::Db& db, std::string_view key, std::int64_t value);

// Which optional columns of a table may hold a value (meta
// "columns:TABLE"), so that a load selects only those: every column read
// costs SQLite work on each of millions of rows, even when it is NULL.
// Writes through the store OR in the bits of what they write; a missing
// key (unknown) means every column.
inline constexpr std::int64_t kAllColumns = -1;
// transactions
inline constexpr std::int64_t kOrderIdColumn = 1, kRepColumn = 2, kCategoryColumn = 4;
// customers: bit i is the i-th of kCustomerFieldNames.
inline constexpr const char* kCustomerFieldNames[] = {
    "name", "document", "email", "phone", "city", "state", "region", "segment",
    "created_at", "key_account", "delinquent"};
std::int64_t CustomerColumnBits(const CustomerTable& t);
std::int64_t TransactionColumnBits(const TransactionTable& t);
absl::StatusOr<std::int64_t> UsedColumns(sql::Db& db, std::string_view table);
// Adds bits to a known set (an unknown one stays unknown).
absl::Status AddUsedColumns(sql::Db& db, std::string_view table, std::int64_t bits);

// Store::MergeCustomers' part of the loyalty ledger (loyalty_store.cpp):
// moves the entries of `merged` (store keys and ids) to `into`, inside the
// caller's transaction, or refuses the merge when the customers' entries,
// replayed as one customer's, would give other lots than they did apart.
absl::Status MergeLoyalty(sql::Db& db, std::int64_t into, std::string_view into_id,
                          std::span<const std::pair<std::int64_t, std::string>> merged);

}  // namespace store_internal
}  // namespace carteira

#endif  // CARTEIRA_SRC_STORE_STORE_IMPL_H_
