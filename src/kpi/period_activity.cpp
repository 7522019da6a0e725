#include "carteira/kpi/period_activity.h"

#include <algorithm>
#include <limits>

#include "carteira/core/strings.h"

namespace carteira {

absl::StatusOr<PeriodActivity> ScanPeriod(const Portfolio& portfolio, DayNumber from, DayNumber to) {
  if (from == kNoDay || to == kNoDay) return absl::InvalidArgumentError("the period needs both dates");
  if (to < from) {
    return absl::InvalidArgumentError(StrCat("the period ends (", FormatDate(to), ") before it starts (",
                                             FormatDate(from), ")"));
  }
  PeriodActivity a;
  a.from = from;
  a.to = to;
  // Month bit of every day of the period, looked up per transaction
  // (cheaper than a calendar conversion a row).
  const Date first = ToDate(from), last = ToDate(to);
  const int months = (last.year() - first.year()) * 12 + (last.month() - first.month()) + 1;
  std::vector<std::uint64_t> bit;
  if (months <= kMaxCohortMonths) {
    bit.resize(static_cast<size_t>(to - from) + 1);
    for (int k = 0; k < months; ++k) {
      int y = first.year() + (first.month() - 1 + k) / 12;
      int m = (first.month() - 1 + k) % 12 + 1;
      a.month_start.push_back(DaysFromCivil(y, static_cast<unsigned>(m), 1));
    }
    for (int k = 0; k < months; ++k) {
      const DayNumber lo = std::max(a.month_start[k], from);
      const DayNumber hi = k + 1 < months ? a.month_start[k + 1] - 1 : to;
      for (DayNumber d = lo; d <= hi; ++d) bit[d - from] = std::uint64_t{1} << k;
    }
  }
  const size_t n = portfolio.customers().size();
  CustomerPeriod init;
  init.first_purchase = std::numeric_limits<DayNumber>::max();
  a.customers.assign(n, init);
  const TransactionTable& t = portfolio.transactions();
  const CustomerIndex* customer = t.customer.data();
  const DayNumber* date = t.date.data();
  const MinorUnits* amount = t.amount.data();
  const std::uint64_t* month_bit = bit.data();
  const bool track_months = !bit.empty();
  CustomerPeriod* state = a.customers.data();
  const size_t rows = t.size();
  // The per-customer state (32 MB for a million customers) does not stay in
  // cache, so each row's line is fetched a few rows ahead of its use.
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < rows; ++i) {
    if (i + kAhead < rows) __builtin_prefetch(state + customer[i + kAhead], 1);
    const DayNumber d = date[i];
    if (d > to) continue;
    CustomerPeriod& s = state[customer[i]];
    const MinorUnits m = amount[i];
    if (d >= from) {
      s.revenue += m;
      if (m < 0) continue;
      ++s.purchases;
      if (track_months) s.months |= month_bit[d - from];
      s.last_by_end = std::max(s.last_by_end, d);
    } else {
      if (m < 0) continue;
      s.last_before = std::max(s.last_before, d);
    }
    s.first_purchase = std::min(s.first_purchase, d);
  }
  for (CustomerPeriod& s : a.customers) {
    if (s.first_purchase == std::numeric_limits<DayNumber>::max()) s.first_purchase = kNoDay;
    if (s.last_by_end == kNoDay) s.last_by_end = s.last_before;
  }
  return a;
}

}  // namespace carteira
