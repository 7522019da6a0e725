// The distinct values of a duration column and each row's index into them,
// so that a likelihood evaluates log(alpha + T) once per distinct T, not
// once per customer. Durations summarised from dates are whole days (a
// handful of thousands of distinct values for millions of customers): those
// are indexed in one pass without sorting.
#ifndef CARTEIRA_SRC_MODELS_VALUE_INDEX_H_
#define CARTEIRA_SRC_MODELS_VALUE_INDEX_H_

#include <cstdint>
#include <span>
#include <vector>

namespace carteira::models::internal {

struct ValueIndex {
  std::vector<double> values;   // distinct values (a superset on the day grid)
  std::vector<std::uint32_t> of_row;
};

// `days_per_unit` converts the column's unit to days (1 for days, 7 for
// weeks): values that are whole days use the day grid.
ValueIndex IndexValues(std::span<const double> column, double days_per_unit);

}  // namespace carteira::models::internal

#endif  // CARTEIRA_SRC_MODELS_VALUE_INDEX_H_
