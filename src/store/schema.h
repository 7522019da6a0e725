// Opening a store's schema: identity check and forward migrations.
#ifndef CARTEIRA_SRC_STORE_SCHEMA_H_
#define CARTEIRA_SRC_STORE_SCHEMA_H_

#include "absl/status/status.h"
#include "carteira/store/schema.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

// Checks that `db` is a Carteira store (or an empty file, which becomes
// one) of a version this code reads, and migrates it forward (up to
// `target`: tests build stores of older versions with it).
absl::Status OpenSchema(sql::Db& db, bool read_only, int target = kStoreSchemaVersion);

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_SCHEMA_H_
