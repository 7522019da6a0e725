#include "carteira/summary/customer_summary.h"

#include <sys/mman.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <span>

namespace carteira {
namespace {

// How the summary keeps up with 10M rows of 1M customers in random order.
// Per-customer state for a million customers does not fit in cache, and
// updating it row by row costs a cache miss a row. So:
// 1. one sequential pass counts the rows of each block of kBlockCustomers
//    consecutive customers;
// 2. one scatter pass writes every row as 8 bytes (key = local customer and
//    day offset; amount as int32, with exact wide amounts in a side list)
//    into its block's slice, through per-block write-combining lanes so that
//    memory sees whole cache lines;
// 3. each block is summarised with everything in L2: its rows are radix-
//    sorted by day and walked once, which meets every customer's rows in
//    day order, folding them into the block's per-customer figures.
// The scratch is 8 bytes a row, half the raw column bytes.
constexpr int kBlockBits = 11;
constexpr std::uint32_t kBlockCustomers = 1u << kBlockBits;
constexpr int kDateBits = 32 - kBlockBits;  // 2^21 days: any two accepted dates fit
constexpr std::uint32_t kDateMask = (1u << kDateBits) - 1;

// Amounts outside int32 keep their sign in the scratch and their exact
// value in the side list.
constexpr std::int32_t kWideNegative = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kWidePositive = std::numeric_limits<std::int32_t>::max();
bool FitsNarrow(MinorUnits m) { return m > kWideNegative && m < kWidePositive; }

struct Row {
  std::uint32_t key;
  std::int32_t amount;
};

struct WideAmount {
  std::uint32_t block;
  std::uint32_t key;
  MinorUnits amount;
};

// Scratch memory for the scatter: not zero-filled (every slot is written
// before it is read) and backed by transparent huge pages where the kernel
// offers them, which saves tens of thousands of page faults on 10M rows.
template <typename T>
class ScratchArray {
 public:
  ScratchArray() = default;
  ~ScratchArray() { std::free(data_); }
  ScratchArray(const ScratchArray&) = delete;
  ScratchArray& operator=(const ScratchArray&) = delete;

  // Makes room for n elements, keeping the memory when there is enough.
  void Reserve(size_t n) {
    if (n <= capacity_ && data_ != nullptr) return;
    constexpr size_t kHuge = size_t{2} << 20;
    // aligned_alloc wants a multiple of the alignment; untouched pages cost nothing.
    const size_t bytes = std::max(kHuge, (n * sizeof(T) + kHuge - 1) / kHuge * kHuge);
    T* data = static_cast<T*>(std::aligned_alloc(kHuge, bytes));
    if (data == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(data, bytes, MADV_HUGEPAGE);  // advice only; failure is harmless
#endif
    std::free(data_);
    data_ = data;
    capacity_ = bytes / sizeof(T);
  }
  T* data() { return data_; }
  T& operator[](size_t i) { return data_[i]; }

 private:
  T* data_ = nullptr;
  size_t capacity_ = 0;
};

MinorUnits RoundedDivide(MinorUnits numerator, std::int64_t denominator) {
  const MinorUnits q = numerator / denominator;
  const MinorUnits r = numerator % denominator;
  if (2 * (r < 0 ? -r : r) >= denominator) return q + (numerator < 0 ? -1 : 1);
  return q;
}

int BitWidth(std::uint32_t v) {
  int bits = 0;
  for (; v != 0; v >>= 1) ++bits;
  return bits;
}

// Raw column pointers of a CustomerSummary being filled.
struct Columns {
  CustomerIndex* customer;
  DayNumber* first_purchase;
  DayNumber* last_purchase;
  std::int32_t* purchase_days;
  std::int32_t* x;
  double* t_x;
  double* T;
  MinorUnits* revenue;
  MinorUnits* average_ticket;
  double* zbar;
  double* median_gap_days;
  std::int32_t* days_since_last;
};

// Grows every column to at least `rows` (never shrinks: a reused result
// keeps its memory) and returns their data pointers.
Columns Presize(CustomerSummary& out, size_t rows) {
  auto grow = [rows](auto& column) {
    if (column.size() < rows) column.resize(rows);
    return column.data();
  };
  return Columns{grow(out.customer), grow(out.first_purchase), grow(out.last_purchase),
                 grow(out.purchase_days), grow(out.x), grow(out.t_x), grow(out.T),
                 grow(out.revenue), grow(out.average_ticket), grow(out.zbar),
                 grow(out.median_gap_days), grow(out.days_since_last)};
}

// Cuts every column to `rows`.
void Truncate(CustomerSummary& out, size_t rows) {
  out.ForEachColumn([rows](auto& column) { column.resize(rows); });
}

class BlockSummarizer {
 public:
  BlockSummarizer(DayNumber base_day, DayNumber as_of, TimeUnit unit, Columns out)
      : base_day_(base_day),
        as_of_(as_of),
        per_unit_(DaysPerUnit(unit)),
        in_days_(unit == TimeUnit::kDays),
        day_bits_(BitWidth(static_cast<std::uint32_t>(as_of - base_day))),
        out_(out) {}

