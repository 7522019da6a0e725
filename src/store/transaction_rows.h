// Rows of table transactions, written many to a statement
// (src/store/batch_insert.h) by a full save and by an append.
#ifndef CARTEIRA_SRC_STORE_TRANSACTION_ROWS_H_
#define CARTEIRA_SRC_STORE_TRANSACTION_ROWS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "src/store/batch_insert.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

struct TransactionRow {
  std::int64_t seq = 0;
  std::int64_t customer = 0;  // key
  std::int64_t date = 0;
  std::int64_t amount = 0;
  std::string_view order_id;   // empty: NULL; must outlive the writes
  std::int64_t rep = -1;       // key; < 0: NULL
  std::int64_t category = -1;  // code; < 0: NULL
  size_t tag = 0;              // the caller's row number, for errors
};

using TransactionRows = BatchInsert<TransactionRow>;

// bare: every row's order id is empty and its rep and category < 0 (the
// columns are then left out of the statement: NULL).
absl::StatusOr<TransactionRows> PrepareTransactionRows(sql::Db& db, bool bare);

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_TRANSACTION_ROWS_H_
