// The block format (version 1), all integers as LEB128 varints, signed
// ones zigzag-encoded; written by hand because it is a few dozen bytes per
// customer that no serialisation library would make shorter or clearer:
//   u8 format (1)
//   varint S; S x (varint length, bytes): segments 1..S (0 is the empty one)
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
#include <limits>

#include "absl/status/statusor.h"
#include "carteira/core/strings.h"

namespace carteira::store_internal {
namespace {

constexpr std::uint8_t kFormat = 1;
constexpr std::uint8_t kHasStatus = 1, kKeyAccount = 2, kDelinquent = 4;

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

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool ok() const { return ok_; }
  bool done() const { return p_ == end_; }
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

absl::Status DecodeStateBlock(std::int64_t block, std::span<const std::uint8_t> data, StateBlock* out) {
  out->block = block;
  out->segments.assign(1, std::string());
  out->entries.clear();
  out->days.clear();
  Reader r(data);
  if (r.Byte() != kFormat) return Malformed(block, "unknown format");
  const std::uint64_t segments = r.Varint();
  if (segments > 256) return Malformed(block, "too many segments");
  for (std::uint64_t s = 0; s < segments && r.ok(); ++s) out->segments.emplace_back(r.Bytes(r.Varint()));
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
    e.revenue = r.Signed();
    const std::uint64_t k = r.Varint();
    if (k > data.size()) return Malformed(block, "bad purchase-day count");
    e.days_begin = static_cast<std::uint32_t>(out->days.size());
    e.days_count = static_cast<std::uint32_t>(k);
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
      out->days.push_back(static_cast<DayNumber>(day));
    }
    if (e.has_status) {
      const std::uint8_t status = r.Byte();
      if (status >= kStatusCount) return Malformed(block, "bad status");
      e.status = static_cast<Status>(status);
      e.flags = r.Byte();
      const std::uint64_t rule = r.Varint();
      if (rule > std::numeric_limits<std::uint16_t>::max()) return Malformed(block, "bad rule");
      e.rule = static_cast<std::uint16_t>(rule);
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

absl::StatusOr<std::int64_t> CountStateEntries(std::int64_t block, std::span<const std::uint8_t> data) {
  Reader r(data);
  if (r.Byte() != kFormat) return Malformed(block, "unknown format");
  const std::uint64_t segments = r.Varint();
  for (std::uint64_t s = 0; s < segments && r.ok(); ++s) r.Bytes(r.Varint());
  const std::uint64_t n = r.Varint();
  if (!r.ok() || n > 256) return Malformed(block, "truncated");
  return static_cast<std::int64_t>(n);
}

void EncodeStateBlock(const StateBlock& b, std::string* out) {
  // Only the segments some entry uses, renumbered.
  std::vector<std::uint32_t> code(b.segments.size(), 0);
  std::vector<std::uint32_t> used;
  size_t most = 16;  // bytes at most: format, counts
  for (const StateEntry& e : b.entries) {
    if (e.segment != 0 && code[e.segment] == 0) {
      used.push_back(e.segment);
      code[e.segment] = static_cast<std::uint32_t>(used.size());
      most += 10 + b.segments[e.segment].size();
    }
    most += 2 + 4 * 10 + 2 + 10 * static_cast<size_t>(e.days_count);
  }
  out->resize(most);
  char* p = out->data();
  *p++ = static_cast<char>(kFormat);
  p = PutVarint(p, used.size());
  for (const std::uint32_t s : used) {
    p = PutVarint(p, b.segments[s].size());
    p = std::copy(b.segments[s].begin(), b.segments[s].end(), p);
  }
  p = PutVarint(p, b.entries.size());
  for (const StateEntry& e : b.entries) {
    *p++ = static_cast<char>(e.pk - (b.block << kStateBlockShift));
    *p++ = static_cast<char>((e.has_status ? kHasStatus : 0) | (e.key_account ? kKeyAccount : 0) |
                             (e.delinquent ? kDelinquent : 0));
    p = PutVarint(p, code[e.segment]);
    p = PutSigned(p, e.revenue);
    const std::span<const DayNumber> days = b.DaysOf(e);
    p = PutVarint(p, days.size());
    for (size_t i = 0; i < days.size(); ++i) {
      p = i == 0 ? PutSigned(p, days[0])
                 : PutVarint(p, static_cast<std::uint64_t>(static_cast<std::int64_t>(days[i]) - days[i - 1]));
    }
    if (e.has_status) {
      *p++ = static_cast<char>(e.status);
      *p++ = static_cast<char>(e.flags);
      p = PutVarint(p, e.rule);
      p = PutSigned(p, e.next_check);
    }
  }
  out->resize(static_cast<size_t>(p - out->data()));
}

absl::StatusOr<StateTable> StateTable::Prepare(sql::Db& db) {
  StateTable t;
  t.db_ = &db;
  auto read = sql::Statement::Prepare(db, "SELECT data FROM customer_state WHERE block = ?1");
  if (!read.ok()) return read.status();
  auto write = sql::Statement::Prepare(
      db, "INSERT INTO customer_state(block, next_check, data) VALUES(?1, ?2, ?3) "
          "ON CONFLICT(block) DO UPDATE SET next_check = excluded.next_check, data = excluded.data");
  if (!write.ok()) return write.status();
  auto erase = sql::Statement::Prepare(db, "DELETE FROM customer_state WHERE block = ?1");
  if (!erase.ok()) return erase.status();
  t.read_ = std::move(*read);
  t.write_ = std::move(*write);
  t.erase_ = std::move(*erase);
  return t;
}

absl::Status StateTable::Read(std::int64_t block, StateBlock* out) {
  read_.BindInt(1, block);
  auto row = read_.Step();
  absl::Status s = row.status();
  if (s.ok() && *row) {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(read_.get(), 0));
    const size_t n = static_cast<size_t>(sqlite3_column_bytes(read_.get(), 0));
    s = DecodeStateBlock(block, std::span<const std::uint8_t>(p, n), out);
    if (!s.ok()) s = absl::DataLossError(StrCat(db_->path(), ": ", s.message()));
  } else if (s.ok()) {
    *out = StateBlock();
    out->block = block;
  }
  read_.Reset();
  return s;
}

absl::Status StateTable::Write(const StateBlock& block) {
  if (block.entries.empty()) {
    erase_.BindInt(1, block.block);
    return erase_.Run();
  }
  EncodeStateBlock(block, &buffer_);
  write_.BindInt(1, block.block);
  write_.BindInt(2, block.NextCheck());
  write_.BindBlob(3, buffer_.data(), buffer_.size());
  return write_.Run();
}

}  // namespace carteira::store_internal
