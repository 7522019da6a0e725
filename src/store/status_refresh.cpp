// Store::RefreshStatuses: each customer's status kept up to date
// incrementally, at a cost that follows the new data and not the size of
// the store.
//
// A customer is recomputed when it has new transactions (those from meta
// folded_seq on, and the pending ones whose date has come), when it is
// dirty (its record or contracts changed: Append and MergeCustomers mark
// it), or when its stored next_check day has come (the first day its
// status changes without new data). Its purchase digest in customer_state
// (src/store/customer_state.h) stands in for its transaction history: the
// new transactions are folded into it, and each candidate is judged from
// its digest by the built-in rules exactly as the status engine judges it
// (src/status/customer_judge.h; tested). Everything is read in
// blocks of 256 customers; the entries judged are written as a log row per
// block, and a block is rewritten whole only now and then (its log merged
// in: src/store/customer_state.h).
#include <algorithm>
#include <atomic>
#include <limits>

#include "carteira/core/strings.h"
#include "carteira/store/store.h"
#include "src/core/parallel.h"
#include "src/status/customer_judge.h"
#include "src/store/customer_state.h"
#include "src/store/state_fold.h"
#include "src/store/status_events.h"
#include "src/store/store_impl.h"

namespace carteira {

using namespace store_internal;  // NOLINT
using status_internal::ContractRef;
using status_internal::CustomerJudge;
using status_internal::Judgement;
using status_internal::kNever;
using status_internal::SortContracts;

namespace {

// How far ahead next_check looks for a change; a customer with none in
// this horizon is looked at again when it ends.
constexpr DayNumber kHorizonDays = 730;
// Judging a customer takes ~1 us: below this many per thread, a thread
// costs more than it saves.
constexpr size_t kJudgedPerThread = 10'000;
// Fewer blocks to read are not worth a thread.
constexpr size_t kBlocksForReader = 8;
// The most blocks a thread takes at a time when two read them (fewer in a
// small store, so that both threads take part).
constexpr size_t kBlocksPerRange = 128;
constexpr const char* kFindRecord = "SELECT segment, key_account, delinquent FROM customers WHERE pk = ?1";
// Fewer status changes are not worth a thread (~50 us): their ids are
// looked up after the writes. (The state-log test's days pass it.)
constexpr size_t kChangesForReader = 256;

}  // namespace

absl::StatusOr<std::optional<std::string>> Store::LastPolicy() {
  auto& db = impl_->db;
  auto st = sql::Statement::Prepare(db, "SELECT policy FROM status_runs ORDER BY pk DESC LIMIT 1");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row || st->IsNull(0)) return std::optional<std::string>();
  return std::optional<std::string>(std::string(st->Text(0)));
}

