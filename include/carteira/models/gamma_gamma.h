// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV";
// Fader & Hardie note 025): the value of a customer's transactions is
// gamma(p, nu) with nu ~ gamma(q, gamma) across customers, independent of
// the purchase process. Fitted on the customers with repeat purchases
// (x > 0) from x and zbar, the mean value of their repeat purchase-days.
//
// Spend must be positive. The summary's zbar is the gross value of the
// repeat purchase-days (a return lowers revenue but is not a purchase, so
// it is not netted into zbar); a customer whose repeat purchases add up to
// zero or less is refused with an error naming the row.
#ifndef CARTEIRA_MODELS_GAMMA_GAMMA_H_
#define CARTEIRA_MODELS_GAMMA_GAMMA_H_

#include <functional>
#include <optional>
#include <span>

#include "absl/status/statusor.h"
#include "carteira/models/duration.h"
#include "carteira/models/fit.h"
#include "carteira/models/rfm_data.h"

namespace carteira::models {

struct GammaGammaParams {
  double p = 1, q = 1, gamma = 1;
};

class GammaGamma {
 public:
  explicit GammaGamma(GammaGammaParams params) : params_(params) {}
  // Uses the rows with x > 0 (x and zbar; weights honoured).
  static absl::StatusOr<GammaGamma> Fit(const RfmData& data, const FitOptions& options = {});

  const GammaGammaParams& params() const { return params_; }
  const std::optional<FitResult>& fit() const { return fit_; }

  double LogLikelihood(double x, double zbar) const;
  // E[Z | x, zbar]: a weighted mean of the population mean and the
  // customer's own; the population mean for x = 0. Needs q > 1.
  absl::StatusOr<double> ExpectedAverageSpend(double x, double zbar) const;
  absl::StatusOr<double> PopulationMeanSpend() const;
  absl::Status ExpectedAverageSpend(const RfmData& data, std::span<double> out) const;

 private:
  GammaGammaParams params_;
  std::optional<FitResult> fit_;
};

// Customer lifetime value over a horizon: the expected purchases of each
// period (from `cumulative_purchases`, E[X(t)] after t in `period` units),
// times the expected spend, times `margin`, discounted at `discount_rate`
// per period: sum_k (E[X(k)] - E[X(k-1)]) * spend * margin / (1 + d)^k for
// k = 1 .. ceil(horizon / period) (the last period cut at the horizon).
absl::StatusOr<double> LifetimeValue(const std::function<absl::StatusOr<double>(double t_in_periods)>& cumulative_purchases,
                                     double expected_spend, Duration horizon, Duration period,
                                     double discount_rate, double margin);

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_GAMMA_GAMMA_H_
