// The state block format 3 (src/store/customer_state.cpp): a lazy read
// and a full one give the same entries, an entry left undecoded is written
// back byte for byte, format 2 blocks (schema version 4) still read, and a
// corrupt block is DATA_LOSS naming it, wherever the damage is.
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/store/customer_state.h"
#include "tests/store/state_format2.h"

namespace carteira::store_internal {
namespace {

constexpr std::int64_t kBlock = 7;

std::span<const std::uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Entries of every shape: with and without a status, no purchase-days and
// many (gaps wider than a varint byte), negative revenue, three segments.
StateBlock Sample() {
  StateBlock b;
  b.block = kBlock;
  b.merged_run = 300;  // two varint bytes
  auto add = [&](int offset, std::string_view segment, MinorUnits revenue, std::vector<DayNumber> days,
                 bool has_status) {
    StateEntry e;
    e.pk = (kBlock << kStateBlockShift) + offset;
    e.segment = b.InternSegment(segment);
    e.key_account = offset % 3 == 0;
    e.delinquent = offset % 5 == 0;
    e.revenue = revenue;
    b.SetDays(e, days);
    e.has_status = has_status;
    if (has_status) {
      e.status = static_cast<Status>(offset % kStatusCount);
      e.flags = static_cast<std::uint8_t>(offset * 7);
      e.rule = static_cast<std::uint16_t>(offset * 300);
      e.next_check = DaysFromCivil(2025, 1, 1) + offset;
    }
    b.entries.push_back(e);
  };
  add(0, "", 0, {}, false);
  add(3, "varejo", 123456789, {-5, 0, 1, 400, 100000}, true);
  add(4, "atacado", -250, {20000}, true);
  add(200, "varejo", 99, {}, true);
  add(255, "", 1, {1, 2, 3}, false);
  return b;
}

// Field by field, the payload's fields only where `b` is decoded.
void ExpectSame(const StateBlock& a, const StateBlock& b) {
  ASSERT_EQ(a.entries.size(), b.entries.size());
  EXPECT_EQ(a.merged_run, b.merged_run);
  for (size_t i = 0; i < a.entries.size(); ++i) {
    const StateEntry& x = a.entries[i];
    const StateEntry& y = b.entries[i];
    SCOPED_TRACE(x.pk);
    EXPECT_EQ(x.pk, y.pk);
    EXPECT_EQ(a.SegmentOf(x), b.SegmentOf(y));
    EXPECT_EQ(x.key_account, y.key_account);
    EXPECT_EQ(x.delinquent, y.delinquent);
    EXPECT_EQ(x.has_status, y.has_status);
    if (x.has_status) EXPECT_EQ(x.next_check, y.next_check);
    if (!y.decoded()) continue;
    EXPECT_EQ(x.revenue, y.revenue);
    EXPECT_EQ(std::vector<DayNumber>(a.DaysOf(x).begin(), a.DaysOf(x).end()),
              std::vector<DayNumber>(b.DaysOf(y).begin(), b.DaysOf(y).end()));
    if (x.has_status) {
      EXPECT_EQ(x.status, y.status);
      EXPECT_EQ(x.flags, y.flags);
      EXPECT_EQ(x.rule, y.rule);
    }
  }
}

TEST(CustomerStateTest, LazyAndFullReadsGiveTheEntriesWritten) {
  const StateBlock b = Sample();
  std::string data;
  EncodeStateBlock(b, &data);
  ASSERT_EQ(data[0], 3);
  StateBlock full, lazy;
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(data), &full).ok());
  ExpectSame(b, full);
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(data), &lazy, /*lazy=*/true).ok());
  for (const StateEntry& e : lazy.entries) EXPECT_FALSE(e.decoded());
  ExpectSame(b, lazy);  // the records
  EXPECT_EQ(lazy.NextCheck(), b.NextCheck());
  EXPECT_EQ(*CountStateEntries(kBlock, Bytes(data)), 5);
  ASSERT_TRUE(lazy.DecodeAllPayloads().ok());
  ExpectSame(b, lazy);
}

