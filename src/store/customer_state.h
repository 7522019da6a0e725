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
//
// The log (schema version 4): a refresh judges ~10% of the customers of a
// block but rewriting the block would write all of them. So a refresh
// appends, for most blocks, only the entries it judged, as a row of table
// customer_state_log (id = run << 24 | block, the same encoding), and
// rewrites a block whole (merging its log in) only now and then: when the
// round-robin reaches it (every kStateLogRuns runs), when its log holds a
// row kStateLogRuns runs old, or when it has no row yet. A log row is live
// while its run is after the block's merged_run (kept in the block row);
// dead rows are deleted a whole run at a time, once no block can still
// need them. Reading a block is the block row with its live log rows laid
// over it, newest last. Each log row has the earliest next_check of its
// entries, indexed too: a block is due when its row or a log row is.
//
// Block format 3 (schema version 5; customer_state.cpp has the bytes):
// every entry starts with a fixed-size record (key, bits, segment,
// next_check, where its payload ends) and the rest of it, the payload
// (purchase digest, status, flags, rule), follows in an area of its own.
// A refresh reads every entry of ~4k blocks a day but judges ~10% of
// them: reading a record is a few loads, where formats 1 and 2 (still
// read) had to parse every varint of every entry to find the next one.
#ifndef CARTEIRA_SRC_STORE_CUSTOMER_STATE_H_
#define CARTEIRA_SRC_STORE_CUSTOMER_STATE_H_

#include <cstdint>
#include <deque>
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
// StateEntry::payload of an entry whose payload is decoded into its fields.
inline constexpr std::uint32_t kPayloadDecoded = 0xffffffff;
// A block is rewritten whole (its log merged) at least every this many
// refresh runs: fewer means more block bytes written per run, more means
// more log rows to read (docs/store.md, "Performance").
inline constexpr std::int64_t kStateLogRuns = 8;
// customer_state_log.id of a run's row for a block (blocks < 2^24: keys
// are 32-bit).
inline constexpr int kStateLogRunShift = 24;
inline constexpr std::int64_t kStateLogBlocks = std::int64_t{1} << kStateLogRunShift;
inline constexpr std::int64_t StateLogId(std::int64_t run, std::int64_t block) {
  return (run << kStateLogRunShift) | block;
}

// A customer's state. A block read lazily (format 3) fills only what its
// fixed-size record holds, enough to tell whether the customer is due; the
// rest, its payload, stays encoded until DecodePayload (most entries of a
// refresh are never judged: their payload bytes are copied as they are
// when the block is written again).
struct StateEntry {
  std::int64_t pk = 0;
  // Always valid. Record fields, as last read from the customers table.
  std::uint32_t segment = 0;  // index in StateBlock::segments
  bool key_account = false;
  bool delinquent = false;
  // The last refresh's verdict (has_status false: never refreshed yet, e.g.
  // a merge's survivor made from merged digests); next_check only with it.
  bool has_status = false;
  DayNumber next_check = kNoDay;
  // The payload, still encoded at StateBlock::raw [payload, payload +
  // payload_size); kPayloadDecoded once decoded into the fields below.
  std::uint32_t payload = kPayloadDecoded;
  std::uint32_t payload_size = 0;
  // Only once decoded: the purchase digest and the status found.
  MinorUnits revenue = 0;
  std::uint32_t days_begin = 0;  // in StateBlock::days
  std::uint32_t days_count = 0;
  Status status = Status::kProspect;
  std::uint8_t flags = 0;
  std::uint16_t rule = 0;

  bool decoded() const { return payload == kPayloadDecoded; }
};

struct StateBlock {
  std::int64_t block = 0;
  // The log rows of runs up to this one are merged into the block row.
  std::int64_t merged_run = 0;
  std::vector<std::string> segments{std::string()};  // [0] is the empty segment
  std::vector<StateEntry> entries;  // ascending pk, all inside the block
  std::vector<DayNumber> days;      // the entries' purchase-days
  std::vector<std::uint8_t> raw;    // the encoded payloads, when read lazily

  // Only for a decoded entry (DecodePayload).
  std::span<const DayNumber> DaysOf(const StateEntry& e) const {
    return {days.data() + e.days_begin, e.days_count};
  }
  std::string_view SegmentOf(const StateEntry& e) const { return segments[e.segment]; }
  // Decodes the entry's payload from `raw` (nothing when decoded);
  // DATA_LOSS naming the block when it is malformed.
  absl::Status DecodePayload(StateEntry& e);
  absl::Status DecodeAllPayloads();
  // Laying log rows over the block: AddLogEntries for each row (of this
  // block), oldest first, copies its entries into `pending` (their
  // payloads, decoded or raw, and segments into this block's);
  // LayLogEntries then puts them in place, the newest entry of a key
  // replacing the block's.
  void AddLogEntries(const StateBlock& log, std::vector<StateEntry>* pending);
  // (`scratch`: any vector, its memory reused from block to block.)
  void LayLogEntries(std::vector<StateEntry>* pending, std::vector<StateEntry>* scratch);
  // Points `e` at new purchase-days (appended to the pool; the old ones
  // stay there unused until the block is encoded).
  void SetDays(StateEntry& e, std::span<const DayNumber> new_days);
  // The entry of `pk`, or null.
  StateEntry* Find(std::int64_t pk);
  std::uint32_t InternSegment(std::string_view segment);
  // The earliest next_check of the entries with a status, or kNoNextCheck.
  std::int64_t NextCheck() const;
};

