#include "src/report/charts.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"

namespace carteira::report {
namespace {

using N = std::string;  // an SVG number, from SvgNumber
N Num(double v) { return SvgNumber(v); }

constexpr std::string_view kGridColor = "#e5e7eb";
constexpr std::string_view kAxisColor = "#9ca3af";

struct Rgb {
  int r, g, b;
};
Rgb ParseHex(std::string_view hex) {
  auto nibble = [](char c) { return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0'; };
  if (hex.size() != 7 || hex[0] != '#') return {0, 0, 0};
  return {nibble(hex[1]) * 16 + nibble(hex[2]), nibble(hex[3]) * 16 + nibble(hex[4]),
          nibble(hex[5]) * 16 + nibble(hex[6])};
}
std::string Hex(const Rgb& c) { return absl::StrFormat("#%02x%02x%02x", c.r, c.g, c.b); }

// The sequential scale of the heatmaps: t in [0, 1] from a pale to a deep blue.
std::string Heat(double t) {
  t = std::clamp(t, 0.0, 1.0);
  constexpr Rgb lo{239, 246, 255}, hi{30, 64, 175};
  auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
  return Hex({mix(lo.r, hi.r), mix(lo.g, hi.g), mix(lo.b, hi.b)});
}

void OpenChart(MarkupWriter& w, std::string_view chart, size_t series, double width, double height,
               std::string_view aria_label) {
  w.Open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"class", "chart"},
                 {"data-chart", chart},
                 {"data-series", std::to_string(series)},
                 {"viewBox", StrCat("0 0 ", Num(width), " ", Num(height))},
                 {"width", Num(width)},
                 {"height", Num(height)},
                 {"role", "img"},
                 {"aria-label", aria_label}});
  w.Element("title", {}, aria_label);
}

void TitledRect(MarkupWriter& w, MarkupWriter::Attributes attributes, std::string_view tooltip) {
  w.Open("rect", attributes);
  w.Element("title", {}, tooltip);
  w.Close("rect");
}

}  // namespace

std::string_view StatusColor(int status) {
  // prospect, new, active, at_risk, inactive, lost, reactivated
  static constexpr std::array<std::string_view, 7> kColors = {"#94a3b8", "#38bdf8", "#16a34a", "#eab308",
                                                              "#f97316", "#dc2626", "#8b5cf6"};
  return status >= 0 && status < static_cast<int>(kColors.size()) ? kColors[status] : kMutedColor;
}

std::string_view SegmentColor(std::string_view name, size_t index) {
  // The default map's segments, from the best (deep green) to the gone
  // (slate), so that the colour says how good a segment is.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kKnown = {{
      {"champions", "#15803d"},
      {"loyal", "#22c55e"},
      {"potential_loyalist", "#84cc16"},
      {"new", "#0ea5e9"},
      {"promising", "#60a5fa"},
      {"need_attention", "#eab308"},
      {"about_to_sleep", "#f59e0b"},
      {"at_risk", "#f97316"},
      {"cant_lose", "#dc2626"},
      {"hibernating", "#a8a29e"},
      {"lost", "#64748b"},
      {"unclassified", "#cbd5e1"},
  }};
  for (const auto& [known, color] : kKnown) {
    if (known == name) return color;
  }
  // Other maps: Tableau 10, by the segment's place in the map.
  static constexpr std::array<std::string_view, 10> kPalette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                                                "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                                                "#9c755f", "#bab0ac"};
  return kPalette[index % kPalette.size()];
}

std::string_view TextColorOn(std::string_view background) {
  const Rgb c = ParseHex(background);
  const double luminance = (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255.0;
  return luminance > 0.6 ? "#111827" : "#ffffff";
}

std::string Truncate(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) return StrCat(text.substr(0, i), "\xE2\x80\xA6");
    ++chars;
  }
  return std::string(text);
}

std::int64_t NiceStep(std::int64_t max) {
  if (max <= 4) return 1;
  for (std::int64_t magnitude = 1;; magnitude *= 10) {
    for (const std::int64_t m : {1, 2, 5}) {
      if (magnitude * m >= (max + 3) / 4) return magnitude * m;
    }
    if (magnitude > std::numeric_limits<std::int64_t>::max() / 100) return magnitude * 10;
  }
}