TEST(CustomerStateTest, UndecodedPayloadsAreCopiedAsTheyAre) {
  const StateBlock b = Sample();
  std::string data, again;
  EncodeStateBlock(b, &data);
  StateBlock lazy;
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(data), &lazy, /*lazy=*/true).ok());
  EncodeStateBlock(lazy, &again);
  EXPECT_EQ(again, data);
  // One entry decoded and changed, another moved to a new segment: the
  // rest copied, the block reads as the changed one.
  StateBlock expected = b;
  ASSERT_TRUE(lazy.DecodePayload(lazy.entries[1]).ok());
  for (StateBlock* x : {&lazy, &expected}) {
    x->entries[1].status = Status::kLost;
    x->entries[1].revenue = -1;
    x->entries[1].next_check = DaysFromCivil(2030, 1, 1);
    x->SetDays(x->entries[1], std::vector<DayNumber>{7, 9});
    x->entries[4].segment = x->InternSegment("novo");
  }
  EncodeStateBlock(lazy, &again);
  StateBlock back;
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(again), &back).ok());
  ExpectSame(expected, back);
  // A log row: some entries, a payload still encoded among them.
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(data), &lazy, /*lazy=*/true).ok());
  const std::vector<std::uint32_t> which = {1, 3};
  EncodeStateEntries(lazy, which, &again);
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(again), &back).ok());
  ASSERT_EQ(back.entries.size(), 2u);
  EXPECT_EQ(back.merged_run, 0);
  StateBlock two = b;
  two.merged_run = 0;
  two.entries = {b.entries[1], b.entries[3]};
  ExpectSame(two, back);
}

TEST(CustomerStateTest, LogEntriesLaidOverLazyBlocksKeepTheirPayloads) {
  const StateBlock b = Sample();
  StateBlock row = b;
  row.entries = {b.entries[2]};
  row.entries[0].revenue = 42;
  row.entries[0].segment = row.InternSegment("somente no log");
  std::string block_data, log_data;
  EncodeStateBlock(b, &block_data);
  EncodeStateEntries(row, std::vector<std::uint32_t>{0}, &log_data);
  StateBlock lazy, log;
  std::vector<StateEntry> pending, scratch;
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(block_data), &lazy, true).ok());
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(log_data), &log, true).ok());
  lazy.AddLogEntries(log, &pending);
  // A newer row: the same customer again (the newest wins), and one the
  // block does not have yet.
  StateBlock newer = row;
  newer.entries[0].revenue = 43;
  StateEntry added = b.entries[0];
  added.pk = (kBlock << kStateBlockShift) + 100;
  newer.entries.push_back(added);
  EncodeStateEntries(newer, std::vector<std::uint32_t>{0, 1}, &log_data);
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(log_data), &log, true).ok());
  lazy.AddLogEntries(log, &pending);
  lazy.LayLogEntries(&pending, &scratch);
  StateBlock expected = b;
  expected.entries[2].revenue = 43;
  expected.entries[2].segment = expected.InternSegment("somente no log");
  expected.entries.insert(expected.entries.begin() + 3, added);
  ExpectSame(expected, lazy);
  ASSERT_TRUE(lazy.DecodeAllPayloads().ok());
  ExpectSame(expected, lazy);
}

TEST(CustomerStateTest, Format2BlocksReadAsTheEntriesTheyHold) {
  const StateBlock b = Sample();
  const std::string v2 = EncodeFormat2(b);
  for (const bool lazy : {false, true}) {
    StateBlock back;
    ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(v2), &back, lazy).ok());
    for (const StateEntry& e : back.entries) EXPECT_TRUE(e.decoded());  // always whole
    ExpectSame(b, back);
    // Written again: format 3, the same entries.
    std::string v3;
    EncodeStateBlock(back, &v3);
    EXPECT_EQ(v3[0], 3);
    StateBlock again;
    ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(v3), &again).ok());
    ExpectSame(b, again);
  }
  EXPECT_EQ(*CountStateEntries(kBlock, Bytes(v2)), 5);
}

// A block without segments and a run < 128, so that the records start at
// byte 4: [3, run, S = 0, N].
struct Corruptible {
  std::string data;
  size_t n = 0;
  Corruptible() {
    StateBlock b = Sample();
    b.merged_run = 5;
    b.segments.resize(1);
    for (StateEntry& e : b.entries) e.segment = 0;
    EncodeStateBlock(b, &data);
    n = b.entries.size();
  }
  size_t Record(size_t i) const { return 4 + 12 * i; }
  std::uint32_t End(size_t i) const {
    std::uint32_t v = 0;
    for (int k = 3; k >= 0; --k) v = v << 8 | static_cast<std::uint8_t>(data[Record(i) + 8 + k]);
    return v;
  }
  void SetEnd(size_t i, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) data[Record(i) + 8 + k] = static_cast<char>(v >> (8 * k));
  }
};

void ExpectDataLoss(const std::string& data, const std::string& what, bool lazy) {
  StateBlock out;
  absl::Status s = DecodeStateBlock(kBlock, Bytes(data), &out, lazy);
  if (s.ok() && lazy) s = out.DecodeAllPayloads();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << what << " " << s;
  EXPECT_NE(s.message().find("block 7: "), std::string_view::npos) << s;
  EXPECT_NE(s.message().find(what), std::string_view::npos) << s;
  EXPECT_NE(s.message().find("(carteira db check)"), std::string_view::npos) << s;
}