  // Rows written so far.
  size_t rows() const { return rows_; }

  // Summarises customers [first_customer, first_customer + customers) from
  // their rows in any order; `wide` holds the exact amounts of the rows
  // whose amount did not fit in int32.
  void Run(CustomerIndex first_customer, std::uint32_t customers, std::span<Row> rows,
           std::span<const WideAmount> wide) {
    const Row* by_day = SortByDay(rows);
    figures_.assign(customers, Figures());
    // At most one gap a row: size once, append through a counter.
    gap_keys_.resize(rows.size() + 1);
    two_digit_gaps_ = day_bits_ > kDigit;
    gap_count_ = two_digit_gaps_ ? Walk<true>(by_day, rows.size()) : Walk<false>(by_day, rows.size());
    for (const WideAmount& w : wide) {
      Figures& f = figures_[w.key >> kDateBits];
      f.revenue += w.amount;
      if (w.amount < 0) continue;
      if ((w.key & kDateMask) != f.first) f.repeat_gross += w.amount;
    }
    // Every customer's gaps sorted at once (radix, like the rows): the
    // median is then an index, not a selection per customer.
    SortGapsByCustomer(customers);
    size_t g = 0;
    for (std::uint32_t c = 0; c < customers; ++c) {
      const Figures& f = figures_[c];
      if (f.days == 0) continue;
      const size_t n = static_cast<size_t>(f.days - 1);
      double median = std::numeric_limits<double>::quiet_NaN();
      if (n > 0) {
        const std::uint32_t* run = sorted_gaps_ + g;
        const std::uint32_t upper = run[n / 2] & kDateMask;
        median = n % 2 == 1 ? upper : 0.5 * (static_cast<double>(run[n / 2 - 1] & kDateMask) + upper);
      }
      g += n;
      Emit(first_customer + c, f, median);
    }
  }

 private:
  static constexpr int kDigit = 11;
  static constexpr std::uint32_t kRadix = 1u << kDigit;
  static constexpr int kMaxDigits = (kDateBits + kDigit - 1) / kDigit;
  static_assert(kMaxDigits <= 2, "gap histograms are kept for two digits");

  struct alignas(32) Figures {
    std::uint32_t first = 0, last = 0;
    std::int32_t days = 0;
    // Purchases on the days after the first, for zbar. 32 bytes in all:
    // two customers a cache line in the walk's random access.
    MinorUnits revenue = 0, repeat_gross = 0;
  };

  // Rows in day order reach each customer in day order too, so one walk
  // folds them into the block's per-customer figures (which stay in cache)
  // without sorting the rows by customer. Each gap between purchase-days
  // goes to gap_keys_ tagged with the customer, and into the histograms of
  // the gap sort. Returns the number of gaps.
  template <bool kTwoDigits>
  size_t Walk(const Row* rows, size_t n) {
    Figures* const figures = figures_.data();
    std::uint32_t* const keys = gap_keys_.data();
    std::uint32_t* const low = gap_count_by_digit_[0];
    std::uint32_t* const high = gap_count_by_digit_[1];
    std::fill(low, low + kRadix, 0u);
    if (kTwoDigits) std::fill(high, high + kRadix, 0u);
    size_t gaps = 0;
    for (size_t i = 0; i < n; ++i) {
      const std::uint32_t key = rows[i].key;
      const std::uint32_t day = key & kDateMask;
      const std::int32_t a = rows[i].amount;
      // A wide row counts here by its sign only; Run adds its money.
      const MinorUnits money = (a == kWideNegative || a == kWidePositive) ? 0 : a;
      Figures& f = figures[key >> kDateBits];
      f.revenue += money;
      if (a < 0) continue;  // a return: revenue only, never a purchase-day
      if (f.days == 0) {
        f.first = f.last = day;
        f.days = 1;
      } else if (day != f.last) {
        const std::uint32_t gap = day - f.last;
        keys[gaps++] = (key & ~kDateMask) | gap;
        ++low[gap & (kRadix - 1)];
        if (kTwoDigits) ++high[gap >> kDigit];
        f.last = day;
        ++f.days;
      }
      if (day != f.first) f.repeat_gross += money;
    }
    return gaps;
  }

