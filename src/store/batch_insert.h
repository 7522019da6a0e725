// Rows inserted many to a statement. A one-row INSERT's fixed cost
// (binding, stepping, resetting, setting up the VDBE program) is about half
// of it: a day's 100,000 transactions took ~93 ms one to a statement and
// ~50 ms 64 to one. For the tables a day writes by the thousand
// (transactions, status events); the rest stay one row at a time.
#ifndef CARTEIRA_SRC_STORE_BATCH_INSERT_H_
#define CARTEIRA_SRC_STORE_BATCH_INSERT_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carteira/core/strings.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

template <typename Row>
class BatchInsert {
 public:
  // Binds a row's `columns` values from parameter `first` on.
  using BindFn = void (*)(sql::Statement& st, int first, const Row& row);

  // `insert`: "INSERT INTO table(a, b, ...) VALUES", to which the rows'
  // "(?,?,...)" groups are added.
  static absl::StatusOr<BatchInsert> Prepare(sql::Db& db, std::string_view insert, int columns, BindFn bind) {
    BatchInsert b;
    b.db_ = db.get();
    b.columns_ = columns;
    b.bind_ = bind;
    // At most 999 parameters, every SQLite's limit.
    b.rows_ = std::clamp<size_t>(999 / static_cast<size_t>(columns), 1, 64);
    auto batch = sql::Statement::Prepare(db, Sql(insert, columns, b.rows_));
    if (!batch.ok()) return batch.status();
    auto one = sql::Statement::Prepare(db, Sql(insert, columns, 1));
    if (!one.ok()) return one.status();
    b.batch_ = std::move(*batch);
    b.one_ = std::move(*one);
    b.queued_.reserve(b.rows_);
    return b;
  }

  // Queues a row, writing a full batch. On an error nothing of the failing
  // batch is written (SQLite undoes the statement), and failed() names the
  // row: the one a constraint refused, else the batch's first.
  absl::Status Add(const Row& row) {
    queued_.push_back(row);
    if (queued_.size() < rows_) return absl::OkStatus();
    for (size_t r = 0; r < rows_; ++r) bind_(batch_, static_cast<int>(r) * columns_ + 1, queued_[r]);
    absl::Status s = batch_.Run();
    if (s.ok()) {
      queued_.clear();
      return s;
    }
    // A constraint (a duplicate order id, say) refused the batch, whose
    // rows SQLite took back: row by row then, to name the one refused. Any
    // other error may have ended the transaction (a full disk): nothing is
    // tried again, which could write rows outside it.
    if (s.code() == absl::StatusCode::kInvalidArgument && sqlite3_get_autocommit(db_) == 0) return OneByOne();
    failed_ = queued_.front();
    queued_.clear();
    return s;
  }
  // Writes what is queued.
  absl::Status Flush() { return OneByOne(); }
  const Row& failed() const { return failed_; }

 private:
  static std::string Sql(std::string_view insert, int columns, size_t rows) {
    std::string group = "(?";
    for (int c = 1; c < columns; ++c) group += ",?";
    group += ")";
    std::string sql(insert);
    for (size_t r = 0; r < rows; ++r) StrAppend(&sql, r == 0 ? "" : ",", group);
    return sql;
  }
  absl::Status OneByOne() {
    for (const Row& row : queued_) {
      bind_(one_, 1, row);
      if (absl::Status s = one_.Run(); !s.ok()) {
        failed_ = row;
        queued_.clear();
        return s;
      }
    }
    queued_.clear();
    return absl::OkStatus();
  }

  sqlite3* db_ = nullptr;
  int columns_ = 1;
  size_t rows_ = 1;
  BindFn bind_ = nullptr;
  sql::Statement batch_, one_;
  std::vector<Row> queued_;
  Row failed_{};
};

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_BATCH_INSERT_H_