TEST(CustomerStateTest, CorruptFormat3BlocksAreDataLossNamingTheBlock) {
  const Corruptible good;
  ASSERT_EQ(good.data[1], 5);
  StateBlock ok;
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(good.data), &ok).ok());
  for (const bool lazy : {false, true}) {
    SCOPED_TRACE(lazy);
    Corruptible c = good;
    c.data.resize(c.Record(c.n) - 1);
    ExpectDataLoss(c.data, "truncated record area", lazy);
    c = good;
    c.data[c.Record(2) + 2] = 1;  // segment 1 of none
    ExpectDataLoss(c.data, "bad segment", lazy);
    c = good;
    c.data[c.Record(3)] = 1;  // key before the previous one's
    ExpectDataLoss(c.data, "customers out of order", lazy);
    c = good;
    c.data[c.Record(1) + 1] = 8;
    ExpectDataLoss(c.data, "bad bits", lazy);
    c = good;
    c.SetEnd(1, c.End(0) - 1);
    ExpectDataLoss(c.data, "payload offsets out of order", lazy);
    c = good;
    c.SetEnd(0, 0);  // an empty payload
    ExpectDataLoss(c.data, "payload offsets out of order", lazy);
    c = good;
    c.SetEnd(c.n - 1, c.End(c.n - 1) + 1);
    ExpectDataLoss(c.data, "payload past the end", lazy);
    c = good;
    c.data += '\0';
    ExpectDataLoss(c.data, "trailing bytes", lazy);
    c = good;
    c.data.resize(2);
    ExpectDataLoss(c.data, "truncated", lazy);
    c = good;
    c.data[0] = 4;
    ExpectDataLoss(c.data, "unknown format", lazy);
  }
}

TEST(CustomerStateTest, APayloadWithTrailingBytesIsDataLossWhenDecoded) {
  Corruptible c;
  // Entry 0 (no status, no days: revenue 0, count 0) given a third byte.
  ASSERT_EQ(c.End(0), 2u);
  c.data.insert(c.data.begin() + static_cast<std::ptrdiff_t>(c.Record(c.n) + 2), '\0');
  for (size_t i = 0; i < c.n; ++i) c.SetEnd(i, c.End(i) + 1);
  StateBlock lazy;
  ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(c.data), &lazy, /*lazy=*/true).ok());
  ASSERT_TRUE(lazy.DecodePayload(lazy.entries[1]).ok());  // the others read
  const absl::Status s = lazy.DecodePayload(lazy.entries[0]);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("block 7: bad payload (trailing bytes)"), std::string_view::npos) << s;
  ExpectDataLoss(c.data, "bad payload (trailing bytes)", /*lazy=*/false);
  // A payload cut short (entry 1 has a status: its rule spills over).
  Corruptible d;
  d.SetEnd(0, d.End(0) + 3);
  ExpectDataLoss(d.data, "payload", false);
}

// Random damage (bytes changed, cut short, lengthened), in the records
// and in the payloads: every read either fails with DATA_LOSS or gives
// entries that encode and read back the same (never a read out of
// bounds: the ASan build runs this too).
TEST(CustomerStateTest, RandomlyDamagedBlocksFailCleanly) {
  std::string good;
  EncodeStateBlock(Sample(), &good);
  std::mt19937 rng(3);
  int failed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string data = good;
    const int kind = static_cast<int>(rng() % 4);
    if (kind == 0) {
      data.resize(rng() % data.size());
    } else if (kind == 1) {
      data.insert(data.begin() + static_cast<std::ptrdiff_t>(rng() % data.size()), static_cast<char>(rng()));
    } else {
      for (int k = 0; k <= kind; ++k) data[rng() % data.size()] = static_cast<char>(rng());
    }
    for (const bool lazy : {false, true}) {
      StateBlock out;
      absl::Status s = DecodeStateBlock(kBlock, Bytes(data), &out, lazy);
      if (s.ok() && lazy) s = out.DecodeAllPayloads();
      if (!s.ok()) {
        EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
        EXPECT_NE(s.message().find("block 7: "), std::string_view::npos) << s;
        failed += lazy;
        continue;
      }
      std::string again;
      EncodeStateBlock(out, &again);
      StateBlock back;
      ASSERT_TRUE(DecodeStateBlock(kBlock, Bytes(again), &back).ok());
      ExpectSame(out, back);
    }
  }
  EXPECT_GT(failed, 1000);  // most damage is found
}

}  // namespace
}  // namespace carteira::store_internal