absl::StatusOr<RefreshReport> Store::RefreshStatuses(DayNumber as_of, const StatusPolicy& policy) {
  auto& db = impl_->db;
  // Outside any transaction of the caller's (the reader connection may
  // then stand in for this one's reads: src/store/customer_keys.h).
  const bool outermost = sqlite3_get_autocommit(db.get()) != 0;
  if (auto s = policy.Validate(); !s.ok()) {
    return absl::Status(s.code(), StrCat(db.path(), ": status refresh: ", s.message()));
  }
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  RefreshReport report;
  report.as_of = as_of;
  const std::string policy_json = policy.ToJson();
  std::optional<std::string> stored_policy;
  {
    auto st = sql::Statement::Prepare(db, "SELECT as_of, policy FROM status_runs ORDER BY pk DESC LIMIT 1");
    if (!st.ok()) return st.status();
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      report.previous_as_of = static_cast<DayNumber>(st->Int(0));
      if (!st->IsNull(1)) stored_policy = std::string(st->Text(1));
    }
    if (report.previous_as_of != kNoDay && as_of < report.previous_as_of) {
      return absl::InvalidArgumentError(StrCat(db.path(), ": as of ", FormatDate(as_of),
                                               " is before the last refresh (",
                                               FormatDate(report.previous_as_of), ")"));
    }
  }
  const bool first = report.previous_as_of == kNoDay;
  // A run of a store migrated from version 1 has no policy: taken as the same.
  report.policy_changed = !first && stored_policy.has_value() && *stored_policy != policy_json;
  // The stored next_check days were found with the old policy: everyone is
  // judged again under a new one.
  const bool everyone = first || report.policy_changed;
  // This refresh's run (status_runs.pk): its log rows carry it.
  auto latest_run = StateTable::LatestRun(db);
  if (!latest_run.ok()) return latest_run.status();
  const std::int64_t run_pk = *latest_run + 1;
  // Log rows of runs up to this one are old: their blocks are rewritten
  // whole now, and the rows deleted.
  const std::int64_t old_log_run = run_pk - kStateLogRuns;

  // New transactions: from folded_seq on, and the pending ones. Those
  // dated after as_of wait (pending) for a refresh that reaches them.
  auto folded_seq = MetaInt(db, "folded_seq", 0);
  if (!folded_seq.ok()) return folded_seq.status();
  auto next_seq = MetaInt(db, "next_seq", 0);
  if (!next_seq.ok()) return next_seq.status();
  std::vector<NewRow> fold;
  std::vector<std::int64_t> pending;
  auto had_pending = db.QueryInt("SELECT EXISTS(SELECT 1 FROM pending_transactions)");
  if (!had_pending.ok()) return had_pending.status();
  {
    auto take = [&](std::int64_t seq, std::int64_t pk, std::int64_t date, std::int64_t amount) -> absl::Status {
      if (pk < 0 || pk > std::numeric_limits<std::uint32_t>::max()) {
        return absl::DataLossError(StrCat(db.path(), ": table transactions, seq ", seq, ": bad customer key ", pk,
                                          " (carteira db check)"));
      }
      if (date > as_of) {
        pending.push_back(seq);
      } else {
        fold.push_back({static_cast<std::uint32_t>(pk), static_cast<DayNumber>(date), amount});
      }
      return absl::OkStatus();
    };
    auto read = [&](sql::Statement& st) -> absl::Status {
      while (true) {
        auto row = st.Step();
        if (!row.ok()) return row.status();
        if (!*row) return absl::OkStatus();
        if (auto s = take(st.Int(0), st.Int(1), st.Int(2), st.Int(3)); !s.ok()) return s;
      }
    };
    // The new rows: as this handle's last Append wrote them when they are
    // exactly those (src/store/store_impl.h), else read back.
    Impl::AppendedRows& appended = impl_->appended;
    bool from_append = appended.first_seq >= 0 && appended.first_seq == *folded_seq &&
                       *next_seq == appended.first_seq + static_cast<std::int64_t>(appended.customer.size());
    if (from_append) {
      auto version = db.QueryInt("PRAGMA data_version");
      if (!version.ok()) return version.status();
      from_append = *version == appended.data_version;
    }
    if (from_append) {
      fold.reserve(appended.customer.size());
      for (size_t i = 0; i < appended.customer.size(); ++i) {
        if (auto s = take(appended.first_seq + static_cast<std::int64_t>(i), appended.customer[i], appended.date[i],
                          appended.amount[i]);
            !s.ok()) {
          return s;
        }
      }
    } else {
      auto fresh = sql::Statement::Prepare(db, "SELECT seq, customer, date, amount FROM transactions WHERE seq >= ?1");
      if (!fresh.ok()) return fresh.status();
      fresh->BindInt(1, *folded_seq);
      if (auto s = read(*fresh); !s.ok()) return s;
    }
    appended.first_seq = -1;  // read once
    auto waiting = sql::Statement::Prepare(
        db, "SELECT t.seq, t.customer, t.date, t.amount FROM pending_transactions p "
            "JOIN transactions t ON t.seq = p.seq WHERE t.seq < ?1");
    if (!waiting.ok()) return waiting.status();
    waiting->BindInt(1, *folded_seq);
    if (auto s = read(*waiting); !s.ok()) return s;
    SortByCustomer(fold);
  }
  std::vector<std::int64_t> dirty;
  {
    auto st = sql::Statement::Prepare(db, "SELECT customer FROM dirty_customers ORDER BY customer");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      dirty.push_back(st->Int(0));
    }
  }
  // Records: everyone's in one scan, or the ones needed by key.
  std::vector<std::int64_t> record_pk;  // ascending, with `records`
  std::vector<Record> records;
  auto find_record = sql::Statement::Prepare(db, kFindRecord);
  if (!find_record.ok()) return find_record.status();
  // The blocks to visit.
  std::vector<std::int64_t> blocks;
  {
    // Due: the block row or a log row has a next_check that has come
    // (a log row's entries replace the block row's, whose next_check may
    // then be too early: such a block is visited for nothing until it is
    // rewritten). Old log rows: their blocks are rewritten now. Both from
    // indexes that hold the block (the table's rows hold ~1 KB of data
    // each; version 5 added the block to the next_check index).
    auto st = sql::Statement::Prepare(
        db, everyone ? "SELECT block FROM customer_state"
                     : "SELECT block FROM customer_state WHERE next_check <= ?1 UNION "
                       "SELECT block FROM customer_state_log INDEXED BY customer_state_log_by_next_check "
                       "WHERE next_check <= ?1 UNION "
                       "SELECT block FROM customer_state_log INDEXED BY customer_state_log_by_block WHERE id < ?2");
    if (!st.ok()) return st.status();
    if (!everyone) {
      st->BindInt(1, as_of);
      st->BindInt(2, StateLogId(std::max<std::int64_t>(old_log_run + 1, 0), 0));
    }
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      blocks.push_back(st->Int(0));
    }
  }
  if (everyone) {
    auto st = sql::Statement::Prepare(db, "SELECT pk, segment, key_account, delinquent FROM customers ORDER BY pk");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      record_pk.push_back(st->Int(0));
      records.push_back({std::string(st->Text(1)), st->Int(2) != 0, st->Int(3) != 0});
      if (blocks.empty() || blocks.back() != StateBlockOf(record_pk.back())) blocks.push_back(StateBlockOf(record_pk.back()));
    }
  }
  for (const NewRow& r : fold) {
    if (blocks.empty() || blocks.back() != StateBlockOf(r.pk)) blocks.push_back(StateBlockOf(r.pk));
  }
  for (const std::int64_t pk : dirty) blocks.push_back(StateBlockOf(pk));
  std::sort(blocks.begin(), blocks.end());
  blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());

  // Each block: its stored entries, with the new transactions folded in and
  // the changed records read; the customers to judge marked. Two threads
  // each take half of the blocks when this is the outermost transaction:
  // the second reads through the reader connection, which sees the store
  // as this one does (nothing is written before the blocks are read).
  auto state = StateTable::Prepare(db, run_pk);
  if (!state.ok()) return state.status();
  // Visiting a good part of the blocks: their log in one pass.
  bool stream_log = false;
  {
    auto rows = db.QueryInt("SELECT count(*) FROM customer_state");
    if (!rows.ok()) return rows.status();
    stream_log = static_cast<std::int64_t>(blocks.size()) * 4 >= *rows && !everyone;
  }
  std::vector<StateBlock> out(blocks.size());
  // Per block: rewritten whole (its log merged in), or its judged entries
  // appended to the log. Whole every kStateLogRuns runs (round-robin, so
  // that each run rewrites about as many blocks), when its log has an old
  // row, when it has no row yet, when an entry is dropped, and when
  // everyone is judged.
  std::vector<std::uint8_t> whole(blocks.size(), 0);
  // Folds blocks [b_begin, b_end) through one connection's table and
  // statement, marking its candidates in block order (state_fold.h).
  const FoldInput fold_input{blocks, fold, dirty, record_pk, records, everyone, stream_log,
                             as_of, run_pk, old_log_run, db.path()};
  auto fold_blocks = [&](StateTable& table, sql::Statement& record, size_t b_begin, size_t b_end,
                         std::vector<Candidate>& found) {
    return FoldBlocks(fold_input, table, record, b_begin, b_end, FoldOutput{out, whole}, found);
  };
  std::vector<Candidate> candidates;
  sql::Db* reader =
      outermost && blocks.size() >= kBlocksForReader && internal::MaxThreads() >= 2 ? impl_->Reader() : nullptr;
  if (reader == nullptr) {
    if (auto s = fold_blocks(*state, *find_record, 0, blocks.size(), candidates); !s.ok()) return s;
  } else {
    auto snapshot = sql::ReadTransaction::Begin(*reader);
    if (!snapshot.ok()) return snapshot.status();
    auto reader_state = StateTable::Prepare(*reader, run_pk);
    if (!reader_state.ok()) return reader_state.status();
    auto reader_record = sql::Statement::Prepare(*reader, kFindRecord);
    if (!reader_record.ok()) return reader_record.status();
    // Ranges of blocks taken in turn by whichever thread is free: the
    // reader's cache starts cold (SQLite empties a connection's cache when
    // another one has written), so it reads more slowly than this one.
    const size_t per_range = std::clamp<size_t>(blocks.size() / 16, 1, kBlocksPerRange);
    const size_t ranges = (blocks.size() + per_range - 1) / per_range;
    std::vector<std::vector<Candidate>> found(ranges);
    std::atomic<size_t> next{0};
    absl::Status status[2];
    auto work = [&](size_t part, StateTable& table, sql::Statement& record) {
      while (status[part].ok()) {
        const size_t range = next.fetch_add(1);
        if (range >= ranges) break;
        status[part] = fold_blocks(table, record, range * per_range,
                                   std::min(blocks.size(), (range + 1) * per_range), found[range]);
      }
    };
    internal::RunBoth([&] { work(1, *reader_state, *reader_record); }, [&] { work(0, *state, *find_record); });
    for (const absl::Status& s : status) {
      if (!s.ok()) return s;
    }
    for (const std::vector<Candidate>& f : found) candidates.insert(candidates.end(), f.begin(), f.end());
  }
  report.customers_checked = static_cast<std::int64_t>(candidates.size());

  // The candidates' contracts, grouped by candidate.
  auto candidate_of = [&](std::int64_t pk) -> std::optional<size_t> {
    auto it = std::lower_bound(candidates.begin(), candidates.end(), pk, [&](const Candidate& c, std::int64_t key) {
      return out[c.block].entries[c.entry].pk < key;
    });
    if (it == candidates.end() || out[it->block].entries[it->entry].pk != pk) return std::nullopt;
    return static_cast<size_t>(it - candidates.begin());
  };
  std::vector<std::uint32_t> contract_offsets(candidates.size() + 1, 0);
  std::vector<ContractRef> contracts;
  if (!candidates.empty()) {
    auto count = db.QueryInt("SELECT count(*) FROM contracts");
    if (!count.ok()) return count.status();
    // Few contracts: one scan; many: a lookup per candidate.
    const bool scan = *count <= 4 * static_cast<std::int64_t>(candidates.size());
    auto st = sql::Statement::Prepare(
        db, scan ? "SELECT customer, start, \"end\", auto_renew FROM contracts ORDER BY pk"
                 : "SELECT customer, start, \"end\", auto_renew FROM contracts WHERE customer = ?1 ORDER BY pk");
    if (!st.ok()) return st.status();
    std::vector<std::pair<std::uint32_t, ContractRef>> found;  // (candidate, contract)
    auto read = [&]() -> absl::Status {
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        const auto c = candidate_of(st->Int(0));
        if (!c) continue;
        // row: the order read, which breaks ties of start as the engine's
        // portfolio row would.
        found.push_back({static_cast<std::uint32_t>(*c),
                         ContractRef{static_cast<DayNumber>(st->Int(1)), static_cast<DayNumber>(st->Int(2)),
                                     static_cast<std::int32_t>(found.size()), st->Int(3) != 0, false}});
      }
      st->Reset();
      return absl::OkStatus();
    };
    if (*count > 0 && scan) {
      if (auto s = read(); !s.ok()) return s;
    } else if (*count > 0) {
      for (const Candidate& c : candidates) {
        st->BindInt(1, out[c.block].entries[c.entry].pk);
        if (auto s = read(); !s.ok()) return s;
      }
    }
    for (const auto& [c, contract] : found) ++contract_offsets[c + 1];
    for (size_t i = 0; i < candidates.size(); ++i) contract_offsets[i + 1] += contract_offsets[i];
    contracts.resize(found.size());
    std::vector<std::uint32_t> next(contract_offsets.begin(), contract_offsets.end() - 1);
    for (const auto& [c, contract] : found) contracts[next[c]++] = contract;
    for (size_t i = 0; i < candidates.size(); ++i) {
      SortContracts({contracts.data() + contract_offsets[i], contract_offsets[i + 1] - contract_offsets[i]});
    }
  }
  // Each candidate judged from its digest, as a full classification would
  // (src/status/customer_judge.h); candidates are independent, so the
  // threads each take a range (src/core/parallel.h).
  std::vector<Judgement> judged(candidates.size());
  {
    const CustomerJudge judge(policy);
    internal::ParallelRanges(candidates.size(), internal::PartsFor(candidates.size(), kJudgedPerThread),
                             [&](size_t, size_t begin, size_t end) {
                               for (size_t i = begin; i < end; ++i) {
                                 const StateBlock& block = out[candidates[i].block];
                                 const StateEntry& e = block.entries[candidates[i].entry];
                                 const std::uint8_t flags = (e.delinquent ? kFlagDelinquent : 0) |
                                                            (e.key_account ? kFlagKeyAccount : 0);
                                 judged[i] = judge.Judge(
                                     as_of, as_of + kHorizonDays, block.DaysOf(e), flags,
                                     judge.RulesFor(block.SegmentOf(e)),
                                     {contracts.data() + contract_offsets[i], contract_offsets[i + 1] - contract_offsets[i]});
                               }
                             });
  }

  // Compare with what was stored, write the new state and the events.
  auto run = sql::Statement::Prepare(
      db, "INSERT INTO status_runs(pk, as_of, checked, changed, policy) VALUES(?4, ?1, ?2, 0, ?3)");
  if (!run.ok()) return run.status();
  run->BindInt(1, as_of);
  run->BindInt(2, report.customers_checked);
  run->BindText(3, policy_json);
  run->BindInt(4, run_pk);
  if (auto s = run->Run(); !s.ok()) return s;
  std::vector<EventRow> changes;
  for (size_t i = 0; i < candidates.size(); ++i) {
    StateEntry& e = out[candidates[i].block].entries[candidates[i].entry];
    const EventRow change{run_pk, e.pk, e.has_status, e.status, judged[i].verdict.status, e.flags,
                          judged[i].verdict.flags};
    e.has_status = true;
    e.status = judged[i].verdict.status;
    e.flags = judged[i].verdict.flags;
    e.rule = judged[i].verdict.rule;
    e.next_check = judged[i].first_change == kNever ? as_of + kHorizonDays : judged[i].first_change;
    if (first || (change.had && change.from == change.to && change.from_flags == change.to_flags)) continue;
    changes.push_back(change);
  }
  // The events and the new state written while the events' customer ids
  // are looked up on the reader connection, on another thread (it sees
  // the customers as this transaction does: the refresh changes none, and
  // outermost, it follows no uncommitted write of the caller's).
  std::vector<std::string> change_ids;
  absl::Status ids_status, write_status;
  sql::Db* ids_reader = outermost && changes.size() >= kChangesForReader ? impl_->Reader() : nullptr;
  auto find_ids = [&] {
    if (ids_reader == nullptr) {
      ids_status = EventCustomerIds(db, changes, &change_ids);
      return;
    }
    auto snapshot = sql::ReadTransaction::Begin(*ids_reader);
    ids_status = snapshot.ok() ? EventCustomerIds(*ids_reader, changes, &change_ids) : snapshot.status();
  };
  auto write = [&]() -> absl::Status {
    if (auto s = WriteStatusEvents(db, changes); !s.ok()) return s;
    std::vector<std::uint32_t> judged;
    size_t c = 0;  // cursor in candidates, which are in block order
    for (size_t b = 0; b < out.size(); ++b) {
      judged.clear();
      for (; c < candidates.size() && candidates[c].block == b; ++c) judged.push_back(candidates[c].entry);
      if (whole[b]) {
        if (auto s = state->Write(out[b]); !s.ok()) return s;
      } else if (!judged.empty()) {
        if (auto s = state->WriteLog(out[b], judged); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  };
  if (ids_reader != nullptr) {
    internal::RunBoth(find_ids, [&] { write_status = write(); });
  } else {
    write_status = write();
    if (write_status.ok()) find_ids();
  }
  if (!write_status.ok()) return write_status;
  if (!ids_status.ok()) return ids_status;
  report.events.reserve(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    StatusEvent ev;
    ev.customer_id = std::move(change_ids[i]);
    ev.from = changes[i].had ? changes[i].from : Status::kProspect;
    ev.to = changes[i].to;
    ev.from_flags = changes[i].had ? changes[i].from_flags : 0;
    ev.to_flags = changes[i].to_flags;
    ev.first = !changes[i].had;
    report.events.push_back(std::move(ev));
  }
  {
    // Every block with a row this old was rewritten above (everyone: every
    // block, so no log row is live any more).
    if (auto s = state->DropLogBefore(everyone ? run_pk + 1 : old_log_run + 1); !s.ok()) return s;
  }
  {
    auto st = sql::Statement::Prepare(db, "UPDATE status_runs SET changed = ?2 WHERE pk = ?1");
    if (!st.ok()) return st.status();
    st->BindInt(1, run_pk);
    st->BindInt(2, static_cast<std::int64_t>(report.events.size()));
    if (auto s = st->Run(); !s.ok()) return s;
  }
  if (*had_pending != 0 || !pending.empty()) {
    if (auto s = db.Exec("DELETE FROM pending_transactions"); !s.ok()) return s;
    auto st = sql::Statement::Prepare(db, "INSERT INTO pending_transactions(seq) VALUES(?1)");
    if (!st.ok()) return st.status();
    for (const std::int64_t seq : pending) {
      st->BindInt(1, seq);
      if (auto s = st->Run(); !s.ok()) return s;
    }
  }
  if (auto s = SetMetaInt(db, "folded_seq", std::max(*folded_seq, *next_seq)); !s.ok()) return s;
  if (auto s = db.Exec("DELETE FROM dirty_customers"); !s.ok()) return s;
  if (auto s = tx->Commit(); !s.ok()) return s;
  std::sort(report.events.begin(), report.events.end(),
            [](const StatusEvent& a, const StatusEvent& b) { return a.customer_id < b.customer_id; });
  return report;
}

}  // namespace carteira
