#include "src/store/customer_keys.h"

#include <algorithm>
#include <atomic>

#include "src/core/parallel.h"

namespace carteira::store_internal {
namespace {

constexpr const char* kFind = "SELECT pk FROM customers WHERE id = ?1";

absl::Status Lookup(sql::Statement* find, const StringColumn& ids, std::span<const std::uint32_t> rows,
                    std::vector<std::int64_t>& keys) {
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
    auto find = sql::Statement::Prepare(db, kFind);
    if (!find.ok()) return find.status();
    if (auto s = Lookup(&*find, ids, order, *keys); !s.ok()) return s;
  } else {
    // The reader's snapshot for the whole lookup.
    auto snapshot = sql::ReadTransaction::Begin(*reader);
    if (!snapshot.ok()) return snapshot.status();
    // Ranges of ids taken in turn by whichever thread is free: the
    // reader's cache starts cold (SQLite empties a connection's cache when
    // another one has written), so it looks up more slowly than this one.
    constexpr size_t kIdsPerRange = 2048;
    const size_t ranges = (order.size() + kIdsPerRange - 1) / kIdsPerRange;
    std::atomic<size_t> next{0};
    absl::Status status[2];
    auto work = [&](size_t part, sql::Db& connection) {
      auto find = sql::Statement::Prepare(connection, kFind);
      status[part] = find.status();
      while (status[part].ok()) {
        const size_t range = next.fetch_add(1);
        if (range >= ranges) break;
        const size_t begin = range * kIdsPerRange;
        status[part] = Lookup(&*find, ids, order.subspan(begin, std::min(kIdsPerRange, order.size() - begin)), *keys);
      }
    };
    internal::RunBoth([&] { work(1, *reader); }, [&] { work(0, db); });
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