// Decodes a block row (any format); DATA_LOSS (naming the block) when it
// is malformed. `lazy`: the payloads of a format 3 block stay encoded (a
// copy of `data` in out->raw), for a reader that needs few of them; older
// formats are always decoded whole (they are rewritten in format 3).
absl::Status DecodeStateBlock(std::int64_t block, std::span<const std::uint8_t> data, StateBlock* out,
                              bool lazy = false);
// Number of entries of an encoded block (without decoding them).
absl::StatusOr<std::int64_t> CountStateEntries(std::int64_t block, std::span<const std::uint8_t> data);
void EncodeStateBlock(const StateBlock& block, std::string* out);
// The same with another merged_run.
void EncodeStateBlock(const StateBlock& block, std::int64_t merged_run, std::string* out);
// Only the entries `which` (indices into block.entries, ascending): a log row.
void EncodeStateEntries(const StateBlock& block, std::span<const std::uint32_t> which, std::string* out);

// What StateTable::Read found besides the entries.
struct StateReadInfo {
  bool has_row = false;              // the block has a row
  std::int64_t log_rows = 0;         // live log rows laid over it
  std::int64_t oldest_log_run = 0;   // the run of the oldest of them (0: none)
};

// Reading and writing blocks inside the caller's transaction.
class StateTable {
 public:
  // `run`: the refresh run writing (the log rows it writes carry it, the
  // blocks it rewrites have merged every log row up to it); 0 for the
  // latest run stored (a write that is not a refresh: a merge).
  static absl::StatusOr<StateTable> Prepare(sql::Db& db, std::int64_t run = 0);
  // The latest run of status_runs and of the log (0 when none).
  static absl::StatusOr<std::int64_t> LatestRun(sql::Db& db);
  // The block's entries, its live log rows laid over (none when the block
  // has no row).
  absl::Status Read(std::int64_t block, StateBlock* out, StateReadInfo* info = nullptr, bool lazy = false);
  // Writes the block whole, its log merged (block.merged_run is ignored:
  // the run's), or deletes its row and log when it has no entries.
  absl::Status Write(const StateBlock& block);
  // Appends the entries `which` of the block as the run's log row.
  absl::Status WriteLog(const StateBlock& block, std::span<const std::uint32_t> which);
  // Deletes the log rows of runs before `run`: whole runs, whose blocks
  // have all been rewritten since.
  absl::Status DropLogBefore(std::int64_t run);
  // For a reader of many blocks in ascending order: Read then takes their
  // log rows from a cursor per live run (a run's rows are in block order
  // in the table: each cursor reads its run once, in order, and nothing is
  // copied ahead) instead of an index lookup per block. A block read out
  // of order, or a write, goes back to the lookups. Only the log rows of
  // blocks in [first_block, end_block) are streamed: the blocks one thread
  // of a refresh reads.
  absl::Status StreamLog(std::int64_t first_block = 0, std::int64_t end_block = kStateLogBlocks);

 private:
  sql::Db* db_ = nullptr;
  std::int64_t run_ = 0;
  sql::Statement read_, read_log_, write_, erase_, erase_log_, write_log_;
  std::string buffer_;
  StateBlock log_;
  std::vector<StateEntry> pending_, scratch_;
  struct RunCursor {
    sql::Statement* st;  // SELECT block, id, data of one run, by id (in cursor_pool_)
    bool has_row = false;
    absl::Status Next();
  };
  // Laying the log rows of `block` from the cursors, oldest run first.
  template <typename Lay>
  absl::Status StreamedLog(std::int64_t block, Lay lay);
  void EndStream();
  std::vector<RunCursor> streams_;  // oldest run first; empty: lookups
  std::int64_t streamed_block_ = -1;  // the last block read from them
  // The cursors' statements, prepared once and reused by every StreamLog
  // (a refresh's thread streams its blocks a range at a time), and the
  // runs in the log (found by the first StreamLog; a write forgets them).
  std::deque<sql::Statement> cursor_pool_;
  bool log_runs_known_ = false;
  std::int64_t first_log_run_ = 0, last_log_run_ = -1;
};

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_CUSTOMER_STATE_H_
