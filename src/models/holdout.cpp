#include "carteira/models/holdout.h"

#include <algorithm>
#include <cmath>

#include "carteira/core/strings.h"
#include "carteira/summary/customer_summary.h"
#include "carteira/summary/purchase_history.h"

namespace carteira::models {

absl::StatusOr<CalibrationHoldout> SplitCalibrationHoldout(const Portfolio& portfolio,
                                                           DayNumber calibration_end,
                                                           DayNumber holdout_end, TimeUnit unit) {
  if (holdout_end <= calibration_end) {
    return absl::InvalidArgumentError(StrCat("holdout: the holdout end ", FormatDate(holdout_end),
                                             " is not after the calibration end ", FormatDate(calibration_end)));
  }
  SummaryOptions options;
  options.as_of = ToDate(calibration_end);
  options.unit = unit;
  auto summary = Summarize(portfolio, options);
  if (!summary.ok()) return summary.status();
  CalibrationHoldout split;
  split.calibration_end = calibration_end;
  split.holdout_end = holdout_end;
  split.calibration = RfmFromSummary(*summary);
  split.customer = summary->customer;
  split.holdout_length = (holdout_end - calibration_end) / DaysPerUnit(unit);
  // Purchase-days in (calibration_end, holdout_end], as the summary counts them.
  const PurchaseHistory history = PurchaseHistory::Build(portfolio);
  split.holdout_purchases.resize(split.customer.size());
  for (size_t i = 0; i < split.customer.size(); ++i) {
    const auto days = history.days(split.customer[i]);
    const auto from = std::upper_bound(days.begin(), days.end(), calibration_end);
    const auto to = std::upper_bound(days.begin(), days.end(), holdout_end);
    split.holdout_purchases[i] = static_cast<double>(to - from);
  }
  return split;
}

HoldoutComparison CompareHoldout(const CalibrationHoldout& split, const std::vector<double>& predicted,
                                 const FitResult& fit) {
  HoldoutComparison c;
  const size_t n = std::min(predicted.size(), split.holdout_purchases.size());
  double abs_sum = 0, sq_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double e = predicted[i] - split.holdout_purchases[i];
    c.actual_total += split.holdout_purchases[i];
    c.predicted_total += predicted[i];
    abs_sum += std::abs(e);
    sq_sum += e * e;
  }
  if (n > 0) {
    c.mean_absolute_error = abs_sum / static_cast<double>(n);
    c.root_mean_squared_error = std::sqrt(sq_sum / static_cast<double>(n));
  }
  c.log_likelihood = fit.log_likelihood;
  c.aic = fit.Aic();
  c.bic = fit.Bic();
  return c;
}

}  // namespace carteira::models
