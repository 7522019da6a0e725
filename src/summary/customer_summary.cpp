#include "carteira/summary/customer_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <span>

namespace carteira {
namespace {

// How the summary keeps up with 10M rows of 1M customers in random order.
// Per-customer state for a million customers does not fit in cache, and
// updating it row by row costs a cache miss a row. So:
// 1. one sequential pass counts the rows of each block of kBlockCustomers
//    consecutive customers;
// 2. one scatter pass writes every row as 8 bytes (a key: local customer
//    and day offset; the amount as int32, exact amounts that do not fit go
//    to a side list) into its block's slice;
// 3. each block is summarised with all its state in L2: the purchase keys
//    are radix-sorted (days, then customers), which orders each customer's
//    days without a comparison sort.
// The scratch is 8 bytes a row, half the raw column bytes.
constexpr int kBlockBits = 11;
constexpr std::uint32_t kBlockCustomers = 1u << kBlockBits;
constexpr int kDateBits = 32 - kBlockBits;  // 2^21 days: any two accepted dates fit
constexpr std::uint32_t kDateMask = (1u << kDateBits) - 1;
// Marks an amount that does not fit in int32; its exact value is in the
// side list. INT32_MIN itself is therefore always sent to the side list.
constexpr std::int32_t kWideAmount = std::numeric_limits<std::int32_t>::min();

struct WideAmount {
  size_t position;  // in the scratch arrays
  MinorUnits amount;
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

// LSD radix sort of `keys` on their low `bits` bits, through `temp`.
void RadixSortLowBits(std::vector<std::uint32_t>& keys, std::vector<std::uint32_t>& temp, int bits) {
  constexpr int kDigit = 11;
  constexpr std::uint32_t kRadix = 1u << kDigit;
  std::uint32_t count[kRadix];
  temp.resize(keys.size());
  for (int shift = 0; shift < bits; shift += kDigit) {
    std::fill(count, count + kRadix, 0u);
    for (const std::uint32_t k : keys) ++count[(k >> shift) & (kRadix - 1)];
    std::uint32_t sum = 0;
    for (std::uint32_t& c : count) {
      const std::uint32_t n = c;
      c = sum;
      sum += n;
    }
    for (const std::uint32_t k : keys) temp[count[(k >> shift) & (kRadix - 1)]++] = k;
    keys.swap(temp);
  }
}

// Median of small integer sets without data-dependent branches: the value
// whose rank (ties broken by position) is the middle one. Gap lists are
// short (a dozen), where this beats nth_element's mispredicted partitions.
double MedianOf(std::vector<DayNumber>& values) {
  const size_t n = values.size();
  if (n > 32) {
    const size_t mid = n / 2;
    std::nth_element(values.begin(), values.begin() + mid, values.end());
    const DayNumber upper = values[mid];
    if (n % 2 == 1) return upper;
    const DayNumber lower = *std::max_element(values.begin(), values.begin() + mid);
    return 0.5 * (static_cast<double>(lower) + upper);
  }
  DayNumber at_rank[32];
  for (size_t i = 0; i < n; ++i) {
    size_t rank = 0;
    for (size_t j = 0; j < n; ++j) {
      rank += (values[j] < values[i]) | ((values[j] == values[i]) & (j < i));
    }
    at_rank[rank] = values[i];
  }
  if (n % 2 == 1) return at_rank[n / 2];
  return 0.5 * (static_cast<double>(at_rank[n / 2 - 1]) + at_rank[n / 2]);
}

// Per-customer running figures of one block, in cache.
struct BlockState {
  std::uint32_t purchases[kBlockCustomers];
  std::uint32_t first[kBlockCustomers];  // day offsets
  std::uint32_t last[kBlockCustomers];
  MinorUnits revenue[kBlockCustomers];
  MinorUnits gross[kBlockCustomers];
  MinorUnits first_day_gross[kBlockCustomers];
};

class BlockSummarizer {
 public:
  BlockSummarizer(DayNumber base_day, DayNumber as_of, TimeUnit unit, CustomerSummary& out)
      : base_day_(base_day),
        as_of_(as_of),
        per_unit_(DaysPerUnit(unit)),
        day_bits_(BitWidth(static_cast<std::uint32_t>(as_of - base_day))),
        out_(out),
        state_(std::make_unique<BlockState>()) {}

