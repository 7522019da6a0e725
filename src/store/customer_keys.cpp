#include "src/store/customer_keys.h"

#include <optional>

#include "src/core/parallel.h"

namespace carteira::store_internal {
namespace {

absl::Status Lookup(sql::Db& db, const StringColumn& ids, std::span<const std::uint32_t> rows,
                    std::vector<std::int64_t>& keys) {
  auto find = sql::Statement::Prepare(db, "SELECT pk FROM customers WHERE id = ?1");
  if (!find.ok()) return find.status();
  for (const std::uint32_t i : rows) {
    find->BindText(1, ids[i]);
    auto row = find->Step();
    if (!row.ok()) return row.status();
    keys[i] = *row ? find->Int(0) : kUnknownCustomer;
    find->Reset();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FindCustomerKeys(sql::Db& db, sql::Db* reader, const StringColumn& ids,
                              std::span<const std::uint32_t> order, std::vector<std::int64_t>* keys) {
  keys->assign(ids.size(), kUnknownCustomer);
  const size_t parts = reader == nullptr ? 1 : internal::PartsFor(order.size(), kIdsPerThread) > 1 ? 2 : 1;
  if (parts == 1) {
    if (auto s = Lookup(db, ids, order, *keys); !s.ok()) return s;
  } else {
    // The reader's snapshot for the whole lookup.
    auto snapshot = sql::ReadTransaction::Begin(*reader);
    if (!snapshot.ok()) return snapshot.status();
    absl::Status status[2];
    internal::ParallelRanges(order.size(), 2, [&](size_t part, size_t begin, size_t end) {
      status[part] = Lookup(part == 0 ? db : *reader, ids, order.subspan(begin, end - begin), *keys);
    });
    for (const absl::Status& s : status) {
      if (!s.ok()) return s;
    }
  }
  // Ids no longer in the table: merged customers', whose alias names the
  // survivor.
  auto alias = sql::Statement::Prepare(db, "SELECT customer FROM customer_aliases WHERE alias = ?1");
  if (!alias.ok()) return alias.status();
  for (const std::uint32_t i : order) {
    if ((*keys)[i] != kUnknownCustomer) continue;
    alias->BindText(1, ids[i]);
    auto row = alias->Step();
    if (!row.ok()) return row.status();
    if (*row) (*keys)[i] = alias->Int(0);
    alias->Reset();
  }
  return absl::OkStatus();
}

}  // namespace carteira::store_internal
