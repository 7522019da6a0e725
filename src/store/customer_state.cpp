// The block formats, integers as LEB128 varints (signed ones
// zigzag-encoded) unless said otherwise; written by hand because it is a
// few dozen bytes per customer that no serialisation library would make
// shorter or clearer.
//
// Format 3, written since schema version 5: fixed-size records first, so
// that a lazy read finds each entry's key, bits, segment and next_check
// without parsing anything, and steps over the rest (customer_state.h):
//   u8 format (3)
//   varint merged_run (the block's log rows up to this run are merged in)
//   varint S; S x (varint length, bytes): segments 1..S (0 is the empty one)
//   varint N; N records of 12 bytes, ascending key, little-endian:
//     u8 key - block * 256
//     u8 bits: 1 has_status, 2 key_account, 4 delinquent
//     u16 segment index
//     i32 next_check (0 without a status)
//     u32 end of the entry's payload, from the start of the payload area
//   the payload area, each entry's payload in turn:
//     if has_status: u8 status, u8 flags, varint rule
//     zigzag revenue
//     varint purchase-day count k; if k > 0: zigzag first day, then k - 1
//       positive gaps to the next day
//
// Formats 2 and 1 (schema versions 4 and 3), still read, always whole:
//   u8 format (2; 1 is the same without merged_run, which is then 0)
//   varint merged_run
//   varint S; S x (varint length, bytes): segments 1..S
//   varint N; N entries, ascending key:
//     u8 key - block * 256
//     u8 bits: 1 has_status, 2 key_account, 4 delinquent
//     varint segment index
//     zigzag revenue
//     varint purchase-day count k; if k > 0: zigzag first day, then k - 1
//       positive gaps to the next day
//     if has_status: u8 status, u8 flags, varint rule, zigzag next_check
#include "src/store/customer_state.h"

#include <algorithm>
#include <array>
#include <limits>

#include "absl/status/statusor.h"
#include "carteira/core/strings.h"

