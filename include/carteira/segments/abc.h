// ABC (Pareto) classes by cumulative share of revenue over a period
// (docs/segments.md):
//  - only customers with positive net revenue in the period are classed;
//    the others (no purchase, or returns only) get kNone;
//  - customers are taken by revenue, largest first; tied revenues form
//    one group that is classed together (so row order never matters);
//  - a group whose cumulative revenue *before* it is below a_share of the
//    total is A, below a_share + b_share is B, otherwise C. The customer
//    that crosses 80% is therefore still A, and A holds at least 80%.
#ifndef CARTEIRA_SEGMENTS_ABC_H_
#define CARTEIRA_SEGMENTS_ABC_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/kpi/period_activity.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

enum class AbcClass : std::uint8_t { kNone = 0, kA = 1, kB = 2, kC = 3 };
// "A", "B", "C"; "" for kNone.
std::string_view AbcClassName(AbcClass c);

struct AbcOptions {
  double a_share = 0.80;  // A: the customers making the first 80% of revenue
  double b_share = 0.15;  // B: the next 15%; C: the rest (5%)
  absl::Status Validate() const;
  // "80/15/5" (percentages summing to 100).
  static absl::StatusOr<AbcOptions> Parse(std::string_view text);
};

struct AbcTable {
  std::vector<AbcClass> klass;  // per customer index
  MinorUnits total = 0;         // positive revenue of the classed customers
  std::array<std::int64_t, 4> customers{};  // by AbcClass value
  std::array<MinorUnits, 4> revenue{};
};

// Classes from each customer's revenue (revenue[i] is customer i's).
absl::StatusOr<AbcTable> ClassifyAbc(std::span<const MinorUnits> revenue, const AbcOptions& options = {});

// The same from a scanned period's revenues (CustomerPeriod::revenue),
// reusing the scan's ranking (PeriodActivity::by_revenue) instead of
// sorting again: what a dashboard that also computes the KPIs calls.
absl::StatusOr<AbcTable> ClassifyAbc(const PeriodActivity& activity, const AbcOptions& options = {});

// The same from a ranking made elsewhere: `by_revenue` holds the customers
// with positive revenue, largest first, ties in index order (as
// PeriodActivity::by_revenue), out of `customers` customers. The agenda
// ranks its customers once for both the classes and its priorities.
absl::StatusOr<AbcTable> ClassifyAbc(size_t customers, std::span<const RankedRevenue> by_revenue,
                                     const AbcOptions& options = {});

// Net revenue of every customer from the transactions dated in [from, to]
// (one entry per customer index). Fails when to < from.
absl::StatusOr<std::vector<MinorUnits>> PeriodRevenue(const Portfolio& portfolio, DayNumber from,
                                                      DayNumber to);

}  // namespace carteira

#endif  // CARTEIRA_SEGMENTS_ABC_H_
