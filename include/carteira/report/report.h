// The portfolio report: one self-contained HTML file (inline CSS and SVG;
// no script, font, image or anything else fetched) with the status
// distribution, the RFM segments and their R x FM map, the cohort
// retention heatmap, the revenue concentration (Lorenz) curve with the
// top-20% share and Gini, the per-rep revenue and positivação, and the
// tables of the period's KPIs and of the rep dashboard (docs/report.md).
//
// Two steps, so that a host can test or reuse the figures: ComputeReport
// gathers them from the engines (a pure function of the portfolio and the
// options) and RenderReport writes the HTML. Same input, same bytes: the
// only date in the output is the as-of date, and every list is in a fixed
// order (status order, the segment map's order, rep order).
//
// Every chart is an <svg class="chart" data-chart="NAME" data-series="N">
// whose drawn items carry a class and data attributes a test can count
// (docs/report.md lists them): one rect.bar per status, per segment and
// per rep, one rect.cell per R x FM cell and per cohort-month, the two
// path.curve of the Lorenz chart.
#ifndef CARTEIRA_REPORT_REPORT_H_
#define CARTEIRA_REPORT_REPORT_H_

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/kpi/cohort.h"
#include "carteira/kpi/kpi.h"
#include "carteira/kpi/rep_dashboard.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/report/locale_format.h"
#include "carteira/segments/rfm.h"
#include "carteira/segments/segment_map.h"
#include "carteira/status/status.h"
#include "carteira/status/status_policy.h"

namespace carteira {

// The default period: the 365 days ending at the as-of date.
inline constexpr std::int32_t kReportDefaultPeriodDays = 365;

struct ReportOptions {
  // The report's date: statuses, RFM segments and the reps' books are as of
  // it, and it ends the period. kNoDay: the last transaction date (an
  // error when there is none).
  DayNumber as_of = kNoDay;
  // First day of the period [from, as_of] of the KPIs, cohorts,
  // concentration and the reps' revenue. kNoDay: as_of - 364.
  DayNumber from = kNoDay;
  ReportLanguage language = ReportLanguage::kPtBr;
  std::string currency = "R$";  // before every amount; "" for none
  std::string title;            // "": "Relatório da carteira" / "Portfolio report"
  const StatusPolicy* policy = nullptr;     // nullptr: StatusPolicy::Default()
  const SegmentMap* segment_map = nullptr;  // nullptr: SegmentMap::Default()
};

// The figures the report shows.
struct ReportData {
  DayNumber as_of = kNoDay, from = kNoDay;
  std::int64_t customers = 0, reps = 0, transactions = 0;  // rows of the portfolio

  // Customers by status as of as_of (default policy unless given).
  std::array<std::int64_t, kStatusCount> status{};

  // RFM segments as of as_of: the map's names, the customers in each, and
  // the customers per R x FM cell ([r - 1][fm - 1]).
  std::vector<std::string> segment_names;
  std::vector<std::int64_t> segment_counts;
  std::int64_t rfm_customers = 0;
  std::array<std::array<std::int64_t, kRfmLevels>, kRfmLevels> rfm_grid{};
  // The segment of each R x FM cell (index in segment_names) when the map
  // reads only r and fm, so that a cell has one segment; -1 otherwise.
  std::array<std::array<int, kRfmLevels>, kRfmLevels> rfm_grid_segment{};

  // The period's KPIs, overall (docs/kpi.md).
  KpiRow kpis;
  // The cohort matrix, or why there is none (a period beyond 64 months).
  std::optional<CohortMatrix> cohorts;
  std::string cohort_error;

  // The Lorenz curve of the customers with positive revenue in the
  // period, ascending: (share of customers, share of revenue) from (0, 0)
  // to (1, 1), at most kLorenzPoints + 1 points (exact sums, sampled).
  static constexpr size_t kLorenzPoints = 200;
  std::vector<std::pair<double, double>> lorenz;
  std::int64_t revenue_customers = 0;  // customers with positive revenue
  MinorUnits positive_revenue = 0;     // their revenue

  // The rep dashboard (every rep in rep order, then the unassigned), with
  // the reps' ids and names ("" for the unassigned row).
  std::vector<RepDashboardRow> rep_rows;
  std::vector<std::string> rep_ids, rep_names;
};

// Fails with InvalidArgument when the period ends before it starts, no
// as-of date can be found, or the title or currency is not UTF-8; and
// with the engines' errors (an invalid policy or segment map).
absl::StatusOr<ReportData> ComputeReport(const Portfolio& portfolio, const ReportOptions& options = {});

// The HTML document (UTF-8), in options.language with options.currency
// and options.title.
std::string RenderReport(const ReportData& data, const ReportOptions& options = {});

// ComputeReport then RenderReport into `out`.
absl::Status WriteReport(const Portfolio& portfolio, const ReportOptions& options, std::ostream& out);

// Writes the report to `path` atomically: into a temporary file next to
// it, flushed, then renamed over `path`. On any failure nothing is left
// behind (no temporary file, `path` untouched) and the error names `path`.
absl::Status WriteReportFile(const Portfolio& portfolio, const ReportOptions& options, const std::string& path);
// The same for figures computed already.
absl::Status WriteReportFile(const ReportData& data, const ReportOptions& options, const std::string& path);

}  // namespace carteira

#endif  // CARTEIRA_REPORT_REPORT_H_
