#include "carteira/kpi/period_activity.h"

#include <algorithm>
#include <limits>

#include "carteira/core/strings.h"
#include "src/core/huge_pages.h"
#include "src/kpi/revenue_ranking.h"

namespace carteira {
namespace {

constexpr DayNumber kNever = std::numeric_limits<DayNumber>::max();

absl::Status CheckPeriod(DayNumber from, DayNumber to) {
  if (from == kNoDay || to == kNoDay) return absl::InvalidArgumentError("the period needs both dates");
  if (to < from) {
    return absl::InvalidArgumentError(StrCat("the period ends (", FormatDate(to), ") before it starts (",
                                             FormatDate(from), ")"));
  }
  return absl::OkStatus();
}

// The period's months (month_start) and the month bit of each of its days,
// looked up per transaction (cheaper than a calendar conversion a row);
// empty beyond kMaxCohortMonths months.
std::vector<std::uint64_t> MonthBits(PeriodActivity& a) {
  const Date first = ToDate(a.from), last = ToDate(a.to);
  const int months = (last.year() - first.year()) * 12 + (last.month() - first.month()) + 1;
  std::vector<std::uint64_t> bit;
  if (months > kMaxCohortMonths) return bit;
  bit.resize(static_cast<size_t>(a.to - a.from) + 1);
  for (int k = 0; k < months; ++k) {
    int y = first.year() + (first.month() - 1 + k) / 12;
    int m = (first.month() - 1 + k) % 12 + 1;
    a.month_start.push_back(DaysFromCivil(y, static_cast<unsigned>(m), 1));
  }
  for (int k = 0; k < months; ++k) {
    const DayNumber lo = std::max(a.month_start[k], a.from);
    const DayNumber hi = k + 1 < months ? a.month_start[k + 1] - 1 : a.to;
    for (DayNumber d = lo; d <= hi; ++d) bit[d - a.from] = std::uint64_t{1} << k;
  }
  return bit;
}

// The ranking of the customers with positive revenue.
void Rank(PeriodActivity& a, std::vector<RankedRevenue>& positive) {
  internal::RankByRevenue(positive);
  a.by_revenue = std::move(positive);
}

}  // namespace

absl::StatusOr<PeriodActivity> ScanPeriod(const Portfolio& portfolio, DayNumber from, DayNumber to) {
  if (auto s = CheckPeriod(from, to); !s.ok()) return s;
  PeriodActivity a;
  a.from = from;
  a.to = to;
  const std::vector<std::uint64_t> bit = MonthBits(a);
  const size_t n = portfolio.customers().size();
  CustomerPeriod init;
  init.first_purchase = kNever;
  internal::ReserveOnHugePages(a.customers, n);
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
  std::vector<RankedRevenue> positive;
  internal::ReserveOnHugePages(positive, n);  // address space: pages are touched as it fills
  for (size_t c = 0; c < n; ++c) {
    CustomerPeriod& s = state[c];
    if (s.first_purchase == kNever) s.first_purchase = kNoDay;
    if (s.last_by_end == kNoDay) s.last_by_end = s.last_before;
    if (s.first_purchase == kNoDay || s.first_purchase < from) s.months = 0;  // not a cohort member
    if (s.revenue > 0) positive.push_back({static_cast<CustomerIndex>(c), s.revenue});
  }
  Rank(a, positive);
  return a;
}

absl::StatusOr<PeriodActivity> ScanPeriod(const Portfolio& portfolio, const CustomerSummary& summary,
                                          DayNumber from, DayNumber to) {
  if (auto s = CheckPeriod(from, to); !s.ok()) return s;
  if (summary.as_of != to) {
    return absl::InvalidArgumentError(StrCat("the summary is as of ", FormatDate(summary.as_of),
                                             ", the period ends on ", FormatDate(to)));
  }
  const size_t n = portfolio.customers().size();
  if (summary.size() > n || (summary.size() > 0 && summary.customer.back() >= n)) {
    return absl::FailedPreconditionError("the summary is of another portfolio (customer indices differ)");
  }
  PeriodActivity a;
  a.from = from;
  a.to = to;
  const std::vector<std::uint64_t> bit = MonthBits(a);
  // A cohort member's month bits share a 32-bit field with the others'
  // last purchase before the period; a longer period scans in full.
  if (a.month_start.size() > 32 || bit.empty()) return ScanPeriod(portfolio, from, to);

  // 16 bytes a customer instead of CustomerPeriod's 32: the first and last
  // purchase come from the summary, so a row only adds to the revenue and
  // purchases of the period, or raises the last purchase before it; a
  // cohort member (first purchase in the period, so none before it) keeps
  // its month bits in that field instead, flagged by a purchase count
  // started at INT32_MIN. Half the state is half the cache misses: 1.3x
  // faster on a quiet machine, 1.5x when other processes share the cache.
  struct Working {
    MinorUnits revenue;
    std::int32_t purchases;  // from INT32_MIN for a cohort member
    std::int32_t aux;        // last purchase before the period, or month bits
  };
  constexpr std::int32_t kCohort = std::numeric_limits<std::int32_t>::min();
  std::vector<Working> work;
  internal::ReserveOnHugePages(work, n);
  work.assign(n, Working{0, 0, kNoDay});
  for (size_t r = 0; r < summary.size(); ++r) {
    if (summary.first_purchase[r] >= from) work[summary.customer[r]] = Working{0, kCohort, 0};
  }
  const TransactionTable& t = portfolio.transactions();
  const CustomerIndex* customer = t.customer.data();
  const DayNumber* date = t.date.data();
  const MinorUnits* amount = t.amount.data();
  const std::uint64_t* month_bit = bit.data();
  Working* state = work.data();
  const size_t rows = t.size();
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < rows; ++i) {
    if (i + kAhead < rows) __builtin_prefetch(state + customer[i + kAhead], 1);
    const DayNumber d = date[i];
    if (d > to) continue;
    Working& s = state[customer[i]];
    const MinorUnits m = amount[i];
    if (d >= from) {
      s.revenue += m;
      if (m < 0) continue;
      const std::int32_t cohort = s.purchases >> 31;  // all ones for a cohort member
      ++s.purchases;
      s.aux |= static_cast<std::int32_t>(month_bit[d - from]) & cohort;
    } else if (m >= 0) {
      s.aux = std::max(s.aux, d);
    }
  }
  internal::ReserveOnHugePages(a.customers, n);  // written once, below
  std::vector<RankedRevenue> positive;
  internal::ReserveOnHugePages(positive, n);
  size_t r = 0;
  for (size_t c = 0; c < n; ++c) {
    const Working& w = work[c];
    CustomerPeriod& s = a.customers.emplace_back();
    const bool cohort = w.purchases < 0;
    s.revenue = w.revenue;
    s.purchases = cohort ? w.purchases - kCohort : w.purchases;
    if (r < summary.size() && summary.customer[r] == c) {
      s.first_purchase = summary.first_purchase[r];
      s.last_by_end = summary.last_purchase[r];
      ++r;
    }
    if (cohort) {
      s.months = static_cast<std::uint32_t>(w.aux);
    } else {
      s.last_before = w.aux;
    }
    if (s.revenue > 0) positive.push_back({static_cast<CustomerIndex>(c), s.revenue});
  }
  Rank(a, positive);
  return a;
}

}  // namespace carteira