  // LSD radix sort of gap_keys_ by gap (histograms counted by Add), then a
  // stable counting sort by customer (whose gap counts are days - 1):
  // sorted_gaps_ holds each customer's gaps as one ascending run, customers
  // in order.
  void SortGapsByCustomer(std::uint32_t customers) {
    const size_t n = gap_count_;
    const int digits = two_digit_gaps_ ? 2 : 1;
    gap_temp_.resize(n);
    std::uint32_t* in = gap_keys_.data();
    std::uint32_t* out = gap_temp_.data();
    for (int d = 0; d < digits; ++d) {
      std::uint32_t sum = 0;
      for (std::uint32_t r = 0; r < kRadix; ++r) sum += std::exchange(gap_count_by_digit_[d][r], sum);
      const int shift = d * kDigit;
      std::uint32_t* count = gap_count_by_digit_[d];
      // The gap is the key's low kDateBits; the customer above it must not
      // leak into the top digit, which Add counted from the gap alone.
      for (size_t i = 0; i < n; ++i) out[count[((in[i] & kDateMask) >> shift) & (kRadix - 1)]++] = in[i];
      std::swap(in, out);
    }
    gap_offset_.resize(customers);
    std::uint32_t sum = 0;
    for (std::uint32_t c = 0; c < customers; ++c) {
      gap_offset_[c] = sum;
      sum += figures_[c].days > 0 ? static_cast<std::uint32_t>(figures_[c].days - 1) : 0u;
    }
    sorted_gaps_ = out;  // the buffer the digit passes left free
    for (size_t i = 0; i < n; ++i) sorted_gaps_[gap_offset_[in[i] >> kDateBits]++] = in[i];
  }

  // LSD radix sort of the block's rows by day (the key's low bits), one
  // histogram read for all digits; the passes ping-pong between the
  // scratch slice itself and temp_. Returns where the sorted rows are.
  const Row* SortByDay(std::span<Row> rows) {
    const size_t n = rows.size();
    const int digits = (day_bits_ + kDigit - 1) / kDigit;
    temp_.resize(n);
    std::uint32_t count[kMaxDigits][kRadix];
    for (int d = 0; d < digits; ++d) std::fill(count[d], count[d] + kRadix, 0u);
    const Row* data = rows.data();
    if (digits == 1) {  // spans under 5.6 years: one digit, a tighter loop
      for (size_t i = 0; i < n; ++i) ++count[0][data[i].key & (kRadix - 1)];
    } else {
      for (size_t i = 0; i < n; ++i) {
        for (int d = 0; d < digits; ++d) ++count[d][(data[i].key >> (d * kDigit)) & (kRadix - 1)];
      }
    }
    Row* in = rows.data();
    Row* out = temp_.data();
    for (int d = 0; d < digits; ++d) {
      std::uint32_t sum = 0;
      for (std::uint32_t& c : count[d]) sum += std::exchange(c, sum);
      const int shift = d * kDigit;
      for (size_t i = 0; i < n; ++i) out[count[d][(in[i].key >> shift) & (kRadix - 1)]++] = in[i];
      std::swap(in, out);
    }
    return in;
  }

  void Emit(CustomerIndex customer, const Figures& f, double median_gap) {
    const DayNumber first = base_day_ + static_cast<DayNumber>(f.first);
    const DayNumber last = base_day_ + static_cast<DayNumber>(f.last);
    const std::int32_t x = f.days - 1;
    // Raw pointers into presized columns: twelve push_backs a customer
    // (each reloading its vector's end and capacity) showed in profiles.
    const size_t row = rows_++;
    out_.customer[row] = customer;
    out_.first_purchase[row] = first;
    out_.last_purchase[row] = last;
    out_.purchase_days[row] = f.days;
    out_.x[row] = x;
    // Dividing by 1.0 is exact, so days skip the division.
    const double t_x = static_cast<double>(last - first);
    const double T = static_cast<double>(as_of_ - first);
    out_.t_x[row] = in_days_ ? t_x : t_x / per_unit_;
    out_.T[row] = in_days_ ? T : T / per_unit_;
    out_.revenue[row] = f.revenue;
    out_.average_ticket[row] = f.days == 1 ? f.revenue : RoundedDivide(f.revenue, f.days);
    out_.zbar[row] = x > 0 ? ToMajor(f.repeat_gross) / x : 0.0;
    out_.median_gap_days[row] = median_gap;
    out_.days_since_last[row] = as_of_ - last;
  }