void BarChart(MarkupWriter& w, std::string_view chart, std::string_view key_attribute, std::string_view aria_label,
              const std::vector<Bar>& bars, const Axis& axis, double width, double label_width) {
  constexpr double kTop = 6, kRow = 26, kBar = 16, kTickArea = 22, kValueArea = 116;
  const double title_area = axis.title.empty() ? 0 : 18;
  const double plot_x = label_width, plot_w = width - label_width - kValueArea;
  const double plot_h = std::max<size_t>(bars.size(), 1) * kRow;
  const double height = kTop + plot_h + kTickArea + title_area + 4;
  const double axis_max = axis.max > 0 ? axis.max : 1;
  auto x_of = [&](double v) { return plot_x + std::clamp(v / axis_max, 0.0, 1.0) * plot_w; };

  OpenChart(w, chart, bars.size(), width, height, aria_label);
  w.Open("g", {{"class", "grid"}});
  for (const auto& [value, label] : axis.ticks) {
    const double x = x_of(value);
    w.Empty("line", {{"x1", Num(x)}, {"x2", Num(x)}, {"y1", Num(kTop)}, {"y2", Num(kTop + plot_h)},
                     {"stroke", kGridColor}});
    w.Element("text", {{"class", "tick"}, {"x", Num(x)}, {"y", Num(kTop + plot_h + 15)}, {"text-anchor", "middle"}},
              label);
  }
  w.Close("g");
  w.Newline();
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = kTop + static_cast<double>(i) * kRow + (kRow - kBar) / 2;
    const double bar_w = b.value > 0 ? std::max(x_of(b.value) - plot_x, 1.0) : 0.0;
    w.Open("text", {{"class", "lbl"}, {"x", Num(plot_x - 8)}, {"y", Num(y + kBar / 2 + 4)}, {"text-anchor", "end"}});
    w.Text(Truncate(b.label, 26));
    w.Close("text");
    TitledRect(w,
               {{"class", "bar"},
                {key_attribute, b.key},
                {"data-value", b.data_value},
                {"x", Num(plot_x)},
                {"y", Num(y)},
                {"width", Num(bar_w)},
                {"height", Num(kBar)},
                {"rx", "2"},
                {"fill", b.color}},
               b.tooltip);
    w.Element("text", {{"class", "val"}, {"x", Num(plot_x + bar_w + 6)}, {"y", Num(y + kBar / 2 + 4)}},
              b.value_text);
    w.Newline();
  }
  w.Empty("line", {{"x1", Num(plot_x)}, {"x2", Num(plot_x)}, {"y1", Num(kTop)}, {"y2", Num(kTop + plot_h)},
                   {"stroke", kAxisColor}});
  if (!axis.title.empty()) {
    w.Element("text",
              {{"class", "axis-title"}, {"x", Num(plot_x + plot_w / 2)}, {"y", Num(height - 6)},
               {"text-anchor", "middle"}},
              axis.title);
  }
  w.Close("svg");
  w.Newline();
}

