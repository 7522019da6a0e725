#include "src/store/transaction_rows.h"

namespace carteira::store_internal {
namespace {

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

// Rows without order id, rep or category (most ERPs' daily purchases):
// three parameters fewer to bind and columns fewer to build per row.
void BindBare(sql::Statement& st, int first, const TransactionRow& row) {
  st.BindInt(first, row.seq);
  st.BindInt(first + 1, row.customer);
  st.BindInt(first + 2, row.date);
  st.BindInt(first + 3, row.amount);
}

}  // namespace

absl::StatusOr<TransactionRows> PrepareTransactionRows(sql::Db& db, bool bare) {
  if (bare) return TransactionRows::Prepare(db, "INSERT INTO transactions(seq, customer, date, amount) VALUES", 4, &BindBare);
  return TransactionRows::Prepare(
      db, "INSERT INTO transactions(seq, customer, date, amount, order_id, rep, category) VALUES", 7, &Bind);
}

}  // namespace carteira::store_internal
