#include "carteira/summary/customer_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "carteira/core/strings.h"

namespace carteira {
namespace {

// Running figures per customer, filled in one pass over the transactions.
struct Accumulator {
  std::uint32_t purchases = 0;  // purchase rows up to as_of
  DayNumber first = std::numeric_limits<DayNumber>::max();
  DayNumber last = std::numeric_limits<DayNumber>::min();
  MinorUnits revenue = 0;        // all rows, net
  MinorUnits gross = 0;          // purchase rows
  MinorUnits first_day_gross = 0;
};

MinorUnits RoundedDivide(MinorUnits numerator, std::int64_t denominator) {
  const MinorUnits q = numerator / denominator;
  const MinorUnits r = numerator % denominator;
  if (2 * (r < 0 ? -r : r) >= denominator) return q + (numerator < 0 ? -1 : 1);
  return q;
}

// Sorts one customer's purchase dates; most customers have a handful, where
// insertion sort beats std::sort's set-up.
void SortSmall(DayNumber* begin, DayNumber* end) {
  if (end - begin > 32) {
    std::sort(begin, end);
    return;
  }
  for (DayNumber* i = begin + 1; i < end; ++i) {
    const DayNumber v = *i;
    DayNumber* j = i;
    while (j > begin && *(j - 1) > v) {
      *j = *(j - 1);
      --j;
    }
    *j = v;
  }
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

  // Pass 1: everything that does not need the dates in order.
  std::vector<Accumulator> acc(n_customers);
  for (size_t i = 0; i < n_rows; ++i) {
    const DayNumber d = date[i];
    if (d > as_of) continue;
    Accumulator& a = acc[customer[i]];
    const MinorUnits m = amount[i];
    a.revenue += m;
    if (m < 0) continue;
    ++a.purchases;
    a.gross += m;
    if (d < a.first) {
      a.first = d;
      a.first_day_gross = m;
    } else if (d == a.first) {
      a.first_day_gross += m;
    }
    a.last = std::max(a.last, d);
  }

  // Pass 2: scatter purchase dates into per-customer slices (counting sort
  // by customer). Only dates move; amounts were consumed above, which keeps
  // the scratch memory at 4 bytes a row.
  std::vector<std::uint32_t> offset(n_customers + 1, 0);
  for (size_t c = 0; c < n_customers; ++c) offset[c + 1] = offset[c] + acc[c].purchases;
  std::vector<DayNumber> dates(offset[n_customers]);
  {
    std::vector<std::uint32_t> head(offset.begin(), offset.end() - 1);
    for (size_t i = 0; i < n_rows; ++i) {
      const DayNumber d = date[i];
      if (d > as_of || amount[i] < 0) continue;
      dates[head[customer[i]]++] = d;
    }
  }

  size_t rows = 0;
  for (size_t c = 0; c < n_customers; ++c) rows += acc[c].purchases > 0;
  CustomerSummary out;
  out.unit = options.unit;
  out.as_of = as_of;
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

  const double per_unit = DaysPerUnit(options.unit);
  std::vector<DayNumber> gaps;
  for (size_t c = 0; c < n_customers; ++c) {
    const Accumulator& a = acc[c];
    if (a.purchases == 0) continue;
    DayNumber* begin = dates.data() + offset[c];
    DayNumber* end = dates.data() + offset[c + 1];
    std::int32_t days = 1;
    double median_gap = std::numeric_limits<double>::quiet_NaN();
    if (a.purchases > 1) {
      SortSmall(begin, end);
      DayNumber* unique_end = std::unique(begin, end);
      days = static_cast<std::int32_t>(unique_end - begin);
      if (days >= 2) {
        gaps.clear();
        for (DayNumber* p = begin + 1; p < unique_end; ++p) gaps.push_back(*p - *(p - 1));
        const size_t mid = gaps.size() / 2;
        std::nth_element(gaps.begin(), gaps.begin() + mid, gaps.end());
        const DayNumber upper = gaps[mid];
        if (gaps.size() % 2 == 1) {
          median_gap = upper;
        } else {
          const DayNumber lower = *std::max_element(gaps.begin(), gaps.begin() + mid);
          median_gap = 0.5 * (static_cast<double>(lower) + upper);
        }
      }
    }
    const std::int32_t x = days - 1;
    out.customer.push_back(static_cast<CustomerIndex>(c));
    out.first_purchase.push_back(a.first);
    out.last_purchase.push_back(a.last);
    out.purchase_days.push_back(days);
    out.x.push_back(x);
    out.t_x.push_back((a.last - a.first) / per_unit);
    out.T.push_back((as_of - a.first) / per_unit);
    out.revenue.push_back(a.revenue);
    out.average_ticket.push_back(RoundedDivide(a.revenue, days));
    out.zbar.push_back(x > 0 ? ToMajor(a.gross - a.first_day_gross) / x : 0.0);
    out.median_gap_days.push_back(median_gap);
    out.days_since_last.push_back(as_of - a.last);
  }
  return out;
}

}  // namespace carteira