void RfmGrid(MarkupWriter& w, const std::array<std::array<std::int64_t, 5>, 5>& counts,
             const std::array<std::array<int, 5>, 5>& segment, const std::vector<std::string>& segment_keys,
             const std::vector<std::string>& segment_labels, const std::vector<std::string>& count_texts,
             const GridText& text) {
  constexpr double kLeft = 62, kTop = 8, kCellW = 68, kCellH = 46, kBottom = 44, kRight = 8;
  const double width = kLeft + 5 * kCellW + kRight, height = kTop + 5 * kCellH + kBottom;
  std::int64_t max = 0;
  for (const auto& row : counts) {
    for (const std::int64_t c : row) max = std::max(max, c);
  }
  OpenChart(w, "rfm-grid", 25, width, height, text.aria_label);
  for (int r = 5; r >= 1; --r) {
    const double y = kTop + (5 - r) * kCellH;
    w.Element("text", {{"class", "tick"}, {"x", Num(kLeft - 8)}, {"y", Num(y + kCellH / 2 + 4)}, {"text-anchor", "end"}},
              std::to_string(r));
    for (int fm = 1; fm <= 5; ++fm) {
      const double x = kLeft + (fm - 1) * kCellW;
      const std::int64_t count = counts[r - 1][fm - 1];
      const int s = segment[r - 1][fm - 1];
      std::string fill;
      std::string tooltip = StrCat("R ", r, " \xC2\xB7 FM ", fm, ": ", count_texts[(r - 1) * 5 + (fm - 1)]);
      std::string key;
      if (s >= 0) {
        fill = std::string(SegmentColor(segment_keys[s], static_cast<size_t>(s)));
        key = segment_keys[s];
        StrAppend(&tooltip, " (", segment_labels[s], ")");
      } else {
        fill = Heat(max > 0 ? static_cast<double>(count) / static_cast<double>(max) : 0.0);
      }
      TitledRect(w,
                 {{"class", "cell"},
                  {"data-r", std::to_string(r)},
                  {"data-fm", std::to_string(fm)},
                  {"data-segment", key},
                  {"data-value", std::to_string(count)},
                  {"x", Num(x + 1)},
                  {"y", Num(y + 1)},
                  {"width", Num(kCellW - 2)},
                  {"height", Num(kCellH - 2)},
                  {"rx", "3"},
                  {"fill", fill},
                  {"fill-opacity", count > 0 ? "1" : "0.35"}},
                 tooltip);
      w.Element("text",
                {{"class", "cell-val"},
                 {"x", Num(x + kCellW / 2)},
                 {"y", Num(y + kCellH / 2 + 4)},
                 {"text-anchor", "middle"},
                 {"fill", count > 0 ? TextColorOn(fill) : std::string_view("#475569")}},
                count_texts[(r - 1) * 5 + (fm - 1)]);
    }
    w.Newline();
  }
  for (int fm = 1; fm <= 5; ++fm) {
    w.Element("text",
              {{"class", "tick"}, {"x", Num(kLeft + (fm - 0.5) * kCellW)}, {"y", Num(kTop + 5 * kCellH + 16)},
               {"text-anchor", "middle"}},
              std::to_string(fm));
  }
  w.Element("text",
            {{"class", "axis-title"}, {"x", Num(kLeft + 2.5 * kCellW)}, {"y", Num(height - 6)}, {"text-anchor", "middle"}},
            text.fm_axis);
  w.Element("text",
            {{"class", "axis-title"},
             {"x", "0"},
             {"y", "0"},
             {"text-anchor", "middle"},
             {"transform", StrCat("translate(16 ", Num(kTop + 2.5 * kCellH), ") rotate(-90)")}},
            text.r_axis);
  w.Close("svg");
  w.Newline();
}

