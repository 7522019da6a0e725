#include "carteira/segments/abc.h"

#include <charconv>
#include <cmath>

#include "carteira/core/strings.h"
#include "src/kpi/revenue_ranking.h"

namespace carteira {

std::string_view AbcClassName(AbcClass c) {
  switch (c) {
    case AbcClass::kA:
      return "A";
    case AbcClass::kB:
      return "B";
    case AbcClass::kC:
      return "C";
    default:
      return "";
  }
}

absl::Status AbcOptions::Validate() const {
  if (!std::isfinite(a_share) || a_share <= 0 || a_share > 1) {
    return absl::InvalidArgumentError(StrCat("ABC: the A share must be above 0 and at most 1, got ", a_share));
  }
  if (!std::isfinite(b_share) || b_share < 0 || a_share + b_share > 1 + 1e-12) {
    return absl::InvalidArgumentError(
        StrCat("ABC: the B share must be at least 0 and A + B at most 1, got A ", a_share, ", B ", b_share));
  }
  return absl::OkStatus();
}

absl::StatusOr<AbcOptions> AbcOptions::Parse(std::string_view text) {
  int parts[3] = {0, 0, 0};
  size_t at = 0;
  for (int k = 0; k < 3; ++k) {
    const size_t end = k < 2 ? text.find('/', at) : text.size();
    if (end == std::string_view::npos) break;
    const std::string_view piece = text.substr(at, end - at);
    const auto r = std::from_chars(piece.data(), piece.data() + piece.size(), parts[k]);
    if (piece.empty() || r.ec != std::errc() || r.ptr != piece.data() + piece.size() || parts[k] < 0) {
      return absl::InvalidArgumentError(
          StrCat("ABC thresholds '", text, "': expected three whole percentages such as 80/15/5"));
    }
    at = end + 1;
    if (k == 2 && parts[0] + parts[1] + parts[2] != 100) {
      return absl::InvalidArgumentError(
          StrCat("ABC thresholds '", text, "': the percentages must sum to 100"));
    }
    if (k == 2) {
      AbcOptions options;
      options.a_share = parts[0] / 100.0;
      options.b_share = parts[1] / 100.0;
      if (auto s = options.Validate(); !s.ok()) return s;
      return options;
    }
  }
  return absl::InvalidArgumentError(
      StrCat("ABC thresholds '", text, "': expected three whole percentages such as 80/15/5"));
}

namespace {

// Classes `ranked` (the customers with positive revenue, largest first) out
// of `customers` customers.
AbcTable ClassifyRanked(size_t customers, std::span<const RankedRevenue> ranked, const AbcOptions& options) {
  AbcTable t;
  t.klass.assign(customers, AbcClass::kNone);
  for (const RankedRevenue& r : ranked) t.total += r.revenue;
  const double total = static_cast<double>(t.total);
  const double a_limit = options.a_share * total, b_limit = (options.a_share + options.b_share) * total;
  MinorUnits before = 0;
  size_t start = 0;
  while (start < ranked.size()) {
    size_t end = start + 1;
    while (end < ranked.size() && ranked[end].revenue == ranked[start].revenue) ++end;
    const double cum = static_cast<double>(before);
    const AbcClass k = cum < a_limit ? AbcClass::kA : cum < b_limit ? AbcClass::kB : AbcClass::kC;
    for (size_t i = start; i < end; ++i) {
      t.klass[ranked[i].customer] = k;
      before += ranked[i].revenue;
      ++t.customers[static_cast<size_t>(k)];
      t.revenue[static_cast<size_t>(k)] += ranked[i].revenue;
    }
    start = end;
  }
  t.customers[0] = static_cast<std::int64_t>(customers - ranked.size());
  return t;
}

}  // namespace

absl::StatusOr<AbcTable> ClassifyAbc(std::span<const MinorUnits> revenue, const AbcOptions& options) {
  if (auto s = options.Validate(); !s.ok()) return s;
  std::vector<RankedRevenue> ranked;
  for (size_t c = 0; c < revenue.size(); ++c) {
    if (revenue[c] > 0) ranked.push_back({static_cast<CustomerIndex>(c), revenue[c]});
  }
  internal::RankByRevenue(ranked);
  return ClassifyRanked(revenue.size(), ranked, options);
}

absl::StatusOr<AbcTable> ClassifyAbc(const PeriodActivity& activity, const AbcOptions& options) {
  if (auto s = options.Validate(); !s.ok()) return s;
  return ClassifyRanked(activity.customers.size(), activity.by_revenue, options);
}

absl::StatusOr<AbcTable> ClassifyAbc(size_t customers, std::span<const RankedRevenue> by_revenue,
                                     const AbcOptions& options) {
  if (auto s = options.Validate(); !s.ok()) return s;
  return ClassifyRanked(customers, by_revenue, options);
}

absl::StatusOr<std::vector<MinorUnits>> PeriodRevenue(const Portfolio& portfolio, DayNumber from,
                                                      DayNumber to) {
  if (to < from) {
    return absl::InvalidArgumentError(StrCat("the period ends (", FormatDate(to), ") before it starts (",
                                             FormatDate(from), ")"));
  }
  std::vector<MinorUnits> revenue(portfolio.customers().size(), 0);
  const TransactionTable& t = portfolio.transactions();
  for (size_t i = 0; i < t.size(); ++i) {
    const DayNumber d = t.date[i];
    if (d >= from && d <= to) revenue[t.customer[i]] += t.amount[i];
  }
  return revenue;
}

}  // namespace carteira