  DayNumber base_day_, as_of_;
  double per_unit_;
  bool in_days_;
  int day_bits_;
  Columns out_;
  size_t rows_ = 0;
  std::vector<Row> temp_;
  std::vector<Figures> figures_;
  std::vector<std::uint32_t> gap_keys_, gap_temp_, gap_offset_;
  std::uint32_t* sorted_gaps_ = nullptr;  // gap_keys_ or gap_temp_
  size_t gap_count_ = 0;
  bool two_digit_gaps_ = false;
  std::uint32_t gap_count_by_digit_[2][kRadix];
};



// Write-combining lane of one block: rows gather here and reach the scratch
// a cache line at a time.
constexpr std::uint32_t kLaneRows = 64 / sizeof(Row) * 4;  // four cache lines
struct alignas(64) Lane {
  Row rows[kLaneRows];
};
constexpr size_t kLineRows = 64 / sizeof(Row);
static_assert(sizeof(Lane) == sizeof(Row) * kLaneRows && kLaneRows % kLineRows == 0,
              "a lane is whole cache lines of rows");

// Copies a full lane to its (cache-line aligned) place in the scratch. With
// SSE2, streaming stores skip reading the destination lines into cache
// first, which would double the scatter's memory traffic.
inline void FlushLane(Row* to, const Lane& lane) {
#if defined(__SSE2__)
  const auto* from = reinterpret_cast<const __m128i*>(lane.rows);
  auto* dest = reinterpret_cast<__m128i*>(to);
  constexpr size_t kVectors = sizeof(Lane) / sizeof(__m128i);
  for (size_t i = 0; i < kVectors; ++i) {
    _mm_stream_si128(dest + i, _mm_load_si128(from + i));
  }
#else
  std::memcpy(to, lane.rows, sizeof lane.rows);
#endif
}

}  // namespace

struct SummaryWorkspace::Impl {
  ScratchArray<Row> rows;
};

SummaryWorkspace::SummaryWorkspace() : impl_(std::make_unique<Impl>()) {}
SummaryWorkspace::~SummaryWorkspace() = default;
SummaryWorkspace::SummaryWorkspace(SummaryWorkspace&&) noexcept = default;
SummaryWorkspace& SummaryWorkspace::operator=(SummaryWorkspace&&) noexcept = default;

std::string_view TimeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kWeeks:
      return "weeks";
    case TimeUnit::kMonths:
      return "months";
    default:
      return "days";
  }
}

double DaysPerUnit(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kWeeks:
      return 7.0;
    case TimeUnit::kMonths:
      return 365.25 / 12.0;
    default:
      return 1.0;
  }
}

absl::StatusOr<CustomerSummary> Summarize(const Portfolio& portfolio,
                                          const SummaryOptions& options) {
  CustomerSummary out;
  if (absl::Status s = SummarizeInto(portfolio, options, &out); !s.ok()) return s;
  return out;
}

