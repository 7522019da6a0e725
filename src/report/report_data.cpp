// ComputeReport: the figures of the report, from the engines (summary,
// status, RFM segments, period scan, KPIs, cohorts, rep dashboard).
#include <algorithm>

#include "carteira/core/strings.h"
#include "carteira/kpi/period_activity.h"
#include "carteira/report/report.h"
#include "carteira/status/status_engine.h"
#include "carteira/summary/customer_summary.h"
#include "src/io/utf8.h"

namespace carteira {
namespace {

// The Lorenz curve of the positive revenues (sorted ascending in place),
// sampled at about kLorenzPoints evenly spaced customer counts. The
// cumulative sums are exact (128-bit); only the shares are doubles.
std::vector<std::pair<double, double>> LorenzCurve(std::vector<MinorUnits>& revenue) {
  std::vector<std::pair<double, double>> points;
  const size_t k = revenue.size();
  if (k == 0) return points;
  std::sort(revenue.begin(), revenue.end());
  std::vector<__int128> cumulative(k + 1, 0);
  for (size_t i = 0; i < k; ++i) cumulative[i + 1] = cumulative[i] + revenue[i];
  const double total = static_cast<double>(cumulative[k]);
  const size_t steps = std::min(k, ReportData::kLorenzPoints);
  points.reserve(steps + 1);
  for (size_t s = 0; s <= steps; ++s) {
    const size_t i = (s * k + steps / 2) / steps;  // customers counted, rounded
    points.emplace_back(static_cast<double>(i) / static_cast<double>(k),
                        static_cast<double>(cumulative[i]) / total);
  }
  return points;
}

}  // namespace

absl::StatusOr<ReportData> ComputeReport(const Portfolio& portfolio, const ReportOptions& options) {
  if (!internal::IsValidUtf8(options.title)) return absl::InvalidArgumentError("the report's title is not valid UTF-8");
  if (!internal::IsValidUtf8(options.currency)) {
    return absl::InvalidArgumentError("the report's currency is not valid UTF-8");
  }
  ReportData data;
  data.as_of = options.as_of;
  if (data.as_of == kNoDay) {
    const auto& dates = portfolio.transactions().date;
    if (dates.empty()) {
      return absl::InvalidArgumentError("no transactions, so no default as-of date for the report; give one");
    }
    data.as_of = *std::max_element(dates.begin(), dates.end());
  }
  data.from = options.from == kNoDay ? data.as_of - (kReportDefaultPeriodDays - 1) : options.from;
  if (data.as_of < data.from) {
    return absl::InvalidArgumentError(StrCat("the report's period ends (", FormatDate(data.as_of),
                                             ") before it starts (", FormatDate(data.from), ")"));
  }
  data.customers = static_cast<std::int64_t>(portfolio.customers().size());
  data.reps = static_cast<std::int64_t>(portfolio.reps().size());
  data.transactions = static_cast<std::int64_t>(portfolio.transactions().size());

  // The snapshot as of as_of: summary, statuses, RFM segments.
  SummaryOptions summary_options;
  summary_options.as_of = ToDate(data.as_of);
  auto summary = Summarize(portfolio, summary_options);
  if (!summary.ok()) return summary.status();
  auto engine = StatusEngine::Create(portfolio, options.policy ? *options.policy : StatusPolicy::Default());
  if (!engine.ok()) return engine.status();
  StatusTable status;
  if (auto s = engine->ClassifyInto(*summary, &status); !s.ok()) return s;
  const auto counts = status.Counts();
  for (int k = 0; k < kStatusCount; ++k) data.status[k] = static_cast<std::int64_t>(counts[k]);

  const SegmentMap default_map = options.segment_map ? SegmentMap() : SegmentMap::Default();
  const SegmentMap& map = options.segment_map ? *options.segment_map : default_map;
  const RfmTable rfm = ScoreRfm(*summary);
  auto segments = AssignSegments(rfm, map);
  if (!segments.ok()) return segments.status();
  data.segment_names = segments->names;
  data.segment_counts = segments->counts;
  data.rfm_customers = static_cast<std::int64_t>(rfm.size());
  for (size_t i = 0; i < rfm.size(); ++i) ++data.rfm_grid[rfm.r[i] - 1][rfm.FM(i) - 1];
  const bool one_segment_a_cell = !map.UsesFandM();
  for (int r = 1; r <= kRfmLevels; ++r) {
    for (int fm = 1; fm <= kRfmLevels; ++fm) {
      int& cell = data.rfm_grid_segment[r - 1][fm - 1];
      cell = -1;
      if (!one_segment_a_cell) continue;
      // The first rule that matches the cell names it; the map reads only
      // r and fm, so any f and m with that fm do (f = m = fm).
      std::string_view name = map.fallback;
      for (const SegmentRule& rule : map.rules) {
        if (rule.Matches(r, fm, fm)) {
          name = rule.name;
          break;
        }
      }
      const auto it = std::find(data.segment_names.begin(), data.segment_names.end(), name);
      if (it != data.segment_names.end()) cell = static_cast<int>(it - data.segment_names.begin());
    }
  }

  // The period [from, as_of]: KPIs, cohorts, concentration, rep dashboard.
  auto activity = ScanPeriod(portfolio, data.from, data.as_of);
  if (!activity.ok()) return activity.status();
  auto kpis = ComputeKpis(portfolio, *activity);
  if (!kpis.ok()) return kpis.status();
  data.kpis = std::move(kpis->overall);
  auto cohorts = CohortRetention(*activity);
  if (cohorts.ok()) {
    data.cohorts = std::move(*cohorts);
  } else {
    data.cohort_error = std::string(cohorts.status().message());
  }
  std::vector<MinorUnits> positive;
  for (const CustomerPeriod& c : activity->customers) {
    if (c.revenue > 0) {
      positive.push_back(c.revenue);
      data.positive_revenue += c.revenue;
    }
  }
  data.revenue_customers = static_cast<std::int64_t>(positive.size());
  data.lorenz = LorenzCurve(positive);

  auto rows = RepDashboard(portfolio, *activity, status);
  if (!rows.ok()) return rows.status();
  data.rep_rows = std::move(*rows);
  const RepTable& reps = portfolio.reps();
  for (const RepDashboardRow& r : data.rep_rows) {
    data.rep_ids.emplace_back(r.rep == kNoRep ? std::string_view() : reps.id[r.rep]);
    data.rep_names.emplace_back(r.rep == kNoRep ? std::string_view() : reps.name[r.rep]);
  }
  return data;
}

}  // namespace carteira
