// The report's SVG charts: horizontal bars, the R x FM grid, the cohort
// heatmap and the Lorenz curve. Each writes one
// <svg class="chart" data-chart="NAME" data-series="N"> whose drawn items
// carry the classes docs/report.md lists. Geometry is in doubles (pixels
// only); every number shown is formatted by the caller, from integers for
// money.
#ifndef CARTEIRA_SRC_REPORT_CHARTS_H_
#define CARTEIRA_SRC_REPORT_CHARTS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "carteira/report/markup.h"

namespace carteira::report {

// "#rrggbb" colours, shared by the charts and the tables' swatches.
std::string_view StatusColor(int status);
std::string_view SegmentColor(std::string_view name, size_t index);
inline constexpr std::string_view kRevenueColor = "#2563eb";
inline constexpr std::string_view kPositivacaoColor = "#0d9488";
inline constexpr std::string_view kMutedColor = "#94a3b8";
// Dark or white text, whichever reads on the background.
std::string_view TextColorOn(std::string_view background);

// At most `max_chars` code points of UTF-8 text, with "…" when cut.
std::string Truncate(std::string_view text, size_t max_chars);

// A value axis: its maximum and its ticks (value, label).
struct Axis {
  double max = 1;
  std::vector<std::pair<double, std::string>> ticks;
  std::string title;
};
// A 1-2-5 step that covers `max` in about four intervals (>= 1).
std::int64_t NiceStep(std::int64_t max);
// Ticks from 0 at NiceStep(max) up to at least `max`; `label` formats a
// tick value.
template <typename Format>
Axis NiceAxis(std::int64_t max, Format label, std::string title = {}) {
  const std::int64_t step = NiceStep(max);
  const std::int64_t top = max <= 0 ? step : (max + step - 1) / step * step;
  Axis axis;
  axis.title = std::move(title);
  axis.max = static_cast<double>(top);
  for (std::int64_t v = 0;; v += step) {
    axis.ticks.emplace_back(static_cast<double>(v), label(v));
    if (v >= top) break;
  }
  return axis;
}

struct Bar {
  std::string key;         // the data-KEY attribute's value (status, segment, rep id)
  std::string label;       // left of the bar
  std::string value_text;  // right of the bar
  std::string data_value;  // exact value for data-value
  std::string tooltip;     // <title>
  double value = 0;        // in axis units
  std::string_view color;
};

// One row a bar: <rect class="bar" data-KEY="..." data-value="...">.
void BarChart(MarkupWriter& w, std::string_view chart, std::string_view key_attribute, std::string_view aria_label,
              const std::vector<Bar>& bars, const Axis& axis, double width, double label_width);

// The R x FM grid: counts[r - 1][fm - 1], coloured by the cell's segment
// (its index, -1 for a neutral fill by count), names for the tooltips.
struct GridText {
  std::string aria_label, r_axis, fm_axis;
};
void RfmGrid(MarkupWriter& w, const std::array<std::array<std::int64_t, 5>, 5>& counts,
             const std::array<std::array<int, 5>, 5>& segment, const std::vector<std::string>& segment_keys,
             const std::vector<std::string>& segment_labels, const std::vector<std::string>& count_texts,
             const GridText& text);

// The cohort heatmap: one row per cohort, cells [c][k] for k < row length.
struct CohortRow {
  std::string label;       // the month
  std::string month_key;   // YYYY-MM
  std::string size_text;
  std::vector<std::optional<double>> retention;
  std::vector<std::string> cell_text;  // shown in the cell
  std::vector<std::string> tooltip;
};
struct HeatmapText {
  std::string aria_label, cohort, size, months_axis, empty;
};
void CohortHeatmap(MarkupWriter& w, const std::vector<CohortRow>& rows, size_t months, const HeatmapText& text);

// The Lorenz curve with the line of equality and the top-20% point.
struct LorenzText {
  std::string aria_label, x_axis, y_axis, equality, curve, top20_label, empty;
};
// `top20` is the point (share of customers, share of revenue) where the
// top 20% of the customers begin, if any.
void LorenzChart(MarkupWriter& w, const std::vector<std::pair<double, double>>& points,
                 const std::optional<std::pair<double, double>>& top20,
                 const std::vector<std::string>& percent_ticks, const LorenzText& text);

}  // namespace carteira::report

#endif  // CARTEIRA_SRC_REPORT_CHARTS_H_
