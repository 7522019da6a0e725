#include "src/store/transaction_rows.h"

#include <string>

#include "carteira/core/strings.h"

namespace carteira::store_internal {
namespace {

constexpr size_t kBatchRows = 64;  // 448 parameters, under every SQLite's limit (999)
constexpr int kColumns = 7;

std::string InsertSql(size_t rows) {
  std::string sql = "INSERT INTO transactions(seq, customer, date, amount, order_id, rep, category) VALUES";
  for (size_t r = 0; r < rows; ++r) StrAppend(&sql, r == 0 ? "" : ",", "(?,?,?,?,?,?,?)");
  return sql;
}

void Bind(sql::Statement& st, int first, const TransactionRow& row) {
  st.BindInt(first, row.seq);
  st.BindInt(first + 1, row.customer);
  st.BindInt(first + 2, row.date);
  st.BindInt(first + 3, row.amount);
  st.BindTextOrNull(first + 4, row.order_id);
  if (row.rep < 0) {
    st.BindNull(first + 5);
  } else {
    st.BindInt(first + 5, row.rep);
  }
  if (row.category < 0) {
    st.BindNull(first + 6);
  } else {
    st.BindInt(first + 6, row.category);
  }
}

}  // namespace

absl::StatusOr<TransactionRows> TransactionRows::Prepare(sql::Db& db) {
  TransactionRows t;
  t.db_ = db.get();
  auto batch = sql::Statement::Prepare(db, InsertSql(kBatchRows));
  if (!batch.ok()) return batch.status();
  auto one = sql::Statement::Prepare(db, InsertSql(1));
  if (!one.ok()) return one.status();
  t.batch_ = std::move(*batch);
  t.one_ = std::move(*one);
  t.queued_.reserve(kBatchRows);
  return t;
}

absl::Status TransactionRows::Add(const TransactionRow& row) {
  queued_.push_back(row);
  if (queued_.size() < kBatchRows) return absl::OkStatus();
  for (size_t r = 0; r < kBatchRows; ++r) Bind(batch_, static_cast<int>(r) * kColumns + 1, queued_[r]);
  absl::Status s = batch_.Run();
  if (s.ok()) {
    queued_.clear();
    return s;
  }
  // A constraint (a duplicate order id, say) refused the batch, whose rows
  // SQLite took back: row by row then, to name the one refused. Any other
  // error may have ended the transaction (a full disk): nothing is tried
  // again, which could write rows outside it.
  if (s.code() == absl::StatusCode::kInvalidArgument && sqlite3_get_autocommit(db_) == 0) return WriteOneByOne();
  failed_ = queued_.front();
  queued_.clear();
  return s;
}

absl::Status TransactionRows::Flush() { return WriteOneByOne(); }

absl::Status TransactionRows::WriteOneByOne() {
  for (const TransactionRow& row : queued_) {
    Bind(one_, 1, row);
    if (absl::Status s = one_.Run(); !s.ok()) {
      failed_ = row;
      queued_.clear();
      return s;
    }
  }
  queued_.clear();
  return absl::OkStatus();
}

}  // namespace carteira::store_internal
