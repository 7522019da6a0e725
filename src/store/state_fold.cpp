// The fold of a refresh (status_refresh.cpp): each block's stored entries,
// with the new transactions folded into their digests and the changed
// records read, and the customers to judge marked.
#include "src/store/state_fold.h"

#include <algorithm>
#include <iterator>

#include "carteira/core/strings.h"

namespace carteira::store_internal {

void SortByCustomer(std::vector<NewRow>& rows) {
  if (rows.size() < (1u << 16)) {
    std::sort(rows.begin(), rows.end(), [](const NewRow& a, const NewRow& b) { return a.pk < b.pk; });
    return;
  }
  std::uint32_t max_pk = 0;
  for (const NewRow& r : rows) max_pk = std::max(max_pk, r.pk);
  std::vector<std::uint32_t> start(static_cast<size_t>(max_pk) + 2, 0);
  for (const NewRow& r : rows) ++start[r.pk + 1];
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  std::vector<NewRow> sorted(rows.size());
  for (const NewRow& r : rows) sorted[start[r.pk]++] = r;
  rows = std::move(sorted);
}

absl::Status FoldBlocks(const FoldInput& input, StateTable& state, sql::Statement& find_record, size_t b_begin,
                        size_t b_end, FoldOutput output, std::vector<Candidate>& candidates) {
  // The body reads as it did inside RefreshStatuses.
  const std::span<const std::int64_t> blocks = input.blocks;
  const std::span<const NewRow> fold = input.fold;
  const std::span<const std::int64_t> dirty = input.dirty;
  const std::span<const std::int64_t> record_pk = input.record_pk;
  const std::span<const Record> records = input.records;
  const bool everyone = input.everyone, stream_log = input.stream_log;
  const DayNumber as_of = input.as_of;
  const std::int64_t run_pk = input.run_pk, old_log_run = input.old_log_run;
  std::span<StateBlock> out = output.out;
  std::span<std::uint8_t> whole = output.whole;
  if (stream_log && b_begin < b_end) {
    const std::int64_t end_block = b_end < blocks.size() ? blocks[b_end] : kStateLogBlocks;
    if (auto s = state.StreamLog(blocks[b_begin], end_block); !s.ok()) return s;
  }
  StateBlock in;
  // Cursors in fold, dirty, record_pk, from the range's first key.
  const std::int64_t first_pk = b_begin < b_end ? blocks[b_begin] << kStateBlockShift : 0;
  size_t f = static_cast<size_t>(
      std::lower_bound(fold.begin(), fold.end(), first_pk,
                       [](const NewRow& row, std::int64_t pk) { return row.pk < pk; }) - fold.begin());
  size_t d = static_cast<size_t>(std::lower_bound(dirty.begin(), dirty.end(), first_pk) - dirty.begin());
  size_t r = static_cast<size_t>(std::lower_bound(record_pk.begin(), record_pk.end(), first_pk) - record_pk.begin());
  std::vector<DayNumber> new_days;
  for (size_t b = b_begin; b < b_end; ++b) {
    const std::int64_t block = blocks[b];
    StateReadInfo info;
    // Lazily: the payloads of the entries not judged stay encoded (a
    // block appended to the log does not write them; one rewritten whole
    // copies their bytes).
    if (auto s = state.Read(block, &in, &info, /*lazy=*/true); !s.ok()) return s;
    whole[b] = everyone || !info.has_row || (block + run_pk) % kStateLogRuns == 0 ||
               (info.log_rows > 0 && info.oldest_log_run <= old_log_run);
    const std::int64_t end = (block + 1) << kStateBlockShift;
    while (f < fold.size() && StateBlockOf(fold[f].pk) < block) ++f;
    while (d < dirty.size() && StateBlockOf(dirty[d]) < block) ++d;
    while (r < record_pk.size() && StateBlockOf(record_pk[r]) < block) ++r;
    const size_t f0 = f, d0 = d, r0 = r, c0 = candidates.size();
    StateBlock& o = out[b];
    // A block bound for the log that turns out to drop an entry is done
    // again, whole.
    for (bool again = true; again;) {
      again = false;
      f = f0;
      d = d0;
      r = r0;
      candidates.resize(c0);
      o = StateBlock();
      o.block = block;
      o.segments = in.segments;  // stored entries keep their segment numbers
      if (whole[b]) o.raw = in.raw;  // and their encoded payloads
      o.entries.reserve(whole[b] ? in.entries.size() + 8 : 32);
      size_t e = 0;  // cursor in in.entries
      while (true) {
        // The next customer key any source has in this block.
        std::int64_t pk = end;
        if (e < in.entries.size()) pk = std::min(pk, in.entries[e].pk);
        if (f < fold.size() && fold[f].pk < end) pk = std::min<std::int64_t>(pk, fold[f].pk);
        if (d < dirty.size() && dirty[d] < end) pk = std::min(pk, dirty[d]);
        if (r < record_pk.size() && record_pk[r] < end) pk = std::min(pk, record_pk[r]);
        if (pk == end) break;
        const bool stored = e < in.entries.size() && in.entries[e].pk == pk;
        const bool is_dirty = d < dirty.size() && dirty[d] == pk;
        const size_t fold_begin = f;
        while (f < fold.size() && fold[f].pk == pk) ++f;
        const bool has_new = f > fold_begin;
        const bool has_record = r < record_pk.size() && record_pk[r] == pk;
        if (stored && !has_new && !is_dirty && !has_record && !whole[b] && !everyone &&
            in.entries[e].has_status && in.entries[e].next_check > as_of) {
          ++e;  // not judged, left to the block and its log: most entries
          continue;
        }
        StateEntry entry;
        if (stored) entry = in.entries[e++];
        entry.pk = pk;
        if (is_dirty) ++d;
        // The record: from the scan, read again (changed, or not known
        // yet), or as stored.
        bool exists = true;
        if (has_record) {
          const Record& rec = records[r++];
          entry.segment = o.InternSegment(rec.segment);
          entry.key_account = rec.key_account;
          entry.delinquent = rec.delinquent;
        } else if (everyone) {
          exists = false;  // a state without a customer: dropped
        } else if (is_dirty || !stored) {
          find_record.BindInt(1, pk);
          auto row = find_record.Step();
          if (!row.ok()) return row.status();
          exists = *row;
          if (exists) {
            entry.segment = o.InternSegment(find_record.Text(0));
            entry.key_account = find_record.Int(1) != 0;
            entry.delinquent = find_record.Int(2) != 0;
          }
          find_record.Reset();
        }
        if (!exists) {
          if (!whole[b]) {  // the log cannot drop an entry
            whole[b] = 1;
            again = true;
            break;
          }
          if (has_new) {
            return absl::DataLossError(StrCat(input.path, ": table transactions: unknown customer key ", pk,
                                              " (carteira db check)"));
          }
          continue;
        }
        const bool judge = everyone || has_new || is_dirty || !entry.has_status || entry.next_check <= as_of;
        if (!judge) {
          // Stored, unchanged: left to the block and its log, or kept as
          // it is in the block rewritten whole.
          if (!whole[b]) continue;
          if (entry.decoded()) {  // from a log row in an older format
            const std::span<const DayNumber> days = in.DaysOf(in.entries[e - 1]);
            entry.days_begin = static_cast<std::uint32_t>(o.days.size());
            o.days.insert(o.days.end(), days.begin(), days.end());
          }
          o.entries.push_back(entry);
          continue;
        }
        // Judged: its payload is needed (the digest, and the status the
        // events compare with); the record fields stay as set above.
        if (stored) {
          StateEntry& was = in.entries[e - 1];
          if (auto s = in.DecodePayload(was); !s.ok()) {
            return absl::DataLossError(StrCat(input.path, ": ", s.message()));
          }
          entry.revenue = was.revenue;
          entry.status = was.status;
          entry.flags = was.flags;
          entry.rule = was.rule;
        }
        entry.payload = kPayloadDecoded;
        entry.payload_size = 0;
        // The digest: stored days merged with the new purchase-days.
        const std::span<const DayNumber> old_days =
            stored ? in.DaysOf(in.entries[e - 1]) : std::span<const DayNumber>();
        entry.days_begin = static_cast<std::uint32_t>(o.days.size());
        if (!has_new) {
          o.days.insert(o.days.end(), old_days.begin(), old_days.end());
        } else {
          new_days.clear();
          for (size_t k = fold_begin; k < f; ++k) {
            entry.revenue += fold[k].amount;
            if (fold[k].amount >= 0) new_days.push_back(fold[k].date);
          }
          std::sort(new_days.begin(), new_days.end());
          std::set_union(old_days.begin(), old_days.end(), new_days.begin(), new_days.end(),
                         std::back_inserter(o.days));
          o.days.erase(std::unique(o.days.begin() + entry.days_begin, o.days.end()), o.days.end());
        }
        entry.days_count = static_cast<std::uint32_t>(o.days.size() - entry.days_begin);
        candidates.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(o.entries.size())});
        o.entries.push_back(entry);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace carteira::store_internal
