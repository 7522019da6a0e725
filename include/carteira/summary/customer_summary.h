// Per-customer summary as of a date: the figures every other engine starts
// from (status rules, models, segments, KPIs).
//
// Definitions (docs/summary.md has them with examples):
// - Only transactions dated on or before `as_of` count.
// - A purchase is a transaction with amount >= 0; a return (amount < 0)
//   lowers revenue but is not a purchase.
// - Purchase-days: distinct days with at least one purchase (same-day
//   purchases merged, as the "buy 'til you die" models require).
// - x = repeat purchase-days = purchase_days - 1; t_x = last - first;
//   T = as_of - first (Fader & Hardie), in the chosen time unit.
// - revenue: sum of all amounts (net of returns), exact.
// - average_ticket: revenue / purchase_days, rounded half away from zero to
//   a minor unit.
// - zbar: mean value (gross purchases) of the repeat purchase-days, i.e.
//   excluding the first purchase-day; 0 when x = 0 (Gamma-Gamma's input).
// - median_gap_days: median of the gaps between consecutive purchase-days
//   (the mean of the two middle gaps for an even count); NaN below 2 days.
// Customers without a purchase on or before `as_of` (prospects, customers
// who start later) have no row.
#ifndef CARTEIRA_SUMMARY_CUSTOMER_SUMMARY_H_
#define CARTEIRA_SUMMARY_CUSTOMER_SUMMARY_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

// Time units of durations (t_x, T, model parameters, horizons). A month is
// 365.25 / 12 = 30.4375 days, the mean Gregorian month.
enum class TimeUnit { kDays, kWeeks, kMonths };

std::string_view TimeUnitName(TimeUnit unit);
double DaysPerUnit(TimeUnit unit);

struct SummaryOptions {
  Date as_of;
  TimeUnit unit = TimeUnit::kDays;  // for t_x and T
};

// Columnar result, one row per summarised customer, in customer-index order.
struct CustomerSummary {
  TimeUnit unit = TimeUnit::kDays;
  DayNumber as_of = kNoDay;
  std::vector<CustomerIndex> customer;
  std::vector<DayNumber> first_purchase, last_purchase;
  std::vector<std::int32_t> purchase_days;
  std::vector<std::int32_t> x;  // repeat purchase-days
  std::vector<double> t_x, T;   // in `unit`
  std::vector<MinorUnits> revenue;
  std::vector<MinorUnits> average_ticket;
  std::vector<double> zbar;  // major units
  std::vector<double> median_gap_days;
  std::vector<std::int32_t> days_since_last;

  size_t size() const { return customer.size(); }
  // Calls f(column) on every column, in declaration order.
  template <typename F>
  void ForEachColumn(F&& f) {
    f(customer);
    f(first_purchase);
    f(last_purchase);
    f(purchase_days);
    f(x);
    f(t_x);
    f(T);
    f(revenue);
    f(average_ticket);
    f(zbar);
    f(median_gap_days);
    f(days_since_last);
  }
  // Drops every row, keeping the columns' memory for reuse.
  void clear() {
    ForEachColumn([](auto& column) { column.clear(); });
  }
};

absl::StatusOr<CustomerSummary> Summarize(const Portfolio& portfolio,
                                          const SummaryOptions& options);

// Scratch memory of the summary (8 bytes a transaction), kept between calls
// by a host that summarises repeatedly (every day, or for several as-of
// dates): it saves allocating and faulting in that memory each time. One
// workspace serves one call at a time.
class SummaryWorkspace {
 public:
  SummaryWorkspace();
  ~SummaryWorkspace();
  SummaryWorkspace(SummaryWorkspace&&) noexcept;
  SummaryWorkspace& operator=(SummaryWorkspace&&) noexcept;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// The same into an existing result, reusing its columns' memory (and the
// workspace's, when given): a host that summarises every day in a
// long-running process saves the allocation and page faults of ~70 bytes a
// customer and 8 bytes a transaction. On error `result` is left empty.
absl::Status SummarizeInto(const Portfolio& portfolio, const SummaryOptions& options,
                           CustomerSummary* result, SummaryWorkspace* workspace = nullptr);

}  // namespace carteira

#endif  // CARTEIRA_SUMMARY_CUSTOMER_SUMMARY_H_
