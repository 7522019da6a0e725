#include "carteira/opportunities/next_purchase.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "carteira/core/strings.h"
#include "carteira/models/rfm_data.h"
#include "carteira/summary/customer_summary.h"

namespace carteira {

std::string_view NextPurchaseBasisName(NextPurchaseBasis basis) {
  switch (basis) {
    case NextPurchaseBasis::kOnePurchase:
      return "one_purchase";
    case NextPurchaseBasis::kRhythm:
      return "rhythm";
    default:
      return "no_purchase";
  }
}

absl::Status NextPurchaseOptions::Validate() const {
  if (as_of == kNoDay) return absl::InvalidArgumentError("next purchase: the as-of date is required");
  if (max_gaps < 1 || max_gaps > 1000) {
    return absl::InvalidArgumentError(StrCat("next purchase: max_gaps must be between 1 and 1000, got ", max_gaps));
  }
  return absl::OkStatus();
}

namespace {

// Type-7 quantile of sorted values.
double Quantile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::int32_t RoundDays(double v) { return static_cast<std::int32_t>(std::round(v)); }

}  // namespace

absl::StatusOr<NextPurchaseTable> EstimateNextPurchase(const PurchaseHistory& history,
                                                       const NextPurchaseOptions& options) {
  if (auto s = options.Validate(); !s.ok()) return s;
  NextPurchaseTable t;
  t.as_of = options.as_of;
  const size_t n = history.customers();
  t.basis.assign(n, NextPurchaseBasis::kNoPurchase);
  t.last.assign(n, kNoDay);
  t.expected.assign(n, kNoDay);
  t.from.assign(n, kNoDay);
  t.to.assign(n, kNoDay);
  t.gaps.assign(n, 0);
  t.median_gap_days.assign(n, std::numeric_limits<double>::quiet_NaN());
  std::vector<double> gaps;
  for (size_t c = 0; c < n; ++c) {
    const auto days = history.days_until(static_cast<CustomerIndex>(c), options.as_of);
    if (days.empty()) continue;
    const DayNumber last = days.back();
    t.last[c] = last;
    if (days.size() == 1) {
      t.basis[c] = NextPurchaseBasis::kOnePurchase;
      continue;
    }
    const size_t used = std::min<size_t>(days.size() - 1, static_cast<size_t>(options.max_gaps));
    gaps.clear();
    for (size_t i = days.size() - used; i < days.size(); ++i) gaps.push_back(days[i] - days[i - 1]);
    std::sort(gaps.begin(), gaps.end());
    const size_t g = gaps.size();
    const double m = g % 2 == 1 ? gaps[g / 2] : (gaps[g / 2 - 1] + gaps[g / 2]) / 2;
    const double q1 = Quantile(gaps, 0.25), q3 = Quantile(gaps, 0.75);
    t.basis[c] = NextPurchaseBasis::kRhythm;
    t.gaps[c] = static_cast<std::int32_t>(g);
    t.median_gap_days[c] = m;
    t.expected[c] = last + RoundDays(m);
    t.from[c] = last + std::max(1, RoundDays(std::min(q1, 0.8 * m)));
    t.to[c] = last + std::max(RoundDays(std::max(q3, 1.2 * m)), t.from[c] - last);
  }
  return t;
}

absl::StatusOr<NextPurchaseTable> EstimateNextPurchase(const Portfolio& portfolio,
                                                       const NextPurchaseOptions& options) {
  if (auto s = options.Validate(); !s.ok()) return s;
  return EstimateNextPurchase(PurchaseHistory::Build(portfolio), options);
}

absl::Status AddModelView(const Portfolio& portfolio, const models::Model& model, std::int32_t horizon_days,
                          NextPurchaseTable* table) {
  if (model.kind() == models::ModelKind::kGammaGamma || model.kind() == models::ModelKind::kBgBb) {
    return absl::InvalidArgumentError(StrCat("next purchase: the ", models::ModelKindName(model.kind()),
                                             " model gives no P(alive) of a continuous-time buyer; use bgnbd, "
                                             "mbgnbd or paretonbd"));
  }
  if (horizon_days < 1 || horizon_days > 36500) {
    return absl::InvalidArgumentError(
        StrCat("next purchase: the horizon must be 1 to 36500 days, got ", horizon_days));
  }
  SummaryOptions options;
  options.as_of = ToDate(table->as_of);
  options.unit = model.unit();
  auto summary = Summarize(portfolio, options);
  if (!summary.ok()) return summary.status();
  const models::RfmData data = models::RfmFromSummary(*summary);
  std::vector<double> p_alive(data.size()), expected(data.size());
  if (absl::Status s = model.PAliveAndExpectedPurchases(data, models::Duration::Days(horizon_days), p_alive, expected);
      !s.ok()) {
    return s;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  table->p_alive.assign(table->size(), nan);
  table->expected_purchases.assign(table->size(), nan);
  table->expected_horizon_days = horizon_days;
  for (size_t i = 0; i < summary->size(); ++i) {
    const CustomerIndex c = summary->customer[i];
    if (c >= table->size()) continue;
    table->p_alive[c] = p_alive[i];
    table->expected_purchases[c] = expected[i];
  }
  return absl::OkStatus();
}

std::vector<CustomerIndex> EnteringWindow(const NextPurchaseTable& table, DayNumber week_start) {
  std::vector<CustomerIndex> out;
  for (size_t c = 0; c < table.size(); ++c) {
    if (table.basis[c] == NextPurchaseBasis::kRhythm && table.from[c] >= week_start && table.from[c] <= week_start + 6) {
      out.push_back(static_cast<CustomerIndex>(c));
    }
  }
  return out;
}

}  // namespace carteira
