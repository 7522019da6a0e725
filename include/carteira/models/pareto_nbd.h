// Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie's
// notes): purchases follow a Poisson process with a gamma(r, alpha) rate
// while alive; lifetimes are exponential with a gamma(s, beta) rate. The
// likelihood needs the Gauss hypergeometric function (LogHyp2F1); its
// values are computed once per distinct (x, T) and (x, t_x), which makes
// a fit on a million customers with dated purchases cheap. Parameters are
// in the data's time unit (alpha and beta are durations).
#ifndef CARTEIRA_MODELS_PARETO_NBD_H_
#define CARTEIRA_MODELS_PARETO_NBD_H_

#include <optional>
#include <span>

#include "absl/status/statusor.h"
#include "carteira/models/duration.h"
#include "carteira/models/fit.h"
#include "carteira/models/rfm_data.h"

namespace carteira::models {

struct ParetoNbdParams {
  double r = 1, alpha = 1, s = 1, beta = 1;
};

class ParetoNbd {
 public:
  ParetoNbd(ParetoNbdParams params, TimeUnit unit) : params_(params), unit_(unit) {}
  // The likelihood is flat along a ridge (Fader & Hardie): compare fits by
  // their log-likelihood and predictions rather than the last digits of
  // the parameters.
  static absl::StatusOr<ParetoNbd> Fit(const RfmData& data, const FitOptions& options = {});

  const ParetoNbdParams& params() const { return params_; }
  TimeUnit unit() const { return unit_; }
  const std::optional<FitResult>& fit() const { return fit_; }

  absl::StatusOr<double> LogLikelihood(double x, double t_x, double T) const;
  absl::StatusOr<double> PAlive(double x, double t_x, double T) const;
  // E[X(T, T + t) | x, t_x, T]; needs s != 1.
  absl::StatusOr<double> ConditionalExpectedPurchases(double t, double x, double t_x, double T) const;
  // E[X(t)] for a customer just acquired; needs s != 1.
  absl::StatusOr<double> ExpectedPurchases(double t) const;
  // P(X(t) = n) for a customer just acquired: the NBD count while alive
  // mixed over the Pareto (Lomax) time of death, integrated numerically
  // (adaptive Gauss-Kronrod on a positive integrand: no cancellation, where
  // Fader & Hardie's closed form subtracts a sum of 2F1 terms from another).
  absl::StatusOr<double> ProbabilityOfPurchases(int n, double t) const;

  absl::Status PAlive(const RfmData& data, std::span<double> out) const;
  absl::Status ConditionalExpectedPurchases(const RfmData& data, Duration horizon, std::span<double> out) const;
  absl::StatusOr<double> TotalLogLikelihood(const RfmData& data) const;

 private:
  ParetoNbdParams params_;
  TimeUnit unit_;
  std::optional<FitResult> fit_;
};

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_PARETO_NBD_H_
