#include "src/models/value_index.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace carteira::models::internal {

ValueIndex IndexValues(std::span<const double> column, double days_per_unit) {
  ValueIndex index;
  index.of_row.resize(column.size());
  // The day grid: every value a whole number of days below 2^20 (2,870 years).
  constexpr double kMaxDays = 1 << 20;
  bool on_grid = true;
  std::int64_t max_day = 0;
  for (size_t i = 0; i < column.size() && on_grid; ++i) {
    const double days = column[i] * days_per_unit;
    // Non-negative and below 2^20 is checked first, so truncating + 0.5
    // rounds (std::round is a library call, and this loop sees every row).
    on_grid = days >= 0 && days < kMaxDays;
    if (!on_grid) break;
    const auto day = static_cast<std::uint32_t>(days + 0.5);
    on_grid = std::abs(days - day) <= 1e-9 * std::max(1.0, days);
    index.of_row[i] = day;
    max_day = std::max<std::int64_t>(max_day, day);
  }
  if (on_grid) {
    index.values.resize(static_cast<size_t>(max_day) + 1);
    for (size_t d = 0; d < index.values.size(); ++d) index.values[d] = static_cast<double>(d) / days_per_unit;
    // Keep the exact input values (d / days_per_unit may differ in the last bit).
    for (size_t i = 0; i < column.size(); ++i) index.values[index.of_row[i]] = column[i];
    return index;
  }
  // Anything else: sort the distinct values.
  std::vector<std::uint32_t> order(column.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return column[a] < column[b]; });
  for (size_t k = 0; k < order.size(); ++k) {
    const double v = column[order[k]];
    if (index.values.empty() || index.values.back() != v) index.values.push_back(v);
    index.of_row[order[k]] = static_cast<std::uint32_t>(index.values.size() - 1);
  }
  return index;
}

}  // namespace carteira::models::internal
