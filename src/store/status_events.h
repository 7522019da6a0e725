// A refresh's status changes: the rows of table status_events, written
// many to a statement (src/store/batch_insert.h), and the customers' ids
// the report names them by. A day's ~10,000 changes cost ~20 ms of id
// lookups (a customers row each) and ~20 ms of inserts one at a time: the
// refresh looks the ids up through its reader connection on another
// thread while it writes (status_refresh.cpp).
#ifndef CARTEIRA_SRC_STORE_STATUS_EVENTS_H_
#define CARTEIRA_SRC_STORE_STATUS_EVENTS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "carteira/status/status.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

struct EventRow {
  std::int64_t run = 0;
  std::int64_t customer = 0;  // key
  bool had = false;           // a stored status before (else from is NULL)
  Status from = Status::kProspect, to = Status::kProspect;
  std::uint8_t from_flags = 0, to_flags = 0;
};

absl::Status WriteStatusEvents(sql::Db& db, std::span<const EventRow> rows);

// ids[i] = the id of rows[i].customer (empty when no such customer).
absl::Status EventCustomerIds(sql::Db& db, std::span<const EventRow> rows, std::vector<std::string>* ids);

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_STATUS_EVENTS_H_