void CohortHeatmap(MarkupWriter& w, const std::vector<CohortRow>& rows, size_t months, const HeatmapText& text) {
  constexpr double kLabel = 84, kSize = 64, kCellW = 50, kCellH = 26, kAxisTitle = 18, kHeader = 22;
  const double width = kLabel + kSize + std::max<size_t>(months, 1) * kCellW + 8;
  const double height = kAxisTitle + kHeader + std::max<size_t>(rows.size(), 1) * kCellH + 8;
  size_t cells = 0;
  for (const CohortRow& row : rows) cells += row.retention.size();
  w.Open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"class", "chart"},
                 {"data-chart", "cohort"},
                 {"data-series", std::to_string(rows.size())},
                 {"data-cells", std::to_string(cells)},
                 {"viewBox", StrCat("0 0 ", Num(width), " ", Num(height))},
                 {"width", Num(width)},
                 {"height", Num(height)},
                 {"role", "img"},
                 {"aria-label", text.aria_label}});
  w.Element("title", {}, text.aria_label);
  const double grid_x = kLabel + kSize;
  w.Element("text",
            {{"class", "axis-title"}, {"x", Num(grid_x + months * kCellW / 2)}, {"y", "12"}, {"text-anchor", "middle"}},
            text.months_axis);
  const double header_y = kAxisTitle + kHeader - 7;
  w.Element("text", {{"class", "col-head"}, {"x", "4"}, {"y", Num(header_y)}}, text.cohort);
  w.Element("text", {{"class", "col-head"}, {"x", Num(grid_x - 10)}, {"y", Num(header_y)}, {"text-anchor", "end"}},
            text.size);
  for (size_t k = 0; k < months; ++k) {
    w.Element("text",
              {{"class", "col-head"}, {"x", Num(grid_x + (k + 0.5) * kCellW)}, {"y", Num(header_y)},
               {"text-anchor", "middle"}},
              StrCat("+", k));
  }
  w.Newline();
  if (rows.empty()) {
    w.Element("text",
              {{"class", "empty"}, {"x", Num(width / 2)}, {"y", Num(kAxisTitle + kHeader + kCellH / 2 + 4)},
               {"text-anchor", "middle"}},
              text.empty);
  }
  for (size_t c = 0; c < rows.size(); ++c) {
    const CohortRow& row = rows[c];
    const double y = kAxisTitle + kHeader + c * kCellH;
    w.Element("text", {{"class", "lbl"}, {"x", "4"}, {"y", Num(y + kCellH / 2 + 4)}}, row.label);
    w.Element("text",
              {{"class", "val"}, {"x", Num(grid_x - 10)}, {"y", Num(y + kCellH / 2 + 4)}, {"text-anchor", "end"}},
              row.size_text);
    for (size_t k = 0; k < row.retention.size(); ++k) {
      const double x = grid_x + k * kCellW;
      const std::optional<double>& t = row.retention[k];
      const std::string fill = t ? Heat(*t) : std::string("#f1f5f9");
      TitledRect(w,
                 {{"class", "cell"},
                  {"data-cohort", row.month_key},
                  {"data-k", std::to_string(k)},
                  {"data-value", t ? absl::StrFormat("%.6f", *t) : std::string()},
                  {"x", Num(x + 1)},
                  {"y", Num(y + 1)},
                  {"width", Num(kCellW - 2)},
                  {"height", Num(kCellH - 2)},
                  {"rx", "2"},
                  {"fill", fill}},
                 row.tooltip[k]);
      w.Element("text",
                {{"class", "cell-val"},
                 {"x", Num(x + kCellW / 2)},
                 {"y", Num(y + kCellH / 2 + 4)},
                 {"text-anchor", "middle"},
                 {"fill", t ? TextColorOn(fill) : std::string_view("#64748b")}},
                row.cell_text[k]);
    }
    w.Newline();
  }
  w.Close("svg");
  w.Newline();
}