  // Summarises customers [first_customer, first_customer + customers) from
  // their rows (keys and amounts, any order); `wide` holds, in position
  // order, the exact amounts that did not fit in int32.
  void Run(CustomerIndex first_customer, std::uint32_t customers,
           std::span<const std::uint32_t> keys, std::span<const std::int32_t> amounts,
           size_t first_position, std::span<const WideAmount> wide) {
    BlockState& s = *state_;
    std::fill(s.purchases, s.purchases + customers, 0u);
    std::fill(s.first, s.first + customers, kDateMask);
    std::fill(s.last, s.last + customers, 0u);
    std::fill(s.revenue, s.revenue + customers, 0);
    std::fill(s.gross, s.gross + customers, 0);
    std::fill(s.first_day_gross, s.first_day_gross + customers, 0);
    amount_.resize(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) amount_[i] = amounts[i];
    for (const WideAmount& w : wide) amount_[w.position - first_position] = w.amount;

    // Everything but the first day's value, without unpredictable branches.
    purchase_keys_.clear();
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::uint32_t key = keys[i];
      const std::uint32_t c = key >> kDateBits;
      const std::uint32_t day = key & kDateMask;
      const MinorUnits m = amount_[i];
      const bool purchase = m >= 0;  // returns lower revenue only
      s.revenue[c] += m;
      s.purchases[c] += purchase;
      s.gross[c] += purchase ? m : 0;
      s.first[c] = std::min(s.first[c], purchase ? day : kDateMask);
      s.last[c] = std::max(s.last[c], purchase ? day : 0u);
      if (purchase) purchase_keys_.push_back(key);
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::uint32_t c = keys[i] >> kDateBits;
      const MinorUnits m = amount_[i];
      s.first_day_gross[c] += (m >= 0 && (keys[i] & kDateMask) == s.first[c]) ? m : 0;
    }

    // Days ascending, then (stable) by customer: each customer's days are a
    // contiguous ascending run.
    RadixSortLowBits(purchase_keys_, temp_, day_bits_);
    temp_.resize(purchase_keys_.size());
    std::uint32_t offset[kBlockCustomers];
    std::uint32_t sum = 0;
    for (std::uint32_t c = 0; c < customers; ++c) {
      offset[c] = sum;
      sum += s.purchases[c];
    }
    for (const std::uint32_t k : purchase_keys_) temp_[offset[k >> kDateBits]++] = k;
    purchase_keys_.swap(temp_);

    size_t at = 0;
    for (std::uint32_t c = 0; c < customers; ++c) {
      const std::uint32_t n = s.purchases[c];
      if (n == 0) continue;
      const std::uint32_t* run = purchase_keys_.data() + at;
      at += n;
      gaps_.clear();
      std::uint32_t previous = run[0] & kDateMask;
      for (std::uint32_t k = 1; k < n; ++k) {
        const std::uint32_t d = run[k] & kDateMask;
        if (d != previous) {
          gaps_.push_back(static_cast<DayNumber>(d - previous));
          previous = d;
        }
      }
      Emit(first_customer + c, c, static_cast<std::int32_t>(gaps_.size()) + 1);
    }
  }

 private:
  void Emit(CustomerIndex customer, std::uint32_t c, std::int32_t days) {
    const BlockState& s = *state_;
    const double median_gap =
        gaps_.empty() ? std::numeric_limits<double>::quiet_NaN() : MedianOf(gaps_);
    const DayNumber first = base_day_ + static_cast<DayNumber>(s.first[c]);
    const DayNumber last = base_day_ + static_cast<DayNumber>(s.last[c]);
    const std::int32_t x = days - 1;
    out_.customer.push_back(customer);
    out_.first_purchase.push_back(first);
    out_.last_purchase.push_back(last);
    out_.purchase_days.push_back(days);
    out_.x.push_back(x);
    out_.t_x.push_back((last - first) / per_unit_);
    out_.T.push_back((as_of_ - first) / per_unit_);
    out_.revenue.push_back(s.revenue[c]);
    out_.average_ticket.push_back(RoundedDivide(s.revenue[c], days));
    out_.zbar.push_back(x > 0 ? ToMajor(s.gross[c] - s.first_day_gross[c]) / x : 0.0);
    out_.median_gap_days.push_back(median_gap);
    out_.days_since_last.push_back(as_of_ - last);
  }

