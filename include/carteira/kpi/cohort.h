// Cohort retention by first-purchase month (docs/kpi.md): the customers
// whose first purchase ever falls in a month of the period form that
// month's cohort; cell [c][k] counts those with at least one purchase in
// the k-th month after it (k = 0 is the cohort month itself, so it is the
// whole cohort). Months are calendar months; the first and last months of
// the period may be partial, and a cohort's row stops at the period's end.
#ifndef CARTEIRA_KPI_COHORT_H_
#define CARTEIRA_KPI_COHORT_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/kpi/period_activity.h"

namespace carteira {

struct CohortMatrix {
  std::vector<DayNumber> month;  // first day of each cohort's month
  std::vector<std::int64_t> size;
  std::vector<std::vector<std::int64_t>> buyers;  // [cohort][k], k < months - cohort

  // buyers[c][k] / size[c]; absent for an empty cohort or a month outside the period.
  std::optional<double> Retention(size_t cohort, size_t k) const;
};

// Fails when the period spans more than kMaxCohortMonths months.
absl::StatusOr<CohortMatrix> CohortRetention(const PeriodActivity& activity);

}  // namespace carteira

#endif  // CARTEIRA_KPI_COHORT_H_
