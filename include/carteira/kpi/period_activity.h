// What every KPI of a period reads about each customer, gathered in one
// pass over the transactions (docs/kpi.md): the first purchase ever, the
// last purchase before the period and by its end, the purchases and net
// revenue inside it, and the months of the period with a purchase (for the
// cohort matrix). The KPIs, the cohort matrix, the ABC classes and the rep
// dashboard all start from it, so the transactions are read once.
//
// A purchase is a transaction with amount >= 0 (as in the summary); a
// return lowers revenue but is not a purchase. The period is [from, to],
// both days included; transactions after `to` are ignored.
//
// The scan also ranks the customers by period revenue, once, for the ABC
// classes and the revenue concentration (top-20% share, Gini).
#ifndef CARTEIRA_KPI_PERIOD_ACTIVITY_H_
#define CARTEIRA_KPI_PERIOD_ACTIVITY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/summary/customer_summary.h"

namespace carteira {

// The cohort matrix covers at most this many months (a bit each).
inline constexpr int kMaxCohortMonths = 64;

// 32 bytes a customer: the pass touches one cache line per transaction.
struct CustomerPeriod {
  DayNumber first_purchase = kNoDay;   // ever, on or before `to`
  DayNumber last_before = kNoDay;      // last purchase before `from`
  DayNumber last_by_end = kNoDay;      // last purchase on or before `to`
  std::int32_t purchases = 0;          // purchase transactions in the period
  MinorUnits revenue = 0;              // net, in the period
  // Bit k: a purchase in the period's month k; kept for the cohort members
  // only (first purchase inside the period: what the cohort matrix reads),
  // 0 for the others.
  std::uint64_t months = 0;
};

// A customer and its net revenue in the period.
struct RankedRevenue {
  CustomerIndex customer = 0;
  MinorUnits revenue = 0;
  friend bool operator==(const RankedRevenue&, const RankedRevenue&) = default;
};

struct PeriodActivity {
  DayNumber from = kNoDay, to = kNoDay;
  // Months of the period: month 0 holds `from`; month_start[k] is the first
  // day of month k (month 0's is the 1st of from's month). Empty when the
  // period spans more than kMaxCohortMonths months (no cohort matrix then).
  std::vector<DayNumber> month_start;
  std::vector<CustomerPeriod> customers;  // per customer index
  // The customers with positive net revenue in the period, largest first
  // (ties in index order): the one sort that the ABC classes
  // (ClassifyAbc(const PeriodActivity&)) and the KPIs' top-20% share and
  // Gini read.
  std::vector<RankedRevenue> by_revenue;

  std::int32_t days() const { return to - from + 1; }
};

// Fails (InvalidArgument) when to < from or a date is missing.
absl::StatusOr<PeriodActivity> ScanPeriod(const Portfolio& portfolio, DayNumber from, DayNumber to);

// The same result, faster, for a host that has the portfolio's summary as
// of `to` (Summarize): the first and last purchases come from it, so the
// scan keeps half the state per customer (docs/kpi.md, "Performance").
// InvalidArgument when the summary is not as of `to`; the summary must be
// of this portfolio as it is now. Periods of more than 32 months scan in
// full.
absl::StatusOr<PeriodActivity> ScanPeriod(const Portfolio& portfolio, const CustomerSummary& summary,
                                          DayNumber from, DayNumber to);

}  // namespace carteira

#endif  // CARTEIRA_KPI_PERIOD_ACTIVITY_H_
