// RFM scores: recency, frequency and monetary value of every customer with
// a purchase, each scored 1 (worst) to 5 (best) by quintiles of the
// customers, from the per-customer summary (docs/segments.md).
//
// The figures, as of the summary's date:
//   recency   = days since the last purchase-day (fewer is better)
//   frequency = purchase-days (same-day purchases count once)
//   monetary  = net revenue (purchases minus returns), minor units
// over the whole history up to the date (a host that wants a window, say
// the last 12 months, summarises a portfolio holding that window).
//
// The quintile rule, one for the three scores and independent of row
// order: with n scored customers and L(v) the number of customers whose
// figure is strictly worse than v,
//   score(v) = 1 + floor(5 * L(v) / n)        (integer arithmetic)
// so tied customers always share a score, the worst value scores 1, and a
// score k means that between (k-1)/5 and k/5 of the customers are strictly
// worse. Heavy ties leave some scores unused (if 60% bought once, they all
// score F=1 and the next frequency scores 4): that is the price of never
// splitting a tie by an arbitrary order.
#ifndef CARTEIRA_SEGMENTS_RFM_H_
#define CARTEIRA_SEGMENTS_RFM_H_

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/summary/customer_summary.h"

namespace carteira {

inline constexpr int kRfmLevels = 5;

// One row per summary row (customers with a purchase on or before the
// date), in customer-index order.
struct RfmTable {
  DayNumber as_of = kNoDay;
  std::vector<CustomerIndex> customer;
  std::vector<std::int32_t> recency_days;
  std::vector<std::int32_t> frequency;
  std::vector<MinorUnits> monetary;
  std::vector<std::uint8_t> r, f, m;  // 1..5

  size_t size() const { return customer.size(); }
  // "545": the three scores as digits.
  int Code(size_t row) const { return r[row] * 100 + f[row] * 10 + m[row]; }
  // The combined FM score of the R x FM grid: ceil((f + m) / 2), 1..5.
  std::uint8_t FM(size_t row) const { return static_cast<std::uint8_t>((f[row] + m[row] + 1) / 2); }
};

// Scores every summarised customer.
RfmTable ScoreRfm(const CustomerSummary& summary);

// The quintile rule above on any figures: out[i] = 1 + floor(5 L / n),
// L = values strictly worse than values[i] (smaller when
// higher_is_better, larger otherwise). `out` is as long as `values`.
void QuintileScores(std::span<const std::int64_t> values, bool higher_is_better,
                    std::span<std::uint8_t> out);

// The rule split in two, for a population scored in parts (the partitions
// of a cluster): with t_k = ceil(k n / 5), score(v) >= k + 1 exactly when
// the t_k-th worst value is strictly worse than v, so the four values
// thresholds[k - 1] = the t_k-th worst (k = 1..4; worst = smallest when
// higher_is_better) fix every score. QuintileThresholds finds them in one
// population (InvalidArgument when it is empty); ScoreByQuintileThresholds
// scores any values by thresholds found elsewhere (e.g. from the merged
// histograms of every partition): out[i] = 1 + the thresholds strictly
// worse than values[i]. Thresholds must go from worst to best
// (InvalidArgument naming the first out of order). Scoring a population
// by its own thresholds is QuintileScores.
using QuintileThresholdValues = std::array<std::int64_t, kRfmLevels - 1>;
absl::StatusOr<QuintileThresholdValues> QuintileThresholds(std::span<const std::int64_t> values,
                                                           bool higher_is_better);
absl::Status ScoreByQuintileThresholds(std::span<const std::int64_t> values, bool higher_is_better,
                                       const QuintileThresholdValues& thresholds, std::span<std::uint8_t> out);

}  // namespace carteira

#endif  // CARTEIRA_SEGMENTS_RFM_H_
