// A duration with its unit, so that a horizon in days can never be read as
// weeks: models convert it to the unit they were fitted in.
#ifndef CARTEIRA_MODELS_DURATION_H_
#define CARTEIRA_MODELS_DURATION_H_

#include "carteira/models/rfm_data.h"

namespace carteira::models {

struct Duration {
  double value = 0;
  TimeUnit unit = TimeUnit::kDays;

  static Duration Days(double v) { return {v, TimeUnit::kDays}; }
  static Duration Weeks(double v) { return {v, TimeUnit::kWeeks}; }
  static Duration Months(double v) { return {v, TimeUnit::kMonths}; }
  double In(TimeUnit other) const { return value * UnitFactor(unit, other); }
};

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_DURATION_H_
