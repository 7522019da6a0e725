// The store keys of a day's customer ids: an append's first step. Each id
// is one lookup in the customers' id index (~0.8 us, nearly all of it
// SQLite's b-tree search: several ids to a statement did not help), so a
// large batch is split in two, the second half looked up on another thread
// through a second, read-only connection. That one sees what the writer
// sees only while the writer has written nothing in its transaction: the
// caller says so (`reader` null otherwise).
#ifndef CARTEIRA_SRC_STORE_CUSTOMER_KEYS_H_
#define CARTEIRA_SRC_STORE_CUSTOMER_KEYS_H_

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "carteira/portfolio/string_column.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

inline constexpr std::int64_t kUnknownCustomer = std::numeric_limits<std::int64_t>::min();
// Below this many ids per thread a second thread costs more than it saves
// (a caller need not open a reader for fewer than twice as many).
inline constexpr size_t kIdsPerThread = 20'000;

// keys[i] = the key of ids[i], the survivor's for a merged customer's id,
// or kUnknownCustomer. `order`: the rows of `ids` in id order (consecutive
// lookups then walk the index forwards, over pages already read).
absl::Status FindCustomerKeys(sql::Db& db, sql::Db* reader, const StringColumn& ids,
                              std::span<const std::uint32_t> order, std::vector<std::int64_t>* keys);

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_CUSTOMER_KEYS_H_
