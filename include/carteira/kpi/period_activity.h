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
#ifndef CARTEIRA_KPI_PERIOD_ACTIVITY_H_
#define CARTEIRA_KPI_PERIOD_ACTIVITY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"

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
  std::uint64_t months = 0;            // bit k: a purchase in the period's month k
};

struct PeriodActivity {
  DayNumber from = kNoDay, to = kNoDay;
  // Months of the period: month 0 holds `from`; month_start[k] is the first
  // day of month k (month 0's is the 1st of from's month). Empty when the
  // period spans more than kMaxCohortMonths months (no cohort matrix then).
  std::vector<DayNumber> month_start;
  std::vector<CustomerPeriod> customers;  // per customer index

  std::int32_t days() const { return to - from + 1; }
};

// Fails (InvalidArgument) when to < from or a date is missing.
absl::StatusOr<PeriodActivity> ScanPeriod(const Portfolio& portfolio, DayNumber from, DayNumber to);

}  // namespace carteira

#endif  // CARTEIRA_KPI_PERIOD_ACTIVITY_H_
