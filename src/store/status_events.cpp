#include "src/store/status_events.h"

#include "src/store/batch_insert.h"

namespace carteira::store_internal {
namespace {

void Bind(sql::Statement& st, int first, const EventRow& row) {
  st.BindInt(first, row.run);
  st.BindInt(first + 1, row.customer);
  if (row.had) {
    st.BindInt(first + 2, static_cast<int>(row.from));
    st.BindInt(first + 4, row.from_flags);
  } else {
    st.BindNull(first + 2);
    st.BindNull(first + 4);
  }
  st.BindInt(first + 3, static_cast<int>(row.to));
  st.BindInt(first + 5, row.to_flags);
}

}  // namespace

absl::Status WriteStatusEvents(sql::Db& db, std::span<const EventRow> rows) {
  auto insert = BatchInsert<EventRow>::Prepare(
      db, "INSERT INTO status_events(run, customer, from_status, to_status, from_flags, to_flags) VALUES", 6, &Bind);
  if (!insert.ok()) return insert.status();
  for (const EventRow& row : rows) {
    if (auto s = insert->Add(row); !s.ok()) return s;
  }
  return insert->Flush();
}

absl::Status EventCustomerIds(sql::Db& db, std::span<const EventRow> rows, std::vector<std::string>* ids) {
  ids->assign(rows.size(), std::string());
  auto id_of = sql::Statement::Prepare(db, "SELECT id FROM customers WHERE pk = ?1");
  if (!id_of.ok()) return id_of.status();
  for (size_t i = 0; i < rows.size(); ++i) {
    id_of->BindInt(1, rows[i].customer);
    auto row = id_of->Step();
    if (!row.ok()) return row.status();
    if (*row) (*ids)[i] = std::string(id_of->Text(0));
    id_of->Reset();
  }
  return absl::OkStatus();
}

}  // namespace carteira::store_internal