void LorenzChart(MarkupWriter& w, const std::vector<std::pair<double, double>>& points,
                 const std::optional<std::pair<double, double>>& top20,
                 const std::vector<std::string>& percent_ticks, const LorenzText& text) {
  constexpr double kLeft = 58, kTop = 12, kPlot = 320, kRight = 20, kBottom = 46;
  const double width = kLeft + kPlot + kRight, height = kTop + kPlot + kBottom;
  auto px = [&](double share) { return kLeft + std::clamp(share, 0.0, 1.0) * kPlot; };
  auto py = [&](double share) { return kTop + (1 - std::clamp(share, 0.0, 1.0)) * kPlot; };
  OpenChart(w, "lorenz", points.empty() ? 1 : 2, width, height, text.aria_label);
  w.Open("g", {{"class", "grid"}});
  for (size_t i = 0; i < percent_ticks.size(); ++i) {
    const double share = percent_ticks.size() > 1 ? static_cast<double>(i) / (percent_ticks.size() - 1) : 0;
    w.Empty("line", {{"x1", Num(px(share))}, {"x2", Num(px(share))}, {"y1", Num(kTop)}, {"y2", Num(kTop + kPlot)},
                     {"stroke", kGridColor}});
    w.Empty("line", {{"x1", Num(kLeft)}, {"x2", Num(kLeft + kPlot)}, {"y1", Num(py(share))}, {"y2", Num(py(share))},
                     {"stroke", kGridColor}});
    w.Element("text",
              {{"class", "tick"}, {"x", Num(px(share))}, {"y", Num(kTop + kPlot + 16)}, {"text-anchor", "middle"}},
              percent_ticks[i]);
    w.Element("text",
              {{"class", "tick"}, {"x", Num(kLeft - 6)}, {"y", Num(py(share) + 4)}, {"text-anchor", "end"}},
              percent_ticks[i]);
  }
  w.Close("g");
  w.Newline();
  w.Empty("rect", {{"x", Num(kLeft)}, {"y", Num(kTop)}, {"width", Num(kPlot)}, {"height", Num(kPlot)},
                   {"fill", "none"}, {"stroke", kAxisColor}});
  std::string curve;
  for (size_t i = 0; i < points.size(); ++i) {
    StrAppend(&curve, i ? " L" : "M", Num(px(points[i].first)), " ", Num(py(points[i].second)));
  }
  if (!points.empty()) {
    // The area between the line of equality and the curve: what the Gini
    // coefficient measures (twice its share of the triangle).
    w.Empty("path", {{"class", "area"},
                     {"d", StrCat(curve, " L", Num(px(0)), " ", Num(py(0)), " Z")},
                     {"fill", kRevenueColor},
                     {"fill-opacity", "0.12"}});
  }
  w.Open("path", {{"class", "curve"},
                  {"data-series-name", "equality"},
                  {"d", StrCat("M", Num(px(0)), " ", Num(py(0)), " L", Num(px(1)), " ", Num(py(1)))},
                  {"fill", "none"},
                  {"stroke", kAxisColor},
                  {"stroke-width", "1.5"},
                  {"stroke-dasharray", "5 4"}});
  w.Element("title", {}, text.equality);
  w.Close("path");
  if (!points.empty()) {
    w.Open("path", {{"class", "curve"},
                    {"data-series-name", "lorenz"},
                    {"data-points", std::to_string(points.size())},
                    {"d", curve},
                    {"fill", "none"},
                    {"stroke", kRevenueColor},
                    {"stroke-width", "2.5"},
                    {"stroke-linejoin", "round"}});
    w.Element("title", {}, text.curve);
    w.Close("path");
  } else {
    w.Element("text",
              {{"class", "empty"}, {"x", Num(kLeft + kPlot / 2)}, {"y", Num(kTop + kPlot / 2 + 30)},
               {"text-anchor", "middle"}},
              text.empty);
  }
  if (top20 && !points.empty()) {
    const double x = px(top20->first), y = py(top20->second);
    w.Empty("line", {{"x1", Num(x)}, {"x2", Num(x)}, {"y1", Num(y)}, {"y2", Num(kTop + kPlot)}, {"stroke", "#dc2626"},
                     {"stroke-dasharray", "3 3"}});
    w.Empty("line", {{"x1", Num(x)}, {"x2", Num(kLeft + kPlot)}, {"y1", Num(y)}, {"y2", Num(y)}, {"stroke", "#dc2626"},
                     {"stroke-dasharray", "3 3"}});
    w.Open("circle", {{"class", "marker"}, {"cx", Num(x)}, {"cy", Num(y)}, {"r", "5"}, {"fill", "#dc2626"}});
    w.Element("title", {}, text.top20_label);
    w.Close("circle");
    w.Element("text", {{"class", "annot"}, {"x", Num(x - 8)}, {"y", Num(y - 10)}, {"text-anchor", "end"}},
              text.top20_label);
  }
  // Legend, top left inside the plot.
  const double lx = kLeft + 12, ly = kTop + 16;
  w.Empty("line", {{"x1", Num(lx)}, {"x2", Num(lx + 22)}, {"y1", Num(ly)}, {"y2", Num(ly)}, {"stroke", kRevenueColor},
                   {"stroke-width", "2.5"}});
  w.Element("text", {{"class", "legend"}, {"x", Num(lx + 28)}, {"y", Num(ly + 4)}}, text.curve);
  w.Empty("line", {{"x1", Num(lx)}, {"x2", Num(lx + 22)}, {"y1", Num(ly + 18)}, {"y2", Num(ly + 18)},
                   {"stroke", kAxisColor}, {"stroke-width", "1.5"}, {"stroke-dasharray", "5 4"}});
  w.Element("text", {{"class", "legend"}, {"x", Num(lx + 28)}, {"y", Num(ly + 22)}}, text.equality);
  w.Element("text",
            {{"class", "axis-title"}, {"x", Num(kLeft + kPlot / 2)}, {"y", Num(height - 8)}, {"text-anchor", "middle"}},
            text.x_axis);
  w.Element("text",
            {{"class", "axis-title"},
             {"x", "0"},
             {"y", "0"},
             {"text-anchor", "middle"},
             {"transform", StrCat("translate(14 ", Num(kTop + kPlot / 2), ") rotate(-90)")}},
            text.y_axis);
  w.Close("svg");
  w.Newline();
}

}  // namespace carteira::report
