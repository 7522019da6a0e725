// Calibration / holdout: split a transaction log at a date, fit on the
// calibration part, and compare predicted with actual purchases in the
// holdout period, per customer and in total (the validation of Fader,
// Hardie & Lee 2005 on CDNOW weeks 1-39 / 40-78).
#ifndef CARTEIRA_MODELS_HOLDOUT_H_
#define CARTEIRA_MODELS_HOLDOUT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "carteira/models/fit.h"
#include "carteira/models/rfm_data.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira::models {

struct CalibrationHoldout {
  DayNumber calibration_end = kNoDay, holdout_end = kNoDay;
  RfmData calibration;                 // customers who bought by calibration_end
  std::vector<CustomerIndex> customer;  // the portfolio's customer of each row
  std::vector<double> holdout_purchases;  // purchase-days in (calibration_end, holdout_end]
  double holdout_length = 0;              // in calibration.unit
};

// Customers whose first purchase is after calibration_end are left out
// (they are not in the calibration period).
absl::StatusOr<CalibrationHoldout> SplitCalibrationHoldout(const Portfolio& portfolio,
                                                           DayNumber calibration_end,
                                                           DayNumber holdout_end, TimeUnit unit);

struct HoldoutComparison {
  double actual_total = 0, predicted_total = 0;
  double mean_absolute_error = 0;  // per customer
  double root_mean_squared_error = 0;
  double log_likelihood = 0, aic = 0, bic = 0;  // of the fit, for model comparison
};

// `predicted` holds each calibration row's expected holdout purchases.
HoldoutComparison CompareHoldout(const CalibrationHoldout& split, const std::vector<double>& predicted,
                                 const FitResult& fit);

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_HOLDOUT_H_