  DayNumber base_day_, as_of_;
  double per_unit_;
  int day_bits_;
  CustomerSummary& out_;
  std::unique_ptr<BlockState> state_;
  std::vector<MinorUnits> amount_;
  std::vector<std::uint32_t> purchase_keys_, temp_;
  std::vector<DayNumber> gaps_;
};

void ReserveRows(CustomerSummary& out, size_t rows) {
  out.customer.reserve(rows);
  out.first_purchase.reserve(rows);
  out.last_purchase.reserve(rows);
  out.purchase_days.reserve(rows);
  out.x.reserve(rows);
  out.t_x.reserve(rows);
  out.T.reserve(rows);
  out.revenue.reserve(rows);
  out.average_ticket.reserve(rows);
  out.zbar.reserve(rows);
  out.median_gap_days.reserve(rows);
  out.days_since_last.reserve(rows);
}

}  // namespace

std::string_view TimeUnitName(TimeUnit unit) { return unit == TimeUnit::kWeeks ? "weeks" : "days"; }

double DaysPerUnit(TimeUnit unit) { return unit == TimeUnit::kWeeks ? 7.0 : 1.0; }

absl::StatusOr<CustomerSummary> Summarize(const Portfolio& portfolio,
                                          const SummaryOptions& options) {
  if (options.as_of.is_special()) {
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

  // Pass 1: rows per block (up to as_of; the last slot counts the rest) and
  // the earliest day, the base of the day offsets in the keys.
  std::vector<size_t> start(n_blocks + 2, 0);
  DayNumber base_day = as_of;
  for (size_t i = 0; i < n_rows; ++i) {
    const bool counted = date[i] <= as_of;
    start[(counted ? customer[i] >> kBlockBits : n_blocks) + 1] += 1;
    base_day = std::min(base_day, counted ? date[i] : as_of);
  }
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  const size_t counted_rows = start[n_blocks];

  // Pass 2: scatter. Rows after as_of go to a tail slot past the counted
  // rows, so the loop has no branch on them.
  std::vector<std::uint32_t> keys(n_rows);
  std::vector<std::int32_t> amounts(n_rows);
  std::vector<WideAmount> wide;
  {
    std::vector<size_t> head(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n_rows; ++i) {
      const CustomerIndex c = customer[i];
      const DayNumber d = date[i];
      const MinorUnits m = amount[i];
      const size_t b = d <= as_of ? c >> kBlockBits : n_blocks;
      const size_t at = head[b]++;
      keys[at] = (c & (kBlockCustomers - 1)) << kDateBits |
                 (static_cast<std::uint32_t>(d - base_day) & kDateMask);
      const bool fits = m > kWideAmount && m <= std::numeric_limits<std::int32_t>::max();
      amounts[at] = fits ? static_cast<std::int32_t>(m) : kWideAmount;
      if (!fits) [[unlikely]] wide.push_back({at, m});
    }
  }
  std::sort(wide.begin(), wide.end(),
            [](const WideAmount& a, const WideAmount& b) { return a.position < b.position; });

  CustomerSummary out;
  out.unit = options.unit;
  out.as_of = as_of;
  ReserveRows(out, std::min(n_customers, counted_rows));
  BlockSummarizer summarizer(base_day, as_of, options.unit, out);
  auto wide_at = wide.begin();
  for (size_t b = 0; b < n_blocks; ++b) {
    const size_t from = start[b], to = start[b + 1];
    auto wide_end = wide_at;
    while (wide_end != wide.end() && wide_end->position < to) ++wide_end;
    summarizer.Run(static_cast<CustomerIndex>(b * kBlockCustomers),
                   static_cast<std::uint32_t>(
                       std::min<size_t>(kBlockCustomers, n_customers - b * kBlockCustomers)),
                   std::span(keys).subspan(from, to - from),
                   std::span(amounts).subspan(from, to - from), from,
                   std::span<const WideAmount>(wide.data() + (wide_at - wide.begin()),
                                               static_cast<size_t>(wide_end - wide_at)));
    wide_at = wide_end;
  }
  return out;
}

}  // namespace carteira
