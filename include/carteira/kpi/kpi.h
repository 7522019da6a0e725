// Portfolio KPIs over a period [from, to], overall and by rep, segment or
// region. Every figure is defined in docs/kpi.md (formula, denominator,
// edge cases); the short version:
//
//  customers     customers that exist by `to` (created_at on or before
//                it, unknown, or with a purchase by then)
//  active at d   a purchase-day p <= d with d - p <= active_window_days
//                (default 180: the status engine's default inactive_after,
//                so "active" = not yet inactive by fixed recency), or, when
//                status tables are given, status new, active, at_risk or
//                reactivated. S = active at the start (as of from - 1),
//                E = active at the end (as of to).
//  new           first purchase ever inside the period; N = new and in E
//  retained      in S and in E;  churned = in S, not in E
//  lapsed_start  bought before the period, not in S; reactivated = lapsed
//                at the start and bought in the period
//  retention_rate     (E - N) / S     churn_rate   churned / S
//  reactivation_rate  reactivated / lapsed_start
//  average_ticket     revenue / purchases (minor units, half away from 0)
//  purchase_frequency purchases / buyers
//  revenue_per_customer revenue / buyers (= ticket x frequency)
//  lifetime_observed_days  mean (last - first purchase) of the customers
//                with a purchase who are not in E (completed lifetimes)
//  lifetime_from_churn_days  period days / churn_rate
//  nps           100 (promoters - detractors) / answers, from each
//                customer's latest answer in the period (9-10 / 7-8 / 0-6)
//  positivacao   buyers / customers of the group (for a rep: the book at
//                `to`; a purchase anywhere in the period counts)
//  giro          moved / book_at_start: customers with a rep on the eve of
//                the period whose rep at `to` is another one (or none)
//  top20_share   revenue of the top ceil(20%) customers / total, over the
//                customers with positive revenue in the period
//  gini          Gini coefficient of those revenues
// A ratio whose denominator is 0 is absent (std::nullopt; null in JSON),
// never NaN and never a made-up 0.
#ifndef CARTEIRA_KPI_KPI_H_
#define CARTEIRA_KPI_KPI_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/kpi/period_activity.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_table.h"

namespace carteira {

enum class KpiGrouping : std::uint8_t { kNone, kRep, kSegment, kRegion };
std::string_view KpiGroupingName(KpiGrouping by);  // "", "rep", "segment", "region"
std::optional<KpiGrouping> ParseKpiGrouping(std::string_view name);

struct KpiOptions {
  std::int32_t active_window_days = 180;
  // Both or neither: "active" by the status engine, as of from - 1 and as
  // of to (StatusEngine::Classify), instead of the purchase window.
  const StatusTable* status_at_start = nullptr;
  const StatusTable* status_at_end = nullptr;
  // The average lifetime from a fitted model, if the host has one
  // (ExpectedLifetimeDays in kpi/lifetime.h); copied to every row.
  std::optional<double> model_lifetime_days;
};

struct KpiRow {
  std::string group;       // rep id, segment or region; "" = none / overall
  bool unassigned = false;  // the group of customers without a rep/segment/region
  std::int64_t customers = 0;
  std::int64_t active_start = 0;  // S
  std::int64_t active = 0;        // E
  std::int64_t new_customers = 0;
  std::int64_t new_active = 0;  // N
  std::int64_t retained = 0, churned = 0;
  std::int64_t lapsed_start = 0, reactivated = 0;
  std::int64_t buyers = 0, purchases = 0;
  MinorUnits revenue = 0;
  std::optional<double> retention_rate, churn_rate, reactivation_rate;
  std::optional<MinorUnits> average_ticket, revenue_per_customer;
  std::optional<double> purchase_frequency;
  std::optional<double> lifetime_observed_days, lifetime_from_churn_days, lifetime_model_days;
  std::int64_t answers = 0, promoters = 0, passives = 0, detractors = 0;
  std::optional<double> nps;
  std::optional<double> positivacao;
  std::int64_t book_at_start = 0, moved = 0;
  std::optional<double> giro;
  std::optional<double> top20_share, gini;
};

struct KpiReport {
  DayNumber from = kNoDay, to = kNoDay;
  KpiGrouping by = KpiGrouping::kNone;
  bool active_by_status = false;
  std::int32_t active_window_days = 180;
  KpiRow overall;
  // By rep: every rep of the portfolio in rep order (a rep with an empty
  // book too), then the unassigned customers if any. By segment or region:
  // the values in byte order, then the customers without one if any.
  std::vector<KpiRow> groups;
};

absl::StatusOr<KpiReport> ComputeKpis(const Portfolio& portfolio, const PeriodActivity& activity,
                                      const KpiOptions& options = {},
                                      KpiGrouping by = KpiGrouping::kNone);

// The same for several groupings at once (kNone for the overall row
// alone), sharing the work every grouping needs: one report per entry.
absl::StatusOr<std::vector<KpiReport>> ComputeKpis(const Portfolio& portfolio, const PeriodActivity& activity,
                                                   const KpiOptions& options,
                                                   std::span<const KpiGrouping> groupings);

// Each customer's rep on a day (the assignment with the latest `since` on
// or before it; the later-recorded one on a tie), kNoRep without one.
std::vector<RepIndex> RepsOn(const Portfolio& portfolio, DayNumber day);

}  // namespace carteira

#endif  // CARTEIRA_KPI_KPI_H_