absl::Status SummarizeInto(const Portfolio& portfolio, const SummaryOptions& options,
                           CustomerSummary* result, SummaryWorkspace* workspace) {
  if (result == nullptr) return absl::InvalidArgumentError("summary: result is null");
  if (options.as_of.is_special()) {
    result->clear();
    return absl::InvalidArgumentError("summary: as_of is not a date");
  }
  const DayNumber as_of = ToDayNumber(options.as_of);
  const TransactionTable& t = portfolio.transactions();
  const size_t n_customers = portfolio.customers().size();
  const size_t n_rows = t.size();
  const CustomerIndex* customer = t.customer.data();
  const DayNumber* date = t.date.data();
  const MinorUnits* amount = t.amount.data();
  const size_t n_blocks = (n_customers + kBlockCustomers - 1) / kBlockCustomers;

  // Pass 1: rows per block (up to as_of; slot n_blocks takes the rest) and
  // the earliest day, the base of the day offsets in the keys.
  std::vector<size_t> start(n_blocks + 2, 0);
  DayNumber base_day = as_of;
  for (size_t i = 0; i < n_rows; ++i) {
    const bool counted = date[i] <= as_of;
    start[(counted ? customer[i] >> kBlockBits : n_blocks) + 1] += 1;
    base_day = std::min(base_day, counted ? date[i] : as_of);
  }
  // Each block's slice starts on a cache line (8 rows), so that full lanes
  // can be written with streaming stores; `count` keeps the real sizes.
  std::vector<size_t> count(start.begin() + 1, start.end());
  size_t counted_rows = 0;
  for (size_t b = 0; b < n_blocks; ++b) counted_rows += count[b];
  start[0] = 0;
  for (size_t b = 1; b < start.size(); ++b) {
    start[b] = (start[b - 1] + count[b - 1] + kLineRows - 1) / kLineRows * kLineRows;
  }

  // Pass 2: scatter through the lanes. Rows after as_of go to the tail slot,
  // so the loop has no branch on them. Wide amounts are only flagged here
  // (a rare second pass collects them) to keep the loop's registers free.
  ScratchArray<Row> local_rows;
  ScratchArray<Row>& rows = workspace != nullptr ? workspace->impl().rows : local_rows;
  rows.Reserve(start[n_blocks + 1]);
  std::vector<WideAmount> wide;
  {
    std::vector<Lane> lane_storage(n_blocks + 1);
    std::vector<std::uint32_t> fill_storage(n_blocks + 1, 0);
    std::vector<size_t> head_storage(start.begin(), start.end() - 1);
    Lane* const lanes = lane_storage.data();
    std::uint32_t* const fill = fill_storage.data();
    size_t* const head = head_storage.data();
    Row* const out = rows.data();
    bool any_wide = false;
    for (size_t i = 0; i < n_rows; ++i) {
      const CustomerIndex c = customer[i];
      const DayNumber d = date[i];
      const MinorUnits m = amount[i];
      const size_t b = d <= as_of ? c >> kBlockBits : n_blocks;
      const std::uint32_t key = (c & (kBlockCustomers - 1)) << kDateBits |
                                (static_cast<std::uint32_t>(d - base_day) & kDateMask);
      const bool fits = FitsNarrow(m);
      any_wide |= !fits;
      const std::int32_t narrow =
          fits ? static_cast<std::int32_t>(m) : (m < 0 ? kWideNegative : kWidePositive);
      std::uint32_t k = fill[b];
      lanes[b].rows[k] = Row{key, narrow};
      if (++k == kLaneRows) {
        FlushLane(out + head[b], lanes[b]);
        head[b] += kLaneRows;
        k = 0;
      }
      fill[b] = k;
    }
#if defined(__SSE2__)
    _mm_sfence();  // order the streaming stores before the reads below
#endif
    for (size_t b = 0; b <= n_blocks; ++b) {
      std::memcpy(out + head[b], lanes[b].rows, fill[b] * sizeof(Row));
    }
    if (any_wide) [[unlikely]] {
      for (size_t i = 0; i < n_rows; ++i) {
        if (FitsNarrow(amount[i]) || date[i] > as_of) continue;
        const CustomerIndex c = customer[i];
        wide.push_back({c >> kBlockBits,
                        (c & (kBlockCustomers - 1)) << kDateBits |
                            (static_cast<std::uint32_t>(date[i] - base_day) & kDateMask),
                        amount[i]});
      }
    }
  }

  // Each block takes its wide amounts ordered by customer (then day).
  std::stable_sort(wide.begin(), wide.end(), [](const WideAmount& a, const WideAmount& b) {
    return a.block != b.block ? a.block < b.block : a.key < b.key;
  });

  CustomerSummary& out = *result;
  out.unit = options.unit;
  out.as_of = as_of;
  BlockSummarizer summarizer(base_day, as_of, options.unit,
                             Presize(out, std::min(n_customers, counted_rows)));
  size_t wide_at = 0;
  for (size_t b = 0; b < n_blocks; ++b) {
    size_t wide_end = wide_at;
    while (wide_end < wide.size() && wide[wide_end].block == b) ++wide_end;
    summarizer.Run(static_cast<CustomerIndex>(b * kBlockCustomers),
                   static_cast<std::uint32_t>(
                       std::min<size_t>(kBlockCustomers, n_customers - b * kBlockCustomers)),
                   std::span<Row>(rows.data() + start[b], count[b]),
                   std::span<const WideAmount>(wide.data() + wide_at, wide_end - wide_at));
    wide_at = wide_end;
  }
  Truncate(out, summarizer.rows());
  return absl::OkStatus();
}

}  // namespace carteira