namespace carteira::store_internal {
namespace {

constexpr std::uint8_t kFormat = 3, kFormatVarints = 2, kFormatWithoutRun = 1;
constexpr std::uint8_t kHasStatus = 1, kKeyAccount = 2, kDelinquent = 4;
constexpr size_t kRecordSize = 12;

// Writes at `p`, which has room (10 bytes a varint); returns the end.
char* PutVarint(char* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}
char* PutSigned(char* p, std::int64_t v) {
  return PutVarint(p, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}
// Little-endian whatever the host (compilers make these one load or store).
char* PutU16(char* p, std::uint32_t v) {
  p[0] = static_cast<char>(v);
  p[1] = static_cast<char>(v >> 8);
  return p + 2;
}
char* PutU32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
  return p + 4;
}
std::uint32_t LoadU16(const std::uint8_t* p) { return p[0] | (std::uint32_t{p[1]} << 8); }
std::uint32_t LoadU32(const std::uint8_t* p) {
  return p[0] | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool ok() const { return ok_; }
  bool done() const { return p_ == end_; }
  const std::uint8_t* position() const { return p_; }
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  std::uint8_t Byte() {
    if (p_ == end_) return Fail();
    return *p_++;
  }
  std::uint64_t Varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return Fail();
      const std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    return Fail();
  }
  std::int64_t Signed() {
    const std::uint64_t v = Varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::string_view Bytes(std::uint64_t n) {
    if (static_cast<std::uint64_t>(end_ - p_) < n) {
      Fail();
      return {};
    }
    std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }

 private:
  std::uint8_t Fail() {
    ok_ = false;
    p_ = end_;
    return 0;
  }
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool ok_ = true;
};

bool IsDay(std::int64_t d) {
  return d >= std::numeric_limits<DayNumber>::min() + 1 && d <= std::numeric_limits<DayNumber>::max();
}

absl::Status Malformed(std::int64_t block, std::string_view what) {
  return absl::DataLossError(StrCat("table customer_state, block ", block, ": ", what, " (carteira db check)"));
}

// Appends k purchase-days (zigzag first day, then positive gaps) to `days`.
absl::Status ReadDays(std::int64_t block, Reader& r, std::uint64_t k, std::vector<DayNumber>& days) {
  std::int64_t day = 0;
  for (std::uint64_t i = 0; i < k; ++i) {
    if (i == 0) {
      day = r.Signed();
    } else {
      const std::uint64_t gap = r.Varint();
      if (gap == 0 || gap > (std::uint64_t{1} << 32)) return Malformed(block, "bad purchase-day gap");
      day += static_cast<std::int64_t>(gap);
    }
    if (!IsDay(day)) return Malformed(block, "bad purchase-day");
    days.push_back(static_cast<DayNumber>(day));
  }
  return r.ok() ? absl::OkStatus() : Malformed(block, "truncated purchase-days");
}

// The status, flags and rule, as both formats store them.
absl::Status ReadStatus(std::int64_t block, Reader& r, StateEntry& e) {
  const std::uint8_t status = r.Byte();
  if (status >= kStatusCount) return Malformed(block, "bad status");
  e.status = static_cast<Status>(status);
  e.flags = r.Byte();
  const std::uint64_t rule = r.Varint();
  if (rule > std::numeric_limits<std::uint16_t>::max()) return Malformed(block, "bad rule");
  e.rule = static_cast<std::uint16_t>(rule);
  return absl::OkStatus();
}

// Revenue and purchase-days, as both formats store them.
absl::Status ReadDigest(std::int64_t block, Reader& r, size_t size, StateEntry& e, std::vector<DayNumber>& days) {
  e.revenue = r.Signed();
  const std::uint64_t k = r.Varint();
  if (k > size) return Malformed(block, "bad purchase-day count");
  e.days_begin = static_cast<std::uint32_t>(days.size());
  e.days_count = static_cast<std::uint32_t>(k);
  return ReadDays(block, r, k, days);
}

// A format 3 payload, which must be exactly `bytes`.
absl::Status ReadPayload(std::int64_t block, std::span<const std::uint8_t> bytes, StateEntry& e,
                         std::vector<DayNumber>& days) {
  Reader r(bytes);
  if (e.has_status) {
    if (auto s = ReadStatus(block, r, e); !s.ok()) return s;
  }
  if (auto s = ReadDigest(block, r, bytes.size(), e, days); !s.ok()) return s;
  if (!r.ok()) return Malformed(block, "truncated payload");
  if (!r.done()) return Malformed(block, "bad payload (trailing bytes)");
  e.payload = kPayloadDecoded;
  e.payload_size = 0;
  return absl::OkStatus();
}

// Format, merged_run and segments; the reader then stands at N.
absl::Status ReadHeader(std::int64_t block, Reader& r, StateBlock* out) {
  const std::uint8_t format = r.Byte();
  if (format != kFormat && format != kFormatVarints && format != kFormatWithoutRun) {
    return Malformed(block, "unknown format");
  }
  if (format != kFormatWithoutRun) {
    const std::uint64_t run = r.Varint();
    if (run > (std::uint64_t{1} << 38)) return Malformed(block, "bad merged run");
    out->merged_run = static_cast<std::int64_t>(run);
  }
  const std::uint64_t segments = r.Varint();
  if (segments > 256) return Malformed(block, "too many segments");
  for (std::uint64_t s = 0; s < segments && r.ok(); ++s) out->segments.emplace_back(r.Bytes(r.Varint()));
  return absl::OkStatus();
}

// Format 3 after the header (the reader at N). `base`: where the offsets
// into StateBlock::raw count from (out->raw holds the block when lazy).
absl::Status DecodeRecords(std::int64_t block, Reader& r, const std::uint8_t* base, StateBlock* out, bool lazy) {
  const std::uint64_t n = r.Varint();
  if (!r.ok()) return Malformed(block, "truncated");
  if (n > 256) return Malformed(block, "too many customers");
  if (r.left() < n * kRecordSize) return Malformed(block, "truncated record area");
  const std::uint8_t* record = r.position();
  const std::uint8_t* const area = record + n * kRecordSize;
  const size_t area_size = r.left() - n * kRecordSize;
  out->entries.resize(n);
  int previous = -1;
  std::uint32_t begin = 0;  // of the entry's payload, in the area
  for (StateEntry& e : out->entries) {
    const int offset = record[0];
    if (offset <= previous) return Malformed(block, "customers out of order");
    previous = offset;
    e.pk = (block << kStateBlockShift) + offset;
    const std::uint8_t bits = record[1];
    if (bits > (kHasStatus | kKeyAccount | kDelinquent)) return Malformed(block, "bad bits");
    e.has_status = (bits & kHasStatus) != 0;
    e.key_account = (bits & kKeyAccount) != 0;
    e.delinquent = (bits & kDelinquent) != 0;
    e.segment = LoadU16(record + 2);
    if (e.segment >= out->segments.size()) return Malformed(block, "bad segment");
    e.next_check = kNoDay;
    if (e.has_status) {
      const auto next = static_cast<std::int32_t>(LoadU32(record + 4));
      if (!IsDay(next)) return Malformed(block, "bad next_check");
      e.next_check = next;
    }
    const std::uint32_t end = LoadU32(record + 8);
    if (end <= begin) return Malformed(block, "payload offsets out of order");
    if (end > area_size) return Malformed(block, "payload past the end");
    e.payload = static_cast<std::uint32_t>(area - base) + begin;
    e.payload_size = end - begin;
    begin = end;
    record += kRecordSize;
  }
  if (begin != area_size) return Malformed(block, "trailing bytes");
  if (lazy) return absl::OkStatus();
  for (StateEntry& e : out->entries) {
    if (auto s = ReadPayload(block, {base + e.payload, e.payload_size}, e, out->days); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Formats 1 and 2 after the header (the reader at N), decoded whole.
absl::Status DecodeVarintEntries(std::int64_t block, Reader& r, size_t size, StateBlock* out) {
  const std::uint64_t n = r.Varint();
  if (n > 256) return Malformed(block, "too many customers");
  out->entries.resize(n);
  int previous = -1;
  for (StateEntry& e : out->entries) {
    const int offset = r.Byte();
    if (offset <= previous) return Malformed(block, "customers out of order");
    previous = offset;
    e.pk = (block << kStateBlockShift) + offset;
    const std::uint8_t bits = r.Byte();
    e.has_status = (bits & kHasStatus) != 0;
    e.key_account = (bits & kKeyAccount) != 0;
    e.delinquent = (bits & kDelinquent) != 0;
    const std::uint64_t segment = r.Varint();
    if (segment >= out->segments.size()) return Malformed(block, "bad segment");
    e.segment = static_cast<std::uint32_t>(segment);
    if (auto s = ReadDigest(block, r, size, e, out->days); !s.ok() && r.ok()) return s;
    if (e.has_status) {
      if (auto s = ReadStatus(block, r, e); !s.ok()) return s;
      const std::int64_t next = r.Signed();
      if (!IsDay(next)) return Malformed(block, "bad next_check");
      e.next_check = static_cast<DayNumber>(next);
    }
    if (!r.ok()) break;
  }
  if (!r.ok()) return Malformed(block, "truncated");
  if (!r.done()) return Malformed(block, "trailing bytes");
  return absl::OkStatus();
}

}  // namespace

std::uint32_t StateBlock::InternSegment(std::string_view segment) {
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i] == segment) return static_cast<std::uint32_t>(i);
  }
  segments.emplace_back(segment);
  return static_cast<std::uint32_t>(segments.size() - 1);
}

void StateBlock::SetDays(StateEntry& e, std::span<const DayNumber> new_days) {
  // new_days may point into the pool, which may move while growing.
  const std::vector<DayNumber> copy(new_days.begin(), new_days.end());
  e.days_begin = static_cast<std::uint32_t>(days.size());
  e.days_count = static_cast<std::uint32_t>(copy.size());
  days.insert(days.end(), copy.begin(), copy.end());
}

StateEntry* StateBlock::Find(std::int64_t pk) {
  auto it = std::lower_bound(entries.begin(), entries.end(), pk,
                             [](const StateEntry& e, std::int64_t key) { return e.pk < key; });
  return it != entries.end() && it->pk == pk ? &*it : nullptr;
}

std::int64_t StateBlock::NextCheck() const {
  std::int64_t next = kNoNextCheck;
  for (const StateEntry& e : entries) {
    if (e.has_status) next = std::min<std::int64_t>(next, e.next_check);
  }
  return next;
}

absl::Status StateBlock::DecodePayload(StateEntry& e) {
  if (e.decoded()) return absl::OkStatus();
  return ReadPayload(block, {raw.data() + e.payload, e.payload_size}, e, days);
}

absl::Status StateBlock::DecodeAllPayloads() {
  for (StateEntry& e : entries) {
    if (auto s = DecodePayload(e); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status DecodeStateBlock(std::int64_t block, std::span<const std::uint8_t> data, StateBlock* out,
                              bool lazy) {
  out->block = block;
  out->merged_run = 0;
  out->segments.assign(1, std::string());
  out->entries.clear();
  out->days.clear();
  out->raw.clear();
  lazy = lazy && !data.empty() && data[0] == kFormat;
  if (lazy) out->raw.assign(data.begin(), data.end());
  const std::span<const std::uint8_t> bytes = lazy ? std::span<const std::uint8_t>(out->raw) : data;
  Reader r(bytes);
  if (auto s = ReadHeader(block, r, out); !s.ok()) return s;
  if (!r.ok()) return Malformed(block, "truncated");
  if (bytes[0] == kFormat) return DecodeRecords(block, r, bytes.data(), out, lazy);
  return DecodeVarintEntries(block, r, bytes.size(), out);
}

absl::StatusOr<std::int64_t> CountStateEntries(std::int64_t block, std::span<const std::uint8_t> data) {
  Reader r(data);
  StateBlock header;
  if (auto s = ReadHeader(block, r, &header); !s.ok()) return s;
  const std::uint64_t n = r.Varint();
  if (!r.ok() || n > 256) return Malformed(block, "truncated");
  return static_cast<std::int64_t>(n);
}

namespace {

// A decoded entry's payload (format 3).
char* PutPayload(const StateBlock& b, const StateEntry& e, char* p) {
  if (e.has_status) {
    *p++ = static_cast<char>(e.status);
    *p++ = static_cast<char>(e.flags);
    p = PutVarint(p, e.rule);
  }
  p = PutSigned(p, e.revenue);
  const std::span<const DayNumber> days = b.DaysOf(e);
  p = PutVarint(p, days.size());
  for (size_t i = 0; i < days.size(); ++i) {
    p = i == 0 ? PutSigned(p, days[0])
               : PutVarint(p, static_cast<std::uint64_t>(static_cast<std::int64_t>(days[i]) - days[i - 1]));
  }
  return p;
}

// The entries b.entries[at(0)], .., b.entries[at(n - 1)], in format 3.
template <typename At>
void Encode(const StateBlock& b, std::int64_t merged_run, size_t n, At at, std::string* out) {
  // Only the segments some entry uses, renumbered.
  std::vector<std::uint32_t> code(b.segments.size(), 0);
  std::vector<std::uint32_t> used;
  size_t most = 32;  // bytes at most: format, run, counts
  for (size_t i = 0; i < n; ++i) {
    const StateEntry& e = b.entries[at(i)];
    if (e.segment != 0 && code[e.segment] == 0) {
      used.push_back(e.segment);
      code[e.segment] = static_cast<std::uint32_t>(used.size());
      most += 10 + b.segments[e.segment].size();
    }
    most += kRecordSize + (e.decoded() ? 2 + 3 * 10 + 10 * static_cast<size_t>(e.days_count) : e.payload_size);
  }
  out->resize(most);
  char* p = out->data();
  *p++ = static_cast<char>(kFormat);
  p = PutVarint(p, static_cast<std::uint64_t>(merged_run));
  p = PutVarint(p, used.size());
  for (const std::uint32_t s : used) {
    p = PutVarint(p, b.segments[s].size());
    p = std::copy(b.segments[s].begin(), b.segments[s].end(), p);
  }
  p = PutVarint(p, n);
  char* record = p;
  char* const area = p + n * kRecordSize;
  p = area;
  for (size_t i = 0; i < n; ++i) {
    const StateEntry& e = b.entries[at(i)];
    // Not decoded: unchanged since read, the same bytes.
    p = e.decoded() ? PutPayload(b, e, p) : std::copy_n(b.raw.data() + e.payload, e.payload_size, p);
    *record++ = static_cast<char>(e.pk - (b.block << kStateBlockShift));
    *record++ = static_cast<char>((e.has_status ? kHasStatus : 0) | (e.key_account ? kKeyAccount : 0) |
                                  (e.delinquent ? kDelinquent : 0));
    record = PutU16(record, code[e.segment]);
    record = PutU32(record, e.has_status ? static_cast<std::uint32_t>(e.next_check) : 0);
    record = PutU32(record, static_cast<std::uint32_t>(p - area));
  }
  out->resize(static_cast<size_t>(p - out->data()));
}

}  // namespace

void EncodeStateBlock(const StateBlock& b, std::string* out) {
  EncodeStateBlock(b, b.merged_run, out);
}

void EncodeStateBlock(const StateBlock& b, std::int64_t merged_run, std::string* out) {
  Encode(b, merged_run, b.entries.size(), [](size_t i) { return i; }, out);
}

void EncodeStateEntries(const StateBlock& b, std::span<const std::uint32_t> which, std::string* out) {
  Encode(b, 0, which.size(), [&](size_t i) { return which[i]; }, out);
}

void StateBlock::AddLogEntries(const StateBlock& log, std::vector<StateEntry>* pending) {
  const auto raw_offset = static_cast<std::uint32_t>(raw.size());
  raw.insert(raw.end(), log.raw.begin(), log.raw.end());
  for (const StateEntry& l : log.entries) {
    StateEntry e = l;
    e.segment = InternSegment(log.SegmentOf(l));
    if (!l.decoded()) {
      e.payload += raw_offset;
    } else {
      const std::span<const DayNumber> log_days = log.DaysOf(l);
      e.days_begin = static_cast<std::uint32_t>(days.size());
      days.insert(days.end(), log_days.begin(), log_days.end());
    }
    pending->push_back(e);
  }
}

void StateBlock::LayLogEntries(std::vector<StateEntry>* pending, std::vector<StateEntry>* scratch) {
  if (pending->empty()) return;
  // The newest (added last) of each key, by its place in the block: one
  // pass over the block's entries however many log rows there were, and
  // no sort.
  std::array<std::int16_t, size_t{1} << kStateBlockShift> newest;
  newest.fill(-1);
  constexpr std::int64_t kMask = (std::int64_t{1} << kStateBlockShift) - 1;
  for (size_t k = 0; k < pending->size(); ++k) newest[(*pending)[k].pk & kMask] = static_cast<std::int16_t>(k);
  std::vector<StateEntry>& merged = *scratch;
  merged.clear();
  merged.reserve(entries.size() + pending->size());
  size_t i = 0;
  for (size_t key = 0; key < newest.size(); ++key) {
    const bool stored = i < entries.size() && static_cast<size_t>(entries[i].pk & kMask) == key;
    if (newest[key] >= 0) {
      merged.push_back((*pending)[static_cast<size_t>(newest[key])]);
      i += stored;  // replaced
    } else if (stored) {
      merged.push_back(entries[i++]);
    }
  }
  entries.swap(merged);
  pending->clear();
}

absl::Status StateTable::RunCursor::Next() {
  auto row = st->Step();
  if (!row.ok()) return row.status();
  has_row = *row;
  return absl::OkStatus();
}

void StateTable::EndStream() {
  for (RunCursor& c : streams_) c.st->Reset();
  streams_.clear();
}

absl::Status StateTable::StreamLog(std::int64_t first_block, std::int64_t end_block) {
  EndStream();
  streamed_block_ = -1;
  if (!log_runs_known_) {
    auto st = sql::Statement::Prepare(*db_, "SELECT min(id), max(id) FROM customer_state_log");
    if (!st.ok()) return st.status();
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (*row && !st->IsNull(0)) {
      first_log_run_ = st->Int(0) >> kStateLogRunShift;
      last_log_run_ = st->Int(1) >> kStateLogRunShift;
    }
    log_runs_known_ = true;
  }
  if (last_log_run_ < first_log_run_) return absl::OkStatus();  // no log
  // A refresh keeps kStateLogRuns runs; many more (a store left so by
  // some other writer) are read by lookups rather than as many cursors.
  if (last_log_run_ - first_log_run_ >= 4 * kStateLogRuns) return absl::OkStatus();
  for (std::int64_t run = first_log_run_; run <= last_log_run_; ++run) {
    const size_t i = static_cast<size_t>(run - first_log_run_);
    if (i == cursor_pool_.size()) {
      auto cursor = sql::Statement::Prepare(
          *db_, "SELECT block, id, data FROM customer_state_log WHERE id >= ?1 AND id < ?2 ORDER BY id");
      if (!cursor.ok()) return cursor.status();
      cursor_pool_.push_back(std::move(*cursor));
    }
    sql::Statement& cursor = cursor_pool_[i];
    cursor.BindInt(1, StateLogId(run, first_block));
    cursor.BindInt(2, end_block >= kStateLogBlocks ? StateLogId(run + 1, 0) : StateLogId(run, end_block));
    streams_.push_back({&cursor});
    if (auto s = streams_.back().Next(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

template <typename Lay>
absl::Status StateTable::StreamedLog(std::int64_t block, Lay lay) {
  streamed_block_ = block;
  for (RunCursor& c : streams_) {
    // Rows of blocks not read are stepped over.
    while (c.has_row && c.st->Int(0) <= block) {
      if (c.st->Int(0) == block) {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(c.st->get(), 2));
        const size_t n = static_cast<size_t>(sqlite3_column_bytes(c.st->get(), 2));
        if (auto s = lay(c.st->Int(1), {p, n}); !s.ok()) return s;
      }
      if (auto s = c.Next(); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> StateTable::LatestRun(sql::Db& db) {
  return db.QueryInt(StrCat("SELECT max(coalesce((SELECT max(pk) FROM status_runs), 0), "
                            "coalesce((SELECT max(id) FROM customer_state_log), 0) >> ",
                            kStateLogRunShift, ")"));
}

absl::StatusOr<StateTable> StateTable::Prepare(sql::Db& db, std::int64_t run) {
  StateTable t;
  t.db_ = &db;
  if (run == 0) {
    auto latest = LatestRun(db);
    if (!latest.ok()) return latest.status();
    run = *latest;
  }
  t.run_ = run;
  struct {
    sql::Statement* st;
    const char* sql;
  } statements[] = {
      {&t.read_, "SELECT data FROM customer_state WHERE block = ?1"},
      {&t.read_log_, "SELECT id, data FROM customer_state_log WHERE block = ?1 AND id > ?2 ORDER BY id"},
      {&t.write_, "INSERT INTO customer_state(block, next_check, data) VALUES(?1, ?2, ?3) "
                  "ON CONFLICT(block) DO UPDATE SET next_check = excluded.next_check, data = excluded.data"},
      {&t.erase_, "DELETE FROM customer_state WHERE block = ?1"},
      {&t.erase_log_, "DELETE FROM customer_state_log WHERE block = ?1"},
      {&t.write_log_, "INSERT INTO customer_state_log(id, block, next_check, data) VALUES(?1, ?2, ?3, ?4)"},
  };
  for (const auto& [st, sql] : statements) {
    auto prepared = sql::Statement::Prepare(db, sql);
    if (!prepared.ok()) return prepared.status();
    *st = std::move(*prepared);
  }
  return t;
}

absl::Status StateTable::Read(std::int64_t block, StateBlock* out, StateReadInfo* info, bool lazy) {
  StateReadInfo found;
  read_.BindInt(1, block);
  auto row = read_.Step();
  absl::Status s = row.status();
  if (s.ok() && *row) {
    found.has_row = true;
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(read_.get(), 0));
    const size_t n = static_cast<size_t>(sqlite3_column_bytes(read_.get(), 0));
    s = DecodeStateBlock(block, std::span<const std::uint8_t>(p, n), out, lazy);
    if (!s.ok()) s = absl::DataLossError(StrCat(db_->path(), ": ", s.message()));
  } else if (s.ok()) {
    *out = StateBlock();
    out->block = block;
  }
  read_.Reset();
  if (!s.ok() || !found.has_row) {
    if (info != nullptr) *info = found;
    return s;
  }
  const std::int64_t after = StateLogId(out->merged_run + 1, 0) - 1;  // live: ids after this
  auto lay = [&](std::int64_t id, std::span<const std::uint8_t> data) -> absl::Status {
    if (id <= after) return absl::OkStatus();
    if (auto s = DecodeStateBlock(block, data, &log_, lazy); !s.ok()) {
      return absl::DataLossError(StrCat(db_->path(), ": log row ", id, " (run ", id >> kStateLogRunShift, "), ",
                                        s.message()));
    }
    out->AddLogEntries(log_, &pending_);
    if (found.log_rows++ == 0) found.oldest_log_run = id >> kStateLogRunShift;
    return absl::OkStatus();
  };
  pending_.clear();
  if (!streams_.empty() && block > streamed_block_) {
    s = StreamedLog(block, lay);
  } else {
    read_log_.BindInt(1, block);
    read_log_.BindInt(2, after);
    while (s.ok()) {
      auto log_row = read_log_.Step();
      if (!log_row.ok()) {
        s = log_row.status();
        break;
      }
      if (!*log_row) break;
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(read_log_.get(), 1));
      const size_t n = static_cast<size_t>(sqlite3_column_bytes(read_log_.get(), 1));
      s = lay(read_log_.Int(0), {p, n});
    }
    read_log_.Reset();
  }
  if (s.ok()) out->LayLogEntries(&pending_, &scratch_);
  if (info != nullptr) *info = found;
  return s;
}

absl::Status StateTable::Write(const StateBlock& block) {
  EndStream();  // no cursor left open on a table being written
  log_runs_known_ = false;
  if (block.entries.empty()) {
    erase_.BindInt(1, block.block);
    if (auto s = erase_.Run(); !s.ok()) return s;
    erase_log_.BindInt(1, block.block);
    return erase_log_.Run();
  }
  EncodeStateBlock(block, run_, &buffer_);
  write_.BindInt(1, block.block);
  write_.BindInt(2, block.NextCheck());
  write_.BindBlob(3, buffer_.data(), buffer_.size());
  return write_.Run();
}

absl::Status StateTable::WriteLog(const StateBlock& block, std::span<const std::uint32_t> which) {
  EndStream();  // no cursor left open on a table being written
  log_runs_known_ = false;
  EncodeStateEntries(block, which, &buffer_);
  std::int64_t next = kNoNextCheck;
  for (const std::uint32_t i : which) {
    if (block.entries[i].has_status) next = std::min<std::int64_t>(next, block.entries[i].next_check);
  }
  write_log_.BindInt(1, StateLogId(run_, block.block));
  write_log_.BindInt(2, block.block);
  write_log_.BindInt(3, next);
  write_log_.BindBlob(4, buffer_.data(), buffer_.size());
  return write_log_.Run();
}

absl::Status StateTable::DropLogBefore(std::int64_t run) {
  EndStream();
  log_runs_known_ = false;
  if (run <= 0) return absl::OkStatus();
  return db_->Exec(StrCat("DELETE FROM customer_state_log WHERE id < ", StateLogId(run, 0)));
}

}  // namespace carteira::store_internal
