#include "carteira/kpi/cohort.h"

#include <algorithm>
#include <bit>

#include "carteira/core/strings.h"

namespace carteira {

std::optional<double> CohortMatrix::Retention(size_t cohort, size_t k) const {
  if (cohort >= size.size() || k >= buyers[cohort].size() || size[cohort] == 0) return std::nullopt;
  return static_cast<double>(buyers[cohort][k]) / static_cast<double>(size[cohort]);
}

absl::StatusOr<CohortMatrix> CohortRetention(const PeriodActivity& a) {
  if (a.month_start.empty()) {
    return absl::InvalidArgumentError(StrCat("the cohort matrix covers at most ", kMaxCohortMonths,
                                             " months; the period ", FormatDate(a.from), " to ",
                                             FormatDate(a.to), " is longer"));
  }
  const size_t months = a.month_start.size();
  CohortMatrix m;
  m.month = a.month_start;
  m.size.assign(months, 0);
  m.buyers.resize(months);
  for (size_t c = 0; c < months; ++c) m.buyers[c].assign(months - c, 0);
  for (const CustomerPeriod& s : a.customers) {
    if (s.first_purchase == kNoDay || s.first_purchase < a.from) continue;
    // The first purchase is in the period, so its month's bit is the lowest.
    const int cohort = std::countr_zero(s.months);
    ++m.size[cohort];
    for (std::uint64_t bits = s.months >> cohort; bits != 0; bits &= bits - 1) {
      ++m.buyers[cohort][std::countr_zero(bits)];
    }
  }
  return m;
}

}  // namespace carteira
