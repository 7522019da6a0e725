// Each customer's refresh state (schema version 2), kept in blocks of 256
// customers by key: row `block` of table customer_state holds the customers
// whose key is in [block * 256, block * 256 + 256), encoded by this file.
//
// Why blocks and not a row per customer: a day's append touches customers
// spread over the whole key range, so a row per customer would mean one
// b-tree update (a few microseconds) per affected customer, and would
// dirty nearly every page of the table anyway. A block is read, decoded,
// updated in memory and written back whole: the SQLite work per affected
// customer disappears, and the bytes written are the same.
//
// A customer's state is what the incremental refresh needs to judge it
// without re-reading its transactions:
//   - the purchase digest: its purchase-days (ascending, distinct; a
//     purchase has amount >= 0, as the summary defines) and its revenue
//     (the sum of all amounts), over the transactions folded so far (every
//     transaction dated on or before the refresh that folded it);
//   - the record fields the status rules read (segment, key account,
//     delinquent), as of the last time the customer was refreshed;
//   - the status found by the last refresh that recomputed it, its flags
//     and rule, and next_check: the first day its status changes without
//     new data (a threshold crossed). A block's next_check column is the
//     earliest of its customers', so that an index range query finds the
//     blocks with a customer due.
#ifndef CARTEIRA_SRC_STORE_CUSTOMER_STATE_H_
#define CARTEIRA_SRC_STORE_CUSTOMER_STATE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/status/status.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

inline constexpr int kStateBlockShift = 8;
inline constexpr std::int64_t StateBlockOf(std::int64_t pk) { return pk >> kStateBlockShift; }
// A block's next_check when none of its customers has a status yet.
inline constexpr std::int64_t kNoNextCheck = 2147483647;

struct StateEntry {
  std::int64_t pk = 0;
  // Record fields, as last read from the customers table.
  std::uint32_t segment = 0;  // index in StateBlock::segments
  bool key_account = false;
  bool delinquent = false;
  // Purchase digest.
  MinorUnits revenue = 0;
  std::uint32_t days_begin = 0;  // in StateBlock::days
  std::uint32_t days_count = 0;
  // The last status found (has_status false: never refreshed yet, e.g. a
  // merge's survivor made from merged digests).
  bool has_status = false;
  Status status = Status::kProspect;
  std::uint8_t flags = 0;
  std::uint16_t rule = 0;
  DayNumber next_check = kNoDay;
};

struct StateBlock {
  std::int64_t block = 0;
  std::vector<std::string> segments{std::string()};  // [0] is the empty segment
  std::vector<StateEntry> entries;  // ascending pk, all inside the block
  std::vector<DayNumber> days;      // the entries' purchase-days

  std::span<const DayNumber> DaysOf(const StateEntry& e) const {
    return {days.data() + e.days_begin, e.days_count};
  }
  std::string_view SegmentOf(const StateEntry& e) const { return segments[e.segment]; }
  // Points `e` at new purchase-days (appended to the pool; the old ones
  // stay there unused until the block is encoded).
  void SetDays(StateEntry& e, std::span<const DayNumber> new_days);
  // The entry of `pk`, or null.
  StateEntry* Find(std::int64_t pk);
  std::uint32_t InternSegment(std::string_view segment);
  // The earliest next_check of the entries with a status, or kNoNextCheck.
  std::int64_t NextCheck() const;
};

// Decodes a block row; DATA_LOSS (naming the block) when it is malformed.
absl::Status DecodeStateBlock(std::int64_t block, std::span<const std::uint8_t> data, StateBlock* out);
// Number of entries of an encoded block (without decoding them).
absl::StatusOr<std::int64_t> CountStateEntries(std::int64_t block, std::span<const std::uint8_t> data);
void EncodeStateBlock(const StateBlock& block, std::string* out);

// Reading and writing blocks inside the caller's transaction.
class StateTable {
 public:
  static absl::StatusOr<StateTable> Prepare(sql::Db& db);
  // The block's entries (none when the block has no row).
  absl::Status Read(std::int64_t block, StateBlock* out);
  // Writes the block, or deletes its row when it has no entries.
  absl::Status Write(const StateBlock& block);

 private:
  sql::Db* db_ = nullptr;
  sql::Statement read_, write_, erase_;
  std::string buffer_;
};

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_CUSTOMER_STATE_H_
