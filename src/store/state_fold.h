// The fold of a status refresh (Store::RefreshStatuses): for a range of
// state blocks, each customer's stored entry with the day's new
// transactions folded into its purchase digest and its record read again
// when it changed; the customers to judge (new rows, a changed record, a
// next_check come, or no status yet) are marked as candidates. Called by
// two threads at once on disjoint ranges, each through its own connection
// (status_refresh.cpp).
#ifndef CARTEIRA_SRC_STORE_STATE_FOLD_H_
#define CARTEIRA_SRC_STORE_STATE_FOLD_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "src/store/customer_state.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

// A transaction to fold into its customer's digest.
struct NewRow {
  std::uint32_t pk;
  DayNumber date;
  MinorUnits amount;
};

// Groups rows by customer key: a counting sort when there are many (a
// first refresh folds every transaction of the store), std::sort otherwise.
void SortByCustomer(std::vector<NewRow>& rows);

// The record fields the status rules read.
struct Record {
  std::string segment;
  bool key_account = false;
  bool delinquent = false;
};

// A customer to judge: entry `entry` of the output block `block`.
struct Candidate {
  std::uint32_t block;
  std::uint32_t entry;
};

// What every range reads (ascending keys throughout).
struct FoldInput {
  std::span<const std::int64_t> blocks;     // the blocks to visit
  std::span<const NewRow> fold;             // the new transactions, by key
  std::span<const std::int64_t> dirty;      // customers whose record or contracts changed
  std::span<const std::int64_t> record_pk;  // with `records`: everyone's (when everyone is judged)
  std::span<const Record> records;
  bool everyone = false;    // the first refresh, or a new policy
  bool stream_log = false;  // read the log with cursors (many blocks visited)
  DayNumber as_of = kNoDay;
  std::int64_t run_pk = 0, old_log_run = 0;
  std::string path;  // for errors
};

// Where the ranges write, per visited block (index into FoldInput::blocks):
// the block's entries after the fold, and whether it is rewritten whole.
struct FoldOutput {
  std::span<StateBlock> out;
  std::span<std::uint8_t> whole;
};

// Folds blocks [b_begin, b_end) of input.blocks reading through `state`
// and `find_record` (SELECT segment, key_account, delinquent FROM
// customers WHERE pk = ?1; one connection's), appending the candidates in
// block order.
absl::Status FoldBlocks(const FoldInput& input, StateTable& state, sql::Statement& find_record, size_t b_begin,
                        size_t b_end, FoldOutput output, std::vector<Candidate>& candidates);

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_STATE_FOLD_H_
